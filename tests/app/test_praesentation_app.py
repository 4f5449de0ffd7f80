"""AppTest of the Präsentationsmodus: the configured views stepped with buttons, no sidebar
and no editing controls, the slide in the URL."""

from __future__ import annotations

from fis.config import load_config
from tests.app.helfer import seite


def test_presentation_steps_through_the_configured_views(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "praesentation")
    folien = load_config().praesentation.folien
    assert [f.ansicht for f in folien] == ["eckwerte", "karte", "zeitreihe", "sozialindex", "ziele"]
    assert at.title[0].value == "Lagebild Musterstadt 31.12.2024"
    assert at.markdown[0].value.startswith("**") and "Sozialräume mit Handlungsbedarf" in at.markdown[0].value
    assert len(at.sidebar.selectbox) == 0                 # no Stichtag/Raumebene controls
    assert not at.text_input and not at.selectbox and not at.number_input and not at.data_editor
    assert at.query_params["folie"] == "1" and at.button(key="pr_zurueck").disabled
    titel = []
    for _ in folien[1:]:
        at.button(key="pr_weiter").click().run()
        assert not at.exception
        titel.append(at.title[0].value)
    assert titel == ["Kinderarmut je Sozialraum", "Entwicklung Kinderarmut", "Sozialindex (Kölner Modell)",
                     "Zielerreichung"]
    assert at.button(key="pr_weiter").disabled and at.query_params["folie"] == "5"
    assert "■ rot" in at.markdown[0].value and at.table                  # Ampel with symbol and word
    at.button(key="pr_zurueck").click().run()
    assert at.title[0].value == "Sozialindex (Kölner Modell)"


def test_karte_slide_states_the_city_value(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "praesentation")
    at.button(key="pr_weiter").click().run()
    assert at.markdown[0].value == "**Gesamtstadt 17,7 % am 31.12.2024, −0,4 Pp gegenüber 31.12.2023.**"

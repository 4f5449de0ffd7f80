"""AppTest of the Präsentationsmodus: the configured views stepped with buttons, no sidebar
and no editing controls, the slide in the URL."""

from __future__ import annotations

from datetime import date

import pytest

from fis.config_lesen import lade_konfiguration
from fis.store import Store
from fis.wuerfel import lade_monitoring
from tests.app.helfer import ROOT, seite


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_presentation_steps_through_the_configured_views(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "praesentation")
    folien = lade_konfiguration().praesentation.folien
    assert [f.ansicht for f in folien] == ["eckwerte", "karte", "zeitreihe", "sozialindex", "ziele"]
    assert at.title[0].value == "Lagebild Musterstadt 31.12.2024"
    assert at.markdown[0].value.startswith("**") and "Sozialräume mit Handlungsbedarf" in at.markdown[0].value
    assert len(at.sidebar.selectbox) == 0                 # no Stichtag/Raumebene controls
    assert not at.text_input and not at.selectbox and not at.number_input and not at.data_editor
    assert at.query_params["folie"] == "1" and at.button(key="pr_zurueck").disabled
    titel = []
    while not at.button(key="pr_weiter").disabled:
        at.button(key="pr_weiter").click().run()
        assert not at.exception
        titel.append(at.title[0].value)
    # 19 goals off track at 5 per slide: four goal slides, numbered
    assert titel == ["Kinderarmut je Sozialraum", "Entwicklung Kinderarmut", "Sozialindex (Kölner Modell)",
                     "Zielerreichung (1/4)", "Zielerreichung (2/4)", "Zielerreichung (3/4)", "Zielerreichung (4/4)"]
    assert at.query_params["folie"] == "8"
    assert at.table                                                      # the goals of the last slide
    at.button(key="pr_zurueck").click().run()
    assert at.title[0].value == "Zielerreichung (3/4)"


def test_karte_slide_states_the_city_value(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "praesentation")
    at.button(key="pr_weiter").click().run()
    aussage = at.markdown[0].value
    assert aussage.startswith("**Gesamtstadt 17,7 % am 31.12.2024, −0,4 Pp gegenüber 31.12.2023. ")
    # the spatial pattern: the Bezirke with the highest and the lowest child poverty, from the data
    with Store.open(demo_copy, read_only=True) as s:
        m = lade_monitoring(s, lade_konfiguration())
    bezirke = m.auswahl(stichtag=date(2024, 12, 31), ebene=2)
    bezirke = bezirke[bezirke["indikator_id"] == "kinderarmut"].dropna(subset=["wert"]).sort_values("wert")
    namen = m.namen()
    hoch, tief = namen[bezirke["raum_id"].iloc[-1]], namen[bezirke["raum_id"].iloc[0]]
    assert f"am ungünstigsten in {hoch} (" in aussage and f"am günstigsten in {tief} (" in aussage


def test_profile_slide_reads_the_area_from_a_slice_and_shows_its_strongest_deviations(monkeypatch, demo_copy,
                                                                                       tmp_path, m):
    """A „profil“ slide of one Sozialraum: title and table from the published values, read as a slice of the cube
    (the Stichtag and the area), equal to the profile computed from every value."""
    import shutil

    from fis.analysen import profil
    ordner = tmp_path / "config"
    shutil.copytree(ROOT / "config", ordner)
    (ordner / "praesentation.yaml").write_text("folien:\n  - ansicht: profil\n    raum: '0103'\n", encoding="utf-8")
    monkeypatch.setenv("FIS_CONFIG", str(ordner))
    at = seite(monkeypatch, demo_copy, "praesentation")
    assert "Schlossviertel" in at.title[0].value
    tabelle = at.table[0].value if at.table else at.dataframe[0].value
    erwartet = profil(m, "0103", date(2024, 12, 31))
    erwartet = erwartet.assign(abstand=(erwartet["index"] - 100).abs()).sort_values("abstand", ascending=False)
    assert list(tabelle.index)[:3] == list(erwartet["name"])[:3]

"""AppTest of the Sozialindex page: the Köln Sozialindex on the demo, values as in fis."""

from __future__ import annotations

from datetime import date

import pytest

from fis.config_lesen import lade_konfiguration
from fis.format import fmt_zahl
from fis.indizes import berechne_aus, index_nach_id, lade_indexdaten
from tests.app.helfer import seite


def test_sozialindex_map_table_and_drivers(monkeypatch, demo_copy, demo):
    at = seite(monkeypatch, demo_copy, "sozialindex")
    config = lade_konfiguration()
    e = berechne_aus(lade_indexdaten(demo, config), config, index_nach_id(config, "sozialindex"), date(2024, 12, 31))
    tabelle = at.dataframe[0].value
    spitze = e.werte.sort_values("wert", ascending=False).iloc[0]
    assert tabelle["Indexwert"].iloc[0] == fmt_zahl(spitze["wert"], 2)
    assert tabelle["Klasse"].iloc[0] == f"{spitze['klasse']} {spitze['klasse_name']}"
    ausgeschlossen = tabelle[tabelle["Klasse"] == "nicht bewertet"]
    assert set(ausgeschlossen["Hinweis"].str[:20]) == {"weniger als 1000 Ein"}
    assert any(m.value.startswith("**Gegenüber 31.12.2023:**") for m in at.markdown)
    assert at.selectbox(key="si_raum").value == spitze["raum_id"]
    at.selectbox(key="si_index").set_value("bildungsindex").run()
    assert not at.exception and "Bildungsindex" in at.html[0].value


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_typisierung_page_types_and_loadings(monkeypatch, demo_copy, demo):
    from fis.typologie import matrix, typisieren

    at = seite(monkeypatch, demo_copy, "typisierung")
    config = lade_konfiguration()
    daten = lade_indexdaten(demo, config)
    inds = list(dict.fromkeys(k.indikator for ix in config.indizes.indizes for k in ix.komponenten))
    assert at.multiselect(key="ty_ind").value == inds
    t = typisieren(matrix(daten.werte, date(2024, 12, 31), 1, inds), None, "ward", None,
                   {}, daten.polaritaet)
    beschreibung = at.dataframe[0].value
    assert len(beschreibung) == t.k
    assert beschreibung["Gebiete"].sum() == len(t.typen)
    at.selectbox(key="ty_methode").set_value("kmeans").run()
    at.toggle(key="ty_auto").set_value(False).run()
    at.number_input(key="ty_k").set_value(4).run()
    assert not at.exception and len(at.dataframe[0].value) == 4
    assert "Hauptkomponenten" in [s.value for s in at.subheader]

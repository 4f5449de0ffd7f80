"""AppTests of Angebot und Bedarf (#24): the page „Einrichtungen“, the profile section, the map layer and
what a public role sees of an unpublished register, on the demo, with figures checked against fis."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from fis import versorgung as vs
from fis.format import fmt_zahl
from fis.ingest import einrichtungen as einr
from fis.store import Store
from tests.app.helfer import ROOT, als_ausschuss, seite

T = date(2024, 12, 31)


def _tabelle(at, spalte: str):
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_page_answers_where_u3_places_are_missing(monkeypatch, demo_copy, m, config):
    at = seite(monkeypatch, demo_copy, "einrichtungen")
    erwartet = vs.luecken(m, config, "versorgung_u3", T, 1)
    tabelle = _tabelle(at, "Fehlende Plätze")
    erste = erwartet.iloc[0]
    assert tabelle.iloc[0]["Sozialraum"] == f"{erste['name']} ({erste['raum_id']})"
    assert tabelle.iloc[0]["Fehlende Plätze"] == fmt_zahl(erste["luecke"], 0)
    metriken = {x.label: x.value for x in at.metric}
    stadt = m.auswahl("versorgung_u3", T, 3)["wert"].iloc[0]
    assert metriken["Gesamtstadt (Plätze je 100)"] == fmt_zahl(stadt, 1)
    assert metriken["Richtwert"] == "45,0"
    assert metriken["Fehlende Plätze bis zum Richtwert"] == fmt_zahl(erwartet["luecke"].sum(), 0)
    # another supply indicator and the Bezirke
    at.selectbox(key="einr_grad").set_value(config.einrichtungen.versorgung[2]).run()
    at.sidebar.selectbox(key="_ebene").set_value(2).run()
    assert not at.exception
    bezirke = _tabelle(at, "Fehlende Plätze")
    assert len(bezirke) == 8 and "Stadtbezirk" in bezirke.columns
    # the map with the points (on by default here, the types of the chosen indicator) and a catchment
    at.sidebar.selectbox(key="_ebene").set_value(1).run()
    assert at.multiselect(key="einr_karte_versorgung_ogs_typen").value == ["ogs"]
    at.selectbox(key="einr_karte_versorgung_ogs_radius").set_value(1000).run()
    assert not at.exception
    assert any("Im Umkreis von 1.000 m" in c.value for c in at.caption)


def test_the_profile_lists_supply_and_facilities(monkeypatch, demo_copy, m, config, demo):
    luecken = vs.luecken(m, config, "versorgung_u3", T, 1)
    raum = luecken.iloc[0]["raum_id"]
    at = seite(monkeypatch, demo_copy, "sozialraumprofil")
    at.session_state["profil_raum"] = raum
    at.session_state["profil_wahl"] = raum
    at.run()
    assert any(s.value == "Einrichtungen und Versorgung" for s in at.subheader)
    versorgung = _tabelle(at, "Lücke").set_index("Versorgungsgrad")
    assert versorgung.at["Versorgung U3", "Lücke"] == f"es fehlen {fmt_zahl(luecken.iloc[0]['luecke'], 0)} Plätze"
    register = _tabelle(at, "Träger")
    erwartet = vs.im_gebiet(vs.einrichtungen(demo, config, T), [raum])
    assert sorted(register["Name"]) == sorted(erwartet["name"])


def test_karte_draws_the_facilities_over_the_areas(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "karte")
    at.toggle(key="karte_einr_an").set_value(True).run()
    at.multiselect(key="karte_einr_typen").set_value(["jugendzentrum"]).run()
    assert not at.exception
    import json
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    schichten = {s["id"]: s for s in spec["layers"]}
    assert "einrichtungen" in schichten and len(schichten["einrichtungen"]["data"]) == 13   # 14, one closed 2017


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_a_public_role_sees_only_the_published_register(monkeypatch, demo_copy, tmp_path, config):
    with Store.open(demo_copy) as store:
        v = einr.vorbereiten(store, config, (
            b"einrichtung_id;typ;name;lon;lat;eroeffnet;plaetze_u3;plaetze_ue3\n"
            b"NEU1;kita;ENTWURF Kita am Hafen;7,215;51,605;01.08.2024;40;60\n"), "neu.csv")
        einr.uebernehmen(store, v, "p.planer", config)
    at = als_ausschuss(monkeypatch, demo_copy, tmp_path, "einrichtungen")
    gesendet = " ".join(d.value.to_csv() for d in at.dataframe)
    assert "ENTWURF" not in gesendet
    assert at.toggle(key="einr_karte_versorgung_u3_an").value
    assert "ENTWURF" not in at.get("deck_gl_json_chart")[0].proto.json


def test_without_a_register_configuration_the_page_says_how(monkeypatch, demo_copy, tmp_path):
    ordner = tmp_path / "config"
    shutil.copytree(ROOT / "config", ordner)
    (ordner / "einrichtungen.yaml").unlink()
    monkeypatch.setenv("FIS_CONFIG", str(ordner))
    at = seite(monkeypatch, demo_copy, "einrichtungen")
    assert "einrichtungen.yaml" in at.info[0].value


@pytest.mark.parametrize("seite_name", ["datenpflege"])
def test_the_register_tab_explains_the_columns(monkeypatch, demo_copy, seite_name):
    at = seite(monkeypatch, demo_copy, seite_name)
    assert any("Je Zeile eine Einrichtung" in c.value for c in at.caption)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_a_partial_delivery_says_how_many_areas_the_sum_covers(monkeypatch, demo_copy):
    from tests.teillieferung import RAEUME, STICHTAG, liefere_teil
    liefere_teil(demo_copy)
    at = seite(monkeypatch, demo_copy, "einrichtungen")
    at.sidebar.selectbox(key="_stichtag").set_value(STICHTAG).run()
    assert not at.exception
    metriken = {x.label: x.value for x in at.metric}
    assert f"Fehlende Plätze in {len(RAEUME)} von 51 Sozialräumen" in metriken
    assert metriken["Gesamtstadt (Plätze je 100)"] == "–"                # the city sum would be incomplete

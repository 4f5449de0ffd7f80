"""Publication for every delivery kind (#27): a catalog, a Raumgliederung, goals and budget figures take
effect for public roles only when published; until then the public sees the last published version."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
import yaml

from fis import ziele
from fis.ingest import katalog as katalog_import
from fis.ingest.lieferungen import veroeffentlichen
from fis.pfade import DEFAULT_CONFIG_DIR
from fis.store import Lieferung, Store
from fis.wuerfel import lade_monitoring

T = date(2024, 12, 31)


@pytest.fixture
def store(demo_copy):
    s = Store.open(demo_copy)
    yield s
    s.close()


def _oeffentlich(store: Store) -> Store:
    return store.cursor(nur_veroeffentlicht=True)


def test_an_unpublished_catalog_changes_nothing_for_the_public(store, config):
    m = lade_monitoring(store, config)
    klein = m.werte[(m.werte["grund"] == "fallzahl") & (m.werte["stichtag"] == T)].iloc[0]
    ind = klein["indikator_id"]
    katalog = yaml.safe_load((DEFAULT_CONFIG_DIR / "indikatoren.yaml").read_text(encoding="utf-8"))
    for eintrag in katalog["indikatoren"]:
        if eintrag["id"] == ind:
            eintrag["name"] = "ENTWURF neuer Name"
            eintrag["geheimhaltung"] = 1              # lowered: the small count would appear
    v = katalog_import.vorbereiten(store, yaml.safe_dump(katalog, allow_unicode=True).encode(), "k.yaml", 3)
    lid = katalog_import.uebernehmen(store, v, "p.planer")

    intern = store.lade_indikatoren().set_index("indikator_id")
    assert intern.at[ind, "name"] == "ENTWURF neuer Name" and intern.at[ind, "geheimhaltung"] == 1
    pub = _oeffentlich(store).lade_indikatoren().set_index("indikator_id")
    assert pub.at[ind, "name"] != "ENTWURF neuer Name" and pub.at[ind, "geheimhaltung"] >= 2
    m_pub = lade_monitoring(_oeffentlich(store), config)
    zelle = m_pub.werte.set_index(["raum_id", "indikator_id", "stichtag"]).loc[(klein["raum_id"], ind, T)]
    assert bool(zelle["unterdrueckt"]) and pd.isna(zelle["wert"])           # still „< n Fälle“

    veroeffentlichen(store, lid, "p.planer")
    assert _oeffentlich(store).lade_indikatoren().set_index("indikator_id").at[ind, "name"] == "ENTWURF neuer Name"


def test_an_unpublished_raumgliederung_is_invisible_to_the_public(store):
    alt = store.lade_raeume(T, 1).set_index("raum_id")
    raum = alt.index[0]
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(art="raeume", bezeichnung="Entwurf", benutzer="p.planer",
                                               zeitpunkt=datetime.now()))
        zeile = store.lade_raeume(T, 1, with_geometry=True).set_index("raum_id").loc[[raum]].reset_index()
        store.insert_raeume(zeile.assign(name="ENTWURF-Gebiet", lieferung_id=lid))
    assert store.lade_raeume(T, 1).set_index("raum_id").at[raum, "name"] == "ENTWURF-Gebiet"
    assert _oeffentlich(store).lade_raeume(T, 1).set_index("raum_id").at[raum, "name"] == alt.at[raum, "name"]
    veroeffentlichen(store, lid, "p.planer")
    assert _oeffentlich(store).lade_raeume(T, 1).set_index("raum_id").at[raum, "name"] == "ENTWURF-Gebiet"


def test_an_unpublished_goal_or_goal_change_is_invisible_to_the_public(store, config):
    vorher = _oeffentlich(store).lade_ziele().set_index("ziel_id")
    bestehend = vorher.index[0]
    neu = [{"id": "ENTWURF1", "titel": "Entwurf eines roten Ziels", "zielfeld": "Ergebnis/Wirkung",
            "zielebene": "Teilziel", "richtung": "senken", "zielwert": 0, "toleranz": 0.1,
            "kennzahl": {"indikator": "sgb2_quote", "raum": "0101"}, "basisjahr": 2020, "zieldatum": "2025-12-31"}]
    frame = ziele.pruefen(neu, ziele.bezugsdaten(store, config))
    ergebnis = ziele.uebernehmen(store, frame, "p.planer", "Entwurf", "entwurf.yaml")
    assert ergebnis["neu"] == 1
    geaendert = store.lade_ziele().set_index("ziel_id").loc[[bestehend]].reset_index()
    with store.transaction():
        lid2 = store.insert_lieferung(Lieferung(art="ziele", bezeichnung="Änderung", benutzer="p.planer",
                                                zeitpunkt=datetime.now()))
        store.upsert_ziele(geaendert.assign(titel="ENTWURF geänderter Titel"), None, lid2)

    assert {"ENTWURF1"} <= set(store.lade_ziele()["ziel_id"])
    pub = _oeffentlich(store).lade_ziele().set_index("ziel_id")
    assert "ENTWURF1" not in pub.index and len(pub) == len(vorher)
    assert pub.at[bestehend, "titel"] == vorher.at[bestehend, "titel"]            # the published version

    lid = int(store.lade_lieferungen().query("art == 'ziele'")["lieferung_id"].max())
    veroeffentlichen(store, lid, "p.planer")
    veroeffentlichen(store, lid - 1, "p.planer")
    pub = _oeffentlich(store).lade_ziele().set_index("ziel_id")
    assert "ENTWURF1" in pub.index and pub.at[bestehend, "titel"] == "ENTWURF geänderter Titel"


def test_unpublished_budget_figures_are_invisible_to_the_public(store):
    tep = store.lade_teilergebnisplan()
    zeile = tep.iloc[[0]].drop(columns="lieferung_id")
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(art="haushalt", bezeichnung="Entwurf", benutzer="p.planer",
                                               zeitpunkt=datetime.now()))
        store.insert_teilergebnisplan(zeile.assign(betrag=123456789.0, lieferung_id=lid))
    assert 123456789.0 in set(store.lade_teilergebnisplan()["betrag"])
    assert 123456789.0 not in set(_oeffentlich(store).lade_teilergebnisplan()["betrag"])
    veroeffentlichen(store, lid, "p.planer")
    assert 123456789.0 in set(_oeffentlich(store).lade_teilergebnisplan()["betrag"])


def test_unpublished_product_texts_are_invisible_to_the_public(store):
    from fis.ingest import produkte as produkte_import
    from fis.ingest.lesen import lies_tabelle
    p = store.lade_produkte().iloc[0]
    vorher = p["beschreibung"]
    text = f"nr;name;beschreibung\n{p['nr']};{p['name']};ENTWURF neue Beschreibung\n"
    v = produkte_import.vorbereiten(store, lies_tabelle(text.encode(), "produkte.csv"))
    assert v.uebernehmbar, v.bericht.als_text()
    lid = produkte_import.uebernehmen(store, v, "p.planer")
    assert store.lade_produkte().set_index("nr").at[p["nr"], "beschreibung"] == "ENTWURF neue Beschreibung"
    oeffentlich = _oeffentlich(store).lade_produkte().set_index("nr")
    assert oeffentlich.at[p["nr"], "beschreibung"] == vorher
    assert len(oeffentlich) == len(store.lade_produkte())                     # nothing else lost
    veroeffentlichen(store, lid, "p.planer")
    assert _oeffentlich(store).lade_produkte().set_index("nr").at[p["nr"], "beschreibung"] == \
        "ENTWURF neue Beschreibung"


def test_published_values_of_an_unpublished_new_indicator_stay_hidden(store, config):
    from fis.ingest import werte as werte_import
    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.lesen import lies_tabelle
    katalog = yaml.safe_load((DEFAULT_CONFIG_DIR / "indikatoren.yaml").read_text(encoding="utf-8"))
    neu = dict(katalog["indikatoren"][1], id="neu_quote", name="Neuer Indikator", kurzname="Neu")
    katalog["indikatoren"].append(neu)
    v = katalog_import.vorbereiten(store, yaml.safe_dump(katalog, allow_unicode=True).encode(), "k.yaml", 3)
    katalog_import.uebernehmen(store, v, "p.planer")                 # not published
    tabelle = lies_tabelle(b"raum;indikator;stichtag;wert;zaehler;nenner\n0101;neu_quote;31.12.2024;10,0;50;500\n",
                           "neu.csv")
    w = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
    veroeffentlichen(store, werte_import.uebernehmen(store, w, "p.planer"), "p.planer")   # values published
    m = lade_monitoring(_oeffentlich(store), config)                   # no error, no orphan
    assert "neu_quote" not in set(m.werte["indikator_id"])
    assert "neu_quote" in set(lade_monitoring(store, config).werte["indikator_id"])

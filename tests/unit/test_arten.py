"""The registries of delivery kinds and report kinds: one entry per kind, the same for CLI, pages and register."""

from __future__ import annotations

from pathlib import Path

import pytest

from fis.berichte.arten import BERICHTSARTEN, steckbrief_gebiete
from fis.cli import parser
from fis.ingest.arten import LIEFERARTEN, Auftrag, art_der_datei, lieferungen_tabelle, namen
from fis.ingest.lesen import ImportFehler

ROOT = Path(__file__).resolve().parents[2]


def _wahl(befehl: str, ziel: str) -> list[str]:
    sub = next(a for a in parser()._actions if a.dest == "befehl")
    return list(next(a for a in sub.choices[befehl]._actions if a.dest == ziel).choices)


def test_the_command_line_offers_exactly_the_registered_kinds():
    assert _wahl("import", "art") == ["werte", "raeume", "katalog", "haushalt", "produkte", "einrichtungen",
                                      "vergleichswerte", "prognosen", "massnahmen", "planung"]
    assert _wahl("import", "art") == [a.id for a in LIEFERARTEN.values() if a.aus_datei]
    assert _wahl("report", "art") == list(BERICHTSARTEN) == [
        "abweichungsbericht", "steckbrief", "monitoring", "sozialindex", "mittelverteilung", "massnahmenbericht",
        "produktdatenblatt"]


def test_the_pages_use_the_registries_and_no_list_of_their_own():
    berichte = (ROOT / "seiten" / "berichte.py").read_text(encoding="utf-8")
    assert "BERICHTSARTEN" in berichte and "inhalte." not in berichte
    for modul in ("werte", "raeume", "katalog", "haushalt", "einrichtungen", "vergleichswerte", "prognosen"):
        text = (ROOT / "ui" / "datenpflege" / f"{modul}.py").read_text(encoding="utf-8")
        assert "LIEFERARTEN[" in text and "_import.uebernehmen(" not in text, modul


def test_a_file_without_named_kind_is_taken_by_its_ending():
    assert art_der_datei("gebiete.geojson") == "raeume" and art_der_datei("GEBIETE.GPKG") == "raeume"
    assert art_der_datei("indikatoren.yaml") == "katalog"
    assert art_der_datei("sozialatlas.xlsx") == "werte" and art_der_datei("ohne_endung") == "werte"


def test_register_names_every_kind_from_the_registry(demo):
    register = lieferungen_tabelle(demo)
    assert set(register["Art"]) <= set(namen().values())
    assert {"Indikatorwerte", "Raumgliederung", "Indikatorenkatalog", "Einrichtungsregister"} <= set(register["Art"])


def test_kinds_without_a_file_say_so(demo, config):
    with pytest.raises(ImportFehler, match="nicht als Datei"):
        LIEFERARTEN["ziele"].pruefen(Auftrag(demo, config, b"", "x.csv"))


def test_a_values_delivery_through_the_registry_checks_and_commits(store, config):
    """The path of the command line and the page: check (nothing written), then one delivery."""
    from datetime import date

    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.lesen import lies_tabelle
    raum = store.lade_raeume(date(2024, 12, 31), 1)["raum_id"].iloc[0]
    daten = f"raum;indikator;stichtag;wert\n{raum};bev_gesamt;31.12.2024;4711\n".encode()
    z = zuordnung_import.Zuordnung.aus_dict({"format": "lang", "raum": "raum", "indikator": "indikator",
                                          "stichtag": "stichtag", "wert": "wert"})
    auftrag = Auftrag(store, config, daten, "w.csv", "tester", tabelle=lies_tabelle(daten, "w.csv"),
                      werte_zuordnung=z)
    vorher = len(store.lade_lieferungen())
    v = LIEFERARTEN["werte"].pruefen(auftrag)
    assert v.bericht.ok and v.uebernehmbar and v.zaehlung["geändert"] == 1
    assert len(store.lade_lieferungen()) == vorher
    assert LIEFERARTEN["werte"].vorschau(v) == "neu 0, geändert 1, unverändert 0 (von 1 Werten)"
    lid = LIEFERARTEN["werte"].speichern(auftrag, v)
    wert = store.lade_werte(["bev_gesamt"], [date(2024, 12, 31)], [raum])
    assert wert["wert"].tolist() == [4711.0] and wert["lieferung_id"].tolist() == [lid]
    assert store.lade_lieferung(lid)["art"] == "werte"


def test_steckbrief_areas_of_an_area_and_of_a_parent(m):
    tag = max(m.stichtage)
    gueltig = m.raeume[m.raeume["stichtag"] == tag]
    eins = gueltig[gueltig["ebene"] == 1].iloc[0]
    assert steckbrief_gebiete(m, eins["raum_id"], tag) == [eins["raum_id"]]
    kinder = sorted(gueltig[(gueltig["ebene"] == 1) & (gueltig["parent_id"] == eins["parent_id"])]["raum_id"])
    assert steckbrief_gebiete(m, eins["parent_id"], tag) == kinder and len(kinder) > 1
    assert steckbrief_gebiete(m, "gibt-es-nicht", tag) == []

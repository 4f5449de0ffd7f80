"""Finance-system exports: checked before anything is written, totals compared with their
parts, stored as a delivery that can be rolled back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fis.ingest import haushalt
from fis.ingest.lesen import lies_tabelle
from fis.ingest.lieferungen import zuruecknehmen
from fis.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _csv(*zeilen: str) -> bytes:
    return ("Produkt;Position;Jahr;Monat;Wertart;Betrag\n" + "\n".join(zeilen) + "\n").encode("utf-8")


GUT = _csv("11.05.05.01;11;2030;0;Planung;-500.000,00",
           "11.05.05.01;13;2030;;Planung;-120.000",
           "11.05.05.02;11;2030;0;Planung;-300.000",
           "11.05.05;11;2030;0;Planung;-800.000",         # group total, consistent
           "11.05.05.01;17;2030;0;Planung;-600.000")      # sum line 17 = 11–16: parts give −620.000


def test_a_finance_export_is_checked_stored_and_rolled_back(demo_copy):
    with Store.open(demo_copy) as store:
        v = haushalt.vorbereiten(store, lies_tabelle(GUT, "finanzen_2030.csv"))
        assert v.uebernehmbar and len(v.zeilen) == 3 and len(v.summen) == 2
        assert v.abweichungen[["ebene", "nr", "position_nr", "geliefert", "summe_teile", "differenz"]].values.tolist() \
            == [["Summenzeile", "11.05.05.01", 17, -600_000.0, -620_000.0, 20_000.0]]
        assert [p.pruefung for p in v.bericht.warnungen] == ["Summe stimmt nicht"]
        lid = haushalt.uebernehmen(store, v, "kaemmerei", "Planung 2030")
        t = store.lade_teilergebnisplan(["11.05.05.01"])
        neu = t[(t["jahr"] == 2030) & (t["wertart"] == "Planung")].set_index("position_nr")["betrag"]
        assert neu.to_dict() == {11: -500_000.0, 13: -120_000.0}            # sums are not stored
        zuruecknehmen(store, lid, "kaemmerei", "Test")
        t = store.lade_teilergebnisplan(["11.05.05.01"])
        assert t[t["jahr"] == 2030].empty


def test_a_group_total_that_differs_is_listed(demo_copy):
    with Store.open(demo_copy) as store:
        v = haushalt.vorbereiten(store, lies_tabelle(_csv(
            "11.05.05.01;11;2030;0;Planung;-500000", "11.05.05.02;11;2030;0;Planung;-300000",
            "11.05.05;11;2030;0;Planung;-790000"), "g.csv"))
    assert v.abweichungen[["ebene", "nr", "differenz"]].values.tolist() == [["Produktgruppe", "11.05.05", 10_000.0]]


def test_every_error_is_named_and_nothing_is_written(demo_copy):
    schlecht = _csv("99.99.99.99;11;2030;0;Planung;-1", "11.05.05.01;77;2030;0;Planung;-1",
                    "11.05.05.01;11;zwanzig;0;Planung;-1", "11.05.05.01;11;2030;13;Planung;-1",
                    "11.05.05.01;11;2030;0;Soll;-1", "11.05.05.01;13;2030;0;Planung;viel",
                    "11.05.05.01;14;2030;0;Planung;-1", "11.05.05.01;14;2030;0;Planung;-2")
    with Store.open(demo_copy) as store:
        vorher = len(store.lade_teilergebnisplan())
        v = haushalt.vorbereiten(store, lies_tabelle(schlecht, "schlecht.csv"))
        assert not v.uebernehmbar
        assert len(store.lade_teilergebnisplan()) == vorher
    pruefungen = {p.pruefung for p in v.bericht.fehler}
    assert pruefungen == {"Unbekanntes Produkt", "Unbekannte Zeile", "Ungültige Angabe „jahr“",
                          "Ungültige Angabe „monat“", "Unbekannte Wertart", "Kein Betrag", "Doppelte Zeile"}
    meldungen = " ".join(p.meldung for p in v.bericht.fehler)
    assert "(Zeile 2)" in meldungen and "erlaubt sind Ansatz, Planung, Ist und Prognose" in meldungen
    assert "1 Eintrag hat in „jahr“ keine ganze Zahl von 1990 bis 2100. (Zeile 4)" in meldungen
    assert "2 Einträge nennen denselben Betrag" in meldungen


def test_missing_columns_are_named(demo):
    v = haushalt.vorbereiten(demo, lies_tabelle(b"Produkt;Jahr;Betrag\n11.05.05.01;2030;1\n", "x.csv"))
    assert not v.uebernehmbar
    assert any("Die Spalte „position“ fehlt" in p.meldung for p in v.bericht.fehler)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_cli_imports_a_finance_export(demo_copy, tmp_path):
    datei = tmp_path / "finanzen.csv"
    datei.write_bytes(GUT)
    r = subprocess.run([sys.executable, "-m", "fis", "import", str(datei), "--art", "haushalt", "--db",
                        str(demo_copy), "--benutzer", "cli"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Vorschau: 3 Beträge, 2 Summen geprüft, 1 Abweichungen" in r.stdout


@pytest.mark.parametrize("inhalt", [b"", b"\x00\x01\x02", b"Produkt;Position\n\"offen"])
def test_unreadable_exports_never_crash(demo, inhalt):
    from fis.ingest.lesen import ImportFehler
    try:
        v = haushalt.vorbereiten(demo, lies_tabelle(inhalt, "kaputt.csv"))
    except ImportFehler as exc:
        assert str(exc)                              # a German message from the shared reader
    else:
        assert not v.uebernehmbar


def test_product_texts_are_updated_with_audit_and_checked(demo_copy):
    from fis.ingest import produkte

    datei = ("nr;name;zielgruppe;beschreibung\n"
             "11.05.05.01;Sozialkonzept und Sozialmonitoring;Rat, Ausschüsse und Verwaltung;\n"
             "11.05.05.04;Sozialberichterstattung;Öffentlichkeit;Jährlicher Sozialbericht\n").encode()
    with Store.open(demo_copy) as store:
        v = produkte.vorbereiten(store, lies_tabelle(datei, "produkte.csv"))
        assert v.uebernehmbar
        felder = {(a["nr"], a["feld"]) for a in v.aenderungen}
        assert ("11.05.05.01", "zielgruppe") in felder and ("11.05.05.04", "name") in felder
        assert ("11.05.05.01", "beschreibung") not in felder       # an empty cell keeps the text
        alt = store.lade_produkte().set_index("nr").at["11.05.05.01", "beschreibung"]
        produkte.uebernehmen(store, v, "kaemmerei")
        p = store.lade_produkte().set_index("nr")
        assert p.at["11.05.05.01", "zielgruppe"] == "Rat, Ausschüsse und Verwaltung"
        assert p.at["11.05.05.01", "beschreibung"] == alt
        assert p.at["11.05.05.04", "gruppe_nr"] == "11.05.05"
        assert (store.lade_audit()["aktion"] == "produkt_geaendert").sum() >= 3
        schlecht = produkte.vorbereiten(store, lies_tabelle(
            b"nr;name\n11.5;X\n11.99.01.01;Y\n11.05.05.01;\n", "p.csv"))
    assert {p.pruefung for p in schlecht.bericht.fehler} == {"Ungültige Nummer", "Übergeordnete Nummer fehlt",
                                                             "Name fehlt"}

"""Datenpflege: reading, checks, preview, commit, supersede, rollback – hand-computed cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from fis.ingest import katalog as katalog_import
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import ImportFehler, lies_tabelle
from fis.ingest.lieferungen import wert_historie, zuruecknehmen
from fis.ingest.zahlen import dezimalstil, parse_datum, parse_zahlen

KOPF = "raum;indikator;stichtag;wert;zaehler;nenner\n"


def _vorbereiten(store, text: str, encoding="utf-8", **kw):
    tabelle = lies_tabelle(text.encode(encoding), "lieferung.csv")
    z = zuordnung_import.vorschlag(tabelle, store.lade_indikatoren())
    return werte_import.vorbereiten(store, tabelle, z, **kw)


def test_german_numbers_thousands_dot_and_decimal_comma():
    numbers, missing, invalid = parse_zahlen(pd.Series(["1.234,5", "12,5", "k.A.", "-", "x1", "1.234.567"]), "komma")
    assert numbers.tolist()[:2] == [1234.5, 12.5]
    assert numbers.iloc[5] == 1234567
    assert missing.tolist() == [False, False, True, True, False, False]
    assert invalid.tolist() == [False, False, False, False, True, False]
    assert dezimalstil(pd.Series(["1,5", "2.5"]))[0] == "gemischt"
    assert dezimalstil(pd.Series(["1.234"]))[0] == "unklar"


def test_dates_are_never_read_as_numbers():
    dates, invalid, serial = parse_datum(pd.Series(["31.12.2024", "2024-12-31", "2024", "45657", "31.12.24"]))
    assert dates.iloc[0] == dates.iloc[1] == dates.iloc[2] == pd.Timestamp("2024-12-31")
    assert invalid.tolist() == [False, False, False, True, True]
    assert serial.iloc[3] == pd.Timestamp("2024-12-31")


@pytest.mark.parametrize("encoding,sep", [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", "\t")])
def test_encodings_and_separators(encoding, sep):
    text = f"Sozialraum{sep}Größe\n0101{sep}1,5\n"
    tabelle = lies_tabelle(text.encode(encoding), "x.csv")
    assert tabelle.spalten == ["Sozialraum", "Größe"]
    assert tabelle.daten.iloc[0].tolist() == ["0101", "1,5"]
    assert tabelle.daten.index.tolist() == [2]


def test_comma_separated_file_with_decimal_point(store):
    v = _vorbereiten(store, "raum,indikator,stichtag,wert,zaehler,nenner\n0101,sgb2_quote,2025-12-31,12.5,125,1000\n")
    assert v.bericht.ok, v.bericht.als_text()
    row = v.werte.iloc[0]
    assert (row["raum_id"], row["wert"], row["zaehler"], row["nenner"]) == ("0101", 12.5, 125, 1000)


def test_value_is_derived_from_numerator_and_denominator(store):
    v = _vorbereiten(store, KOPF + "0101;sgb2_quote;31.12.2025;;1.234;10.000\n")
    assert v.werte.iloc[0]["wert"] == pytest.approx(12.34)


def test_checks_name_rows_and_suggest_fixes(store):
    v = _vorbereiten(store, KOPF + "101;sgb2_quote;31.12.2025;1;1;100\n0102;sgb2_qoute;31.12.2025;1;1;100\n"
                     "0103;anteil_u18;31.12.2025;130;;\n0104;alq;31.12.2025;5;;\n0104;alq;31.12.2025;6;;\n")
    pruefungen = {p.pruefung: p for p in v.bericht.probleme}
    assert {"Unbekannter Raum", "Unbekannter Indikator", "Unmöglicher Wert", "Doppelter Schlüssel"} <= set(pruefungen)
    details = v.bericht.detailtabelle()
    raum = details[details["pruefung"] == "Unbekannter Raum"].iloc[0]
    assert raum["zeile"] == 2 and "0101" in raum["hinweis"]
    ind = details[details["pruefung"] == "Unbekannter Indikator"].iloc[0]
    assert ind["zeile"] == 3 and "sgb2_quote" in ind["hinweis"]
    assert details[details["pruefung"] == "Doppelter Schlüssel"]["zeile"].tolist() == [5, 6]
    assert not v.uebernehmbar
    csv = v.bericht.als_csv().decode("utf-8-sig")
    assert csv.splitlines()[0] == "Zeile;Schwere;Prüfung;Spalte;Wert;Hinweis"


def test_leading_zeros_can_be_restored(store):
    tabelle = lies_tabelle((KOPF + "101;alq;31.12.2025;5,0;;\n").encode(), "x.csv")
    z = replace(zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()), fuehrende_nullen=True)
    v = werte_import.vorbereiten(store, tabelle, z)
    assert v.bericht.ok and v.werte["raum_id"].tolist() == ["0101"]


def test_commit_supersede_history_and_rollback(store):
    before = store.content_hash()
    alt = store.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    neu_text = str(round(alt["wert"] + 1, 1)).replace(".", ",")
    text = KOPF + f"0101;alq;31.12.2024;{neu_text};;\n0101;alq;31.12.2025;5,0;;\n"
    v = _vorbereiten(store, text)
    assert v.bericht.ok, v.bericht.als_text()
    assert v.zaehlung == {"neu": 1, "geändert": 1, "unverändert": 0}
    lid = werte_import.uebernehmen(store, v, "test")
    neu = store.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    assert neu["wert"] == pytest.approx(round(alt["wert"] + 1, 1)) and neu["lieferung_id"] == lid
    historie = wert_historie(store, "0101", "alq", date(2024, 12, 31))
    assert historie["Lieferung"].tolist()[0] == lid and historie["aktuell"].tolist()[0] == "✓"
    lieferung = store.lade_lieferung(lid)
    assert (lieferung["anzahl_neu"], lieferung["anzahl_ersetzt"], lieferung["benutzer"]) == (1, 1, "test")

    # The same file again is refused.
    again = _vorbereiten(store, text)
    assert "Datei bereits geliefert" in [p.pruefung for p in again.bericht.fehler]

    info = zuruecknehmen(store, lid, "test", "Tippfehler")
    assert (info["frueherer_stand"], info["entfallen"]) == (1, 1)
    back = store.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    assert back["wert"] == alt["wert"] and back["lieferung_id"] == alt["lieferung_id"]
    assert store.lade_werte(["alq"], [date(2025, 12, 31)]).empty
    assert store.lade_audit().iloc[-1]["aktion"] == "rollback"
    assert store.content_hash() != before            # the delivery stays stored, as rolled back
    with pytest.raises(ImportFehler, match="bereits"):
        zuruecknehmen(store, lid, "test")


def test_wide_format_with_numerator_and_denominator_columns(store):
    tabelle = lies_tabelle(b"Nr;SGB II;EW;Arbeitslose\n0101;125;1.000;50\n0102;0;0;0\n", "breit.csv")
    z = zuordnung_import.Zuordnung.aus_dict({"format": "breit", "raum": "Nr", "nullzeilen_fehlend": True, "spalten": {
        "sgb2_quote": {"zaehler": "SGB II", "nenner": "EW"}, "alq": {"wert": "Arbeitslose"}}})
    v = werte_import.vorbereiten(store, tabelle, z, stichtag=date(2025, 12, 31))
    assert "Nullzeilen als fehlend" in [p.pruefung for p in v.bericht.hinweise]
    got = v.werte.set_index("indikator_id")
    assert got.loc["sgb2_quote", "wert"] == pytest.approx(12.5)
    assert got.loc["alq", "wert"] == 50 and len(v.werte) == 2


def test_catalog_versions_and_rollback(store, config):
    edited = store.lade_indikatoren()[katalog_import.SPALTEN].copy()
    edited.loc[edited["indikator_id"] == "alq", "geheimhaltung"] = 10
    v = katalog_import.aus_editor(store, edited, config.stadt.geheimhaltung_standard)
    assert v.vergleich.set_index("indikator_id").loc["alq", "geaendert"] == "geheimhaltung"
    lid = katalog_import.uebernehmen(store, v, "test")
    assert store.lade_indikatoren().set_index("indikator_id").at["alq", "geheimhaltung"] == 10
    assert len(store.lade_indikator_versionen("alq")) == 2
    zuruecknehmen(store, lid, "test")
    assert store.lade_indikatoren().set_index("indikator_id").at["alq", "geheimhaltung"] == 3


def test_catalog_import_rejects_bad_yaml(store):
    with pytest.raises(ImportFehler, match="aggregation"):
        katalog_import.vorbereiten(store, b"indikatoren:\n  - id: x\n    name: X\n    kurzname: X\n"
                                   b"    handlungsfeld: A\n    einheit: '%'\n    definition: d\n"
                                   b"    aggregation: mittel\n    polaritaet: neutral\n    quelle: q\n", "k.yaml", 3)


def test_every_check_of_the_store_has_exactly_one_rule_and_back():
    """The table of checks: each query of the store has one rule with the same id (and its message), each rule
    without a function of its own has a query; nothing is joined by a key that exists on one side only."""
    from fis.ingest.werteregeln import WERTE_REGELN
    from fis.store.pruefung import PRUEFABFRAGEN
    ids = [r.id for r in WERTE_REGELN]
    assert len(ids) == len(set(ids))
    assert {r.id for r in WERTE_REGELN if r.finden is None} == set(PRUEFABFRAGEN)
    assert all(r.schwere in ("Fehler", "Warnung", "Hinweis") and r.titel for r in WERTE_REGELN)


def test_check_messages_say_one_row_in_the_singular(store):
    """Plural handling: „1 Zeile liefert …“, not „1 Zeilen liefern …“."""
    v = _vorbereiten(store, "raum,indikator,stichtag,wert\n0101,sgb2_quote,2024-12-31,12.5\n"
                            "0101,sgb2_quote,2024-12-31,12.5\n9999,sgb2_quote,2024-12-31,1\n")
    text = v.bericht.als_text()
    assert "2 Zeilen liefern denselben Raum" in text
    assert "1 Zeile mit 1 unbekannter Raum-Kennung: 9999" in text


def test_dates_are_parsed_once_per_distinct_text_with_the_same_result():
    """A large delivery repeats a few Stichtage: each distinct text is parsed once and mapped back, with exactly
    the result, the invalid cells and the Excel hints of parsing every cell."""
    from fis.ingest.zahlen import _parse_datum, parse_datum
    texte = ["31.12.2024", "2024", "x", None, "202012", "12/2020", "45000", "31.12.20", "2024-12-31", ""]
    werte = pd.Series([texte[i % len(texte)] for i in range(5_000)], index=range(10, 5_010), dtype=object)
    for schnell, einzeln in zip(parse_datum(werte), _parse_datum(werte), strict=True):
        pd.testing.assert_series_equal(schnell, einzeln)
    assert parse_datum(werte)[0].loc[10] == pd.Timestamp(2024, 12, 31) and parse_datum(werte)[1].loc[12]

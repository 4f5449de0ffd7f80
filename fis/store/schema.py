"""The schema: numbered migrations (``migrationen/NNN_name.sql``, applied in order, each once) and the
columns of the tables that DataFrames are inserted into.

A migration is never changed once released; a change of the schema is a new file. The test
``tests/unit/test_store_schema.py`` compares the migrated schema with ``tests/daten/schema.txt``
(regenerate with ``python -m fis.store > tests/daten/schema.txt`` and review the diff).

Units of the stored numbers:
- ``wert.wert``: the indicator value in the indicator's unit (e.g. percent);
  for ratio indicators ``wert = zaehler / nenner * faktor``.
- ``teilergebnisplan.betrag``: euros, signed as in the NKF plan (Erträge
  positive, Aufwendungen negative); ``monat = 0`` is the annual value, 1–12 a
  monthly (not cumulative) amount.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

VERZEICHNIS = Path(__file__).with_name("migrationen")
_KOPF = re.compile(r"--\s*Migration\s+(\d+):\s*(.+)")


def _migrationen() -> tuple[tuple[int, str, str], ...]:
    """(version, name, SQL) of every file, in order; the first line names the migration."""
    out = []
    for datei in sorted(VERZEICHNIS.glob("*.sql")):
        sql = datei.read_text(encoding="utf-8")
        kopf = _KOPF.match(sql.splitlines()[0])
        if not kopf or int(kopf.group(1)) != int(datei.name.split("_", 1)[0]):
            raise RuntimeError(f"Migration {datei.name}: die erste Zeile muss „-- Migration N: Name“ lauten.")
        out.append((int(kopf.group(1)), kopf.group(2).strip(), sql))
    if [v for v, _, _ in out] != list(range(1, len(out) + 1)):
        raise RuntimeError("Die Migrationen sind nicht lückenlos von 1 an nummeriert.")
    return tuple(out)


MIGRATIONS: tuple[tuple[int, str, str], ...] = _migrationen()
LATEST_VERSION = MIGRATIONS[-1][0]

SPALTEN: dict[str, tuple[str, ...]] = {
    "raum": ("raum_id", "gueltig_von", "gueltig_bis", "ebene", "name", "parent_id",
             "geometrie", "flaeche_km2", "lieferung_id"),
    "raum_aenderung": ("alt_id", "neu_id", "stichtag", "art", "anteil"),
    "raum_schliessung": ("raum_id", "gueltig_von", "gueltig_bis", "lieferung_id"),
    "indikator_version": ("indikator_id", "name", "kurzname", "handlungsfeld", "einheit", "definition",
                          "zaehler", "nenner", "aggregation", "faktor", "polaritaet", "quelle",
                          "periodizitaet", "stichtag_regel", "geheimhaltung", "nachkommastellen",
                          "negativ_erlaubt", "gesamtwert", "lieferung_id"),
    "wert": ("raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status",
             "lieferung_id"),
    "ziel": ("ziel_id", "titel", "zielfeld", "zielebene", "parent_id", "beschreibung",
             "kennzahl_art", "indikator_id", "raum_id", "kennzahl_id", "produkt_nr",
             "position_nr", "einheit", "basiswert", "basisjahr", "zielwert", "zieldatum",
             "richtung", "toleranz", "band_unten", "band_oben", "verantwortlich", "massnahmen",
             "beschlossen_von", "beschlossen_am", "band_unten_strikt", "band_oben_strikt"),
    "ziel_soll": ("ziel_id", "jahr", "soll"),
    "ziel_fassung": ("ziel_id", "titel", "zielfeld", "zielebene", "parent_id", "beschreibung",
                     "kennzahl_art", "indikator_id", "raum_id", "kennzahl_id", "produkt_nr",
                     "position_nr", "einheit", "basiswert", "basisjahr", "zielwert", "zieldatum",
                     "richtung", "toleranz", "band_unten", "band_oben", "verantwortlich", "massnahmen",
                     "beschlossen_von", "beschlossen_am", "band_unten_strikt", "band_oben_strikt", "lieferung_id"),
    "ziel_soll_fassung": ("ziel_id", "jahr", "soll", "lieferung_id"),
    "einordnung": ("bezug", "stichtag", "text", "lieferung_id"),
    "gegensteuerung": ("ziel_id", "jahr", "text", "verantwortlich", "termin", "lieferung_id"),
    "prognose_wert": ("raum_id", "merkmal", "merkmal_name", "stichtag", "variante", "wert", "basisjahr",
                      "lieferung_id"),
    "vergleichswert": ("referenz", "art", "gruppe", "indikator_id", "stichtag", "wert", "lieferung_id"),
    "produktbereich": ("nr", "name", "verantwortlich"),
    "produktbereich_fassung": ("nr", "name", "verantwortlich", "lieferung_id"),
    "produktgruppe": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit",
                      "gremium", "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe",
                      "besonderheiten"),
    "produktgruppe_fassung": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit",
                      "gremium", "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe",
                      "besonderheiten", "lieferung_id"),
    "produkt": ("nr", "gruppe_nr", "name", "verantwortlich", "organisationseinheit", "gremium",
                "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
                "rechtsgrundlage"),
    "produkt_fassung": ("nr", "gruppe_nr", "name", "verantwortlich", "organisationseinheit", "gremium",
                "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
                "rechtsgrundlage", "lieferung_id"),
    "produkt_kennzahl": ("kennzahl_id", "nr", "name", "einheit", "art", "polaritaet",
                         "nachkommastellen"),
    "produkt_kennzahl_wert": ("kennzahl_id", "jahr", "wertart", "wert", "lieferung_id"),
    "ergebnisplan_position": ("position_nr", "bezeichnung", "art", "summe_aus"),
    "wirkung_gewicht": ("ziel_id", "gewicht"),
    "wirkung_beitrag": ("produkt_nr", "ziel_id", "beitrag", "beitrag_soll"),
    "sroi_analyse": ("analyse_id", "name", "produkt_nr", "beschreibung", "input_euro", "zinssatz"),
    "sroi_wirkung": ("analyse_id", "nr", "stakeholder", "aktivitaet", "output", "outcome", "indikator", "menge",
                     "proxy", "proxy_quelle", "mitnahme", "zurechnung", "verdraengung", "abnahme", "dauer"),
    "teilergebnisplan": ("produkt_nr", "position_nr", "jahr", "monat", "wertart", "betrag",
                         "lieferung_id"),
    "einrichtung": ("einrichtung_id", "typ", "name", "traeger", "adresse", "lon", "lat", "raum_id", "zielgruppe",
                    "eroeffnet", "geschlossen", "lieferung_id"),
    "einrichtung_kapazitaet": ("einrichtung_id", "kapazitaet", "wert", "lieferung_id"),
    "einrichtung_lage": ("einrichtung_id", "einrichtung_lieferung", "raum_id", "gueltig_von", "raum_lieferung"),
    "massnahme": ("massnahme_id", "titel", "beschreibung", "handlungsfeld", "raeume", "ziele", "produkte", "traeger",
                  "verantwortlich", "beginn", "ende", "status", "haushalt_produkt", "haushalt_position",
                  "lieferung_id"),
    "massnahme_status": ("massnahme_id", "status", "seit", "lieferung_id"),
    "massnahme_jahr": ("massnahme_id", "jahr", "budget_plan", "budget_ist", "teilnehmende", "plaetze", "faelle",
                       "lieferung_id"),
    "massnahme_evaluation": ("massnahme_id", "datum", "methode", "ergebnis", "kennzahlen", "text", "dokument",
                             "lieferung_id"),
    "planungszyklus": ("bereich", "handlungsfeld", "phase", "auftrag_gremium", "auftrag_datum", "drucksache",
                       "fortschreibung_faellig", "verantwortlich", "bemerkung", "lieferung_id"),
    "planungszyklus_phase": ("bereich", "phase", "seit", "lieferung_id"),
    "beteiligung": ("beteiligung_id", "art", "datum", "titel", "raeume", "bereich", "themen", "ergebnisse",
                    "massnahmen", "ziele", "lieferung_id"),
    "beteiligung_teilnehmende": ("beteiligung_id", "gruppe", "anzahl", "lieferung_id"),
    "versorgung_regel": ("indikator_id", "typen", "kapazitaet", "zielgruppe", "zielgruppe_feld", "faktor"),
}


def beschreibung(con: duckdb.DuckDBPyConnection) -> str:
    """The schema as text (tables with their columns and types, views with their SQL, sequences), stable
    across runs: what the snapshot test compares."""
    zeilen = []
    for tabelle, spalte, typ, leer in con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema = 'main') "
            "ORDER BY table_name, ordinal_position").fetchall():
        zeilen.append(f"TABLE {tabelle}.{spalte} {typ}{'' if leer == 'YES' else ' NOT NULL'}")
    for name, sql in con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal "
                                 "AND schema_name = 'main' ORDER BY view_name").fetchall():
        zeilen.append(f"VIEW {name}: " + " ".join(sql.split()))
    for (name,) in con.execute("SELECT sequence_name FROM duckdb_sequences() ORDER BY 1").fetchall():
        zeilen.append(f"SEQUENCE {name}")
    return "\n".join(zeilen) + "\n"


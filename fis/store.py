"""DuckDB store: connection, numbered schema migrations and every SQL statement.

Nothing outside this module writes SQL. Values from users are always bound
parameters; DataFrames are handed to DuckDB by registering them as views.

Units of the stored numbers:
- ``wert.wert``: the indicator value in the indicator's unit (e.g. percent);
  for ratio indicators ``wert = zaehler / nenner * faktor``.
- ``teilergebnisplan.betrag``: euros, signed as in the NKF plan (Erträge
  positive, Aufwendungen negative); ``monat = 0`` is the annual value, 1–12 a
  monthly (not cumulative) amount.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

# --------------------------------------------------------------------------- schema

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "Raum, Indikator, Lieferung, Wert",
        """
        CREATE TABLE IF NOT EXISTS meta (
            schluessel VARCHAR PRIMARY KEY,
            wert VARCHAR NOT NULL
        );
        CREATE SEQUENCE IF NOT EXISTS lieferung_seq START 1;
        CREATE TABLE IF NOT EXISTS lieferung (
            lieferung_id INTEGER PRIMARY KEY,
            art VARCHAR NOT NULL,            -- werte, raeume, katalog, ziele, produkte, haushalt
            bezeichnung VARCHAR NOT NULL,
            dateiname VARCHAR,
            sha256 VARCHAR,
            benutzer VARCHAR NOT NULL,
            zeitpunkt TIMESTAMP NOT NULL,
            quelle VARCHAR,
            anzahl_zeilen INTEGER NOT NULL DEFAULT 0,
            anzahl_neu INTEGER NOT NULL DEFAULT 0,
            anzahl_ersetzt INTEGER NOT NULL DEFAULT 0,
            pruefergebnis VARCHAR,           -- JSON: Prüfbericht der Validierung
            status VARCHAR NOT NULL DEFAULT 'aktiv'
                CHECK (status IN ('aktiv', 'zurückgenommen')),
            zurueckgenommen_am TIMESTAMP,
            zurueckgenommen_von VARCHAR
        );
        CREATE TABLE IF NOT EXISTS raum (
            raum_id VARCHAR NOT NULL,
            gueltig_von DATE NOT NULL,
            gueltig_bis DATE,                -- NULL: gilt bis heute
            ebene SMALLINT NOT NULL CHECK (ebene >= 1),
            name VARCHAR NOT NULL,
            parent_id VARCHAR,
            geometrie VARCHAR,               -- GeoJSON-Geometrie in WGS84 (EPSG:4326)
            flaeche_km2 DOUBLE,
            lieferung_id INTEGER,
            PRIMARY KEY (raum_id, gueltig_von)
        );
        CREATE TABLE IF NOT EXISTS raum_aenderung (
            alt_id VARCHAR NOT NULL,
            neu_id VARCHAR NOT NULL,
            stichtag DATE NOT NULL,          -- erster Tag des neuen Zuschnitts
            art VARCHAR NOT NULL CHECK (art IN ('Teilung', 'Zusammenlegung', 'Grenzänderung', 'Umbenennung')),
            anteil DOUBLE,                   -- Anteil der alten Einheit (Einwohner), falls bekannt
            PRIMARY KEY (alt_id, neu_id)
        );
        CREATE TABLE IF NOT EXISTS indikator (
            indikator_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            kurzname VARCHAR NOT NULL,
            handlungsfeld VARCHAR NOT NULL,
            einheit VARCHAR NOT NULL,
            definition VARCHAR NOT NULL,
            zaehler VARCHAR,
            nenner VARCHAR,
            aggregation VARCHAR NOT NULL CHECK (aggregation IN ('quote', 'summe')),
            faktor DOUBLE NOT NULL DEFAULT 1,
            polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
            quelle VARCHAR NOT NULL,
            periodizitaet VARCHAR NOT NULL,
            stichtag_regel VARCHAR,
            geheimhaltung INTEGER NOT NULL DEFAULT 3,
            nachkommastellen SMALLINT NOT NULL DEFAULT 1
        );
        CREATE TABLE IF NOT EXISTS wert (
            raum_id VARCHAR NOT NULL,
            indikator_id VARCHAR NOT NULL,
            stichtag DATE NOT NULL,
            wert DOUBLE,
            zaehler DOUBLE,
            nenner DOUBLE,
            status VARCHAR NOT NULL CHECK (status IN ('vorläufig', 'endgültig')),
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (raum_id, indikator_id, stichtag, lieferung_id)
        );
        -- The current state: per key the value of the newest delivery that was not rolled back.
        CREATE OR REPLACE VIEW wert_aktuell AS
        SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner,
               w.status, w.lieferung_id
        FROM wert w JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY w.raum_id, w.indikator_id, w.stichtag
            ORDER BY w.lieferung_id DESC) = 1;
        """,
    ),
    (
        2,
        "Zielsystem",
        """
        CREATE TABLE IF NOT EXISTS ziel (
            ziel_id VARCHAR PRIMARY KEY,
            titel VARCHAR NOT NULL,
            zielfeld VARCHAR NOT NULL CHECK (zielfeld IN
                ('Ergebnis/Wirkung', 'Programm/Produkt', 'Prozess/Struktur', 'Ressourcen')),
            zielebene VARCHAR NOT NULL,      -- Leitziel, Produktgruppenziel, Produktziel, Teilziel …
            parent_id VARCHAR,
            beschreibung VARCHAR,
            kennzahl_art VARCHAR CHECK (kennzahl_art IN ('indikator', 'produktkennzahl', 'haushalt')),
            indikator_id VARCHAR,
            raum_id VARCHAR,
            kennzahl_id VARCHAR,             -- produkt_kennzahl
            produkt_nr VARCHAR,              -- Produktbezug (und Haushaltsposition)
            position_nr SMALLINT,            -- Zeile im Teilergebnisplan
            einheit VARCHAR,
            basiswert DOUBLE,
            basisjahr SMALLINT,
            zielwert DOUBLE,
            zieldatum DATE,
            richtung VARCHAR CHECK (richtung IN ('steigern', 'senken', 'halten')),
            toleranz DOUBLE,
            band_unten DOUBLE,
            band_oben DOUBLE,
            verantwortlich VARCHAR,
            massnahmen VARCHAR,
            beschlossen_von VARCHAR,
            beschlossen_am DATE
        );
        CREATE TABLE IF NOT EXISTS ziel_soll (
            ziel_id VARCHAR NOT NULL,
            jahr SMALLINT NOT NULL,
            soll DOUBLE NOT NULL,
            PRIMARY KEY (ziel_id, jahr)
        );
        """,
    ),
    (
        3,
        "Produkthaushalt",
        """
        CREATE TABLE IF NOT EXISTS produktbereich (
            nr VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produktgruppe (
            nr VARCHAR PRIMARY KEY,
            bereich_nr VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR,
            organisationseinheit VARCHAR,
            gremium VARCHAR,
            beschreibung VARCHAR,
            zielsetzung VARCHAR,
            zielerreichung VARCHAR,
            zielgruppe VARCHAR,
            besonderheiten VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produkt (
            nr VARCHAR PRIMARY KEY,
            gruppe_nr VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR,
            organisationseinheit VARCHAR,
            gremium VARCHAR,
            beschreibung VARCHAR,
            zielsetzung VARCHAR,
            zielerreichung VARCHAR,
            zielgruppe VARCHAR,
            besonderheiten VARCHAR,
            rechtsgrundlage VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produkt_kennzahl (
            kennzahl_id VARCHAR PRIMARY KEY,
            nr VARCHAR NOT NULL,             -- Produkt oder Produktgruppe
            name VARCHAR NOT NULL,
            einheit VARCHAR NOT NULL,
            art VARCHAR NOT NULL,            -- Leistungsmenge, Qualität, Wirkung, Finanzen
            polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
            nachkommastellen SMALLINT NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS produkt_kennzahl_wert (
            kennzahl_id VARCHAR NOT NULL,
            jahr SMALLINT NOT NULL,
            wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist')),
            wert DOUBLE NOT NULL,
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (kennzahl_id, jahr, wertart, lieferung_id)
        );
        CREATE TABLE IF NOT EXISTS ergebnisplan_position (
            position_nr SMALLINT PRIMARY KEY,
            bezeichnung VARCHAR NOT NULL,
            art VARCHAR NOT NULL CHECK (art IN ('Ertrag', 'Aufwand', 'Summe')),
            summe_aus VARCHAR               -- bei Summen: Positionsnummern, z. B. '1-9' oder '10,17'
        );
        CREATE TABLE IF NOT EXISTS teilergebnisplan (
            produkt_nr VARCHAR NOT NULL,
            position_nr SMALLINT NOT NULL,
            jahr SMALLINT NOT NULL,
            monat SMALLINT NOT NULL DEFAULT 0 CHECK (monat BETWEEN 0 AND 12),
            wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist', 'Prognose')),
            betrag DOUBLE NOT NULL,
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (produkt_nr, position_nr, jahr, monat, wertart, lieferung_id)
        );
        CREATE OR REPLACE VIEW produkt_kennzahl_aktuell AS
        SELECT k.* FROM produkt_kennzahl_wert k JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY k.kennzahl_id, k.jahr, k.wertart ORDER BY k.lieferung_id DESC) = 1;
        CREATE OR REPLACE VIEW teilergebnisplan_aktuell AS
        SELECT t.* FROM teilergebnisplan t JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY t.produkt_nr, t.position_nr, t.jahr, t.monat, t.wertart
            ORDER BY t.lieferung_id DESC) = 1;
        """,
    ),
    (
        4,
        "Audit-Log",
        """
        CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
        CREATE TABLE IF NOT EXISTS audit_log (
            audit_id INTEGER PRIMARY KEY DEFAULT nextval('audit_seq'),
            zeitpunkt TIMESTAMP NOT NULL,
            benutzer VARCHAR NOT NULL,
            aktion VARCHAR NOT NULL,         -- import, rollback, ziel_geaendert, …
            objekt_typ VARCHAR NOT NULL,
            objekt_id VARCHAR,
            details VARCHAR                  -- JSON
        );
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]

# Columns of the tables that DataFrames are inserted into, in insert order.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "raum": ("raum_id", "gueltig_von", "gueltig_bis", "ebene", "name", "parent_id",
             "geometrie", "flaeche_km2", "lieferung_id"),
    "raum_aenderung": ("alt_id", "neu_id", "stichtag", "art", "anteil"),
    "indikator": ("indikator_id", "name", "kurzname", "handlungsfeld", "einheit", "definition",
                  "zaehler", "nenner", "aggregation", "faktor", "polaritaet", "quelle",
                  "periodizitaet", "stichtag_regel", "geheimhaltung", "nachkommastellen"),
    "wert": ("raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status",
             "lieferung_id"),
    "ziel": ("ziel_id", "titel", "zielfeld", "zielebene", "parent_id", "beschreibung",
             "kennzahl_art", "indikator_id", "raum_id", "kennzahl_id", "produkt_nr",
             "position_nr", "einheit", "basiswert", "basisjahr", "zielwert", "zieldatum",
             "richtung", "toleranz", "band_unten", "band_oben", "verantwortlich", "massnahmen",
             "beschlossen_von", "beschlossen_am"),
    "ziel_soll": ("ziel_id", "jahr", "soll"),
    "produktbereich": ("nr", "name", "verantwortlich"),
    "produktgruppe": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit",
                      "gremium", "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe",
                      "besonderheiten"),
    "produkt": ("nr", "gruppe_nr", "name", "verantwortlich", "organisationseinheit", "gremium",
                "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
                "rechtsgrundlage"),
    "produkt_kennzahl": ("kennzahl_id", "nr", "name", "einheit", "art", "polaritaet",
                         "nachkommastellen"),
    "produkt_kennzahl_wert": ("kennzahl_id", "jahr", "wertart", "wert", "lieferung_id"),
    "ergebnisplan_position": ("position_nr", "bezeichnung", "art", "summe_aus"),
    "teilergebnisplan": ("produkt_nr", "position_nr", "jahr", "monat", "wertart", "betrag",
                         "lieferung_id"),
}


class StoreError(Exception):
    """A store operation failed; the message is German and meant for the user."""


@dataclass(frozen=True)
class Lieferung:
    """Metadata of one delivery as it is recorded before its rows are written."""

    art: str
    bezeichnung: str
    benutzer: str
    dateiname: str | None = None
    sha256: str | None = None
    quelle: str | None = None
    zeitpunkt: datetime | None = None
    pruefergebnis: dict | None = None


class Store:
    """A DuckDB connection (or cursor) with the project's schema and queries."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str | None = None):
        self.con = con
        self.path = path

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Store:
        """Open (and create or upgrade) the database at ``path``; ':memory:' works too."""
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(
                f"Die Datenbank „{path}“ lässt sich nicht öffnen ({exc}). Bitte prüfen, ob die "
                "Datei eine DuckDB-Datenbank ist und kein anderer Prozess (App oder CLI) sie "
                "gerade zum Schreiben geöffnet hat."
            ) from exc
        store = cls(con, path)
        if not read_only:
            store.migrate()
        return store

    def _scalar(self, sql: str, params: list | None = None):
        """First column of the first row (None if no row); the result is fully consumed,
        which DuckDB 2 requires before the next statement on the connection."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def cursor(self) -> Store:
        """A store on a new cursor of the same database, for one thread or session."""
        return Store(self.con.cursor(), self.path)

    def close(self) -> None:
        self.con.close()

    def schema_version(self) -> int:
        exists = self._scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
        if not exists:
            return 0
        return int(self._scalar("SELECT max(version) FROM schema_version") or 0)

    def migrate(self) -> list[int]:
        """Apply all migrations newer than the database; returns the versions applied."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, angewendet_am TIMESTAMP NOT NULL)"
        )
        current = self.schema_version()
        applied = []
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction(bump=False):
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now()]
                )
            applied.append(version)
        return applied

    @contextmanager
    def transaction(self, bump: bool = True) -> Iterator[Store]:
        """All-or-nothing: commit on success, roll back on any exception.

        ``bump`` increments the data version that caches are keyed on.
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
            if bump:
                self._bump_data_version()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _bump_data_version(self) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES ('datenversion', '1') ON CONFLICT (schluessel) "
            "DO UPDATE SET wert = CAST(CAST(meta.wert AS INTEGER) + 1 AS VARCHAR)"
        )
        self.con.execute(
            "INSERT INTO meta VALUES ('datenversion_token', ?) ON CONFLICT (schluessel) "
            "DO UPDATE SET wert = excluded.wert",
            [uuid.uuid4().hex],
        )

    def data_version(self) -> str:
        """A string that changes with every committed write; use it as a cache key.

        Counter plus a random token, so that a database rebuilt from scratch never
        reuses a version an old cache entry was stored under.
        """
        rows = dict(self.con.execute(
            "SELECT schluessel, wert FROM meta "
            "WHERE schluessel IN ('datenversion', 'datenversion_token')"
        ).fetchall())
        return f"{rows.get('datenversion', '0')}-{rows.get('datenversion_token', '')}"

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (schluessel) DO UPDATE SET wert = excluded.wert",
            [key, value],
        )

    def get_meta(self, key: str) -> str | None:
        return self._scalar("SELECT wert FROM meta WHERE schluessel = ?", [key])

    # ------------------------------------------------------------------ generic insert
    def _insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Insert the rows of ``frame`` into ``table`` (columns by name; missing ones NULL)."""
        columns = _COLUMNS[table]
        unknown = set(frame.columns) - set(columns)
        if unknown:
            raise StoreError(f"Unbekannte Spalten für Tabelle {table}: {sorted(unknown)}")
        present = [c for c in columns if c in frame.columns]
        view = f"_einfuegen_{uuid.uuid4().hex}"
        self.con.register(view, frame[present])
        try:
            # Table, view and column names come from this module, never from users.
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(present)}) "
                f"SELECT {', '.join(present)} FROM {view}"
            )
        finally:
            self.con.unregister(view)
        return len(frame)

    # ------------------------------------------------------------------ deliveries
    def insert_lieferung(self, lieferung: Lieferung) -> int:
        """Record a delivery and return its id (call inside a transaction)."""
        lieferung_id = self._scalar("SELECT nextval('lieferung_seq')")
        self.con.execute(
            "INSERT INTO lieferung (lieferung_id, art, bezeichnung, dateiname, sha256, benutzer, "
            "zeitpunkt, quelle, pruefergebnis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                lieferung_id, lieferung.art, lieferung.bezeichnung, lieferung.dateiname,
                lieferung.sha256, lieferung.benutzer, lieferung.zeitpunkt or datetime.now(),
                lieferung.quelle,
                json.dumps(lieferung.pruefergebnis, ensure_ascii=False)
                if lieferung.pruefergebnis is not None else None,
            ],
        )
        return int(lieferung_id)

    def set_lieferung_counts(self, lieferung_id: int, zeilen: int, neu: int, ersetzt: int) -> None:
        self.con.execute(
            "UPDATE lieferung SET anzahl_zeilen = ?, anzahl_neu = ?, anzahl_ersetzt = ? "
            "WHERE lieferung_id = ?",
            [zeilen, neu, ersetzt, lieferung_id],
        )

    def load_lieferungen(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM lieferung ORDER BY lieferung_id"
        ).df()

    def set_lieferung_status(self, lieferung_id: int, status: str, benutzer: str) -> None:
        self.con.execute(
            "UPDATE lieferung SET status = ?, zurueckgenommen_am = ?, zurueckgenommen_von = ? "
            "WHERE lieferung_id = ?",
            [
                status,
                datetime.now() if status == "zurückgenommen" else None,
                benutzer if status == "zurückgenommen" else None,
                lieferung_id,
            ],
        )

    # ------------------------------------------------------------------ Raum
    def insert_raeume(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum", frame)

    def insert_raum_aenderungen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum_aenderung", frame)

    def load_raeume(self, stichtag: date | None = None, ebene: int | None = None,
                    with_geometry: bool = False) -> pd.DataFrame:
        """Raum records, optionally only those valid at ``stichtag`` and of one ``ebene``."""
        geometry = ", geometrie" if with_geometry else ""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id, flaeche_km2"
            f"{geometry} FROM raum "
            "WHERE (CAST(? AS DATE) IS NULL OR (gueltig_von <= ? AND (gueltig_bis IS NULL OR gueltig_bis >= ?))) "
            "AND (CAST(? AS SMALLINT) IS NULL OR ebene = ?) "
            "ORDER BY ebene DESC, raum_id",
            [stichtag, stichtag, stichtag, ebene, ebene],
        ).df()

    def load_raum_aenderungen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM raum_aenderung ORDER BY stichtag, alt_id").df()

    # ------------------------------------------------------------------ Indikator
    def upsert_indikatoren(self, frame: pd.DataFrame) -> int:
        """Insert or replace catalog entries by ``indikator_id``."""
        self.con.execute(
            "DELETE FROM indikator WHERE indikator_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(frame["indikator_id"])],
        )
        return self._insert_frame("indikator", frame)

    def load_indikatoren(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM indikator ORDER BY handlungsfeld, indikator_id").df()

    # ------------------------------------------------------------------ Wert
    def insert_werte(self, frame: pd.DataFrame) -> tuple[int, int]:
        """Insert values of one delivery; returns (new keys, superseded keys)."""
        view = f"_werte_{uuid.uuid4().hex}"
        self.con.register(view, frame[["raum_id", "indikator_id", "stichtag"]])
        try:
            ersetzt = self._scalar(
                f"SELECT count(*) FROM {view} n JOIN wert_aktuell a "
                "USING (raum_id, indikator_id, stichtag)"
            )
        finally:
            self.con.unregister(view)
        self._insert_frame("wert", frame)
        return len(frame) - int(ersetzt), int(ersetzt)

    def load_stichtage(self, indikator_id: str | None = None) -> list[date]:
        rows = self.con.execute(
            "SELECT DISTINCT stichtag FROM wert_aktuell "
            "WHERE CAST(? AS VARCHAR) IS NULL OR indikator_id = ? ORDER BY stichtag",
            [indikator_id, indikator_id],
        ).fetchall()
        return [r[0] for r in rows]

    def load_werte(self, indikator_ids: list[str] | None = None,
                   stichtage: list[date] | None = None,
                   raum_ids: list[str] | None = None) -> pd.DataFrame:
        """Current values (``wert_aktuell``), filtered by the given lists (None: all)."""
        return self.con.execute(
            "SELECT raum_id, indikator_id, stichtag, wert, zaehler, nenner, status, lieferung_id "
            "FROM wert_aktuell "
            "WHERE (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], indikator_id)) "
            "AND (CAST(? AS DATE[]) IS NULL OR list_contains(?::DATE[], stichtag)) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], raum_id)) "
            "ORDER BY indikator_id, stichtag, raum_id",
            [indikator_ids, indikator_ids, stichtage, stichtage, raum_ids, raum_ids],
        ).df()

    def load_wert_historie(self, raum_id: str, indikator_id: str, stichtag: date) -> pd.DataFrame:
        """Every delivered version of one value, newest first, with its delivery."""
        return self.con.execute(
            "SELECT w.*, l.bezeichnung, l.zeitpunkt, l.status AS lieferung_status "
            "FROM wert w JOIN lieferung l USING (lieferung_id) "
            "WHERE w.raum_id = ? AND w.indikator_id = ? AND w.stichtag = ? "
            "ORDER BY w.lieferung_id DESC",
            [raum_id, indikator_id, stichtag],
        ).df()

    # ------------------------------------------------------------------ Ziele
    def insert_ziele(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel", frame)

    def insert_ziel_soll(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel_soll", frame)

    def load_ziele(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM ziel ORDER BY ziel_id").df()

    # ------------------------------------------------------------------ Produkte
    def insert_produktbereiche(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produktbereich", frame)

    def insert_produktgruppen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produktgruppe", frame)

    def insert_produkte(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt", frame)

    def insert_produkt_kennzahlen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt_kennzahl", frame)

    def insert_produkt_kennzahl_werte(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt_kennzahl_wert", frame)

    def insert_ergebnisplan_positionen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ergebnisplan_position", frame)

    def insert_teilergebnisplan(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("teilergebnisplan", frame)

    def load_produkte(self) -> pd.DataFrame:
        """Products with their group and area names (one row per product)."""
        return self.con.execute(
            "SELECT p.*, g.name AS gruppe_name, g.bereich_nr, b.name AS bereich_name "
            "FROM produkt p JOIN produktgruppe g ON p.gruppe_nr = g.nr "
            "JOIN produktbereich b ON g.bereich_nr = b.nr ORDER BY p.nr"
        ).df()

    def load_produktgruppen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM produktgruppe ORDER BY nr").df()

    def load_produktbereiche(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM produktbereich ORDER BY nr").df()

    def load_produkt_kennzahlen(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT k.*, w.jahr, w.wertart, w.wert FROM produkt_kennzahl k "
            "LEFT JOIN produkt_kennzahl_aktuell w USING (kennzahl_id) "
            "ORDER BY k.kennzahl_id, w.jahr, w.wertart"
        ).df()

    def load_ergebnisplan_positionen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM ergebnisplan_position ORDER BY position_nr").df()

    def load_teilergebnisplan(self, produkt_nrs: list[str] | None = None) -> pd.DataFrame:
        return self.con.execute(
            "SELECT produkt_nr, position_nr, jahr, monat, wertart, betrag, lieferung_id "
            "FROM teilergebnisplan_aktuell "
            "WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], produkt_nr) "
            "ORDER BY produkt_nr, jahr, monat, wertart, position_nr",
            [produkt_nrs, produkt_nrs],
        ).df()

    # ------------------------------------------------------------------ audit
    def insert_audit(self, benutzer: str, aktion: str, objekt_typ: str,
                     objekt_id: str | None = None, details: dict | None = None) -> None:
        self.con.execute(
            "INSERT INTO audit_log (zeitpunkt, benutzer, aktion, objekt_typ, objekt_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [datetime.now(), benutzer, aktion, objekt_typ, objekt_id,
             json.dumps(details, ensure_ascii=False, default=str) if details else None],
        )

    def load_audit(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM audit_log ORDER BY audit_id").df()

    # ------------------------------------------------------------------ overview
    def count_rows(self) -> dict[str, int]:
        """Row counts of the main tables (for status displays and the CLI)."""
        tables = ("raum", "indikator", "wert", "lieferung", "ziel", "produkt", "teilergebnisplan",
                  "audit_log")
        return {t: int(self._scalar(f"SELECT count(*) FROM {t}")) for t in tables}

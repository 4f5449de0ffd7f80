"""The connection: opening (waiting for a lock, detecting damage and lost changes), migrations,
transactions, the data version that caches are keyed on, and the generic helpers of every query module."""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from fis.store.schema import LATEST_VERSION, MIGRATIONS, SPALTEN

#: Tables of derived data: the aggregate cube (fis.wuerfel), computed from the deliveries and recomputed when they
#: change; not part of :meth:`Verbindung.content_hash`.
ABGELEITET = frozenset({"wuerfel", "wuerfel_stand"})


class StoreError(Exception):
    """A store operation failed; the message is German and meant for the user."""


class DatenbankBeschaedigt(StoreError):
    """The database file or its write-ahead log is damaged, or committed changes are missing."""


class DatenbankBelegt(StoreError):
    """Another process (an import from the command line, the app) holds the database longer than
    the bounded wait."""


_BESCHAEDIGT = re.compile(r"WAL|corrupt|checksum|INTERNAL|Serialization|not a valid DuckDB|truncated",
                          re.IGNORECASE)

_WIEDERHERSTELLEN = ("So geht es weiter: App und Befehle beenden und die letzte Sicherung zurückspielen: "
                     "python -m fis wiederherstellen SICHERUNG --db {db} (Sicherungen: python -m fis sicherung, "
                     "README „Betrieb“). Die beschädigte Fassung bleibt dabei zur Prüfung erhalten.")


def warten_standard() -> float:
    """Seconds to wait while another process holds the database (FIS_WARTEN_SEKUNDEN, default 60)."""
    try:
        return max(0.0, float(os.environ.get("FIS_WARTEN_SEKUNDEN", "60")))
    except ValueError:
        return 60.0


def versionsdatei(path: str | Path) -> Path:
    """The data-version file beside a database: written after every commit, read without the
    database lock, so that readers in other processes notice a change at once."""
    return Path(f"{path}.datenversion")


def datenversion_lesen(path: str | Path) -> str | None:
    """The data version from the version file (None if there is none or it is unreadable)."""
    try:
        text = versionsdatei(path).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def datenversion_schreiben(path: str | Path, version: str) -> None:
    """Write the version file atomically (a reader sees the old or the new version, never half)."""
    ziel = versionsdatei(path)
    tmp = ziel.with_name(f".{ziel.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(version, encoding="utf-8")
        os.replace(tmp, ziel)
    except OSError:
        tmp.unlink(missing_ok=True)        # a read-only place: readers fall back to the database


def nach_raengen(tabelle: pa.Table, indikator: str, raum: str) -> pd.DataFrame:
    """An Arrow result as pandas, ordered by indicator, Stichtag, level and Raum through the integer ranks in the
    columns ``indikator`` and ``raum`` (dropped), sorted in numpy: ORDER BY over millions of rows and converting
    the sorted result took DuckDB about four times as long for a large city."""
    ordnung = np.lexsort([tabelle[raum].to_numpy(), tabelle["ebene"].to_numpy(),
                          tabelle["stichtag"].cast(pa.int32()).to_numpy(), tabelle[indikator].to_numpy()])
    return tabelle.take(ordnung).drop_columns([indikator, raum]).to_pandas()


class Verbindung:
    """A DuckDB connection (or cursor) with the project's schema; the query modules add to it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str | None = None,
                 nur_veroeffentlicht: bool = False):
        self.con = con
        self.path = path
        # True for Ausschuss and public: every read of values sees published deliveries only.
        self.nur_veroeffentlicht = nur_veroeffentlicht
        self.in_transaktion = False          # inside transaction(): no second one can begin on this connection

    @property
    def _raeume(self) -> str:
        """The Raumgliederung this store may read."""
        return "raum_veroeffentlicht" if self.nur_veroeffentlicht else "raum_aktuell"

    @property
    def _werte(self) -> str:
        """The view values are read from (a name from this module, never from users): the delivered
        values and, where supply indicators are configured, the values computed from the facility register."""
        return self._werte_fuer(None)

    def _werte_fuer(self, indikator_ids: list[str] | None) -> str:
        """:attr:`_werte`, without the computed values when ``indikator_ids`` names none of them."""
        sicht = "veroeffentlicht" if self.nur_veroeffentlicht else "aktuell"
        berechnet = {r[0] for r in self.con.execute("SELECT indikator_id FROM versorgung_regel").fetchall()}
        if berechnet and (indikator_ids is None or berechnet & set(indikator_ids)):
            return f"wert_lesen_{sicht}"
        return f"wert_{sicht}"

    @property
    def _einrichtungen(self) -> str:
        return "einrichtung_veroeffentlicht" if self.nur_veroeffentlicht else "einrichtung_aktuell"

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, warten: float | None = None,
             pruefen: bool = True) -> Self:
        """Open (and create or upgrade) the database at ``path``; ':memory:' works too.

        ``warten``: seconds to wait while another process holds the file (DuckDB allows one
        writing process; the app holds it only while a page reads what is not cached yet), so that
        the app, imports, reports and user administration queue up instead of failing. None:
        FIS_WARTEN_SEKUNDEN (default 60). After that: :class:`DatenbankBelegt` in German.

        A damaged file or write-ahead log, and a database that lacks changes the version file beside it
        recorded as committed (a truncated log replays silently up to the cut), raise
        :class:`DatenbankBeschaedigt` with the recovery step; ``pruefen=False`` skips the latter (restore).
        """
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if not Path(path).exists():
                versionsdatei(path).unlink(missing_ok=True)     # a new database: a version file left over
        warten = warten_standard() if warten is None else warten
        deadline = time.monotonic() + warten
        pause = 0.05
        while True:
            try:
                con = duckdb.connect(path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                belegt = "lock" in str(exc).lower()
                if belegt and time.monotonic() < deadline:
                    time.sleep(pause)
                    pause = min(pause * 1.5, 0.5)
                    continue
                if belegt:
                    raise DatenbankBelegt(
                        f"Die Datenbank ist seit {warten:.0f} Sekunden durch einen anderen Vorgang belegt "
                        "(z. B. einen Import oder Bericht über die Kommandozeile oder eine Übernahme in der App). "
                        "Es wurde nichts verändert; bitte gleich noch einmal versuchen.") from exc
                raise StoreError(
                    f"Die Datenbank „{path}“ lässt sich nicht öffnen ({exc}). Bitte prüfen, ob die "
                    "Datei eine DuckDB-Datenbank ist."
                ) from exc
            except duckdb.Error as exc:
                if isinstance(exc, duckdb.ConnectionException) or not _BESCHAEDIGT.search(str(exc)):
                    raise StoreError(f"Die Datenbank „{path}“ lässt sich nicht öffnen ({exc}).") from exc
                raise DatenbankBeschaedigt(        # e.g. a write-ahead log whose checksums do not match
                    f"Die Datenbank „{path}“ lässt sich nicht öffnen: sie oder ihr Schreibprotokoll („{path}.wal“) "
                    f"ist beschädigt ({str(exc).splitlines()[0][:160]}). Es wurde nichts verändert. "
                    + _WIEDERHERSTELLEN.format(db=path)) from exc
        store = cls(con, path)
        if pruefen and path != ":memory:":
            try:
                store._versionsverlust_pruefen()
            except DatenbankBeschaedigt:
                store.close()
                raise
        if read_only and 0 < store.schema_version() < LATEST_VERSION:
            # an older database read by a newer program: upgrade it once (briefly writable), then read
            store.close()
            try:
                cls.open(path, warten=warten).close()
            except (StoreError, duckdb.Error) as exc:
                raise StoreError(
                    f"Die Datenbank „{path}“ hat einen älteren Aufbau als dieses Programm erwartet und lässt sich "
                    f"nicht aktualisieren ({exc}). Bitte einmal die App oder einen schreibenden Befehl (z. B. "
                    "python -m fis status) mit Schreibrecht auf die Datei starten.") from exc
            return cls.open(path, read_only=True, warten=warten)
        if not read_only:
            store.migrate()
            store._audit_nachtragen()
            if path != ":memory:" and datenversion_lesen(path) is None:
                datenversion_schreiben(path, store.data_version())
        return store

    def _versionsverlust_pruefen(self) -> None:
        """The version file records every committed change; a database behind it lost changes."""
        datei = datenversion_lesen(self.path)
        if not datei or "-" not in datei:
            return
        try:
            erwartet = int(datei.split("-", 1)[0])
            hier = int(self.data_version().split("-", 1)[0])
        except (ValueError, duckdb.Error):
            return
        if hier < erwartet:
            raise DatenbankBeschaedigt(
                f"In der Datenbank „{self.path}“ fehlen bereits übernommene Änderungen: sie steht auf Datenversion "
                f"{hier}, übernommen war schon Version {erwartet}. Vermutlich war ihr Schreibprotokoll („.wal“) "
                "abgeschnitten oder beschädigt. Damit nichts unbemerkt verloren geht, wird sie nicht geöffnet. "
                + _WIEDERHERSTELLEN.format(db=self.path) + " Danach die Lieferungen seit der Sicherung erneut "
                "übernehmen. Wer die ältere Fassung bewusst weiterverwenden will, löscht "
                f"„{versionsdatei(self.path)}“.")

    @property
    def kennung(self) -> str:
        """The same for every store on one database (its file, else its connection)."""
        return str(self.path or id(self.con))

    def _audit_nachtragen(self) -> int:
        """Add the audit entries spooled while the database was busy (:class:`fis.store.audit.AuditAbfragen`
        does; a bare connection has no log to add them to)."""
        return 0

    def checkpoint(self) -> None:
        """Write the write-ahead log into the database file (before copying it)."""
        self.con.execute("CHECKPOINT")

    def _scalar(self, sql: str, params: list | None = None):
        """First column of the first row (None if no row); the result is fully consumed,
        which DuckDB 2 requires before the next statement on the connection."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def cursor(self, nur_veroeffentlicht: bool | None = None) -> Self:
        """A store on a new cursor of the same database, for one thread or session;
        ``nur_veroeffentlicht`` None keeps this store's setting."""
        sicht = self.nur_veroeffentlicht if nur_veroeffentlicht is None else nur_veroeffentlicht
        return type(self)(self.con.cursor(), self.path, sicht)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

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
    def transaction(self, bump: bool = True) -> Iterator[Self]:
        """All-or-nothing: commit on success, roll back on any exception.

        ``bump`` increments the data version that caches are keyed on.
        """
        self.con.execute("BEGIN TRANSACTION")
        self.in_transaktion = True
        try:
            yield self
            if bump:
                self._bump_data_version()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            self.in_transaktion = False
        if bump and self.path and self.path != ":memory:":
            # after the commit: other processes see the new version without taking the database lock
            datenversion_schreiben(self.path, self.data_version())

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

    def _insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Insert the rows of ``frame`` into ``table`` (columns by name; missing ones NULL)."""
        columns = SPALTEN[table]
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

    @contextmanager
    def _registered(self, frame: pd.DataFrame, prefix: str) -> Iterator[str]:
        """``frame`` as a temporary table for several queries: copied into DuckDB once, instead of
        every query scanning the pandas frame again (a third of a large delivery's checking time)."""
        name = f"_{prefix}_{uuid.uuid4().hex}"
        self.con.register(f"{name}_df", frame)
        try:
            self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        finally:
            self.con.unregister(f"{name}_df")
        try:
            yield name
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def content_hash(self, fassung: int = 2) -> str:
        """One hash over the rows of every table but the derived ones (:data:`ABGELEITET`, computed from the
        others): equal hashes, equal contents. Fassung 2 (``"2:…"``) sums DuckDB's hash of every row per table
        in one query (order-free, a few milliseconds); fassung 1 hashed every table's sorted rows as text and
        is kept for backups described with it (:func:`fis.sicherung.pruefen`)."""
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY table_name").fetchall() if r[0] not in ABGELEITET]
        if fassung == 1:
            return "|".join(f"{table}:" + self._scalar(
                f"SELECT md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)), '')) "
                f"FROM {table} t") for table in tables)
        zeilen = self.con.execute(" UNION ALL ".join(
            f"SELECT '{table}', count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {table} t" for table in tables
        )).fetchall() if tables else []
        return "2:" + hashlib.md5("|".join(f"{t}:{n}:{h}" for t, n, h in sorted(zeilen)).encode()).hexdigest()

    def count_rows(self) -> dict[str, int]:
        """Row counts of the main tables (for status displays and the CLI)."""
        tables = ("raum", "indikator", "wert", "lieferung", "ziel", "produkt", "teilergebnisplan",
                  "audit_log")
        return {t: int(self._scalar(f"SELECT count(*) FROM {t}")) for t in tables}

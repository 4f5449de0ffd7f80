"""Indicator values: insert, current and published values, Stichtage, coverage, history."""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from fis.store.verbindung import Verbindung

#: The maintained tables of current values and which deliveries count for each (migration 16).
AKTUELL = {"wert_aktuell": "l.status = 'aktiv'",
           "wert_veroeffentlicht": "l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL"}
_SPALTEN = "w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id"


class WertAbfragen(Verbindung):
    """Indikatorwerte."""

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
        self.insert_werte_roh(frame)
        return len(frame) - int(ersetzt), int(ersetzt)

    def insert_werte_roh(self, frame: pd.DataFrame) -> int:
        """Insert rows of one delivery (``lieferung_id`` in ``frame``) without comparing; the current values
        follow for the keys of ``frame``."""
        n = self._insert_frame("wert", frame)
        ids = sorted({int(i) for i in frame["lieferung_id"].unique()})
        veroeffentlicht = self._scalar("SELECT count(*) FROM lieferung WHERE list_contains(?::INTEGER[], "
                                       "lieferung_id) AND veroeffentlicht_am IS NOT NULL", [ids])
        with self._registered(frame[["raum_id", "indikator_id", "stichtag"]].drop_duplicates(), "_neu") as k:
            # values of an unpublished delivery change only what Planung sees
            self._auffrischen(k, list(AKTUELL) if veroeffentlicht else ["wert_aktuell"],
                              ids[0] if len(ids) == 1 else None)
        return n

    def aktuell_auffrischen(self, lieferung_ids: list[int] | None = None,
                            tabellen: tuple[str, ...] = tuple(AKTUELL)) -> None:
        """Bring the current values (``wert_aktuell``, ``wert_veroeffentlicht`` or the ``tabellen`` named) up to
        date for the keys of ``lieferung_ids`` after their status or publication changed — or for every key
        (None). Call it inside the transaction of that change."""
        if lieferung_ids is None:
            self._auffrischen("(SELECT DISTINCT raum_id, indikator_id, stichtag FROM wert)", list(tabellen))
            return
        ids = [int(i) for i in lieferung_ids]
        name = f"_schluessel_{uuid.uuid4().hex}"
        self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT DISTINCT raum_id, indikator_id, stichtag FROM wert "
                         "WHERE list_contains(?::INTEGER[], lieferung_id)", [ids])
        try:
            self._auffrischen(name, list(tabellen), ids[0] if len(ids) == 1 else None)
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def _auffrischen(self, schluessel: str, tabellen: list[str], lieferung_id: int | None = None) -> None:
        """Recompute the current value of the keys in the relation ``schluessel`` (raum_id, indikator_id,
        stichtag): delete them, insert each key's newest counting row from the history. When the change is
        that of one delivery ``lieferung_id`` that counts for a table and no later delivery holds any of the
        keys (a new delivery, the publication of the newest), its own rows are the current ones — no window
        over the history. The Stichtage of the keys bound every scan (the tables are stored in delivery order,
        so DuckDB skips the row groups of other years)."""
        von, bis = self.con.execute(f"SELECT min(stichtag), max(stichtag) FROM {schluessel}").fetchone()
        if von is None:
            return
        neuer = lieferung_id is not None and self._scalar(
            f"SELECT count(*) FROM wert w JOIN {schluessel} k USING (raum_id, indikator_id, stichtag) "
            "WHERE w.lieferung_id > ? AND w.stichtag BETWEEN ? AND ?", [lieferung_id, von, bis]) > 0
        for tabelle in tabellen:
            self.con.execute(f"DELETE FROM {tabelle} a USING {schluessel} k WHERE a.stichtag BETWEEN ? AND ? "
                             "AND a.raum_id = k.raum_id AND a.indikator_id = k.indikator_id "
                             "AND a.stichtag = k.stichtag", [von, bis])
            zaehlt = lieferung_id is not None and not neuer and self._scalar(
                f"SELECT count(*) FROM lieferung l WHERE l.lieferung_id = ? AND {AKTUELL[tabelle]}", [lieferung_id])
            if zaehlt:
                self.con.execute(
                    f"INSERT INTO {tabelle} SELECT {_SPALTEN} FROM wert w "
                    f"JOIN {schluessel} k USING (raum_id, indikator_id, stichtag) "
                    "WHERE w.lieferung_id = ? AND w.stichtag BETWEEN ? AND ?", [lieferung_id, von, bis])
                continue
            self.con.execute(
                f"INSERT INTO {tabelle} SELECT {_SPALTEN} FROM wert w "
                f"JOIN {schluessel} k USING (raum_id, indikator_id, stichtag) JOIN lieferung l USING (lieferung_id) "
                f"WHERE {AKTUELL[tabelle]} AND w.stichtag BETWEEN ? AND ? "
                "QUALIFY row_number() OVER (PARTITION BY w.raum_id, w.indikator_id, "
                "w.stichtag ORDER BY w.lieferung_id DESC) = 1", [von, bis])

    def lade_stichtage(self, indikator_id: str | None = None) -> list[date]:
        rows = self.con.execute(
            f"SELECT DISTINCT stichtag FROM {self._werte} "
            "WHERE CAST(? AS VARCHAR) IS NULL OR indikator_id = ? ORDER BY stichtag",
            [indikator_id, indikator_id],
        ).fetchall()
        return [r[0] for r in rows]

    def lade_wertebestand(self) -> pd.DataFrame:
        """Which indicator has values at which Stichtag: indikator_id, stichtag, mit_wert (some
        value or numerator delivered). Read from the deliveries directly, without choosing each
        key's current version: a fraction of a second where the current values of a large city take
        seconds. For choosing what to show, not for figures."""
        frame = self.con.execute(
            "WITH b AS (SELECT w.indikator_id, w.stichtag, "
            "    bool_or(w.wert IS NOT NULL OR w.zaehler IS NOT NULL) AS mit_wert "
            "    FROM wert w JOIN lieferung l USING (lieferung_id) "
            "    WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) GROUP BY ALL) "
            # supply indicators have values where their target group has, once the register this store reads
            # has a facility of their types (as in the view versorgung_*)
            "SELECT * FROM b WHERE indikator_id NOT IN (SELECT indikator_id FROM versorgung_regel) "
            "UNION ALL SELECT g.indikator_id, b.stichtag, b.mit_wert FROM versorgung_regel g "
            "    JOIN b ON b.indikator_id = g.zielgruppe "
            f"    WHERE EXISTS (SELECT 1 FROM {self._einrichtungen} x WHERE list_contains(g.typen, x.typ)) "
            "ORDER BY ALL", [self.nur_veroeffentlicht]).df()
        frame["stichtag"] = pd.to_datetime(frame["stichtag"]).dt.date
        return frame

    def lade_abdeckung(self, indikator_ids: list[str], einwohner_indikator: str | None = None,
                       mindest_einwohner: int | None = None) -> pd.DataFrame:
        """Per Stichtag and indicator of ``indikator_ids``: how many Sozialräume (level 1) valid at
        the Stichtag have a current value (``geliefert``, a delivered row, even an empty one),
        how many have none but fewer inhabitants than ``mindest_einwohner`` (``klein``: suppressed
        anyway) and how many are valid (``erwartet``); every Stichtag with any value is listed.
        ``offen``: current values at the Stichtag (any indicator) from unpublished deliveries."""
        sicht = self._werte
        tage = self.con.execute(
            "SELECT DISTINCT w.stichtag FROM wert w JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) ORDER BY 1",
            [self.nur_veroeffentlicht]).df()
        if tage.empty:
            return pd.DataFrame(columns=["stichtag", "indikator_id", "geliefert", "klein", "erwartet", "offen"])
        t = f"_tage_{uuid.uuid4().hex}"
        self.con.register(t, tage)
        try:
            frame = self.con.execute(
                f"WITH eins AS (SELECT t.stichtag, r.raum_id FROM {t} t JOIN {self._raeume} r "
                "    ON r.ebene = 1 AND r.gueltig_von <= t.stichtag "
                "    AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= t.stichtag)), "
                "kern AS (SELECT unnest(?::VARCHAR[]) AS indikator_id), "
                f"w AS (SELECT raum_id, indikator_id, stichtag FROM {sicht} "
                "    WHERE list_contains(?::VARCHAR[], indikator_id)), "
                f"ew AS (SELECT raum_id, stichtag, wert FROM {sicht} WHERE indikator_id = ?) "
                "SELECT e.stichtag, k.indikator_id, count(w.raum_id) AS geliefert, "
                "    count(*) FILTER (WHERE w.raum_id IS NULL AND ew.wert < ?) AS klein, "
                "    count(*) AS erwartet "
                "FROM eins e CROSS JOIN kern k "
                "LEFT JOIN w ON w.raum_id = e.raum_id AND w.stichtag = e.stichtag AND w.indikator_id = k.indikator_id "
                "LEFT JOIN ew ON ew.raum_id = e.raum_id AND ew.stichtag = e.stichtag "
                "GROUP BY ALL ORDER BY ALL",
                [list(indikator_ids), list(indikator_ids), einwohner_indikator, mindest_einwohner]).df()
            # values of unpublished deliveries that no later active delivery replaced
            offen = self.con.execute(
                "SELECT w.stichtag, count(*) AS offen FROM wert w JOIN lieferung l USING (lieferung_id) "
                "WHERE NOT ? AND l.status = 'aktiv' AND l.veroeffentlicht_am IS NULL AND NOT EXISTS ("
                "  SELECT 1 FROM wert n JOIN lieferung m USING (lieferung_id) WHERE m.status = 'aktiv' "
                "  AND n.raum_id = w.raum_id AND n.indikator_id = w.indikator_id AND n.stichtag = w.stichtag "
                "  AND n.lieferung_id > w.lieferung_id) GROUP BY 1", [self.nur_veroeffentlicht]).df()
        finally:
            self.con.unregister(t)
        alle = tage.merge(frame, on="stichtag", how="left").merge(offen, on="stichtag", how="left")
        for col in ("geliefert", "klein", "erwartet", "offen"):
            alle[col] = alle[col].fillna(0).astype(int)
        alle["stichtag"] = pd.to_datetime(alle["stichtag"]).dt.date
        return alle[["stichtag", "indikator_id", "geliefert", "klein", "erwartet", "offen"]]

    def lade_werte(self, indikator_ids: list[str] | None = None,
                   stichtage: list[date] | None = None,
                   raum_ids: list[str] | None = None) -> pd.DataFrame:
        """Current values (``wert_aktuell``; ``wert_veroeffentlicht`` for a public store),
        filtered by the given lists (None: all); ``veroeffentlicht``: the value's delivery is published."""
        return self.con.execute(
            "SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            f"FROM {self._werte_fuer(indikator_ids)} w JOIN lieferung l USING (lieferung_id) "
            "WHERE (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], w.indikator_id)) "
            "AND (CAST(? AS DATE[]) IS NULL OR list_contains(?::DATE[], w.stichtag)) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], w.raum_id)) "
            "ORDER BY w.indikator_id, w.stichtag, w.raum_id",
            [indikator_ids, indikator_ids, stichtage, stichtage, raum_ids, raum_ids],
        ).df()

    def lade_wert_historie(self, raum_id: str, indikator_id: str, stichtag: date) -> pd.DataFrame:
        """Every delivered version of one value, newest first, with its delivery."""
        return self.con.execute(
            "SELECT w.*, l.bezeichnung, l.zeitpunkt, l.status AS lieferung_status, l.veroeffentlicht_am "
            "FROM wert w JOIN lieferung l USING (lieferung_id) "
            "WHERE w.raum_id = ? AND w.indikator_id = ? AND w.stichtag = ? "
            "AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "ORDER BY w.lieferung_id DESC",
            [raum_id, indikator_id, stichtag, self.nur_veroeffentlicht],
        ).df()

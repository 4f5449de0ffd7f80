"""Goals, their annual Soll values and versions, and the planners' Einordnung texts."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis.store.verbindung import Verbindung


class ZielAbfragen(Verbindung):
    """Ziele und Einordnungen."""

    def insert_ziele(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel", frame)

    def insert_ziel_soll(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel_soll", frame)

    def lade_ziele(self) -> pd.DataFrame:
        """The goals; for a public store each in the version of its last published delivery (a goal
        delivered but not yet published is not there)."""
        if self.nur_veroeffentlicht:
            return self.con.execute(
                "SELECT * EXCLUDE (lieferung_id) FROM ziel_veroeffentlicht ORDER BY ziel_id").df()
        return self.con.execute("SELECT * FROM ziel ORDER BY ziel_id").df()

    def upsert_ziele(self, frame: pd.DataFrame, soll: pd.DataFrame | None = None,
                     lieferung_id: int | None = None) -> None:
        """Replace the goals of ``frame`` (by ziel_id) and their annual Soll values; insert
        new ones; keep them as a version of ``lieferung_id`` (None: the newest goals delivery), which
        the public sees once that delivery is published. Call inside a transaction."""
        if lieferung_id is None:
            lieferung_id = self._scalar("SELECT max(lieferung_id) FROM lieferung WHERE art = 'ziele'") or 0
        for zid in frame["ziel_id"]:
            self.con.execute("DELETE FROM ziel WHERE ziel_id = ?", [zid])
            self.con.execute("DELETE FROM ziel_soll WHERE ziel_id = ?", [zid])
        self._insert_frame("ziel", frame)
        self._insert_frame("ziel_fassung", frame.assign(lieferung_id=lieferung_id))
        if soll is not None and len(soll):
            self._insert_frame("ziel_soll", soll)
            self._insert_frame("ziel_soll_fassung", soll.assign(lieferung_id=lieferung_id))

    def loesche_ziel(self, ziel_id: str, lieferung_id: int) -> None:
        """Remove a goal and its Soll values; its last version becomes an empty one of ``lieferung_id`` (the public
        sees the goal until that delivery is published). Call inside a transaction."""
        self.con.execute("DELETE FROM ziel_soll WHERE ziel_id = ?", [ziel_id])
        self.con.execute("DELETE FROM ziel WHERE ziel_id = ?", [ziel_id])
        self.con.execute("INSERT INTO ziel_fassung (ziel_id, lieferung_id) VALUES (?, ?)", [ziel_id, lieferung_id])

    def insert_einordnung(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("einordnung", frame)

    def lade_einordnungen(self, stichtag: date | None = None) -> pd.DataFrame:
        """The current Einordnung per reference and Stichtag (newest active delivery; published ones only
        for a public store), with who wrote it and when: bezug, stichtag, text, lieferung_id, benutzer,
        zeitpunkt, veroeffentlicht. Withdrawn ones (empty text) are left out."""
        frame = self.con.execute(
            "SELECT e.bezug, e.stichtag, e.text, e.lieferung_id, l.benutzer, l.zeitpunkt, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            "FROM einordnung e JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "AND (CAST(? AS DATE) IS NULL OR e.stichtag = ?) "
            "QUALIFY row_number() OVER (PARTITION BY e.bezug, e.stichtag ORDER BY e.lieferung_id DESC) = 1 "
            "ORDER BY e.bezug, e.stichtag", [self.nur_veroeffentlicht, stichtag, stichtag]).df()
        if len(frame):
            frame["stichtag"] = pd.to_datetime(frame["stichtag"]).dt.date
        return frame[frame["text"].str.strip() != ""].reset_index(drop=True)

    def lade_ziel_soll(self) -> pd.DataFrame:
        if self.nur_veroeffentlicht:
            return self.con.execute(
                "SELECT s.ziel_id, s.jahr, s.soll FROM ziel_soll_fassung s JOIN ziel_veroeffentlicht z "
                "USING (ziel_id, lieferung_id) ORDER BY s.ziel_id, s.jahr").df()
        return self.con.execute("SELECT ziel_id, jahr, soll FROM ziel_soll ORDER BY ziel_id, jahr").df()

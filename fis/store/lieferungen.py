"""Deliveries: the register of every delivery, its status and publication, what a rollback would do,
and the saved column mappings of uploads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from fis.store.verbindung import Verbindung


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


class LieferungAbfragen(Verbindung):
    """Lieferungsregister, Rücknahme und Spaltenzuordnungen."""

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

    def lade_lieferungen(self) -> pd.DataFrame:
        """The delivery register (only published deliveries for a public store)."""
        return self.con.execute(
            "SELECT * FROM lieferung WHERE NOT ? OR veroeffentlicht_am IS NOT NULL ORDER BY lieferung_id",
            [self.nur_veroeffentlicht],
        ).df()

    def lade_lieferung(self, lieferung_id: int) -> dict | None:
        frame = self.con.execute("SELECT * FROM lieferung WHERE lieferung_id = ?", [lieferung_id]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def lade_letzte_lieferung(self, stichtag: date) -> dict | None:
        """The newest active values delivery (published only, for a public store) with values at
        ``stichtag``: bezeichnung, zeitpunkt, veroeffentlicht_am; None if there is none."""
        frame = self.con.execute(
            "SELECT l.lieferung_id, l.bezeichnung, l.zeitpunkt, l.veroeffentlicht_am FROM lieferung l "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) AND EXISTS ("
            "  SELECT 1 FROM wert w WHERE w.lieferung_id = l.lieferung_id AND w.stichtag = ?) "
            "ORDER BY l.lieferung_id DESC LIMIT 1", [self.nur_veroeffentlicht, stichtag]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def find_lieferungen_by_sha256(self, sha256: str) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM lieferung WHERE sha256 = ? ORDER BY lieferung_id", [sha256]).df()

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
        self.aktuell_auffrischen([lieferung_id])

    def set_lieferung_veroeffentlicht(self, lieferung_id: int, benutzer: str,
                                      zeitpunkt: datetime | None = None) -> None:
        self.con.execute(
            "UPDATE lieferung SET veroeffentlicht_am = ?, veroeffentlicht_von = ? WHERE lieferung_id = ?",
            [zeitpunkt or datetime.now(), benutzer, lieferung_id],
        )
        self.aktuell_auffrischen([lieferung_id], ("wert_veroeffentlicht",))   # Planung's view is unchanged

    def alle_veroeffentlichen(self, benutzer: str, zeitpunkt: datetime | None = None) -> None:
        """Publish every delivery not yet published (a benchmark or a migration of old data)."""
        self.con.execute("UPDATE lieferung SET veroeffentlicht_am = ?, veroeffentlicht_von = ? "
                         "WHERE veroeffentlicht_am IS NULL", [zeitpunkt or datetime.now(), benutzer])
        self.aktuell_auffrischen()

    def rueckname_wirkung(self, lieferung_id: int) -> dict[str, int]:
        """What rolling back a delivery would do to the current values: how many keys
        fall back to an earlier delivery, how many disappear, how many are not current anyway."""
        rows = self.con.execute(
            "WITH k AS (SELECT raum_id, indikator_id, stichtag FROM wert WHERE lieferung_id = ?), "
            "aktuell AS (SELECT k.*, a.lieferung_id AS aktuell FROM k LEFT JOIN wert_aktuell a "
            "  USING (raum_id, indikator_id, stichtag)), "
            "frueher AS (SELECT k.raum_id, k.indikator_id, k.stichtag, max(w.lieferung_id) AS vorher "
            "  FROM k JOIN wert w USING (raum_id, indikator_id, stichtag) JOIN lieferung l USING (lieferung_id) "
            "  WHERE l.status = 'aktiv' AND w.lieferung_id <> ? GROUP BY ALL) "
            "SELECT count(*) FILTER (WHERE a.aktuell = ? AND f.vorher IS NOT NULL), "
            "       count(*) FILTER (WHERE a.aktuell = ? AND f.vorher IS NULL), "
            "       count(*) FILTER (WHERE a.aktuell IS DISTINCT FROM ?) "
            "FROM aktuell a LEFT JOIN frueher f USING (raum_id, indikator_id, stichtag)",
            [lieferung_id, lieferung_id, lieferung_id, lieferung_id, lieferung_id]).fetchall()[0]
        return {"frueherer_stand": int(rows[0]), "entfallen": int(rows[1]), "nicht_aktuell": int(rows[2])}

    def _abhaengige_zaehlen(self) -> dict:
        """Current values without a valid area (at their Stichtag) or without a catalog entry, with the
        deliveries holding them; the catalog's and the Raumgliederung's size."""
        waisen = self.con.execute(
            "SELECT w.lieferung_id, count(*) FROM wert_aktuell w WHERE NOT EXISTS (SELECT 1 FROM raum_aktuell r "
            "  WHERE r.raum_id = w.raum_id AND r.gueltig_von <= w.stichtag "
            "  AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= w.stichtag)) GROUP BY 1").fetchall()
        ohne = self.con.execute(
            "SELECT w.lieferung_id, count(*) FROM wert_aktuell w "
            "WHERE w.indikator_id NOT IN (SELECT indikator_id FROM indikator) GROUP BY 1").fetchall()
        return {"waisen": dict(waisen), "ohne_katalog": dict(ohne),
                "indikatoren": self._scalar("SELECT count(*) FROM indikator"),
                "raeume": self._scalar("SELECT count(DISTINCT raum_id) FROM raum_aktuell")}

    def rueckname_abhaengige(self, lieferung_ids: list[int]) -> dict:
        """What rolling back ``lieferung_ids`` would do to what depends on them, computed by rolling them
        back inside a transaction that is then undone: values left without a valid area or without a
        catalog entry (``waisen``/``ohne_katalog``: per other delivery holding them, only those that the
        rollback creates), indicators and areas that disappear."""
        vorher = self._abhaengige_zaehlen()
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("UPDATE lieferung SET status = 'zurückgenommen' WHERE list_contains(?::INTEGER[], "
                             "lieferung_id)", [list(map(int, lieferung_ids))])
            self.aktuell_auffrischen(list(lieferung_ids))
            nachher = self._abhaengige_zaehlen()
        finally:
            self.con.execute("ROLLBACK")

        def neu(art: str) -> dict[int, int]:
            return {int(k): int(v - vorher[art].get(k, 0)) for k, v in nachher[art].items()
                    if v > vorher[art].get(k, 0) and int(k) not in lieferung_ids}

        return {"waisen": neu("waisen"), "ohne_katalog": neu("ohne_katalog"),
                "indikatoren_entfallen": int(vorher["indikatoren"] - nachher["indikatoren"]),
                "raeume_entfallen": int(vorher["raeume"] - nachher["raeume"])}

    def save_zuordnung(self, name: str, signatur: str, inhalt: dict, benutzer: str) -> None:
        self.con.execute(
            "INSERT INTO zuordnung VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "signatur = excluded.signatur, inhalt = excluded.inhalt, benutzer = excluded.benutzer, "
            "aktualisiert = excluded.aktualisiert",
            [name, signatur, json.dumps(inhalt, ensure_ascii=False), benutzer, datetime.now()])

    def lade_zuordnungen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM zuordnung ORDER BY aktualisiert DESC").df()

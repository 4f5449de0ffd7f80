"""Planungszyklus, Beteiligung (migration 19) and the Gegensteuerung of deviating goals (migration 18)."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung


class PlanungAbfragen(Verbindung):
    """Planungszyklus, Beteiligung, Gegensteuerung."""

    def insert_gegensteuerung(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("gegensteuerung", frame)

    def lade_gegensteuerung(self, jahr: int | None = None) -> pd.DataFrame:
        """The current Gegensteuerung per goal and year (newest active delivery; public store: published ones),
        with who wrote it and when; withdrawn ones (empty text) are left out."""
        frame = self.con.execute(
            "SELECT g.ziel_id, g.jahr, g.text, g.verantwortlich, g.termin, g.lieferung_id, l.benutzer, l.zeitpunkt, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht FROM gegensteuerung g JOIN lieferung l "
            "USING (lieferung_id) WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "AND (CAST(? AS INTEGER) IS NULL OR g.jahr = ?) "
            "QUALIFY row_number() OVER (PARTITION BY g.ziel_id, g.jahr ORDER BY g.lieferung_id DESC) = 1 "
            "ORDER BY g.ziel_id, g.jahr", [self.nur_veroeffentlicht, jahr, jahr]).df()
        return frame[frame["text"].str.strip() != ""].reset_index(drop=True)

    def insert_planung(self, zyklus: pd.DataFrame, phasen: pd.DataFrame, beteiligung: pd.DataFrame,
                       teilnehmende: pd.DataFrame) -> None:
        """Insert the versions of one Planungszyklus/Beteiligung delivery; call inside a transaction."""
        for tabelle, frame in (("planungszyklus", zyklus), ("planungszyklus_phase", phasen),
                               ("beteiligung", beteiligung), ("beteiligung_teilnehmende", teilnehmende)):
            if len(frame):
                self._insert_frame(tabelle, frame)

    def lade_planungszyklus(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The current version per bereich (public: published) and its phase history."""
        sicht = "planungszyklus_veroeffentlicht" if self.nur_veroeffentlicht else "planungszyklus_aktuell"
        zyklus = self.con.execute(f"SELECT * FROM {sicht} ORDER BY bereich").df()
        phasen = self.con.execute(
            f"SELECT p.bereich, p.phase, p.seit FROM planungszyklus_phase p JOIN {sicht} z "
            "USING (bereich, lieferung_id) ORDER BY p.bereich, p.seit").df()
        return zyklus, phasen

    def lade_beteiligung(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The current version per event (public: published) and its participants per group."""
        sicht = "beteiligung_veroeffentlicht" if self.nur_veroeffentlicht else "beteiligung_aktuell"
        b = self.con.execute(f"SELECT * FROM {sicht} ORDER BY datum DESC, beteiligung_id").df()
        t = self.con.execute(
            f"SELECT t.beteiligung_id, t.gruppe, t.anzahl FROM beteiligung_teilnehmende t JOIN {sicht} b "
            "USING (beteiligung_id, lieferung_id) ORDER BY t.beteiligung_id, t.gruppe").df()
        return b, t

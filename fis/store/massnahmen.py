"""The Maßnahmenregister: versions of measures with status history, annual budget and output figures and
evaluations (migration 17)."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung


class MassnahmeAbfragen(Verbindung):
    """Maßnahmen."""

    @property
    def _massnahmen(self) -> str:
        return "massnahme_veroeffentlicht" if self.nur_veroeffentlicht else "massnahme_aktuell"

    def insert_massnahmen(self, massnahmen: pd.DataFrame, status: pd.DataFrame, jahre: pd.DataFrame,
                          evaluationen: pd.DataFrame) -> int:
        """Insert the versions of one delivery (``lieferung_id`` in every frame); call inside a transaction."""
        for tabelle, frame in (("massnahme_status", status), ("massnahme_jahr", jahre),
                               ("massnahme_evaluation", evaluationen)):
            if len(frame):
                self._insert_frame(tabelle, frame)
        return self._insert_frame("massnahme", massnahmen)

    def lade_massnahmen(self) -> pd.DataFrame:
        """The current register (public store: published versions only) with ``veroeffentlicht`` and the
        delivery's ``zeitpunkt`` and ``benutzer`` (who changed it last, when)."""
        return self.con.execute(
            f"SELECT m.*, l.zeitpunkt, l.benutzer FROM {self._massnahmen} m JOIN lieferung l USING (lieferung_id) "
            "ORDER BY m.massnahme_id").df()

    def _kinder(self, tabelle: str, ordnung: str) -> pd.DataFrame:
        return self.con.execute(
            f"SELECT k.* EXCLUDE (lieferung_id) FROM {tabelle} k "
            f"JOIN {self._massnahmen} m USING (massnahme_id, lieferung_id) ORDER BY k.massnahme_id, {ordnung}").df()

    def lade_massnahme_status(self) -> pd.DataFrame:
        """Status history of the current versions: massnahme_id, status, seit."""
        return self._kinder("massnahme_status", "k.seit, k.status")

    def lade_massnahme_jahre(self) -> pd.DataFrame:
        """Budget and output figures per year of the current versions."""
        return self._kinder("massnahme_jahr", "k.jahr")

    def lade_massnahme_evaluationen(self) -> pd.DataFrame:
        """Evaluations of the current versions, oldest first."""
        return self._kinder("massnahme_evaluation", "k.datum")

    def lade_massnahme_fassungen(self, massnahme_id: str) -> pd.DataFrame:
        """Every active version of one measure (newest first) with its delivery: who, when, published."""
        return self.con.execute(
            "SELECT m.lieferung_id, l.zeitpunkt, l.benutzer, l.bezeichnung, m.status, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht FROM massnahme m JOIN lieferung l "
            "USING (lieferung_id) WHERE l.status = 'aktiv' AND m.massnahme_id = ? AND (NOT ? OR "
            "l.veroeffentlicht_am IS NOT NULL) ORDER BY m.lieferung_id DESC",
            [massnahme_id, self.nur_veroeffentlicht]).df()

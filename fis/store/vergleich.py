"""Vergleichswerte of external references (fis.vergleichswerte)."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung


class VergleichAbfragen(Verbindung):
    """Vergleichswerte."""

    def insert_vergleichswerte(self, frame: pd.DataFrame) -> int:
        """Rows with the columns of ``vergleichswert`` (``lieferung_id`` included)."""
        return self._insert_frame("vergleichswert", frame)

    def lade_vergleichswerte(self, indikatoren: list[str] | None = None) -> pd.DataFrame:
        """The current value per reference, indicator and Stichtag (newest active delivery; a public store: the
        newest published one): referenz, art, gruppe, indikator_id, stichtag, wert, lieferung_id."""
        return self.con.execute(
            "SELECT v.referenz, v.art, v.gruppe, v.indikator_id, v.stichtag, v.wert, v.lieferung_id "
            "FROM vergleichswert v JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(CAST(? AS VARCHAR[]), v.indikator_id)) "
            "QUALIFY row_number() OVER (PARTITION BY v.referenz, v.indikator_id, v.stichtag "
            "ORDER BY v.lieferung_id DESC) = 1 ORDER BY v.indikator_id, v.art, v.referenz, v.stichtag",
            [self.nur_veroeffentlicht, indikatoren, indikatoren]).df()

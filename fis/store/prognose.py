"""Projected values of a Bevölkerungsvorausberechnung (fis.prognose, fis.ingest.prognosen)."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung


class PrognoseAbfragen(Verbindung):
    """Prognosen."""

    def insert_prognosen(self, frame: pd.DataFrame) -> int:
        """Rows with the columns of ``prognose_wert`` (``lieferung_id`` included)."""
        return self._insert_frame("prognose_wert", frame)

    def lade_prognosen(self, raum_ids: list[str] | None = None) -> pd.DataFrame:
        """The current projected value per area, Merkmal, Stichtag and variant (newest active delivery; a public
        store: the newest published one): raum_id, merkmal, merkmal_name, stichtag, variante, wert, basisjahr,
        lieferung_id."""
        return self.con.execute(
            "SELECT p.* FROM prognose_wert p JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(CAST(? AS VARCHAR[]), p.raum_id)) "
            "QUALIFY row_number() OVER (PARTITION BY p.raum_id, p.merkmal, p.stichtag, p.variante "
            "ORDER BY p.lieferung_id DESC) = 1 ORDER BY p.raum_id, p.merkmal, p.variante, p.stichtag",
            [self.nur_veroeffentlicht, raum_ids, raum_ids]).df()

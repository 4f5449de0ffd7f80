"""The indicator catalog and its versions."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung


class KatalogAbfragen(Verbindung):
    """Indikatorenkatalog."""

    def upsert_indikatoren(self, frame: pd.DataFrame) -> int:
        """Add catalog versions (``lieferung_id`` in ``frame``); the newest active one is current."""
        return self._insert_frame("indikator_version", frame)

    def lade_indikator_versionen(self, indikator_id: str | None = None) -> pd.DataFrame:
        """Every version of catalog entries, newest first, with the delivery's status."""
        return self.con.execute(
            "SELECT v.*, l.bezeichnung, l.zeitpunkt, l.benutzer, "
            "coalesce(l.status, 'aktiv') AS lieferung_status "
            "FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id) "
            "WHERE CAST(? AS VARCHAR) IS NULL OR v.indikator_id = ? "
            "ORDER BY v.indikator_id, v.lieferung_id DESC",
            [indikator_id, indikator_id],
        ).df()

    def lade_indikatoren(self) -> pd.DataFrame:
        """The current catalog; for a public store the one of the last published catalog deliveries."""
        sicht = "indikator_veroeffentlicht" if self.nur_veroeffentlicht else "indikator"
        return self.con.execute(f"SELECT * FROM {sicht} ORDER BY handlungsfeld, indikator_id").df()

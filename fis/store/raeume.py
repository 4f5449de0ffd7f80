"""The Raumgliederung: versioned area records, closures and changes."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis.store.verbindung import Verbindung


class RaumAbfragen(Verbindung):
    """Raumgliederung."""

    def insert_raeume(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum", frame)

    def insert_raum_aenderungen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum_aenderung", frame)

    def lade_raeume(self, stichtag: date | None = None, ebene: int | None = None,
                    with_geometry: bool = False) -> pd.DataFrame:
        """Raum records, optionally only those valid at ``stichtag`` and of one ``ebene``; for a public
        store those of published deliveries."""
        geometry = ", geometrie" if with_geometry else ""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id, flaeche_km2"
            f"{geometry} FROM {self._raeume} "
            "WHERE (CAST(? AS DATE) IS NULL OR (gueltig_von <= ? AND (gueltig_bis IS NULL OR gueltig_bis >= ?))) "
            "AND (CAST(? AS SMALLINT) IS NULL OR ebene = ?) "
            "ORDER BY ebene DESC, raum_id",
            [stichtag, stichtag, stichtag, ebene, ebene],
        ).df()

    def insert_raum_schliessungen(self, frame: pd.DataFrame) -> int:
        """End the validity of Raum records (raum_id, gueltig_von, gueltig_bis, lieferung_id)."""
        return self._insert_frame("raum_schliessung", frame)

    def lade_raum_lieferung(self, lieferung_id: int) -> pd.DataFrame:
        """The Raum records one delivery brought (without geometry)."""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id, flaeche_km2 "
            "FROM raum WHERE lieferung_id = ? ORDER BY raum_id", [lieferung_id]).df()

    def lade_raum_aenderungen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM raum_aenderung ORDER BY stichtag, alt_id").df()

    def lade_raum_versionen(self, ebene: int = 1) -> pd.DataFrame:
        """Every stored record of one level with its geometry, rolled back or not (raum_lieferung 0: none)."""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, coalesce(lieferung_id, 0) AS raum_lieferung, geometrie FROM raum "
            "WHERE ebene = ? AND geometrie IS NOT NULL ORDER BY ALL", [ebene]).df()

"""The facility register: versions, capacities, location per area version, supply rules."""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from fis.store.schema import SPALTEN
from fis.store.verbindung import Verbindung


class EinrichtungAbfragen(Verbindung):
    """Einrichtungsregister."""

    def insert_einrichtungen(self, einrichtungen: pd.DataFrame, kapazitaeten: pd.DataFrame) -> int:
        """Insert the facility versions and capacities of one delivery (``lieferung_id`` in both frames)."""
        self._insert_frame("einrichtung_kapazitaet", kapazitaeten)
        return self._insert_frame("einrichtung", einrichtungen)

    def insert_einrichtung_lage(self, frame: pd.DataFrame) -> int:
        """Point-in-polygon results (columns of ``einrichtung_lage``); pairs already known are skipped."""
        if frame.empty:
            return 0
        view = f"_lage_{uuid.uuid4().hex}"
        self.con.register(view, frame[list(SPALTEN["einrichtung_lage"])])
        try:
            self.con.execute(f"INSERT OR IGNORE INTO einrichtung_lage SELECT * FROM {view}")
        finally:
            self.con.unregister(view)
        return len(frame)

    def replace_versorgung_regeln(self, frame: pd.DataFrame) -> None:
        self.con.execute("DELETE FROM versorgung_regel")
        if len(frame):
            self._insert_frame("versorgung_regel", frame)

    def lade_versorgung_regeln(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM versorgung_regel ORDER BY indikator_id").df()

    def lade_einrichtungen(self, stichtag: date | None = None) -> pd.DataFrame:
        """The current facility register (public store: published deliveries), optionally only the
        facilities open at ``stichtag``; with the delivery's publication state."""
        return self.con.execute(
            "SELECT e.*, l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            f"FROM {self._einrichtungen} e JOIN lieferung l USING (lieferung_id) "
            "WHERE CAST(? AS DATE) IS NULL OR ((e.eroeffnet IS NULL OR e.eroeffnet <= ?) "
            "AND (e.geschlossen IS NULL OR e.geschlossen > ?)) ORDER BY e.typ, e.name, e.einrichtung_id",
            [stichtag, stichtag, stichtag]).df()

    def lade_einrichtung_kapazitaeten(self) -> pd.DataFrame:
        """Capacities of the current facility versions: einrichtung_id, kapazitaet, wert."""
        return self.con.execute(
            "SELECT k.einrichtung_id, k.kapazitaet, k.wert FROM einrichtung_kapazitaet k "
            f"JOIN {self._einrichtungen} e USING (einrichtung_id, lieferung_id) ORDER BY ALL").df()

    def lade_einrichtung_raeume(self, stichtag: date) -> pd.DataFrame:
        """Per current facility, the Sozialraum (level 1) it lies in at ``stichtag``: einrichtung_id, raum_id."""
        return self.con.execute(
            f"WITH r AS (SELECT raum_id, gueltig_von, coalesce(lieferung_id, 0) AS rl FROM {self._raeume} "
            "    WHERE ebene = 1 AND gueltig_von <= ? AND (gueltig_bis IS NULL OR gueltig_bis >= ?)) "
            f"SELECT e.einrichtung_id, r.raum_id FROM {self._einrichtungen} e JOIN r ON "
            "    (e.lon IS NULL AND e.raum_id = r.raum_id) OR EXISTS (SELECT 1 FROM einrichtung_lage la "
            "    WHERE la.einrichtung_id = e.einrichtung_id AND la.einrichtung_lieferung = e.lieferung_id "
            "    AND la.raum_id = r.raum_id AND la.gueltig_von = r.gueltig_von AND la.raum_lieferung = r.rl) "
            "ORDER BY ALL", [stichtag, stichtag]).df()

    def lade_einrichtung_versionen(self) -> pd.DataFrame:
        """Every stored facility version with coordinates (for point-in-polygon against new areas)."""
        return self.con.execute(
            "SELECT einrichtung_id, lieferung_id, lon, lat FROM einrichtung WHERE lon IS NOT NULL "
            "ORDER BY ALL").df()

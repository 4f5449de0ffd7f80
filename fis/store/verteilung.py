"""Saved scenarios of the Mittelverteilung (fis.mittelverteilung)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from fis.store.verbindung import Verbindung


class VerteilungAbfragen(Verbindung):
    """Verteilungsszenarien."""

    def speichere_verteilungsszenario(self, name: str, regel: str, ergebnis: str, summe: float, satz: str,
                                      benutzer: str) -> int:
        """Insert or replace (same name) a scenario; returns its id."""
        self.con.execute("DELETE FROM verteilungsszenario WHERE name = ?", [name])
        return int(self.con.execute(
            "INSERT INTO verteilungsszenario (name, regel, ergebnis, summe, satz, datenversion, benutzer, "
            "gespeichert_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING szenario_id",
            [name, regel, ergebnis, summe, satz, self.data_version(), benutzer, datetime.now()]).fetchone()[0])

    def lade_verteilungsszenarien(self) -> pd.DataFrame:
        """szenario_id, name, regel, ergebnis, summe, satz, datenversion, benutzer, gespeichert_am (newest first)."""
        return self.con.execute("SELECT * FROM verteilungsszenario ORDER BY gespeichert_am DESC, szenario_id DESC").df()

    def loesche_verteilungsszenario(self, name: str) -> bool:
        return bool(self.con.execute("DELETE FROM verteilungsszenario WHERE name = ? RETURNING szenario_id",
                                     [name]).fetchall())

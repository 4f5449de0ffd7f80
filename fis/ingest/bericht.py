"""The Prüfbericht: every problem of a delivery with row numbers, in German.

Errors block the import, warnings are shown and the user decides, notes only
inform. The detail table (one row per affected cell or row) is what the user
downloads as CSV and fixes the file with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

SCHWEREN = ("Fehler", "Warnung", "Hinweis")
DETAIL_SPALTEN = ["zeile", "schwere", "pruefung", "spalte", "wert", "hinweis"]
MAX_ZEILEN_IM_TEXT = 8


@dataclass(frozen=True)
class Problem:
    schwere: str            # Fehler | Warnung | Hinweis
    pruefung: str           # short German name of the check, e.g. „Unbekannter Raum“
    meldung: str            # one German sentence with counts and the fix
    anzahl: int             # affected rows (or cells)


@dataclass
class Pruefbericht:
    probleme: list[Problem] = field(default_factory=list)
    details: list[pd.DataFrame] = field(default_factory=list)
    einheit: str = "Zeile"      # what the row numbers count: file rows or geodata objects

    def add(self, schwere: str, pruefung: str, meldung: str, rows: pd.DataFrame | None = None,
            anzahl: int | None = None) -> None:
        """Record a problem; ``rows`` has columns of DETAIL_SPALTEN (zeile, spalte, wert, hinweis)."""
        if schwere not in SCHWEREN:
            raise ValueError(schwere)
        n = anzahl if anzahl is not None else (len(rows) if rows is not None else 1)
        if rows is not None and len(rows):
            detail = rows.copy()
            for col in DETAIL_SPALTEN:
                if col not in detail:
                    detail[col] = ""
            detail["schwere"] = schwere
            detail["pruefung"] = pruefung
            self.details.append(detail[DETAIL_SPALTEN])
            nummern = pd.to_numeric(detail["zeile"], errors="coerce").dropna().astype(int).drop_duplicates()
            zeilen = nummern.head(MAX_ZEILEN_IM_TEXT).tolist()
            if zeilen and self.einheit not in meldung:
                more = " …" if len(nummern) > len(zeilen) else ""
                meldung = f"{meldung} ({self.einheit} {', '.join(map(str, zeilen))}{more})"
        self.probleme.append(Problem(schwere, pruefung, meldung, n))

    def extend(self, other: Pruefbericht) -> None:
        self.probleme.extend(other.probleme)
        self.details.extend(other.details)

    @property
    def fehler(self) -> list[Problem]:
        return [p for p in self.probleme if p.schwere == "Fehler"]

    @property
    def warnungen(self) -> list[Problem]:
        return [p for p in self.probleme if p.schwere == "Warnung"]

    @property
    def hinweise(self) -> list[Problem]:
        return [p for p in self.probleme if p.schwere == "Hinweis"]

    @property
    def ok(self) -> bool:
        return not self.fehler

    def uebersicht(self) -> pd.DataFrame:
        """One row per problem: Schwere, Prüfung, Anzahl, Meldung (errors first)."""
        rows = [{"Schwere": p.schwere, "Prüfung": p.pruefung, "Anzahl": p.anzahl, "Meldung": p.meldung}
                for p in self.probleme]
        frame = pd.DataFrame(rows, columns=["Schwere", "Prüfung", "Anzahl", "Meldung"])
        order = {s: i for i, s in enumerate(SCHWEREN)}
        return frame.sort_values("Schwere", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)

    def detailtabelle(self) -> pd.DataFrame:
        if not self.details:
            return pd.DataFrame(columns=DETAIL_SPALTEN)
        frame = pd.concat(self.details, ignore_index=True)
        frame["zeile"] = pd.to_numeric(frame["zeile"], errors="coerce").astype("Int64")
        return frame.sort_values(["zeile", "pruefung"], kind="stable").reset_index(drop=True)

    def als_csv(self) -> bytes:
        """The detail table as CSV for Excel (UTF-8 with BOM, semicolon)."""
        detail = self.detailtabelle().rename(columns={
            "zeile": self.einheit, "schwere": "Schwere", "pruefung": "Prüfung", "spalte": "Spalte",
            "wert": "Wert", "hinweis": "Hinweis"})
        if detail.empty:
            detail = self.uebersicht()
        return detail.to_csv(sep=";", index=False).encode("utf-8-sig")

    def zusammenfassung(self) -> dict:
        """Counts for the delivery record."""
        return {
            "fehler": len(self.fehler), "warnungen": len(self.warnungen), "hinweise": len(self.hinweise),
            "probleme": [{"schwere": p.schwere, "pruefung": p.pruefung, "anzahl": p.anzahl,
                          "meldung": p.meldung} for p in self.probleme],
        }

    def als_text(self) -> str:
        if not self.probleme:
            return "Prüfung ohne Befund."
        order = {s: i for i, s in enumerate(SCHWEREN)}
        ordered = sorted(self.probleme, key=lambda p: order[p.schwere])
        return "\n".join(f"{p.schwere}: {p.pruefung} – {p.meldung}" for p in ordered)


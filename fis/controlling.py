"""Controlling: the goal system (Zielsystem) and its figures.

Goals are kept in the four KGSt Zielfelder; a goal is measurable when it has a
Kennzahl, a base value, a target value (or a band) and a target date.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

ZIELFELDER = ("Ergebnis/Wirkung", "Programm/Produkt", "Prozess/Struktur", "Ressourcen")


def count_ziele(ziele: pd.DataFrame, stichtag: date) -> pd.DataFrame:
    """Goals per Zielfeld: total, measurable, due by ``stichtag`` and still open.

    Returns one row per Zielfeld (in KGSt order) with columns zielfeld, ziele,
    messbar (Kennzahl, Basis, Ziel oder Band, Zieldatum), faellig (Zieldatum ≤
    Stichtag), laufend (Zieldatum danach).
    """
    z = ziele.copy()
    has_target = z["zielwert"].notna() | z["band_oben"].notna() | z["band_unten"].notna()
    z["messbar"] = (z["kennzahl_art"].notna() & z["basiswert"].notna() & has_target
                    & z["zieldatum"].notna())
    datum = pd.to_datetime(z["zieldatum"])
    z["faellig"] = datum.notna() & (datum <= pd.Timestamp(stichtag))
    z["laufend"] = datum.notna() & (datum > pd.Timestamp(stichtag))
    out = (z.groupby("zielfeld")
           .agg(ziele=("ziel_id", "count"), messbar=("messbar", "sum"),
                faellig=("faellig", "sum"), laufend=("laufend", "sum"))
           .reindex(list(ZIELFELDER), fill_value=0)
           .rename_axis("zielfeld").reset_index())
    return out.astype({c: int for c in ("ziele", "messbar", "faellig", "laufend")})

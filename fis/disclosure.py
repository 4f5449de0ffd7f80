"""Statistical disclosure control: small counts are never shown.

Primary suppression: a value whose numerator (for counts: the value itself) is
greater than 0 and below the indicator's threshold is suppressed. Its display is
"< n", never 0. Callers that show totals next to suppressed parts must apply
secondary suppression (not needed where only ratios of single areas are shown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def thresholds(indikatoren: pd.DataFrame, standard: int) -> pd.Series:
    """Threshold per indicator id (catalog value, else ``standard``)."""
    t = indikatoren.set_index("indikator_id")["geheimhaltung"]
    return t.fillna(standard).astype(int)


def flag_suppressed(werte: pd.DataFrame, schwellen: pd.Series) -> pd.Series:
    """Boolean Series aligned with ``werte``: True where the value must be suppressed.

    ``werte`` needs columns indikator_id and zaehler (for counts, zaehler = value).
    """
    limit = werte["indikator_id"].map(schwellen).fillna(0).to_numpy()
    cases = werte["zaehler"].to_numpy(dtype=float)
    # Negative numerators (migration balances) are not case counts: their magnitude decides.
    cases = np.abs(cases)
    return pd.Series((cases > 0) & (cases < limit), index=werte.index)


def apply_suppression(werte: pd.DataFrame, schwellen: pd.Series) -> pd.DataFrame:
    """Copy of ``werte`` with suppressed values blanked (wert, zaehler, nenner = NaN),
    a boolean column ``unterdrueckt`` and the shown threshold ``schwelle``."""
    out = werte.copy()
    mask = flag_suppressed(out, schwellen)
    out["unterdrueckt"] = mask
    out["schwelle"] = out["indikator_id"].map(schwellen).fillna(0).astype(int)
    for col in ("wert", "zaehler", "nenner"):
        if col in out:
            out.loc[mask, col] = np.nan
    return out

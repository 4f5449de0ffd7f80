"""Vergleichswerte of the demo: Land, Bund and a Vergleichsring of five invented cities for the Lagebild's rate
indicators, derived from Musterstadt's own values (a city of the Ruhr with higher burdens than Land and Bund).
The figures are invented like the city; a real city imports its Land's and the Bund's published statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fis.format import fmt_dezimal

# factor against Musterstadt and a small yearly drift of each reference (deterministic)
REFERENZEN = [("Nordrhein-Westfalen", "Land", "", 0.78, 0.004), ("Deutschland", "Bund", "", 0.61, 0.003),
              ("Beispielhausen", "Vergleichsstadt", "Vergleichsring Ruhrgebietsstädte", 0.91, 0.006),
              ("Mustermünde", "Vergleichsstadt", "Vergleichsring Ruhrgebietsstädte", 1.07, -0.004),
              ("Modellingen", "Vergleichsstadt", "Vergleichsring Ruhrgebietsstädte", 1.21, 0.002),
              ("Probstadt", "Vergleichsstadt", "Vergleichsring Ruhrgebietsstädte", 0.84, 0.005),
              ("Testheim", "Vergleichsstadt", "Vergleichsring Ruhrgebietsstädte", 0.97, -0.002)]


def vergleichswerte_csv(m, indikatoren: list[str]) -> bytes:
    """The delivery file (CSV as a statistics office sends it) for ``indikatoren`` at every Stichtag of ``m``."""
    stadt = m.werte[(m.werte["ebene"] == m.top) & m.werte["indikator_id"].isin(indikatoren)
                    & m.werte["wert"].notna()]
    erstes = min(m.stichtage).year
    zeilen = []
    for r in stadt.itertuples():
        stellen = int(m.indikatoren.at[r.indikator_id, "nachkommastellen"])
        for name, art, gruppe, faktor, drift in REFERENZEN:
            wert = round(float(r.wert) * (faktor + drift * (r.stichtag.year - erstes)), stellen)
            zeilen.append({"referenz": name, "art": art, "gruppe": gruppe, "indikator": r.indikator_id,
                           "stichtag": f"{r.stichtag:%d.%m.%Y}", "wert": fmt_dezimal(float(np.round(wert, stellen)))})
    return pd.DataFrame(zeilen).to_csv(sep=";", index=False).encode("utf-8")

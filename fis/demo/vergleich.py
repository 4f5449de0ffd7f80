"""The demo's view forward and outward: Vergleichswerte of Land, Bund and a Vergleichsring of five invented cities
for the Lagebild's rate indicators, derived from Musterstadt's own values (a city of the Ruhr with higher burdens
than Land and Bund), and the base of its Bevölkerungsvorausberechnung (age bands and migration per Sozialraum).
The figures are invented like the city; a real city imports its Land's and the Bund's published statistics and
its official projection."""

from __future__ import annotations

from datetime import date

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


def bevoelkerung_nach_baendern(store, stichtag: date) -> pd.DataFrame:
    """Musterstadt's Sozialräume at ``stichtag`` in the model's five age bands, from the stored counts: children
    under 3 and 3–6 (denominators of the Kita rates), under 18, 65+ and 80+ (numerators of the age shares) and
    the population; raum_id × band id."""
    w = store.lade_werte(indikator_ids=["bev_gesamt", "kita_u3", "kita_3_6", "anteil_u18", "anteil_65plus",
                                        "anteil_80plus"], stichtage=[stichtag])
    raeume = store.lade_raeume(ebene=1)
    w = w[w["raum_id"].isin(set(raeume["raum_id"]))].set_index(["raum_id", "indikator_id"])

    def spalte(indikator: str, feld: str) -> pd.Series:
        return w.xs(indikator, level="indikator_id")[feld].astype(float)

    u6 = spalte("kita_u3", "nenner") + spalte("kita_3_6", "nenner")
    u18, ab65, ab80 = spalte("anteil_u18", "zaehler"), spalte("anteil_65plus", "zaehler"), \
        spalte("anteil_80plus", "zaehler")
    gesamt = spalte("bev_gesamt", "wert")
    return pd.DataFrame({"bev_u6": u6, "bev_6_17": u18 - u6, "bev_18_64": gesamt - u18 - ab65,
                         "bev_65_79": ab65 - ab80, "bev_80plus": ab80}).dropna().clip(lower=0)


def wanderungssaldo(store, bis: date, jahre: int = 3) -> pd.Series:
    """raum_id → mean migration balance per 1,000 inhabitants over the last ``jahre`` Stichtage up to ``bis``."""
    w = store.lade_werte(indikator_ids=["wanderungssaldo"])
    w = w[pd.to_datetime(w["stichtag"]) <= pd.Timestamp(bis)]
    letzte = sorted(w["stichtag"].unique())[-jahre:]
    return w[w["stichtag"].isin(letzte)].groupby("raum_id")["wert"].mean()

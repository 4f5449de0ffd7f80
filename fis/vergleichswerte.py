"""Vergleichswerte shown beside the city's own: a line under each Lagebild card („NRW 11,9 % · Deutschland
8,2 %“), the city's rank in its Vergleichsring, reference lines in the Zeitreihen, a column in the profile.

The values come from deliveries of the kind ``vergleichswerte`` (fis.ingest.vergleichswerte), read through
:meth:`fis.store.Store.lade_vergleichswerte` (current values; a public store: published ones). A reference is
matched to a Stichtag by its year: Land and Bund often publish at 30.06. or as annual means, the city at 31.12.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.format import fmt_datum, fmt_wert

#: References shown as single values (a Vergleichsstadt only counts within its ring), in this order.
EINZELN = ("Land", "Regierungsbezirk", "Kreis", "Bund", "Vergleichsring")
KURZ = {"Nordrhein-Westfalen": "NRW", "Baden-Württemberg": "BW", "Mecklenburg-Vorpommern": "MV",
        "Rheinland-Pfalz": "RLP", "Schleswig-Holstein": "SH", "Sachsen-Anhalt": "ST", "Niedersachsen": "NI",
        "Deutschland": "Bund"}


def kurzname(referenz: str) -> str:
    """„Nordrhein-Westfalen“ → „NRW“ where the card has little room."""
    return KURZ.get(referenz, referenz)


def im_jahr(vw: pd.DataFrame, indikator_id: str | list[str], stichtag: date) -> pd.DataFrame:
    """The value of each reference for ``indikator_id`` (a list: for each of them) in the year of ``stichtag``
    (the latest Stichtag of that year up to ``stichtag``, else the year's last)."""
    ids = indikator_id if isinstance(indikator_id, list) else [indikator_id]
    w = vw[vw["indikator_id"].isin(ids)]
    if w.empty:
        return w
    tage = pd.to_datetime(w["stichtag"])
    w = w.assign(stichtag=tage.dt.date)[tage.dt.year == stichtag.year].assign(_frueh=(tage <= pd.Timestamp(stichtag)))
    w = w.sort_values(["indikator_id", "referenz", "_frueh", "stichtag"])
    return w.drop_duplicates(["indikator_id", "referenz"], keep="last").drop(columns="_frueh")


def einzelwerte(vw: pd.DataFrame, indikator_id: str | list[str], stichtag: date) -> pd.DataFrame:
    """Land, Regierungsbezirk, Kreis, Bund and ring figures (not the member cities), in that order (per indicator,
    for a list of them: one pass instead of one per indicator, which cost a large city's profile 0,7 s)."""
    w = im_jahr(vw, indikator_id, stichtag)
    w = w[w["art"].isin(EINZELN)]
    return w.assign(_o=w["art"].map({a: i for i, a in enumerate(EINZELN)})) \
        .sort_values(["indikator_id", "_o", "referenz"]).drop(columns="_o")


def karten_text(vw: pd.DataFrame, indikator_id: str, stichtag: date, einheit: str, stellen: int) -> str:
    """„NRW 11,9 % · Bund 8,2 %“ for a Lagebild card; a value of another Stichtag names its date."""
    teile = []
    for r in einzelwerte(vw, indikator_id, stichtag).itertuples():
        tag = "" if r.stichtag == stichtag else f" ({fmt_datum(r.stichtag)})"
        teile.append(f"{kurzname(r.referenz)} {fmt_wert(r.wert, einheit, stellen)}{tag}")
    return " · ".join(teile)


@dataclass(frozen=True)
class Rang:
    ring: str
    rang: int                 # 1 = least Belastung (polarity of the indicator)
    von: int
    tabelle: pd.DataFrame     # Kommune, Wert (sorted, 1 = least Belastung), Rang, ist_stadt

    def satz(self, stadt: str) -> str:
        return f"{stadt}: Rang {self.rang} von {self.von} im {self.ring} (1 = geringste Belastung)"


def rang_im_ring(vw: pd.DataFrame, indikator_id: str, stichtag: date, stadtwert: float | None, stadt: str,
                 polaritaet: str) -> Rang | None:
    """The city among the member cities of its Vergleichsring (the ring with most members for this value);
    None without a ring, without a city value or for an indicator without valuation."""
    if stadtwert is None or pd.isna(stadtwert) or polaritaet == "neutral":
        return None
    w = im_jahr(vw, indikator_id, stichtag)
    w = w[(w["art"] == "Vergleichsstadt") & w["gruppe"].notna() & (w["referenz"] != stadt)]
    if w.empty:
        return None
    ring = w["gruppe"].value_counts().index[0]
    glieder = w[w["gruppe"] == ring]
    t = pd.DataFrame({"Kommune": [*glieder["referenz"], stadt], "Wert": [*glieder["wert"], float(stadtwert)],
                      "ist_stadt": [False] * len(glieder) + [True]})
    t = t.sort_values(["Wert", "ist_stadt"], ascending=[polaritaet != "hoch_gut", False]).reset_index(drop=True)
    t["Rang"] = np.arange(1, len(t) + 1)
    rang = int(t.loc[t["ist_stadt"], "Rang"].iloc[0])
    return Rang(str(ring), rang, len(t), t)


def vergleichstabelle(vw: pd.DataFrame, eckwerte, stichtag: date, stadt: str) -> pd.DataFrame:
    """One row per Lagebild indicator with comparison values: the city, each reference, the rank in the ring."""
    zeilen = []
    for e in eckwerte:
        einzeln = einzelwerte(vw, e.indikator_id, stichtag)
        rang = rang_im_ring(vw, e.indikator_id, stichtag, e.wert, stadt, e.polaritaet)
        if einzeln.empty and rang is None:
            continue
        zeile = {"Indikator": e.name, stadt: fmt_wert(e.wert, e.einheit, e.nachkommastellen)}
        for r in einzeln.itertuples():
            zeile[r.referenz] = fmt_wert(r.wert, e.einheit, e.nachkommastellen)
        zeile["Rang im Vergleichsring"] = f"{rang.rang} von {rang.von}" if rang else "–"
        zeilen.append(zeile)
    return pd.DataFrame(zeilen).fillna("–") if zeilen else pd.DataFrame()


def reihen(vw: pd.DataFrame, indikator_id: str, ebene: int) -> pd.DataFrame:
    """Land, Bund … as rows of a time series (fis.analysen.zeitreihe_werte's columns, ``rolle`` Vergleich), to be
    drawn as reference lines; ``ebene``: one above the city's top level."""
    w = vw[(vw["indikator_id"] == indikator_id) & vw["art"].isin(EINZELN)]
    return pd.DataFrame({"raum_id": "vergleich:" + w["referenz"], "ebene": ebene, "stichtag": w["stichtag"],
                         "wert": w["wert"], "status": "endgültig", "unterdrueckt": False, "grund": "",
                         "schwelle": np.nan, "abdeckung": "", "gueltig_von": pd.NaT,
                         "name": w["referenz"] + " (" + w["art"] + ")", "rolle": "Vergleich"}).reset_index(drop=True)


def mit_profilspalten(tabelle: pd.DataFrame, daten: pd.DataFrame, vw: pd.DataFrame, stichtag: date) -> pd.DataFrame:
    """The profile table (fis.analysen.profil_tabelle of ``daten``, row for row) with a column per reference (Land,
    Bund …) right after „Gesamtstadt“; unchanged without Vergleichswerte for its indicators."""
    alle = einzelwerte(vw, list(daten["indikator_id"].unique()), stichtag)
    werte = {i: g.set_index("referenz")["wert"] for i, g in alle.groupby("indikator_id", sort=False)}
    # the references in the order of the first indicator that has them (Land, Regierungsbezirk … per indicator)
    referenzen = list(dict.fromkeys(r for i in daten["indikator_id"].unique() if i in werte for r in werte[i].index))
    if not referenzen or "Gesamtstadt" not in tabelle:
        return tabelle
    out = tabelle.copy()
    stelle = list(out.columns).index("Gesamtstadt") + 1
    for ref in referenzen:
        out.insert(stelle, kurzname(ref), [fmt_wert(werte[r.indikator_id].get(ref) if r.indikator_id in werte else None,
                                                    r.einheit, int(r.nachkommastellen)) for r in daten.itertuples()])
        stelle += 1
    return out

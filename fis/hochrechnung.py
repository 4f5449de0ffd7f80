"""The budget lines in the year: monthly Ist projected to the year end (seasonal after last year's monthly
profile, or linear) against the Ansatz, judged by the budget Ampel; the reporting state of a quarter or month."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.ampel import ABWEICHEND, Ampel, erste_regel
from fis.controlling import Controllingdaten
from fis.format import fmt_euro, fmt_prozent


@dataclass(frozen=True)
class Hochrechnung:
    linear: float
    saisonal: float | None
    ist_kumuliert: float
    monate: int


def hochrechnung(monate: pd.Series, vorjahr: pd.Series | None = None) -> Hochrechnung:
    """Year-end projection of monthly Ist (index = month 1..m): linear = Σ Ist ÷ m × 12;
    seasonal = Σ Ist ÷ (share of the previous year's total reached by month m)."""
    monate = monate.sort_index()
    m = int(monate.index.max())
    kum = float(monate.sum())
    saisonal = None
    if vorjahr is not None and len(vorjahr.dropna()) == 12 and vorjahr.sum() != 0:
        anteil = float(vorjahr.sort_index().loc[:m].sum() / vorjahr.sum())
        if anteil > 0:
            saisonal = kum / anteil
    return Hochrechnung(kum / m * 12, saisonal, kum, m)


def _hochrechnungen(ist: pd.DataFrame, vj: pd.DataFrame, monat: int) -> dict[tuple, Hochrechnung]:
    """:func:`hochrechnung` of every budget line with Ist in month ``monat`` at once (``ist``: months 1 to
    ``monat``; ``vj``: the previous year's months): grouped sums instead of a pandas series per line, which cost
    300 products with 20 lines each 2 s."""
    schluessel = ["produkt_nr", "position_nr"]
    jetzt = ist.groupby(schluessel).agg(kum=("betrag", "sum"), m=("monat", "max"))
    jetzt = jetzt[jetzt["m"] >= monat]
    vorjahr = vj.assign(bis=vj["betrag"].where(vj["monat"] <= monat)).groupby(schluessel).agg(
        zeilen=("betrag", "size"), mit_wert=("betrag", "count"), summe=("betrag", "sum"), bis=("bis", "sum"))
    v = vorjahr.reindex(jetzt.index)
    voll = (v["zeilen"] == 12) & (v["mit_wert"] == 12) & (v["summe"] != 0)
    anteil = (v["bis"] / v["summe"]).where(voll)
    saisonal = (jetzt["kum"] / anteil).where(anteil > 0)
    return {k: Hochrechnung(float(kum / m * 12), None if pd.isna(s) else float(s), float(kum), int(m))
            for k, kum, m, s in zip(jetzt.index, jetzt["kum"], jetzt["m"], saisonal, strict=True)}


def haushaltszeilen(c: Controllingdaten, jahr: int, monat: int, regel) -> pd.DataFrame:
    """Every budget line (product × NKF line) with monthly Ist in ``jahr``: Ist up to
    ``monat``, year-end projection (configured method) against the Ansatz, Ampel and text.
    Amounts as in the plan (Erträge +, Aufwendungen −); the deviation is judged by its
    effect: more expense or less income is unfavourable."""
    t = c.tep
    ampelregeln = regel.regeln()
    pos = c.positionen.set_index("position_nr")
    ist = t[(t["jahr"] == jahr) & (t["wertart"] == "Ist") & (t["monat"].between(1, monat))]
    vj = t[(t["jahr"] == jahr - 1) & (t["wertart"] == "Ist") & (t["monat"] >= 1)]
    ansatz = t[(t["jahr"] == jahr) & (t["wertart"] == "Ansatz") & (t["monat"] == 0)].set_index(
        ["produkt_nr", "position_nr"])["betrag"]
    namen = c.produkte.set_index("nr")
    rows = []
    for (nr, p), h in _hochrechnungen(ist, vj, monat).items():
        methode = regel.methode if (regel.methode == "linear" or h.saisonal is not None) else "linear"
        wert = h.saisonal if methode == "saisonal" else h.linear
        a = ansatz.get((nr, p), np.nan)
        abw = wert - a
        unguenstig = max(-abw, 0.0)          # expenses are negative: more negative = worse; income: less = worse
        prozent = unguenstig / abs(a) * 100 if a else np.nan
        # the same rule engine as the goals: the deviation in % of the Ansatz, 0 below the Mindestbetrag
        wesentlich = 0.0 if unguenstig < regel.mindestbetrag else (prozent if a else np.inf)
        farbe = Ampel(erste_regel(ampelregeln, bool(pd.isna(a)), wesentlich, None).farbe)
        art = pos.at[p, "art"] if p in pos.index else ""
        wort = "Aufwand" if art == "Aufwand" else "Ertrag"
        richtung = ("über" if abs(wert) > abs(a) else "unter") if not pd.isna(a) else ""
        mname = "saisonal nach dem Monatsprofil des Vorjahres" if methode == "saisonal" else "linear"
        text = (f"{wort} hochgerechnet {fmt_euro(abs(wert))} ({mname}; Ist Januar–{MONATE[monat - 1]} "
                f"{fmt_euro(abs(h.ist_kumuliert))}) liegt {fmt_prozent(abs(abw) / abs(a) * 100)} {richtung} "
                f"dem Ansatz von {fmt_euro(abs(a))}" if not pd.isna(a) else "kein Ansatz für dieses Jahr")
        if farbe in ABWEICHEND:
            schwelle = regel.gelb_prozent if farbe == Ampel.GELB else regel.rot_prozent
            text += f"; Schwelle {fmt_prozent(schwelle)} überschritten"
        rows.append({"produkt_nr": nr, "produkt": namen.at[nr, "name"] if nr in namen.index else nr,
                     "position_nr": int(p), "position": pos.at[p, "bezeichnung"] if p in pos.index else str(p),
                     "art": art, "ist_kumuliert": h.ist_kumuliert, "hochrechnung": wert,
                     "hochrechnung_linear": h.linear, "hochrechnung_saisonal": h.saisonal,
                     "methode": methode, "ansatz": a, "abweichung": abw, "abweichung_prozent": prozent,
                     "ampel": farbe, "text": text + "."})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.assign(fachbereich=out["produkt_nr"].map(c.org["fachbereich"]).fillna("ohne Zuordnung"),
                      dezernat=out["produkt_nr"].map(c.org["dezernat"]).fillna("ohne Zuordnung"))


MONATE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")


RHYTHMEN = {"Quartal": "Quartal – Verwaltungsvorstand und Ausschuss (nach Dezernat und Fachbereich)",
            "Monat": "Monat – Fachbereichsleitung (nach Fachbereich und Produkt)"}


def berichtsstand(c: Controllingdaten, rhythmus: str = "Monat") -> tuple[int, int]:
    """(year, month) of the latest monthly budget Ist; for "Quartal" the last complete quarter."""
    ist = c.tep[(c.tep["wertart"] == "Ist") & (c.tep["monat"] >= 1)]
    if ist.empty:
        heute = date.today()
        return heute.year, 12
    jahr = int(ist["jahr"].max())
    monat = int(ist.loc[ist["jahr"] == jahr, "monat"].max())
    if rhythmus == "Quartal":
        monat -= monat % 3
        if monat == 0:
            jahr, monat = jahr - 1, 12
    return jahr, monat


def berichtsdatum(jahr: int, monat: int) -> date:
    """The last day of the reporting month."""
    return date(jahr, monat, calendar.monthrange(jahr, monat)[1])

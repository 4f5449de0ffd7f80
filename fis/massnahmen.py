"""Vom Befund zur Maßnahme: the Maßnahmenregister read for the pages, reports and the CLI.

A measure serves goals (n:m), lies in Sozialräume (or city-wide), has a status with history, a budget and output
figures per year and evaluations. This module answers the questions of the Verwaltungsvorstand: what is done
where, for which goal, at what cost, and does it work — and where nothing is done: a red goal without a running
measure, a Sozialraum with Handlungsbedarf without any measure.

Privacy: for the public role (Ausschuss) output figures that count people (Teilnehmende, Fälle) below the
city's threshold are withheld (``< n``), and no sum of them is shown; places and money are not counts of people.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from fis.ampel import Ampel
from fis.format import fmt_datum, fmt_differenz, fmt_euro, fmt_zahl
from fis.maps import OHNE_WERT, einfaerben, klassen, palette
from fis.store import Store

#: Statuses of a measure that is planned or under way (not finished, not stopped).
OFFEN = ("geplant", "beschlossen", "laufend")
LEISTUNGEN = {"teilnehmende": "Teilnehmende", "plaetze": "Plätze", "faelle": "Fälle"}
PERSONEN = ("teilnehmende", "faelle")            # counts of people: suppressed below the threshold when public
SYMBOL = {"wirksam": "✔ wirksam", "teilweise wirksam": "◐ teilweise wirksam", "nicht wirksam": "✘ nicht wirksam",
          "offen": "… offen"}


@dataclass(frozen=True)
class Register:
    massnahmen: pd.DataFrame        # one row per measure (lists raeume, ziele, produkte; status; veroeffentlicht)
    status: pd.DataFrame            # massnahme_id, status, seit
    jahre: pd.DataFrame             # massnahme_id, jahr, budget_plan, budget_ist, teilnehmende, plaetze, faelle
    evaluationen: pd.DataFrame      # massnahme_id, datum, methode, ergebnis, kennzahlen, text, dokument
    schwelle: int | None = None     # public: people counts below this are withheld

    @property
    def leer(self) -> bool:
        return self.massnahmen.empty

    def massnahme(self, massnahme_id: str) -> dict:
        """One measure as a dict; missing texts and numbers are None (never NaN)."""
        zeile = self.massnahmen.set_index("massnahme_id").loc[massnahme_id].to_dict()
        return {k: None if not isinstance(v, (list, tuple)) and pd.isna(v) else v for k, v in zeile.items()}


def lade(store: Store, schwelle: int | None = None) -> Register:
    """The register of ``store`` (a public store: published measures only); with ``schwelle`` people counts below
    it are withheld (NaN, with ``<feld>_zurueckgehalten``)."""
    m = store.lade_massnahmen()
    for c in ("beginn", "ende"):
        m[c] = _tage(m[c])
    for c in ("raeume", "ziele", "produkte"):
        m[c] = m[c].map(lambda v: list(v) if v is not None else [])
    jahre = store.lade_massnahme_jahre()
    if schwelle:
        for f in PERSONEN:
            klein = jahre[f].notna() & (jahre[f] > 0) & (jahre[f] < schwelle)
            jahre[f"{f}_zurueckgehalten"] = klein
            jahre.loc[klein, f] = np.nan
    status = store.lade_massnahme_status()
    status["seit"] = _tage(status["seit"])
    ev = store.lade_massnahme_evaluationen()
    ev["datum"] = _tage(ev["datum"])
    return Register(m, status, jahre, ev, schwelle)


def _tage(spalte: pd.Series) -> pd.Series:
    """Dates as ``datetime.date`` and None (not NaT, which passes for a date)."""
    return pd.Series([t.date() if pd.notna(t) else None for t in pd.to_datetime(spalte)], index=spalte.index,
                     dtype=object)


# --------------------------------------------------------------------------- selections

def filtern(reg: Register, handlungsfelder=None, status=None, raeume: set[str] | None = None,
            ziel: str | None = None, stadtweit: bool = True) -> pd.DataFrame:
    """The measures matching every given filter: Handlungsfelder, statuses, Sozialräume (a measure matches when
    it lies in one of them; city-wide measures with ``stadtweit``), a goal."""
    m = reg.massnahmen
    maske = pd.Series(True, index=m.index)
    if handlungsfelder:
        maske &= m["handlungsfeld"].isin(list(handlungsfelder))
    if status:
        maske &= m["status"].isin(list(status))
    if raeume is not None:
        maske &= m["raeume"].map(lambda r: bool(set(r) & raeume) or (stadtweit and not r))
    if ziel:
        maske &= m["ziele"].map(lambda z: ziel in z)
    return m[maske]


def letzte_evaluation(reg: Register) -> pd.DataFrame:
    """Per measure its newest evaluation (datum, methode, ergebnis, text), indexed by massnahme_id."""
    if reg.evaluationen.empty:
        return pd.DataFrame(columns=["datum", "methode", "ergebnis", "text"])
    return reg.evaluationen.sort_values("datum").groupby("massnahme_id").last()


def jahreswerte(reg: Register, jahr: int) -> pd.DataFrame:
    """Budget and output figures of ``jahr`` per measure (indexed by massnahme_id; missing years: NaN)."""
    j = reg.jahre[reg.jahre["jahr"] == jahr].set_index("massnahme_id")
    return j.reindex(reg.massnahmen["massnahme_id"])


def gebiete_text(raeume: list[str], namen: dict[str, str], hoechstens: int = 3) -> str:
    if not raeume:
        return "stadtweit"
    n = [namen.get(r, r) for r in raeume]
    return ", ".join(n) if len(n) <= hoechstens else ", ".join(n[:hoechstens]) + f" u. a. ({len(n)})"


def laufzeit(beginn, ende) -> str:
    def monat(t):
        return f"{t.month:02d}/{t.year}" if isinstance(t, date) else ""
    if not isinstance(beginn, date):
        return ""
    return f"ab {monat(beginn)}" if not isinstance(ende, date) else f"{monat(beginn)}–{monat(ende)}"


def _leistung(zeile: pd.Series, reg: Register) -> str:
    teile = []
    for f, name in LEISTUNGEN.items():
        zurueck = zeile.get(f"{f}_zurueckgehalten")
        if pd.notna(zurueck) and bool(zurueck):
            teile.append(f"{name} < {reg.schwelle}")
        elif pd.notna(zeile.get(f)):
            teile.append(f"{name} {fmt_zahl(zeile[f], 0)}")
    return ", ".join(teile)


def _euro(v) -> str:
    return fmt_euro(v) if v is not None and pd.notna(v) else "–"


def _evaluation_text(e) -> str:
    if e is None or not isinstance(e.get("datum"), date):
        return "–"
    return f"{SYMBOL.get(e['ergebnis'], e['ergebnis'])} ({e['datum'].month:02d}/{e['datum'].year})"


def uebersicht(reg: Register, auswahl: pd.DataFrame, jahr: int, namen: dict[str, str]) -> pd.DataFrame:
    """The register table in German (one row per measure of ``auswahl``) with the budget and outputs of ``jahr``."""
    j = jahreswerte(reg, jahr)
    ev = letzte_evaluation(reg)
    zeilen = []
    for m in auswahl.itertuples(index=False):
        w = j.loc[m.massnahme_id] if m.massnahme_id in j.index else pd.Series(dtype=object)
        zeilen.append({
            "Kennung": m.massnahme_id, "Maßnahme": m.titel, "Handlungsfeld": m.handlungsfeld,
            "Gebiet": gebiete_text(m.raeume, namen), "Ziele": ", ".join(m.ziele), "Status": m.status,
            "Laufzeit": laufzeit(m.beginn, m.ende),
            f"Budget {jahr} Plan": _euro(w.get("budget_plan")), f"Budget {jahr} Ist": _euro(w.get("budget_ist")),
            f"Leistung {jahr}": _leistung(w, reg),
            "Evaluation": _evaluation_text(ev.loc[m.massnahme_id].to_dict() if m.massnahme_id in ev.index else None),
            "Träger": m.traeger or "", "Verantwortlich": m.verantwortlich or "",
            "Veröffentlicht": "ja" if m.veroeffentlicht else "nein (vorläufig)"})
    spalten = ["Kennung", "Maßnahme", "Status", f"Budget {jahr} Plan", f"Budget {jahr} Ist", "Evaluation", "Gebiet",
               "Handlungsfeld", "Ziele", "Laufzeit", f"Leistung {jahr}", "Träger", "Verantwortlich", "Veröffentlicht"]
    return pd.DataFrame(zeilen, columns=spalten)


def summen(reg: Register, auswahl: pd.DataFrame, jahr: int) -> dict[str, float]:
    """Count, running count, planned and actual budget of ``jahr`` of the selected measures."""
    j = jahreswerte(reg, jahr).loc[auswahl["massnahme_id"]]
    ev = letzte_evaluation(reg)
    bewertet = ev[ev.index.isin(auswahl["massnahme_id"])]
    return {"anzahl": len(auswahl), "laufend": int((auswahl["status"] == "laufend").sum()),
            "plan": float(j["budget_plan"].sum(min_count=1)) if len(j) else np.nan,
            "ist": float(j["budget_ist"].sum(min_count=1)) if len(j) else np.nan,
            "evaluiert": len(bewertet), "wirksam": int((bewertet["ergebnis"] == "wirksam").sum())}


# --------------------------------------------------------------------------- goals

def fuer_ziel(reg: Register, ziel_id: str, jahr: int, namen: dict[str, str]) -> pd.DataFrame:
    """The measures serving one goal, for the goal detail."""
    t = uebersicht(reg, filtern(reg, ziel=ziel_id), jahr, namen)
    return t.drop(columns=["Ziele", "Handlungsfeld", "Träger"])


def je_ziel(reg: Register, jahr: int) -> pd.DataFrame:
    """Per goal: measures, running measures, planned and actual budget of ``jahr``, evaluated as effective."""
    if reg.leer:
        return pd.DataFrame(columns=["ziel_id", "massnahmen", "laufend", "budget_plan", "budget_ist", "wirksam"])
    paare = reg.massnahmen[["massnahme_id", "status", "ziele"]].explode("ziele").dropna(subset=["ziele"])
    j = jahreswerte(reg, jahr)[["budget_plan", "budget_ist"]]
    ev = letzte_evaluation(reg)["ergebnis"]
    paare = paare.assign(budget_plan=paare["massnahme_id"].map(j["budget_plan"]),
                         budget_ist=paare["massnahme_id"].map(j["budget_ist"]),
                         wirksam=paare["massnahme_id"].map(ev).eq("wirksam"),
                         laufend=paare["status"].eq("laufend"))
    return paare.groupby("ziele").agg(massnahmen=("massnahme_id", "size"), laufend=("laufend", "sum"),
                                      budget_plan=("budget_plan", lambda s: s.sum(min_count=1)),
                                      budget_ist=("budget_ist", lambda s: s.sum(min_count=1)),
                                      wirksam=("wirksam", "sum")).rename_axis("ziel_id").reset_index()


def kurz_je_ziel(reg: Register) -> dict[str, str]:
    """ziel_id → its planned and running measures in short („M01, M04 laufend; M05 beschlossen“), for the
    Abweichungsbericht; goals without any: absent."""
    offen = reg.massnahmen[reg.massnahmen["status"].isin(list(OFFEN))]
    paare = offen[["massnahme_id", "status", "ziele"]].explode("ziele").dropna(subset=["ziele"])
    return {z: "; ".join(f"{', '.join(t.loc[t['status'] == s, 'massnahme_id'])} {s}" for s in reversed(OFFEN)
                         if (t["status"] == s).any())
            for z, t in paare.groupby("ziele")}


def rot_ohne_laufende(bewertung: pd.DataFrame, reg: Register) -> list[str]:
    """Goals whose own Ampel is red and that no running measure serves („rot, keine laufende Maßnahme“)."""
    rot = bewertung.loc[bewertung["ampel_eigen"].map(Ampel.aus) == Ampel.ROT, "ziel_id"]
    bedient = {z for zs, s in zip(reg.massnahmen["ziele"], reg.massnahmen["status"], strict=True)
               if s == "laufend" for z in zs}
    return sorted(set(rot) - bedient)


# --------------------------------------------------------------------------- areas

def im_gebiet(reg: Register, sozialraeume: set[str]) -> pd.DataFrame:
    """Measures lying in any of ``sozialraeume`` (city-wide ones not: they are everywhere)."""
    return filtern(reg, raeume=sozialraeume, stadtweit=False)


def je_sozialraum(reg: Register, einwohner: pd.Series, jahr: int, status=OFFEN) -> pd.DataFrame:
    """Per Sozialraum (index of ``einwohner``): measures of ``status`` lying there (city-wide ones not counted) and
    the planned budget of ``jahr`` per inhabitant. A measure in several Sozialräume spreads its budget over their
    inhabitants: each gets budget × its inhabitants / inhabitants of all of them (equal per inhabitant)."""
    m = reg.massnahmen[reg.massnahmen["status"].isin(list(status)) & reg.massnahmen["raeume"].map(bool)]
    paare = m[["massnahme_id", "raeume"]].explode("raeume").rename(columns={"raeume": "raum_id"})
    paare = paare[paare["raum_id"].isin(einwohner.index)]
    plan = jahreswerte(reg, jahr)["budget_plan"]
    paare = paare.assign(ew=paare["raum_id"].map(einwohner), budget=paare["massnahme_id"].map(plan))
    summe_ew = paare.groupby("massnahme_id")["ew"].transform("sum")
    paare["anteil"] = paare["budget"] * paare["ew"] / summe_ew.replace(0, np.nan)
    out = pd.DataFrame({"einwohner": einwohner})
    out["massnahmen"] = paare.groupby("raum_id").size().reindex(out.index).fillna(0).astype(int)
    out["budget"] = paare.groupby("raum_id")["anteil"].sum(min_count=1).reindex(out.index)
    out["budget_je_einwohner"] = out["budget"] / out["einwohner"].replace(0, np.nan)
    return out.rename_axis("raum_id").reset_index()


def ohne_massnahme(reg: Register, raum_ids) -> list[str]:
    """Of ``raum_ids`` (e.g. the Sozialräume with Handlungsbedarf), those without any planned or running measure
    of their own (city-wide measures do not count: they are no answer to a local finding)."""
    offen = reg.massnahmen[reg.massnahmen["status"].isin(list(OFFEN))]
    belegt = {r for rs in offen["raeume"] for r in rs}
    return [r for r in raum_ids if r not in belegt]


# --------------------------------------------------------------------------- one measure

def statusverlauf(reg: Register, massnahme_id: str) -> pd.DataFrame:
    s = reg.status[reg.status["massnahme_id"] == massnahme_id]
    return pd.DataFrame({"Seit": [fmt_datum(t) for t in s["seit"]], "Status": s["status"].to_numpy()})


def jahrestabelle(reg: Register, massnahme_id: str) -> pd.DataFrame:
    j = reg.jahre[reg.jahre["massnahme_id"] == massnahme_id]
    out = pd.DataFrame({"Jahr": j["jahr"].astype(str).to_numpy(),
                        "Budget Plan": [fmt_euro(v) if pd.notna(v) else "" for v in j["budget_plan"]],
                        "Budget Ist": [fmt_euro(v) if pd.notna(v) else "" for v in j["budget_ist"]],
                        "Abweichung": [fmt_differenz(i - p, "€", 0) if pd.notna(i) and pd.notna(p) else ""
                                       for p, i in zip(j["budget_plan"], j["budget_ist"], strict=True)]})
    for f, name in LEISTUNGEN.items():
        zurueck = j.get(f"{f}_zurueckgehalten", pd.Series(False, index=j.index)).fillna(False)
        if j[f].notna().any() or zurueck.any():
            out[name] = [f"< {reg.schwelle}" if z else (fmt_zahl(v, 0) if pd.notna(v) else "")
                         for v, z in zip(j[f], zurueck, strict=True)]
    return out


def evaluationstabelle(reg: Register, massnahme_id: str) -> pd.DataFrame:
    e = reg.evaluationen[reg.evaluationen["massnahme_id"] == massnahme_id].sort_values("datum", ascending=False)
    return pd.DataFrame({"Datum": [fmt_datum(t) for t in e["datum"]], "Methode": e["methode"].to_numpy(),
                         "Ergebnis": [SYMBOL.get(x, x) for x in e["ergebnis"]],
                         "Kennzahlen": e["kennzahlen"].fillna("").to_numpy(), "Befund": e["text"].fillna("").to_numpy(),
                         "Dokument": e["dokument"].fillna("").to_numpy()})


def export_tabellen(reg: Register, auswahl: pd.DataFrame, namen: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The selected measures for Excel: register, figures per year, status history and evaluations."""
    ids = set(auswahl["massnahme_id"])
    m = pd.DataFrame({"Kennung": auswahl["massnahme_id"], "Maßnahme": auswahl["titel"],
                      "Beschreibung": auswahl["beschreibung"].fillna(""), "Handlungsfeld": auswahl["handlungsfeld"],
                      "Sozialräume": [gebiete_text(r, namen, 99) for r in auswahl["raeume"]],
                      "Ziele": auswahl["ziele"].map(", ".join), "Produkte": auswahl["produkte"].map(", ".join),
                      "Träger": auswahl["traeger"].fillna(""), "Verantwortlich": auswahl["verantwortlich"].fillna(""),
                      "Beginn": [fmt_datum(t) if isinstance(t, date) else "" for t in auswahl["beginn"]],
                      "Ende": [fmt_datum(t) if isinstance(t, date) else "" for t in auswahl["ende"]],
                      "Status": auswahl["status"]})
    j = reg.jahre[reg.jahre["massnahme_id"].isin(ids)]
    jahre = pd.DataFrame({"Kennung": j["massnahme_id"], "Jahr": j["jahr"], "Budget Plan (€)": j["budget_plan"],
                          "Budget Ist (€)": j["budget_ist"],
                          **{name: j[f] for f, name in LEISTUNGEN.items()}})
    s = reg.status[reg.status["massnahme_id"].isin(ids)]
    e = reg.evaluationen[reg.evaluationen["massnahme_id"].isin(ids)]
    return {"Maßnahmen": m, "Jahreswerte": jahre,
            "Statusverlauf": pd.DataFrame({"Kennung": s["massnahme_id"], "Status": s["status"],
                                           "Seit": [fmt_datum(t) for t in s["seit"]]}),
            "Evaluationen": pd.DataFrame({"Kennung": e["massnahme_id"], "Datum": [fmt_datum(t) for t in e["datum"]],
                                          "Methode": e["methode"], "Ergebnis": e["ergebnis"],
                                          "Kennzahlen": e["kennzahlen"].fillna(""), "Befund": e["text"].fillna("")})}



# --------------------------------------------------------------------------- map

MASSE = {"massnahmen": "Maßnahmen im Sozialraum (Anzahl)", "budget_je_einwohner": "Budget je Einwohner (€, Plan)"}


def karte(je_raum: pd.DataFrame, geometrien: pd.Series, namen: dict[str, str], mass: str, jahr: int):
    """The Sozialräume coloured by ``mass`` (a key of :data:`MASSE`): (frame for fis.maps.deck, legend, tooltip)."""
    daten = je_raum[je_raum["raum_id"].isin(geometrien.index)].copy()
    daten["geometrie"] = daten["raum_id"].map(geometrien)
    daten["name"] = daten["raum_id"].map(namen).fillna(daten["raum_id"])
    werte = daten[mass].astype(float).where(daten[mass] > 0)
    daten["_wert"] = werte
    daten["unterdrueckt"] = False
    k = klassen(werte, "gleich", 5, nachkommastellen=0) if mass == "massnahmen" else klassen(
        werte, "jenks", 5, einheit="€", nachkommastellen=2)
    daten, legende = einfaerben(daten, "_wert", k, palette("neutral", 5))
    daten.loc[daten["_wert"].isna(), "farbe"] = OHNE_WERT
    keine = "keine eigene Maßnahme" if mass == "massnahmen" else "kein Budget (oder Einwohnerzahl unbekannt)"
    legende = [replace(e, text=keine) if e.farbe == OHNE_WERT else e for e in legende]
    daten["text_anzahl"] = daten["massnahmen"].map(lambda n: fmt_zahl(n, 0))
    daten["text_budget"] = [fmt_euro(b) if pd.notna(b) and b > 0 else "–" for b in daten["budget"]]
    daten["text_je_ew"] = [fmt_euro(b, 2) if pd.notna(b) and b > 0 else "–" for b in daten["budget_je_einwohner"]]
    tooltip = ("<b>{name}</b><br/>Maßnahmen (ohne stadtweite): {text_anzahl}<br/>"
               f"Budget {jahr} (Plan, Anteil): {{text_budget}}<br/>je Einwohner: {{text_je_ew}}")
    return daten.drop(columns=["_wert"]), legende, tooltip

"""Planungszyklus und Beteiligung for the pages: where each Handlungsfeld or Fachplanung stands in the cycle of the
handbook (Abb. 7: Auftrag → Bestandsaufnahme → Bedarf → Ziele → Maßnahmen → Umsetzung → Evaluation →
Fortschreibung), which Fortschreibung is overdue, and who was involved where (Sozialraumkonferenzen,
Fachkonferenzen, Bürgerbeteiligung, Trägerrunden) with what result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fis.format import fmt_datum, fmt_zahl
from fis.ingest.planung import ARTEN, PHASEN
from fis.store import Store

ERLEDIGT, AKTUELL = "✓", "●"


@dataclass(frozen=True)
class Planungsstand:
    zyklus: pd.DataFrame          # one row per Bereich (current version)
    phasen: pd.DataFrame          # bereich, phase, seit
    beteiligung: pd.DataFrame     # one row per event
    teilnehmende: pd.DataFrame    # beteiligung_id, gruppe, anzahl


def lade(store: Store) -> Planungsstand:
    """The current state (a public store: published deliveries only); dates as ``datetime.date`` or None."""
    z, ph = store.lade_planungszyklus()
    b, t = store.lade_beteiligung()
    for frame, spalten in ((z, ("auftrag_datum", "fortschreibung_faellig")), (ph, ("seit",)), (b, ("datum",))):
        for c in spalten:
            frame[c] = pd.Series([x.date() if pd.notna(x) else None for x in pd.to_datetime(frame[c])],
                                 index=frame.index, dtype=object)
    for c in ("raeume", "massnahmen", "ziele"):
        b[c] = b[c].map(lambda v: list(v) if v is not None else [])
    return Planungsstand(z, ph, b, t)


def _monat(t: date | None) -> str:
    return f"{t.month:02d}/{t.year}" if t else ""


def seit_wann(p: Planungsstand, bereich: str) -> date | None:
    """Since when the Bereich is in its current phase."""
    v = p.phasen[p.phasen["bereich"] == bereich]
    return v["seit"].iloc[-1] if len(v) else None


def ueberfaellig(p: Planungsstand, heute: date) -> pd.DataFrame:
    """Bereiche whose Fortschreibung was due before ``heute`` (oldest first)."""
    z = p.zyklus[p.zyklus["fortschreibung_faellig"].map(lambda t: t is not None and t < heute)]
    return z.sort_values("fortschreibung_faellig")


def auftrag_text(zeile) -> str:
    teile = [zeile.get("auftrag_gremium") or "",
             fmt_datum(zeile["auftrag_datum"]) if zeile.get("auftrag_datum") else "",
             f"Drs. {zeile['drucksache']}" if zeile.get("drucksache") else ""]
    return ", ".join(t for t in teile if isinstance(t, str) and t) or "–"


def zyklustabelle(p: Planungsstand, heute: date) -> pd.DataFrame:
    """One row per Bereich, one column per phase: ✓ done, ● current (with since when), empty ahead; then the
    Auftrag (Beschluss), the Fortschreibung due (marked when overdue) and who is responsible."""
    zeilen = []
    for z in p.zyklus.to_dict("records"):
        aktuell = PHASEN.index(z["phase"])
        seit = seit_wann(p, z["bereich"])
        faellig = z["fortschreibung_faellig"]
        zeilen.append({
            "Bereich": z["bereich"], "Handlungsfeld": z["handlungsfeld"] or "–",
            **{ph: ERLEDIGT if i < aktuell else f"{AKTUELL} seit {_monat(seit)}" if i == aktuell else ""
               for i, ph in enumerate(PHASEN)},
            "Beschluss": auftrag_text(z),
            "Fortschreibung fällig": "–" if faellig is None else (
                f"⚠ überfällig seit {fmt_datum(faellig)}" if faellig < heute else fmt_datum(faellig)),
            "Verantwortlich": z["verantwortlich"] or "–"})
    spalten = ["Bereich", "Handlungsfeld", *PHASEN, "Beschluss", "Fortschreibung fällig", "Verantwortlich"]
    return pd.DataFrame(zeilen, columns=spalten)


def je_phase(p: Planungsstand) -> dict[str, int]:
    """How many Bereiche are in each phase (all phases, in order)."""
    n = p.zyklus["phase"].value_counts()
    return {ph: int(n.get(ph, 0)) for ph in PHASEN}


# --------------------------------------------------------------------------- Beteiligung

def teilnehmende_text(p: Planungsstand, beteiligung_id: str) -> str:
    """'45 (Bürgerinnen und Bürger 22, freie Träger 14, …)'."""
    t = p.teilnehmende[p.teilnehmende["beteiligung_id"] == beteiligung_id].sort_values("anzahl", ascending=False)
    if t.empty:
        return "–"
    return f"{fmt_zahl(t['anzahl'].sum(), 0)} (" + ", ".join(
        f"{g} {fmt_zahl(n, 0)}" for g, n in zip(t["gruppe"], t["anzahl"], strict=True)) + ")"


def beteiligungen(p: Planungsstand, arten=None, jahr: int | None = None, sozialraeume: set[str] | None = None,
                  stadtweit: bool = True) -> pd.DataFrame:
    """The events matching the filters (newest first); with ``sozialraeume`` those held for one of them (and
    city-wide ones with ``stadtweit``)."""
    b = p.beteiligung
    maske = pd.Series(True, index=b.index)
    if arten:
        maske &= b["art"].isin(list(arten))
    if jahr:
        maske &= b["datum"].map(lambda t: t is not None and t.year == jahr)
    if sozialraeume is not None:
        maske &= b["raeume"].map(lambda r: bool(set(r) & sozialraeume) or (stadtweit and not r))
    return b[maske]


def beteiligungstabelle(p: Planungsstand, auswahl: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """The events in German, one row each."""
    def gebiet(r):
        if not r:
            return "stadtweit"
        n = [namen.get(x, x) for x in r]
        return ", ".join(n) if len(n) <= 3 else ", ".join(n[:3]) + f" u. a. ({len(n)})"
    return pd.DataFrame({
        "Datum": [fmt_datum(t) for t in auswahl["datum"]], "Art": auswahl["art"], "Titel": auswahl["titel"],
        "Gebiet": [gebiet(r) for r in auswahl["raeume"]],
        "Teilnehmende": [teilnehmende_text(p, i) for i in auswahl["beteiligung_id"]],
        "Themen": auswahl["themen"].fillna("–"), "Ergebnisse": auswahl["ergebnisse"].fillna("–"),
        "Folgen": [", ".join([*m, *z]) or "–" for m, z in zip(auswahl["massnahmen"], auswahl["ziele"], strict=True)],
    }).reset_index(drop=True)


def zaehlung(p: Planungsstand, jahr: int) -> dict[str, int]:
    """Events of ``jahr`` per kind (every kind, in order) and the participants in total."""
    b = beteiligungen(p, jahr=jahr)
    n = b["art"].value_counts()
    teil = p.teilnehmende[p.teilnehmende["beteiligung_id"].isin(b["beteiligung_id"])]["anzahl"].sum()
    return {**{a: int(n.get(a, 0)) for a in ARTEN}, "Teilnehmende": int(teil)}

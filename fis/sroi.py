"""The Social Return on Investment of a product (handbook, Kap. 4.4): impact map, present value of the
outcomes net of deadweight, attribution, displacement and drop-off, the ratio and its sensitivity; reading and
saving an analysis."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from fis.zugang import Benutzer, handelnder


@dataclass(frozen=True)
class Wirkung:
    """One line of the impact map (Wirkungskette) of a measure."""
    stakeholder: str
    aktivitaet: str
    output: str
    outcome: str
    indikator: str
    menge: float              # how many units of the outcome per year
    proxy: float              # financial proxy in € per unit
    mitnahme: float = 0.0     # deadweight: share that would have happened anyway
    zurechnung: float = 0.0   # attribution: share due to others
    verdraengung: float = 0.0 # displacement: share merely moved elsewhere
    abnahme: float = 0.0      # drop-off per year after the first
    dauer: int = 1            # years the outcome lasts


@dataclass(frozen=True)
class Sroi:
    input: float
    barwert: float
    netto_barwert: float
    quote: float
    je_jahr: pd.DataFrame      # stakeholder × year values (undiscounted)
    je_wirkung: pd.DataFrame   # per line: impact in year 1 and present value


def wirkung_je_jahr(w: Wirkung) -> list[float]:
    """Impact per year: quantity × proxy × (1 − deadweight) × (1 − attribution) ×
    (1 − displacement), falling by the drop-off rate each year after the first."""
    jahr1 = w.menge * w.proxy * (1 - w.mitnahme) * (1 - w.zurechnung) * (1 - w.verdraengung)
    return [jahr1 * (1 - w.abnahme) ** t for t in range(w.dauer)]


def sroi(wirkungen: list[Wirkung], input_euro: float, zinssatz: float = 0.035) -> Sroi:
    """Social Return on Investment: present value of all impacts (discounted at the end of
    each year) ÷ input."""
    if input_euro <= 0:
        raise ValueError("Der Input (eingesetzte Mittel in €) muss größer als 0 sein.")
    rows, je = [], []
    for i, w in enumerate(wirkungen):
        werte = wirkung_je_jahr(w)
        bw = sum(v / (1 + zinssatz) ** (t + 1) for t, v in enumerate(werte))
        je.append({"nr": i, "stakeholder": w.stakeholder, "outcome": w.outcome,
                   "wirkung_jahr1": werte[0] if werte else 0.0, "barwert": bw})
        rows += [{"stakeholder": w.stakeholder, "jahr": t + 1, "wert": v} for t, v in enumerate(werte)]
    barwert = sum(r["barwert"] for r in je)
    je_jahr = pd.DataFrame(rows).pivot_table(index="stakeholder", columns="jahr", values="wert", aggfunc="sum") \
        if rows else pd.DataFrame()
    return Sroi(input_euro, barwert, barwert - input_euro, barwert / input_euro, je_jahr, pd.DataFrame(je))


def sroi_sensitivitaet(wirkungen: list[Wirkung], input_euro: float, zinssatz: float = 0.035,
                       spanne: float = 0.2) -> pd.DataFrame:
    """Which assumption moves the ratio most: each factor (proxy, quantity, deadweight,
    attribution, displacement, drop-off of every line, the duration, the discount rate)
    changed by ±``spanne`` (relative; shares and rates capped to [0, 1]), sorted by the
    width of the resulting ratio range."""
    basis = sroi(wirkungen, input_euro, zinssatz).quote
    rows = []
    felder = {"proxy": "Finanzieller Proxy", "menge": "Menge", "mitnahme": "Mitnahmeeffekt",
              "zurechnung": "Zurechnung", "verdraengung": "Verdrängung", "abnahme": "Abnahme"}
    for i, w in enumerate(wirkungen):
        for feld, name in felder.items():
            wert = getattr(w, feld)
            if wert == 0 and feld not in ("proxy", "menge"):
                tief, hoch = 0.0, min(spanne, 1.0)          # an assumption of 0 is tested against +spanne
            else:
                tief, hoch = wert * (1 - spanne), wert * (1 + spanne)
            if feld not in ("proxy", "menge"):
                tief, hoch = max(tief, 0.0), min(hoch, 1.0)
            q = [sroi([*wirkungen[:i], replace(w, **{feld: v}), *wirkungen[i + 1:]], input_euro, zinssatz).quote
                 for v in (tief, hoch)]
            rows.append({"annahme": f"{name} – {w.stakeholder}: {w.outcome}", "wert": wert, "tief": tief,
                         "hoch": hoch, "quote_tief": q[0], "quote_hoch": q[1]})
    q = [sroi(wirkungen, input_euro, r).quote for r in (zinssatz * (1 - spanne), zinssatz * (1 + spanne))]
    rows.append({"annahme": "Diskontierungszins", "wert": zinssatz, "tief": zinssatz * (1 - spanne),
                 "hoch": zinssatz * (1 + spanne), "quote_tief": q[0], "quote_hoch": q[1]})
    out = pd.DataFrame(rows)
    out["spanne"] = (out["quote_hoch"] - out["quote_tief"]).abs()
    out["basis"] = basis
    return out.sort_values("spanne", ascending=False).reset_index(drop=True)


WIRKUNG_SPALTEN = ("stakeholder", "aktivitaet", "output", "outcome", "indikator", "menge", "proxy",
                   "proxy_quelle", "mitnahme", "zurechnung", "verdraengung", "abnahme", "dauer")


ANTEILE = ("mitnahme", "zurechnung", "verdraengung", "abnahme")


def wirkungen_aus(frame: pd.DataFrame) -> list[Wirkung]:
    """Impact map rows (columns as WIRKUNG_SPALTEN) → Wirkung objects."""
    return [Wirkung(str(r.stakeholder), str(r.aktivitaet or ""), str(r.output or ""), str(r.outcome),
                    str(r.indikator or ""), float(r.menge), float(r.proxy), float(r.mitnahme or 0),
                    float(r.zurechnung or 0), float(r.verdraengung or 0), float(r.abnahme or 0), int(r.dauer or 1))
            for r in frame.itertuples()]


def sroi_pruefen(name: str, input_euro, zinssatz, frame: pd.DataFrame) -> list[str]:
    """German problems of an SROI analysis before it is stored or computed."""
    fehler = []
    if not str(name or "").strip():
        fehler.append("Die Analyse braucht einen Namen.")
    if input_euro is None or not input_euro > 0:
        fehler.append("Der Input (eingesetzte Mittel in €) muss größer als 0 sein.")
    if zinssatz is None or not 0 <= zinssatz < 1:
        fehler.append("Der Diskontierungszins muss zwischen 0 und 1 liegen (z. B. 0,035 für 3,5 %).")
    if frame.empty:
        fehler.append("Die Wirkungskette braucht mindestens eine Zeile.")
    for i, r in enumerate(frame.to_dict("records"), start=1):
        if not str(r.get("stakeholder") or "").strip() or not str(r.get("outcome") or "").strip():
            fehler.append(f"Zeile {i}: Stakeholder und Outcome sind Pflicht.")
        for feld in ("menge", "proxy"):
            v = r.get(feld)
            if v is None or pd.isna(v) or v < 0:
                fehler.append(f"Zeile {i}: „{feld}“ muss eine Zahl ab 0 sein.")
        for feld in ANTEILE:
            v = r.get(feld)
            if v is not None and not pd.isna(v) and not 0 <= v <= 1:
                fehler.append(f"Zeile {i}: „{feld}“ ist ein Anteil zwischen 0 und 1 (z. B. 0,25 für 25 %).")
        d = r.get("dauer")
        if d is None or pd.isna(d) or d < 1 or d != int(d):
            fehler.append(f"Zeile {i}: „dauer“ ist eine ganze Zahl von Jahren ab 1.")
    return fehler


def sroi_speichern(store, analyse_id: str, name: str, produkt_nr: str | None, beschreibung: str | None,
                   input_euro: float, zinssatz: float, frame: pd.DataFrame, benutzer: Benutzer | str) -> None:
    """Store one analysis (validated first) with an audit entry."""
    benutzer = handelnder(benutzer, "produkte_bearbeiten")
    fehler = sroi_pruefen(name, input_euro, zinssatz, frame)
    if fehler:
        raise ValueError(" ".join(fehler))
    analyse = pd.DataFrame([{"analyse_id": analyse_id, "name": name, "produkt_nr": produkt_nr,
                             "beschreibung": beschreibung, "input_euro": float(input_euro),
                             "zinssatz": float(zinssatz)}])
    zeilen = frame[list(WIRKUNG_SPALTEN)].copy()
    zeilen[list(ANTEILE)] = zeilen[list(ANTEILE)].fillna(0.0)
    zeilen.insert(0, "nr", range(1, len(zeilen) + 1))
    zeilen.insert(0, "analyse_id", analyse_id)
    with store.transaction():
        store.replace_sroi(analyse, zeilen)
        store.insert_audit(benutzer, "sroi_gespeichert", "sroi", analyse_id,
                           {"name": name, "input_euro": float(input_euro), "zeilen": len(zeilen),
                            "quote": round(sroi(wirkungen_aus(zeilen), float(input_euro), float(zinssatz)).quote, 4)})

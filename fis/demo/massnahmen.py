"""The demo's Maßnahmenregister: two deliveries through the delivery path, as a city would keep it.

``massnahmen.yaml`` describes 42 measures compactly (status history, annual budget, one output figure, at most
one evaluation). From it come a YAML delivery „Stand Januar 2024“ (what was known then: the status history up to
that day, planned budgets for three years ahead, actual figures of the finished years) and a CSV export
„Stand Januar 2025“ of the whole register in the form planners keep it in Excel, one row per measure — so the
second delivery adds statuses to the history, actual figures for 2024 and the evaluations of the year.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from fis import gegensteuerung
from fis.format import fmt_datum, fmt_zahl
from fis.ingest import massnahmen as massnahmen_import
from fis.ingest import planung as planung_import
from fis.store import Store

SPEC = Path(__file__).with_name("massnahmen.yaml")
STAENDE = (date(2024, 1, 31), date(2025, 1, 31))
ERSTES_JAHR = 2019                       # the register keeps figures from this year on


def _spec() -> list[dict]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))["massnahmen"]


def _verlauf(m: dict, stand: date) -> list[tuple[str, date]]:
    return [(s, pd.Timestamp(t).date()) for s, t in m["verlauf"] if pd.Timestamp(t).date() <= stand]


def _jahre(m: dict, stand: date, rng: np.random.Generator) -> dict[int, dict]:
    """Planned budget for the years up to two ahead of the Stand, actual figures for finished years."""
    beginn = pd.Timestamp(m["beginn"]).date()
    ende = pd.Timestamp(m["ende"]).date() if m.get("ende") else None
    for s, t in m["verlauf"]:                 # stopped or finished: no figures after that
        if s in ("eingestellt", "abgeschlossen"):
            ende = min(ende or pd.Timestamp(t).date(), pd.Timestamp(t).date())
    laufend_ab = next((pd.Timestamp(t).date() for s, t in m["verlauf"] if s == "laufend"), None)
    out: dict[int, dict] = {}
    for jahr in range(max(beginn.year, ERSTES_JAHR), min(stand.year + 2, ende.year if ende else 9999) + 1):
        anteil = (13 - beginn.month) / 12 if jahr == beginn.year else 1.0
        if ende and jahr == ende.year:
            anteil = min(anteil, ende.month / 12)
        plan = round(m["budget"] * 1.02 ** (jahr - beginn.year) * anteil, -2)
        eintrag = {"budget_plan": plan}
        if jahr < stand.year and laufend_ab and laufend_ab.year <= jahr:
            eintrag["budget_ist"] = round(plan * rng.uniform(0.82, 1.04), -2)
            for art, menge in (m.get("output") or {}).items():
                faktor = 1.0 if art == "plaetze" else rng.uniform(0.8, 1.1) * anteil
                eintrag[art] = float(round(menge * faktor))
        out[jahr] = eintrag
    return out


def _evaluation(m: dict, stand: date) -> dict | None:
    e = m.get("evaluation")
    return e if e and pd.Timestamp(e["datum"]).date() <= stand else None


def lieferung_2024(rng: np.random.Generator) -> bytes:
    """The register as known at the end of January 2024, as a YAML delivery."""
    stand = STAENDE[0]
    eintraege = []
    for m in _spec():
        verlauf = _verlauf(m, stand)
        if not verlauf:
            continue
        e = {k: m[k] for k in ("id", "titel", "beschreibung", "handlungsfeld", "sozialraeume", "ziele", "produkte",
                               "traeger", "verantwortlich", "beginn", "ende", "haushalt") if k in m}
        e["status_verlauf"] = [{"status": s, "seit": t} for s, t in verlauf]
        e["jahre"] = _jahre(m, stand, rng)
        if ev := _evaluation(m, stand):
            e["evaluationen"] = [ev]
        eintraege.append(e)
    return yaml.safe_dump({"massnahmen": eintraege}, allow_unicode=True, sort_keys=False).encode()


def lieferung_2025(rng: np.random.Generator) -> bytes:
    """The whole register at the end of January 2025 as the planners' CSV export (German numbers and dates)."""
    stand = STAENDE[1]
    zeilen = []
    for m in _spec():
        verlauf = _verlauf(m, stand)
        if not verlauf:
            continue
        z = {"Kennung": m["id"], "Titel": m["titel"], "Beschreibung": m.get("beschreibung", ""),
             "Handlungsfeld": m["handlungsfeld"],
             "Sozialräume": m["sozialraeume"] if isinstance(m["sozialraeume"], str) else ", ".join(m["sozialraeume"]),
             "Ziele": ", ".join(m["ziele"]), "Produkte": ", ".join(m["produkte"]), "Träger": m["traeger"],
             "Verantwortlich": m["verantwortlich"], "Beginn": fmt_datum(pd.Timestamp(m["beginn"]).date()),
             "Ende": fmt_datum(pd.Timestamp(m["ende"]).date()) if m.get("ende") else "",
             "Status": verlauf[-1][0], "Status seit": fmt_datum(verlauf[-1][1])}
        for jahr, f in _jahre(m, stand, rng).items():
            if jahr >= stand.year - 1:
                for k, v in f.items():
                    z[f"{k}_{jahr}"] = fmt_zahl(v, 0)
        ev = _evaluation(m, stand)
        if ev and pd.Timestamp(ev["datum"]).date() > STAENDE[0]:
            z |= {"evaluation_datum": fmt_datum(pd.Timestamp(ev["datum"]).date()),
                  "evaluation_methode": ev["methode"], "evaluation_ergebnis": ev["ergebnis"],
                  "evaluation_kennzahlen": ev.get("kennzahlen", ""), "evaluation_text": ev.get("text", "")}
        zeilen.append(z)
    frame = pd.DataFrame(zeilen).fillna("")
    return frame.to_csv(sep=";", index=False).encode("utf-8")


#: What the planners propose against red goals of 2024 (Abweichungsbericht), written in February 2025.
GEGENSTEUERUNG = (
    ("H1", "Sozialraumteams (M01) auf die Bezirke Nordost und West ausweiten; Erziehungsstellen (M05) ab 2025 belegen.",
     "Jugendamt, Abteilung Hilfen zur Erziehung", date(2025, 12, 31)),
    ("H8", "Krisenberatung für Pflegefamilien einrichten und jeden Abbruch im Fachteam auswerten.",
     "Jugendamt, Pflegekinderdienst", date(2025, 6, 30)),
    ("K7", "Sprachbildung (M16) neu ausrichten: Sprachfachkräfte in den Kitas statt Schulungen, da die "
           "Fremdevaluation keine Wirkung zeigt.", "Jugendamt, Fachberatung Kitas", date(2025, 8, 1)),
    ("A7", "Springerpool (M30) bis zur Einführung der E-Akte verlängern.", "Wohngeldstelle", date(2025, 9, 30)),
)


def register(store: Store, benutzer: str) -> list[int]:
    """Both deliveries, checked, committed and published, and the Gegensteuerung of red goals; their numbers."""
    rng = np.random.default_rng(2025)
    lids = []
    for daten, name, stand, wann in ((lieferung_2024(rng), "massnahmen_2024-01.yaml", STAENDE[0],
                                      datetime(2024, 2, 5, 10, 0)),
                                     (lieferung_2025(rng), "massnahmenregister_2025-01.csv", STAENDE[1],
                                      datetime(2025, 2, 5, 10, 0))):
        v = massnahmen_import.vorbereiten(store, daten, name)
        if not v.uebernehmbar:
            raise ValueError(f"Das Demo-Maßnahmenregister ({name}) besteht die Prüfung nicht:\n" + v.bericht.als_text())
        lid = massnahmen_import.uebernehmen(store, v, benutzer, f"Maßnahmenregister Stand {fmt_datum(stand)}",
                                            quelle="Sozialplanung, Fachämter", zeitpunkt=wann)
        with store.transaction():
            store.set_lieferung_veroeffentlicht(lid, benutzer, wann)
            store.insert_audit(benutzer, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": name})
        lids.append(lid)
    daten = Path(__file__).with_name("planung.yaml").read_bytes()
    v = planung_import.vorbereiten(store, daten, "planung.yaml")
    if not v.uebernehmbar:
        raise ValueError("Planungszyklus und Beteiligung der Demo bestehen die Prüfung nicht:\n" + v.bericht.als_text())
    wann = datetime(2025, 2, 10, 9, 0)
    lid = planung_import.uebernehmen(store, v, benutzer, "Planungszyklus und Beteiligung Stand 31.01.2025",
                                     quelle="Sozialplanung", zeitpunkt=wann)
    with store.transaction():
        store.set_lieferung_veroeffentlicht(lid, benutzer, wann)
        store.insert_audit(benutzer, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": "planung.yaml"})
    lids.append(lid)
    for ziel, text, wer, termin in GEGENSTEUERUNG:
        wann = datetime(2025, 2, 12, 9, 0)
        lid = gegensteuerung.speichern(store, ziel, 2024, text, wer, termin, benutzer, zeitpunkt=wann)
        with store.transaction():
            store.set_lieferung_veroeffentlicht(lid, benutzer, wann)
            store.insert_audit(benutzer, "veroeffentlicht", "lieferung", str(lid), {"art": "gegensteuerung"})
        lids.append(lid)
    return lids

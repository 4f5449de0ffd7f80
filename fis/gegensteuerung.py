"""Gegensteuerung: what the planners propose against a deviating goal, as the handbook's quarterly
Abweichungsbericht asks (measure, responsible, date). One entry per goal and reporting year; every version is a
delivery of its own (art ``gegensteuerung``), provisional until published, audited, rolled back like values."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from fis import massnahmen as mn
from fis.format import fmt_datum
from fis.ingest.lesen import ImportFehler
from fis.ingest.sperre import schreibsperre
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

HOECHSTENS_ZEICHEN = 1000


def speichern(store: Store, ziel_id: str, jahr: int, text: str, verantwortlich: str | None, termin: date | None,
              wer: Benutzer | str, zeitpunkt: datetime | None = None) -> int:
    """A new version of the Gegensteuerung of ``ziel_id`` in ``jahr`` (empty text: withdraw it); its delivery id.
    ``zeitpunkt``: when it was written (default now; the demo gives its own)."""
    wer = handelnder(wer, "ziele_bearbeiten")
    text = (text or "").strip()
    if len(text) > HOECHSTENS_ZEICHEN:
        raise ImportFehler(f"Die Gegensteuerung hat höchstens {HOECHSTENS_ZEICHEN} Zeichen (hier {len(text)}).")
    if ziel_id not in set(store.lade_ziele()["ziel_id"]):
        raise ImportFehler(f"Ziel „{ziel_id}“ gibt es nicht.")
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="gegensteuerung", bezeichnung=f"Gegensteuerung {ziel_id} ({jahr})", benutzer=wer,
            quelle="Sozialplanung", zeitpunkt=zeitpunkt or datetime.now(), pruefergebnis={"fehler": 0, "warnungen": 0}))
        store.insert_gegensteuerung(pd.DataFrame([{
            "ziel_id": ziel_id, "jahr": int(jahr), "text": text,
            "verantwortlich": (verantwortlich or "").strip() or None, "termin": termin, "lieferung_id": lid}]))
        store.set_lieferung_counts(lid, 1, 1, 0)
        store.insert_audit(wer, "gegensteuerung_gespeichert", "ziel", ziel_id,
                           {"jahr": int(jahr), "zeichen": len(text), "zurueckgezogen": not text})
    return lid


def je_ziel(store: Store, jahr: int) -> dict[str, dict]:
    """ziel_id → {text, verantwortlich, termin, benutzer, zeitpunkt, veroeffentlicht} for ``jahr``."""
    frame = store.lade_gegensteuerung(jahr)
    return {r.ziel_id: {"text": r.text, "verantwortlich": r.verantwortlich if isinstance(r.verantwortlich, str) else "",
                        "termin": pd.Timestamp(r.termin).date() if pd.notna(r.termin) else None,
                        "benutzer": r.benutzer, "zeitpunkt": r.zeitpunkt, "veroeffentlicht": bool(r.veroeffentlicht)}
            for r in frame.itertuples()}


def satz(eintrag: dict | None) -> str:
    """'Zweite Kampagne … (verantwortlich: Jugendamt; bis 30.06.2025)' or ''."""
    if not eintrag:
        return ""
    zusatz = "; ".join(t for t in (f"verantwortlich: {eintrag['verantwortlich']}" if eintrag["verantwortlich"] else "",
                                   f"bis {fmt_datum(eintrag['termin'])}" if eintrag["termin"] else "") if t)
    return eintrag["text"] + (f" ({zusatz})" if zusatz else "")


def fuer_bericht(store: Store, jahr: int) -> tuple[dict[str, str], dict[str, str]]:
    """What the Abweichungsbericht adds to each goal (fis.controlling.abweichungsbericht): its measures in short
    and the Gegensteuerung of ``jahr`` as a sentence — the same for page, PDF and command line."""
    return mn.kurz_je_ziel(mn.lade(store)), {z: satz(e) for z, e in je_ziel(store, jahr).items()}

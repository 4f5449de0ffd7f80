"""Einordnung der Sozialplanung: the planners' short interpretation of what the figures mean.

A Sozialbericht analyses, assesses and recommends (handbook 2.4.2, 6.7); data alone is not a report.
An Einordnung belongs to a reference at a Stichtag – an indicator (``indikator:sgb2_quote``), the
Lagebild as a whole (``lagebild``), the goals (``ziele``), an index (``index:sozialindex``) – and every
version is a delivery of its own (art ``einordnung``): provisional until Planung publishes it, rolled
back like values, audited. Ausschuss and public see published ones only (fis.store).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from fis.ingest.lesen import ImportFehler
from fis.ingest.sperre import schreibsperre
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

HOECHSTENS_ZEICHEN = 1500


def bezug_indikator(indikator_id: str) -> str:
    return f"indikator:{indikator_id}"


def bezug_name(bezug: str, katalog: pd.DataFrame | None = None, indizes: dict | None = None) -> str:
    """A reference in words: 'SGB-II-Quote', 'Lagebild', 'Zielsystem', 'Sozialindex (Kölner Modell)'."""
    art, _, kennung = bezug.partition(":")
    if art == "indikator":
        return str(katalog.at[kennung, "name"]) if katalog is not None and kennung in katalog.index else kennung
    if art == "index":
        return (indizes or {}).get(kennung, kennung)
    if art == "raum":
        return f"Gebiet {kennung}"
    return {"lagebild": "Lagebild", "ziele": "Zielsystem"}.get(bezug, bezug)


def speichern(store: Store, bezug: str, stichtag: date, text: str, wer: Benutzer | str,
              veroeffentlichen: bool = False) -> int:
    """A new version of the Einordnung of ``bezug`` at ``stichtag`` (empty text: withdraw it), as its
    own delivery; published at once if asked and allowed. Returns the delivery's id."""
    wer = handelnder(wer, "hochladen")
    text = (text or "").strip()
    if len(text) > HOECHSTENS_ZEICHEN:
        raise ImportFehler(f"Eine Einordnung hat höchstens {HOECHSTENS_ZEICHEN} Zeichen (hier {len(text)}); "
                           "ausführliche Texte gehören in den Bericht.")
    if not bezug or not isinstance(stichtag, date):
        raise ImportFehler("Eine Einordnung braucht einen Bezug (Indikator, Lagebild …) und einen Stichtag.")
    if veroeffentlichen:
        handelnder(wer, "veroeffentlichen")
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="einordnung", bezeichnung=f"Einordnung {bezug} {stichtag:%d.%m.%Y}", benutzer=wer,
            quelle="Sozialplanung", zeitpunkt=datetime.now(), pruefergebnis={"fehler": 0, "warnungen": 0}))
        store.insert_einordnung(pd.DataFrame([{"bezug": bezug, "stichtag": stichtag, "text": text,
                                               "lieferung_id": lid}]))
        store.set_lieferung_counts(lid, 1, 1, 0)
        store.insert_audit(wer, "einordnung_gespeichert", "einordnung", bezug,
                           {"stichtag": stichtag.isoformat(), "zeichen": len(text), "zurueckgezogen": not text})
        if veroeffentlichen:
            store.set_lieferung_veroeffentlicht(lid, wer)
            store.insert_audit(wer, "veroeffentlicht", "lieferung", str(lid), {"art": "einordnung"})
    return lid


def einordnungen(store: Store, stichtag: date) -> dict[str, dict]:
    """The current Einordnungen at ``stichtag`` (published ones only for a public store): bezug →
    {text, benutzer, zeitpunkt, veroeffentlicht}."""
    frame = store.lade_einordnungen(stichtag)
    return {r.bezug: {"text": r.text, "benutzer": r.benutzer, "zeitpunkt": r.zeitpunkt,
                      "veroeffentlicht": bool(r.veroeffentlicht)} for r in frame.itertuples()}


def zeile(eintrag: dict) -> str:
    """'… (Sozialplanung, 12.03.2026; vorläufig)' under an Einordnung."""
    stand = f"{pd.Timestamp(eintrag['zeitpunkt']):%d.%m.%Y}"
    return f"{eintrag['benutzer']}, {stand}" + ("" if eintrag["veroeffentlicht"] else "; noch nicht veröffentlicht")

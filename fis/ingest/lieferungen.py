"""The delivery register: list, roll back, trace the history of a value."""

from __future__ import annotations

import getpass
import os
from datetime import date

import pandas as pd

from fis.format import fmt_zahl, fmt_zahl_genau
from fis.ingest.lesen import ImportFehler
from fis.ingest.pruefregeln import DATEI_REGELN, Kontext, anwenden
from fis.ingest.sperre import schreibsperre
from fis.store import Store
from fis.zugang import Benutzer, handelnder


def benutzer() -> str:
    """Who acts: FIS_BENUTZER, else the operating-system account."""
    try:
        return os.environ.get("FIS_BENUTZER") or getpass.getuser()
    except (KeyError, OSError):
        return "unbekannt"


def veroeffentlicht_text(am, von) -> str:
    """„vorläufig“ or „12.03.2026 (name)“ for the register."""
    if am is None or pd.isna(am):
        return "vorläufig – nicht veröffentlicht"
    return f"{pd.Timestamp(am):%d.%m.%Y} ({von})"


def unveroeffentlicht(store: Store) -> pd.DataFrame:
    """Active deliveries nobody has published yet, oldest first."""
    lief = store.lade_lieferungen()
    return lief[(lief["status"] == "aktiv") & lief["veroeffentlicht_am"].isna()]


def veroeffentlichen(store: Store, lieferung_id: int, wer: Benutzer | str) -> dict:
    """Publish a delivery: from now on Ausschuss and public see its values (Planung only).
    Recorded in the audit log."""
    wer = handelnder(wer, "veroeffentlichen")
    lieferung = store.lade_lieferung(int(lieferung_id))
    if lieferung is None:
        raise ImportFehler(f"Lieferung {lieferung_id} gibt es nicht.")
    if lieferung["status"] != "aktiv":
        raise ImportFehler(f"Lieferung {lieferung_id} ist zurückgenommen und kann nicht veröffentlicht werden.")
    if not pd.isna(lieferung["veroeffentlicht_am"]):
        raise ImportFehler(f"Lieferung {lieferung_id} wurde bereits am "
                           f"{lieferung['veroeffentlicht_am']:%d.%m.%Y} von {lieferung['veroeffentlicht_von']} "
                           "veröffentlicht.")
    with schreibsperre(store), store.transaction():
        store.set_lieferung_veroeffentlicht(int(lieferung_id), wer)
        store.insert_audit(wer, "veroeffentlicht", "lieferung", str(lieferung_id), {
            "art": lieferung["art"], "bezeichnung": lieferung["bezeichnung"]})
    return {"lieferung_id": int(lieferung_id), "bezeichnung": lieferung["bezeichnung"]}


def _aus_lieferungen(nummern) -> str:
    n = sorted(nummern)
    return f"aus Lieferung {n[0]}" if len(n) == 1 else f"aus den Lieferungen {', '.join(map(str, n))}"


def abhaengige_text(lieferung_id: int, ab: dict) -> str:
    """What a rollback would leave behind, in German (empty if nothing)."""
    teile = []
    if ab["waisen"]:
        teile.append(f"{fmt_zahl(sum(ab['waisen'].values()), 0)} Werte ohne gültiges Gebiet "
                     f"({_aus_lieferungen(ab['waisen'])})")
    if ab["ohne_katalog"]:
        teile.append(f"{fmt_zahl(sum(ab['ohne_katalog'].values()), 0)} Werte ohne Eintrag im Indikatorenkatalog "
                     f"({_aus_lieferungen(ab['ohne_katalog'])})")
    if not teile:
        return ""
    return (f"Die Rücknahme von Lieferung {lieferung_id} ließe " + " und ".join(teile) + " zurück: Karten, Summen "
            "und Berichte wären dann falsch oder leer.")


def zuruecknehmen(store: Store, lieferung_id: int, wer: Benutzer | str, grund: str | None = None,
                  mit_abhaengigen: bool = False) -> dict:
    """Roll a delivery back: its rows stay stored but no longer count; the previous
    values become current again. Recorded in the audit log; undone by :func:`zuruecknahme_aufheben`.

    A rollback that would leave current values without a valid area or without a catalog entry (a
    Raumgliederung or catalog that later values depend on) is refused with what depends on it, unless
    ``mit_abhaengigen``: then the dependent deliveries are rolled back with it, in one transaction."""
    wer = handelnder(wer, "zuruecknehmen")
    lieferung = store.lade_lieferung(int(lieferung_id))
    if lieferung is None:
        raise ImportFehler(f"Lieferung {lieferung_id} gibt es nicht.")
    if lieferung["status"] != "aktiv":
        raise ImportFehler(f"Lieferung {lieferung_id} wurde bereits am "
                           f"{lieferung['zurueckgenommen_am']:%d.%m.%Y} zurückgenommen.")
    if lieferung["art"] == "ziele":
        raise ImportFehler(f"Lieferung {lieferung_id} enthält Ziele; Ziele lassen sich nicht zurücknehmen. Jede "
                           "Änderung steht mit vorher/nachher im Audit-Log; bitte das Ziel auf der Seite „Ziele“ "
                           "wieder ändern.")
    ab = store.rueckname_abhaengige([int(lieferung_id)])
    abhaengige = sorted(set(ab["waisen"]) | set(ab["ohne_katalog"]))
    if abhaengige and not mit_abhaengigen:
        raise ImportFehler(abhaengige_text(int(lieferung_id), ab) + " Es wurde nichts verändert. Entweder die "
                           f"abhängigen Lieferungen ({', '.join(map(str, abhaengige))}) mit zurücknehmen "
                           "(Kommandozeile: --mit-abhaengigen, App: „abhängige Lieferungen mit zurücknehmen“) oder "
                           "zuerst eine korrigierte Lieferung übernehmen.")
    wirkung = store.rueckname_wirkung(int(lieferung_id)) if lieferung["art"] == "werte" else {}
    with schreibsperre(store), store.transaction():
        store.set_lieferung_status(int(lieferung_id), "zurückgenommen", wer)
        store.insert_audit(wer, "rollback", "lieferung", str(lieferung_id), {
            "art": lieferung["art"], "bezeichnung": lieferung["bezeichnung"], "grund": grund,
            "abhaengige": abhaengige, **wirkung})
        for nr in abhaengige:
            store.set_lieferung_status(nr, "zurückgenommen", wer)
            store.insert_audit(wer, "rollback", "lieferung", str(nr), {
                "grund": f"abhängig von Lieferung {lieferung_id}, mit ihr zurückgenommen"})
    return {"lieferung_id": int(lieferung_id), "bezeichnung": lieferung["bezeichnung"],
            "abhaengige": abhaengige, **wirkung}


def zuruecknahme_aufheben(store: Store, lieferung_id: int, wer: Benutzer | str) -> dict:
    """Undo a rollback: the delivery counts again (its newer values become current again). Audited."""
    wer = handelnder(wer, "zuruecknehmen")
    lieferung = store.lade_lieferung(int(lieferung_id))
    if lieferung is None:
        raise ImportFehler(f"Lieferung {lieferung_id} gibt es nicht.")
    if lieferung["status"] == "aktiv":
        raise ImportFehler(f"Lieferung {lieferung_id} ist nicht zurückgenommen.")
    with schreibsperre(store), store.transaction():
        store.set_lieferung_status(int(lieferung_id), "aktiv", wer)
        store.insert_audit(wer, "rollback_aufgehoben", "lieferung", str(lieferung_id), {
            "art": lieferung["art"], "bezeichnung": lieferung["bezeichnung"]})
    return {"lieferung_id": int(lieferung_id), "bezeichnung": lieferung["bezeichnung"]}


def pruefe_doppelte_datei(store: Store, digest: str, bericht) -> None:
    """Report a file whose identical content was delivered before (:data:`DATEI_REGELN`): an error while
    that delivery counts, a note if it was rolled back."""
    anwenden(DATEI_REGELN, store.find_lieferungen_by_sha256(digest), Kontext(), bericht)


def wert_historie(store: Store, raum_id: str, indikator_id: str, stichtag: date) -> pd.DataFrame:
    """Every delivered version of one value, newest first, with which one is current."""
    frame = store.lade_wert_historie(raum_id, indikator_id, stichtag)
    if frame.empty:
        return frame
    aktiv = frame[frame["lieferung_status"] == "aktiv"]
    current = aktiv["lieferung_id"].max() if len(aktiv) else None
    return pd.DataFrame({
        "Lieferung": frame["lieferung_id"],
        "Bezeichnung": frame["bezeichnung"],
        "Geliefert am": frame["zeitpunkt"],
        "Wert": [fmt_zahl_genau(v) for v in frame["wert"]],
        "Zähler": [fmt_zahl_genau(v) for v in frame["zaehler"]],
        "Nenner": [fmt_zahl_genau(v) for v in frame["nenner"]],
        "Status": frame["status"],
        "Lieferung gilt": frame["lieferung_status"].map({"aktiv": "ja", "zurückgenommen": "zurückgenommen"}),
        "veröffentlicht": frame["veroeffentlicht_am"].notna().map({True: "ja", False: "vorläufig"}),
        "aktuell": frame["lieferung_id"].eq(current).map({True: "✓", False: ""}),
    })

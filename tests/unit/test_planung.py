"""Planungszyklus und Beteiligung: the demo (one Bereich per phase, 14 events), a phase change entering the
history, overdue Fortschreibungen against a given day, every check in German with nothing written, and the
privacy rule: no e-mail addresses or telephone numbers in a participation record, from a file or the form."""

from __future__ import annotations

from datetime import date

import pytest

from fis import planung as pl
from fis.ingest import lieferungen
from fis.ingest import planung as imp
from fis.ingest.lesen import ImportFehler
from fis.ingest.planung import PHASEN


def test_the_demo_has_one_bereich_per_phase_and_fourteen_events(demo):
    p = pl.lade(demo)
    assert pl.je_phase(p) == dict.fromkeys(PHASEN, 1)
    assert len(p.beteiligung) == 14 and p.beteiligung["veroeffentlicht"].all()
    assert set(p.beteiligung["art"]) == {"Sozialraumkonferenz", "Fachkonferenz", "Sozialplanungskonferenz",
                                         "Bürgerbeteiligung", "Trägerrunde"}
    assert list(pl.ueberfaellig(p, date(2026, 12, 4))["bereich"]) == ["Altenhilfeplanung"]
    assert list(pl.ueberfaellig(p, date(2027, 7, 1))["bereich"]) == ["Altenhilfeplanung", "Armutsprävention",
                                                                     "Sozialberichterstattung"]
    tabelle = pl.zyklustabelle(p, date(2026, 12, 4)).set_index("Bereich")
    jugend = tabelle.loc["Jugendhilfeplanung"]
    assert list(jugend[list(PHASEN)]) == ["✓"] * 5 + ["● seit 01/2022", "", ""]
    assert jugend["Beschluss"] == "Jugendhilfeausschuss, 10.05.2021, Drs. JHA/2021/031"
    assert tabelle.loc["Altenhilfeplanung", "Fortschreibung fällig"] == "⚠ überfällig seit 30.06.2024"
    assert pl.teilnehmende_text(p, "B12") == "45 (Bürgerinnen und Bürger 41, Verwaltung 4)"
    assert pl.zaehlung(p, 2024)["Sozialraumkonferenz"] == 4


def test_a_new_phase_enters_the_history_and_the_public_waits_for_publication(store):
    daten = b"planungszyklus:\n  - {bereich: Jugendhilfeplanung, phase: Evaluation, phase_seit: 2025-04-01}\n"
    v = imp.vorbereiten(store, daten, "jhp.yaml")
    assert v.uebernehmbar and imp.vorschau(v) == "Planungszyklus: geändert 1"
    lid = imp.uebernehmen(store, v, "p.planer")
    p = pl.lade(store)
    z = p.zyklus.set_index("bereich").loc["Jugendhilfeplanung"]
    assert z["phase"] == "Evaluation" and z["drucksache"] == "JHA/2021/031"        # the rest kept
    assert list(p.phasen.query("bereich == 'Jugendhilfeplanung'")["phase"]) == ["Umsetzung", "Evaluation"]
    oeffentlich = pl.lade(store.cursor(nur_veroeffentlicht=True)).zyklus.set_index("bereich")
    assert oeffentlich.loc["Jugendhilfeplanung", "phase"] == "Umsetzung"
    lieferungen.veroeffentlichen(store, lid, "p.planer")
    assert pl.lade(store.cursor(nur_veroeffentlicht=True)).zyklus.set_index("bereich").loc[
        "Jugendhilfeplanung", "phase"] == "Evaluation"


def test_every_error_in_german_and_nothing_written(store):
    vorher = len(store.lade_lieferungen())
    daten = ("planungszyklus:\n  - {bereich: X, phase: Nachdenken}\n  - {phase: Auftrag}\n"
             "beteiligung:\n  - {id: B90, art: Stammtisch, datum: 32.13.2024, titel: T, sozialraeume: [9999],"
             " massnahmen: [M99], teilnehmende: {Verwaltung: viele}}\n"
             "  - {id: B91, art: Trägerrunde, datum: 2024-01-01}\n").encode()
    v = imp.vorbereiten(store, daten, "kaputt.yaml")
    assert {p.pruefung for p in v.bericht.fehler} == {
        "Unbekannte Phase", "Pflichtangabe fehlt", "Unbekannte Art der Beteiligung", "Ungültiges Datum",
        "Unbekannter Bezug", "Teilnehmende keine Anzahl"}
    assert "9999, M99" in next(p.meldung for p in v.bericht.fehler if p.pruefung == "Unbekannter Bezug")
    with pytest.raises(ImportFehler):
        imp.uebernehmen(store, v, "p.planer")
    assert len(store.lade_lieferungen()) == vorher
    with pytest.raises(ImportFehler, match="planungszyklus:"):
        imp.vorbereiten(store, b"massnahmen: []\n", "falsch.yaml")


@pytest.mark.parametrize("feld, text", [
    ("themen", "Rückfragen an m.mustermann@web.de"),
    ("ergebnisse", "Frau Schulz ruft zurück: 0209 1234567"),
    ("teilnehmende", {"Familie Meier (Tel. +49 171 2345678)": 2}),
])
def test_the_form_refuses_contact_details_in_a_participation_record(store, feld, text):
    eintrag = {"id": "B50", "art": "Bürgerbeteiligung", "datum": date(2025, 5, 1), "titel": "Spielplatz Hafen",
               "sozialraeume": ["0203"], "teilnehmende": {"Bürgerinnen und Bürger": 12}, feld: text}
    v = imp.aus_formular(store, [], [eintrag])
    assert [p.pruefung for p in v.bericht.fehler] == ["Persönliche Daten"] and not v.uebernehmbar
    assert "keine Namen, Adressen oder Telefonnummern" in v.bericht.fehler[0].meldung
    eintrag[feld] = {"Bürgerinnen und Bürger": 12} if feld == "teilnehmende" else "Spielgeräte erneuern"
    assert imp.aus_formular(store, [], [eintrag]).uebernehmbar


def test_the_same_file_again_changes_nothing(demo):
    from pathlib import Path
    daten = (Path(__file__).resolve().parents[2] / "fis" / "demo" / "planung.yaml").read_bytes()
    v = imp.vorbereiten(demo, daten, "nochmal.yaml")
    assert set(v.vergleich["art"]) == {"unverändert"} and not v.uebernehmbar

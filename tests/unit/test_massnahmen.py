"""Maßnahmenregister: the demo through the delivery path, partial updates with status history, German numbers,
every check in German with nothing written, the form on the same path, publication and rollback, the sums per
goal and per inhabitant, the flags (red goal without a running measure, Handlungsbedarf without a measure), and
the public role's withheld people counts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis import massnahmen as mn
from fis.ingest import lieferungen
from fis.ingest import massnahmen as imp
from fis.ingest.arten import LIEFERARTEN, pruefkatalog
from fis.ingest.lesen import ImportFehler

# ---------------------------------------------------------------------------- the demo


def test_demo_register_has_the_issues_shape(demo):
    reg = mn.lade(demo)
    m = reg.massnahmen
    assert len(m) == 42 and m["veroeffentlicht"].all()
    assert set(m["handlungsfeld"]) == {"Kinder und Jugend", "Bildung", "Gesundheit", "Arbeit und Einkommen", "Wohnen",
                                       "Teilhabe und Integration", "Demografie"}
    assert len({r for rs in m["raeume"] for r in rs}) >= 10
    assert len(reg.evaluationen) >= 15 and set(reg.evaluationen["ergebnis"]) == set(mn.SYMBOL)
    # two deliveries: the YAML of January 2024 and the CSV export of January 2025
    arten = demo.lade_lieferungen().query("art == 'massnahmen'")
    assert list(arten["dateiname"]) == ["massnahmen_2024-01.yaml", "massnahmenregister_2025-01.csv"]
    assert list(arten["anzahl_neu"]) == [34, 8] and arten["veroeffentlicht_am"].notna().all()
    # the CSV added „abgeschlossen“ to the history the YAML delivered
    verlauf = reg.status[reg.status["massnahme_id"] == "M13"]
    assert list(zip(verlauf["status"], verlauf["seit"], strict=True)) == [
        ("beschlossen", date(2022, 2, 1)), ("laufend", date(2022, 5, 1)), ("abgeschlossen", date(2024, 12, 31))]
    # planned budget: 480.000 € from 2022, +2 % a year, in hundreds; the CSV's German numbers („499.400“) read back
    m01 = reg.jahre[reg.jahre["massnahme_id"] == "M01"].set_index("jahr")
    assert m01.loc[2022, "budget_plan"] == 480_000 and m01.loc[2024, "budget_plan"] == 499_400
    assert m01.loc[2024, "budget_ist"] > 0 and np.isnan(m01.loc[2025, "budget_ist"])


def test_budget_and_measures_per_goal_by_hand(demo):
    reg = mn.lade(demo)
    h1 = mn.je_ziel(reg, 2024).set_index("ziel_id").loc["H1"]
    # M01 499.400 + M02 67.600 (65.000 × 1,02², rounded) + M04 91.800 (90.000 × 1,02); M05 starts in 2025
    assert (h1["massnahmen"], h1["laufend"], h1["budget_plan"]) == (4, 3, 499_400 + 67_600 + 91_800)
    assert h1["wirksam"] == 1                                         # M01 (Fremdevaluation 10/2024)
    tabelle = mn.fuer_ziel(reg, "H1", 2024, {})
    assert list(tabelle["Kennung"]) == ["M01", "M02", "M04", "M05"]
    assert tabelle.set_index("Kennung").loc["M01", "Evaluation"] == "✔ wirksam (10/2024)"


def test_handlungsbedarf_without_measure_and_red_goal_without_running_measure(demo):
    reg = mn.lade(demo)
    assert mn.ohne_massnahme(reg, ["0706", "0202", "0805"]) == ["0706"]     # 0805: M26 (Ausbildungsbrücke)
    bewertung = pd.DataFrame({"ziel_id": ["H1", "A9", "K8", "X1"], "ampel_eigen": ["rot", "rot", "gelb", "rot"]})
    # H1 and A9 have running measures; K8 is yellow; X1 has none
    assert mn.rot_ohne_laufende(bewertung, reg) == ["X1"]
    nur_geplant = mn.Register(reg.massnahmen.assign(status="geplant"), reg.status, reg.jahre, reg.evaluationen)
    assert mn.rot_ohne_laufende(bewertung, nur_geplant) == ["A9", "H1", "X1"]
    # in the demo, H8 (Abbruchquote in der Vollzeitpflege) is red in 2024 and served by no measure


def test_budget_per_inhabitant_spreads_a_measure_over_its_inhabitants():
    m = pd.DataFrame({"massnahme_id": ["A", "B", "C"], "status": ["laufend", "laufend", "laufend"],
                      "raeume": [["r1", "r2"], ["r1"], []]})
    jahre = pd.DataFrame({"massnahme_id": ["A", "B", "C"], "jahr": 2024, "budget_plan": [1000.0, 500.0, 9999.0]})
    reg = mn.Register(m, pd.DataFrame(), jahre, pd.DataFrame())
    je = mn.je_sozialraum(reg, pd.Series({"r1": 100.0, "r2": 300.0, "r3": 50.0}), 2024).set_index("raum_id")
    # A: 1.000 € over 400 inhabitants → r1 250 €, r2 750 €; B: 500 € in r1; C is city-wide (not on the map)
    assert je.loc["r1", "budget"] == 750 and je.loc["r2", "budget"] == 750
    assert je.loc["r1", "budget_je_einwohner"] == 7.5 and je.loc["r2", "budget_je_einwohner"] == 2.5
    assert list(je["massnahmen"]) == [2, 1, 0] and np.isnan(je.loc["r3", "budget"])


# ---------------------------------------------------------------------------- deliveries

def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_partial_yaml_changes_the_status_keeps_the_rest_and_rolls_back(store):
    vorher = mn.lade(store)
    daten = b"massnahmen:\n  - id: M01\n    status: eingestellt\n    status_seit: 2025-03-31\n"
    v = LIEFERARTEN["massnahmen"].pruefen(_auftrag(store, daten, "m01.yaml"))
    assert v.uebernehmbar and v.vergleich.set_index("massnahme_id").loc["M01", "geaendert"] == "status, Statusverlauf"
    assert any("41 Maßnahmen des Registers stehen nicht in der Lieferung" in p.meldung for p in v.bericht.probleme)
    lid = imp.uebernehmen(store, v, "p.planer")
    nachher = mn.lade(store)
    m01 = nachher.massnahme("M01")
    assert m01["status"] == "eingestellt" and m01["titel"] == vorher.massnahme("M01")["titel"]
    assert m01["raeume"] == ["0202", "0205", "0206", "0301"] and not m01["veroeffentlicht"]
    assert list(nachher.status.query("massnahme_id == 'M01'")["status"]) == [
        "geplant", "beschlossen", "laufend", "eingestellt"]
    pd.testing.assert_frame_equal(nachher.jahre.query("massnahme_id == 'M01'").reset_index(drop=True),
                                  vorher.jahre.query("massnahme_id == 'M01'").reset_index(drop=True))
    # the public sees the published version until the delivery is published
    oeffentlich = mn.lade(store.cursor(nur_veroeffentlicht=True))
    assert oeffentlich.massnahme("M01")["status"] == "laufend"
    lieferungen.veroeffentlichen(store, lid, "p.planer")
    assert mn.lade(store.cursor(nur_veroeffentlicht=True)).massnahme("M01")["status"] == "eingestellt"
    lieferungen.zuruecknehmen(store, lid, "p.planer", "falsch gemeldet")
    zurueck = mn.lade(store)
    assert zurueck.massnahme("M01")["status"] == "laufend"
    assert list(zurueck.status.query("massnahme_id == 'M01'")["status"]) == ["geplant", "beschlossen", "laufend"]


def _auftrag(store, daten: bytes, name: str):
    from fis.ingest.arten import Auftrag
    return Auftrag(store, None, daten, name, "p.planer")


def test_a_new_measure_from_a_german_csv_by_area_names(store):
    daten = _csv("Kennung;Titel;Handlungsfeld;Sozialräume;Ziele;Status;Beginn;Budget Plan 2025;teilnehmende_2025;"
                 "evaluation_datum;evaluation_methode;evaluation_ergebnis\n"
                 "M99;Nachbarschaftscafé;Teilhabe und Integration;Altstadt, 0203;H1, K2;in Umsetzung;01.03.2025;"
                 "12.500,50;12;30.11.2025;extern;teilweise\n")
    v = imp.vorbereiten(store, daten, "neu.csv")
    assert v.uebernehmbar, v.bericht.als_text()
    imp.uebernehmen(store, v, "p.planer")
    reg = mn.lade(store)
    m = reg.massnahme("M99")
    assert (m["raeume"], m["ziele"], m["status"], m["beginn"]) == (["0101", "0203"], ["H1", "K2"], "laufend",
                                                                   date(2025, 3, 1))
    j = reg.jahre.query("massnahme_id == 'M99'").iloc[0]
    assert (j["jahr"], j["budget_plan"], j["teilnehmende"]) == (2025, 12_500.5, 12)
    e = reg.evaluationen.query("massnahme_id == 'M99'").iloc[0]
    assert (e["datum"], e["methode"], e["ergebnis"]) == (date(2025, 11, 30), "Fremdevaluation", "teilweise wirksam")
    # the same measure again: nothing changes, nothing to commit
    again = imp.vorbereiten(store, daten.replace(b"\n", b"\r\n"), "neu2.csv")
    assert not again.uebernehmbar and again.bericht.ok
    assert any(p.pruefung == "Keine Änderung" for p in again.bericht.probleme)


def test_every_error_in_german_and_nothing_written(store):
    anzahl = len(store.lade_massnahmen())
    daten = _csv("id;titel;handlungsfeld;sozialraeume;ziele;produkte;status;beginn;ende;budget_plan_2025;"
                 "evaluation_datum;evaluation_methode;evaluation_ergebnis\n"
                 "N1;Neu;Bildung;0999;Z9;99.99;irgendwie;31.02.2025;;-5;2025-01-01;Bauchgefühl;super\n"
                 "N2;;Bildung;;;;geplant;01.01.2026;01.01.2025;viel;;;\n"
                 "N3;Doppelt;Bildung;;;;geplant;;;;;;\n"
                 "N3;Doppelt;Bildung;;;;geplant;;;;;;\n")
    v = imp.vorbereiten(store, daten, "kaputt.csv")
    fehler = {p.pruefung: p.meldung for p in v.bericht.fehler}
    assert set(fehler) == {"Pflichtangabe fehlt", "Kennung doppelt", "Unbekannter Status", "Ungültiges Datum",
                           "Ende vor Beginn", "Unbekannter Sozialraum", "Unbekanntes Ziel", "Unbekanntes Produkt",
                           "Keine Zahl", "Unbekannte Evaluationsmethode", "Unbekanntes Evaluationsergebnis"}
    assert "Erlaubt: geplant, beschlossen, laufend, abgeschlossen, eingestellt" in fehler["Unbekannter Status"]
    assert "1 Maßnahme nennt Sozialräume, die es nicht gibt: 0999." in fehler["Unbekannter Sozialraum"]
    assert "„stadtweit“" in fehler["Unbekannter Sozialraum"]
    assert "2 Angaben sind keine Zahl oder negativ" in fehler["Keine Zahl"]
    assert not v.uebernehmbar
    with pytest.raises(ImportFehler, match="können nicht übernommen werden"):
        imp.uebernehmen(store, v, "p.planer")
    assert len(store.lade_massnahmen()) == anzahl and len(store.lade_massnahme_jahre()) == len(
        mn.lade(store).jahre)


def test_without_an_id_column_the_file_is_refused_and_contacts_are_warned(store):
    v = imp.vorbereiten(store, _csv("Titel;Status\nA;geplant\n"), "ohne.csv")
    assert [p.pruefung for p in v.bericht.fehler] == ["Spalte fehlt"] and not v.uebernehmbar
    assert "Vorhanden: Titel, Status" in v.bericht.fehler[0].meldung
    v = imp.vorbereiten(store, b"massnahmen:\n  - id: M02\n    verantwortlich: Frau Muster, "
                               b"erika.muster@musterstadt.de, 0209 123456\n", "kontakt.yaml")
    assert [p.pruefung for p in v.bericht.warnungen] == ["Persönliche Kontaktdaten"] and v.uebernehmbar


def test_unreadable_files_get_a_german_error(store):
    with pytest.raises(ImportFehler, match="massnahmen:"):
        imp.vorbereiten(store, b"ziele:\n  - id: X\n", "falsch.yaml")
    with pytest.raises(ImportFehler, match="Endung"):
        imp.vorbereiten(store, b"x", "register.pdf")


def test_the_form_goes_the_same_way(store):
    eintrag = {"id": "M50", "titel": "Stadtteilmütter", "handlungsfeld": "Teilhabe und Integration",
               "status": "beschlossen", "status_seit": date(2025, 6, 1), "raeume": ["0202"], "ziele": ["L3"],
               "produkte": [], "beginn": date(2025, 9, 1), "ende": None,
               "jahre": {2025: {"budget_plan": 40_000.0}}, "evaluationen": []}
    v = imp.aus_formular(store, eintrag)
    assert v.uebernehmbar, v.bericht.als_text()
    lid = imp.uebernehmen(store, v, "p.planer", "Maßnahme M50 (Formular)")
    lieferung = store.lade_lieferungen().set_index("lieferung_id").loc[lid]
    assert lieferung["art"] == "massnahmen" and pd.isna(lieferung["dateiname"])
    assert mn.lade(store).massnahme("M50")["status"] == "beschlossen"
    assert store.lade_audit().iloc[-1]["objekt_id"] == str(lid)
    wieder = imp.aus_formular(store, eintrag)
    assert not wieder.uebernehmbar and wieder.bericht.ok           # unchanged: nothing to save


def test_the_registry_lists_the_kind_and_its_checks():
    assert LIEFERARTEN["massnahmen"].name == "Maßnahmenregister"
    katalog = pruefkatalog()
    eigene = katalog[katalog["Art"] == "Maßnahmenregister"]
    assert {"massnahme_status", "massnahme_raum", "massnahme_ziel", "massnahme_kontakt"} <= set(eigene["Kennung"])


# ---------------------------------------------------------------------------- privacy

def test_the_public_role_gets_no_people_count_below_the_threshold(store):
    daten = b"massnahmen:\n  - id: M01\n    jahre: {2024: {teilnehmende: 2, faelle: 89}}\n"
    v = imp.vorbereiten(store, daten, "klein.yaml")
    lid = imp.uebernehmen(store, v, "p.planer")
    lieferungen.veroeffentlichen(store, lid, "p.planer")
    reg = mn.lade(store.cursor(nur_veroeffentlicht=True), schwelle=3)
    j = reg.jahre.query("massnahme_id == 'M01' and jahr == 2024").iloc[0]
    assert np.isnan(j["teilnehmende"]) and j["teilnehmende_zurueckgehalten"] and j["faelle"] == 89
    tabelle = mn.uebersicht(reg, mn.filtern(reg, ziel="H1"), 2024, {})
    assert tabelle.set_index("Kennung").loc["M01", "Leistung 2024"] == "Teilnehmende < 3, Fälle 89"
    assert mn.jahrestabelle(reg, "M01").set_index("Jahr").loc["2024", "Teilnehmende"] == "< 3"
    # nothing the public receives holds the 2: not the figures, not a sum (no sum of people counts is offered)
    export = mn.export_tabellen(reg, reg.massnahmen, {}).values()
    for frame in (reg.jahre, tabelle, mn.jahrestabelle(reg, "M01"), *export):
        assert not frame.astype(str).isin(["2", "2.0", "2,0"]).any().any()
    assert set(mn.summen(reg, reg.massnahmen, 2024)) == {"anzahl", "laufend", "plan", "ist", "evaluiert", "wirksam"}


# ---------------------------------------------------------------------------- link integrity

def test_a_goal_with_measures_or_sub_goals_is_not_deleted(store):
    from fis import ziele
    with pytest.raises(ImportFehler, match=r"Ziel H1 kann nicht gelöscht werden: 4 Maßnahmen dienen ihm "
                                           r"\(M01, M02, M04, M05\)\. Bitte die Maßnahmen zuerst"):
        ziele.entfernen(store, "H1", "p.planer")
    with pytest.raises(ImportFehler, match="Unterziele hängen daran"):
        ziele.entfernen(store, "L1", "p.planer")
    assert "H1" in set(store.lade_ziele()["ziel_id"])
    # H8 has no measure and no sub-goal: deleted, audited with its content; the public sees it until publication
    lid = ziele.entfernen(store, "H8", "p.planer")
    assert "H8" not in set(store.lade_ziele()["ziel_id"]) and "H8" not in set(store.lade_ziel_soll()["ziel_id"])
    audit = store.lade_audit().iloc[-1]
    assert (audit["aktion"], audit["objekt_id"]) == ("ziel_geloescht", "H8") and "Abbruchquote" in audit["details"]
    oeffentlich = store.cursor(nur_veroeffentlicht=True)
    assert "H8" in set(oeffentlich.lade_ziele()["ziel_id"])
    lieferungen.veroeffentlichen(store, lid, "p.planer")
    assert "H8" not in set(oeffentlich.lade_ziele()["ziel_id"])
    assert len(oeffentlich.lade_ziele()) == 36 and oeffentlich.lade_ziele()["titel"].notna().all()

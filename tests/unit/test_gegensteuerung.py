"""Gegensteuerung im Abweichungsbericht: saved per goal and year as its own delivery, withdrawn by an empty text,
seen by the public only when published, refused for unknown goals and roles without the right; the report
carries each goal's measures and Gegensteuerung in app, PDF and command line alike."""

from __future__ import annotations

from datetime import date

import pytest

from fis import controlling as ctl
from fis import gegensteuerung as gs
from fis import hochrechnung
from fis import massnahmen as mn
from fis.ingest import lieferungen
from fis.ingest.lesen import ImportFehler
from fis.wuerfel import lade_monitoring
from fis.zugang import Benutzer, KeinZugriff


def test_the_demo_proposes_against_four_red_goals(demo):
    g = gs.je_ziel(demo, 2024)
    assert sorted(g) == ["A7", "H1", "H8", "K7"] and all(e["veroeffentlicht"] for e in g.values())
    assert gs.satz(g["H8"]) == ("Krisenberatung für Pflegefamilien einrichten und jeden Abbruch im Fachteam "
                                "auswerten. (verantwortlich: Jugendamt, Pflegekinderdienst; bis 30.06.2025)")
    assert gs.je_ziel(demo, 2023) == {}


def test_save_withdraw_publish_and_refuse(store):
    lid = gs.speichern(store, "K8", 2024, "Bewegungsangebote in Grundschulen ergänzen", "Sportamt",
                       date(2025, 9, 1), "p.planer")
    assert gs.je_ziel(store, 2024)["K8"]["termin"] == date(2025, 9, 1)
    assert "K8" not in gs.je_ziel(store.cursor(nur_veroeffentlicht=True), 2024)       # provisional
    lieferungen.veroeffentlichen(store, lid, "p.planer")
    assert "K8" in gs.je_ziel(store.cursor(nur_veroeffentlicht=True), 2024)
    assert store.lade_audit().iloc[-2]["aktion"] == "gegensteuerung_gespeichert"
    gs.speichern(store, "K8", 2024, "", None, None, "p.planer")                          # withdrawn
    assert "K8" not in gs.je_ziel(store, 2024)
    with pytest.raises(ImportFehler, match="Ziel „X9“ gibt es nicht"):
        gs.speichern(store, "X9", 2024, "Text", None, None, "p.planer")
    with pytest.raises(ImportFehler, match="höchstens 1000 Zeichen"):
        gs.speichern(store, "K8", 2024, "x" * 1001, None, None, "p.planer")
    with pytest.raises(KeinZugriff):
        gs.speichern(store, "K8", 2024, "Text", None, None, Benutzer("a.ausschuss", "ausschuss"))


def test_the_report_lists_measures_and_gegensteuerung_per_goal(demo, config):
    c = ctl.lade_controlling(demo, lade_monitoring(demo, config))
    b = ctl.bewerte_ziele(c, 2024, config.controlling)
    jahr, monat = hochrechnung.berichtsstand(c, "Quartal")
    h = hochrechnung.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    bericht = ctl.abweichungsbericht(c, b, h, "Quartal", *gs.fuer_bericht(demo, 2024)).set_index("kennung")
    assert bericht.loc["H1", "massnahmen"] == "M01, M02, M04 laufend; M05 beschlossen"
    assert bericht.loc["H8", "massnahmen"] == "keine"
    assert bericht.loc["H1", "gegensteuerung"].startswith("Sozialraumteams (M01) auf die Bezirke Nordost")
    assert bericht.loc["A3", "gegensteuerung"] == ""
    haushalt = bericht[bericht["art"] == "Haushalt"]
    assert (haushalt["massnahmen"] == "").all() and (haushalt["gegensteuerung"] == "").all()
    tabelle = ctl.berichtstabelle(bericht.reset_index())
    assert list(tabelle.columns[-2:]) == ["Maßnahmen", "Gegensteuerung"]
    assert mn.kurz_je_ziel(mn.lade(demo))["K2"] == "M09, M10, M31 laufend"

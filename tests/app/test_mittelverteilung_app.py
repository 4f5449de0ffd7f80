"""The page „Mittelverteilung“: 500.000 € by the Sozialindex with an exact sum, posts by class, a refused rule
in German, a scenario saved by a planner and compared, the PDF; Leitung reads and compares but saves nothing."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fis.store import Store
from fis.zugang import Benutzerdatei
from tests.app.helfer import ROOT


@pytest.fixture
def app(monkeypatch, demo_copy, tmp_path):
    pfad = tmp_path / "benutzer.json"
    d = Benutzerdatei(pfad)
    d.hinzufuegen("p.planer", "planung", "Planung-Passwort-1")
    d.hinzufuegen("l.leitung", "leitung", "Leitung-Passwort-1")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    monkeypatch.setenv("FIS_DB", str(demo_copy))
    monkeypatch.setenv("FIS_FEHLER_DURCHREICHEN", "1")
    monkeypatch.chdir(ROOT)

    def als(name: str, passwort: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
        at.text_input(key="zugang_name").set_value(name)
        at.text_input(key="zugang_passwort").set_value(passwort)
        at.button[0].click().run()
        at.switch_page("seiten/mittelverteilung.py").run()
        assert not at.exception and at.title[0].value == "Mittelverteilung nach Sozialindex"
        return at
    return als, demo_copy


def _kennzahlen(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_planner_allocates_saves_and_compares(app):
    als, db = app
    at = als("p.planer", "Planung-Passwort-1")
    k = _kennzahlen(at)
    assert k["Verteilt"] == "500.000 €" and k["Bedachte Sozialräume"] == "20 von 51"
    assert k["Größter Betrag"] == "61.400 €"
    assert "Hare/Niemeyer" in at.info[0].value and "über der Schwelle von 0" in at.info[0].value
    tabelle = at.dataframe[0].value
    assert tabelle.iloc[0]["Betrag (€)"] == "61.400 €" and tabelle.iloc[0]["Sozialraum"] == "Schlossviertel (0103)"
    # a minimum that cannot be met: a German sentence instead of a result
    at.number_input(key="mv_min_€").set_value(30_000).run()
    assert "Der Mindestbetrag von 30.000 € für 20 Gebiete ergibt 600.000 €" in at.error[0].value
    at.number_input(key="mv_min_€").set_value(10_000).run()
    assert not at.error and _kennzahlen(at)["Kleinster Betrag (bedachte)"] == "10.000 €"
    at.text_input(key="mv_name").set_value("Sockel 10.000 €").run()
    at.button(key="mv_speichern").click().run()
    assert "Szenario „Sockel 10.000 €“ gespeichert." in [s.value for s in at.success]
    # by class, compared with the saved scenario: the spread per area
    at.radio(key="mv_verfahren").set_value("klassen").run()
    vergleich = at.dataframe[-1].value.set_index("Gebiet")
    assert list(vergleich.columns) == ["aktuelle Einstellung", "Sockel 10.000 €", "Spanne (€)"]
    # 15 areas share 450.000 € by their points: 2,396 × 450.000 / 18,604 = 57.955,28 €, rounded down
    assert vergleich.at["Schlossviertel (0103)", "Sockel 10.000 €"] == "57.900 €"
    # posts: euros are not compared with posts
    at.segmented_control(key="mv_einheit").set_value("Stellen").run()
    assert _kennzahlen(at)["Verteilt"] == "12 Stellen"
    assert any("Verglichen werden nur Szenarien in Stellen; 1 weitere" in c.value for c in at.caption)
    at.button(key="mv_pdf").click().run()
    assert at.get("download_button")
    with Store.open(db, read_only=True) as store:
        gespeichert = store.lade_verteilungsszenarien()
        audit = store.lade_audit()
    assert gespeichert["name"].tolist() == ["Sockel 10.000 €"] and gespeichert["summe"].tolist() == [500_000]
    assert ((audit["aktion"] == "szenario_gespeichert") & (audit["benutzer"] == "p.planer")).sum() == 1


def test_leitung_reads_but_saves_nothing(app):
    als, _ = app
    at = als("l.leitung", "Leitung-Passwort-1")
    assert _kennzahlen(at)["Verteilt"] == "500.000 €"
    assert not [t for t in at.text_input if t.key == "mv_name"]
    assert any("Noch kein Szenario gespeichert" in c.value for c in at.caption)

"""AppTests of the page „Planungszyklus“ (#25): the cycle per Bereich with the overdue Fortschreibung, the
participation table and filters, a planner recording a Beteiligung (and the refusal of a telephone number), and
the committee's published view."""

from __future__ import annotations

from fis.ingest.planung import PHASEN
from fis.store import Store
from tests.app.helfer import als_ausschuss, seite


def _tabelle(at, spalte: str):
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


def test_the_cycle_shows_every_bereich_and_the_overdue_fortschreibung(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "planungszyklus")
    zyklus = _tabelle(at, "Beschluss")
    assert len(zyklus) == 8 and list(zyklus.columns[2:10]) == list(PHASEN)
    aktuell = {r["Bereich"]: next(ph for ph in PHASEN if str(r[ph]).startswith("●")) for _, r in zyklus.iterrows()}
    assert sorted(aktuell.values()) == sorted(PHASEN)
    assert any("Altenhilfeplanung" in w.value and "30.06.2024" in w.value for w in at.warning)
    metriken = {m.label: m.value for m in at.metric}
    assert metriken["Planungsbereiche"] == "8" and metriken["Fortschreibung überfällig"] == "1"
    assert metriken["Beteiligungen 2024"] == "9"
    beteiligung = _tabelle(at, "Teilnehmende")
    assert len(beteiligung) == 14 and beteiligung.iloc[0]["Titel"] == "Trägerrunde Wohnungsnotfallhilfe"
    at.multiselect(key="pz_arten").set_value(["Fachkonferenz"]).run()
    assert list(_tabelle(at, "Teilnehmende")["Titel"]) == ["Fachkonferenz Frühe Hilfen",
                                                             "Fachkonferenz Hilfen zur Erziehung"]


def test_a_planner_records_a_beteiligung_but_no_phone_number(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "planungszyklus")
    at.radio(key="pz_pflege").set_value("beteiligung").run()
    at.text_input(key="pz_b_titel").set_value("Bürgerversammlung Kanalhafen")
    at.multiselect(key="pz_b_raeume").set_value(["0706"])
    at.text_area(key="pz_b_ergebnisse").set_value("Herr Krause meldet sich unter 0209 4455667")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception
    assert any("**Persönliche Daten**" in e.value and "Telefonnummer" in e.value for e in at.error)
    with Store.open(demo_copy, read_only=True) as s:
        assert "B15" not in set(s.lade_beteiligung()[0]["beteiligung_id"])
    at.text_area(key="pz_b_ergebnisse").set_value("Treffpunkt für Jugendliche gewünscht")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert any("Beteiligung B15 gespeichert" in s.value for s in at.success)
    with Store.open(demo_copy, read_only=True) as s:
        b = s.lade_beteiligung()[0].set_index("beteiligung_id").loc["B15"]
        assert list(b["raeume"]) == ["0706"] and b["art"] == "Sozialraumkonferenz"


def test_the_committee_sees_the_cycle_without_editing(monkeypatch, demo_copy, tmp_path):
    at = als_ausschuss(monkeypatch, demo_copy, tmp_path, "planungszyklus")
    assert at.title[0].value == "Planungszyklus"
    assert len(_tabelle(at, "Beschluss")) == 8 and not [r for r in at.radio if r.key == "pz_pflege"]
    assert not at.get("download_button")

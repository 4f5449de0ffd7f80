"""AppTests of the Maßnahmenregister (#25): the page „Maßnahmen“ with filters, figures and detail, the form, the
goal detail's measures with the red-goal flag, the profile section, and what the Ausschuss sees."""

from __future__ import annotations

from fis import massnahmen as mn
from fis.format import fmt_euro
from fis.ingest import massnahmen as imp
from fis.store import Store
from tests.app.helfer import als_ausschuss, seite


def _tabelle(at, spalte: str):
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


def test_the_page_shows_what_is_done_where_at_what_cost(monkeypatch, demo_copy, demo):
    reg = mn.lade(demo)
    at = seite(monkeypatch, demo_copy, "massnahmen")
    offen = mn.filtern(reg, status=mn.OFFEN)
    tabelle = _tabelle(at, "Maßnahme")
    assert list(tabelle["Kennung"]) == list(offen["massnahme_id"]) and len(tabelle) == 38
    s = mn.summen(reg, offen, 2024)
    metriken = {x.label: (x.value, x.delta) for x in at.metric}
    assert metriken["Maßnahmen"][0] == "38" and metriken["davon laufend"][0] == str(s["laufend"])
    assert metriken["Budget 2024 (Plan)"] == (fmt_euro(s["plan"]), f"Ist {fmt_euro(s['ist'])}")
    assert any("Handlungsbedarf ohne Maßnahme" in w.value and "Am Kanalhafen" in w.value for w in at.warning)
    # the detail of the first measure: its status history and its years
    assert at.selectbox(key="mn_id").value == "M01"
    verlauf = next(d.value for d in at.dataframe if list(d.value.columns) == ["Seit", "Status"])
    assert list(verlauf["Status"]) == ["geplant", "beschlossen", "laufend"]
    # filters: one Handlungsfeld, one Bezirk
    at.multiselect(key="mn_hf").set_value(["Wohnen"]).run()
    assert list(_tabelle(at, "Maßnahme")["Kennung"]) == ["M29", "M30", "M31", "M32", "M33"]
    at.multiselect(key="mn_hf").set_value([]).run()
    at.selectbox(key="mn_gebiet").set_value("0202").run()        # Zechenkolonie Fortuna: its own and city-wide
    kennungen = set(_tabelle(at, "Maßnahme")["Kennung"])
    assert {"M01", "M09", "M31", "M02"} <= kennungen and "M07" not in kennungen
    at.selectbox(key="mn_ziel").set_value("H1").run()
    assert list(_tabelle(at, "Maßnahme")["Kennung"]) == ["M01", "M02", "M04", "M05"]
    at.radio(key="mn_mass").set_value("budget_je_einwohner").run()
    assert not at.exception


def test_a_planner_adds_a_measure_with_the_form(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "massnahmen")
    at.radio(key="mn_pflege").set_value("neu").run()
    at.text_input(key="mn_f_neu_id").set_value("M60")
    at.text_input(key="mn_f_neu_titel").set_value("Kinderarmut: Lernförderung im Ganztag")
    at.selectbox(key="mn_f_neu_hf").set_value("Bildung")
    at.multiselect(key="mn_f_neu_raeume").set_value(["0706", "0805"])
    at.multiselect(key="mn_f_neu_ziele").set_value(["K1"])
    next(b for b in at.button if b.label == "Speichern" and "mn_f_neu" in str(b.proto.form_id)).click().run()
    assert not at.exception
    assert any("Maßnahme M60 gespeichert" in s.value for s in at.success)
    reg = mn.lade(Store.open(demo_copy, read_only=True))
    m = reg.massnahme("M60")
    assert (m["raeume"], m["ziele"], m["status"], m["veroeffentlicht"]) == (["0706", "0805"], ["K1"], "geplant", False)
    # now Am Kanalhafen has a measure: the warning is gone
    at.run()
    assert not any("Handlungsbedarf ohne Maßnahme" in w.value for w in at.warning)


def test_the_goal_detail_lists_its_measures_and_flags_a_red_goal_without_one(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "ziele")
    at.selectbox(key="ziel_id").set_value("H1").run()
    assert any(m.value == "**Maßnahmen zu diesem Ziel**" for m in at.markdown)
    assert list(_tabelle(at, "Maßnahme")["Kennung"]) == ["M01", "M02", "M04", "M05"]
    assert any("4 Maßnahmen, davon 3 laufend" in c.value for c in at.caption)
    assert not any("Rot, keine laufende Maßnahme" in e.value for e in at.error)
    # H8 (Abbruchquote in der Vollzeitpflege) is red in 2024, and no measure serves it
    at.selectbox(key="ziel_id").set_value("H8").run()
    assert any("Rot, keine laufende Maßnahme" in e.value for e in at.error)
    assert any("keine Maßnahme zugeordnet" in c.value for c in at.caption)
    # the same flag on the page „Maßnahmen“ for the year of the Stichtag
    at.switch_page("seiten/massnahmen.py").run()
    assert any("Rot, keine laufende Maßnahme" in e.value and "H8" in e.value for e in at.error)


def test_the_profile_shows_the_measures_in_the_area(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "sozialraumprofil")
    at.session_state["profil_raum"] = "0202"
    at.session_state["profil_wahl"] = "0202"
    at.run()
    assert any(s.value == "Maßnahmen in diesem Gebiet" for s in at.subheader)
    kennungen = list(next(d.value for d in at.dataframe if "Maßnahme" in d.value.columns)["Kennung"])
    assert kennungen == ["M01", "M06", "M09", "M10", "M14", "M20", "M24", "M27", "M31"]


def test_the_committee_sees_published_measures_only_and_cannot_edit(monkeypatch, demo_copy, tmp_path):
    with Store.open(demo_copy) as store:     # a new, unpublished measure
        v = imp.vorbereiten(store, b"massnahmen:\n  - {id: M70, titel: Entwurf, handlungsfeld: Bildung, "
                                   b"status: geplant}\n", "entwurf.yaml")
        imp.uebernehmen(store, v, "p.planer")
    at = als_ausschuss(monkeypatch, demo_copy, tmp_path, "massnahmen")
    assert at.title[0].value == "Maßnahmen"
    tabelle = _tabelle(at, "Maßnahme")
    assert "M70" not in set(tabelle["Kennung"]) and "Veröffentlicht" not in tabelle.columns
    assert not any(s.value == "Maßnahmen pflegen" for s in at.subheader)
    assert not [s for s in at.selectbox if s.key == "mn_ziel"] and not at.get("download_button")


def test_deleting_a_goal_that_measures_serve_is_refused_in_german(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "ziele")
    at.selectbox(key="ziel_id").set_value("H1").run()
    at.checkbox(key="ziel_loeschen_ok_H1").check().run()
    at.button(key="ziel_loeschen_H1").click().run()
    assert not at.exception
    assert any("Ziel H1 kann nicht gelöscht werden: 4 Maßnahmen dienen ihm" in e.value for e in at.error)
    with Store.open(demo_copy, read_only=True) as s:
        assert "H1" in set(s.lade_ziele()["ziel_id"])

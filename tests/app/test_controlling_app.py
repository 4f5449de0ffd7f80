"""AppTests of the Ziele and Controlling pages on the demo, values checked against fis."""

from __future__ import annotations

import pytest

from fis.controlling import abweichungsbericht, bewerte_ziele, lade_controlling
from fis.hochrechnung import berichtsstand, haushaltszeilen
from fis.wuerfel import lade_monitoring
from tests.app.helfer import seite


@pytest.fixture(scope="module")
def c(demo, config):
    return lade_controlling(demo, lade_monitoring(demo, config))




@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_ziele_tree_and_drill_down_to_heimerziehung(monkeypatch, demo_copy, c, config):
    at = seite(monkeypatch, demo_copy, "ziele")
    jahr = 2024                             # the year of the sidebar's Stichtag 31.12.2024, not the budget's
    assert at.selectbox(key="ziele_jahr").value == jahr
    b = bewerte_ziele(c, jahr, config.controlling).set_index("ziel_id")
    baum = next(d.value for d in at.dataframe if "Zielerreichung" in d.value.columns)
    zeilen = {z.strip().lstrip("└ ").split(" ", 1)[0]: r
              for z, r in zip(baum["Ziel"], baum.to_dict("records"), strict=True)}
    assert len(zeilen) == len(c.ziele)
    assert zeilen["H1"]["Ampel"].endswith(b.at["H1", "ampel"])
    assert zeilen["L1"]["Begründung"].startswith("Ampel: schlechteste Ampel im Teilbaum")
    assert zeilen["H2"]["Ziel"].startswith("        └ H2")          # child of H1, two levels down
    # the drill-down opens on the Heimerziehung goal with its explained Ampel
    assert at.subheader[1].value.startswith("H1: Der Anteil der Heimerziehung")
    hinweis = (at.error or at.warning or at.success or at.info)[0].value
    assert b.at["H1", "text"] in hinweis and b.at["H1", "regel"] in hinweis
    assert at.metric[4].value == "0,30 %" and at.metric[5].value == "0,20 %"


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_ziele_drill_down_with_scenarios(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "ziele")
    at.selectbox(key="ziel_id").set_value("K1").run()
    at.toggle(key="ziel_sz_an").set_value(True).run()
    assert not at.exception
    sz = next(d.value for d in at.dataframe if "Szenario" in d.value.columns).set_index("Szenario")
    assert list(sz.index) == ["best case", "status quo", "worst case"]
    assert sz.at["best case", "Ziel erreicht"] == "ja"              # the default best case reaches the goal
    assert sz.at["worst case", "Ziel erreicht"] == "nein"
    assert sz.at["best case", "Jahr"] == 2027


def test_a_leitziel_without_zieldatum_opens_with_its_edit_form(monkeypatch, demo_copy):
    """Found by the benchmark city, whose first goal is a Leitziel: the form crashed on NaT."""
    at = seite(monkeypatch, demo_copy, "ziele")
    at.selectbox(key="ziel_id").set_value("L1").run()
    assert not at.exception
    assert at.subheader[1].value.startswith("L1: Alle Kinder in Musterstadt")
    assert [d for d in at.date_input if d.label == "Zieldatum"][0].value is None
    assert "nan" not in [t.value for t in at.text] and "Maßnahmen" not in [m.value.strip("*:") for m in at.markdown]


def test_controlling_lists_every_off_track_goal_and_budget_line(monkeypatch, demo_copy, c, config):
    at = seite(monkeypatch, demo_copy, "controlling")
    jahr, monat = berichtsstand(c, "Quartal")
    assert (jahr, monat) == (2026, 9)                  # demo Ist runs to October: last full quarter
    assert at.subheader[0].value == "Abweichungsbericht zum 30.09.2026"
    b = bewerte_ziele(c, 2024, config.controlling)     # goals: the year of the sidebar's Stichtag
    assert "Soll-Ist des Berichtsjahres 2024" in at.caption[0].value
    h = haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    erwartet = abweichungsbericht(c, b, h, "Quartal")
    erwartet = erwartet[erwartet["ampel"].isin(["rot", "gelb"])]
    gezeigt = [k for t in at.table for k in t.value["Kennung"]]
    assert sorted(gezeigt) == sorted(erwartet["kennung"])
    assert set(b.loc[b["ampel_eigen"].isin(["rot", "gelb"]), "ziel_id"]) <= set(gezeigt)
    assert at.metric[0].value == str(int(((erwartet["art"] == "Ziel") & (erwartet["ampel"] == "rot")).sum()))
    assert any(k.startswith("11.") for k in gezeigt)       # at least one budget line deviates


def test_controlling_monthly_view_groups_by_fachbereich(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "controlling")
    at.segmented_control(key="ctl_rhythmus").set_value("Monat").run()
    assert at.subheader[0].value == "Abweichungsbericht zum 31.10.2026"
    titel = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert "#### 51 – Amt für Kinder, Jugend und Familie" in titel


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_ziel_edit_form_saves_with_audit_and_refuses_bad_input(monkeypatch, demo_copy):
    from fis.store import Store

    at = seite(monkeypatch, demo_copy, "ziele")
    toleranz = next(n for n in at.number_input if n.label == "Toleranz")
    assert toleranz.value == 0.01                                 # the H1 form is prefilled
    toleranz.set_value(0.02)
    next(b for b in at.button if b.label == "Ziel speichern").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Gespeichert: 0 neu, 1 geändert, 0 unverändert")
    with Store.open(demo_copy) as store:          # same configuration as the app's connection
        assert store.lade_ziele().set_index("ziel_id").at["H1", "toleranz"] == 0.02
        audit = store.lade_audit()
    assert audit.iloc[-1]["aktion"] == "ziel_geaendert" and audit.iloc[-1]["objekt_id"] == "H1"
    # a new goal without title and with an unknown Raum is refused with German reasons
    neu = [t for t in at.text_input if t.label == "Kennung"][-1]
    neu.set_value("N1")
    [r for r in at.radio if r.label == "Kennzahl"][-1].set_value("indikator")
    [t for t in at.text_input if t.label == "Raum (Kennung)"][-1].set_value("9999")
    [b for b in at.button if b.label == "Ziel speichern"][-1].click().run()
    fehler = at.error[-1].value
    assert "Nicht gespeichert" in fehler and "Ziel N1: „titel“ fehlt." in fehler
    assert "Ziel N1: Raum „9999“ ist unbekannt." in fehler


def test_a_planner_enters_the_gegensteuerung_of_a_red_goal(monkeypatch, demo_copy):
    from tests.app.helfer import seite
    at = seite(monkeypatch, demo_copy, "controlling")
    tabellen = [t.value for t in at.table]
    h1 = next(t for t in tabellen if "H1" in list(t["Kennung"]))
    zeile = h1[h1["Kennung"] == "H1"].iloc[0]
    assert zeile["Maßnahmen"] == "M01, M02, M04 laufend; M05 beschlossen"
    assert zeile["Gegensteuerung"].startswith("Sozialraumteams (M01)")
    at.selectbox(key="gs_ziel").set_value("K8").run()
    at.text_area[0].set_value("Bewegungsangebote in den Grundschulen der Bezirke Nord und Nordost ergänzen")
    at.text_input[0].set_value("Gesundheitsamt")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception
    assert any("Gegensteuerung für K8 gespeichert" in s.value for s in at.success)
    k8 = next(t for t in (t.value for t in at.table) if "K8" in list(t["Kennung"]))
    assert k8[k8["Kennung"] == "K8"].iloc[0]["Gegensteuerung"] == (
        "Bewegungsangebote in den Grundschulen der Bezirke Nord und Nordost ergänzen (verantwortlich: Gesundheitsamt)")

"""Mittelverteilung nach Index: hand-computed allocations, the largest-remainder rounding (the sum is exact),
bounds, German refusals, the demo's Sozialindex, scenarios in the store, command line and PDF."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis import mittelverteilung as mv
from fis.cli import main
from fis.store import Store
from fis.zugang import Benutzer, KeinZugriff

STICHTAG = date(2024, 12, 31)


def _grundlage(werte: dict[str, float], klassen: dict[str, str] | None = None, bezug: dict[str, float] | None = None,
               hoch_gut: bool = False, grund: dict[str, str] | None = None) -> mv.Grundlage:
    frame = pd.DataFrame({"raum_id": list(werte), "name": [f"Gebiet {r}" for r in werte],
                          "wert": list(werte.values()), "klasse": [(klassen or {}).get(r) for r in werte],
                          "grund": [(grund or {}).get(r, "") for r in werte]})
    return mv.Grundlage("Testindex", frame, "", "Einwohner", pd.Series(bezug, dtype=float) if bezug else None,
                        (("A", "gering"), ("B", "mittel"), ("C", "hoch")), hoch_gut)


def test_hare_niemeyer_the_textbook_case():
    # 10 seats for 4.160, 3.380 and 2.460 votes: quotas 4,16 / 3,38 / 2,46 → 4, 3, 2 and the last seat to
    # the largest remainder (0,46)
    v = mv.verteilen(pd.Series({"a": 4160.0, "b": 3380.0, "c": 2460.0}), 10, 1)
    assert v["betrag"].tolist() == [4, 3, 3] and v["exakt"].round(2).tolist() == [4.16, 3.38, 2.46]


def test_equal_remainders_go_to_the_lower_kennung_and_the_sum_stays_exact():
    v = mv.verteilen(pd.Series({"c": 1.0, "a": 1.0, "b": 1.0}), 100, 1)
    assert v["betrag"].to_dict() == {"c": 33, "a": 34, "b": 33}
    v = mv.verteilen(pd.Series({"x": 1.0, "y": 2.0}), 500_000, 100)          # 166.666,67 / 333.333,33
    assert v["betrag"].to_dict() == {"x": 166_700, "y": 333_300}


def test_maximum_and_minimum_are_met_and_the_rest_is_shared_in_proportion():
    w = pd.Series({"a": 10.0, "b": 1.0, "c": 1.0})
    # a alone would get 1.000 of 1.200: capped at 600, the other 600 in proportion 1:1
    v = mv.verteilen(w, 1200, 100, hoechst=600)
    assert v["betrag"].to_dict() == {"a": 600, "b": 300, "c": 300}
    assert v["begrenzung"].to_dict() == {"a": "Höchstbetrag", "b": "", "c": ""}
    # b and c would get 100 each: raised to the minimum of 300, a gets the remaining 600
    v = mv.verteilen(w, 1200, 100, mindest=300)
    assert v["betrag"].to_dict() == {"a": 600, "b": 300, "c": 300}
    assert v["begrenzung"].to_dict() == {"a": "", "b": "Mindestbetrag", "c": "Mindestbetrag"}
    # an area with weight 0 gets no minimum
    v = mv.verteilen(pd.Series({"a": 3.0, "b": 1.0, "n": 0.0}), 1000, 100, mindest=400)
    assert v["betrag"].to_dict() == {"a": 600, "b": 400, "n": 0}


def test_random_allocations_add_up_exactly_and_stay_within_one_unit_and_the_bounds():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 40))
        w = pd.Series(rng.exponential(1.0, n) * (rng.random(n) > 0.2), index=[f"{i:03d}" for i in range(n)])
        if not (w > 0).any():
            continue
        schritt = float(rng.choice([1.0, 0.5, 100.0]))
        einheiten = int(rng.integers(1, 5000))
        positiv = int((w > 0).sum())
        mindest = float(rng.integers(0, max(einheiten // positiv, 1) + 1)) * schritt if rng.random() < 0.5 else None
        hoechst = math.ceil(einheiten / positiv + rng.integers(0, 50)) * schritt if rng.random() < 0.5 else None
        if mindest and hoechst and hoechst < mindest:
            hoechst = mindest
        v = mv.verteilen(w, einheiten * schritt, schritt, mindest, hoechst)
        assert math.isclose(v["betrag"].sum(), einheiten * schritt, abs_tol=1e-6)
        assert math.isclose(v["exakt"].sum(), einheiten * schritt, rel_tol=1e-9)
        assert ((v["betrag"] - v["exakt"]).abs() < schritt + 1e-6).all()
        assert (v.loc[w <= 0, "betrag"] == 0).all()
        if mindest:
            assert (v.loc[w > 0, "betrag"] >= mindest - 1e-6).all()
        if hoechst:
            assert (v["betrag"] <= hoechst + 1e-6).all()


@pytest.mark.parametrize(("kwargs", "meldung"), [
    ({"betrag": 1050, "schritt": 100}, "nicht in ganzen Schritten von 100 €"),
    ({"betrag": 1000, "schritt": 100, "mindest": 400}, "Mindestbetrag von 400 € für 3 Gebiete ergibt 1.200 €"),
    ({"betrag": 1000, "schritt": 100, "hoechst": 300}, "höchstens 900 € verteilen, nicht 1.000 €"),
    ({"betrag": 1000, "schritt": 100, "mindest": 300, "hoechst": 200}, "Höchstbetrag je Gebiet ist kleiner"),
])
def test_rules_that_cannot_be_met_are_refused_in_german(kwargs, meldung):
    with pytest.raises(mv.VerteilungsFehler, match=meldung):
        mv.verteilen(pd.Series({"a": 1.0, "b": 2.0, "c": 3.0}), **kwargs)
    with pytest.raises(mv.VerteilungsFehler, match="kein Gebiet"):
        mv.verteilen(pd.Series({"a": 0.0, "b": np.nan}), 100, 1)


def test_weights_of_the_three_formulas():
    g = _grundlage({"01": 2.0, "02": 0.5, "03": -1.0, "04": np.nan}, {"01": "C", "02": "B", "03": "A"},
                   {"01": 1000, "02": 4000, "03": 2000}, grund={"04": "Komponente fehlt (x)"})
    regel = mv.Verteilungsregel(betrag=1000, grundlage="index:t", stichtag=STICHTAG, schwelle=0.0, schritt=1)
    w, grund = mv.gewichte(regel, g)
    assert w.to_dict() == {"01": 2.0, "02": 0.5, "03": 0.0, "04": 0.0} and grund["04"] == "Komponente fehlt (x)"
    v = mv.verteilung(regel, g)
    assert v.tabelle.set_index("raum_id")["betrag"].to_dict() == {"01": 800, "02": 200, "03": 0, "04": 0}
    assert v.tabelle.set_index("raum_id").at["03", "grund"] == "unter der Schwelle"
    klassen = mv.Verteilungsregel(betrag=1000, grundlage="index:t", stichtag=STICHTAG, verfahren="klassen",
                                  klassengewichte=(("A", 0.0), ("B", 1.0), ("C", 3.0)), schritt=1)
    assert mv.verteilung(klassen, g).tabelle.set_index("raum_id")["betrag"].to_dict() == {
        "01": 750, "02": 250, "03": 0, "04": 0}
    # je Kopf × Klassengewicht: 1.000 × 3 against 4.000 × 1
    kopf = mv.Verteilungsregel(betrag=7000, grundlage="index:t", stichtag=STICHTAG, verfahren="kopf",
                               klassengewichte=(("A", 0.0), ("B", 1.0), ("C", 3.0)), bezug="ew", schritt=1)
    assert mv.verteilung(kopf, g).tabelle.set_index("raum_id")["betrag"].to_dict() == {
        "01": 3000, "02": 4000, "03": 0, "04": 0}
    # an indicator whose high values are good: the points below the threshold count
    gut = _grundlage({"01": 40.0, "02": 55.0, "03": 20.0}, hoch_gut=True)
    r = mv.Verteilungsregel(betrag=300, grundlage="indikator:kita", stichtag=STICHTAG, schwelle=50.0, schritt=1)
    # 10 and 30 points below 50: a quarter and three quarters
    assert mv.verteilung(r, gut).tabelle.set_index("raum_id")["betrag"].to_dict() == {"01": 75, "02": 0, "03": 225}
    assert "unter der Schwelle von 50" in mv.regel_satz(r, gut)


def test_a_suppressed_bezugsgroesse_gets_nothing_and_is_named():
    g = _grundlage({"01": 1.0, "02": 1.0}, {"01": "B", "02": "B"}, {"01": 1000, "02": np.nan})
    kopf = mv.Verteilungsregel(betrag=100, grundlage="index:t", stichtag=STICHTAG, verfahren="kopf",
                               klassengewichte=(("B", 1.0),), bezug="ew", schritt=1)
    t = mv.verteilung(kopf, g).tabelle.set_index("raum_id")
    assert t["betrag"].to_dict() == {"01": 100, "02": 0} and t.at["02", "grund"] == "Einwohner nicht ausgewiesen"


def test_the_rule_round_trips_through_json():
    r = mv.Verteilungsregel(betrag=12, grundlage="index:sozialindex", stichtag=STICHTAG, verfahren="kopf",
                            einheit="Stellen", schritt=0.5, klassengewichte=(("C", 1.0), ("D", 2.0)), bezug="bev",
                            mindest=0.5, hoechst=3.0)
    assert mv.Verteilungsregel.aus_json(r.als_json()) == r


@pytest.fixture(scope="module")
def demo_daten(demo, config):
    from fis.indizes import index_indikatoren, lade_indexdaten
    from fis.wuerfel import lade_monitoring
    return lade_monitoring(demo, config, [*index_indikatoren(config), "bev_gesamt", "sgb2_quote"]), \
        lade_indexdaten(demo, config)


def test_500000_euro_by_the_demo_sozialindex(demo_daten, config):
    m, daten = demo_daten
    regel = mv.Verteilungsregel(betrag=500_000, grundlage="index:sozialindex", stichtag=STICHTAG, bezug="bev_gesamt")
    v = mv.verteilung(regel, mv.grundlage_fuer(regel, config, m, daten))
    t = v.tabelle.set_index("raum_id")
    assert v.summe == 500_000 and (t["betrag"] % 100 == 0).all()
    # only areas above the city's average (index > 0) get money, more points never less money
    assert ((t["wert"] > 0) == (t["betrag"] > 0)).all()
    bedacht = t[t["betrag"] > 0].sort_values("wert")
    assert bedacht["betrag"].is_monotonic_increasing
    # each amount is the exact share rounded to 100 €: Schlossviertel 2,396 of 19,526 points above 0
    punkte = t["wert"].clip(lower=0).sum()
    assert t.at["0103", "betrag"] == round(500_000 * t.at["0103", "wert"] / punkte, -2) == 61_400
    # the three small areas are not rated by the index and named as such
    assert t.loc[["0203", "0404", "0706"], "grund"].str.startswith("weniger als 1000 Einwohner").all()
    assert v.hinweise and "3 Gebiete gehen mangels Wert leer aus" in v.hinweise[0]
    text = mv.text_tabelle(v, "Sozialraum")
    assert text.iloc[0].tolist()[:5] == ["Schlossviertel (0103)", "2,396", "D", "12,27 %", "61.400 €"]


def test_the_public_view_allocates_by_classes_only(demo_db_file, config):
    """Ausschuss and public get index classes, not values, where values would reveal suppressed cells: an
    allocation by points is refused there (it would reveal the values), by classes it works."""
    from fis.indizes import index_indikatoren, lade_indexdaten
    from fis.wuerfel import lade_monitoring
    with Store.open(demo_db_file, read_only=True) as store:
        store.nur_veroeffentlicht = True
        m = lade_monitoring(store, config, [*index_indikatoren(config), "bev_gesamt"])
        daten = lade_indexdaten(store, config)
    punkte = mv.Verteilungsregel(betrag=100_000, grundlage="index:sozialindex", stichtag=STICHTAG)
    from fis.indizes import ergebnis, index_nach_id
    e = ergebnis(daten, m, config, index_nach_id(config, "sozialindex"), STICHTAG, True)
    if not e.nur_klassen:
        pytest.skip("the demo's published index shows values: nothing withheld to protect")
    with pytest.raises(mv.VerteilungsFehler, match="nur die Klassen"):
        mv.verteilung(punkte, mv.grundlage_fuer(punkte, config, m, daten, oeffentlich=True))
    klassen = mv.Verteilungsregel(betrag=100_000, grundlage="index:sozialindex", stichtag=STICHTAG,
                                  verfahren="klassen", klassengewichte=(("C", 1.0), ("D", 2.0)))
    v = mv.verteilung(klassen, mv.grundlage_fuer(klassen, config, m, daten, oeffentlich=True))
    assert v.summe == 100_000 and v.tabelle["wert"].isna().all()


def test_scenarios_are_saved_audited_compared_and_need_the_right(demo_copy, demo_daten, config):
    m, daten = demo_daten
    regeln = {"Punkte": mv.Verteilungsregel(betrag=500_000, grundlage="index:sozialindex", stichtag=STICHTAG),
              "Klassen": mv.Verteilungsregel(betrag=500_000, grundlage="index:sozialindex", stichtag=STICHTAG,
                                             verfahren="klassen", klassengewichte=(("C", 1.0), ("D", 2.0)))}
    with Store.open(demo_copy) as store:
        version = store.data_version()
        for name, r in regeln.items():
            mv.szenario_speichern(store, name, mv.verteilung(r, mv.grundlage_fuer(r, config, m, daten)),
                                  Benutzer("p.planer", "planung"))
        with pytest.raises(KeinZugriff):
            mv.szenario_speichern(store, "x", mv.verteilung(regeln["Punkte"], mv.grundlage_fuer(
                regeln["Punkte"], config, m, daten)), Benutzer("a.ausschuss", "ausschuss"))
        gespeichert = {s.name: s for s in mv.szenarien(store)}
        assert store.data_version() == version                    # no value changed: caches stay valid
        audit = store.lade_audit()
        mv.szenario_loeschen(store, "Punkte", Benutzer("p.planer", "planung"))
        assert [s.name for s in mv.szenarien(store)] == ["Klassen"]
    assert set(gespeichert) == {"Punkte", "Klassen"} and gespeichert["Klassen"].summe == 500_000
    assert gespeichert["Klassen"].regel == regeln["Klassen"] and "Gewichte C × 1, D × 2" in gespeichert["Klassen"].satz
    vergleich = mv.vergleich({n: s.ergebnis for n, s in gespeichert.items()}, "€")
    assert vergleich[["Punkte", "Klassen"]].sum().tolist() == [500_000, 500_000]
    assert (vergleich["Spanne (€)"] == (vergleich["Punkte"] - vergleich["Klassen"]).abs()).all()
    eintraege = audit[audit["objekt_typ"] == "verteilungsszenario"]
    assert sorted(eintraege["objekt_id"]) == ["Klassen", "Punkte"]
    assert set(eintraege["benutzer"]) == {"p.planer"}


def test_command_line_csv_scenario_and_pdf(demo_copy, tmp_path, capsys):
    csv = tmp_path / "verteilung.csv"
    assert main(["mittelverteilung", "--db", str(demo_copy), "--betrag", "12", "--einheit", "Stellen",
                 "--rundung", "0.5", "--index", "sozialindex", "--stichtag", "31.12.2024", "--verfahren", "kopf",
                 "--gewichte", "C=1,D=2", "--mindest", "0.5", "--csv", str(csv), "--speichern", "Stellen C/D"]) == 0
    tabelle = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert tabelle["Betrag (Stellen)"].sum() == 12 and set(tabelle["Betrag (Stellen)"] % 0.5) == {0}
    assert "Szenario „Stellen C/D“ gespeichert" in capsys.readouterr().err
    pdf = tmp_path / "v.pdf"
    assert main(["report", "mittelverteilung", "--szenario", "Stellen C/D", "--db", str(demo_copy),
                 "--out", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert main(["report", "mittelverteilung", "--szenario", "fehlt", "--db", str(demo_copy),
                 "--out", str(pdf)]) == 1
    assert "gespeichert: Stellen C/D" in capsys.readouterr().err
    assert main(["mittelverteilung", "--db", str(demo_copy), "--betrag", "1000", "--index", "sozialindex",
                 "--stichtag", "31.12.2024", "--mindest", "500"]) == 1
    assert "Mindestbetrag von 500 €" in capsys.readouterr().err

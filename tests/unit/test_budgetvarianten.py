"""Budgetvarianten für den Eckwertebeschluss: the stated assumption computed by hand, the direction towards the
goal (also for a band and for a trend that runs away from the goal), which goals are left out, the demo, the
annex of the Abweichungsbericht."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from fis import budgetvarianten as bv
from fis.config import Budgetvarianten, ZielElastizitaet
from fis.zielbewertung import Ziel


def _ziel(**felder) -> dict:
    basis = {"ziel_id": "Z", "titel": "Ziel", "kennzahl_art": "produktkennzahl", "einheit": "%", "produkt_nr": "1",
             "position_nr": None, "basiswert": 20.0, "basisjahr": 2020, "zielwert": 30.0,
             "zieldatum": date(2027, 12, 31), "richtung": "steigern", "toleranz": 0.0, "band_unten": None,
             "band_oben": None}
    return basis | felder


def test_the_assumption_by_hand():
    # from 20 towards 30, the trend reaches 26 in 2027: 6 points of way; +10 % budget at ε 0,5 → 5 % of 6 = 0,3
    assert bv.variante(20.0, 26.0, 0.5, 10, +1) == pytest.approx(26.3)
    assert bv.variante(20.0, 26.0, 0.5, -10, +1) == pytest.approx(25.7)
    # a goal to lower a rate whose trend runs away from it (0,30 → 0,34): more money still helps, by 5 % of 0,04
    assert bv.variante(0.30, 0.34, 0.5, 10, -1) == pytest.approx(0.338)
    assert bv.variante(20.0, 26.0, 0.0, 10, +1) == 26.0


def test_direction_and_whether_the_goal_is_met():
    band = Ziel.aus(_ziel(richtung="halten", zielwert=None, band_oben=3.0, band_unten=None))
    assert bv.richtung(band, 3.4) == -1 and bv.richtung(band, 2.0) == 0
    assert bv.richtung(Ziel.aus(_ziel(richtung="senken")), 5.0) == -1
    assert bv.erreicht(30.0, Ziel.aus(_ziel())) and not bv.erreicht(29.9, Ziel.aus(_ziel()))
    assert bv.erreicht(2.9, band) and not bv.erreicht(3.1, band)


def test_which_goals_get_variants_and_the_table():
    ziele = pd.DataFrame([_ziel(ziel_id="A"), _ziel(ziel_id="B"), _ziel(ziel_id="C", produkt_nr=None),
                          _ziel(ziel_id="D", kennzahl_art="haushalt", einheit="EUR"),
                          _ziel(ziel_id="E", einheit="Mio. EUR")])
    bewertung = pd.DataFrame({"ziel_id": list("ABCDE"), "prognose_wert": [26.0, 29.0, 26.0, 26.0, 26.0]})
    cfg = Budgetvarianten(prozent=10, elastizitaet=0.5, elastizitaeten=(ZielElastizitaet("B", 2.0),))
    v = bv.budgetvarianten(ziele, bewertung, cfg, {}).set_index("ziel_id")
    assert list(v.index) == ["A", "B"]            # no budget line (C), amounts of money (D, E) are left out
    assert v.at["A", "mehr"] == pytest.approx(26.3) and not v.at["A", "mehr_erreicht"]
    # B: ε 2 → 20 % of 9 points = 1,8 more: 30,8, the goal is met with more money, missed with less
    assert v.at["B", "mehr"] == pytest.approx(30.8) and v.at["B", "mehr_erreicht"]
    assert v.at["B", "weniger"] == pytest.approx(27.2) and not v.at["B", "weniger_erreicht"]
    t = bv.tabelle(v.reset_index(), cfg).set_index("Ziel")
    assert t.at["B Ziel", "Budget +10 %"] == "30,8 % (erreicht)" and t.at["B Ziel", "Elastizität"] == "2"
    assert t.at["A Ziel", "Ziel am Zieldatum"] == "30,0 % (2027)"
    assert "Elastizität × 10 %" in bv.annahme_text(cfg)


def test_the_demo_and_the_annex_of_the_abweichungsbericht(demo, config, m):
    from fis import controlling as ctl
    from fis.berichte.inhalte import abweichungsbericht
    from fis.hochrechnung import berichtsstand, haushaltszeilen
    c = ctl.lade_controlling(demo, m)
    b = ctl.bewerte_ziele(c, 2024, config.controlling)
    cfg = config.controlling.budgetvarianten
    v = bv.budgetvarianten(c.ziele, b, cfg, c.nachkommastellen).set_index("ziel_id")
    assert "F2" in v.index and v.at["F2", "elastizitaet"] == 1.0           # controlling.yaml: the money buys posts
    assert not {"A8", "A11", "H5", "H6", "H7"} & set(v.index)               # amounts of money
    assert (v["mehr"] - v["konstant"]).mul(v["richtung"].map({"steigern": 1, "senken": -1})).dropna().ge(0).all()
    jahr, monat = berichtsstand(c)
    bericht = abweichungsbericht(demo, config, c, b, haushaltszeilen(c, jahr, monat, config.controlling.haushalt),
                                 "Quartal", 2024, stichtag=date(2024, 12, 31))
    anhang = next(a for a in bericht.abschnitte if a.titel == "Budgetvarianten für den Eckwertebeschluss")
    # only the goals whose attainment the budget decides, the others counted in the sentence
    entscheidend = v[bv.entscheidend(v)]
    assert 0 < len(entscheidend) < len(v) and len(anhang.tabellen[0].frame) == len(entscheidend)
    satz = f"Bei {len(entscheidend)} von {len(v)} Zielen mit Haushaltszeile entscheidet das Budget"
    assert satz in anhang.absaetze[0]
    assert "Annahme" in anhang.absaetze[1]

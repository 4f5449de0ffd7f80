"""Produkthaushalt: the Bielefeld Produktdatenblatt (handbook Abb. 20) rendered as printed,
NKF sums, derived Kennzahlen, ABC analysis, portfolio, Wirkungsbeitrag and SROI by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from fis.config import PortfolioFeld as Portfoliofeld
from fis.demo import ERGEBNISPLAN
from fis.format import fmt_zahl
from fis.produkte import (
    abc_analyse,
    abgeleitete_kennzahlen,
    ergebnisplan,
    kennzahlen,
    konsistenz,
    portfolio,
    spaltenname,
    teilergebnisplan,
    wirkungsbeitrag,
)
from fis.sroi import Wirkung, sroi, sroi_sensitivitaet, wirkung_je_jahr

BIELEFELD = yaml.safe_load((Path(__file__).parents[1] / "daten" / "bielefeld_produktgruppe_11_05_01.yaml")
                           .read_text(encoding="utf-8"))
POSITIONEN = pd.DataFrame(ERGEBNISPLAN, columns=["position_nr", "bezeichnung", "art", "summe_aus"])
SPALTEN = [tuple(s) for s in BIELEFELD["spalten"]]


def _bielefeld_tep() -> pd.DataFrame:
    rows = []
    for pos, werte in BIELEFELD["teilergebnisplan"].items():
        for (jahr, art), betrag in zip(SPALTEN, werte, strict=True):
            rows.append({"produkt_nr": "11.05.01", "position_nr": int(pos), "jahr": jahr, "monat": 0,
                         "wertart": art, "betrag": float(betrag)})
    return pd.DataFrame(rows)


def test_bielefeld_kennzahlen_render_exactly_as_printed():
    rows = []
    for k in BIELEFELD["kennzahlen"]:
        for (jahr, art), wert in zip(SPALTEN, k["werte"], strict=True):
            rows.append({"kennzahl_id": k["name"], "nr": "11.05.01", "name": k["name"], "einheit": k["einheit"],
                         "nachkommastellen": 2, "jahr": jahr, "wertart": art, "wert": wert})
    tabelle = kennzahlen(pd.DataFrame(rows), ["11.05.01"], SPALTEN)
    for k, zeile in zip(BIELEFELD["kennzahlen"], tabelle.to_dict("records"), strict=True):
        gezeigt = [fmt_zahl(zeile[spaltenname(j, a)], 2) for j, a in SPALTEN]
        assert gezeigt == k["gedruckt"], k["name"]
    assert list(tabelle.columns[-6:]) == ["Ansatz 2009", "Ansatz 2010", "Ansatz 2011",
                                          "Planung 2012", "Planung 2013", "Planung 2014"]


def test_bielefeld_ordentliche_ertraege_are_the_sum_of_lines_1_to_9():
    plan = teilergebnisplan(_bielefeld_tep(), POSITIONEN, ["11.05.01"], SPALTEN).set_index("position_nr")
    assert [fmt_zahl(plan.at[10, spaltenname(j, a)], 0) for j, a in SPALTEN] == \
        BIELEFELD["ordentliche_ertraege_gedruckt"]
    assert fmt_zahl(plan.at[11, "Ansatz 2009"], 0) == "-5.581.469"
    # ordentliche Aufwendungen (17) sum 11–16, the result of the administration (18) = 10 + 17
    assert plan.at[17, "Ansatz 2009"] == -5_581_469 - 8_210_937 - 462
    assert plan.at[18, "Ansatz 2009"] == 32_667_185 + plan.at[17, "Ansatz 2009"]
    assert plan.at[29, "Ansatz 2009"] == plan.at[18, "Ansatz 2009"]      # no other lines delivered


def test_ergebnisplan_sums_build_on_each_other():
    zeilen = pd.DataFrame({"position_nr": [2, 6, 13, 15, 19, 20], "P": [10.0, 5.0, -4.0, -20.0, 1.0, -2.0]})
    e = ergebnisplan(zeilen, POSITIONEN).set_index("position_nr")["P"]
    assert (e[10], e[17], e[18], e[21], e[22], e[29]) == (15.0, -24.0, -9.0, -1.0, -10.0, -10.0)


def test_derived_kennzahlen_by_hand():
    spalten = [(2024, "Ist")]
    plan = ergebnisplan(pd.DataFrame({"position_nr": [6, 15], "Ist 2024": [30_000.0, -100_000.0]}), POSITIONEN)
    gesamt = ergebnisplan(pd.DataFrame({"position_nr": [15], "Ist 2024": [-1_000_000.0]}), POSITIONEN)
    d = abgeleitete_kennzahlen(plan, gesamt, {2023: 250_000}, spalten).set_index("kennzahl_id")["Ist 2024"]
    assert d["aufwand_je_1000_ew"] == pytest.approx(400.0)        # 100.000 € / 250 Tsd. Einwohner
    assert d["anteil_gesamtaufwand"] == pytest.approx(10.0)
    assert d["ertrag_je_aufwand"] == pytest.approx(30.0)


def test_consistency_lists_a_group_total_that_differs_from_its_products():
    produkte = pd.DataFrame({"nr": ["1.1.1", "1.1.2"], "gruppe_nr": ["1.1", "1.1"], "bereich_nr": ["1", "1"]})
    tep = pd.DataFrame({"produkt_nr": ["1.1.1", "1.1.2", "1.1", "1"], "position_nr": 15, "jahr": 2024, "monat": 0,
                        "wertart": "Ist", "betrag": [-100.0, -50.0, -160.0, -160.0]})
    k = konsistenz(tep, produkte)
    assert k[["ebene", "nr", "geliefert", "summe_teile", "differenz"]].values.tolist() == [
        ["Produktgruppe", "1.1", -160.0, -150.0, -10.0]]
    assert konsistenz(tep.iloc[:2], produkte).empty


def test_abc_analysis_80_15_5():
    aufwand = pd.Series({"a": 500.0, "b": 250.0, "c": 100.0, "d": 80.0, "e": 40.0, "f": 30.0})   # total 1.000
    abc = abc_analyse(aufwand).set_index("nr")
    assert abc["kumuliert"].tolist() == pytest.approx([50.0, 75.0, 85.0, 93.0, 97.0, 100.0])
    # a product belongs to A while the share before it is below 80 %
    assert abc["klasse"].to_dict() == {"a": "A", "b": "A", "c": "A", "d": "B", "e": "B", "f": "C"}
    assert abc_analyse(aufwand, (50.0, 90.0))["klasse"].tolist() == ["A", "B", "B", "B", "C", "C"]


def test_wirkungsbeitrag_is_the_weighted_sum():
    gewichte = pd.Series({"Z1": 3.0, "Z2": 1.0})                         # → 0,75 / 0,25
    beitraege = pd.DataFrame({"Z1": [4, 0, 2], "Z2": [0, 4, 2]}, index=["p", "q", "r"])
    w = wirkungsbeitrag(gewichte, beitraege)
    assert w.to_dict() == pytest.approx({"p": 3.0, "q": 1.0, "r": 2.0})
    with pytest.raises(ValueError, match="Gewichte"):
        wirkungsbeitrag(pd.Series({"Z1": 0.0}), beitraege)


def test_portfolio_quadrants_with_median_boundaries():
    felder = [Portfoliofeld(0, 0, "Fragezeichen", "prüfen"), Portfoliofeld(0, 1, "Problemfall", "umsteuern"),
              Portfoliofeld(1, 0, "Star", "ausbauen"), Portfoliofeld(1, 1, "Leistungsträger", "sichern")]
    res = pd.Series({"p": 10.0, "q": 90.0, "r": 20.0, "s": 80.0})
    wb = pd.Series({"p": 3.5, "q": 1.0, "r": 1.5, "s": 3.0})
    pf = portfolio(res, wb, felder).set_index("nr")
    assert pf["feld"].to_dict() == {"p": "Star", "q": "Problemfall", "r": "Fragezeichen", "s": "Leistungsträger"}
    assert pf.at["q", "strategie"] == "umsteuern"
    neun = portfolio(res, wb, [], n=3, grenzen_x=[15, 50], grenzen_y=[2, 3.2])
    assert neun.set_index("nr")[["spalte", "zeile"]].to_dict("index")["p"] == {"spalte": 0, "zeile": 2}


def test_sroi_by_hand():
    w = Wirkung("Familien", "Familienhebammen", "120 betreute Familien", "weniger Inobhutnahmen",
                "Fälle § 19 SGB VIII", menge=2, proxy=49_752, mitnahme=0.25, zurechnung=0.2,
                verdraengung=0.0, abnahme=0.5, dauer=2)
    assert wirkung_je_jahr(w) == pytest.approx([2 * 49_752 * 0.75 * 0.8, 2 * 49_752 * 0.75 * 0.8 * 0.5])
    r = sroi([w], input_euro=40_000, zinssatz=0.05)
    jahr1 = 59_702.4
    barwert = jahr1 / 1.05 + jahr1 * 0.5 / 1.05 ** 2
    assert r.barwert == pytest.approx(barwert)
    assert r.quote == pytest.approx(barwert / 40_000)                 # ≈ 2,10 € je eingesetztem Euro
    assert r.netto_barwert == pytest.approx(barwert - 40_000)
    s = sroi_sensitivitaet([w], 40_000, 0.05)
    assert s.iloc[0]["annahme"].startswith(("Finanzieller Proxy", "Menge"))   # proportional: ±20 %
    assert s.iloc[0]["spanne"] == pytest.approx(0.4 * r.quote)
    assert s.set_index("annahme").loc["Diskontierungszins", "spanne"] < s.iloc[0]["spanne"]


def test_sroi_analysis_is_validated_stored_and_audited(demo_copy):
    from fis.sroi import sroi_pruefen, sroi_speichern
    from fis.store import Store

    kette = pd.DataFrame([{"stakeholder": "Stadt", "aktivitaet": "Beratung", "output": "50 Fälle",
                           "outcome": "weniger Heimunterbringung", "indikator": "Fälle", "menge": 2.0,
                           "proxy": 49_752.0, "proxy_quelle": "Bielefeld", "mitnahme": 0.25, "zurechnung": 0.2,
                           "verdraengung": 0.0, "abnahme": 0.5, "dauer": 2}])
    assert sroi_pruefen("", 0, 1.5, kette.assign(mitnahme=25, dauer=0)) == [
        "Die Analyse braucht einen Namen.",
        "Der Input (eingesetzte Mittel in €) muss größer als 0 sein.",
        "Der Diskontierungszins muss zwischen 0 und 1 liegen (z. B. 0,035 für 3,5 %).",
        "Zeile 1: „mitnahme“ ist ein Anteil zwischen 0 und 1 (z. B. 0,25 für 25 %).",
        "Zeile 1: „dauer“ ist eine ganze Zahl von Jahren ab 1."]
    with Store.open(demo_copy) as store:
        sroi_speichern(store, "test", "Test", None, None, 40_000, 0.05, kette, "planerin")
        analysen, zeilen = store.lade_sroi()
        assert "test" in set(analysen["analyse_id"]) and len(zeilen[zeilen["analyse_id"] == "test"]) == 1
        audit = store.lade_audit().iloc[-1]
        assert audit["aktion"] == "sroi_gespeichert" and '"quote": 2.0984' in audit["details"]
        with pytest.raises(ValueError, match="Namen"):
            sroi_speichern(store, "test", "", None, None, 40_000, 0.05, kette, "planerin")

"""Aggregation, Eckwerte and the Handlungsbedarf rule on hand-computed cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from fis.config import HandlungsbedarfRegel
from fis.disclosure import apply_suppression
from fis.eckwerte import berechne_eckwerte
from fis.monitoring import berechne_aggregat, flag_handlungsbedarf

T1, T2 = date(2018, 12, 31), date(2019, 12, 31)

RAEUME = pd.DataFrame([
    # raum_id, gueltig_von, gueltig_bis, ebene, parent
    ("S", date(2012, 1, 1), None, 3, None),
    ("B1", date(2012, 1, 1), None, 2, "S"),
    ("B2", date(2012, 1, 1), None, 2, "S"),
    ("a", date(2012, 1, 1), None, 1, "B1"),
    ("b", date(2012, 1, 1), date(2018, 12, 31), 1, "B1"),   # split at 1.1.2019 …
    ("b1", date(2019, 1, 1), None, 1, "B1"),                # … into b1 and b2
    ("b2", date(2019, 1, 1), None, 1, "B1"),
    ("c", date(2012, 1, 1), None, 1, "B2"),
], columns=["raum_id", "gueltig_von", "gueltig_bis", "ebene", "parent_id"])

INDIKATOREN = pd.DataFrame({
    "indikator_id": ["quote", "anzahl"], "aggregation": ["quote", "summe"], "faktor": [100.0, 1.0],
    "name": ["Quote", "Anzahl"], "kurzname": ["Quote", "Anzahl"], "einheit": ["%", "Anzahl"],
    "nachkommastellen": [1, 0], "polaritaet": ["hoch_schlecht", "neutral"], "geheimhaltung": [3, 0]})


def _werte(rows):
    frame = pd.DataFrame(rows, columns=["raum_id", "indikator_id", "stichtag", "zaehler", "nenner", "status"])
    factor = frame["indikator_id"].map({"quote": 100.0, "anzahl": 1.0})
    frame["wert"] = (frame["zaehler"] / frame["nenner"].where(frame["nenner"].notna(), 1)) * factor
    return frame


WERTE = _werte([
    ("a", "quote", T1, 1, 4, "endgültig"), ("b", "quote", T1, 9, 96, "endgültig"),
    ("c", "quote", T1, 50, 100, "endgültig"),
    ("a", "quote", T2, 2, 4, "endgültig"), ("b1", "quote", T2, 3, 40, "vorläufig"),
    ("b2", "quote", T2, 5, 56, "endgültig"), ("c", "quote", T2, 40, 100, "endgültig"),
    ("a", "anzahl", T1, 100, None, "endgültig"), ("b", "anzahl", T1, 250, None, "endgültig"),
    ("c", "anzahl", T1, 1000, None, "endgültig"),
])


def _at(frame, raum, ind, t):
    return frame.set_index(["raum_id", "indikator_id", "stichtag"]).loc[(raum, ind, t)]


def test_ratios_are_aggregated_as_sum_of_numerators_over_sum_of_denominators():
    bezirk = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 2)
    # (1 + 9) / (4 + 96) = 10 %, not the mean of 25 % and 9.375 %
    assert _at(bezirk, "B1", "quote", T1)["wert"] == pytest.approx(10.0)
    stadt = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 3)
    assert _at(stadt, "S", "quote", T1)["wert"] == pytest.approx(60 / 200 * 100)
    assert _at(stadt, "S", "quote", T1)["zaehler"] == 60


def test_counts_are_summed_over_the_hierarchy():
    stadt = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 3)
    assert _at(stadt, "S", "anzahl", T1)["wert"] == 1350


def test_units_of_a_split_are_counted_only_while_they_are_valid():
    bezirk = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 2)
    row = _at(bezirk, "B1", "quote", T2)
    assert row["wert"] == pytest.approx((2 + 3 + 5) / (4 + 40 + 56) * 100)
    assert row["anzahl"] == 3 and row["vollstaendig"]


def test_one_provisional_part_makes_the_aggregate_provisional():
    bezirk = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 2)
    assert _at(bezirk, "B1", "quote", T2)["status"] == "vorläufig"
    assert _at(bezirk, "B2", "quote", T2)["status"] == "endgültig"


def test_an_aggregate_with_a_missing_part_is_marked_incomplete():
    werte = WERTE[~((WERTE["raum_id"] == "b2") & (WERTE["stichtag"] == T2))]
    stadt = berechne_aggregat(werte, RAEUME, INDIKATOREN, 3)
    assert not _at(stadt, "S", "quote", T2)["vollstaendig"]


def test_eckwerte_give_the_change_against_previous_year_and_comparison_year():
    stadt = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 3)
    (eck,) = berechne_eckwerte(stadt, INDIKATOREN, "S", T2, ["quote"], jahre=1)
    assert eck.wert == pytest.approx(50 / 200 * 100)
    assert eck.veraenderung_vorjahr == pytest.approx(25.0 - 30.0)
    assert eck.verlauf == pytest.approx((30.0, 25.0))


def test_handlungsbedarf_counts_conspicuous_indicators_but_not_suppressed_ones():
    regel = HandlungsbedarfRegel(indikatoren=("quote",), schwelle_index=125.0, mindestanzahl=1)
    sozialraum = berechne_aggregat(WERTE[WERTE["stichtag"] == T1], RAEUME, INDIKATOREN, 1)
    stadt = berechne_aggregat(WERTE, RAEUME, INDIKATOREN, 3)
    flags = flag_handlungsbedarf(sozialraum, stadt, INDIKATOREN, regel,
                                 pd.Series({"quote": 3, "anzahl": 0})).set_index("raum_id")
    # city 30 %: c has 50 % → index 166.7; a has 25 % but only 1 case → suppressed
    assert flags.loc["c", "index"] == pytest.approx(50 / 30 * 100)
    assert flags.loc["c", "handlungsbedarf"]
    assert flags.loc["a", "unterdrueckt"] and not flags.loc["a", "handlungsbedarf"]
    assert not flags.loc["b", "handlungsbedarf"]


def test_suppression_blanks_small_counts_but_keeps_zero():
    werte = _werte([("a", "quote", T1, 2, 50, "endgültig"), ("b", "quote", T1, 0, 50, "endgültig"),
                    ("c", "quote", T1, 3, 50, "endgültig")])
    out = apply_suppression(werte, pd.Series({"quote": 3})).set_index("raum_id")
    assert out.loc["a", "unterdrueckt"] and pd.isna(out.loc["a", "wert"])
    assert not out.loc["b", "unterdrueckt"] and out.loc["b", "wert"] == 0
    assert not out.loc["c", "unterdrueckt"]

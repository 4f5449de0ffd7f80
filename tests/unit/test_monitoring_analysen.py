"""Monitoring analyses on hand-computed cases: all levels, change across a scheme
change, trend, profile, nearest neighbours, correlation; map classes and colours."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis.analysen import aehnliche, karte_werte, profil, trend, veraenderung, zeitreihe_werte, zusammenhang
from fis.disclosure import regeln, suppress
from fis.maps import (
    GRAU_FALLZAHL,
    GRAU_GESPERRT,
    YLORRD,
    einfaerben,
    klassen,
    klassen_veraenderung,
    palette,
    palette_veraenderung,
)
from fis.monitoring import Monitoringdaten, aggregate_levels, hierarchy
from fis.wuerfel import lade_monitoring

T1, T2 = date(2018, 12, 31), date(2019, 12, 31)

RAEUME = pd.DataFrame([
    ("S", date(2012, 1, 1), None, 3, None, "Stadt"),
    ("B1", date(2012, 1, 1), None, 2, "S", "Nord"),
    ("B2", date(2012, 1, 1), None, 2, "S", "Süd"),
    ("a", date(2012, 1, 1), None, 1, "B1", "Altstadt"),
    ("b", date(2012, 1, 1), date(2018, 12, 31), 1, "B1", "Bahnhof"),
    ("b1", date(2019, 1, 1), None, 1, "B1", "Bahnhof West"),
    ("b2", date(2019, 1, 1), None, 1, "B1", "Bahnhof Ost"),
    ("c", date(2012, 1, 1), None, 1, "B2", "Cityring"),
], columns=["raum_id", "gueltig_von", "gueltig_bis", "ebene", "parent_id", "name"])

INDIKATOREN = pd.DataFrame({
    "indikator_id": ["quote", "anzahl"], "aggregation": ["quote", "summe"], "faktor": [100.0, 1.0],
    "name": ["Quote", "Anzahl"], "kurzname": ["Quote", "Anzahl"], "einheit": ["%", "Anzahl"],
    "nachkommastellen": [1, 0], "polaritaet": ["hoch_schlecht", "neutral"], "geheimhaltung": [3, 0],
    "handlungsfeld": ["Arbeit", "Demografie"], "quelle": ["BA", "EWR"]})


def _monitoring(rows) -> Monitoringdaten:
    w = pd.DataFrame(rows, columns=["raum_id", "indikator_id", "stichtag", "zaehler", "nenner"])
    w["status"] = "endgültig"
    w["wert"] = np.where(w["indikator_id"] == "quote", w["zaehler"] / w["nenner"] * 100, w["zaehler"])
    alle = aggregate_levels(w, RAEUME, INDIKATOREN, 3)
    pub = suppress(alle, regeln(INDIKATOREN, 3))
    tage = tuple(sorted(pub["stichtag"].unique()))
    return Monitoringdaten(pub, hierarchy(RAEUME, tage), INDIKATOREN.set_index("indikator_id"), tage,
                           {1: ("Sozialraum", "Sozialräume"), 2: ("Bezirk", "Bezirke"), 3: ("Stadt", "Stadt")})


M = _monitoring([
    ("a", "quote", T1, 10, 100, ), ("b", "quote", T1, 30, 100), ("c", "quote", T1, 20, 200),
    ("a", "quote", T2, 12, 100), ("b1", "quote", T2, 20, 50), ("b2", "quote", T2, 10, 50),
    ("c", "quote", T2, 30, 200),
    ("a", "anzahl", T2, 100, None), ("b1", "anzahl", T2, 50, None), ("b2", "anzahl", T2, 50, None),
    ("c", "anzahl", T2, 200, None),
])


def test_all_levels_are_aggregated_with_their_parent_at_the_stichtag():
    w = M.werte.set_index(["raum_id", "indikator_id", "stichtag"])
    assert w.at[("B1", "quote", T2), "wert"] == pytest.approx((12 + 20 + 10) / 200 * 100)
    assert w.at[("S", "quote", T2), "wert"] == pytest.approx(72 / 400 * 100)
    assert w.at[("S", "anzahl", T2), "wert"] == 400
    assert w.at[("b1", "quote", T2), "parent_id"] == "B1" and w.at[("B1", "quote", T2), "ebene"] == 2


def test_map_values_rank_the_most_unfavourable_first_and_index_the_city():
    k = karte_werte(M, "quote", T2, 1).set_index("raum_id")
    # a 12 %, b1 40 %, b2 20 %, c 15 %; city 18 %
    assert list(k["rang"].loc[["b1", "b2", "c", "a"]]) == [1, 2, 3, 4]
    assert k.at["b1", "index"] == pytest.approx(40 / 18 * 100)
    assert (k["n"] == 4).all()


def test_change_is_withheld_across_a_new_boundary_but_kept_for_the_bezirk():
    d = veraenderung(M, "quote", T1, T2, 1).set_index("raum_id")
    assert d.at["a", "differenz"] == pytest.approx(2.0)
    assert not d.at["b1", "vergleichbar"] and pd.isna(d.at["b1", "differenz"])
    assert "01.01.2019" in d.at["b1", "hinweis"]
    bez = veraenderung(M, "quote", T1, T2, 2).set_index("raum_id")
    assert bez.at["B1", "vergleichbar"]
    assert bez.at["B1", "differenz"] == pytest.approx(42 / 200 * 100 - 40 / 200 * 100)


def test_time_series_brings_the_parents_and_the_city():
    z = zeitreihe_werte(M, "quote", ["a"])
    assert set(z["raum_id"]) == {"a", "B1", "S"}
    assert list(z.loc[z["raum_id"] == "S", "rolle"].unique()) == ["Stadt"]
    # a count is not drawn against its Bezirk's or the city's total
    assert set(zeitreihe_werte(M, "anzahl", ["a"])["raum_id"]) == {"a"}


def test_linear_trend_per_year():
    tage = [date(2020 + i, 12, 31) for i in range(5)]
    reihe = pd.DataFrame({"raum_id": "x", "stichtag": tage, "wert": [10.0, 10.5, 11.0, 11.5, 12.0]})
    (t,) = trend(reihe, 5)
    assert t.steigung == pytest.approx(0.5, abs=1e-3) and t.r2 == pytest.approx(1.0)
    assert (t.von, t.bis, t.punkte) == (tage[0], tage[-1], 5)
    assert trend(reihe.head(2), 5) == []       # fewer than three points: no trend


def test_profile_gives_index_rank_and_withholds_the_change_across_a_split():
    p = profil(M, "b1", T2, jahre=1).set_index("indikator_id")
    assert p.at["quote", "wert"] == pytest.approx(40.0)
    assert p.at["quote", "index"] == pytest.approx(40 / 18 * 100)
    assert p.at["quote", "abweichung"] == pytest.approx(22.0)
    assert (p.at["quote", "rang"], p.at["quote", "n"]) == (1, 4)
    assert pd.isna(p.at["quote", "vorjahr"])       # b1 did not exist in 2018
    # a count against the city's total: no deviation, no index, but a rank by size
    assert p.at["anzahl", "stadtwert"] > p.at["anzahl", "wert"]
    assert pd.isna(p.at["anzahl", "abweichung"]) and pd.isna(p.at["anzahl", "index"])
    pa = profil(M, "a", T2, jahre=1).set_index("indikator_id")
    assert pa.at["quote", "vorjahr"] == pytest.approx(2.0)
    assert pa.at["quote", "verlauf"] == [10.0, 12.0]


def test_nearest_neighbours_in_standardised_space():
    rows = []
    werte = {"p": (10, 20, 30), "q": (11, 21, 29), "r": (50, 5, 10), "s": (30, 12, 20)}
    for raum, vals in werte.items():
        for ind, v in zip(["i1", "i2", "i3"], vals, strict=True):
            rows.append({"raum_id": raum, "indikator_id": ind, "stichtag": T2, "wert": float(v), "ebene": 1})
    w = pd.DataFrame(rows)
    raeume = pd.DataFrame({"raum_id": list(werte), "stichtag": T2, "ebene": 1, "name": list(werte),
                           "parent_id": "S", "gueltig_von": date(2012, 1, 1)})
    ind = pd.DataFrame({"aggregation": "quote"}, index=pd.Index(["i1", "i2", "i3"], name="indikator_id"))
    m = Monitoringdaten(w, raeume, ind, (T2,), {1: ("SR", "SR")})
    n = aehnliche(m, "p", T2, k=3)
    assert list(n["raum_id"]) == ["q", "s", "r"]
    z = (w.pivot(index="raum_id", columns="indikator_id", values="wert"))
    z = (z - z.mean()) / z.std(ddof=0)
    assert n.iloc[0]["abstand"] == pytest.approx(float(np.sqrt(((z.loc["q"] - z.loc["p"]) ** 2).sum())))


def test_correlation_and_regression_line():
    x = [1.0, 2, 3, 4, 5]
    y = [2.0, 4, 5, 4, 5]
    rows = [{"raum_id": f"r{i}", "indikator_id": ind, "stichtag": T2, "wert": v, "ebene": 1,
             "unterdrueckt": False, "grund": "", "schwelle": 3, "status": "endgültig", "vollstaendig": True}
            for ind, vals in (("x", x), ("y", y)) for i, v in enumerate(vals)]
    raeume = pd.DataFrame({"raum_id": [f"r{i}" for i in range(5)], "stichtag": T2, "ebene": 1,
                           "name": list("ABCDE"), "parent_id": None, "gueltig_von": date(2012, 1, 1)})
    ind = pd.DataFrame({"polaritaet": "neutral"}, index=pd.Index(["x", "y"], name="indikator_id"))
    m = Monitoringdaten(pd.DataFrame(rows), raeume, ind, (T2,), {1: ("SR", "SR")})
    z = zusammenhang(m, "x", "y", T2, 1)
    assert z.n == 5
    assert z.pearson == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert z.spearman == pytest.approx(7 / np.sqrt(90))     # ranks y: 1, 2.5, 4.5, 2.5, 4.5
    assert (z.steigung, z.achsenabschnitt) == (pytest.approx(0.6), pytest.approx(2.2))


# --------------------------------------------------------------------------- map classes

def test_class_breaks_of_each_method():
    y = np.arange(1, 11, dtype=float)
    assert klassen(y, "quantile", 5).grenzen == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert klassen(y, "gleich", 3).grenzen == pytest.approx((4.0, 7.0, 10.0))
    jenks = klassen([1, 1, 2, 10, 11, 12, 30, 31], "jenks", 3)
    assert jenks.grenzen == pytest.approx((2.0, 12.0, 31.0))
    sd = klassen(y, "stdabw", 5, stadtwert=5.0)
    s = float(np.std(y))
    assert sd.grenzen[:4] == pytest.approx((5 - 1.5 * s, 5 - 0.5 * s, 5 + 0.5 * s, 5 + 1.5 * s))
    assert klassen(y, "gleich", 3, einheit="%").beschriftung[1] == "über 4,0 % – 7,0 %"


def test_change_classes_are_symmetric_around_zero():
    k = klassen_veraenderung([-5.0, 1.0, 2.0], "%", 1)
    assert k.grenzen == pytest.approx((-3.0, -1.0, 1.0, 3.0, 5.0))
    assert k.beschriftung[2] == "kaum verändert (±1,0 Pp)"


def test_palettes_follow_the_polarity():
    assert palette("hoch_schlecht", 5)[-1] == YLORRD[5][-1]       # high = dark red
    assert palette("hoch_gut", 5)[0] == YLORRD[5][-1]             # low = dark red
    assert palette_veraenderung("hoch_schlecht")[-1] == palette_veraenderung("hoch_gut")[0]


def test_suppressed_areas_are_grey_with_their_own_legend_entries_not_a_class():
    frame = pd.DataFrame({"wert": [0.0, 5.0, np.nan, np.nan, 9.0],
                          "unterdrueckt": [False, False, True, True, False],
                          "grund": ["", "", "fallzahl", "sekundaer", ""]})
    k = klassen(frame["wert"], "gleich", 3)
    out, legende = einfaerben(frame, "wert", k, palette("hoch_schlecht", 3), "< 3 Fälle")
    assert out["farbe"].iloc[0] == YLORRD[3][0]                   # 0 is a value: the lowest class
    assert list(out["farbe"].iloc[2:4]) == [GRAU_FALLZAHL, GRAU_GESPERRT]
    texte = {e.text: e.anzahl for e in legende}
    assert texte["< 3 Fälle (unterdrückt)"] == 1 and texte["gesperrt (Schutz vor Rückrechnung)"] == 1
    assert sum(e.anzahl for e in legende) == 5


def test_demo_monitoring_covers_every_level_and_stichtag(demo, config):
    m = lade_monitoring(demo, config)
    assert m.top == 3 and len(m.stichtage) == 13
    k = karte_werte(m, "kinderarmut", date(2024, 12, 31), 1)
    assert len(k) == 51 and k["rang"].max() == k["n"].iloc[0]

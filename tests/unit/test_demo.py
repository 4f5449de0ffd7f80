"""The demo city is consistent: hierarchy, geometry, ratios, deliveries, goals, budget."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from fis.demo import build_demo
from fis.disclosure import flag_suppressed, thresholds
from fis.monitoring import berechne_aggregat
from fis.store import Store

SPLIT = date(2019, 1, 1)


@pytest.fixture(scope="module")
def tables(demo):
    return {
        "raeume": demo.lade_raeume(with_geometry=True),
        "werte": demo.lade_werte(),
        "indikatoren": demo.lade_indikatoren(),
    }


@pytest.fixture(scope="module")
def levels(tables):
    return {e: berechne_aggregat(tables["werte"], tables["raeume"], tables["indikatoren"], e)
            for e in (1, 2, 3)}


def _valid(raeume, day, ebene):
    r = raeume[raeume["ebene"] == ebene]
    return r[(r["gueltig_von"] <= pd.Timestamp(day)) &
             (r["gueltig_bis"].isna() | (r["gueltig_bis"] >= pd.Timestamp(day)))]


def test_the_city_has_eight_bezirke_and_at_least_45_sozialraeume_in_both_schemes(tables):
    r = tables["raeume"]
    assert len(_valid(r, date(2018, 12, 31), 2)) == 8
    assert len(_valid(r, date(2018, 12, 31), 1)) >= 45
    assert len(_valid(r, date(2024, 12, 31), 1)) == len(_valid(r, date(2018, 12, 31), 1)) + 1
    assert len(_valid(r, date(2024, 12, 31), 3)) == 1


def test_every_sozialraum_lies_in_exactly_one_bezirk(tables):
    r = tables["raeume"]
    bezirke = r[r["ebene"] == 2].set_index("raum_id")
    for _, sr in r[r["ebene"] == 1].iterrows():
        assert sr["parent_id"] in bezirke.index
        poly = shape(json.loads(sr["geometrie"]))
        inside = [b for b, row in bezirke.iterrows()
                  if shape(json.loads(row["geometrie"])).intersection(poly).area > 0.5 * poly.area]
        assert inside == [sr["parent_id"]], sr["raum_id"]


@pytest.mark.parametrize("day", [date(2018, 12, 31), date(2024, 12, 31)])
def test_sozialraeume_do_not_overlap_and_tile_the_city(tables, day):
    r = tables["raeume"]
    polys = [shape(json.loads(g)) for g in _valid(r, day, 1)["geometrie"]]
    city = shape(json.loads(_valid(r, day, 3)["geometrie"].iloc[0]))
    assert all(p.is_valid for p in polys)
    total = sum(p.area for p in polys)
    union = shapely.union_all(polys)
    # Overlaps would make the sum of areas exceed the union; gaps would leave the outline uncovered.
    assert total == pytest.approx(union.area, rel=1e-6)
    assert union.symmetric_difference(city).area < 1e-6 * city.area
    lon, lat = city.centroid.x, city.centroid.y
    assert 5.9 < lon < 9.5 and 50.3 < lat < 52.5        # inside NRW
    assert 100 < r[r["ebene"] == 3]["flaeche_km2"].iloc[0] < 250


def test_the_split_sozialraum_hands_over_to_its_two_parts_in_2019(demo, tables):
    aenderungen = demo.lade_raum_aenderungen()
    assert len(aenderungen) == 2 and set(aenderungen["art"]) == {"Teilung"}
    alt = aenderungen["alt_id"].iloc[0]
    werte = tables["werte"]
    years = pd.to_datetime(werte["stichtag"]).dt.year
    assert years[werte["raum_id"] == alt].max() == 2018
    for neu in aenderungen["neu_id"]:
        assert years[werte["raum_id"] == neu].min() == 2019


def test_every_stored_ratio_is_exactly_numerator_over_denominator(tables):
    w = tables["werte"].merge(tables["indikatoren"][["indikator_id", "aggregation", "faktor"]])
    q = w[w["aggregation"] == "quote"]
    np.testing.assert_allclose(q["wert"], q["zaehler"] / q["nenner"] * q["faktor"], rtol=1e-12)
    s = w[w["aggregation"] == "summe"]
    np.testing.assert_array_equal(s["wert"], s["zaehler"])


def test_population_of_sozialraeume_adds_up_to_bezirke_and_to_the_city(tables, levels):
    w = tables["werte"]
    bev = w[w["indikator_id"] == "bev_gesamt"]
    stadt = levels[3][levels[3]["indikator_id"] == "bev_gesamt"].set_index("stichtag")["wert"]
    bezirk = levels[2][levels[2]["indikator_id"] == "bev_gesamt"].groupby("stichtag")["wert"].sum()
    direct = bev.groupby("stichtag")["wert"].sum()
    pd.testing.assert_series_equal(stadt.sort_index(), direct.sort_index(), check_names=False)
    pd.testing.assert_series_equal(bezirk.sort_index(), direct.sort_index(), check_names=False)
    assert 240_000 < stadt.min() and stadt.max() < 265_000


def test_city_ratios_equal_the_sum_of_numerators_over_the_sum_of_denominators(tables, levels):
    w = tables["werte"].merge(tables["indikatoren"][["indikator_id", "aggregation", "faktor"]])
    q = w[w["aggregation"] == "quote"].groupby(["indikator_id", "stichtag"]).agg(
        z=("zaehler", "sum"), n=("nenner", "sum"), f=("faktor", "first"))
    expected = (q["z"] / q["n"] * q["f"]).rename("wert")
    city = levels[3].set_index(["indikator_id", "stichtag"])["wert"]
    np.testing.assert_allclose(city.loc[expected.index], expected, rtol=1e-12)
    assert levels[3]["vollstaendig"].all()


def test_the_catalog_covers_seven_handlungsfelder_with_numerator_and_denominator(tables):
    ind = tables["indikatoren"]
    assert len(ind) >= 30 and ind["handlungsfeld"].nunique() >= 7
    quoten = ind[ind["aggregation"] == "quote"]
    assert quoten["zaehler"].notna().all() and quoten["nenner"].notna().all()
    stichtage = sorted(pd.to_datetime(tables["werte"]["stichtag"]).dt.year.unique())
    assert stichtage == list(range(2012, 2025))


def test_deprivation_indicators_correlate_and_cluster_like_in_a_real_city(levels):
    sr = levels[1][pd.to_datetime(levels[1]["stichtag"]).dt.year == 2024]
    wide = sr.pivot(index="raum_id", columns="indikator_id", values="wert")
    corr = wide[["sgb2_quote", "kinderarmut", "alleinerziehende", "migration_u21"]].corr()
    assert (corr.to_numpy() > 0.6).all()
    bezirk = levels[2][(pd.to_datetime(levels[2]["stichtag"]).dt.year == 2024)
                       & (levels[2]["indikator_id"] == "sgb2_quote")]["wert"]
    assert bezirk.max() > 3 * bezirk.min()   # clustered: poor and affluent Bezirke
    stadt = levels[3][(levels[3]["indikator_id"] == "sgb2_quote")]["wert"]
    assert 8 < stadt.min() and stadt.max() < 15


def test_some_sozialraeume_improve_and_others_worsen(levels):
    sr = levels[1][levels[1]["indikator_id"] == "kinderarmut"]
    years = pd.to_datetime(sr["stichtag"]).dt.year
    change = (sr[years == 2024].set_index("raum_id")["wert"]
              - sr[years == 2014].set_index("raum_id")["wert"]).dropna()
    assert (change < -2).sum() >= 3 and (change > 2).sum() >= 3


def test_small_sozialraeume_have_values_that_must_be_suppressed(tables, config):
    w = tables["werte"]
    latest = w[pd.to_datetime(w["stichtag"]).dt.year == 2024]
    bev = latest[latest["indikator_id"] == "bev_gesamt"]
    small = set(bev[bev["wert"] < 500]["raum_id"])
    assert len(small) >= 3
    suppressed = flag_suppressed(latest, thresholds(tables["indikatoren"], config.stadt.geheimhaltung_standard))
    assert small <= set(latest[suppressed]["raum_id"])


def test_the_provisional_2024_delivery_is_partly_superseded_by_a_final_correction(demo, tables):
    w = tables["werte"]
    latest = w[pd.to_datetime(w["stichtag"]).dt.year == 2024]
    assert set(latest[latest["status"] == "endgültig"]["indikator_id"]) == {
        "sgb2_quote", "kinderarmut", "alq", "alq_u25", "langzeitarbeitslose", "svb_quote"}
    assert (latest["status"] == "vorläufig").any()
    history = demo.lade_wert_historie("0101", "sgb2_quote", date(2024, 12, 31))
    assert history["status"].tolist() == ["endgültig", "vorläufig"]
    assert history["zaehler"].iloc[0] > history["zaehler"].iloc[1]
    lieferungen = demo.lade_lieferungen()
    korrektur = lieferungen[lieferungen["bezeichnung"].str.startswith("Korrektur")].iloc[0]
    assert korrektur["anzahl_ersetzt"] == korrektur["anzahl_zeilen"] > 0


def test_goals_cover_the_four_zielfelder_and_include_the_handbook_examples(demo):
    z = demo.lade_ziele().set_index("ziel_id")
    messbar = z[z["kennzahl_art"].notna() & z["basiswert"].notna() & z["zieldatum"].notna()
                & z["verantwortlich"].notna() & (z["zielwert"].notna() | z["band_oben"].notna())]
    assert len(messbar) >= 25
    assert set(z["zielfeld"]) == {"Ergebnis/Wirkung", "Programm/Produkt", "Prozess/Struktur", "Ressourcen"}
    assert set(z["parent_id"].dropna()) <= set(z.index)
    h1 = z.loc["H1"]
    assert (h1["indikator_id"], h1["basiswert"], h1["zielwert"]) == ("heimerziehung", 0.3, 0.2)
    assert z.loc["H6", ["basiswert", "zielwert"]].tolist() == [4.5, 4.35]
    assert z.loc["H8", "band_oben"] == 3.0
    f4 = z.loc["F4"]
    assert f4["indikator_id"] == "hilfen_19"
    assert f4["zielwert"] == pytest.approx(round(f4["basiswert"] * 0.9, 2))


def test_products_have_full_datasheets_kennzahlen_and_budget_lines(demo):
    p = demo.lade_produkte()
    assert len(p) >= 12 and set(p["bereich_name"]) == {"Soziale Leistungen",
                                                       "Kinder-, Jugend- und Familienhilfe"}
    texts = ["beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
             "verantwortlich", "organisationseinheit", "gremium"]
    assert p[texts].notna().all().all()
    assert p["nr"].str.fullmatch(r"11\.0[56]\.\d\d\.\d\d").all()
    k = demo.lade_produkt_kennzahlen()
    assert set(k["nr"]) == set(p["nr"])
    assert {"Ist", "Ansatz", "Planung"} == set(k["wertart"])
    tep = demo.lade_teilergebnisplan()
    annual = tep[tep["monat"] == 0]
    assert annual["jahr"].nunique() >= 5
    monthly_2026 = tep[(tep["jahr"] == 2026) & (tep["monat"] > 0)]
    assert sorted(monthly_2026["monat"].unique()) == list(range(1, 11))
    m25 = tep[(tep["jahr"] == 2025) & (tep["monat"] > 0)].groupby(["produkt_nr", "position_nr"])["betrag"].sum()
    ist25 = annual[(annual["jahr"] == 2025) & (annual["wertart"] == "Ist")].set_index(
        ["produkt_nr", "position_nr"])["betrag"]
    pd.testing.assert_series_equal(m25.sort_index(), ist25.sort_index(), check_names=False)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_demo_is_deterministic(demo, config):
    again = Store.open(":memory:")
    build_demo(again, config)
    a = demo.lade_werte().drop(columns="lieferung_id")
    b = again.lade_werte().drop(columns="lieferung_id")
    pd.testing.assert_frame_equal(a, b)
    assert demo.lade_raeume(with_geometry=True).equals(again.lade_raeume(with_geometry=True))


def test_the_demo_refuses_to_write_into_a_filled_database(demo_copy, config):
    store = Store.open(demo_copy)
    with pytest.raises(ValueError, match="bereits Daten"):
        build_demo(store, config)

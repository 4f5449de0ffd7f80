"""The Berlin example loads the real data of ../shared through the documented commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from fis.config_lesen import lade_konfiguration
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.monitoring import berechne_aggregat
from fis.store import Store
from tests.echtdaten import REAL, nur_mit_echtdaten

ROOT = Path(__file__).resolve().parents[2]
BEISPIEL = ROOT / "examples" / "berlin"

pytestmark = [nur_mit_echtdaten, pytest.mark.langsam]   # loads the Berlin real data (1,5 min)


@pytest.fixture(scope="module")
def berlin(berlin_db) -> Path:
    return berlin_db


def test_both_lor_schemes_with_validity(berlin):
    store = Store.open(berlin, read_only=True)
    try:
        raeume = store.lade_raeume()
        counts = raeume.groupby("ebene").size().to_dict()
        assert counts == {1: 448 + 542, 2: 138 + 143, 3: 12, 4: 1}
        alt = store.lade_raeume(stichtag=date(2020, 12, 31), ebene=1)
        neu = store.lade_raeume(stichtag=date(2021, 1, 1), ebene=1)
        assert (len(alt), len(neu)) == (448, 542)
        # The duplicate id of the old geometry was fixed on read: 04030417 lies in Charlottenburg.
        schloss = alt.set_index("raum_id")
        assert schloss.at["04030417", "name"] == "Schloßstraße" and schloss.at["04030417", "parent_id"] == "040304"
        assert schloss.at["06010102", "parent_id"] == "060101"
    finally:
        store.close()


def test_population_totals_match_the_official_figures(berlin):
    store = Store.open(berlin, read_only=True)
    try:
        werte = store.lade_werte(["einwohner"])
        total = berechne_aggregat(werte, store.lade_raeume(), store.lade_indikatoren(), 4).set_index("stichtag")
        assert total.at[pd.Timestamp(2015, 12, 31), "wert"] == 3_610_156
        assert total.at[pd.Timestamp(2020, 12, 31), "wert"] == 3_769_962
        assert total.at[pd.Timestamp(2021, 12, 31), "wert"] == 3_775_480
        assert total.at[pd.Timestamp(2024, 12, 31), "wert"] == 3_897_145
    finally:
        store.close()


def test_mss_values_and_zero_rows(berlin):
    store = Store.open(berlin, read_only=True)
    try:
        mss = store.lade_werte(["mss_s1"])
        per_tag = {pd.Timestamp(k).date(): v for k, v in mss.groupby("stichtag").size().items()}
        # Zero-filled rows of unclassified PLR are missing, not 0: 447 − 13 / 12 / 11 / 11.
        assert per_tag[date(2012, 12, 31)] == 434
        assert per_tag[date(2018, 12, 31)] == 436
        assert per_tag[date(2021, 1, 1)] == 536       # 542 minus 6 invalid (-9999 / empty)
        first = mss[(mss["raum_id"] == "01011101") & (mss["stichtag"] == pd.Timestamp(2018, 12, 31))]
        assert first["wert"].iloc[0] == pytest.approx(2.7978)
    finally:
        store.close()


def test_mss_2021_at_december_2020_is_refused_for_the_scheme(berlin, tmp_path):
    import shutil
    copy = tmp_path / "b.duckdb"
    shutil.copy(berlin, copy)
    store = Store.open(copy)
    try:
        data = (REAL / "berlin-mss" / "mss2021_wfs" / "mss_2021_index_indikatoren.csv").read_bytes()
        z = zuordnung_import.Zuordnung.aus_dict(__import__("yaml").safe_load(
            (BEISPIEL / "zuordnungen" / "mss_2021_wfs.yaml").read_text(encoding="utf-8")))
        v = werte_import.vorbereiten(store, lies_tabelle(data, "mss.csv"), z, stichtag=date(2020, 12, 31))
        fehler = {p.pruefung: p.meldung for p in v.bericht.fehler}
        assert "Raum gilt nicht am Stichtag" in fehler
        assert "gilt von 01.01.2021" in fehler["Raum gilt nicht am Stichtag"]
    finally:
        store.close()


def test_berlin_config_is_valid():
    config = lade_konfiguration(BEISPIEL / "config")
    assert config.stadt.name == "Berlin" and len(config.katalog.indikatoren) == 13


def test_the_same_boundary_file_twice_is_reported(berlin, tmp_path):
    import shutil

    from fis.ingest import raeume as raeume_import
    copy = tmp_path / "b.duckdb"
    shutil.copy(berlin, copy)
    with Store.open(copy) as store:
        data = (REAL / "berlin-lor-geometrie" / "bezirke" / "berlin-lor-districts.geojson").read_bytes()
        z = raeume_import.RaumZuordnung.aus_dict(__import__("yaml").safe_load(
            (BEISPIEL / "zuordnungen" / "bezirke.yaml").read_text(encoding="utf-8")))
        v = raeume_import.vorbereiten(store, data, "bezirke.geojson", z, 4, "Berlin")
        assert [p.pruefung for p in v.bericht.fehler] == ["Datei bereits geliefert"]
        assert not v.uebernehmbar


@pytest.fixture(scope="module")
def berlin_monitoring(berlin):
    from fis.wuerfel import lade_monitoring

    config = lade_konfiguration(BEISPIEL / "config")
    with Store.open(berlin, read_only=True) as store:
        return lade_monitoring(store, config)


@pytest.mark.parametrize("jahr", range(2015, 2025))
def test_bezirk_figures_recomputed_from_the_planungsraeume_equal_the_published_ones(berlin_monitoring, jahr):
    """Σ PLR = the Amt für Statistik's own district table, for inhabitants and the
    share of foreigners (Σ numerators / Σ denominators)."""
    tabelle = (REAL / "berlin-einwohner" / f"berlin-lor-population-{jahr}-02-csv"
               / f"berlin-lor-population-{jahr}-02-t1-districts.csv")
    amtlich = pd.read_csv(tabelle, dtype={"id": str}).set_index("id")
    m = berlin_monitoring
    tag = date(jahr, 12, 31)
    bez = m.auswahl(stichtag=tag, ebene=3).set_index(["indikator_id", "raum_id"])
    for bezirk, row in amtlich.iterrows():
        assert bez.at[("einwohner", bezirk), "wert"] == row["inhabitants"], (jahr, bezirk)
        assert bez.at[("anteil_auslaender", bezirk), "wert"] == pytest.approx(
            row["inhabitants_foreigners_percentage"], abs=1e-9)
    assert len(amtlich) == 12


def test_no_suppressed_berlin_value_can_be_recovered_from_the_totals(berlin, berlin_monitoring):
    from fis.monitoring import aggregate_levels
    from tests.unit.test_disclosure import _recoverable

    with Store.open(berlin, read_only=True) as store:
        original = aggregate_levels(store.lade_werte(), store.lade_raeume(), store.lade_indikatoren(), 4)
    w = berlin_monitoring.werte
    # PLR under 300 inhabitants show only their population (as the MSS does)
    assert (w["grund"] == "einwohner").sum() > 100
    assert (w.loc[w["grund"] == "einwohner", "indikator_id"] != "einwohner").all()
    assert _recoverable(original, w) == set()


def test_the_karte_of_all_542_planungsraeume(berlin, berlin_monitoring):
    from fis.kartenansicht import kartenansicht
    from fis.maps import vereinfachen

    with Store.open(berlin, read_only=True) as store:
        r = store.lade_raeume(stichtag=date(2024, 12, 31), ebene=1, with_geometry=True)
    geo = vereinfachen(r.set_index("raum_id")["geometrie"])
    k = kartenansicht(berlin_monitoring, geo, "anteil_u6", date(2024, 12, 31), 1)
    assert len(k.daten) == 542 and k.daten["geometrie"].notna().all()
    assert sum(e.anzahl for e in k.legende) == 542
    klein = k.daten[k.daten["grund"] == "einwohner"]
    assert len(klein) and (klein["anzeige"] == "zu wenige Einwohner").all()

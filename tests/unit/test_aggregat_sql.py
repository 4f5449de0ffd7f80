"""The aggregation over all levels in DuckDB (fis.store.aggregat, used by fis.monitoring.lade_aggregat) equals
the pandas reference fis.monitoring.aggregate_levels: values, numerators, denominators, status, coverage and the
delivered totals — on the demo (all deliveries and published only, with an unpublished partial delivery) and on
the Berlin example with its changing Planungsräume."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis.monitoring import aggregate_levels, lade_aggregat
from tests.echtdaten import nur_mit_echtdaten


def _referenz(store, config) -> pd.DataFrame:
    indikatoren = store.lade_indikatoren()
    werte = store.lade_werte()
    werte = werte[werte["indikator_id"].isin(indikatoren["indikator_id"])]
    werte["status"] = werte["status"].where(werte["veroeffentlicht"], "vorläufig")
    top = max(e.ebene for e in config.stadt.raumebenen)
    return aggregate_levels(werte.drop(columns="veroeffentlicht"), store.lade_raeume(), indikatoren, top)


def _gleich(sql: pd.DataFrame, ref: pd.DataFrame) -> None:
    schluessel = ["indikator_id", "stichtag", "raum_id"]
    a = sql.sort_values(schluessel).reset_index(drop=True)
    b = ref[sql.columns].sort_values(schluessel).reset_index(drop=True)
    assert len(a) == len(b)
    for spalte in a.columns:
        if spalte in ("wert", "zaehler", "nenner", "summe_teile"):
            np.testing.assert_allclose(a[spalte].astype(float), b[spalte].astype(float), rtol=1e-9, equal_nan=True,
                                       err_msg=spalte)
        else:
            text_a, text_b = (x[spalte].astype(object).fillna("").astype(str) for x in (a, b))
            assert (text_a == text_b).all(), spalte


@pytest.mark.parametrize("oeffentlich", [False, True])
def test_the_levels_in_sql_equal_the_pandas_reference_on_the_demo(store, config, oeffentlich):
    sicht = store.cursor(nur_veroeffentlicht=oeffentlich)
    sql = lade_aggregat(sicht, config).werte
    _gleich(sql, _referenz(sicht, config))
    stadt = sql[(sql["ebene"] == 3) & (sql["indikator_id"] == "bev_gesamt") & (sql["stichtag"] == date(2024, 12, 31))]
    assert stadt.iloc[0]["wert"] == 257_121 and stadt.iloc[0]["anzahl"] == stadt.iloc[0]["erwartet"] == 51


def test_a_partial_unpublished_delivery_counts_as_provisional_and_incomplete(store, config):
    from fis.ingest import werte as werte_import
    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.lesen import lies_tabelle
    daten = (b"raum;indikator;stichtag;wert;zaehler;nenner\n"
             b"0101;sgb2_quote;31.12.2025;12,0;120;1000\n0102;sgb2_quote;31.12.2025;8,0;80;1000\n")
    tabelle = lies_tabelle(daten, "teil.csv")
    v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
    werte_import.uebernehmen(store, v, "p.planer")
    sql = lade_aggregat(store, config).werte
    _gleich(sql, _referenz(store, config))
    neu = sql[(sql["indikator_id"] == "sgb2_quote") & (sql["stichtag"] == date(2025, 12, 31))].set_index("raum_id")
    stadt = neu[neu["ebene"] == 3].iloc[0]
    assert stadt["wert"] == pytest.approx(10.0) and stadt["status"] == "vorläufig"
    assert (stadt["anzahl"], stadt["vollstaendig"]) == (2, False) and stadt["erwartet"] > 2


@nur_mit_echtdaten
@pytest.mark.langsam
def test_the_levels_in_sql_equal_the_pandas_reference_on_berlin(berlin_db):
    from fis.config_lesen import lade_konfiguration
    from fis.store import Store
    from tests.echtdaten import ROOT
    config = lade_konfiguration(ROOT / "examples" / "berlin" / "config")
    with Store.open(berlin_db, read_only=True) as store:
        _gleich(lade_aggregat(store, config).werte, _referenz(store, config))

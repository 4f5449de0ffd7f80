"""Bevölkerungsvorausberechnung: one cohort step by hand, the projection of the demo (three variants, bands that
add up), the delivery kind (future Stichtage, German refusals, rollback, never mixed with observed values), what the
profile says, and what Ausschuss and public may see of small areas and counts (attack test)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis import prognose
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import lies_tabelle
from fis.ingest.lieferungen import zuruecknehmen
from fis.store import Store

KOPF = "raum;merkmal;name;stichtag;variante;wert;basisjahr\n"


def test_one_year_of_the_model_by_hand():
    m = prognose.modell()
    p = np.array([600.0, 1200.0, 6000.0, 1500.0, 700.0])
    neu = prognose.schritt(p, m, 15.5)
    # band 0: 600 · 0,9994 = 599,64 survive, a sixth (99,94) turns 6, 15,5 ‰ of 6.000 adults are born: 592,70
    assert neu[0] == pytest.approx(599.64 - 99.94 + 93.0)
    # band 1: 1.200 · 0,9998 = 1.199,76, a twelfth leaves (99,98), 99,94 arrive from band 0
    assert neu[1] == pytest.approx(1199.76 - 99.98 + 99.94)
    # the open last band keeps everyone who survives and gains a fifteenth of band 3
    assert neu[4] == pytest.approx(700 * 0.895 + 1500 * 0.982 / 15)
    # a migration balance of +5 per 1.000 of 10.000 inhabitants: 50 people, 12 % of them under 6
    assert prognose.schritt(p, m, 15.5, 5.0)[0] - neu[0] == pytest.approx(50 * 0.12)
    assert prognose.schritt(np.array([p, 2 * p]), m, 15.5, np.array([0.0, 5.0]))[1, 0] == pytest.approx(
        2 * neu[0] + 100 * 0.12)


def test_the_projection_starts_with_the_base_and_its_bands_add_up():
    basis = pd.DataFrame({"bev_u6": [600.0], "bev_6_17": [1200.0], "bev_18_64": [6000.0], "bev_65_79": [1500.0],
                          "bev_80plus": [700.0]}, index=pd.Index(["01"], name="raum_id"))
    f = prognose.fortschreiben(basis, pd.Series({"01": 2.0}), 2024, 2030)
    assert set(f["variante"]) == {"Basis", "hoch", "niedrig"} and f["stichtag"].max() == date(2030, 12, 31)
    start = f[(f["stichtag"] == date(2024, 12, 31)) & (f["variante"] == "Basis")].set_index("merkmal")["wert"]
    assert start["bev_u6"] == 600 and start["bev_gesamt"] == 10_000
    breit = f.pivot_table(index=["stichtag", "variante"], columns="merkmal", values="wert")
    assert (breit.drop(columns="bev_gesamt").sum(axis=1) == breit["bev_gesamt"]).all()
    u6 = breit["bev_u6"].xs(pd.Timestamp(2030, 12, 31) if isinstance(breit.index[0][0], pd.Timestamp)
                            else date(2030, 12, 31))
    assert u6["niedrig"] < u6["Basis"] < u6["hoch"]


def _liefern(store, config, text: str, name: str = "prognose.csv"):
    daten = text.encode("utf-8")
    auftrag = Auftrag(store, config, daten, name, "p.planer", tabelle=lies_tabelle(daten, name))
    return auftrag, LIEFERARTEN["prognosen"].pruefen(auftrag)


def test_a_bad_projection_is_refused_in_german(demo_copy, config):
    schlecht = (KOPF + "9999;bev_u6;Kinder unter 6;31.12.2030;Basis;400;2024\n"
                "0101;xyz;;31.12.2030;Basis;400;2024\n"
                "0101;bev_u6;Kinder unter 6;31.12.2020;Basis;400;2024\n"
                "0101;bev_u6;Kinder unter 6;31.12.2031;Basis;-4;2024\n"
                "0101;bev_u6;Kinder unter 6;31.12.2032;Basis;400;2024\n"
                "0101;bev_u6;Kinder unter 6;31.12.2032;Basis;401;2024\n")
    with Store.open(demo_copy) as store:
        vorher = store.count_rows()
        _, v = _liefern(store, config, schlecht)
        assert {p.pruefung for p in v.bericht.fehler} == {
            "Unbekannter Raum", "Merkmal ohne Namen", "Stichtag vor dem Basisjahr", "Negative Anzahl",
            "Doppelte Zeile"}
        assert "9999" in v.bericht.als_text() and not v.uebernehmbar and store.count_rows() == vorher


def test_a_projection_is_delivered_rolled_back_and_never_mixed_with_values(demo_copy, config):
    gut = (KOPF + "0101;bev_u6;Kinder unter 6 Jahren;31.12.2030;Basis;412;2024\n"
           "0101;bev_u6;Kinder unter 6 Jahren;31.12.2030;hoch;431;2024\n"
           "0101;bev_gesamt;;31.12.2030;Basis;7400;2024\n")
    with Store.open(demo_copy) as store:
        werte_vorher = store.count_rows()["wert"]
        auftrag, v = _liefern(store, config, gut)
        assert v.uebernehmbar and LIEFERARTEN["prognosen"].vorschau(v).startswith("3 Werte: 1 Räume, 2 Merkmale")
        lid = LIEFERARTEN["prognosen"].speichern(auftrag, v)
        p = store.lade_prognosen(["0101"])
        neu = p[p["lieferung_id"] == lid].set_index(["merkmal", "variante"])
        assert neu.at[("bev_u6", "hoch"), "wert"] == 431
        assert neu.at[("bev_gesamt", "Basis"), "merkmal_name"] == "Einwohnerinnen und Einwohner"   # from the catalog
        assert store.count_rows()["wert"] == werte_vorher                 # no observed value was touched
        assert lid not in set(store.cursor(nur_veroeffentlicht=True).lade_prognosen()["lieferung_id"])
        zuruecknehmen(store, lid, "p.planer", "falsche Variante")
        assert lid not in set(store.lade_prognosen()["lieferung_id"])


def test_the_demo_projection_and_the_profile_sentence(demo, m):
    p = demo.lade_prognosen()
    assert set(p["variante"]) == {"Basis", "hoch", "niedrig"}
    assert prognose.prognosejahre(p) == list(range(2025, 2041))
    assert p["raum_id"].nunique() == 51 and set(p["basisjahr"]) == {2024}
    a = prognose.ausblick(p, "0101", 2030).set_index("merkmal")
    zeilen = p[(p["raum_id"] == "0101") & (p["merkmal"] == "bev_u6")]
    basis = zeilen[(zeilen["variante"] == "Basis") & (zeilen["stichtag"] == pd.Timestamp(2030, 12, 31))]["wert"]
    start = zeilen[zeilen["stichtag"] == pd.Timestamp(2024, 12, 31)]["wert"].iloc[0]
    assert a.at["bev_u6", "wert"] == basis.iloc[0] and a.at["bev_u6", "basiswert"] == start
    satz = prognose.ausblick_satz(a.loc["bev_u6"].to_dict() | {"Merkmal": "Kinder unter 6 Jahren"}, 2030)
    aenderung = round((basis.iloc[0] / start - 1) * 100)
    assert satz.startswith(f"2030: {int(basis.iloc[0])} Kinder unter 6 Jahren (Basisvariante, +{aenderung} % "
                           "gegenüber 2024; Spanne der Varianten ")
    # the starting values are Musterstadt's own counts: the Sozialräume add up to the city's population
    gesamt = p[(p["merkmal"] == "bev_gesamt") & (p["stichtag"] == pd.Timestamp(2024, 12, 31))
               & (p["variante"] == "Basis")]["wert"].sum()
    assert gesamt == m.auswahl("bev_gesamt", date(2024, 12, 31), m.top)["wert"].iloc[0] == 257_121


def test_public_view_withholds_small_areas_and_cannot_be_solved_for(demo):
    """Attack: from what Ausschuss and public receive, no withheld count can be recovered – a withheld band takes
    its total along (total − other bands), small areas are left out entirely and sums over areas are not shown."""
    alle = demo.lade_prognosen()
    oeffentlich = prognose.oeffentlich(alle, 300, 3)
    start = alle[(alle["stichtag"] == pd.Timestamp(2024, 12, 31)) & (alle["merkmal"] == "bev_gesamt")]
    klein = set(start.loc[start["wert"] < 300, "raum_id"])
    assert klein and not klein & set(oeffentlich["raum_id"])              # Hafen and the like: nothing at all
    breit = oeffentlich.pivot_table(index=["raum_id", "stichtag", "variante"], columns="merkmal", values="wert",
                                    dropna=False)
    baender = breit.drop(columns="bev_gesamt")
    assert not (baender.isna().any(axis=1) & breit["bev_gesamt"].notna()).any()
    assert ((baender >= 3) | (baender == 0) | baender.isna()).all().all()
    # a constructed case: 2 people over 80 withheld, and with them the total of that year
    fall = alle[(alle["raum_id"] == "0101") & (alle["stichtag"] == pd.Timestamp(2030, 12, 31))].copy()
    fall.loc[fall["merkmal"] == "bev_80plus", "wert"] = 2
    geschuetzt = prognose.oeffentlich(fall, 300, 3).set_index(["merkmal", "variante"])["wert"]
    assert pd.isna(geschuetzt[("bev_80plus", "Basis")]) and pd.isna(geschuetzt[("bev_gesamt", "Basis")])
    assert geschuetzt[("bev_u6", "Basis")] > 0


def test_the_projection_in_the_time_series_chart(demo, m):
    from fis.analysen import zeitreihe_werte
    from fis.charts import zeitreihe
    vorschau = prognose.reihen(demo.lade_prognosen(), "bev_gesamt", ["0101"])
    assert len(vorschau) == 17 and (vorschau["unten"] <= vorschau["wert"]).all()      # 2024 and 2025–2040
    assert (vorschau["wert"] <= vorschau["oben"]).all()
    spec = zeitreihe(zeitreihe_werte(m, "bev_gesamt", ["0101"]), m.meta("bev_gesamt"), prognose=vorschau).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in spec["layer"] if "mark" in layer]
    assert marks[0] == "area" and marks[-1] == "line"                 # the band under, the dashed Basis over all
    assert spec["layer"][-1]["mark"]["strokeDash"] == [6, 4]
    daten = spec["datasets"]
    werte = [z for reihe in daten.values() for z in reihe if str(z.get("Wert", "")).endswith(")")
             and "Prognose" in str(z.get("Wert", ""))]
    assert any(z["Stichtag"] == "31.12.2030" for z in werte)


def test_future_gaps_in_places_by_hand_and_in_the_demo(demo, m, config):
    from fis import versorgung as vs
    from fis.config import Versorgungsgrad, Zielgruppenprognose
    v = Versorgungsgrad("versorgung_u3", ("kita",), "plaetze_u3", "kita_u3", "nenner", richtwert=45.0)
    zg = Zielgruppenprognose(("bev_u6",), 0.5)
    lu = pd.DataFrame({"raum_id": ["01"], "name": ["A"], "plaetze": [100.0], "zielgruppe": [240.0], "luecke": [8.0]})
    p = pd.DataFrame({"raum_id": "01", "merkmal": "bev_u6", "merkmal_name": "Kinder unter 6",
                      "stichtag": pd.Timestamp(2030, 12, 31), "variante": ["Basis", "hoch", "niedrig"],
                      "wert": [600.0, 660.0, 520.0], "basisjahr": 2024})
    a = vs.ausblick(lu, v, zg, p, 2030, 100.0).iloc[0]
    # 300 children under 3 (half of 600) need 135 places at 45 per 100: 35 missing; the variants 330 → 49, 260 → 17
    assert (a["zielgruppe_kuenftig"], a["luecke_kuenftig"], a["luecke_unten"], a["luecke_oben"]) == (300, 35, 17, 49)
    assert vs.ausblick(lu, v, zg, p, 2035, 100.0).empty
    # two Merkmale: both needed (a withheld one leaves the area out)
    zwei = Zielgruppenprognose(("bev_u6", "bev_x"), 0.5)
    assert vs.ausblick(lu, v, zwei, p, 2030, 100.0).empty
    mit_x = pd.concat([p, p.assign(merkmal="bev_x", wert=[100.0, 100.0, 100.0])])
    assert vs.ausblick(lu, v, zwei, mit_x, 2030, 100.0).iloc[0]["zielgruppe_kuenftig"] == 350
    # the demo: the configured U3 outlook over every Sozialraum with a projection
    demo_v = config.einrichtungen.versorgungsgrad("versorgung_u3")
    lu = vs.luecken(m, config, "versorgung_u3", date(2024, 12, 31), 1)
    demo_zg = vs.zielgruppenprognose(config, demo_v)
    blick = vs.ausblick(lu, demo_v, demo_zg, demo.lade_prognosen(), 2030, 100.0)
    assert demo_zg.merkmale == ("bev_u6",) and lu["luecke"].sum() == 632
    assert len(blick) == lu["plaetze"].notna().sum() and blick["luecke_kuenftig"].sum() == 715
    assert (blick["luecke_unten"] <= blick["luecke_kuenftig"]).all() and (blick["luecke_kuenftig"]
                                                                           <= blick["luecke_oben"]).all()

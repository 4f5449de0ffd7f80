"""AppTests of the monitoring pages (Karte, Zeitreihen, Sozialraumprofil, Zusammenhänge)
on the demo database, with values checked against fis."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from fis.analysen import karte_werte, trend, zeitreihe_werte, zusammenhang
from fis.format import fmt_differenz, fmt_wert, fmt_zahl
from tests.app.helfer import seite

T = date(2024, 12, 31)




def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_karte_shows_child_poverty_with_ranks_and_suppression(monkeypatch, demo_copy, m):
    at = seite(monkeypatch, demo_copy, "karte")
    assert at.subheader[0].value == "Kinderarmut (%) je Sozialraum, 31.12.2024"
    erwartet = karte_werte(m, "kinderarmut", T, 1).set_index("raum_id")
    stadt = fmt_wert(erwartet["stadtwert"].iloc[0], "%", 1)
    assert f"Gesamtstadt {stadt}" in at.caption[0].value
    tabelle = _table(at, "Rang").set_index("Nr.")
    assert len(tabelle) == 51
    spitze = erwartet["rang"].idxmin()
    assert tabelle.at[spitze, "Rang"] == f"1 von {int(erwartet['n'].iloc[0])}"
    assert tabelle.at[spitze, "Wert"] == fmt_wert(erwartet.at[spitze, "wert"], "%", 1)
    unterdrueckt = erwartet.index[erwartet["unterdrueckt"]]
    assert len(unterdrueckt) >= 2
    assert set(tabelle.loc[unterdrueckt, "Wert"]) <= {"< 3 Fälle", "zu wenige Einwohner", "gesperrt"}
    assert "gesperrt" in set(tabelle.loc[unterdrueckt, "Wert"])


def test_karte_change_map_withholds_areas_with_a_new_boundary(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "karte")
    at.toggle(key="karte_veraenderung").set_value(True).run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Veränderung Kinderarmut je Sozialraum, 31.12.2019 → 31.12.2024")
    tabelle = _table(at, "Veränderung").set_index("Nr.")
    # 0405A/B exist since 1.1.2019: comparable with 31.12.2019, but not with 31.12.2018
    at.selectbox(key="karte_vergleich").set_value(date(2018, 12, 31)).run()
    tabelle = _table(at, "Veränderung").set_index("Nr.")
    assert tabelle.at["0405A", "Veränderung"].startswith("nicht vergleichbar")


def test_karte_button_opens_the_profile_of_the_chosen_area(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "karte")
    at.selectbox(key="karte_raum").set_value("0103").run()
    at.button(key="karte_profil").click().run()
    assert not at.exception
    assert at.title[0].value == "Sozialraumprofil"
    assert at.selectbox(key="profil_wahl").value == "0103"


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_zeitreihen_trend_table_matches_fis(monkeypatch, demo_copy, m):
    at = seite(monkeypatch, demo_copy, "zeitreihen")
    at.selectbox(key="zr_indikator").set_value("sgb2_quote").run()
    at.multiselect(key="zr_gebiete").set_value(["0103"]).run()
    assert not at.exception
    tabelle = _table(at, "Trend je Jahr").set_index("Gebiet")
    reihe = zeitreihe_werte(m, "sgb2_quote", ["0103"])
    erwartet = {t.raum_id: t for t in trend(reihe, 5)}
    name = m.namen()["0103"]
    assert tabelle.at[f"{name} (0103)", "Trend je Jahr"] == fmt_differenz(erwartet["0103"].steigung, "%", 2)
    assert len(tabelle) == 3                      # Sozialraum, Stadtbezirk, Gesamtstadt
    assert any("Lineare Regression" in c.value for c in at.caption)


def test_profil_shows_value_index_rank_and_handlungsbedarf(monkeypatch, demo_copy, m):
    at = seite(monkeypatch, demo_copy, "sozialraumprofil")
    at.selectbox(key="profil_wahl").set_value("0103").run()
    assert not at.exception
    k = karte_werte(m, "kinderarmut", T, 1).set_index("raum_id")
    tabellen = [d.value for d in at.dataframe if "Indikator" in d.value.columns]
    zeilen = next(t for t in tabellen if "Kinderarmut" in set(t["Indikator"])).set_index("Indikator")
    name = m.namen()["0103"]
    assert zeilen.at["Kinderarmut", name] == fmt_wert(k.at["0103", "wert"], "%", 1)
    assert zeilen.at["Kinderarmut", "Rang"] == f"{k.at['0103', 'rang']} von {k.at['0103', 'n']}"
    assert zeilen.at["Kinderarmut", "Index"] == fmt_zahl(k.at["0103", "index"], 0)
    assert at.error[0].value.startswith("**Handlungsbedarf**")      # Schlossviertel: a hot spot
    assert len([b for b in at.button if b.key.startswith("profil_nachbar_")]) == 5


def test_profil_side_by_side_with_a_second_area(monkeypatch, demo_copy, m):
    at = seite(monkeypatch, demo_copy, "sozialraumprofil")
    at.selectbox(key="profil_wahl").set_value("0103").run()
    at.selectbox(key="profil_vergleich").set_value("0101").run()
    assert not at.exception
    zweiter = m.namen()["0101"]
    tabelle = next(d.value for d in at.dataframe if zweiter in d.value.columns)
    assert f"Rang {zweiter}" in tabelle.columns


def test_zusammenhaenge_metrics_match_fis(monkeypatch, demo_copy, m, config):
    at = seite(monkeypatch, demo_copy, "zusammenhaenge")
    kern = config.lagebild.handlungsbedarf.indikatoren
    z = zusammenhang(m, kern[0], kern[1], T, 1)
    werte = {x.label: x.value for x in at.metric}
    assert werte["Pearson r"] == fmt_zahl(z.pearson, 2)
    assert werte["Spearman ρ"] == fmt_zahl(z.spearman, 2)
    assert werte["Sozialräume"] == str(z.n)
    assert z.n < 51                                 # suppressed values are left out


def test_pages_without_values_load_the_population_indicator_only_and_the_profile_a_slice(monkeypatch, demo_copy,
                                                                                         m, config):
    """``cache.monitoring(version, [])`` (Ziele, Produktdatenblatt, Berichte, Mittelverteilung …: the
    Raumgliederung, the catalog, Kennzahlen per inhabitant) had come to mean every value – for a large city the
    20 s of a whole read on each of these pages. The profile reads the Stichtag and the areas' series only."""
    from ui import cache, verbindung
    monkeypatch.setenv("FIS_DB", str(demo_copy))
    with verbindung.lauf():
        version = cache.data_version()
        wenig = cache.monitoring(version, [])
        assert wenig.indikatoren_mit_werten == {config.stadt.einwohner_indikator}
        assert list(wenig.indikatoren.index) == list(m.indikatoren.index)
        pd.testing.assert_frame_equal(wenig.raeume, m.raeume)
        assert cache.monitoring(version).indikatoren_mit_werten == m.indikatoren_mit_werten
        teil = cache.profil_monitoring(version, T, ("0103", "0501"))
        assert set(teil.zeilen("stichtag")) == set(m.stichtage)
        assert set(teil.werte.loc[teil.werte["stichtag"] != T, "raum_id"]) == {"0103", "0501"}
        assert len(teil.auswahl(stichtag=T)) == len(m.auswahl(stichtag=T))

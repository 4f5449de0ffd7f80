"""Soll-Ist, Ampel, forecasts, Hochrechnung and scenarios on hand-computed cases, including
the handbook's Heimerziehung (Abb. 19) and Familienhebammen (Bielefeld, Kap. 7) examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fis.ampel import Ampel, erste_regel
from fis.config import STANDARD_AMPEL, AmpelRegel, Controlling
from fis.config_lesen import lade_konfiguration
from fis.controlling import bewerte_ziele, lade_controlling, smart_pruefung, szenarien
from fis.hochrechnung import berichtsstand as hochrechnung_stand
from fis.hochrechnung import hochrechnung
from fis.wuerfel import lade_monitoring
from fis.zielbewertung import prognose, soll_ist, soll_pfad, unguenstige_abweichung, zielerreichungsgrad

HEIM = {"ziel_id": "H1", "einheit": "%", "basiswert": 0.30, "basisjahr": 2021, "zielwert": 0.20,
        "zieldatum": "2024-12-31", "richtung": "senken", "toleranz": 0.01}


# --------------------------------------------------------------------------- Heimerziehung (Abb. 19)

def test_heimerziehung_soll_path_from_0_3_to_0_2_percent():
    pfad = [soll_pfad(0.30, 2021, 0.20, 2024, j) for j in range(2020, 2026)]
    assert pfad == pytest.approx([0.30, 0.30, 0.30 - 0.1 / 3, 0.30 - 0.2 / 3, 0.20, 0.20])
    # explicit annual Soll values win over the straight path
    assert soll_pfad(0.30, 2021, 0.20, 2024, 2023, {2023: 0.24}) == 0.24


def test_heimerziehung_ampel_sentence_as_in_the_issue():
    ist = pd.Series({2021: 0.30, 2022: 0.28, 2023: 0.26})
    si = soll_ist(HEIM, ist, 2023, STANDARD_AMPEL, explizit={2023: 0.24}, nachkommastellen=2)
    assert si.text.startswith("Ist 0,26 % liegt 0,02 Pp über dem Soll-Pfad (0,24 % für 2023); "
                              "Toleranz 0,01 Pp überschritten")
    assert (si.ist, si.soll) == (0.26, 0.24)
    assert si.abweichung == pytest.approx(0.02)
    assert si.abweichung_prozent == pytest.approx(0.02 / 0.24 * 100)
    assert si.zielerreichung == pytest.approx(40.0)          # 0,04 of the planned 0,10 Pp
    assert si.ampel == "gelb"                                 # exactly two tolerances: not yet red
    assert si.prognose is not None and si.prognose.wert == pytest.approx(0.24)   # −0,02 per year
    assert not si.prognose.erreichbar
    assert "Ziel auf aktuellem Trend nicht erreichbar" in si.text


def test_heimerziehung_ressourcen_4_5_to_4_35_mio_and_240000_euro_in_year_one():
    aufwand = {"ziel_id": "H6", "einheit": "Mio. EUR", "basiswert": 4.5, "basisjahr": 2021,
               "zielwert": 4.35, "zieldatum": "2024-12-31", "richtung": "senken", "toleranz": 0.05}
    si = soll_ist(aufwand, pd.Series({2021: 4.5, 2022: 4.46, 2023: 4.40, 2024: 4.36}), 2024,
                  STANDARD_AMPEL, nachkommastellen=2)
    assert si.soll == 4.35 and si.ampel == "grün"
    assert si.text == "Ist 4,36 Mio. € liegt 0,01 Mio. € über dem Zielwert (4,35 Mio. € für 2024); " \
                      "innerhalb der Toleranz von 0,05 Mio. €."
    stellen = {"ziel_id": "H5", "einheit": "EUR", "basiswert": 1_400_000, "basisjahr": 2021,
               "zielwert": 1_640_000, "zieldatum": "2022-12-31", "richtung": "steigern", "toleranz": 20_000}
    si = soll_ist(stellen, pd.Series({2021: 1_400_000, 2022: 1_610_000}), 2022, STANDARD_AMPEL,
                  nachkommastellen=0)
    assert si.ampel == "gelb" and si.unguenstig == 30_000     # 1,5 tolerances short
    assert "30.000 € unter dem Zielwert (1.640.000 € für 2022); Toleranz 20.000 € überschritten" in si.text


def test_abbruchquote_stays_under_3_percent_is_a_band():
    band = {"ziel_id": "H8", "einheit": "%", "basiswert": 2.4, "basisjahr": 2021, "zielwert": np.nan,
            "zieldatum": "2025-12-31", "richtung": "halten", "toleranz": 0.2, "band_oben": 3.0,
            "band_unten": np.nan}
    assert soll_ist(band, pd.Series({2023: 2.5, 2024: 2.9}), 2024, STANDARD_AMPEL).ampel == "grün"
    si = soll_ist(band, pd.Series({2023: 2.5, 2024: 3.3}), 2024, STANDARD_AMPEL)
    assert si.ampel == "gelb" and si.unguenstig == pytest.approx(0.3)
    assert si.text.startswith("Ist 3,3 % (2024) liegt 0,3 Pp außerhalb des Zielbereichs (höchstens 3,0 %)")


# --------------------------------------------------------------------------- Familienhebammen (Bielefeld)

def test_familienhebammen_minus_ten_percent_relative_to_the_ist():
    # indicator: children with help under § 19 SGB VIII per 1.000 newborns; Ist 2022 = 8,4
    basis = 8.4
    ziel = {"ziel_id": "F4", "einheit": "je 1.000", "basiswert": basis, "basisjahr": 2022,
            "zielwert": round(basis * 0.9, 2), "zieldatum": "2025-12-31", "richtung": "senken", "toleranz": 0.2}
    assert ziel["zielwert"] == 7.56
    assert soll_pfad(basis, 2022, 7.56, 2025, 2024) == pytest.approx(8.4 - 2 * 0.28)
    si = soll_ist(ziel, pd.Series({2022: 8.4, 2023: 8.1, 2024: 7.8}), 2024, STANDARD_AMPEL, nachkommastellen=1)
    assert si.soll == pytest.approx(7.84) and si.ampel == "grün"
    assert si.zielerreichung == pytest.approx((7.8 - 8.4) / (7.56 - 8.4) * 100)
    assert si.prognose.wert == pytest.approx(7.5) and si.prognose.erreichbar
    # the financial aspect: Minderaufwand 49.752 € per avoided case and year
    assert round((8.4 - 7.56) / 1000 * 2500 * 49_752) == 104_479     # 2.500 newborns → 2,1 cases


# --------------------------------------------------------------------------- the rule table

@pytest.mark.parametrize(("ist_fehlt", "toleranzen", "erreichbar", "farbe"), [
    (True, np.nan, None, "grau"),
    (False, 0.0, True, "grün"),
    (False, 0.0, None, "grün"),        # no forecast possible: judged on the deviation alone
    (False, 1.0, True, "grün"),
    (False, 0.5, False, "gelb"),       # on the path, but the trend misses the target
    (False, 1.01, True, "gelb"),
    (False, 2.0, None, "gelb"),
    (False, 2.01, True, "rot"),
    (False, np.inf, True, "rot"),      # no tolerance declared, any miss is red
])
def test_the_standard_ampel_rules(ist_fehlt, toleranzen, erreichbar, farbe):
    assert erste_regel(STANDARD_AMPEL, ist_fehlt, toleranzen, erreichbar).farbe == farbe


def test_a_city_can_declare_its_own_rules():
    streng = (AmpelRegel("grau", "kein Ist", ist_fehlt=True),
              AmpelRegel("grün", "im Soll", abweichung_bis=0.0),
              AmpelRegel("rot", "sonst"))
    assert erste_regel(streng, False, 0.0, None).farbe == "grün"
    assert erste_regel(streng, False, 0.3, None).farbe == "rot"


def test_the_shipped_controlling_yaml_equals_the_standard_rules():
    assert lade_konfiguration().controlling.ampel == STANDARD_AMPEL


def test_unfavourable_deviation_and_grade():
    assert unguenstige_abweichung(12.0, 10.0, "senken") == 2.0
    assert unguenstige_abweichung(8.0, 10.0, "senken") == 0.0
    assert unguenstige_abweichung(8.0, 10.0, "steigern") == 2.0
    assert unguenstige_abweichung(5.0, 0, "halten", 6.0, 9.0) == 1.0
    assert zielerreichungsgrad(35, 30, 40) == 50.0


def test_a_stale_ist_is_grey_and_says_so():
    si = soll_ist(HEIM, pd.Series({2021: 0.30}), 2024, STANDARD_AMPEL, nachkommastellen=2)
    assert si.ampel == "grau"
    assert si.text == "Kein aktueller Ist-Wert (letzter Wert 0,30 % für 2021); kein Ist-Wert für das Berichtsjahr."
    # after the Zieldatum without an Ist of the target year, the achievement cannot be judged
    spaeter = soll_ist(HEIM, pd.Series({2021: 0.30}), 2026, STANDARD_AMPEL, nachkommastellen=2)
    assert spaeter.ampel == "grau" and "die Zielerreichung lässt sich nicht feststellen" in spaeter.text


# --------------------------------------------------------------------------- forecasts

def test_forecast_of_an_exact_line_has_no_band():
    r = pd.Series({2020 + i: 10 + 0.5 * i for i in range(5)})
    p = prognose(r, 2027, {"richtung": "steigern", "zielwert": 13.0, "toleranz": 0.1})
    assert p.steigung == pytest.approx(0.5) and p.wert == pytest.approx(13.5)
    assert p.unten == pytest.approx(13.5) and p.oben == pytest.approx(13.5)
    assert p.erreichbar and p.jahre == (2020, 2021, 2022, 2023, 2024)
    assert "2020–2024 (5 Jahre)" in p.methode and "80-%-Prognoseintervall" in p.methode


def test_forecast_band_covers_the_truth_and_widens_with_distance():
    rng = np.random.default_rng(7)
    r = pd.Series({2015 + i: 20 - 0.8 * i + rng.normal(0, 0.3) for i in range(10)})
    p = prognose(r, 2030, {"richtung": "senken", "zielwert": 5.0, "toleranz": 0.5}, konfidenz=0.95)
    assert p.steigung == pytest.approx(-0.8, abs=0.1)
    assert p.unten < 20 - 0.8 * 15 < p.oben
    breiten = [o - u for _, _, u, o in p.punkte]
    assert breiten == sorted(breiten)
    assert not p.erreichbar                       # ≈ 8 in 2030, target 5


def test_no_forecast_with_too_few_years_or_after_the_target_year():
    assert prognose(pd.Series({2023: 1.0, 2024: 2.0}), 2027, {"richtung": "steigern", "zielwert": 3}) is None
    assert prognose(pd.Series({2020: 1.0, 2021: 2.0, 2022: 3.0}), 2022,
                    {"richtung": "steigern", "zielwert": 3}) is None


def test_hochrechnung_linear_and_seasonal():
    profil = np.array([6, 7, 8, 8, 8, 8, 9, 9, 9, 9, 9, 10], dtype=float)   # sums to 100
    vorjahr = pd.Series(profil * 12_000, index=range(1, 13))                  # 1,2 Mio.
    dieses = pd.Series(profil[:10] * 12_000 * 1.1, index=range(1, 11))
    h = hochrechnung(dieses, vorjahr)
    assert h.ist_kumuliert == pytest.approx(81 * 12_000 * 1.1)
    assert h.saisonal == pytest.approx(1_200_000 * 1.1)
    assert h.linear == pytest.approx(81 * 12_000 * 1.1 / 10 * 12)
    assert hochrechnung(dieses).saisonal is None


def test_scenarios_as_in_the_handbook():
    s = szenarien(2024, 10.0, 2027, {"best case": -4 / 3, "status quo": 0.0, "worst case": 0.5})
    ende = s[s["jahr"] == 2027].set_index("szenario")["wert"]
    assert ende.to_dict() == pytest.approx({"best case": 6.0, "status quo": 10.0, "worst case": 11.5})


# --------------------------------------------------------------------------- SMART, roll-up, demo

def test_smart_check_names_what_is_missing():
    assert smart_pruefung({**HEIM, "kennzahl_art": "indikator", "verantwortlich": "S. Koch"}) == []
    fehlt = smart_pruefung({"ziel_id": "x", "kennzahl_art": None, "zieldatum": None, "basiswert": 5.0,
                            "basisjahr": 2021, "richtung": "senken", "zielwert": 6.0, "toleranz": None})
    assert "keine messbare Kennzahl (Indikator, Produktkennzahl oder Haushaltszeile)" in fehlt
    assert "kein Zieldatum (nicht terminiert)" in fehlt
    assert "Ziel schon beim Basiswert erreicht oder Richtung widerspricht dem Zielwert" in fehlt
    assert "keine Toleranz (jede Abweichung wäre rot)" in fehlt
    assert "keine Verantwortung benannt" in fehlt


def test_demo_goals_roll_up_the_worst_ampel(demo, config):
    from fis.controlling import lade_controlling
    from fis.wuerfel import lade_monitoring

    c = lade_controlling(demo, lade_monitoring(demo, config))
    b = bewerte_ziele(c, 2026, config.controlling).set_index("ziel_id")
    assert b.loc["L1", "ampel_eigen"] is None or pd.isna(b.loc["L1", "ampel_eigen"])
    unter = c.ziele[c.ziele["parent_id"] == "H1"]["ziel_id"]
    rang = {"grün": 0, "grau": 1, "gelb": 2, "rot": 3}
    schlechteste = max([b.loc["H1", "ampel_eigen"], *b.loc[unter, "ampel_eigen"]], key=rang.get)
    assert b.loc["H1", "ampel"] == schlechteste
    # every goal with a Kennzahl has an Ampel and a sentence
    mit = b[b["ampel_eigen"].notna()]
    assert len(mit) >= 30 and mit["text"].str.startswith(("Ist ", "Kein aktueller", "Zieldatum ")).all()
    # goals due before 2026 carry their final judgement
    assert mit.loc["H1", "text"].startswith("Zieldatum 31.12.2024 abgelaufen: Ziel verfehlt")


def test_rollup_eigene_keeps_the_own_colour(demo, config):
    from dataclasses import replace

    from fis.controlling import lade_controlling
    from fis.wuerfel import lade_monitoring

    c = lade_controlling(demo, lade_monitoring(demo, config))
    eigene = replace(config.controlling, rollup="eigene")
    b = bewerte_ziele(c, 2026, eigene).set_index("ziel_id")
    mit = b[b["ampel_eigen"].notna()]
    assert (mit["ampel"] == mit["ampel_eigen"]).all()
    assert isinstance(Controlling(ampel=STANDARD_AMPEL).rollup, str)


@pytest.mark.parametrize(("ist_fehlt", "prozent", "farbe"), [
    (True, np.nan, "grau"),            # no Ansatz for the year
    (False, 0.0, "grün"),              # below the Mindestbetrag the measure is 0
    (False, 1.99, "grün"),
    (False, 2.0, "gelb"),              # „gelb ab 2 %“: the limit itself is yellow
    (False, 4.99, "gelb"),
    (False, 5.0, "rot"),
    (False, np.inf, "rot"),
])
def test_the_budget_ampel_is_a_rule_table_for_the_same_engine(ist_fehlt, prozent, farbe):
    from fis.config import Haushaltsregel
    regeln = Haushaltsregel(gelb_prozent=2.0, rot_prozent=5.0).regeln()
    assert erste_regel(regeln, ist_fehlt, prozent, None).farbe == farbe
    assert regeln[2].wenn == "ungünstige Abweichung ab 2 %, unter 5 %"


def test_the_ampel_type_is_the_german_word_and_knows_its_rank_and_symbol():
    assert Ampel.ROT == "rot" and Ampel("grün") is Ampel.GRUEN and f"{Ampel.GELB}" == "gelb"
    assert sorted(Ampel, key=lambda a: a.rang) == [Ampel.GRUEN, Ampel.GRAU, Ampel.GELB, Ampel.ROT]
    assert Ampel.ROT.symbol == "■ rot" and Ampel.aus(float("nan")) is None and Ampel.aus("rot") is Ampel.ROT
    assert pd.Series(["rot", "grün"]).isin([Ampel.ROT]).tolist() == [True, False]


def test_a_goal_row_is_typed_once_and_judged_in_numbers_then_words():
    """Ziel.aus turns NaN into None (no NaN guards downstream); bewerten gives the numbers, begruendung the
    sentence (hand-computed: Soll path 20 → 10 over 2020–2030 gives 15 for 2025; Ist 16,5 is 1,5 above,
    with tolerance 1 that is 1,5 tolerances)."""
    from fis.config import STANDARD_AMPEL
    from fis.zielbewertung import Ziel, begruendung, bewerten
    z = Ziel.aus({"ziel_id": "Z1", "richtung": "senken", "einheit": "%", "basiswert": 20.0, "basisjahr": 2020.0,
                  "zielwert": 10.0, "zieldatum": pd.Timestamp("2030-12-31"), "toleranz": 1.0,
                  "band_unten": np.nan, "band_oben": float("nan"), "band_oben_strikt": np.nan})
    assert (z.basisjahr, z.zieljahr, z.band_unten, z.band_oben, z.band_oben_strikt) == (2020, 2030, None, None, False)
    b = bewerten(z, np.array([2023.0, 2024.0, 2025.0]), np.array([17.0, 16.8, 16.5]), STANDARD_AMPEL, None, 0.8, 3)
    assert (b.jahr, b.soll, b.ist) == (2025, 15.0, 16.5)
    assert b.unguenstig == pytest.approx(1.5) and b.vielfache == pytest.approx(1.5)
    assert b.regel.farbe == "gelb"
    assert begruendung(z, b, 1).startswith("Ist 16,5 % liegt 1,5 Pp über dem Soll-Pfad (15,0 % für 2025); "
                                           "Toleranz 1,0 Pp überschritten")


@pytest.mark.parametrize("oeffentlich", [False, True])
def test_goals_read_only_their_series_and_are_judged_as_from_every_value(demo_copy, config, oeffentlich):
    """fis.wuerfel.lade_reihen reads the (indicator, Raum) of the goals only; Ist series, base values, Soll-Ist and
    Ampel equal those computed from every value – also with a partial unpublished delivery in the database."""
    from fis import wuerfel
    from fis.controlling import gemessen_an, lade_controlling
    from fis.store import Store
    from tests.teillieferung import liefere_teil

    liefere_teil(demo_copy, ["sgb2_quote", "alq"])
    with Store.open(demo_copy) as store:
        s = store.cursor(nur_veroeffentlicht=oeffentlich)
        paare = gemessen_an(s.lade_ziele())
        reihen = wuerfel.lade_reihen(s, config, paare)
        assert 10 < len(paare) and len(reihen.werte) < len(wuerfel.lade_monitoring(s, config).werte) / 20
        assert set(zip(reihen.werte["indikator_id"], reihen.werte["raum_id"], strict=True)) <= set(paare)
        schmal = lade_controlling(s, reihen)
        breit = lade_controlling(s, wuerfel.lade_monitoring(s, config))
        pd.testing.assert_frame_equal(schmal.reihen, breit.reihen)
        assert len(schmal.reihen) > 100
        for jahr in (2024, 2025):
            pd.testing.assert_frame_equal(bewerte_ziele(schmal, jahr, config.controlling),
                                          bewerte_ziele(breit, jahr, config.controlling))


def test_budget_lines_are_projected_as_the_rule_for_one_line_says(demo, config):
    """fis.hochrechnung projects all budget lines at once; each equals :func:`hochrechnung` of its months – on the
    demo's lines and on awkward ones: a previous year with 11 months, one that sums to 0, a line whose Ist stops
    before the reporting month, one without a previous year."""
    from fis.hochrechnung import _hochrechnungen

    monate = range(1, 13)
    zeilen = [("A", 1, 2025, m, 100.0 + m) for m in monate] + [("A", 1, 2026, m, 110.0 + m) for m in range(1, 8)]
    zeilen += [("B", 2, 2025, m, 50.0) for m in range(1, 12)] + [("B", 2, 2026, m, 60.0) for m in range(1, 8)]
    zeilen += [("C", 3, 2025, m, (-1.0) ** m) for m in monate] + [("C", 3, 2026, m, 5.0) for m in range(1, 8)]
    zeilen += [("D", 4, 2026, m, 7.0) for m in range(1, 6)] + [("E", 5, 2026, m, -30.0) for m in range(1, 8)]
    eigene = pd.DataFrame(zeilen, columns=["produkt_nr", "position_nr", "jahr", "monat", "betrag"])
    c = lade_controlling(demo, lade_monitoring(demo, config))
    tep = c.tep[(c.tep["wertart"] == "Ist") & (c.tep["monat"] >= 1)][eigene.columns]
    for t, jahr, monat in ((eigene, 2026, 7), (tep, *hochrechnung_stand(c))):
        ist = t[(t["jahr"] == jahr) & t["monat"].between(1, monat)]
        vj = t[t["jahr"] == jahr - 1]
        alle = _hochrechnungen(ist, vj, monat)
        erwartet = {}
        for (nr, p), g in ist.groupby(["produkt_nr", "position_nr"]):
            if g["monat"].max() >= monat:
                v = vj[(vj["produkt_nr"] == nr) & (vj["position_nr"] == p)].set_index("monat")["betrag"]
                erwartet[(nr, p)] = hochrechnung(g.set_index("monat")["betrag"], v if len(v) == 12 else None)
        assert alle.keys() == erwartet.keys() and len(alle) >= 4
        for k, h in erwartet.items():
            assert alle[k].linear == pytest.approx(h.linear) and alle[k].ist_kumuliert == pytest.approx(h.ist_kumuliert)
            assert (alle[k].saisonal is None) == (h.saisonal is None), k
            assert h.saisonal is None or alle[k].saisonal == pytest.approx(h.saisonal)
    assert _hochrechnungen(eigene[eigene["jahr"] == 2026], eigene[eigene["jahr"] == 2025], 7)[("A", 1)].saisonal

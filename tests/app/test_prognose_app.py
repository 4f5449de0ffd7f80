"""The Bevölkerungsvorausberechnung in the Sozialraumprofil: the sentence for children under 6 in 2030 with its
variant band, the table per age band, the city as the sum of its Sozialräume; the expected target group of a goal
at its Zieldatum on the Ziele page; the committee gets no sums over
areas and nothing for areas too small to show."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fis.zugang import Benutzerdatei
from tests.app.helfer import ROOT


@pytest.fixture
def app(monkeypatch, demo_copy, tmp_path):
    pfad = tmp_path / "benutzer.json"
    d = Benutzerdatei(pfad)
    d.hinzufuegen("p.planer", "planung", "Planung-Passwort-1")
    d.hinzufuegen("a.ausschuss", "ausschuss", "Ausschuss-Passwort-1")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    monkeypatch.setenv("FIS_DB", str(demo_copy))
    monkeypatch.setenv("FIS_FEHLER_DURCHREICHEN", "1")
    monkeypatch.chdir(ROOT)

    def als(name: str, passwort: str, raum: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
        at.text_input(key="zugang_name").set_value(name)
        at.text_input(key="zugang_passwort").set_value(passwort)
        at.button[0].click().run()
        at.session_state["profil_raum"] = raum
        at.switch_page("seiten/sozialraumprofil.py").run()
        assert not at.exception
        return at
    return als


def _satz(at: AppTest) -> str:
    return next((m.value for m in at.markdown if "Kinder unter 6 Jahren" in m.value), "")


def test_planning_sees_the_projection_of_an_area_and_of_the_city(app):
    at = app("p.planer", "Planung-Passwort-1", "0101")
    assert "Bevölkerungsvorausberechnung" in [s.value for s in at.subheader]
    assert _satz(at).startswith("**2030\\: 614 Kinder unter 6 Jahren (Basisvariante, +13 % gegenüber 2024; "
                                "Spanne der Varianten 562–668)")
    tabelle = next(d.value for d in at.dataframe if "Spanne der Varianten" in d.value.columns).set_index("Merkmal")
    assert tabelle.at["Kinder unter 6 Jahren", "Ausgangswert 2024"] == "542"
    assert tabelle.at["Kinder unter 6 Jahren", "2030 (Basis)"] == "614"
    at.selectbox(key="profil_prognosejahr").set_value(2040).run()
    assert _satz(at).startswith("**2040\\:")
    at.sidebar.selectbox(key="_ebene").set_value(3).run()          # the city: the sum of its 51 Sozialräume
    assert "Kinder unter 6 Jahren" in _satz(at) and not at.exception


def test_the_committee_gets_no_sums_and_nothing_for_small_areas(app):
    at = app("a.ausschuss", "Ausschuss-Passwort-1", "0101")
    assert _satz(at).startswith("**2030\\: 614 Kinder unter 6 Jahren")        # a large area: shown
    at.sidebar.selectbox(key="_ebene").set_value(3).run()
    assert "Bevölkerungsvorausberechnung" not in [s.value for s in at.subheader]   # no sum over areas
    at = app("a.ausschuss", "Ausschuss-Passwort-1", "0203")               # Hafen: under 300 inhabitants
    assert "Bevölkerungsvorausberechnung" not in [s.value for s in at.subheader]


def _ziele(at: AppTest, ziel_id: str) -> AppTest:
    at.switch_page("seiten/ziele.py").run()
    at.selectbox(key="ziel_id").set_value(ziel_id).run()
    assert not at.exception
    return at


def test_a_goal_shows_its_expected_target_group_at_the_zieldatum(app):
    at = _ziele(app("p.planer", "Planung-Passwort-1", "0101"), "K4")
    baum = at.dataframe(key="ziele_baum").value
    spalte = "Zielgruppe am Zieldatum (Prognose)"
    zeile = baum[baum["Ziel"].str.contains("K4 ")].iloc[0]
    assert zeile[spalte] == "770 (−7 %)"               # half the projected children under 6 of Bezirk 02 in 2027
    assert baum[baum["Ziel"].str.contains("H1 ")].iloc[0][spalte] == "–"     # Zieldatum 2024: no projection
    satz = next(m.value for m in at.markdown if m.value.startswith("Zielgruppe am Zieldatum"))
    assert satz.startswith("Zielgruppe am Zieldatum\\: 2027 voraussichtlich 770 Kinder unter 3 Jahren "
                           "(Basisvariante, −7 % gegenüber 2024; Spanne der Varianten 736–804).")
    assert "Der Zielwert von 35,0 % bedeutet dann\\: rund 270 Kinder unter 3 Jahren in Tageseinrichtungen." in satz


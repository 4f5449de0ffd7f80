"""Deep links: the view's state is written to the URL and restored in a new session."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helfer import ROOT, seite


def _neu(monkeypatch, db, seite_pfad: str, **params) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(seite_pfad)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_karte_writes_its_state_into_the_url(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "karte")
    assert at.query_params["stichtag"] == "2024-12-31" and at.query_params["ebene"] == "1"
    assert at.query_params["indikator"] == "kinderarmut"


def test_a_link_restores_the_view_in_a_new_session(monkeypatch, demo_copy):
    at = _neu(monkeypatch, demo_copy, "seiten/karte.py", stichtag="2023-12-31", indikator="sgb2_quote", raum="0103")
    assert at.subheader[0].value == "SGB-II-Quote (%) je Sozialraum, 31.12.2023"
    assert at.selectbox(key="karte_raum").value == "0103"
    profil = _neu(monkeypatch, demo_copy, "seiten/sozialraumprofil.py", raum="0305", ebene="1")
    assert profil.selectbox(key="profil_wahl").value == "0305"


def test_a_broken_link_falls_back_to_the_defaults(monkeypatch, demo_copy):
    at = _neu(monkeypatch, demo_copy, "seiten/karte.py", stichtag="gestern", indikator="<script>", ebene="99")
    assert at.subheader[0].value == "Kinderarmut (%) je Sozialraum, 31.12.2024"
    assert at.query_params["stichtag"] == "2024-12-31"

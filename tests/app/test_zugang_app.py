"""Sign-in: single-user mode without users; with a user file the login page, wrong and right
passwords, logout; the Ausschuss role sees no Steuerung, Produkthaushalt, Berichte or
Datenpflege pages and gets no downloads."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fis.zugang import Benutzerdatei
from tests.app.helfer import ROOT


@pytest.fixture
def benutzer(tmp_path, monkeypatch):
    pfad = tmp_path / "benutzer.json"
    d = Benutzerdatei(pfad)
    d.hinzufuegen("p.planer", "planung", "Planung-Passwort-1")
    d.hinzufuegen("a.ausschuss", "ausschuss", "Ausschuss-Passwort-1")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    return pfad


def _app(monkeypatch, db) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def _anmelden(at: AppTest, name: str, passwort: str) -> AppTest:
    at.text_input(key="zugang_name").set_value(name)
    at.text_input(key="zugang_passwort").set_value(passwort)
    return at.button[0].click().run()


def test_without_users_the_app_runs_in_labelled_single_user_mode(monkeypatch, demo_copy, tmp_path):
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(tmp_path / "keine.json"))
    at = _app(monkeypatch, demo_copy)
    assert at.title[0].value == "Lagebild Musterstadt"
    assert any("Lokaler Einzelplatzmodus" in c.value for c in at.sidebar.caption)


def test_login_wrong_password_then_right_then_logout(monkeypatch, demo_copy, benutzer):
    at = _app(monkeypatch, demo_copy)
    assert at.title[0].value == "FIS Sozialplanung – Anmeldung" and not at.metric     # nothing before sign-in
    at = _anmelden(at, "p.planer", "falsch-falsch-falsch")
    assert at.error[0].value == "Benutzername oder Passwort ist falsch." and not at.metric
    at = _anmelden(at, "p.planer", "Planung-Passwort-1")
    assert at.title[0].value == "Lagebild Musterstadt"
    assert any(c.value == "Angemeldet: p.planer (Planung)" for c in at.sidebar.caption)
    at.switch_page("seiten/datenpflege.py").run()
    assert not at.exception and at.title[0].value == "Datenpflege"
    at.button(key="zugang_abmelden").click().run()
    assert at.title[0].value == "FIS Sozialplanung – Anmeldung"


def test_ausschuss_sees_only_published_monitoring(monkeypatch, demo_copy, benutzer):
    at = _anmelden(_app(monkeypatch, demo_copy), "a.ausschuss", "Ausschuss-Passwort-1")
    assert at.title[0].value == "Lagebild Musterstadt" and not at.get("download_button")
    for gesperrt in ("datenpflege", "controlling", "ziele", "mittelverteilung", "produktdatenblatt", "berichte"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):   # not registered: no URL
            at.switch_page(f"seiten/{gesperrt}.py")
    at.switch_page("seiten/karte.py").run()
    assert not at.exception and not at.get("download_button")       # no raw downloads for the committee
    at.switch_page("seiten/praesentation.py").run()
    assert at.title[0].value == "Lagebild Musterstadt 31.12.2024"

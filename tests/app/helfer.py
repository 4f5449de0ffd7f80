"""Shared piece of the AppTests: the whole app (frame, sidebar, navigation) opened on one page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def seite(monkeypatch, db: Path, page: str) -> AppTest:
    """Run app.py on database ``db``, switch to ``seiten/<page>.py``; fails on any exception."""
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(f"seiten/{page}.py").run()
    assert not at.exception, at.exception
    return at


def als_ausschuss(monkeypatch, db: Path, ordner: Path, page: str) -> AppTest:
    """The whole app signed in as a committee member (role ausschuss, a user file in ``ordner``), on
    ``seiten/<page>.py``; fails on any exception."""
    from fis.zugang import Benutzerdatei
    pfad = ordner / "benutzer.json"
    Benutzerdatei(pfad).hinzufuegen("a.ausschuss", "ausschuss", "Ausschuss-Passwort-1")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.text_input(key="zugang_name").set_value("a.ausschuss")
    at.text_input(key="zugang_passwort").set_value("Ausschuss-Passwort-1")
    at.button[0].click().run()
    at.switch_page(f"seiten/{page}.py").run()
    assert not at.exception, at.exception
    return at

"""Betrieb im Rathaus, in a real browser on a real server: a signed-in user stays signed in across a
reload and a deep link in a new tab; while the app runs, an import and a PDF report from the command
line work on the same database and the page shows the new data after a rerun; signing out ends the
session in every tab; the audit log has every entry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from fis.store import Store
from fis.zugang import Benutzerdatei
from tests.browser.helfer import ARTIFACTS, ROOT, launch, ruhig, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def umgebung(demo_db_file, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("betrieb")
    db = tmp / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    benutzer = tmp / "benutzer.json"
    Benutzerdatei(benutzer).hinzufuegen("p.planer", "planung", "Planungs-Passwort-1")
    env = {"FIS_DB": str(db), "FIS_BENUTZERDATEI": str(benutzer), "FIS_WARTEN_SEKUNDEN": "60"}
    with streamlit_server(env) as url:
        yield url, db, tmp, env


def _cli(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fis", *args], cwd=ROOT, env={**os.environ, **env,
                          "FIS_BENUTZER": "cli-planung"}, capture_output=True, text=True, timeout=300)


def test_session_survives_reload_and_cli_writes_beside_the_running_app(umgebung):
    from playwright.sync_api import sync_playwright

    url, db, tmp, env = umgebung
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        kontext = browser.new_context(viewport={"width": 1280, "height": 800})
        page = kontext.new_page()
        page.goto(url + "/karte?indikator=alq")
        page.get_by_label("Benutzername").wait_for(timeout=60_000)        # the sign-in page, not the app
        page.screenshot(path=str(ARTIFACTS / "anmeldeseite.png"))
        page.get_by_label("Benutzername").fill("p.planer")
        page.get_by_label("Passwort").fill("Planungs-Passwort-1")
        page.get_by_role("button", name="Anmelden").click()
        page.get_by_text("Angemeldet: p.planer").wait_for(timeout=120_000)
        assert "/karte" in page.url                                          # back to the linked view
        cookie = next(c for c in kontext.cookies() if c["name"] == "fis_sitzung")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and "fis_sitzung" not in page.url

        # while the app runs: an import and a PDF report from the command line on the same database
        datei = tmp / "neu.csv"
        datei.write_text("raum;indikator;stichtag;wert;zaehler;nenner\n0101;alq;31.12.2025;7,7;;\n", encoding="utf-8")
        r = _cli(env, "import", str(datei), "--db", str(db))
        assert r.returncode == 0, r.stderr
        r = _cli(env, "report", "monitoring", "--out", str(tmp / "bericht.pdf"), "--db", str(db))
        assert r.returncode == 0, r.stderr
        assert (tmp / "bericht.pdf").read_bytes()[:5] == b"%PDF-"

        # F5: still signed in, and the new Stichtag is there
        page.reload()
        page.get_by_text("Angemeldet: p.planer").wait_for(timeout=120_000)
        ruhig(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_text("31.12.2025", exact=False).first.wait_for(timeout=30_000)
        page.keyboard.press("Escape")
        page.screenshot(path=str(ARTIFACTS / "betrieb_nach_cli_import.png"))

        # a deep link in a new tab: the same session
        zweiter = kontext.new_page()
        zweiter.goto(url + "/zeitreihen?indikator=alq")
        zweiter.get_by_text("Angemeldet: p.planer").wait_for(timeout=120_000)

        # signing out in one tab ends the session in the other, too
        zweiter.get_by_role("button", name="Abmelden").click()
        zweiter.get_by_text("nicht (mehr) angemeldet").wait_for(timeout=60_000)
        page.reload()
        page.get_by_label("Benutzername").wait_for(timeout=60_000)
        browser.close()

    with Store.open(db, read_only=True) as store:
        log = store.lade_audit()
    aktionen = log["aktion"].tolist()
    assert {"anmeldung", "import", "abmeldung"} <= set(aktionen)
    assert log.loc[log["aktion"] == "import", "benutzer"].iloc[-1] == "cli-planung"
    assert log.loc[log["aktion"] == "anmeldung", "benutzer"].iloc[-1] == "p.planer"


def test_failed_sign_ins_are_throttled_per_client_and_audited(umgebung):
    import urllib.parse
    import urllib.request

    url, db, _, _ = umgebung
    holer = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def versuch(passwort: str) -> str:
        seite = holer.open(url + "/_fis/anmelden").read().decode()
        csrf = seite.split('name="csrf" value="')[1].split('"')[0]
        daten = urllib.parse.urlencode({"name": "p.planer", "passwort": passwort, "csrf": csrf,
                                        "weiter": "/"}).encode()
        try:
            return holer.open(url + "/_fis/anmelden", data=daten).read().decode()
        except urllib.error.HTTPError as exc:
            return exc.read().decode()

    antworten = [versuch(f"falsch-{i}") for i in range(6)]
    assert "Benutzername oder Passwort ist falsch" in antworten[0]
    assert "Zu viele Fehlversuche" in antworten[-1]
    with Store.open(db, read_only=True) as store:
        log = store.lade_audit()
    assert (log["aktion"] == "anmeldung_fehlgeschlagen").sum() >= 5

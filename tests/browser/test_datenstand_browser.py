"""The Lagebild in a real browser after a partial, unpublished delivery (5 of 51 Sozialräume at
31.12.2025): leadership opens on the last complete, published Stichtag with a note on the newer one;
choosing the new one shows a banner and no made-up city value."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.helfer import ARTIFACTS, launch, ruhig, streamlit_server
from tests.teillieferung import liefere_teil

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("datenstand") / "teil.duckdb"
    shutil.copy(demo_db_file, db)
    liefere_teil(db)
    with streamlit_server({"FIS_DB": str(db)}) as url:
        yield url


def test_leadership_sees_the_complete_stichtag_first_and_the_partial_one_only_with_its_state(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server)
        page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=90_000)
        page.get_by_text("mit Handlungsbedarf").first.wait_for(timeout=30_000)
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "datenstand_vorher.png"), full_page=True)
        vorher = page.inner_text("body")
        page.goto(server + "/?stichtag=2025-12-31")
        page.get_by_text("unvollständig: Werte für 5 von 51 Sozialräumen").first.wait_for(timeout=90_000)
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "datenstand_teillieferung.png"), full_page=True)
        nachher = page.inner_text("body")
        browser.close()
    assert "Stichtag 31.12.2024" in vorher
    assert "Neuere Lieferungen: 31.12.2025 (unvollständig, vorläufig)" in vorher
    assert "Stichtag 31.12.2025: vorläufig, nicht veröffentlicht" in nachher
    assert "Werte für 5 von 51 Sozialräumen" in nachher
    assert "Handlungsbedarf am 31.12.2025 nicht beurteilbar" in nachher
    assert "14,2 %" not in nachher and "endgültig" not in nachher

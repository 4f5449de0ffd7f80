"""The goal tree and the Abweichungsbericht in a real browser (screenshots to look at)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, launch, nur_lokal, ruhig, streamlit_server

pytestmark = pytest.mark.browser


def test_goal_tree_and_deviation_report(demo_db_file):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with streamlit_server({"FIS_DB": str(demo_db_file)}) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 2600})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:40]))
        page.goto(url)
        page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=120_000)
        page.get_by_role("link", name="Ziele").click()
        page.get_by_text("Zielbaum", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Ziel im Detail").wait_for(timeout=60_000)
        ruhig(page)
        body = page.inner_text("body")
        assert "H1: Der Anteil der Heimerziehung" in body and "überschritten" in body
        page.screenshot(path=str(ARTIFACTS / "ziele.png"))
        page.get_by_role("link", name="Controlling").click()
        page.get_by_text("Abweichungsbericht zum 30.09.2026").wait_for(timeout=60_000)
        ruhig(page)
        assert "Amt für Kinder, Jugend und Familie" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "controlling.png"), full_page=True)
        browser.close()
    assert nur_lokal(hosts), hosts

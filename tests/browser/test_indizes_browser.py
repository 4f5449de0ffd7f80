"""The Berlin MSS Statusindex and the demo typology in a real browser (screenshots to look at)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, ROOT, launch, nur_lokal, ruhig, streamlit_server

pytestmark = pytest.mark.browser


def test_berlin_statusindex_and_demo_typology(berlin_db, demo_db_file):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    env = {"FIS_DB": str(berlin_db), "FIS_CONFIG": str(ROOT / "examples" / "berlin" / "config")}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 2200})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:40]))
        with streamlit_server(env) as url:
            page.goto(url + "/sozialindex")
            page.get_by_text("Was den Wert treibt").wait_for(timeout=120_000)
            ruhig(page)
            body = page.inner_text("body")
            assert "Statusindex (MSS ab 2019)" in body and "sehr niedrig" in body
            page.screenshot(path=str(ARTIFACTS / "sozialindex_berlin.png"))
        with streamlit_server({"FIS_DB": str(demo_db_file)}) as url:
            page.goto(url + "/typisierung")
            page.get_by_text("Hauptkomponenten", exact=True).wait_for(timeout=120_000)
            ruhig(page)
            assert "Typen und ihre kennzeichnenden Indikatoren" in page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "typisierung.png"))
        browser.close()
    assert nur_lokal(hosts), hosts

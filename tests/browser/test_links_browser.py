"""A deep link opens the same view in a fresh browser session, and the view offers its link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, launch, streamlit_server

pytestmark = pytest.mark.browser


def test_deep_link_restores_the_karte(demo_db_file):
    from playwright.sync_api import sync_playwright

    with streamlit_server({"FIS_DB": str(demo_db_file)}) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
        page.goto(url + "/karte?stichtag=2023-12-31&ebene=1&indikator=sgb2_quote&raum=0103")
        page.get_by_text("SGB-II-Quote (%) je Sozialraum, 31.12.2023").wait_for(timeout=120_000)
        assert page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').nth(2).input_value() \
            == "Schlossviertel (0103)"
        page.get_by_text("Link zu dieser Ansicht").click()
        page.locator('[data-testid="stCode"]').wait_for(timeout=30_000)
        link = page.locator('[data-testid="stCode"]').inner_text().strip()
        params = parse_qs(urlparse(link).query)
        assert params["indikator"] == ["sgb2_quote"] and params["stichtag"] == ["2023-12-31"]
        assert urlparse(link).path.endswith("/karte")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "deeplink.png"))
        # the copied link opens the same view in another session
        zweite = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
        zweite.goto(link.replace("localhost", "127.0.0.1"))
        zweite.get_by_text("SGB-II-Quote (%) je Sozialraum, 31.12.2023").wait_for(timeout=120_000)
        browser.close()

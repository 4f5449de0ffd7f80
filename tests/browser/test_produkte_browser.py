"""Produktdatenblatt, Produktkritik and SROI in a real browser (screenshots to look at)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, launch, nur_lokal, ruhig, streamlit_server

pytestmark = pytest.mark.browser


def test_produktdatenblatt_produktkritik_sroi(demo_db_file):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with streamlit_server({"FIS_DB": str(demo_db_file)}) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 2800})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:40]))
        page.goto(url + "/produktdatenblatt")
        page.get_by_text("Teilergebnisplan", exact=True).wait_for(timeout=120_000)
        ruhig(page)
        # the Kennzahlen table stands above the Teilergebnisplan; under load it may be painted a moment later
        page.get_by_text("Aufwand pro 1.000 Einwohner (EUR)").first.wait_for(timeout=60_000)
        body = page.inner_text("body")
        assert "11.05.01 Grundsicherung für Arbeit" in body and "Besonderheiten im Haushaltsjahr" in body
        assert "Aufwand pro 1.000 Einwohner (EUR)" in body
        page.screenshot(path=str(ARTIFACTS / "produktdatenblatt.png"))
        page.get_by_role("link", name="Produktkritik").click()
        page.get_by_text("Soll-Ist-Portfolio").wait_for(timeout=60_000)
        page.get_by_text("Soll-Ist-Portfolio").click()
        ruhig(page)
        assert "Klasse A:" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "produktkritik.png"))
        page.get_by_role("link", name="SROI").click()
        page.get_by_text("Sensitivität: welche Annahme").wait_for(timeout=60_000)
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "sroi.png"))
        browser.close()
    assert nur_lokal(hosts), hosts

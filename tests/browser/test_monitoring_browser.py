"""The map of Berlin's 542 Planungsräume and a Sozialraumprofil in a real browser,
offline: every request stays on 127.0.0.1 (no tiles, no CDN, no fonts)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, ROOT, launch, nur_lokal, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def berlin_server(berlin_db):
    env = {"FIS_DB": str(berlin_db), "FIS_CONFIG": str(ROOT / "examples" / "berlin" / "config")}
    with streamlit_server(env) as url:
        yield url


def _karte_oeffnen(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=120_000)
    page.get_by_role("link", name="Karte").click()
    page.get_by_text("Legende (Anzahl Gebiete)").wait_for(timeout=60_000)
    page.locator("canvas").first.wait_for(timeout=60_000)
    page.wait_for_timeout(3000)


def test_berlin_map_of_542_planungsraeume_offline_and_click_to_profile(berlin_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 1300})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:40]))
        _karte_oeffnen(page, berlin_server)
        body = page.inner_text("body")
        assert "je Planungsraum, 31.12.2024" in body
        assert "zu wenige Einwohner (unterdrückt)" in body
        page.screenshot(path=str(ARTIFACTS / "karte_berlin.png"))

        # Hover shows the tooltip as text; a click selects the area for its profile.
        canvas = page.locator("canvas").first
        box = canvas.bounding_box()
        x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
        page.mouse.move(x, y)
        page.wait_for_timeout(800)
        hover = page.locator(".deck-tooltip").inner_text().split("\n")[0]
        tooltip = page.locator(".deck-tooltip")
        assert tooltip.is_visible()
        text = tooltip.inner_text()
        assert "Land Berlin:" in text and ("Rang" in text or "Einwohner" in text or "Fälle" in text)
        page.screenshot(path=str(ARTIFACTS / "karte_berlin_tooltip.png"))
        page.mouse.click(x, y)
        name_kurz = hover.rsplit(" (", 1)[0]
        button = page.get_by_role("button", name=f"Profil von {name_kurz} öffnen")
        button.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "karte_berlin_auswahl.png"))
        name = button.inner_text().split("\n")[-1]
        button.click()
        page.get_by_text("Ähnliche Planungsräume").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        assert "Planungsraumprofil" in page.inner_text("body")
        gewaehlt = name.removeprefix("Profil von ").removesuffix(" öffnen").strip()
        assert hover.startswith(gewaehlt)            # the clicked area, not the preselected one
        page.screenshot(path=str(ARTIFACTS / "profil_berlin.png"), full_page=True)
        auswahl = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first.input_value()
        assert hover in auswahl, auswahl
        browser.close()
    assert nur_lokal(hosts), hosts


def test_demo_profile_and_change_map(tmp_path_factory, demo_db_file):
    from playwright.sync_api import sync_playwright

    hosts: set[str] = set()
    with streamlit_server({"FIS_DB": str(demo_db_file)}) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 2400})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url[:40]))
        _karte_oeffnen(page, url)
        page.get_by_text("Veränderungskarte").click()
        page.get_by_text("Veränderung Kinderarmut je Sozialraum").wait_for(timeout=30_000)
        page.get_by_text("Namen", exact=True).click()
        page.wait_for_timeout(3000)
        page.screenshot(path=str(ARTIFACTS / "karte_veraenderung.png"))
        page.get_by_role("link", name="Sozialraumprofil").click()
        page.get_by_text("Ähnliche Sozialräume").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(ARTIFACTS / "profil_demo.png"))
        page.get_by_role("link", name="Zeitreihen").click()
        page.get_by_text("Trend je Gebiet").wait_for(timeout=60_000)
        page.wait_for_timeout(2500)
        page.screenshot(path=str(ARTIFACTS / "zeitreihen_demo.png"))
        page.get_by_role("link", name="Zusammenhänge").click()
        page.get_by_text("Pearson r").wait_for(timeout=60_000)
        page.wait_for_timeout(2500)
        page.screenshot(path=str(ARTIFACTS / "zusammenhaenge_demo.png"))
        # Reloading (or opening a bookmarked URL) runs the page inside the app's frame.
        page.goto(url + "/sozialraumprofil")
        page.get_by_text("Ähnliche Sozialräume").wait_for(timeout=60_000)
        assert "KeyError" not in page.inner_text("body")
        browser.close()
    assert nur_lokal(hosts), hosts

"""Angebot und Bedarf in a real browser: the page „Einrichtungen“ answers „Wo fehlen U3-Plätze?“ with the
map (Versorgungsgrad, facilities as points, catchment circles) and the list of gaps — at a desktop size and
on the projector (1280×800), offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, launch, nur_lokal, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    import shutil
    db = tmp_path_factory.mktemp("einrichtungen") / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    with streamlit_server({"FIS_DB": str(db)}) as url:
        yield url


@pytest.mark.parametrize(("breite", "hoehe"), [(1600, 1300), (1280, 800)])
def test_where_u3_places_are_missing_on_map_and_list(server, breite, hoehe):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": breite, "height": hoehe})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        page.goto(server)
        page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=120_000)
        page.get_by_role("link", name="Einrichtungen").click()
        page.get_by_text("Wo fehlen Plätze?").wait_for(timeout=60_000)
        page.locator("canvas").first.wait_for(timeout=60_000)
        # the catchment of 500 m around every Kita
        page.get_by_label("Einzugsbereich (Luftlinie)").click()
        page.get_by_role("option", name="500 m").click()
        page.get_by_text("Im Umkreis von 500 m").wait_for(timeout=60_000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
        page.wait_for_timeout(2500)
        page.screenshot(path=str(ARTIFACTS / f"einrichtungen_{breite}x{hoehe}.png"), full_page=True)
        body = page.inner_text("body")
        browser.close()
    assert "Einrichtungen und Versorgung" in body
    assert "Am Förderturm (0205)" in body and "es fehlen 67 Plätze" in body
    assert "Kindertageseinrichtung" in body            # legend of the points
    assert nur_lokal(hosts), hosts

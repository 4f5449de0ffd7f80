"""Mittelverteilung in a real browser, at a desktop size and on the projector (1280×800): the answer (rule as a
sentence, the sum, the areas) comes before the form; a minimum typed in changes the allocation; offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, erscheint, launch, nur_lokal, ruhig, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    import shutil
    db = tmp_path_factory.mktemp("mittelverteilung") / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    with streamlit_server({"FIS_DB": str(db)}) as url:
        yield url


@pytest.mark.parametrize(("breite", "hoehe"), [(1600, 1000), (1280, 800)])
def test_allocation_answer_first_and_a_minimum(server, breite, hoehe):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": breite, "height": hoehe})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        page.goto(server + "/mittelverteilung")
        page.get_by_text("Bedachte Sozialräume").wait_for(timeout=120_000)
        ruhig(page)
        # on the first screen: the rule in words and the figures, above the form
        satz = page.get_by_text("500.000 € werden auf die Sozialräume verteilt")
        assert satz.bounding_box()["y"] < hoehe and page.get_by_text("20 von 51").bounding_box()["y"] < hoehe
        assert satz.bounding_box()["y"] < page.get_by_text("Regel der Verteilung").bounding_box()["y"]
        page.screenshot(path=str(ARTIFACTS / f"mittelverteilung_{breite}x{hoehe}.png"))
        feld = page.get_by_label("Mindestbetrag je bedachtem Gebiet (€)")
        feld.fill("10000")
        feld.press("Enter")
        ruhig(page)
        erscheint(page, page.locator('[data-testid="stMetric"]').filter(has_text="Kleinster Betrag")
                  .filter(has_text="10.000 €"), f"mindestbetrag_{breite}")
        body = page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / f"mittelverteilung_mindest_{breite}x{hoehe}.png"), full_page=True)
        browser.close()
    assert "jedes bedachte Gebiet erhält mindestens 10.000 €" in body and "Verteilt\n\n500.000 €" in body
    assert nur_lokal(hosts), hosts

"""The app in a real browser: first start builds the demo, the Lagebild renders,
and no request leaves 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, ROOT, launch, ruhig, streamlit_server
from tests.conftest import DEMO_LIEFERUNGEN

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Streamlit server on a fresh database path, i.e. a real first start."""
    db = tmp_path_factory.mktemp("browser") / "fis.duckdb"
    with streamlit_server({"FIS_DB": str(db)}) as url:
        yield url, db


def test_first_start_builds_the_demo_and_shows_the_lagebild_without_external_requests(server):
    from playwright.sync_api import sync_playwright

    url, db = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 2300})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        page.goto(url)
        page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=90_000)
        page.get_by_text("mit Handlungsbedarf").first.wait_for(timeout=30_000)
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "lagebild.png"), full_page=True)
        body = page.inner_text("body")
        browser.close()
    assert db.exists()
    assert "Lagebild Musterstadt" in body
    assert "Stichtag 31.12.2024" in body
    assert "SGB-II-Quote" in body
    # data: URLs have no host; everything else must stay on this machine.
    assert hosts <= {"127.0.0.1"} | {h for h in hosts if h.startswith("data:")}, hosts


def test_the_excel_download_is_written_on_click_and_opens(server, tmp_path):
    """The workbook is built only when the button is clicked (deferred download): it must still
    arrive in the browser as a real XLSX with the table's rows (the demo's 14 areas with
    Handlungsbedarf: runs before the upload test changes the data)."""
    from playwright.sync_api import TimeoutError, sync_playwright
    from python_calamine import CalamineWorkbook

    url, _ = server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
        page.goto(url)
        page.get_by_text("mit Handlungsbedarf").first.wait_for(timeout=90_000)
        # the deferred file belongs to one script run: click only once the page has settled,
        # and again if a late rerun replaced the button under the click
        download = None
        for _ in range(3):
            page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
            ruhig(page)
            try:
                with page.expect_download(timeout=20_000) as info:
                    page.get_by_role("button", name="Excel").first.click()
                download = info.value
                break
            except TimeoutError:
                continue
        assert download is not None, "kein Excel-Download nach drei Klicks"
        ziel = tmp_path / download.suggested_filename
        download.save_as(ziel)
        browser.close()
    assert ziel.suffix == ".xlsx" and ziel.read_bytes()[:2] == b"PK"
    buch = CalamineWorkbook.from_path(str(ziel))
    zeilen = buch.get_sheet_by_index(0).to_python()
    assert len(zeilen) == 1 + 14 and "Quellen und Hinweise" in buch.sheet_names

def test_a_bad_upload_is_explained_and_fixed_in_the_datenpflege(server):
    """As a planner: upload a file whose ids lost their leading zeros, read the report,
    switch on the repair, commit. Runs after the first-start test (same server)."""
    from playwright.sync_api import sync_playwright

    url, _ = server
    bad = ROOT / "tests" / "daten" / "schlecht" / "fuehrende_null_verloren.csv"
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        page.goto(url + "/datenpflege")
        page.get_by_text("Datei mit Indikatorwerten").wait_for(timeout=90_000)
        page.locator("input[type=file]").first.set_input_files(str(bad))
        page.get_by_text("Unbekannter Raum").wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert "führende Nullen verloren" in body or "führenden Nullen verloren" in body
        assert "es wurde nichts gespeichert" in body
        page.screenshot(path=str(ARTIFACTS / "datenpflege_fehler.png"), full_page=True)
        page.get_by_text("Optionen").click()
        # A click during the expander's opening animation can miss the box: click the label
        # until the (visually hidden) input is ticked; the file is then checked again.
        box = page.get_by_role("checkbox", name="Führende Nullen der Raum-Kennungen ergänzen")
        for _ in range(5):
            if box.is_checked():
                break
            page.get_by_text("Führende Nullen der Raum-Kennungen ergänzen").click()
            ruhig(page)
        assert box.is_checked()
        page.get_by_text("Vorschau").wait_for(timeout=90_000)
        page.get_by_role("button", name="Lieferung übernehmen").click(timeout=60_000)
        page.get_by_text(f"Lieferung {DEMO_LIEFERUNGEN + 1} übernommen").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "datenpflege_uebernommen.png"), full_page=True)
        browser.close()
    assert hosts == {"127.0.0.1"}


"""In a real browser: a Sozialraum name and a goal title with HTML stay text (no element, no
script), and an Ausschuss user reaches neither Datenpflege nor an unpublished value by URL or
query parameters."""

from __future__ import annotations

import shutil

import pytest

from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.store import Store
from fis.zugang import Benutzerdatei
from tests.browser.helfer import ARTIFACTS, anmelden, launch, ruhig, streamlit_server

pytestmark = pytest.mark.browser

HTML = "<img src=x onerror=alert(1)>"


def test_html_in_names_is_shown_as_text_and_never_runs(demo_db_file, tmp_path):
    from playwright.sync_api import sync_playwright

    db = tmp_path / "xss.duckdb"
    shutil.copy(demo_db_file, db)
    with Store.open(db) as store:
        store.con.execute("UPDATE raum SET name = ? WHERE raum_id = '0103'", [HTML])
        ziel = store.lade_ziele().iloc[0]["ziel_id"]
        store.con.execute("UPDATE ziel SET titel = ? WHERE ziel_id = ?", [HTML + " Ziel", ziel])
    env = {"FIS_DB": str(db), "FIS_BENUTZERDATEI": str(tmp_path / "keine.json")}
    with streamlit_server(env) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        dialoge: list[str] = []
        page.on("dialog", lambda d: (dialoge.append(d.message), d.dismiss()))
        page.goto(url + "/sozialraumprofil?raum=0103&stichtag=2024-12-31&ebene=1")
        page.get_by_text("Ähnliche", exact=False).first.wait_for(timeout=120_000)
        auswahl = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first
        assert auswahl.input_value() == f"{HTML} (0103)"
        page.goto(url + f"/ziele?ziel={ziel}")
        kopf = page.locator('[data-testid="stHeading"]').filter(has_text=f"{HTML} Ziel")
        kopf.wait_for(timeout=120_000)
        assert kopf.inner_text().strip() == f"{ziel}: {HTML} Ziel"
        kopf.scroll_into_view_if_needed()
        ruhig(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "injektion_ziel.png"))
        assert page.locator('img[src="x"]').count() == 0
        page.goto(url + "/karte?raum=0103&stichtag=2024-12-31&ebene=1")
        page.get_by_text("je Sozialraum", exact=False).first.wait_for(timeout=120_000)
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "injektion_karte.png"))
        assert page.locator('img[src="x"]').count() == 0
        assert dialoge == []
        browser.close()


def test_ausschuss_reaches_no_datenpflege_and_no_unpublished_value_by_url(demo_db_file, tmp_path):
    from playwright.sync_api import sync_playwright

    db = tmp_path / "ausschuss.duckdb"
    shutil.copy(demo_db_file, db)
    with Store.open(db) as store:
        tabelle = lies_tabelle(b"raum;indikator;stichtag;wert;zaehler;nenner\n0101;alq;31.12.2025;77,7;;\n",
                               "unveroeffentlicht.csv")
        v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
        werte_import.uebernehmen(store, v, "p.planer")                # vorläufig: not published
    benutzer = tmp_path / "benutzer.json"
    Benutzerdatei(benutzer).hinzufuegen("a.ausschuss", "ausschuss", "Ausschuss-Passwort-1")
    env = {"FIS_DB": str(db), "FIS_BENUTZERDATEI": str(benutzer)}
    with streamlit_server(env) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()

        anmelden(page, url + "/datenpflege", "a.ausschuss", "Ausschuss-Passwort-1")
        page.get_by_role("heading", name="Lagebild Musterstadt").wait_for(timeout=120_000)
        ruhig(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Datenpflege" not in text and "Lieferung übernehmen" not in text
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("Datenpflege").count() == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ausschuss_datenpflege_url.png"))

        # a shared link opens in the same session (no second sign-in) …
        page.goto(url + "/karte?stichtag=2023-12-31&indikator=alq&raum=0101&ebene=1")
        page.get_by_text("je Sozialraum, 31.12.2023", exact=False).first.wait_for(timeout=120_000)
        # … but a link to an unpublished Stichtag falls back to the newest published one
        page.goto(url + "/karte?stichtag=2025-12-31&indikator=alq&raum=0101&ebene=1")
        page.get_by_text("je Sozialraum, 31.12.2024", exact=False).first.wait_for(timeout=120_000)
        ruhig(page)
        stichtag = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
        assert stichtag.input_value() == "31.12.2024"
        assert "31.12.2025" not in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / "ausschuss_unveroeffentlicht_url.png"))
        browser.close()


def test_ausschuss_sees_index_classes_only_on_a_projector(demo_db_file, tmp_path):
    """1280×800 as on a Fachausschuss projector: the Sozialindex as classes, its components as published
    values beside the city's, no contribution chart; the browser received no index value."""
    from playwright.sync_api import sync_playwright

    db = tmp_path / "ausschuss.duckdb"
    shutil.copy(demo_db_file, db)
    benutzer = tmp_path / "benutzer.json"
    Benutzerdatei(benutzer).hinzufuegen("a.ausschuss", "ausschuss", "Ausschuss-Passwort-1")
    env = {"FIS_DB": str(db), "FIS_BENUTZERDATEI": str(benutzer)}
    with streamlit_server(env) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        antworten: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: antworten.append(
            f if isinstance(f, str) else f.decode("latin-1"))))
        anmelden(page, url + "/sozialindex", "a.ausschuss", "Ausschuss-Passwort-1")
        page.get_by_text("nur Klassen", exact=False).first.wait_for(timeout=120_000)
        page.get_by_text("Was den Wert treibt").wait_for(timeout=120_000)
        ruhig(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Indexwert\n" not in text and "Beitrag zum Index" not in text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ausschuss_sozialindex_1280.png"))
        page.get_by_text("Was den Wert treibt").scroll_into_view_if_needed()
        ruhig(page)
        page.screenshot(path=str(ARTIFACTS / "ausschuss_sozialindex_treiber_1280.png"))
        gesendet = "".join(antworten)
        assert "Beitrag zum Index" not in gesendet and "(Index " not in gesendet
        browser.close()

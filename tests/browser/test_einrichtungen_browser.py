"""Angebot und Bedarf in a real browser: the page „Einrichtungen“ answers „Wo fehlen U3-Plätze?“ with the
map (Versorgungsgrad, facilities as points, catchment circles) and the list of gaps — at a desktop size and
on the projector (1280×800), offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.helfer import ARTIFACTS, erscheint, launch, nur_lokal, ruhig, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    import shutil
    db = tmp_path_factory.mktemp("einrichtungen") / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    with streamlit_server({"FIS_DB": str(db)}) as url:
        yield url, db


@pytest.mark.parametrize(("breite", "hoehe"), [(1600, 1300), (1280, 800)])
def test_where_u3_places_are_missing_on_map_and_list(server, breite, hoehe):
    from playwright.sync_api import sync_playwright

    url, _ = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": breite, "height": hoehe})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        page.goto(url)
        page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=120_000)
        page.get_by_role("link", name="Einrichtungen").click()
        page.get_by_text("Wo fehlen Plätze?").wait_for(timeout=60_000)
        page.locator("canvas").first.wait_for(timeout=60_000)
        # the catchment of 500 m around every Kita
        page.get_by_label("Einzugsbereich (Luftlinie)").click()
        page.get_by_role("option", name="500 m").click()
        page.get_by_text("Im Umkreis von 500 m").wait_for(timeout=60_000)
        ruhig(page)
        erscheint(page, page.locator('[data-testid="stMetric"]').filter(has_text="Fehlende Plätze bis zum Richtwert")
                  .filter(has_text="632"), f"fehlende_plaetze_632_{breite}")
        page.screenshot(path=str(ARTIFACTS / f"einrichtungen_{breite}x{hoehe}.png"), full_page=True)
        body = page.inner_text("body")
        browser.close()
    assert "Einrichtungen und Versorgung" in body
    assert "Fehlende Plätze bis zum Richtwert\n\n632" in body and "Gesamtstadt (Plätze je 100)\n\n37,4" in body
    assert "Kindertageseinrichtung (113)" in body      # legend of the points
    assert nur_lokal(hosts), hosts


def test_a_register_delivery_from_the_browser(server, tmp_path):
    """Datenpflege › Einrichtungen: a bad file is named in German and changes nothing; a good one (a new Kita in
    the worst-supplied area) is previewed, committed, and its places count on the Einrichtungen page."""
    import shapely
    from playwright.sync_api import sync_playwright

    from fis.store import Store

    url, db = server
    with Store.open(db, read_only=True) as store:
        r = store.lade_raeume(ebene=1, with_geometry=True).set_index("raum_id")
    punkt = shapely.from_geojson(r.at["0205", "geometrie"]).representative_point()   # inside Am Förderturm
    kopf = "einrichtung_id;typ;name;traeger;adresse;lon;lat;eroeffnet;plaetze_u3;plaetze_ue3\n"
    schlecht = tmp_path / "register_schlecht.csv"
    schlecht.write_text(kopf + "NEU1;Hort;Hort am Förderturm;AWO;Ringstraße 9;7,215;51,605;01.08.2024;10;20\n",
                        encoding="utf-8")
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(url + "/datenpflege")
        page.get_by_role("tab", name="Einrichtungen").click(timeout=90_000)
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Einrichtungsregister")
        uploader.locator("input[type=file]").set_input_files(str(schlecht))
        page.get_by_text("Unbekannter Typ").wait_for(timeout=60_000)
        assert "es wurde nichts gespeichert" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "einrichtungen_upload_fehler.png"), full_page=True)
        gut = tmp_path / "register_neu.csv"
        gut.write_text(kopf + f"NEU1;kita;Kita Förderturm-Neubau;AWO;Ringstraße 9;{punkt.x:.6f};{punkt.y:.6f};"
                       "01.08.2024;40;20\n", encoding="utf-8")
        uploader.locator("input[type=file]").set_input_files(str(gut))
        page.get_by_text("Vorschau: 1 neue").wait_for(timeout=60_000)
        page.get_by_role("button", name="Einrichtungsregister übernehmen").click()
        page.get_by_text("Einrichtungsregister übernommen").wait_for(timeout=60_000)
        page.goto(url + "/einrichtungen")
        page.get_by_text("Wo fehlen Plätze?").wait_for(timeout=90_000)
        ruhig(page)
        # Am Förderturm: 112 + 40 places for 397 children, 27 places short of 45 per 100 instead of 67
        kennzahl = page.locator('[data-testid="stMetric"]').filter(has_text="Fehlende Plätze bis zum Richtwert")
        erscheint(page, kennzahl.filter(has_text="592"), "fehlende_plaetze_592")
        body = page.inner_text("body")
        browser.close()
    assert "Kindertageseinrichtung (114)" in body

"""Blick nach vorn und nach außen in a real browser on the projector (1280×800), offline: the Lagebild's
comparison with Land, Bund and Vergleichsring, the projection in the Sozialraumprofil, the future gap of U3
places on the page „Einrichtungen“ and the expected target group of a goal at its Zieldatum."""

from __future__ import annotations

import pytest

from tests.browser.helfer import ARTIFACTS, demo_seite, erscheint, ruhig

pytestmark = pytest.mark.browser

BREITE, HOEHE = 1280, 800


@pytest.fixture(scope="module")
def seite(demo_db_file, tmp_path_factory):
    """One server and one browser page for the module's views (a fresh session per view via its URL)."""
    with demo_seite(demo_db_file, tmp_path_factory.mktemp("ausblick"), BREITE, HOEHE) as (url, page):
        yield url, page


def test_the_lagebild_compares_with_land_bund_and_the_ring(seite):
    url, page = seite
    page.goto(url)
    page.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=120_000)
    ruhig(page)
    erscheint(page, page.locator('[data-testid="stCaptionContainer"]').filter(has_text="NRW 9,0 % · Bund 7,0 %"),
              "lagebild_nrw")
    # the cards of a row stay aligned although only some have comparison values (in page order the cards of a
    # column come one after the other: the first two columns hold cards 1, 5 and 2, 6)
    karten = page.locator('[data-testid="stMetric"]')
    oben = [round(karten.nth(i).bounding_box()["y"]) for i in range(4)]
    assert oben[0] == oben[2] and oben[1] == oben[3] and oben[1] > oben[0], oben
    page.screenshot(path=str(ARTIFACTS / f"lagebild_karten_{BREITE}x{HOEHE}.png"))
    page.get_by_text("Im Vergleich mit Land, Bund und Vergleichsring").click()
    tabelle = page.locator('[data-testid="stDataFrame"]').filter(has=page.locator("canvas")).first
    erscheint(page, tabelle, "lagebild_vergleichstabelle")
    ruhig(page)
    page.get_by_text("Im Vergleich mit Land, Bund und Vergleichsring").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"lagebild_vergleich_{BREITE}x{HOEHE}.png"))
    assert "Bund 7,0 %" in page.inner_text("body")


def _satz_zeigen(page, adresse: str, text: str, name: str) -> str:
    """Open ``adresse``, wait for the sentence ``text``, keep a screenshot with it in view; the page's text."""
    page.goto(adresse)
    satz = page.get_by_text(text)
    erscheint(page, satz, name, timeout=120_000)
    ruhig(page)
    satz.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}_{BREITE}x{HOEHE}.png"))
    return page.inner_text("body")


def test_the_profile_shows_the_projection_with_its_band(seite):
    url, page = seite
    text = _satz_zeigen(page, url + "/sozialraumprofil?raum=0101",
                        "2030: 614 Kinder unter 6 Jahren (Basisvariante, +13 % gegenüber 2024", "profil_prognose")
    assert "Spanne der Varianten 562–668" in text


def test_the_einrichtungen_page_looks_ahead_at_missing_places(seite):
    url, page = seite
    page.goto(url + "/einrichtungen")
    page.get_by_text("Wo fehlen Plätze?").wait_for(timeout=120_000)
    ruhig(page)
    page.get_by_text("Ausblick: fehlende Plätze nach der Bevölkerungsvorausberechnung").click()
    erscheint(page, page.get_by_text("2030 fehlen nach der Basisvariante 715 Plätze (heute 632)"),
              "einrichtungen_ausblick")
    ruhig(page)
    page.get_by_text("2030 fehlen nach der Basisvariante").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"einrichtungen_ausblick_{BREITE}x{HOEHE}.png"))


def test_a_goal_names_its_target_group_at_the_zieldatum(seite):
    url, page = seite
    text = _satz_zeigen(page, url + "/ziele?ziel=K4",
                        "Zielgruppe am Zieldatum: 2027 voraussichtlich 770 Kinder unter 3 Jahren", "ziel_zielgruppe")
    assert "bedeutet dann: rund 270 Kinder unter 3 Jahren in Tageseinrichtungen" in text

"""Vom Befund zur Maßnahme in a real browser on the projector (1280×800), offline: the page „Maßnahmen“ with its
flags, table, map and the detail of one measure, and the Heimerziehung goal H1 with the measures serving it, its
costs and evaluations, next to H8, a red goal without any measure."""

from __future__ import annotations

import pytest

from tests.browser.helfer import ARTIFACTS, demo_seite, erscheint, ruhig

pytestmark = pytest.mark.browser

BREITE, HOEHE = 1280, 800


@pytest.fixture(scope="module")
def seite(demo_db_file, tmp_path_factory):
    """One server and one browser page for the module's views (a fresh session per view via its URL)."""
    with demo_seite(demo_db_file, tmp_path_factory.mktemp("massnahmen"), BREITE, HOEHE) as (url, page):
        yield url, page


def test_the_register_page_with_flags_map_and_detail(seite):
    url, page = seite
    page.goto(url + "/massnahmen")
    erscheint(page, page.get_by_text("Handlungsbedarf ohne Maßnahme"), "massnahmen_hinweis", timeout=120_000)
    ruhig(page)
    page.screenshot(path=str(ARTIFACTS / f"massnahmen_{BREITE}x{HOEHE}.png"))
    text = page.inner_text("body")
    assert "Am Kanalhafen" in text and "Rot, keine laufende Maßnahme" in text and "H8" in text
    # nothing wider than the window (the table scrolls inside its frame)
    assert page.evaluate("document.documentElement.scrollWidth") <= BREITE
    karte = page.locator('[data-testid="stDeckGlJsonChart"]')
    erscheint(page, karte, "massnahmen_karte")
    karte.scroll_into_view_if_needed()
    ruhig(page)
    page.screenshot(path=str(ARTIFACTS / f"massnahmen_karte_{BREITE}x{HOEHE}.png"))
    verlauf = page.get_by_text("Statusverlauf", exact=True)
    verlauf.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"massnahmen_detail_{BREITE}x{HOEHE}.png"))


def test_the_heimerziehung_goal_shows_its_measures(seite):
    url, page = seite
    page.goto(url + "/ziele?ziel=H1")
    abschnitt = page.get_by_text("Maßnahmen zu diesem Ziel")
    erscheint(page, abschnitt, "ziel_h1_massnahmen", timeout=120_000)
    ruhig(page)
    abschnitt.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"ziel_h1_massnahmen_{BREITE}x{HOEHE}.png"))
    assert "4 Maßnahmen, davon 3 laufend" in page.inner_text("body")
    page.goto(url + "/ziele?ziel=H8")
    flagge = page.get_by_text("Rot, keine laufende Maßnahme")
    erscheint(page, flagge, "ziel_h8_flagge", timeout=120_000)
    ruhig(page)
    flagge.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"ziel_h8_ohne_massnahme_{BREITE}x{HOEHE}.png"))


def test_the_cycle_page_shows_every_bereich_in_its_phase(seite):
    url, page = seite
    page.goto(url + "/planungszyklus")
    erscheint(page, page.get_by_text("Fortschreibung war am 30.06.2024 fällig"), "planungszyklus", timeout=120_000)
    ruhig(page)
    page.screenshot(path=str(ARTIFACTS / f"planungszyklus_{BREITE}x{HOEHE}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= BREITE
    beteiligung = page.get_by_role("heading", name="Beteiligung")
    beteiligung.scroll_into_view_if_needed()
    ruhig(page)
    page.screenshot(path=str(ARTIFACTS / f"planungszyklus_beteiligung_{BREITE}x{HOEHE}.png"))


def test_a_register_file_with_an_error_is_explained_then_a_good_one_is_taken(seite, tmp_path):
    url, page = seite
    schlecht = tmp_path / "register.yaml"
    schlecht.write_text("massnahmen:\n  - {id: M90, titel: Nachbarschaftscafé, handlungsfeld: Wohnen, "
                        "status: irgendwann, sozialraeume: [Hafen]}\n", encoding="utf-8")
    gut = tmp_path / "register_gut.yaml"
    gut.write_text(schlecht.read_text(encoding="utf-8").replace("irgendwann", "geplant"), encoding="utf-8")
    page.goto(url + "/massnahmen")
    erscheint(page, page.get_by_text("Register importieren (YAML, CSV, Excel)"), "mn_import", timeout=120_000)
    page.get_by_text("Register importieren (YAML, CSV, Excel)").click()
    page.locator("input[type=file]").first.set_input_files(str(schlecht))
    erscheint(page, page.get_by_text("Unbekannter Status"), "mn_import_fehler")
    assert "Erlaubt: geplant, beschlossen, laufend" in page.inner_text("body")
    assert page.get_by_role("button", name="Übernehmen").count() == 0          # nothing to commit
    page.locator("input[type=file]").first.set_input_files(str(gut))
    erscheint(page, page.get_by_role("button", name="Übernehmen"), "mn_import_ok")
    page.get_by_role("button", name="Übernehmen").click()
    erscheint(page, page.get_by_text("Maßnahmenregister: übernommen als Lieferung"), "mn_import_gespeichert")
    ruhig(page)
    page.screenshot(path=str(ARTIFACTS / f"massnahmen_import_{BREITE}x{HOEHE}.png"))

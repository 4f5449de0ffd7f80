"""Präsentationsmodus at 1920×1080 (projector): large type, no sidebar, no editing controls,
three views stepped with the buttons; and the WCAG checks: text contrast ≥ 4.5:1 on the
pages, usable at 200 % zoom (960×540 CSS pixels) without horizontal scrolling."""

from __future__ import annotations

import re

import pytest

from tests.browser.helfer import ARTIFACTS, bleibt_ruhig, launch, ruhig

pytestmark = pytest.mark.browser

# Contrast of every visible text element against its effective background (WCAG 2.1 formula;
# disabled controls are exempt, as in WCAG 1.4.3).
KONTRAST_JS = """
(root) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const kanal = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * kanal(r) + 0.7152 * kanal(g) + 0.0722 * kanal(b);
  const hintergrund = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const mischen = (fg, bg) => fg.length === 4 ? fg.slice(0, 3).map((c, i) => c * fg[3] + bg[i] * (1 - fg[3])) : fg;
  const schlecht = [];
  for (const el of root.querySelectorAll('*')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text || el.closest('[disabled],[aria-disabled="true"],canvas,svg,.deckgl-overlay')) continue;
    const st = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (st.visibility === 'hidden' || st.display === 'none' || box.width === 0) continue;
    const bg = hintergrund(el);
    let deckkraft = 1;                    // opacity multiplies down the tree (Streamlit fades captions so)
    for (let e = el; e; e = e.parentElement) deckkraft *= parseFloat(getComputedStyle(e).opacity);
    const eigen = mischen(rgb(st.color), bg);
    const fg = eigen.map((c, i) => c * deckkraft + bg[i] * (1 - deckkraft));
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const k = (a + 0.05) / (b + 0.05);
    // icons (ligatures of the Material font) are graphics: WCAG 1.4.11 asks 3:1 of them
    const grenze = st.fontFamily.includes('Material') ? 3 : 4.5;
    if (k < grenze) schlecht.push(`${text.slice(0, 40)}: ${k.toFixed(2)}`);
  }
  return schlecht;
}
"""


ALLE_FOLIEN = "() => document.body.innerText.match(/(\\d+) \\/ (\\d+) ·/)"


def test_presentation_mode_at_1920x1080(demo_server):
    from playwright.sync_api import sync_playwright

    url = demo_server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.goto(url + "/praesentation")
        page.get_by_text("Lagebild Musterstadt 31.12.2024").wait_for(timeout=120_000)
        ruhig(page)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("input, textarea, select, [data-testid='stDataFrame']").count() == 0
        groessen = main.locator("p").evaluate_all("els => els.filter(e => e.offsetParent)"
                                                  ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert groessen and min(groessen) >= 24, groessen
        assert page.locator("h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 48
        assert main.evaluate(KONTRAST_JS) == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "praesentation_1.png"))
        for n, titel in ((2, "Kinderarmut je Sozialraum"), (3, "Entwicklung Kinderarmut")):
            page.get_by_role("button", name="Weiter ▶").click()
            page.get_by_role("heading", name=titel).wait_for(timeout=60_000)
            page.get_by_text(f"{n} / 8").wait_for(timeout=30_000)
            ruhig(page)
            assert "folie=" + str(n) in page.url
            assert main.evaluate(KONTRAST_JS) == []
            page.screenshot(path=str(ARTIFACTS / f"praesentation_{n}.png"))
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        browser.close()


@pytest.mark.parametrize("breite, hoehe", [(1280, 800), (1920, 1080)])
def test_every_slide_fits_the_projector_and_the_clicker_steps_through(demo_server, breite, hoehe):
    """No slide needs scrolling; ArrowRight / PageDown / Space advance, ArrowLeft goes back, Home to
    the first; the key message names the leading and lagging Bezirke; a red Ampel cell is red."""
    from playwright.sync_api import sync_playwright

    from fis.palette import AMPEL

    url = demo_server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": breite, "height": hoehe}).new_page()
        page.goto(url + "/praesentation?folie=1")
        page.get_by_text("Lagebild Musterstadt 31.12.2024").wait_for(timeout=120_000)
        nr, gesamt, tasten = 1, None, ["ArrowRight", "PageDown", " "]
        rot_gesehen = False
        while True:
            page.get_by_text(f"{nr} / ").first.wait_for(timeout=60_000)
            ruhig(page)
            gesamt = int(page.evaluate(ALLE_FOLIEN)[2])
            hoch = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                                 " return [m.scrollHeight, m.clientHeight]; }")
            assert hoch[0] <= hoch[1], (nr, hoch)
            page.screenshot(path=str(ARTIFACTS / f"folie_{breite}x{hoehe}_{nr}.png"))
            text = page.locator("body").inner_text()
            if nr == 2:
                assert "Unter den Stadtbezirken am ungünstigsten in" in text
            zellen = page.locator("td", has_text="■ rot")
            if zellen.count():
                farbe = zellen.first.evaluate("e => getComputedStyle(e).backgroundColor")
                r, g, b = (int(v) for v in re.findall(r"\d+", farbe)[:3])
                soll = AMPEL["rot"].hintergrund
                assert (r, g, b) == tuple(int(soll[i:i + 2], 16) for i in (1, 3, 5)), farbe
                rot_gesehen = True
            if nr == gesamt:
                break
            page.keyboard.press(tasten[nr % len(tasten)])
            nr += 1
        assert rot_gesehen and gesamt >= 6
        page.keyboard.press("ArrowLeft")
        page.get_by_text(f"{gesamt - 1} / {gesamt}").first.wait_for(timeout=60_000)
        page.keyboard.press("Home")
        page.get_by_text(f"1 / {gesamt}").first.wait_for(timeout=60_000)
        browser.close()


@pytest.mark.parametrize("pfad, text", [("/", "Eckwerte der Gesamtstadt"), ("/controlling", "Abweichungsbericht"),
                                        ("/sozialraumprofil", "Ähnliche"), ("/mittelverteilung", "Bedachte")])
def test_contrast_and_200_percent_zoom(demo_server, pfad, text):
    from playwright.sync_api import sync_playwright

    url = demo_server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.goto(url + pfad)
        page.get_by_text(text).first.wait_for(timeout=120_000)
        ruhig(page)
        bleibt_ruhig(page)        # not between two runs, when Streamlit fades what is about to be replaced
        assert page.locator("body").evaluate(KONTRAST_JS) == []
        # 200 % zoom of a 1920×1080 screen = 960×540 CSS pixels
        klein = browser.new_context(viewport={"width": 960, "height": 540}).new_page()
        klein.goto(url + pfad)
        klein.get_by_text(text).first.wait_for(timeout=120_000)
        ruhig(klein)
        bleibt_ruhig(klein)
        breite = klein.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert breite[0] <= breite[1], breite
        abgeschnitten = klein.locator('[data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p') \
            .evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
        assert abgeschnitten == []                                  # figures are readable, not „25…“
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        klein.screenshot(path=str(ARTIFACTS / f"zoom200{pfad.replace('/', '_') or '_'}.png"))
        browser.close()

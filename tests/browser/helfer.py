"""Shared pieces of the browser tests: a Streamlit server on a free port and Debian's
Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str]) -> Iterator[str]:
    """Run ``streamlit run app.py`` with ``env`` added; yields the base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("Streamlit server did not start: " + proc.stdout.read().decode())
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"])


RUHIG = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def ruhig(page, timeout: int = 120_000) -> None:
    """Wait until the app has settled instead of sleeping: Streamlit's own run state (the attribute its e2e
    tests wait on) says the script is not running, no spinner is left, and the browser has painted twice since
    (charts, maps and tooltips draw in the next frames)."""
    try:    # a click's rerun may need a moment to start: give it half a second to show as running
        page.wait_for_selector('[data-testid="stApp"]:not([data-test-script-state="notRunning"])', timeout=500)
    except Exception:  # noqa: BLE001 – Playwright's TimeoutError: nothing started, the page is as it is
        pass
    page.wait_for_selector(RUHIG, timeout=timeout)
    page.locator('[data-testid="stSpinner"]').first.wait_for(state="detached", timeout=timeout)
    page.wait_for_selector(RUHIG, timeout=timeout)
    # charts and maps draw after the run: every chart has its canvas or SVG
    page.wait_for_function("""() => [...document.querySelectorAll(
        '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')]
        .every(e => e.querySelector('canvas, svg'))""", timeout=timeout)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


#: In the page: the time (ms since the navigation started) from which the page has been settled for ``ruhe`` ms —
#: the script not running, something drawn into the main area, no spinner, every chart with its canvas or SVG.
#: A new tab may report „not running“ before its first run, and a component's first value starts a second run:
#: only a state that lasts counts, and the time is when it began, not when the waiting ended.
RUHIG_SEIT = """async ([ruhe, frist]) => {
  const ende = performance.now() + frist;
  const fertig = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
      && !document.querySelector('[data-testid="stSpinner"]')
      && [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]')]
           .every(e => e.querySelector('canvas, svg'));
  };
  let seit = null;
  while (performance.now() < ende) {
    await new Promise(r => requestAnimationFrame(r));
    const jetzt = performance.now();
    if (!fertig()) { seit = null; continue; }
    if (seit === null) seit = jetzt;
    if (jetzt - seit >= ruhe) return seit;
  }
  throw new Error('Seite nicht ruhig innerhalb der Frist');
}"""


def bleibt_ruhig(page, ruhe_ms: int = 500, timeout: int = 120_000) -> None:
    """Wait until the page has been settled for ``ruhe_ms`` without a break (:data:`RUHIG_SEIT`): a component's
    first value or a link update may start a second run just after :func:`ruhig` saw the first one end."""
    page.evaluate(RUHIG_SEIT, [ruhe_ms, timeout])


def erscheint(page, locator, name: str, timeout: int = 90_000) -> None:
    """Wait until ``locator`` is visible; if it never is, keep a screenshot (``ARTIFACTS/fehlt_<name>.png``) and
    fail with what the page shows instead, so that a failure on CI can be read without rerunning it."""
    try:
        locator.wait_for(timeout=timeout)
    except Exception as fehler:  # noqa: BLE001 – Playwright's TimeoutError, reported as the page's state
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"fehlt_{name}.png"), full_page=True)
        zustand = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        raise AssertionError(f"{name} nicht sichtbar nach {timeout / 1000:.0f} s (Skript: {zustand}); die Seite "
                             f"zeigt:\n{page.inner_text('body')[-3000:]}") from fehler


def anmelden(page, adresse: str, name: str, passwort: str) -> None:
    """Open ``adresse``, sign in on the sign-in page and wait until the app shows who is signed in."""
    page.goto(adresse)
    page.get_by_label("Benutzername").wait_for(timeout=120_000)
    page.wait_for_load_state("load")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(passwort)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet: {name}").wait_for(timeout=120_000)
    ruhig(page)


def nur_lokal(hosts: set[str]) -> bool:
    """Every request went to this machine (data: URLs have no host)."""
    return all(h == "127.0.0.1" or h.startswith("data:") or h.startswith("blob:") for h in hosts)


@contextmanager
def demo_seite(demo_db_file: Path, ordner: Path, breite: int, hoehe: int):
    """A server on a copy of the demo and one browser page of ``breite`` × ``hoehe`` for a module's views: yields
    (url, page); afterwards asserts that every request stayed on this machine (offline)."""
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    db = ordner / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with streamlit_server({"FIS_DB": str(db)}) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": breite, "height": hoehe})
        page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
        yield url, page
        browser.close()
    assert nur_lokal(hosts), hosts

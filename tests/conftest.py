"""Shared fixtures: one demo database per test session (built once, ~3 s)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fis.config_lesen import lade_konfiguration
from fis.demo import build_demo
from fis.store import Store
from tests.echtdaten import OHNE_ECHTDATEN, REAL

ROOT = Path(__file__).resolve().parent.parent
# AppTests see a page's error as an exception, not as the German message the app frame shows users
os.environ.setdefault("FIS_FEHLER_DURCHREICHEN", "1")
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
# A city set up with the assistant on this machine (data/aktive_stadt.json) must not change what tests open.
os.environ.setdefault("FIS_AKTIVE_STADT", str(ROOT / "tests" / "daten" / "keine_aktive_stadt.json"))


#: What the demo (fis.demo) writes: its deliveries (values, areas, catalog, budget, goals, facilities, comparison
#: values, projection, two Maßnahmenregister deliveries, Planungszyklus und Beteiligung, four Gegensteuerungen) and its
#: audit entries. Tests count from here, so that a new demo delivery is one change.
DEMO_LIEFERUNGEN = 30
DEMO_AUDIT = 60


@pytest.fixture(scope="session")
def config():
    return lade_konfiguration()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = Store.open(path)
    build_demo(store, config)
    store.close()
    return path


@pytest.fixture(scope="session")
def demo(demo_db_file) -> Store:
    """The demo database, opened read-only: tests must not change it."""
    store = Store.open(demo_db_file, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def m(demo, config):
    """The demo's monitoring data (read-only, computed once)."""
    from fis.wuerfel import lade_monitoring
    return lade_monitoring(demo, config)


@pytest.fixture
def demo_copy(demo_db_file, tmp_path) -> Path:
    """A private, writable copy of the demo database file."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, target)
    return target


@pytest.fixture
def store(demo_copy) -> Store:
    """A writable store on a private copy of the demo database."""
    s = Store.open(demo_copy)
    yield s
    s.close()


@pytest.fixture(scope="session")
def berlin_db(tmp_path_factory) -> Path:
    """The Berlin example loaded from ../shared/data/real by examples/berlin/laden.sh (~30 s)."""
    if not REAL.exists():
        pytest.skip(OHNE_ECHTDATEN)
    db = tmp_path_factory.mktemp("berlin") / "berlin.duckdb"
    env = {**os.environ, "FIS_DB": str(db), "FIS_BENUTZER": "test", "BERLIN_DATEN": str(REAL)}
    result = subprocess.run([str(ROOT / "examples" / "berlin" / "laden.sh")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nicht alle Dateien" not in result.stderr
    return db


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """At the end, in German: how many tests ran, and why any were skipped (grouped by reason)."""
    stats = terminalreporter.stats
    gezaehlt = {k: len([r for r in stats.get(k, []) if getattr(r, "when", "call") in ("call", "setup")])
                for k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
    gruende: dict[str, int] = {}
    for bericht in stats.get("skipped", []):
        grund = bericht.longrepr[2] if isinstance(bericht.longrepr, tuple) else str(bericht.longrepr)
        grund = grund.removeprefix("Skipped: ")
        gruende[grund] = gruende.get(grund, 0) + 1
    terminalreporter.write_sep("=", "Zusammenfassung")
    terminalreporter.write_line(
        f"{gezaehlt['passed']} bestanden, {gezaehlt['failed']} fehlgeschlagen, {gezaehlt['error']} Fehler, "
        f"{gezaehlt['skipped']} übersprungen, {gezaehlt['xfailed']} erwartet fehlgeschlagen")
    for grund, n in sorted(gruende.items(), key=lambda g: -g[1]):
        terminalreporter.write_line(f"  {n} übersprungen: {grund}")


@pytest.hookimpl(tryfirst=True)      # before pytest-xdist reads the groups in its own hook
def pytest_collection_modifyitems(config, items):
    """Tests that start servers or build the Berlin database run one after another on one worker when the suite
    runs in parallel (pytest-xdist, --dist loadgroup): two Chromiums beside two servers on two cores would slow
    each other into timeouts, and the Berlin database is built once, not once per worker."""
    for item in items:
        if (item.get_closest_marker("browser") or item.get_closest_marker("system")
                or "berlin_db" in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("server"))

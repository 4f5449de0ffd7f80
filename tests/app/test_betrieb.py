"""One database, many processes: the app holds the DuckDB file only while a run needs it, so imports,
reports and user administration from the command line run beside it; the app notices their commits
in the next run (version file, no lock); a busy database means a bounded wait and a German message,
never a lost audit entry."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fis.store import Store, audit_warteschlange, datenversion_lesen
from fis.verbindungen import VERBINDUNGEN

pytestmark = pytest.mark.langsam   # runs the command line beside the app in other processes

ROOT = Path(__file__).resolve().parents[2]
KOPF = "raum;indikator;stichtag;wert;zaehler;nenner\n"


def _app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()


def _cli(db: Path, *args, warten: str = "60", **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "FIS_WARTEN_SEKUNDEN": warten, "FIS_BENUTZER": "cli-test"}
    return subprocess.run([sys.executable, "-m", "fis", *args, "--db", str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, **kw)


def _halten(db: Path, sekunden: float) -> subprocess.Popen:
    """Another process that holds the database (as a long import would): ``sekunden`` long, or until
    :func:`_freigeben` – so a slow machine cannot let the lock run out before the test has used it."""
    code = (f"import duckdb, select, sys; con = duckdb.connect({str(db)!r}); print('offen', flush=True); "
            f"select.select([sys.stdin], [], [], {sekunden}); con.close()")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "offen"
    return proc


def _freigeben(halter: subprocess.Popen) -> None:
    halter.stdin.write("frei\n")
    halter.stdin.flush()
    halter.wait(timeout=30)


def test_the_app_releases_the_database_after_every_run(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    assert not at.exception
    assert not VERBINDUNGEN.offen(demo_copy)
    # a command that needs the file at once (no wait) gets it while the app is running
    r = _cli(demo_copy, "status", warten="0")
    assert r.returncode == 0, r.stderr


def test_a_cli_import_is_seen_by_the_running_app_in_the_next_run(monkeypatch, demo_copy, tmp_path):
    at = _app(monkeypatch, demo_copy)
    vorher = datenversion_lesen(demo_copy)
    datei = tmp_path / "neu.csv"
    datei.write_text(KOPF + "0101;alq;31.12.2025;7,7;;\n", encoding="utf-8")
    r = _cli(demo_copy, "import", str(datei), warten="5")
    assert r.returncode == 0, r.stderr
    assert datenversion_lesen(demo_copy) != vorher            # written with the commit
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="_stichtag").options[-1].startswith("31.12.2025")
    # and a PDF report from the command line works beside the app, too
    r = _cli(demo_copy, "report", "monitoring", "--out", str(tmp_path / "m.pdf"), warten="5")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.pdf").read_bytes()[:5] == b"%PDF-"


def test_while_another_process_writes_the_app_waits_and_then_shows_the_new_data(monkeypatch, demo_copy):
    monkeypatch.setenv("FIS_WARTEN_SEKUNDEN", "30")
    halter = _halten(demo_copy, 3)
    try:
        beginn = time.monotonic()
        at = _app(monkeypatch, demo_copy)          # a first run misses every cache: it must wait
        dauer = time.monotonic() - beginn
    finally:
        halter.wait(timeout=30)
        halter.stdin.close()
    assert not at.exception and at.title[0].value == "Lagebild Musterstadt"
    assert dauer >= 2.5


def test_a_database_busy_beyond_the_bounded_wait_gives_a_german_message(monkeypatch, demo_copy):
    monkeypatch.setenv("FIS_WARTEN_SEKUNDEN", "1")
    halter = _halten(demo_copy, 300)
    try:
        at = _app(monkeypatch, demo_copy)
    finally:
        _freigeben(halter)
    assert not at.exception
    texte = " ".join(e.value for e in [*at.error, *at.warning])
    assert "durch einen anderen Vorgang belegt" in texte and "nichts verändert" in texte


def test_no_audit_entry_is_lost_while_the_database_is_busy(demo_copy, tmp_path):
    datei = tmp_path / "benutzer.json"
    halter = _halten(demo_copy, 300)
    try:
        r = subprocess.run([sys.executable, "-m", "fis", "user", "add", "m.mueller", "--rolle", "planung",
                            "--passwort-stdin", "--datei", str(datei), "--db", str(demo_copy)], cwd=ROOT,
                           input="ein-langes-Passwort-1\n", capture_output=True, text=True, timeout=120,
                           env={**os.environ, "FIS_WARTEN_SEKUNDEN": "1"})
    finally:
        _freigeben(halter)
    assert r.returncode == 0, r.stderr
    assert audit_warteschlange(demo_copy).exists()        # waiting beside the database …
    with Store.open(demo_copy) as store:                  # … until the next writer opens it
        log = store.lade_audit()
    assert not audit_warteschlange(demo_copy).exists()
    eintrag = log[log["aktion"] == "benutzer_angelegt"].iloc[-1]
    assert eintrag["objekt_id"] == "m.mueller"


def test_the_version_file_is_written_with_every_commit(store):
    from fis.ingest.lesen import ImportFehler
    from fis.ingest.lieferungen import veroeffentlichen
    vorher = datenversion_lesen(store.path)
    lid = int(store.lade_lieferungen()["lieferung_id"].iloc[-1])
    with pytest.raises(ImportFehler):                       # already published: nothing changes …
        veroeffentlichen(store, lid, "planung-test")
    assert datenversion_lesen(store.path) == vorher
    from fis.ingest import werte as werte_import
    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.lesen import lies_tabelle
    from tests.teillieferung import teillieferung_csv
    tabelle = lies_tabelle(teillieferung_csv(store, ["alq"]), "t.csv")
    z = zuordnung_import.Zuordnung(format="lang", raum="raum", indikator="indikator", stichtag="stichtag",
                               wert="wert", zaehler="zaehler", nenner="nenner")
    werte_import.uebernehmen(store, werte_import.vorbereiten(store, tabelle, z), "planung-test")
    assert datenversion_lesen(store.path) == store.data_version() != vorher
    assert date(2025, 12, 31) in store.lade_stichtage()


def test_sessions_asking_for_the_data_version_at_once_while_the_version_file_is_stale(monkeypatch, demo_copy):
    """The first visitors after a delivery arrive together while the cube is written (the version file is then
    older than the database): each reads the version from the database at the same time. On the process's one
    connection, DuckDB refused the second call ("connection is busy") and a visitor saw an error."""
    import threading

    from fis.store import versionsdatei
    from ui import cache, verbindung
    monkeypatch.setenv("FIS_DB", str(demo_copy))
    with Store.open(demo_copy, read_only=True) as store:
        erwartet = store.data_version()
    gelesen, fehler = [], []
    start = threading.Barrier(4)

    def besucher() -> None:
        try:
            with verbindung.lauf():
                start.wait()
                for _ in range(25):
                    versionsdatei(demo_copy).unlink(missing_ok=True)       # stale: read from the database
                    gelesen.append(cache._datenversion())
        except Exception as exc:  # noqa: BLE001 – collected and asserted below
            fehler.append(exc)
    threads = [threading.Thread(target=besucher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not fehler, fehler
    assert len(gelesen) == 100 and set(gelesen) == {erwartet}
    assert not VERBINDUNGEN.offen(demo_copy)

"""Bad input: every file of the corpus gives a German error and changes nothing;
a killed import leaves the database as before; concurrent imports are serialised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fis.cli import main
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.store import Store
from tests.conftest import DEMO_LIEFERUNGEN

ROOT = Path(__file__).resolve().parents[2]
DATEN = ROOT / "tests" / "daten"
KORPUS = DATEN / "schlecht"
RAUM_ZUORDNUNG = DATEN / "raum_zuordnung.yaml"
GUT = KORPUS / "formel.csv"            # any value file: the mapping is checked before the values
DATEIEN = sorted(KORPUS.iterdir())
ZIELE = sorted((DATEN / "schlecht_ziele").iterdir())
ZUORDNUNGEN = sorted((DATEN / "schlecht_zuordnung").iterdir())
EINRICHTUNGEN = sorted((DATEN / "schlecht_einrichtungen").iterdir())
RAEUME = [f"0{b}0{s}" for b in range(1, 9) for s in range(1, 6) if f"0{b}0{s}" != "0405"]  # 39 valid today
GERMAN = ("Datei", "Zeile", "Spalte", "bitte", "Bitte", "keine", "nicht", "fehlt", "Objekt")


def _befehl(art: str, datei: Path, db: Path) -> list[str]:
    """The command a planner would run for one file of the corpus."""
    if art == "ziele":
        return ["ziele", str(datei), "--db", str(db)]
    if art == "einrichtungen":
        return ["import", str(datei), "--art", "einrichtungen", "--db", str(db)]
    if art == "zuordnung":
        return ["import", str(GUT), "--zuordnung", str(datei), "--db", str(db)]
    args = ["import", str(datei), "--db", str(db)]
    if datei.suffix in (".geojson", ".zip", ".gpkg"):
        args += ["--zuordnung", str(RAUM_ZUORDNUNG)]
    return args


KORPUS_FAELLE = ([("werte", d) for d in DATEIEN] + [("ziele", d) for d in ZIELE]
                 + [("zuordnung", d) for d in ZUORDNUNGEN] + [("einrichtungen", d) for d in EINRICHTUNGEN])


def test_the_corpus_has_at_least_a_hundred_files():
    assert len(KORPUS_FAELLE) >= 100


@pytest.fixture(scope="module")
def korpus_db(demo_db_file, tmp_path_factory):
    import shutil
    target = tmp_path_factory.mktemp("korpus") / "demo.duckdb"
    shutil.copy(demo_db_file, target)
    return target


def _hash(path: Path) -> str:
    store = Store.open(path, read_only=True)
    try:
        return store.content_hash()
    finally:
        store.close()


@pytest.mark.parametrize(("art", "datei"), KORPUS_FAELLE, ids=lambda p: getattr(p, "name", p))
def test_bad_file_is_rejected_in_german_and_changes_nothing(art, datei, korpus_db, capsys):
    before = _hash(korpus_db)
    assert main(_befehl(art, datei, korpus_db)) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Fehler" in text and any(word in text for word in GERMAN), text
    assert "Traceback" not in text and "ließ sich nicht verarbeiten" not in text, text    # no generic fallback
    assert "unerwarteten Fehlers" not in text, text
    assert _hash(korpus_db) == before


BOMBEN = [KORPUS / n for n in ("zip_bombe.zip", "xlsx_hohe_kompression.xlsx", "xlsx_riesenbereich.xlsx",
                               "xlsx_riesenbereich_dimension.xlsx", "katalog_yaml_bombe.yaml",
                               "geo_tief_verschachtelt.geojson", "zip_viele_dateien.zip")]


@pytest.mark.langsam
def test_bombs_are_refused_within_seconds_and_bounded_memory(demo_db_file, tmp_path):
    """Each bomb in its own process (as a user's upload would be), with its peak memory: the figures of
    the corpus in the closing note of #27 come from here."""
    import resource
    import shutil
    import time
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, db)
    for datei in [*BOMBEN, DATEN / "schlecht_ziele" / "alias_bombe_titel.yaml",
                  DATEN / "schlecht_zuordnung" / "alias_bombe.yaml"]:
        art = "ziele" if datei.parent.name == "schlecht_ziele" else \
            "zuordnung" if datei.parent.name == "schlecht_zuordnung" else "werte"
        # the peak of this program (VmHWM, reset by exec), not ru_maxrss: that keeps the size of the forked
        # test process from before the exec and grew with the suite
        skript = ("import re, sys\nfrom fis.cli import main\nrc = main(sys.argv[1:])\n"
                  "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
                  "print('SPITZE', hwm, file=sys.stderr)\nsys.exit(rc)")
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", skript, *_befehl(art, datei, db)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)))
        dauer = time.monotonic() - start
        spitze_mb = int(proc.stderr.rsplit("SPITZE", 1)[-1].split()[0]) / 1024
        assert proc.returncode == 1 and "Fehler" in proc.stderr, (datei.name, proc.stderr[-500:])
        assert dauer < 30 and spitze_mb < 600, (datei.name, dauer, spitze_mb)
        print(f"{datei.name}: abgelehnt in {dauer:.1f} s, Spitze {spitze_mb:.0f} MB")


def test_ten_megabyte_line_is_rejected(korpus_db, tmp_path, capsys):
    path = tmp_path / "eine_zeile.csv"
    path.write_bytes(b"raum;wert\n0101;" + b"9" * 10_000_000 + b"\n")
    before = _hash(korpus_db)
    assert main(["import", str(path), "--db", str(korpus_db)]) == 1
    assert "Fehler" in capsys.readouterr().err + ""
    assert _hash(korpus_db) == before


def _grosse_lieferung(path: Path, n_stichtage: int) -> None:
    """Population values for 39 demo Sozialräume at daily Stichtage from 2012 on (long format)."""
    import pandas as pd
    raeume = RAEUME
    tage = pd.date_range("2012-01-01", periods=n_stichtage, freq="D").strftime("%d.%m.%Y")
    lines = ["raum;indikator;stichtag;wert"]
    lines += [f"{r};bev_gesamt;{t};{1000 + i}" for i, t in enumerate(tage) for r in raeume]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.langsam
def test_killed_import_leaves_the_database_as_before(demo_copy, tmp_path):
    datei = tmp_path / "gross.csv"
    _grosse_lieferung(datei, 5000)          # 195,000 rows
    before = _hash(demo_copy)
    proc = subprocess.Popen([sys.executable, "-m", "fis", "import", str(datei), "--db", str(demo_copy)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The progress line is printed inside the transaction, just before the rows are written.
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "Lieferung wird angelegt" in line:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, "".join(seen) + proc.stdout.read()[-2000:]
    assert _hash(demo_copy) == before
    store = Store.open(demo_copy)
    try:
        assert store.count_rows()["lieferung"] == DEMO_LIEFERUNGEN
    finally:
        store.close()


def test_concurrent_imports_are_serialised(demo_copy):
    store = Store.open(demo_copy)
    errors: list[Exception] = []
    ids: list[int] = []

    def run(indikator: str) -> None:
        try:
            s = store.cursor()
            text = "raum;indikator;stichtag;wert\n" + "".join(
                f"{r};{indikator};31.12.2025;{i % 7 + 1}\n" for i, r in enumerate(RAEUME))
            tabelle = lies_tabelle(text.encode(), f"{indikator}.csv")
            v = werte_import.vorbereiten(s, tabelle, zuordnung_import.vorschlag(tabelle, s.lade_indikatoren()))
            ids.append(werte_import.uebernehmen(s, v, indikator))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in ("alq", "alq_u25", "sgb2_quote", "bev_gesamt")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert sorted(ids) == [DEMO_LIEFERUNGEN + i for i in (1, 2, 3, 4)]
        assert len(store.lade_werte(stichtage=[__import__("datetime").date(2025, 12, 31)])) == 4 * len(RAEUME)
    finally:
        store.close()


@pytest.mark.langsam
def test_two_processes_queue_for_the_database(demo_copy, tmp_path):
    files = []
    for ind in ("alq", "alq_u25"):
        path = tmp_path / f"{ind}.csv"
        path.write_text("raum;indikator;stichtag;wert\n" + "".join(
            f"{r};{ind};31.12.2025;{i % 7 + 1}\n" for i, r in enumerate(RAEUME)), encoding="utf-8")
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "fis", "import", str(f), "--db", str(demo_copy)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    store = Store.open(demo_copy, read_only=True)
    try:
        lief = store.lade_lieferungen()
        assert sorted(lief["lieferung_id"].tolist()[-2:]) == [DEMO_LIEFERUNGEN + 1, DEMO_LIEFERUNGEN + 2]
    finally:
        store.close()

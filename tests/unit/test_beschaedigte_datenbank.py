"""Damaged database files (#27): a corrupt or truncated write-ahead log gives a German message with the
recovery step, in the command line and in the app; nothing is lost silently; the restore works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fis.cli import main
from fis.sicherung import sichern
from fis.store import DatenbankBeschaedigt, Store, StoreError, datenversion_lesen

ROOT = Path(__file__).resolve().parents[2]


def _mit_wal(demo_db_file: Path, ziel: Path) -> Path:
    """A copy of the demo with one committed change that lives only in its write-ahead log (the writing
    process was killed before a checkpoint)."""
    db = ziel / "fis.duckdb"
    shutil.copy(demo_db_file, db)
    with Store.open(db):                          # the version file beside it, as in operation
        pass
    skript = (f"import os\nfrom fis.store import Store\ns = Store.open({str(db)!r})\n"
              "s.con.execute(\"SET wal_autocheckpoint='1TB'\")\n"
              "with s.transaction():\n    s.set_meta('letzte_lieferung', 'x' * 200000)\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", skript], cwd=ROOT, check=True)
    assert Path(f"{db}.wal").stat().st_size > 10_000
    return db


def test_a_connection_with_another_configuration_is_no_damage(demo, demo_db_file):
    with pytest.raises(StoreError) as fehler:                        # the session holds it read-only
        Store.open(demo_db_file, warten=0)
    assert not isinstance(fehler.value, DatenbankBeschaedigt) and "beschädigt" not in str(fehler.value)


def test_a_committed_change_in_the_log_survives_a_kill(demo_db_file, tmp_path):
    db = _mit_wal(demo_db_file, tmp_path)
    with Store.open(db) as s:
        assert s.get_meta("letzte_lieferung") == "x" * 200000


def test_a_corrupt_log_gives_a_german_message_with_the_recovery_step(demo_db_file, tmp_path, capsys):
    db = _mit_wal(demo_db_file, tmp_path)
    with open(f"{db}.wal", "r+b") as f:
        f.seek(200)
        f.write(b"\xff" * 500)
    with pytest.raises(DatenbankBeschaedigt, match="Schreibprotokoll .* beschädigt.*wiederherstellen"):
        Store.open(db)
    assert main(["status", "--db", str(db)]) == 2
    text = capsys.readouterr().err
    assert "beschädigt" in text and "python -m fis wiederherstellen" in text and "Traceback" not in text


def test_a_truncated_log_is_not_a_silent_loss(demo_db_file, tmp_path, capsys):
    db = _mit_wal(demo_db_file, tmp_path)
    kopie = tmp_path / "kopie" / "fis.duckdb"                         # (the session's demo file is open here)
    kopie.parent.mkdir()
    shutil.copy(demo_db_file, kopie)
    sicherung = sichern(kopie, tmp_path / "sicherungen")              # an older backup
    groesse = Path(f"{db}.wal").stat().st_size
    with open(f"{db}.wal", "r+b") as f:
        f.truncate(groesse // 2)
    with pytest.raises(DatenbankBeschaedigt, match="fehlen bereits übernommene Änderungen"):
        Store.open(db)
    with pytest.raises(DatenbankBeschaedigt):                           # also a second time: not forgotten
        Store.open(db, read_only=True)
    assert main(["import", str(ROOT / "tests" / "daten" / "schlecht" / "formel.csv"), "--db", str(db)]) == 2
    assert "fehlen bereits übernommene Änderungen" in capsys.readouterr().err
    # the recovery step of the message works, and the damaged version stays beside it
    assert main(["wiederherstellen", str(sicherung.datei), "--db", str(db)]) == 0
    with Store.open(db) as s:
        assert s.data_version() == datenversion_lesen(db)
    assert list(tmp_path.glob("fis.vor-wiederherstellung-*.duckdb"))


def test_the_app_shows_the_damage_in_german(demo_db_file, tmp_path, monkeypatch):
    db = _mit_wal(demo_db_file, tmp_path)
    with open(f"{db}.wal", "r+b") as f:
        f.seek(200)
        f.write(b"\xff" * 500)
    os.utime(db)                          # newer than the version file: the app asks the database
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any("beschädigt" in e.value and "wiederherstellen" in e.value for e in at.error), [e.value for e in at.error]


def test_a_new_database_ignores_a_version_file_left_over(tmp_path):
    db = tmp_path / "neu.duckdb"
    Path(f"{db}.datenversion").write_text("50-alt", encoding="utf-8")
    with Store.open(db) as s:                       # no false alarm: the old file belonged to a deleted database
        assert s.schema_version() > 0
    assert datenversion_lesen(db) != "50-alt"

"""Backup and restore: a consistent copy while another process uses the database, a restore that
gives back exactly the saved contents, and refusals of damaged or too new backups in German."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fis.sicherung import SicherungsFehler, pruefen, sichern, sicherungen, wiederherstellen
from fis.store import Store, datenversion_lesen

ROOT = Path(__file__).resolve().parents[2]


def test_backup_and_restore_give_back_exactly_the_saved_contents(demo_copy, tmp_path):
    with Store.open(demo_copy) as store:
        vorher = store.content_hash()
    s = sichern(demo_copy, tmp_path / "sicherungen")
    assert s.inhalt == vorher and s.schema_version > 0
    with Store.open(demo_copy) as store:                       # afterwards the data change …
        with store.transaction():
            store.insert_audit("test", "anmeldung", "sitzung", "test")
        geaendert = store.content_hash()
    assert geaendert != vorher
    alt = wiederherstellen(s.datei, demo_copy)                 # … and the backup brings the old state back
    with Store.open(demo_copy, read_only=True) as store:
        assert store.content_hash() == vorher
        assert datenversion_lesen(demo_copy) == store.data_version()
    with Store.open(alt, read_only=True) as store:             # the replaced state is kept
        assert store.content_hash() == geaendert


@pytest.mark.langsam
def test_a_backup_waits_for_a_process_that_holds_the_database(demo_copy, tmp_path):
    code = (f"import duckdb, time; con = duckdb.connect({str(demo_copy)!r}); print('offen', flush=True); "
            "time.sleep(3); con.close()")
    halter = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert halter.stdout.readline().strip() == "offen"
    s = sichern(demo_copy, tmp_path, warten=30)
    halter.wait(timeout=30)
    assert pruefen(s.datei)["sha256"] == s.sha256


def test_only_the_newest_backups_are_kept(demo_copy, tmp_path):
    for _ in range(3):
        sichern(demo_copy, tmp_path, behalten=2)
    assert len(sicherungen(tmp_path)) == 2 and len(list(tmp_path.glob("*.json"))) == 2


def test_a_damaged_or_too_new_backup_is_refused(demo_copy, tmp_path):
    s = sichern(demo_copy, tmp_path)
    beschreibung = s.datei.with_suffix(".json")
    info = json.loads(beschreibung.read_text(encoding="utf-8"))
    beschreibung.write_text(json.dumps({**info, "schema_version": 999}), encoding="utf-8")
    with pytest.raises(SicherungsFehler, match="neueren Version"):
        wiederherstellen(s.datei, tmp_path / "ziel.duckdb")
    beschreibung.write_text(json.dumps(info), encoding="utf-8")
    with open(s.datei, "r+b") as f:
        f.seek(5000)
        f.write(b"kaputt")
    with pytest.raises(SicherungsFehler, match="beschädigt"):
        wiederherstellen(s.datei, tmp_path / "ziel.duckdb")
    assert not (tmp_path / "ziel.duckdb").exists()


@pytest.mark.langsam
def test_backup_and_restore_from_the_command_line(demo_copy, tmp_path):
    r = subprocess.run([sys.executable, "-m", "fis", "sicherung", "--ziel", str(tmp_path / "s"), "--behalten", "3",
                        "--db", str(demo_copy)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("Gesichert: "), r.stderr
    (datei,) = sicherungen(tmp_path / "s")
    r = subprocess.run([sys.executable, "-m", "fis", "wiederherstellen", str(datei),
                        "--db", str(tmp_path / "neu.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Wiederhergestellt" in r.stdout, r.stderr
    with Store.open(tmp_path / "neu.duckdb", read_only=True) as a, Store.open(demo_copy, read_only=True) as b:
        assert a.content_hash() == b.content_hash()


def test_the_content_hash_sees_one_changed_cell_and_backups_of_the_first_fassung_still_verify(demo_copy, tmp_path):
    with Store.open(demo_copy) as store:
        vorher, vorher_1 = store.content_hash(), store.content_hash(1)
        assert vorher.startswith("2:") and not vorher_1.startswith("2:")
        with store.transaction():
            store.con.execute("UPDATE wert SET wert = wert + 1e-9 WHERE rowid = (SELECT min(rowid) FROM wert)")
        assert store.content_hash() != vorher and store.content_hash(1) != vorher_1
    s = sichern(demo_copy, tmp_path)
    beschreibung = s.datei.with_suffix(".json")
    info = json.loads(beschreibung.read_text(encoding="utf-8"))
    with Store.open(s.datei, read_only=True) as store:         # described by a version before fassung 2
        alt = store.content_hash(1)
    beschreibung.write_text(json.dumps({**info, "inhalt": alt}), encoding="utf-8")
    assert pruefen(s.datei)["inhalt"] == alt
    beschreibung.write_text(json.dumps({**info, "inhalt": "anders"}), encoding="utf-8")
    with pytest.raises(SicherungsFehler, match="weicht von ihrer Beschreibung ab"):
        pruefen(s.datei)

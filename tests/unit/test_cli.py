import pytest

from fis.cli import main
from fis.store import LATEST_VERSION


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_demo_command_builds_a_database_and_status_reports_it(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    assert main(["demo", "--db", str(db)]) == 0
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Demo „Musterstadt“ erzeugt" in out
    assert f"Schema-Version: {LATEST_VERSION}" in out and LATEST_VERSION == 21


def test_demo_command_refuses_to_overwrite_an_existing_database(tmp_path, capsys):
    db = tmp_path / "vorhanden.duckdb"
    db.write_bytes(b"")
    assert main(["demo", "--db", str(db)]) == 2
    assert "existiert bereits" in capsys.readouterr().err
    assert db.read_bytes() == b""


def test_status_of_a_missing_database_is_a_german_error(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "fehlt.duckdb")]) == 2
    assert "keine Datenbank" in capsys.readouterr().err

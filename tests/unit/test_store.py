"""Store: migrations, deliveries that supersede and roll back, atomic writes."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from fis.store import LATEST_VERSION, MIGRATIONS, Lieferung, Store

STICHTAG = date(2024, 12, 31)


def _deliver(store: Store, rows: list[tuple], status: str = "vorläufig", name: str = "t") -> int:
    with store.transaction():
        lid = store.insert_lieferung(Lieferung("werte", name, "tester"))
        frame = pd.DataFrame(rows, columns=["raum_id", "indikator_id", "wert", "zaehler", "nenner"])
        frame["stichtag"] = STICHTAG
        store.insert_werte(frame.assign(status=status, lieferung_id=lid))
    return lid


def test_a_new_database_is_migrated_to_the_latest_schema_version(tmp_path):
    store = Store.open(tmp_path / "neu.duckdb")
    assert store.schema_version() == LATEST_VERSION == len(MIGRATIONS)
    assert store.count_rows()["wert"] == 0


def test_opening_a_migrated_database_again_applies_nothing(tmp_path):
    Store.open(tmp_path / "a.duckdb").close()
    store = Store.open(tmp_path / "a.duckdb")
    assert store.migrate() == []


def test_an_old_database_is_upgraded_by_exactly_the_missing_migrations(tmp_path):
    path = tmp_path / "alt.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "angewendet_am TIMESTAMP NOT NULL)")
    con.execute(MIGRATIONS[0][2])
    con.execute("INSERT INTO schema_version VALUES (1, 'alt', now())")
    con.close()
    store = Store.open(path, read_only=True)      # a newer program reading an older file upgrades it once
    assert store.schema_version() == LATEST_VERSION
    store.close()
    store = Store.open(path)
    assert store.schema_version() == LATEST_VERSION
    assert [r[0] for r in store.con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()] \
        == list(range(1, LATEST_VERSION + 1))
    names = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"ziel", "produkt", "teilergebnisplan", "audit_log"} <= names


def test_a_later_delivery_supersedes_an_earlier_one_and_both_stay_queryable():
    store = Store.open(":memory:")
    first = _deliver(store, [("0101", "quote", 10.0, 1, 10), ("0102", "quote", 20.0, 2, 10)])
    second = _deliver(store, [("0101", "quote", 30.0, 3, 10)], status="endgültig")
    current = store.lade_werte().set_index("raum_id")
    assert current.loc["0101", "wert"] == 30.0
    assert current.loc["0101", "status"] == "endgültig"
    assert current.loc["0102", "lieferung_id"] == first
    history = store.lade_wert_historie("0101", "quote", STICHTAG)
    assert history["lieferung_id"].tolist() == [second, first]
    assert history["wert"].tolist() == [30.0, 10.0]
    lieferungen = store.lade_lieferungen().set_index("lieferung_id")
    assert lieferungen.loc[second, ["anzahl_neu", "anzahl_ersetzt"]].tolist() == [0, 0]


def test_insert_werte_counts_new_and_superseded_keys():
    store = Store.open(":memory:")
    _deliver(store, [("0101", "quote", 10.0, 1, 10)])
    with store.transaction():
        lid = store.insert_lieferung(Lieferung("werte", "zwei", "tester"))
        frame = pd.DataFrame({"raum_id": ["0101", "0103"], "indikator_id": ["quote"] * 2,
                              "stichtag": [STICHTAG] * 2, "wert": [1.0, 2.0],
                              "status": ["endgültig"] * 2, "lieferung_id": [lid] * 2})
        assert store.insert_werte(frame) == (1, 1)


def test_rolling_back_a_delivery_restores_the_previous_value():
    store = Store.open(":memory:")
    _deliver(store, [("0101", "quote", 10.0, 1, 10)])
    second = _deliver(store, [("0101", "quote", 30.0, 3, 10)])
    with store.transaction():
        store.set_lieferung_status(second, "zurückgenommen", "tester")
    assert store.lade_werte()["wert"].tolist() == [10.0]
    assert store.count_rows()["wert"] == 2


def test_a_failed_transaction_writes_nothing_and_keeps_the_data_version():
    store = Store.open(":memory:")
    _deliver(store, [("0101", "quote", 10.0, 1, 10)])
    version = store.data_version()
    with pytest.raises(RuntimeError):
        with store.transaction():
            lid = store.insert_lieferung(Lieferung("werte", "kaputt", "tester"))
            store.insert_werte(pd.DataFrame({
                "raum_id": ["0101"], "indikator_id": ["quote"], "stichtag": [STICHTAG],
                "wert": [99.0], "status": ["vorläufig"], "lieferung_id": [lid]}))
            raise RuntimeError("Abbruch mitten in der Lieferung")
    assert store.data_version() == version
    assert store.lade_werte()["wert"].tolist() == [10.0]
    assert len(store.lade_lieferungen()) == 1


def test_the_data_version_changes_with_every_committed_write():
    store = Store.open(":memory:")
    seen = {store.data_version()}
    for k in range(3):
        _deliver(store, [("0101", "quote", float(k), k, 10)])
        seen.add(store.data_version())
    assert len(seen) == 4


def test_malicious_ids_and_names_are_stored_as_plain_text():
    store = Store.open(":memory:")
    evil = "'); DROP TABLE wert; --"
    _deliver(store, [(evil, "quote", 1.0, 1, 1)], name="<img src=x onerror=alert(1)>")
    assert store.lade_werte(raum_ids=[evil])["raum_id"].tolist() == [evil]
    assert store.lade_lieferungen()["bezeichnung"].tolist() == ["<img src=x onerror=alert(1)>"]
    assert store.count_rows()["wert"] == 1


def test_an_audit_entry_records_who_did_what():
    store = Store.open(":memory:")
    store.insert_audit("planerin", "rollback", "lieferung", "7", {"grund": "falsche Datei"})
    row = store.lade_audit().iloc[0]
    assert (row["benutzer"], row["aktion"], row["objekt_id"]) == ("planerin", "rollback", "7")
    assert "falsche Datei" in row["details"]


def test_the_schema_equals_its_snapshot():
    """A change of a migration file, or a new one, shows as a reviewed diff of tests/daten/schema.txt
    (regenerate: python -m fis.store > tests/daten/schema.txt)."""
    from pathlib import Path

    from fis.store.schema import beschreibung
    erwartet = (Path(__file__).resolve().parents[1] / "daten" / "schema.txt").read_text(encoding="utf-8")
    with Store.open(":memory:") as store:
        assert beschreibung(store.con) == erwartet
    assert "TABLE wert_aktuell.lieferung_id INTEGER NOT NULL" in erwartet and "TABLE wert.zaehler DOUBLE" in erwartet


def test_migrations_come_from_numbered_files_with_their_names():
    assert [v for v, _, _ in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert MIGRATIONS[0][1] == "Raum, Indikator, Lieferung, Wert"
    assert MIGRATIONS[11][1] == "Einrichtungsregister und Versorgungsgrade"
    assert all(sql.startswith(f"-- Migration {v}: ") for v, _, sql in MIGRATIONS)

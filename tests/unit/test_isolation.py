"""Uploads read by native libraries run in a helper process in the app server (#27): a crash, a memory
overrun or a hang of the reader becomes a German error, the calling process lives on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fis.ingest import isolation
from fis.ingest.grenzen import ImportFehler
from fis.ingest.raeume import lies_geodaten

ROOT = Path(__file__).resolve().parents[2]


def absturz() -> None:
    os.abort()                               # what a segmentation fault in a native reader does


def speicherfresser() -> int:
    return len(bytearray(8 * 1024 ** 3))     # 8 GB


def schlaefer() -> None:
    time.sleep(60)


def deutscher_fehler() -> None:
    raise ImportFehler("Datei kaputt (Test).")


@pytest.fixture
def isoliert(monkeypatch):
    monkeypatch.setenv("FIS_PARSER_ISOLIERT", "1")
    monkeypatch.setenv("FIS_PARSER_SPEICHER_MB", "1024")


def test_a_crash_of_the_reader_is_a_german_error_and_the_caller_lives_on(isoliert):
    with pytest.raises(ImportFehler, match="das Lesen brach ab"):
        isolation.isoliert(absturz, was="„grenzen.geojson“")
    assert isolation.isoliert(len, "vier") == 4                       # still here


@pytest.mark.langsam
def test_memory_and_time_limits_of_the_reader(isoliert, monkeypatch):
    with pytest.raises(ImportFehler, match="mehr als 1024 MB Speicher"):
        isolation.isoliert(speicherfresser)
    monkeypatch.setenv("FIS_PARSER_SEKUNDEN", "3")
    start = time.monotonic()
    with pytest.raises(ImportFehler, match="in 3 Sekunden nicht lesen"):
        isolation.isoliert(schlaefer)
    assert time.monotonic() - start < 30


def test_boundaries_are_read_in_the_helper_with_their_german_errors(isoliert):
    punkte = (ROOT / "tests" / "daten" / "schlecht" / "geo_punkte.geojson").read_bytes()
    frame, layers = lies_geodaten(punkte, "p.geojson")
    assert len(frame) == 1 and layers
    with pytest.raises(ImportFehler, match="keine lesbare Geodatei"):
        lies_geodaten(b"{", "kaputt.geojson")
    with pytest.raises(ImportFehler, match=r"Datei kaputt \(Test\)"):
        isolation.isoliert(deutscher_fehler)


def test_without_isolation_the_reader_runs_in_process(monkeypatch):
    monkeypatch.delenv("FIS_PARSER_ISOLIERT", raising=False)
    assert isolation.isoliert(os.getpid) == os.getpid()

"""The benchmark's smoke run (size small) and the determinism of the generated city. Nothing here
asserts a time: speed is measured by ``python -m bench --size large``, not by tests."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from bench.grossstadt import GROESSEN, raster, werte_csv
from tests.conftest import ROOT

pytestmark = pytest.mark.langsam   # runs the benchmark end to end


def test_generated_city_is_deterministic_and_has_the_issues_shape():
    g = GROESSEN["large"]
    groesse = (g.sozialraeume, g.bezirke, g.indikatoren, g.stichtage, g.ziele, g.produkte)
    assert groesse == (1000, 25, 250, 20, 2000, 300)
    assert g.sozialraeume * g.indikatoren * g.stichtage == 5_000_000
    bezirke, sozialraeume = raster(g)
    assert len(bezirke) == 25 and len(sozialraeume) == 1000
    assert len({f["properties"]["id"] for f in sozialraeume}) == 1000
    assert all(f["properties"]["id"][:2] in {b["properties"]["id"] for b in bezirke} for f in sozialraeume)
    katalog = pd.DataFrame({"indikator_id": ["bev_gesamt", "a", "b"], "aggregation": ["summe", "quote", "quote"]})
    eins = werte_csv(katalog, ["0101", "0102"], date(2024, 12, 31), 3, 7)
    assert eins == werte_csv(katalog, ["0101", "0102"], date(2024, 12, 31), 3, 7)
    zeilen = eins.decode().splitlines()
    assert zeilen[0] == "raum;indikator;stichtag;wert;zaehler;nenner" and len(zeilen) == 1 + 2 * 3
    assert zeilen[1].startswith("0101;bev_gesamt;31.12.2024;") and zeilen[1].endswith(";;")


def test_small_benchmark_runs_end_to_end(tmp_path):
    ergebnis = subprocess.run([sys.executable, "-m", "bench", "--size", "small", "--ausgabe", str(tmp_path),
                               "--browser-seiten", "", "ziele", "--seiten", "lagebild", "karte", "massnahmen",
                               "--sitzungen", "3"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert ergebnis.returncode == 0, ergebnis.stderr[-3000:]
    r = json.loads((tmp_path / "bench_small.json").read_text(encoding="utf-8"))
    assert r["import"]["werte"] == 100 * 40 * 4 == 16_000
    assert r["import"]["fis_zeilen_je_s"] > 0 and r["import"]["roh_zeilen_je_s"] > 0
    f = r["funktionen"]
    assert (f["ziele"], f["produkte"], f["index_gebiete"]) == (100, 30, 100)
    assert f["pdf_abweichungsbericht_bytes"] > 10_000
    # the pages asked for, with the two yardsticks
    assert set(r["seiten"]) == {"triviale_seite", "leere_seite_im_rahmen", "lagebild", "karte", "massnahmen"}
    assert r["seiten"]["leere_seite_im_rahmen"]["wiederholung_s"] > r["seiten"]["triviale_seite"]["wiederholung_s"]
    assert all(v["erster_lauf_s"] > 0 and v["wiederholung_s"] > 0 for v in r["seiten"].values())
    assert r["seiten"]["karte"]["karten_nutzlast_bytes"] > 10_000
    assert r["speicher"]["spitze_mb"] > 100 and r["speicher"]["sitzungen"] == 3
    # in a real browser: the Lagebild and the goals, warm and as the first visitor after a new data version
    assert set(r["browser"]) == {"leere_seite", "lagebild", "ziele"}     # with the yardstick
    assert all(z["neue_version_s"] > 0 and z["warm_s"] > 0 for z in r["browser"].values())
    # the aggregate cube: built for every Stichtag, one Stichtag again (the benchmark checks that each is a full
    # build; their ratio is no test of a 16,000-value city under load), read
    assert all(f[k] > 0 for k in ("wuerfel_alle_stichtage_s", "wuerfel_ein_stichtag_s", "wuerfel_lesen_alle_werte_s"))
    assert len(r["budgets"]) == 1 + 2 * 3 + 1 + 2 + 2
    md = (tmp_path / "bench_small.md").read_text(encoding="utf-8")
    assert md.startswith("# Benchmark small") and "| Budget | gemessen | erfüllt |" in md
    assert "| ziele: im Browser nach neuer Datenversion ≤ 2 s |" in md
    assert "| Würfel aller Stichtage (beide Sichten) ≤ 10 s |" in md

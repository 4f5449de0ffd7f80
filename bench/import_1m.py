"""Measures a 1,000,000-row long-format delivery through the full import path.

    python -m bench.import_1m [--zeilen 1000000]

Writes a German CSV (semicolon, decimal comma) with values for the 50 demo
Sozialräume × 36 indicators at daily Stichtage, then times reading, checking
(parsing + DuckDB checks + comparison) and the commit separately, and the peak memory
of the process above what it used before reading (``spitze_mb``). Prints JSON.
About 6.7 million rows make the 200 MB file of the upload limit.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from fis.config_lesen import lade_konfiguration
from fis.demo import build_demo
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.store import Store


def _datei(store: Store, zeilen: int, path: Path) -> None:
    raeume = store.lade_raeume(ebene=1)
    raeume = raeume[raeume["gueltig_bis"].isna()]["raum_id"].tolist()
    indikatoren = store.lade_indikatoren()
    ind = indikatoren[indikatoren["aggregation"] == "quote"]["indikator_id"].tolist()
    per_tag = len(raeume) * len(ind)
    tage = pd.date_range("2019-01-01", periods=-(-zeilen // per_tag), freq="D")
    rng = np.random.default_rng(1)
    frame = pd.MultiIndex.from_product([tage, ind, raeume], names=["stichtag", "indikator", "raum"]) \
        .to_frame(index=False).head(zeilen)
    nenner = rng.integers(500, 5000, len(frame))
    zaehler = (nenner * rng.uniform(0.01, 0.3, len(frame))).astype(int)
    frame["stichtag"] = frame["stichtag"].dt.strftime("%d.%m.%Y")
    frame["zaehler"] = zaehler
    frame["nenner"] = nenner
    frame[["raum", "indikator", "stichtag", "zaehler", "nenner"]].to_csv(path, sep=";", index=False)


def measure(zeilen: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        store = Store.open(db)
        build_demo(store, lade_konfiguration())
        csv = Path(tmp) / "lieferung.csv"
        _datei(store, zeilen, csv)
        data = csv.read_bytes()
        vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        tabelle = lies_tabelle(data, csv.name)
        t1 = time.perf_counter()
        z = zuordnung_import.vorschlag(tabelle, store.lade_indikatoren())
        v = werte_import.vorbereiten(store, tabelle, z)
        t2 = time.perf_counter()
        assert v.bericht.ok, v.bericht.als_text()
        lid = werte_import.uebernehmen(store, v, "bench")
        t3 = time.perf_counter()
        rows = store.lade_lieferung(lid)["anzahl_zeilen"]
        store.close()
        spitze = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"zeilen": int(rows), "datei_mb": round(len(data) / 1e6, 1), "lesen_s": round(t1 - t0, 2),
                "pruefen_s": round(t2 - t1, 2), "uebernehmen_s": round(t3 - t2, 2), "gesamt_s": round(t3 - t0, 2),
                "spitze_mb": round((spitze - vorher) / 1024), "prozess_spitze_mb": round(spitze / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--zeilen", type=int, default=1_000_000)
    print(json.dumps(measure(parser.parse_args().zeilen), ensure_ascii=False))


if __name__ == "__main__":
    main()

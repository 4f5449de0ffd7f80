"""Measures the first start: building the demo city and computing the Lagebild.

    python -m bench.demo_start [--wiederholungen 3]

Prints JSON: median seconds of the demo build (budget: 30 s, issue "Fundament")
and of one uncached Lagebild computation, plus the database size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from fis.config_lesen import lade_konfiguration
from fis.demo import build_demo
from fis.lagebild import berechne_lagebild
from fis.store import Store


def measure(runs: int) -> dict:
    config = lade_konfiguration()
    build, lage, size = [], [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.duckdb"
            start = time.perf_counter()
            store = Store.open(path)
            build_demo(store, config)
            build.append(time.perf_counter() - start)
            stichtag = store.lade_stichtage()[-1]
            start = time.perf_counter()
            berechne_lagebild(store, config, stichtag, 1)
            lage.append(time.perf_counter() - start)
            store.close()
            size = path.stat().st_size
    return {
        "wiederholungen": runs,
        "demo_aufbau_s_median": round(statistics.median(build), 3),
        "demo_aufbau_budget_s": 30,
        "lagebild_berechnung_s_median": round(statistics.median(lage), 3),
        "datenbank_bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wiederholungen", type=int, default=3)
    print(json.dumps(measure(parser.parse_args().wiederholungen), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Script time of the Karte page, on the demo city and on Berlin's 542 Planungsräume.

    python -m bench.karte [--wiederholungen 5] [--ohne-berlin]

Runs the page through Streamlit's AppTest (the real script, without a browser):
"erster Lauf" with every Streamlit cache cleared (a new server, a new data version),
"Wiederholung" a rerun of the same session (caches warm, e.g. after a widget change).
A one-line page is measured in the same run as a yardstick for the machine's noise.
Berlin needs ../shared/data/real and takes about 30 s to load first.
Prints JSON with medians in seconds and the map's payload (GeoJSON bytes sent).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real"


def _seite(db: Path, config_dir: Path | None, seite: str, runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["FIS_DB"] = str(db)
    if config_dir:
        os.environ["FIS_CONFIG"] = str(config_dir)
    else:
        os.environ.pop("FIS_CONFIG", None)
    erster, wieder = [], []
    for _ in range(runs):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.switch_page(seite)
        start = time.perf_counter()
        at.run()
        erster.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
        start = time.perf_counter()
        at.run()
        wieder.append(time.perf_counter() - start)
    nutzlast = _nutzlast(at)
    return {"erster_lauf_s": round(statistics.median(erster), 3),
            "wiederholung_s": round(statistics.median(wieder), 3),
            "karten_nutzlast_bytes": nutzlast}


def _nutzlast(at) -> int | None:
    """Bytes of the deck JSON the browser receives (geometries, colours, tooltips)."""
    for el in at.get("deck_gl_json_chart"):
        return len(el.proto.json.encode())
    return None


def _trivial(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    erster, wieder = [], []
    for _ in range(runs):
        at = AppTest.from_string('import streamlit as st\nst.write("x")')
        start = time.perf_counter()
        at.run()
        erster.append(time.perf_counter() - start)
        start = time.perf_counter()
        at.run()
        wieder.append(time.perf_counter() - start)
    return {"erster_lauf_s": round(statistics.median(erster), 4),
            "wiederholung_s": round(statistics.median(wieder), 4)}


def _berlin(tmp: Path) -> Path:
    db = tmp / "berlin.duckdb"
    env = {**os.environ, "FIS_DB": str(db), "FIS_BENUTZER": "bench"}
    subprocess.run([str(ROOT / "examples" / "berlin" / "laden.sh")], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=900)
    return db


def measure(runs: int, mit_berlin: bool) -> dict:
    from fis.config_lesen import lade_konfiguration
    from fis.demo import build_demo
    from fis.store import Store

    os.chdir(ROOT)
    out: dict = {"wiederholungen": runs, "triviale_seite": _trivial(runs)}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        demo = tmp / "demo.duckdb"
        store = Store.open(demo)
        build_demo(store, lade_konfiguration())
        store.close()
        out["demo_47_sozialraeume"] = _seite(demo, None, "seiten/karte.py", runs)
        if mit_berlin and REAL.exists():
            out["berlin_542_planungsraeume"] = _seite(_berlin(tmp), ROOT / "examples" / "berlin" / "config",
                                                     "seiten/karte.py", runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wiederholungen", type=int, default=5)
    parser.add_argument("--ohne-berlin", action="store_true")
    args = parser.parse_args()
    print(json.dumps(measure(args.wiederholungen, not args.ohne_berlin), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

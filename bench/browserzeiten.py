"""What a user feels: the time from navigation to a settled page in headless Chromium, per page, median of N —
warm (the server's caches filled) and as the first visitor after a new data version (every cache keyed on the
old version misses).

    python -m bench.browserzeiten [--db PFAD --config ORDNER] [--wiederholungen 5] [--ausgabe bench/results]

Without ``--db`` the demo city is built into a temporary file. Every visit opens a new tab (a new session, as
a shared link does) in a browser that has the app's scripts cached, and counts until Streamlit reports the
script as not running, no spinner is left, every chart has drawn and the browser has painted twice. A new data
version is an empty committed write from a second process (as the command line does beside the running app).
Writes browserzeiten.json and .md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from fis.format import fmt_zahl

ROOT = Path(__file__).resolve().parent.parent
#: the pages by their address (the Lagebild is the start page)
SEITEN = ["", "karte", "zeitreihen", "sozialraumprofil", "zusammenhaenge", "sozialindex", "typisierung",
          "einrichtungen", "ziele", "massnahmen", "planungszyklus", "controlling", "mittelverteilung",
          "produktdatenblatt", "produktkritik", "sroi", "berichte", "praesentation", "datenpflege", "audit"]


def besuch(kontext, adresse: str, ruhe_ms: int = 1000) -> float:
    """Seconds from the start of the navigation until the page settled for good, in a new tab (a new session) of
    a browser that has loaded the app before (its scripts are cached, as for anyone who used it the day before)."""
    from tests.browser.helfer import RUHIG_SEIT  # the test helpers need ROOT on sys.path (see messen)
    page = kontext.new_page()
    try:
        page.goto(adresse, wait_until="commit")
        return page.evaluate(RUHIG_SEIT, [ruhe_ms, 300_000]) / 1000   # tests/browser/helfer.py
    finally:
        page.close()


def neue_datenversion(db: Path) -> None:
    """An empty committed write from this process: the running app sees a new data version."""
    from fis.store import Store
    with Store.open(db) as store, store.transaction():
        pass


def leere_seite(wiederholungen: int = 5) -> float:
    """The yardstick: the median time of a one-line Streamlit app (``st.write``) in a new tab — what Streamlit
    itself needs to start a session and draw (HTML, scripts from the cache, websocket, one run)."""
    import socket
    import subprocess
    import urllib.request

    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.helfer import launch
    with tempfile.TemporaryDirectory(prefix="fis_leer_") as tmp:
        skript = Path(tmp) / "leer.py"
        skript.write_text('import streamlit as st\nst.write("x")\n', encoding="utf-8")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(skript), "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--server.headless", "true"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = launch(p)
                kontext = browser.new_context(viewport={"width": 1280, "height": 800})
                besuch(kontext, url)
                zeiten = [besuch(kontext, url) for _ in range(wiederholungen)]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return round(statistics.median(zeiten), 2)


def messen(env: dict[str, str], db: Path, wiederholungen: int = 5, seiten: list[str] | None = None,
           fortschritt=lambda text: None) -> dict:
    """Per page the median (and the single visits) warm and after a new data version, and the yardstick
    (``leere_seite``: a one-line Streamlit app) under the key ``""``."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.helfer import launch, streamlit_server
    ergebnis: dict[str, dict] = {}
    leer = leere_seite(wiederholungen)
    fortschritt(f"  leere Streamlit-Seite (Maßstab): {leer:.2f} s")
    ergebnis["leere_seite"] = {"neue_version_s": leer, "warm_s": leer, "einzeln_neu": [], "einzeln_warm": []}
    with streamlit_server(env) as url, sync_playwright() as p:
        browser = launch(p)
        kontext = browser.new_context(viewport={"width": 1280, "height": 800})
        besuch(kontext, url)                      # the server's imports, the app's scripts in the browser cache
        for seite in seiten or SEITEN:
            adresse = f"{url}/{seite}"
            neu = []
            for _ in range(wiederholungen):
                neue_datenversion(db)
                neu.append(besuch(kontext, adresse))
            warm = [besuch(kontext, adresse) for _ in range(wiederholungen)]
            ergebnis[seite or "lagebild"] = {
                "neue_version_s": round(statistics.median(neu), 2), "warm_s": round(statistics.median(warm), 2),
                "einzeln_neu": [round(t, 2) for t in neu], "einzeln_warm": [round(t, 2) for t in warm]}
            fortschritt(f"  {seite or 'lagebild'}: nach neuer Version {statistics.median(neu):.2f} s, "
                        f"warm {statistics.median(warm):.2f} s")
        browser.close()
    return ergebnis


def markdown(r: dict, titel: str) -> str:
    zeilen = [f"# Seitenzeiten im Browser – {titel}", "",
              f"Gemessen am {r['zeitpunkt']}, headless Chromium, 1280×800, Median aus {r['wiederholungen']}, "
              "von der Navigation bis zur ruhigen Seite.", "",
              f"Maßstab: eine einzeilige Streamlit-Seite braucht im neuen Tab "
              f"{fmt_zahl(r['seiten']['leere_seite']['warm_s'], 2)} s.", "",
              "| Seite | erster Besuch nach neuer Datenversion | warm |", "|---|---|---|"]
    for seite, z in r["seiten"].items():
        if seite == "leere_seite":
            continue
        zeilen.append(f"| {seite} | {fmt_zahl(z['neue_version_s'], 2)} s | {fmt_zahl(z['warm_s'], 2)} s |")
    return "\n".join(zeilen) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browserzeiten", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="Datenbank (Standard: die Demo-Stadt in einer temporären Datei)")
    parser.add_argument("--config", help="Konfigurationsordner zur Datenbank")
    parser.add_argument("--wiederholungen", type=int, default=5)
    parser.add_argument("--seiten", nargs="*", help="nur diese Seiten (Adressen, „“ = Lagebild)")
    parser.add_argument("--ausgabe", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fis_browserzeiten_") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "demo.duckdb"
        if not args.db:
            from fis.config_lesen import lade_konfiguration
            from fis.demo import build_demo
            from fis.store import Store
            with Store.open(db) as store:
                build_demo(store, lade_konfiguration())
        env = {"FIS_DB": str(db), "FIS_BENUTZERDATEI": str(Path(tmp) / "keine_benutzer.json")}
        if args.config:
            env["FIS_CONFIG"] = str(args.config)
        r = {"zeitpunkt": datetime.now().isoformat(timespec="seconds"), "wiederholungen": args.wiederholungen,
             "db": "Demo" if not args.db else str(args.db),
             "seiten": messen(env, db, args.wiederholungen, args.seiten,
                              fortschritt=lambda t: print(t, file=sys.stderr, flush=True))}
    ausgabe = Path(args.ausgabe)
    ausgabe.mkdir(parents=True, exist_ok=True)
    (ausgabe / "browserzeiten.json").write_text(json.dumps(r, indent=2, ensure_ascii=False), encoding="utf-8")
    text = markdown(r, r["db"])
    (ausgabe / "browserzeiten.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

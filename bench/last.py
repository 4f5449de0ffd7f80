"""Load on one server: N concurrent browser sessions (default 20, loopback only) walk through the pages
while an import from the command line commits a new delivery into the same database.

    python -m bench.last [--sitzungen 20] [--runden 5] [--ausgabe bench/results]

Measured: errors (an error box, a reference, a traceback, a busy database after the bounded wait),
whether every session saw the old and then the new data version and never the old one again after the
new, page times (median and 95th percentile), the import's duration and exit code, and the server's
peak resident memory (VmHWM). Writes last.json and last.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEITEN = ["", "karte?indikator=alq", "zeitreihen?indikator=alq", "sozialraumprofil?raum=0101", "ziele",
          "controlling", "sozialindex", "produktdatenblatt"]
FEHLER = ("Referenz ", "Traceback", "durch einen anderen Vorgang belegt", "This app has encountered an error")
NEU = "Neuere Lieferungen: 31.12.2025"


async def _sitzung(browser, url: str, nr: int, runden: int, protokoll: list) -> None:
    kontext = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await kontext.new_page()
    for i in range(runden):
        ziel = SEITEN[(nr + i) % len(SEITEN)]
        beginn = time.perf_counter()
        try:
            await page.goto(f"{url}/{ziel}", wait_until="commit", timeout=300_000)
            await page.locator('[data-testid="stSidebar"]').get_by_text("Stichtag").first.wait_for(timeout=300_000)
            await page.locator("h1").first.wait_for(timeout=300_000)
            await page.wait_for_timeout(500)
            text = await page.locator("body").inner_text()
            fehler = [f for f in FEHLER if f in text]
        except Exception as exc:  # noqa: BLE001 – a timeout is a finding, not the end of the measurement
            text, fehler = "", [f"{type(exc).__name__}: {str(exc)[:200]}"]
        protokoll.append({"sitzung": nr, "runde": i, "seite": ziel or "lagebild",
                          "dauer_s": round(time.perf_counter() - beginn, 3), "neu": NEU in text,
                          "fehler": fehler})
    await kontext.close()


async def _import_spaeter(db: Path, verzoegerung: float, ergebnis: dict) -> None:
    await asyncio.sleep(verzoegerung)
    datei = db.parent / "neu.csv"
    datei.write_text("raum;indikator;stichtag;wert;zaehler;nenner\n0101;alq;31.12.2025;7,7;;\n", encoding="utf-8")
    beginn = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "fis", "import", str(datei), "--db", str(db),
                                                cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    ergebnis.update(rueckgabe=proc.returncode, dauer_s=round(time.perf_counter() - beginn, 2),
                    zeitpunkt=time.time(), meldung=err.decode()[-500:])


async def _lauf(url: str, db: Path, sitzungen: int, runden: int, verzoegerung: float) -> tuple[list, dict]:
    from playwright.async_api import async_playwright

    from tests.browser.helfer import CHROMIUM
    protokoll: list = []
    imp: dict = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        await asyncio.gather(*[_sitzung(browser, url, n, runden, protokoll) for n in range(sitzungen)],
                             _import_spaeter(db, verzoegerung, imp))
        await browser.close()
    return protokoll, imp


def messen(db: Path, sitzungen: int, runden: int, verzoegerung: float = 20.0) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.browser.helfer import streamlit_server
    env = {"FIS_DB": str(db), "FIS_WARTEN_SEKUNDEN": "120", "FIS_BENUTZER": "last-test"}
    with streamlit_server(env) as url:
        port = url.rsplit(":", 1)[1]
        pid = int(subprocess.run(["pgrep", "-f", "--", f"server.port {port}"], capture_output=True,
                                 text=True).stdout.split()[0])
        beginn = time.perf_counter()
        protokoll, imp = asyncio.run(_lauf(url, db, sitzungen, runden, verzoegerung))
        dauer = time.perf_counter() - beginn
        status = Path(f"/proc/{pid}/status").read_text()
    kb = {z.split(":")[0]: int(z.split()[1]) for z in status.splitlines() if z.startswith(("VmHWM", "VmRSS"))}
    je_sitzung: dict[int, list[bool]] = {}
    for e in sorted(protokoll, key=lambda e: (e["sitzung"], e["runde"])):
        je_sitzung.setdefault(e["sitzung"], []).append(e["neu"])
    zurueck = [s for s, folge in je_sitzung.items() if any(a and not b for a, b in zip(folge, folge[1:], strict=False))]
    zeiten = sorted(e["dauer_s"] for e in protokoll)
    return {
        "datum": datetime.now().isoformat(timespec="seconds"), "sitzungen": sitzungen, "runden": runden,
        "seitenaufrufe": len(protokoll), "fehler": [e for e in protokoll if e["fehler"]],
        "sitzungen_zurueck_auf_alten_stand": zurueck,
        "sitzungen_mit_neuem_stand": sum(1 for f in je_sitzung.values() if f[-1]),
        "import": imp, "gesamt_s": round(dauer, 1),
        "seite_median_s": round(statistics.median(zeiten), 2) if zeiten else None,
        "seite_p95_s": round(zeiten[int(0.95 * (len(zeiten) - 1))], 2) if zeiten else None,
        "spitze_mb": round(kb["VmHWM"] / 1024), "danach_mb": round(kb["VmRSS"] / 1024),
        "aufrufe": protokoll,
    }


def markdown(r: dict) -> str:
    return "\n".join([
        f"# Last: {r['sitzungen']} gleichzeitige Sitzungen, ein Import dazwischen ({r['datum']})", "",
        f"- Seitenaufrufe: {r['seitenaufrufe']}, davon mit Fehler: {len(r['fehler'])}",
        f"- Sitzungen, die nach dem neuen Stand wieder den alten sahen: {len(r['sitzungen_zurueck_auf_alten_stand'])}",
        f"- Sitzungen mit dem neuen Stand am Ende: {r['sitzungen_mit_neuem_stand']} von {r['sitzungen']}",
        f"- Import über die Kommandozeile: Rückgabe {r['import'].get('rueckgabe')}, {r['import'].get('dauer_s')} s",
        f"- Seite bis zur Anzeige: Median {r['seite_median_s']} s, 95. Perzentil {r['seite_p95_s']} s",
        f"- Server: Spitze {r['spitze_mb']} MB, danach {r['danach_mb']} MB; gesamt {r['gesamt_s']} s", ""])


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sitzungen", type=int, default=20)
    args.add_argument("--runden", type=int, default=5)
    args.add_argument("--verzoegerung", type=float, default=20.0, help="Sekunden bis zum Import")
    args.add_argument("--ausgabe", default=str(ROOT / "bench" / "results"))
    a = args.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fis_last_") as tmp:
        db = Path(tmp) / "fis.duckdb"
        quelle = os.environ.get("FIS_LAST_DB")
        if quelle:
            shutil.copy(quelle, db)
        else:
            from fis.config_lesen import lade_konfiguration
            from fis.demo import build_demo
            from fis.store import Store
            with Store.open(db) as store:
                build_demo(store, lade_konfiguration())
        r = messen(db, a.sitzungen, a.runden, a.verzoegerung)
    ziel = Path(a.ausgabe)
    ziel.mkdir(parents=True, exist_ok=True)
    (ziel / "last.json").write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    (ziel / "last.md").write_text(markdown(r), encoding="utf-8")
    print(markdown(r))
    return 0 if not r["fehler"] and not r["sitzungen_zurueck_auf_alten_stand"] else 1


if __name__ == "__main__":
    sys.exit(main())

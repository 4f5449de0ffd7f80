"""Benchmark of a large city: the figures, their budgets, and ratios to yardsticks measured in the same run.

    python -m bench --size large|small [--wiederholungen N] [--ohne-browser] [--browser-seiten …]
                    [--ausgabe bench/results]

Generates the city (bench/grossstadt.py), loads it through the normal import path and measures
import throughput against raw DuckDB, every page's script time (AppTest: first run after a new data version,
i.e. with empty caches in a warm process, at most 2 s; cached rerun against the app's frame around a one-line
page; median), the aggregate cube and key fis functions, the peak memory of one server serving 10 concurrent
browser sessions, every page's time in a real browser (bench/browserzeiten.py: warm and after a new data
version), and the map payload. Writes JSON with every figure
and a Markdown summary with the budgets; ``small`` is the CI smoke run and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench import browserzeiten
from bench.grossstadt import GROESSEN, erzeuge, pruefsumme

ROOT = Path(__file__).resolve().parent.parent
SEITEN = ["lagebild", "karte", "zeitreihen", "sozialraumprofil", "zusammenhaenge", "sozialindex", "typisierung",
          "einrichtungen", "ziele", "massnahmen", "planungszyklus", "controlling", "mittelverteilung",
          "produktdatenblatt", "produktkritik", "sroi", "berichte", "praesentation", "datenpflege", "audit"]
BUDGET = {"import_verhaeltnis_min": 0.5, "seite_wiederholung_max": 3.0, "seite_erster_lauf_s_max": 2.0,
          "soll_ist_ampel_s_max": 0.5, "karten_nutzlast_bytes_max": 2_000_000,
          "browser_neue_version_s_max": 2.0, "wuerfel_s_max": 10.0}


def _zeit(f, *args, **kw):
    t = time.perf_counter()
    ergebnis = f(*args, **kw)
    return ergebnis, time.perf_counter() - t


def _zahl(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _median(werte: list[float]) -> float:
    return round(statistics.median(werte), 4)


# --------------------------------------------------------------------------- import

def roh_duckdb(csv: list[Path], ziel: Path) -> float:
    """Seconds for raw DuckDB to read the same files into a typed table (read_csv + INSERT)."""
    import duckdb
    con = duckdb.connect(str(ziel))
    con.execute("CREATE TABLE w (raum VARCHAR, indikator VARCHAR, stichtag DATE, wert DOUBLE, zaehler DOUBLE, "
                "nenner DOUBLE)")
    t = time.perf_counter()
    for pfad in csv:
        con.execute("INSERT INTO w SELECT * FROM read_csv(?, delim=';', header=true, decimal_separator=',', "
                    "dateformat='%d.%m.%Y', columns={'raum': 'VARCHAR', 'indikator': 'VARCHAR', 'stichtag': 'DATE', "
                    "'wert': 'DOUBLE', 'zaehler': 'DOUBLE', 'nenner': 'DOUBLE'})", [str(pfad)])
    dauer = time.perf_counter() - t
    con.close()
    return dauer


# --------------------------------------------------------------------------- pages

def _appt(seite: str | None):
    from streamlit.testing.v1 import AppTest
    if seite is None:
        return AppTest.from_string('import streamlit as st\nst.write("x")', default_timeout=600)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page(f"seiten/{seite}.py")
    return at


#: The yardstick of a rerun: the app's frame (sign-in, sidebar with Stichtag and Raumebene, navigation) around a
#: page that writes one line – what every page of the app costs before its own content.
RAHMEN = "leere_seite_im_rahmen"


def seitenzeiten(wiederholungen: int, seiten: list[str] | None = None) -> dict:
    """Median first run (every Streamlit cache cleared: a new data version in a running server) and cached rerun
    per page (``seiten``: default all), with two yardsticks: a one-line Streamlit page and the app's frame around
    a one-line page (:data:`RAHMEN`)."""
    from contextlib import nullcontext
    from unittest import mock

    import streamlit as st
    from streamlit.navigation.page import Page
    os.chdir(ROOT)
    ergebnis = {}
    # warm-up: the first AppTest of a process and the first run of each page pay for imports, which a server pays
    # once at its start, not after each delivery
    for seite in [None, *(seiten or SEITEN)]:
        _appt(seite).run()
    for seite in [None, RAHMEN, *(seiten or SEITEN)]:
        erster, wieder, nutzlast = [], [], None
        # the frame runs as for a page; the page itself writes one line
        leer = mock.patch.object(Page, "run", lambda self: st.write("x")) if seite == RAHMEN else nullcontext()
        with leer:
            for _ in range(wiederholungen):
                st.cache_data.clear()
                st.cache_resource.clear()
                at = _appt("audit" if seite == RAHMEN else seite)
                _, d = _zeit(at.run)
                erster.append(d)
                if at.exception:
                    raise RuntimeError(f"{seite}: {at.exception[0].message}")
                _, d = _zeit(at.run)
                wieder.append(d)
                if seite == "karte":
                    nutzlast = max((len(el.proto.json.encode()) for el in at.get("deck_gl_json_chart")),
                                   default=None)
        ergebnis[seite or "triviale_seite"] = {"erster_lauf_s": _median(erster), "wiederholung_s": _median(wieder),
                                               **({"karten_nutzlast_bytes": nutzlast} if nutzlast else {})}
    return ergebnis


# --------------------------------------------------------------------------- fis functions

def funktionen(db: Path, config_dir: Path) -> dict:
    import pandas as pd

    from fis import controlling as ctl
    from fis import hochrechnung, wuerfel
    from fis import indizes as idx
    from fis import produkte as prd
    from fis.berichte import inhalte, pdf
    from fis.config_lesen import lade_konfiguration
    from fis.monitoring import lade_aggregat, monitoring_aus
    from fis.store import Store
    from fis.typologie import matrix, typisieren

    config = lade_konfiguration(config_dir)
    out: dict = {}
    with Store.open(db) as store:
        # the aggregate cube (fis.wuerfel): both Sichten of every Stichtag, as after a new Raumgliederung or
        # catalog; then one Stichtag, as after a delivery of one Stichtag. Whatever of it the loading above built
        # (a reader that may write stores what it computes) is dropped first, so both figures are full builds.
        wuerfel.nachfuehren(store, config)
        alle = sorted(store.wuerfel_stand())

        def verwerfen(tage) -> None:
            for sicht in (False, True):
                s = store.cursor(nur_veroeffentlicht=sicht)
                with s.transaction(bump=False):
                    s.wuerfel_schreiben(pd.DataFrame(), {}, tage)
        verwerfen(alle)
        n, out["wuerfel_alle_stichtage_s"] = _zeit(wuerfel.nachfuehren, store, config)
        assert n["alle"] == len(alle), n                           # every Stichtag computed, not found current
        verwerfen(alle[-1:])
        n, out["wuerfel_ein_stichtag_s"] = _zeit(wuerfel.nachfuehren, store, config)
        assert n["alle"] == 1, n
    with Store.open(db, read_only=True) as store:
        # what a page's first run pays once per data version: reading the cube (all values)
        _, out["wuerfel_lesen_alle_werte_s"] = _zeit(wuerfel.lade, store, config)
        _, out["wuerfel_lesen_ein_indikator_s"] = _zeit(wuerfel.lade, store, config,
                                                        [config.lagebild.kennzahlen[0]])
        # the computation the cube stores, in one process (reference; before the cube, every first run paid it)
        a, out["aggregation_alle_ebenen_s"] = _zeit(lade_aggregat, store, config)
        m, out["geheimhaltung_s"] = _zeit(monitoring_aus, a, config)
        daten = idx.indexdaten_aus(a)
        ix = config.indizes.indizes[0]
        tag = idx.stichtage(daten, ix)[-1]
        _, t_index = _zeit(idx.berechne_aus, daten, config, ix, tag)
        indikatoren = list(config.lagebild.handlungsbedarf.indikatoren)
        x = matrix(daten.auswahl(tag, 1, indikatoren), tag, 1, indikatoren)
        _, t_cluster = _zeit(typisieren, x, 6, "ward", None, {i: i for i in indikatoren}, daten.polaritaet)
        out["index_und_clustering_s"] = t_index + t_cluster
        out["index_gebiete"] = len(x)
        c, out["controlling_laden_s"] = _zeit(ctl.lade_controlling, store, m)
        jahr = hochrechnung.berichtsstand(c)[0]
        laeufe = [_zeit(ctl.bewerte_ziele, c, jahr, config.controlling) for _ in range(5)]
        bewertung = laeufe[0][0]
        out["soll_ist_ampel_s"] = statistics.median(d for _, d in laeufe)     # median of 5 runs
        out["ziele"] = len(bewertung)
        p, t_p = _zeit(prd.lade_produkte, store)
        gewichte, ist, soll = prd.wirkungsmatrix(store, p, c.ziele)
        spalten = prd.perioden(p.tep, p.haushaltsjahr())
        t = time.perf_counter()
        k = prd.produktkritik(p, gewichte, ist, soll, spalten[0], spalten[-1], (80.0, 95.0))
        prd.abc_analyse(k.set_index("nr")["aufwand"], (80.0, 95.0))
        prd.portfolio(k.set_index("nr")["aufwand"], k.set_index("nr")["wirkungsbeitrag"],
                      config.produktkritik.portfolio_4, 2)
        out["abc_portfolio_s"] = t_p + time.perf_counter() - t
        out["produkte"] = len(k)
        zeilen = hochrechnung.haushaltszeilen(c, *hochrechnung.berichtsstand(c, "Quartal"), config.controlling.haushalt)
        t = time.perf_counter()
        bericht = inhalte.abweichungsbericht(store, config, c, bewertung, zeilen, "Quartal")
        out["pdf_abweichungsbericht_bytes"] = len(pdf(bericht))
        out["pdf_abweichungsbericht_s"] = time.perf_counter() - t
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


# --------------------------------------------------------------------------- memory

def speicher_zehn_sitzungen(env: dict, sitzungen: int = 10) -> dict:
    """Peak resident memory (VmHWM) of one Streamlit server while ``sitzungen`` (the budget: 10) browser sessions
    load the Lagebild at the same time."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.helfer import launch, streamlit_server
    with streamlit_server(env) as url, sync_playwright() as p:
        import subprocess
        pid = int(subprocess.run(["pgrep", "-f", "--", f"server.port {url.rsplit(':', 1)[1]}"],
                                 capture_output=True, text=True).stdout.split()[0])
        browser = launch(p)
        seiten = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in range(sitzungen)]
        t = time.perf_counter()
        for s in seiten:
            s.goto(url, wait_until="commit")
        for s in seiten:
            s.get_by_text("Eckwerte der Gesamtstadt").wait_for(timeout=600_000)
        dauer = time.perf_counter() - t
        status = Path(f"/proc/{pid}/status").read_text()
        browser.close()
    kb = {z.split(":")[0]: int(z.split()[1]) for z in status.splitlines() if z.startswith(("VmHWM", "VmRSS"))}
    return {"spitze_mb": round(kb["VmHWM"] / 1024), "danach_mb": round(kb["VmRSS"] / 1024),
            "zehn_sitzungen_s": round(dauer, 2), "sitzungen": sitzungen}


# --------------------------------------------------------------------------- summary

def budgets(r: dict) -> list[tuple[str, str, bool]]:
    seiten, rahmen = r["seiten"], r["seiten"][RAHMEN]
    zeilen = [("Import ≥ 0,5 × DuckDB roh", f"{r['import']['verhaeltnis']:.2f}",
               r["import"]["verhaeltnis"] >= BUDGET["import_verhaeltnis_min"])]
    for s in [s for s in SEITEN if s in seiten]:
        w = seiten[s]["wiederholung_s"] / max(rahmen["wiederholung_s"], 1e-6)
        e = seiten[s]["erster_lauf_s"]
        zeilen.append((f"{s}: Wiederholung ≤ 3 × leere Seite im App-Rahmen", f"{w:.1f} ×",
                       w <= BUDGET["seite_wiederholung_max"]))
        zeilen.append((f"{s}: erster Lauf nach neuer Datenversion ≤ 2 s", f"{e:.2f} s",
                       e <= BUDGET["seite_erster_lauf_s_max"]))
    f = r["funktionen"]
    zeilen.append(("Würfel aller Stichtage (beide Sichten) ≤ 10 s", f"{f['wuerfel_alle_stichtage_s']:.1f} s",
                   f["wuerfel_alle_stichtage_s"] <= BUDGET["wuerfel_s_max"]))
    zeilen.append((f"Soll-Ist + Ampel für {f['ziele']} Ziele < 0,5 s", f"{f['soll_ist_ampel_s']:.3f} s",
                   f["soll_ist_ampel_s"] < BUDGET["soll_ist_ampel_s_max"]))
    if "karte" in seiten:                          # measured unless --seiten leaves the map out
        n = seiten["karte"].get("karten_nutzlast_bytes") or 0
        zeilen.append(("Kartennutzlast ≤ 2 MB", f"{n / 1e6:.2f} MB", n <= BUDGET["karten_nutzlast_bytes_max"]))
    for s, z in (r.get("browser") or {}).items():
        if s == "leere_seite":
            continue
        zeilen.append((f"{s}: im Browser nach neuer Datenversion ≤ 2 s", f"{z['neue_version_s']:.2f} s",
                       z["neue_version_s"] <= BUDGET["browser_neue_version_s_max"]))
    return zeilen


def markdown(r: dict) -> str:
    g = r["groesse"]
    text = [f"# Benchmark {r['size']} ({r['zeitpunkt']})", "",
            f"{_zahl(g['sozialraeume'])} Sozialräume in {g['bezirke']} Bezirken, {g['indikatoren']} Indikatoren, "
            f"{g['stichtage']} Stichtage = {_zahl(r['import']['werte'])} Werte; {_zahl(g['ziele'])} Ziele, "
            f"{g['produkte']} Produkte. Rechner: {os.cpu_count()} Kerne. Wiederholungen: {r['wiederholungen']}.", "",
            "| Budget | gemessen | erfüllt |", "|---|---|---|"]
    text += [f"| {a} | {b} | {'ja' if ok else '**nein**'} |" for a, b, ok in budgets(r)]
    text += ["", "## Import", "", f"fis: {_zahl(r['import']['fis_zeilen_je_s'])} Zeilen/s, DuckDB roh: "
             f"{_zahl(r['import']['roh_zeilen_je_s'])} Zeilen/s", "", "## Seiten (Median, s)", "",
             "| Seite | erster Lauf | Wiederholung |", "|---|---|---|"]
    text += [f"| {s} | {v['erster_lauf_s']} | {v['wiederholung_s']} |" for s, v in r["seiten"].items()]
    text += ["", "## Funktionen", ""] + [f"- {k}: {v}" for k, v in r["funktionen"].items()]
    if r.get("speicher"):
        text += ["", f"## Speicher ({r['speicher']['sitzungen']} gleichzeitige Sitzungen)", ""]
        text += [f"- {k}: {v}" for k, v in r["speicher"].items()]
    if r.get("browser"):
        text += ["", "## Im Browser (Navigation bis zur ruhigen Seite, Median, s)", "",
                 "| Seite | nach neuer Datenversion | warm |", "|---|---|---|"]
        text += [f"| {s} | {z['neue_version_s']} | {z['warm_s']} |" for s, z in r["browser"].items()]
    return "\n".join(text) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=list(GROESSEN), default="small")
    parser.add_argument("--wiederholungen", type=int, help="Läufe je Seite (Standard: small 1, large 5)")
    parser.add_argument("--ohne-browser", action="store_true",
                        help="ohne die Messungen im Browser (Speicher mit 10 Sitzungen, Seitenzeiten)")
    parser.add_argument("--browser-seiten", nargs="*", help="Seitenzeiten im Browser nur für diese Adressen "
                        "(„“ = Lagebild; Standard: alle Seiten)")
    parser.add_argument("--seiten", nargs="*", help="AppTest-Zeiten nur für diese Seiten (Standard: alle)")
    parser.add_argument("--sitzungen", type=int, default=10, help="gleichzeitige Browsersitzungen für den "
                        "Speicher (Budget: 10; weniger nur für den Rauchtest)")
    parser.add_argument("--ausgabe", default=str(ROOT / "bench" / "results"), help="Ordner für JSON und Markdown")
    args = parser.parse_args(argv)
    n = args.wiederholungen or (1 if args.size == "small" else 5)
    r: dict = {"size": args.size, "zeitpunkt": datetime.now().isoformat(timespec="seconds"), "wiederholungen": n,
               "groesse": GROESSEN[args.size].__dict__}
    ausgabe = Path(args.ausgabe)
    ausgabe.mkdir(parents=True, exist_ok=True)
    stamm = ausgabe / f"bench_{args.size}"

    def sichern() -> None:
        """Every phase's figures are written at once: a run cut short still leaves them."""
        stamm.with_suffix(".json").write_text(json.dumps(r, indent=2, ensure_ascii=False), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="fis_bench_") as tmp:
        start = time.perf_counter()
        stadt = erzeuge(Path(tmp), args.size, fortschritt=lambda t: print(t, file=sys.stderr))
        r["erzeugen_s"] = round(time.perf_counter() - start, 1)
        r["pruefsumme"] = pruefsumme(stadt.csv)
        werte = GROESSEN[args.size].sozialraeume * GROESSEN[args.size].indikatoren * GROESSEN[args.size].stichtage
        roh = roh_duckdb(stadt.csv, Path(tmp) / "roh.duckdb")
        fis_s = stadt.zeiten["werte_import_s"]
        r["import"] = {"werte": werte, "fis_s": fis_s, "roh_s": round(roh, 2),
                       "fis_zeilen_je_s": round(werte / fis_s), "roh_zeilen_je_s": round(werte / roh),
                       "verhaeltnis": round(roh / fis_s, 3), **stadt.zeiten}
        sichern()
        print("Funktionen …", file=sys.stderr)
        r["funktionen"] = funktionen(stadt.db, stadt.config)
        sichern()
        env = {"FIS_DB": str(stadt.db), "FIS_CONFIG": str(stadt.config),
               "FIS_BENUTZERDATEI": str(Path(tmp) / "keine_benutzer.json")}
        if not args.ohne_browser:
            # first: the AppTests below keep the database open in this process (DuckDB: one writer)
            print("Speicher mit 10 Sitzungen …", file=sys.stderr)
            r["speicher"] = speicher_zehn_sitzungen(env, args.sitzungen)
            sichern()
            print("Seitenzeiten im Browser …", file=sys.stderr)
            r["browser"] = browserzeiten.messen(env, stadt.db, n, args.browser_seiten,
                                                fortschritt=lambda t: print(t, file=sys.stderr))
            sichern()
        os.environ.update(env)
        print("Seiten …", file=sys.stderr)
        r["seiten"] = seitenzeiten(n, args.seiten)
    r["budgets"] = [{"budget": a, "gemessen": b, "erfuellt": ok} for a, b, ok in budgets(r)]
    sichern()
    stamm.with_suffix(".md").write_text(markdown(r), encoding="utf-8")
    print(markdown(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())

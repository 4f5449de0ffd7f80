"""A large city, generated deterministically and loaded through the normal import path.

Sizes: ``large`` is the issue's city (1,000 Sozialräume in 25 Bezirke, 250 indicators, 20
Stichtage = 5,000,000 values, 2,000 goals, 300 products with 5 years of budget lines and 12
months of Ist); ``small`` is the same shape a hundredth as big, for the CI smoke run.

What goes through the import path a planner uses (``fis.ingest``): the boundaries of both levels
(GeoJSON), and every value delivery (one German CSV per Stichtag, ``;`` and decimal comma). The
catalog comes from the generated configuration, goals and products from specifications through
the same functions the demo city uses (``fis.ziele.pruefen``, the demo's product builder).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261202
BENUTZER = "bench"


@dataclass(frozen=True)
class Groesse:
    sozialraeume: int
    bezirke: int           # a square number: the Bezirke lie in a k × k grid
    indikatoren: int       # at least the 36 of the shipped catalog
    stichtage: int
    ziele: int
    produkte: int


GROESSEN = {
    "small": Groesse(sozialraeume=100, bezirke=4, indikatoren=40, stichtage=4, ziele=100, produkte=30),
    "large": Groesse(sozialraeume=1000, bezirke=25, indikatoren=250, stichtage=20, ziele=2000, produkte=300),
}


# --------------------------------------------------------------------------- configuration

def konfiguration(ziel: Path, g: Groesse) -> Path:
    """The shipped configuration with the city renamed and synthetic indicators appended."""
    config = ziel / "config"
    shutil.copytree(ROOT / "config", config)
    stadt = yaml.safe_load((config / "stadt.yaml").read_text(encoding="utf-8"))
    stadt["name"] = "Großstadt (Benchmark)"
    (config / "stadt.yaml").write_text(yaml.safe_dump(stadt, allow_unicode=True, sort_keys=False), encoding="utf-8")
    katalog = yaml.safe_load((config / "indikatoren.yaml").read_text(encoding="utf-8"))
    felder = sorted({i["handlungsfeld"] for i in katalog["indikatoren"]})
    polaritaeten = ("hoch_schlecht", "hoch_gut", "neutral")
    for n in range(g.indikatoren - len(katalog["indikatoren"])):
        katalog["indikatoren"].append({
            "id": f"x{n + 1:03d}", "name": f"Kennzahl {n + 1:03d}", "kurzname": f"K{n + 1:03d}",
            "handlungsfeld": felder[n % len(felder)], "einheit": "%",
            "definition": "Synthetischer Anteil für die Leistungsmessung.", "aggregation": "quote", "faktor": 100,
            "polaritaet": polaritaeten[n % 3], "zaehler": "Fälle", "nenner": "Einwohner insgesamt",
            "quelle": "Benchmark", "nachkommastellen": 1})
    (config / "indikatoren.yaml").write_text(yaml.safe_dump(katalog, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    return config


# --------------------------------------------------------------------------- boundaries

def _rauschen(x: np.ndarray, y: np.ndarray, staerke: float) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic displacement of boundary points that depends only on the point, so that
    neighbours share their boundary exactly (no gaps, no overlaps)."""
    kx = np.round(x * 1e6).astype(np.int64)
    ky = np.round(y * 1e6).astype(np.int64)
    h1 = np.sin(kx * 12.9898e-6 + ky * 78.233e-6) * 43758.5453
    h2 = np.sin(kx * 39.3468e-6 + ky * 11.135e-6) * 24634.6345
    return x + (h1 - np.floor(h1) - 0.5) * staerke, y + (h2 - np.floor(h2) - 0.5) * staerke


def raster(g: Groesse) -> tuple[list[dict], list[dict]]:
    """GeoJSON features of the Bezirke and Sozialräume: a k × k grid of Bezirke, each divided into
    rows × columns Sozialräume, with wiggled shared edges (12 points per edge)."""
    k = int(round(g.bezirke ** 0.5))
    if k * k != g.bezirke or g.sozialraeume % g.bezirke:
        raise ValueError("bezirke muss eine Quadratzahl sein und sozialraeume teilen")
    je = g.sozialraeume // g.bezirke
    zeilen = int(np.floor(je ** 0.5))
    while je % zeilen:
        zeilen -= 1
    spalten = je // zeilen
    nx, ny = k * spalten, k * zeilen                       # cells of the whole grid
    breite, hoehe = 0.4 / nx, 0.26 / ny                    # degrees: about 28 × 29 km in all
    x0, y0 = 6.80, 51.30
    x1, y1 = x0 + nx * breite, y0 + ny * hoehe
    punkte = 12

    def kante(xa, ya, xb, yb):
        t = np.linspace(0, 1, punkte, endpoint=False)
        x, y = xa + (xb - xa) * t, ya + (yb - ya) * t
        # displaced across the edge only (the boundary stays a function graph: never self-crossing),
        # by at most a third of the point spacing, so corners cannot cross either
        waagrecht = np.isclose(ya, yb)
        schritt = (breite if waagrecht else hoehe) / punkte
        xs, ys = _rauschen(x, y, schritt * 0.66)
        aussen = np.isclose(x, x0) | np.isclose(x, x1) | np.isclose(y, y0) | np.isclose(y, y1)
        frei = (t > 0) & ~aussen                           # grid corners and the outer border stay put
        x = np.where(frei & ~waagrecht, xs, x)
        y = np.where(frei & waagrecht, ys, y)
        return list(zip(x.round(6), y.round(6), strict=True))

    def ring(i0, j0, i1, j1):
        a, b = (x0 + i0 * breite, y0 + j0 * hoehe), (x0 + i1 * breite, y0 + j0 * hoehe)
        c, d = (x0 + i1 * breite, y0 + j1 * hoehe), (x0 + i0 * breite, y0 + j1 * hoehe)
        pts = []
        # walk along cell edges so that a Bezirk's border uses exactly its Sozialräume's points
        for (p, q, n) in ((a, b, i1 - i0), (b, c, j1 - j0), (c, d, i1 - i0), (d, a, j1 - j0)):
            for s in range(n):
                xa = p[0] + (q[0] - p[0]) * s / n
                ya = p[1] + (q[1] - p[1]) * s / n
                xb = p[0] + (q[0] - p[0]) * (s + 1) / n
                yb = p[1] + (q[1] - p[1]) * (s + 1) / n
                pts += kante(xa, ya, xb, yb)
        pts.append(pts[0])
        return [[float(x), float(y)] for x, y in pts]

    bezirke, sozialraeume = [], []
    for bi in range(k):
        for bj in range(k):
            nr = bi * k + bj + 1
            bid = f"{nr:02d}"
            bezirke.append({"type": "Feature", "properties": {"id": bid, "name": f"Bezirk {nr}"},
                            "geometry": {"type": "Polygon", "coordinates": [
                                ring(bi * spalten, bj * zeilen, (bi + 1) * spalten, (bj + 1) * zeilen)]}})
            for si in range(spalten):
                for sj in range(zeilen):
                    snr = si * zeilen + sj + 1
                    i, j = bi * spalten + si, bj * zeilen + sj
                    sozialraeume.append({"type": "Feature",
                                         "properties": {"id": f"{bid}{snr:02d}", "name": f"Quartier {bid}-{snr:02d}"},
                                         "geometry": {"type": "Polygon", "coordinates": [ring(i, j, i + 1, j + 1)]}})
    return bezirke, sozialraeume


def _geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


# --------------------------------------------------------------------------- values

def stichtage(g: Groesse) -> list[date]:
    return [date(2024 - g.stichtage + 1 + n, 12, 31) for n in range(g.stichtage)]


def werte_csv(katalog: pd.DataFrame, raum_ids: list[str], tag: date, n: int, rng_basis: int) -> bytes:
    """One Stichtag's delivery: every Sozialraum × indicator in long format, German style."""
    rng = np.random.default_rng([SEED, rng_basis])
    ids = katalog["indikator_id"].tolist()
    summe = set(katalog.loc[katalog["aggregation"] == "summe", "indikator_id"])
    r = len(raum_ids)
    # population per area with a slow trend; rates per (area, indicator) with drift and noise
    basis = np.random.default_rng([SEED, 1]).integers(1500, 12000, r)
    ew = np.rint(basis * (1 + 0.004 * n) * (1 + rng.normal(0, 0.005, r))).astype(np.int64)
    lage = np.random.default_rng([SEED, 2]).uniform(0.02, 0.35, (r, len(ids)))
    rate = np.clip(lage * (1 + 0.01 * n) + rng.normal(0, 0.004, (r, len(ids))), 0.001, 0.95)
    nenner = np.repeat(ew[:, None], len(ids), axis=1)
    zaehler = np.rint(nenner * rate).astype(np.int64)
    frame = pd.DataFrame({
        "raum": np.repeat(raum_ids, len(ids)),
        "indikator": np.tile(ids, r),
        "stichtag": tag.strftime("%d.%m.%Y"),
        "wert": "", "zaehler": zaehler.ravel().astype(str), "nenner": nenner.ravel().astype(str)})
    ist_summe = frame["indikator"].isin(summe)
    frame.loc[ist_summe, "wert"] = frame.loc[ist_summe, "nenner"]
    frame.loc[ist_summe, ["zaehler", "nenner"]] = ""
    return frame.to_csv(sep=";", index=False).encode("utf-8")


# --------------------------------------------------------------------------- goals and products

def produkt_spec(g: Groesse) -> dict:
    gruppen_je = 10
    bereiche = []
    rng = np.random.default_rng([SEED, 3])
    n = 0
    for b in range(max(1, g.produkte // (gruppen_je * 5))):
        gruppen = []
        for gr in range(5):
            produkte = []
            for _ in range(gruppen_je):
                if n >= g.produkte:
                    break
                n += 1
                nr = f"11.{b + 1:02d}.{gr + 1:02d}.{len(produkte) + 1:02d}"
                aufwand = float(rng.lognormal(14, 1.2))
                produkte.append({
                    "nr": nr, "name": f"Produkt {n:03d}", "rechtsgrundlage": "SGB",
                    "haushalt": {2: round(aufwand * 0.3), 13: -round(aufwand * 0.2), 15: -round(aufwand * 0.8)},
                    "wachstum": float(rng.uniform(-0.01, 0.05)),
                    "kennzahlen": [{"id": f"k{n:03d}", "name": f"Fälle Produkt {n:03d}", "einheit": "Anzahl",
                                    "art": "Leistungsmenge", "polaritaet": "neutral",
                                    "basis": int(rng.integers(100, 5000)), "trend": int(rng.integers(-50, 80))}]})
            if produkte:
                gruppen.append({"nr": f"11.{b + 1:02d}.{gr + 1:02d}", "name": f"Produktgruppe {b + 1}.{gr + 1}",
                                "verantwortlich": "Benchmark", "organisationseinheit": "50", "gremium": "Ausschuss",
                                "produkte": produkte})
        if gruppen:
            bereiche.append({"nr": f"11.{b + 1:02d}", "name": f"Produktbereich {b + 1}",
                             "verantwortlich": "Dezernat", "gruppen": gruppen})
    return {"bereiche": bereiche}


def ziel_spec(g: Groesse, katalog: pd.DataFrame, bezirke: list[str], produkte: list[str]) -> list[dict]:
    """Leitziele, then goals on indicators in the city and the Bezirke, with parents."""
    rng = np.random.default_rng([SEED, 4])
    ids = katalog.loc[katalog["aggregation"] == "quote", "indikator_id"].tolist()
    leit = max(3, g.ziele // 100)
    specs = [{"id": f"L{n + 1}", "titel": f"Leitziel {n + 1}", "zielfeld": "Ergebnis/Wirkung",
              "zielebene": "Leitziel", "verantwortlich": "Dezernat"} for n in range(leit)]
    raeume = ["00", *bezirke]
    for n in range(g.ziele - leit):
        richtung = "senken" if n % 2 else "steigern"
        specs.append({
            "id": f"Z{n + 1:04d}", "titel": f"Ziel {n + 1:04d}", "zielfeld": "Ergebnis/Wirkung",
            "zielebene": "Produktgruppenziel", "parent": f"L{n % leit + 1}",
            "kennzahl": {"indikator": ids[n % len(ids)], "raum": raeume[n % len(raeume)]},
            "basisjahr": stichtage(g)[0].year,
            "zielwert_relativ": float(-0.1 if richtung == "senken" else 0.1) * float(rng.uniform(0.5, 1.5)),
            "zieldatum": "2027-12-31", "richtung": richtung, "toleranz": 0.5,
            "produkt": produkte[n % len(produkte)], "verantwortlich": "Benchmark"})
    return specs


# --------------------------------------------------------------------------- building it

@dataclass
class Stadt:
    verzeichnis: Path
    db: Path
    config: Path
    csv: list[Path]
    zeiten: dict


def erzeuge(ziel: Path, groesse: str = "small", fortschritt=print) -> Stadt:
    """Generate the city into ``ziel`` (configuration, files, database) and load it."""
    from fis import ziele as ziele_mod
    from fis.config_lesen import lade_konfiguration
    from fis.demo import _produkt_frames, speichere_produkthaushalt
    from fis.ingest import raeume as raeume_import
    from fis.ingest import werte as werte_import
    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.katalog import aus_config
    from fis.ingest.lesen import lies_tabelle
    from fis.ingest.lieferungen import veroeffentlichen
    from fis.store import Lieferung, Store

    g = GROESSEN[groesse]
    ziel.mkdir(parents=True, exist_ok=True)
    zeiten: dict[str, float] = {}
    config_dir = konfiguration(ziel, g)
    config = lade_konfiguration(config_dir)
    db = ziel / "grossstadt.duckdb"
    store = Store.open(db)
    t = time.perf_counter()
    katalog = aus_config(config)
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(art="katalog", bezeichnung="Katalog (Benchmark)", benutzer=BENUTZER))
        store.upsert_indikatoren(katalog.assign(lieferung_id=lid))
        store.set_lieferung_veroeffentlicht(lid, BENUTZER)

    fortschritt("Raumgliederung …")
    bezirke, sozialraeume = raster(g)
    for features, ebene, extra in ((bezirke, 2, {"parent_fest": "00"}), (sozialraeume, 1, {"parent_praefix": 2})):
        z = raeume_import.RaumZuordnung(kennung="id", name="name", ebene=ebene, gueltig_von=date(2000, 1, 1), **extra)
        v = raeume_import.vorbereiten(store, _geojson(features), f"ebene{ebene}.geojson", z, 3, "Großstadt")
        if not v.uebernehmbar:
            raise RuntimeError(v.bericht.als_text())
        veroeffentlichen(store, raeume_import.uebernehmen(store, v, BENUTZER), BENUTZER)
    zeiten["raeume_s"] = time.perf_counter() - t

    fortschritt("Wertedateien …")
    raum_ids = [f["properties"]["id"] for f in sozialraeume]
    csv = []
    for n, tag in enumerate(stichtage(g)):
        pfad = ziel / f"werte_{tag:%Y}.csv"
        pfad.write_bytes(werte_csv(katalog, raum_ids, tag, n, 100 + n))
        csv.append(pfad)

    fortschritt("Import der Werte …")
    t = time.perf_counter()
    for n, pfad in enumerate(csv):
        tabelle = lies_tabelle(pfad.read_bytes(), pfad.name)
        v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
        if not v.bericht.ok:
            raise RuntimeError(v.bericht.als_text())
        veroeffentlichen(store, werte_import.uebernehmen(store, v, BENUTZER), BENUTZER)
        fortschritt(f"  {pfad.name}: {len(v.werte):,} Werte ({n + 1}/{len(csv)})".replace(",", "."))
    zeiten["werte_import_s"] = time.perf_counter() - t

    fortschritt("Produkte und Haushalt …")
    t = time.perf_counter()
    frames = _produkt_frames(produkt_spec(g), np.random.default_rng([SEED, 5]))
    with store.transaction():
        speichere_produkthaushalt(
            store, frames,
            store.insert_lieferung(Lieferung(art="produkte", bezeichnung="Produkte (Benchmark)", benutzer=BENUTZER)),
            store.insert_lieferung(Lieferung(art="haushalt", bezeichnung="Haushalt (Benchmark)", benutzer=BENUTZER)))
        store.alle_veroeffentlichen(BENUTZER)
    zeiten["produkte_s"] = time.perf_counter() - t

    fortschritt("Zielsystem …")
    t = time.perf_counter()
    specs = ziel_spec(g, katalog, [f["properties"]["id"] for f in bezirke], frames["produkt"]["nr"].tolist())
    ziele = ziele_mod.pruefen(specs, ziele_mod.bezugsdaten(store))
    with store.transaction():
        store.upsert_ziele(ziele.drop(columns="_soll"), ziele_mod.soll_werte(ziele))
    zeiten["ziele_s"] = time.perf_counter() - t
    store.close()
    return Stadt(ziel, db, config_dir, csv, {k: round(v, 2) for k, v in zeiten.items()})


def pruefsumme(pfade: list[Path]) -> str:
    """SHA-256 over the generated value files: the same size gives the same city."""
    h = hashlib.sha256()
    for p in pfade:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]

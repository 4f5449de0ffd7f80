"""The demo city's facility register, generated deterministically from its population.

Kindertageseinrichtungen follow the children of each Sozialraum, with U3 places growing by new
openings from 2013 (the U3 expansion) and lagging in the deprived areas — the under-supply that the
Bestands- und Bedarfsanalyse is to find coincides with Handlungsbedarf. Grundschulen with Offener
Ganztag, Jugendzentren, Seniorenbegegnungsstätten, Familienzentren and Beratungsstellen complete it;
a few facilities closed between 2014 and 2021. The register is written as the CSV a Jugendamt would
export (semicolons, decimal commas) and imported through the ordinary delivery path.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely

from fis.demo.werte import STICHTAGE
from fis.format import fmt_zahl
from fis.store import Store

SEED = 3107
TRAEGER = ("Stadt Musterstadt", "AWO Kreisverband", "Caritasverband", "Diakonisches Werk", "DRK-Kreisverband",
           "Der Paritätische", "Elterninitiative e. V.", "Ev. Kirchengemeinde", "Kath. Kirchengemeinde")
KITA_NAMEN = ("Sonnenblume", "Regenbogen", "Pusteblume", "Kunterbunt", "Löwenzahn", "Sternschnuppe", "Arche",
              "Wichtelhaus", "Spatzennest", "Abenteuerland", "Villa Kunterbunt", "Zwergenburg", "Marienkäfer",
              "Schatzkiste", "Kleine Strolche", "Am Park", "Waldwichtel", "Farbklecks")
STRASSEN = ("Lindenstraße", "Schulstraße", "Am Markt", "Kirchweg", "Gartenstraße", "Bahnhofstraße", "Ringstraße",
            "Feldweg", "Mühlenstraße", "Birkenallee", "Hauptstraße", "Parkstraße", "Am Anger", "Rosenweg")
BERATUNG = ("Erziehungs- und Familienberatung", "Schuldner- und Insolvenzberatung", "Suchtberatung",
            "Pflegeberatung", "Migrationsberatung", "Schwangerschaftskonfliktberatung", "Wohnungsnotfallhilfe",
            "Ehe- und Lebensberatung", "Jugendberatung", "Beratungsstelle für Menschen mit Behinderung")
STICHTAG = date(int(STICHTAGE[-1]), 12, 31)


def _punkt(poly, rng: np.random.Generator):
    minx, miny, maxx, maxy = poly.bounds
    inner = poly.buffer(-0.0008) if poly.buffer(-0.0008).area > poly.area * 0.2 else poly
    for _ in range(500):
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(p):
            return p
    return poly.representative_point()


def _datum(rng: np.random.Generator, von: int, bis: int) -> date:
    return date(int(rng.integers(von, bis + 1)), int(rng.integers(1, 13)), 1)


def _aufteilen(gesamt: int, n: int, rng: np.random.Generator) -> list[int]:
    anteile = rng.dirichlet(np.full(n, 6.0))
    roh = anteile * gesamt
    ganz = np.floor(roh).astype(int)
    rest = gesamt - ganz.sum()
    ganz[np.argsort(roh - ganz)[::-1][:rest]] += 1
    return ganz.tolist()


def _bevoelkerung(store: Store) -> pd.DataFrame:
    """Per current Sozialraum: children under 3, 3–6, 6–10, people 65+, under 18 and the SGB II rate."""
    w = store.lade_werte(["kita_u3", "kita_3_6", "ogs_quote", "anteil_65plus", "anteil_u18", "sgb2_quote"],
                         [STICHTAG])
    feld = {"kita_u3": "nenner", "kita_3_6": "nenner", "ogs_quote": "nenner", "anteil_65plus": "zaehler",
            "anteil_u18": "zaehler", "sgb2_quote": "wert"}
    rolle = w["indikator_id"].map(feld)
    w["x"] = w["nenner"].where(rolle == "nenner", w["zaehler"].where(rolle == "zaehler", w["wert"]))
    bev = w.pivot_table(index="raum_id", columns="indikator_id", values="x")
    raeume = store.lade_raeume(STICHTAG, 1, with_geometry=True).set_index("raum_id")
    bev = bev.reindex(raeume.index).fillna(0)
    bev["name"], bev["geometrie"] = raeume["name"], raeume["geometrie"]
    bev["armut"] = bev["sgb2_quote"].rank(pct=True)
    return bev


def register(store: Store) -> pd.DataFrame:
    """The register rows (one per facility) in the columns of a delivery."""
    rng = np.random.default_rng(SEED)
    bev = _bevoelkerung(store)
    zeilen: list[dict] = []

    def neu(typ: str, name: str, raum: str, eroeffnet: date | None, geschlossen: date | None = None,
            **kapazitaet) -> None:
        p = _punkt(shapely.from_geojson(bev.at[raum, "geometrie"]), rng)
        zeilen.append({"einrichtung_id": f"{typ[:2].upper()}{len(zeilen) + 1:04d}", "typ": typ, "name": name,
                       "traeger": TRAEGER[int(rng.integers(len(TRAEGER)))],
                       "adresse": f"{STRASSEN[int(rng.integers(len(STRASSEN)))]} {int(rng.integers(1, 120))}",
                       "lon": round(p.x, 6), "lat": round(p.y, 6), "eroeffnet": eroeffnet, "geschlossen": geschlossen,
                       **kapazitaet})

    for raum, b in bev.iterrows():
        quote_u3 = float(np.clip(0.53 - 0.32 * b["armut"] + rng.normal(0, 0.03), 0.12, 0.65))
        quote_ue3 = float(np.clip(1.01 - 0.12 * b["armut"] + rng.normal(0, 0.02), 0.8, 1.1))
        ue3 = int(round(b["kita_3_6"] * quote_ue3))
        n = int(max(1, round(ue3 / 55))) if b["kita_3_6"] >= 20 else 0
        if n:
            u3_plaetze = _aufteilen(int(round(b["kita_u3"] * quote_u3)), n, rng)
            ue3_plaetze = _aufteilen(ue3, n, rng)
            for i in range(n):
                familie = i == 0 and rng.random() < 0.3
                typ = "familienzentrum" if familie else "kita"
                name = (f"Familienzentrum {b['name']}" if familie
                        else f"Kita {KITA_NAMEN[int(rng.integers(len(KITA_NAMEN)))]}")
                # U3 expansion: a third of the facilities opened after 2012
                eroeffnet = _datum(rng, 2013, 2023) if rng.random() < 0.33 else _datum(rng, 1965, 2011)
                neu(typ, name, raum, eroeffnet, plaetze_u3=u3_plaetze[i], plaetze_ue3=ue3_plaetze[i],
                    **({"beratungsstunden": int(rng.integers(6, 16))} if familie else {}))
        if b["ogs_quote"] >= 60:
            neu("ogs", f"Grundschule {b['name']} (Offener Ganztag)", raum, _datum(rng, 2004, 2016),
                ogs_plaetze=int(round(b["ogs_quote"] * float(np.clip(rng.normal(0.7, 0.1), 0.4, 0.95)))))
    # facilities that closed: an old Kita in some areas, a youth centre and a senior meeting point
    for raum in rng.choice(bev.index[bev["kita_3_6"] >= 60], 5, replace=False):
        neu("kita", f"Kita {KITA_NAMEN[int(rng.integers(len(KITA_NAMEN)))]} (alt)", raum, _datum(rng, 1970, 1995),
            _datum(rng, 2014, 2021), plaetze_u3=int(rng.integers(4, 11)), plaetze_ue3=int(rng.integers(30, 56)))
    jugend = bev.sort_values("anteil_u18", ascending=False).index[:14]
    for i, raum in enumerate(jugend):
        neu("jugendzentrum", f"Jugendzentrum {bev.at[raum, 'name']}", raum,
            date(2020, 9, 1) if i == 13 else _datum(rng, 1975, 2010), date(2017, 6, 30) if i == 12 else None,
            oeffnungsstunden=int(rng.integers(18, 42)))
    senioren = bev.sort_values("anteil_65plus", ascending=False).index[:16]
    for i, raum in enumerate(senioren):
        neu("seniorentreff", f"Seniorentreff {bev.at[raum, 'name']}", raum,
            date(2018, 4, 1) if i == 15 else _datum(rng, 1980, 2011), date(2016, 12, 31) if i == 14 else None,
            oeffnungsstunden=int(rng.integers(10, 32)))
    zentral = bev.sort_values("armut", ascending=False).index[:10]
    for art, raum in zip(BERATUNG, zentral, strict=True):
        neu("beratungsstelle", art, raum, _datum(rng, 1985, 2019), beratungsstunden=int(rng.integers(20, 61)))
    frame = pd.DataFrame(zeilen)
    for col in ("plaetze_u3", "plaetze_ue3", "ogs_plaetze", "oeffnungsstunden", "beratungsstunden"):
        frame[col] = frame[col].astype("Int64")
    return frame


def als_csv(frame: pd.DataFrame) -> bytes:
    """The register as a German CSV export: semicolons, decimal commas, dates as TT.MM.JJJJ."""
    out = frame.copy()
    for col in ("lon", "lat"):
        out[col] = out[col].map(lambda v: fmt_zahl(v, 6))
    for col in ("eroeffnet", "geschlossen"):
        out[col] = out[col].map(lambda d: d.strftime("%d.%m.%Y") if isinstance(d, date) else "")
    return out.to_csv(sep=";", index=False).encode("utf-8")

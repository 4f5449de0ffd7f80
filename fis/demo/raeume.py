"""Geometry of the demo city: an outline tiled by Sozialräume, grouped into Bezirke.

Everything is computed in a local metric plane (metres east/north of the city
centre) and converted to WGS84 at the end with an equirectangular projection,
which is exact enough for a city of 15 km across. Bezirke are unions of their
Sozialräume, so the hierarchy nests exactly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, mapping
from shapely.ops import split

# A fictional city at the northern edge of the Ruhr, in NRW.
CENTRE_LON = 7.215
CENTRE_LAT = 51.605
RADIUS_M = 7200.0
N_SOZIALRAEUME = 50
SCHEME_START = date(2012, 1, 1)
SPLIT_DATE = date(2019, 1, 1)

M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LAT))

BEZIRK_NAMES = ("Mitte", "Nord", "Nordost", "Ost", "Südost", "Südwest", "West", "Nordwest")

# Sozialraum names per Bezirk, assigned in order of distance from the city centre.
SOZIALRAUM_NAMES = {
    "Mitte": ("Altstadt", "Bahnhofsviertel", "Schlossviertel", "Marktviertel", "Kreuzviertel",
              "Am Stadtgarten", "Südliche Innenstadt", "Kaiserviertel"),
    "Nord": ("Nordstadt", "Zechenkolonie Fortuna", "Hafen", "Kanalufer", "Am Förderturm",
             "Hochlarmark", "Schachtstraße"),
    "Nordost": ("Eichholz", "Lindenhof", "Brückfeld", "Heidesiedlung", "Am Emscherbruch",
                "Röhlinghausen", "Nordfeld"),
    "Ost": ("Rosental", "Hohenfeld", "Ostviertel", "Zum Gewerbepark", "Feldmark",
            "Am Wasserturm", "Ostkamp"),
    "Südost": ("Wiesengrund", "Mühlenbach", "Kirchdorf", "Sonnenhang", "Am Kötterberg",
               "Buchenhain", "Stadtwald"),
    "Südwest": ("Gartenstadt", "Birkenkamp", "Waldesruh", "Am Schlosspark", "Hülsberg",
                "Vogelsang", "Steinbruch"),
    "West": ("Weststadt", "Ziegelei", "Auf der Heide", "Bruchhausen", "Im Dorf",
             "Am Kanalhafen", "Westerfeld"),
    "Nordwest": ("Nordweststadt", "Marienthal", "Bergmannsglück", "Alte Ziegelei",
                 "Hünxer Feld", "Schlägelstraße", "Am Sportpark"),
}


@dataclass(frozen=True)
class Gebiet:
    """One Sozialraum as generated (metric geometry, before the split)."""

    raum_id: str
    name: str
    bezirk_id: str
    geometry: Polygon  # metres


def outline(rng: np.random.Generator) -> Polygon:
    """A irregular but smooth city outline of about 160 km²."""
    theta = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    phases = rng.uniform(0, 2 * np.pi, 3)
    r = RADIUS_M * (1 + 0.13 * np.sin(2 * theta + phases[0]) + 0.07 * np.sin(3 * theta + phases[1])
                    + 0.04 * np.sin(5 * theta + phases[2]))
    return Polygon(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))


def _seeds(shape: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """Seeds denser near the centre, spread evenly by a few Lloyd iterations."""
    minx, miny, maxx, maxy = shape.bounds
    points: list[tuple[float, float]] = []
    while len(points) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        # Accept with a probability that falls with distance: smaller areas in the centre.
        if shape.contains(Point(x, y)) and rng.uniform() < 1.15 - math.hypot(x, y) / RADIUS_M:
            points.append((x, y))
    seeds = np.array(points)
    for _ in range(4):
        cells = _cells(shape, seeds)
        centroids = np.array([[c.centroid.x, c.centroid.y] for c in cells])
        # Pull towards the centroid only partly, to keep the central density.
        seeds = 0.5 * seeds + 0.5 * centroids
    return seeds


def _cells(shape: Polygon, seeds: np.ndarray) -> list[Polygon]:
    """Voronoi cells of ``seeds`` clipped to ``shape``, in the order of the seeds."""
    regions = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=shape)
    polys = list(regions.geoms)
    tree = shapely.STRtree(polys)
    cells = []
    for x, y in seeds:
        hits = tree.query(Point(x, y), predicate="within")
        cell = polys[int(hits[0])] if len(hits) else polys[int(tree.nearest(Point(x, y)))]
        clipped = cell.intersection(shape)
        if clipped.geom_type != "Polygon":  # keep the largest part of a rare multi-part cell
            clipped = max(clipped.geoms, key=lambda g: g.area)
        cells.append(clipped)
    return cells


def _bezirk_of(seeds: np.ndarray, n_mitte: int) -> np.ndarray:
    """Index 0 (Mitte) for the seeds nearest the centre, 1–7 by compass sector for the rest."""
    dist = np.hypot(seeds[:, 0], seeds[:, 1])
    bezirk = np.zeros(len(seeds), dtype=int)
    rest = np.argsort(dist)[n_mitte:]
    bearing = (np.degrees(np.arctan2(seeds[rest, 0], seeds[rest, 1])) + 360 + 360 / 14) % 360
    # Sectors with equal numbers of Sozialräume, starting in the north, clockwise.
    order = rest[np.argsort(bearing)]
    for k, chunk in enumerate(np.array_split(order, 7)):
        bezirk[chunk] = k + 1
    return bezirk


def generate_gebiete(rng: np.random.Generator) -> tuple[Polygon, list[Gebiet]]:
    shape = outline(rng)
    seeds = _seeds(shape, N_SOZIALRAEUME, rng)
    cells = _cells(shape, seeds)
    bezirk_idx = _bezirk_of(seeds, n_mitte=8)
    gebiete = []
    for b, bezirk_name in enumerate(BEZIRK_NAMES):
        members = np.flatnonzero(bezirk_idx == b)
        members = members[np.argsort(np.hypot(seeds[members, 0], seeds[members, 1]))]
        for k, i in enumerate(members):
            gebiete.append(Gebiet(
                raum_id=f"{b + 1:02d}{k + 1:02d}",
                name=SOZIALRAUM_NAMES[bezirk_name][k],
                bezirk_id=f"{b + 1:02d}",
                geometry=cells[i],
            ))
    return shape, gebiete


def split_polygon(poly: Polygon) -> tuple[Polygon, Polygon]:
    """Split a polygon by an east-west line through its centroid: (north part, south part)."""
    c = poly.centroid
    minx, _, maxx, _ = poly.bounds
    parts = sorted(split(poly, LineString([(minx - 10, c.y), (maxx + 10, c.y)])).geoms,
                   key=lambda g: -g.centroid.y)
    return parts[0], parts[-1]


def to_wgs84(geom: Polygon) -> Polygon:
    return shapely.transform(
        geom, lambda xy: np.column_stack([
            np.round(CENTRE_LON + xy[:, 0] / M_PER_DEG_LON, 7),
            np.round(CENTRE_LAT + xy[:, 1] / M_PER_DEG_LAT, 7),
        ]))


def geojson(geom: Polygon) -> str:
    return json.dumps(mapping(to_wgs84(geom)), separators=(",", ":"))


def raum_frame(shape: Polygon, gebiete: list[Gebiet], split_id: str,
               split_names: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Polygon]]:
    """Raum records of all three levels plus the split, and the final atoms' geometry.

    Returns (raum rows, raum_aenderung rows, atoms) where atoms are the Sozialräume
    valid after the split, keyed by id, in metres.
    """
    rows = [dict(raum_id="00", gueltig_von=SCHEME_START, gueltig_bis=None, ebene=3,
                 name="Musterstadt", parent_id=None, geometrie=geojson(shape),
                 flaeche_km2=shape.area / 1e6)]
    for b, bezirk_name in enumerate(BEZIRK_NAMES):
        bid = f"{b + 1:02d}"
        union = shapely.union_all([g.geometry for g in gebiete if g.bezirk_id == bid])
        rows.append(dict(raum_id=bid, gueltig_von=SCHEME_START, gueltig_bis=None, ebene=2,
                         name=bezirk_name, parent_id="00", geometrie=geojson(union),
                         flaeche_km2=union.area / 1e6))
    atoms: dict[str, Polygon] = {}
    aenderungen = []
    for g in gebiete:
        if g.raum_id != split_id:
            rows.append(dict(raum_id=g.raum_id, gueltig_von=SCHEME_START, gueltig_bis=None,
                             ebene=1, name=g.name, parent_id=g.bezirk_id,
                             geometrie=geojson(g.geometry), flaeche_km2=g.geometry.area / 1e6))
            atoms[g.raum_id] = g.geometry
            continue
        rows.append(dict(raum_id=g.raum_id, gueltig_von=SCHEME_START,
                         gueltig_bis=date(SPLIT_DATE.year - 1, 12, 31), ebene=1, name=g.name,
                         parent_id=g.bezirk_id, geometrie=geojson(g.geometry),
                         flaeche_km2=g.geometry.area / 1e6))
        for suffix, part, name in zip(("A", "B"), split_polygon(g.geometry), split_names, strict=True):
            new_id = f"{g.raum_id}{suffix}"
            rows.append(dict(raum_id=new_id, gueltig_von=SPLIT_DATE, gueltig_bis=None, ebene=1,
                             name=name, parent_id=g.bezirk_id, geometrie=geojson(part),
                             flaeche_km2=part.area / 1e6))
            aenderungen.append(dict(alt_id=g.raum_id, neu_id=new_id, stichtag=SPLIT_DATE,
                                    art="Teilung", anteil=None))
            atoms[new_id] = part
    return pd.DataFrame(rows), pd.DataFrame(aenderungen), atoms

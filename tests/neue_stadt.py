"""A new city as a planner brings it: a boundary Shapefile (13 Stadtteile in 4 Stadtbezirke,
ETRS89/UTM 32N, properties as a GIS department exports them) and a Sozialatlas as statistics
offices publish it (area names with numbers, one sheet per year or a Jahr column or two header
rows, Einwohner as the denominator of several shares, title lines, a totals row, a source note).

Shared by the unit, CLI and browser tests of the Einrichtungsassistent (issue #19).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
import xlsxwriter

STADTTEILE = ["Altstadt", "St. Johann", "Neustadt-Süd", "Hafen", "Am Bahnhof", "Gartenstadt", "Klosterfeld",
              "Mühlenweg", "Heide", "Oberdorf", "Unterdorf", "Sankt Georgen", "Industriegebiet"]
BEZIRKE = {"1": "Innenstadt", "2": "Nord", "3": "Süd", "4": "West"}
JAHRE = (2019, 2020, 2021, 2022, 2023)


def kennung(i: int) -> str:
    return f"{i + 1:02d}"


def einwohner(i: int, jahr: int) -> int:
    return 2000 + 700 * i + 30 * (jahr - 2019)


def unter18(i: int, jahr: int) -> int:
    return int(einwohner(i, jahr) * (0.14 + 0.005 * (i % 5)))


def ab65(i: int, jahr: int) -> int:
    return int(einwohner(i, jahr) * (0.18 + 0.01 * (i % 4)))


def sgb2(i: int, jahr: int) -> float:
    return round(5 + i * 0.9 + (jahr - 2019) * 0.2, 1)


def gebiete_shapefile(ordner: Path) -> Path:
    """stadtteile.shp (+ .shx, .dbf, .prj, .cpg) in ``ordner``."""
    rows = []
    for i, name in enumerate(STADTTEILE):
        x, y = 440000 + (i % 4) * 1500, 5760000 + (i // 4) * 1500
        bezirk = str(i % 4 + 1)
        rows.append({"STT_NR": kennung(i), "STT_NAME": name, "SBZ_NR": bezirk, "SBZ_NAME": BEZIRKE[bezirk],
                     "geometry": shapely.box(x, y, x + 1500, y + 1500)})
    ordner.mkdir(parents=True, exist_ok=True)
    ziel = ordner / "stadtteile.shp"
    gpd.GeoDataFrame(rows, crs="EPSG:25832").to_file(ziel, engine="pyogrio")
    return ziel


def gebiete_zip(ordner: Path) -> Path:
    """The Shapefile packed as the browser upload takes it."""
    shp = gebiete_shapefile(ordner / "shape")
    ziel = ordner / "stadtteile.zip"
    with zipfile.ZipFile(ziel, "w") as archiv:
        for teil in sorted(shp.parent.glob("stadtteile.*")):
            archiv.write(teil, teil.name)
    return ziel


KOPF = ["Stadtteil", "Einwohner", "unter 18-Jährige", "65 Jahre und älter", "SGB-II-Quote"]


def _zeile(i: int, jahr: int) -> list:
    return [f"{kennung(i)} {STADTTEILE[i]}", einwohner(i, jahr), unter18(i, jahr), ab65(i, jahr), sgb2(i, jahr)]


def sozialatlas_blaetter(ziel: Path) -> Path:
    """One sheet per year, two title lines, „01 Altstadt“, a totals row and a source note."""
    wb = xlsxwriter.Workbook(ziel)
    for jahr in JAHRE:
        ws = wb.add_worksheet(str(jahr))
        ws.write(0, 0, f"Sozialatlas Beispielstadt {jahr}")
        ws.write(1, 0, "Stand: 31.12., Einwohner mit Hauptwohnsitz")
        for j, k in enumerate(KOPF):
            ws.write(3, j, k)
        for i in range(len(STADTTEILE)):
            for j, v in enumerate(_zeile(i, jahr)):
                ws.write(4 + i, j, v)
        r = 4 + len(STADTTEILE)
        ws.write(r, 0, "Stadt insgesamt")
        ws.write_number(r, 1, sum(einwohner(i, jahr) for i in range(len(STADTTEILE))))
        ws.write(r + 2, 0, "Quelle: Stadt Beispielstadt, Statistikstelle")
    wb.close()
    return ziel


def sozialatlas_jahr_csv(ziel: Path) -> Path:
    """A CSV export with a Jahr column, names only (spelt differently from the boundary file), title lines."""
    zeilen = ["Sozialatlas Beispielstadt 2019–2023", "", ";".join(["Stadtteil", "Jahr", *KOPF[1:]])]
    schreibweisen = {"St. Johann": "Sankt Johann", "Neustadt-Süd": "Neustadt Sued", "Mühlenweg": "MÜHLENWEG"}
    for jahr in JAHRE:
        for i, name in enumerate(STADTTEILE):
            werte = _zeile(i, jahr)[1:]
            zeilen.append(";".join([schreibweisen.get(name, name), str(jahr), *(str(v) for v in werte[:3]),
                                    f"{werte[3]:.1f}".replace(".", ",")]))
    zeilen += ["", "Quelle: Stadt Beispielstadt"]
    ziel.write_text("\n".join(zeilen) + "\n", encoding="utf-8")
    return ziel


def sozialatlas_zweizeilig(ziel: Path) -> Path:
    """One sheet, the years over the indicator columns (merged cells), names only."""
    wb = xlsxwriter.Workbook(ziel)
    ws = wb.add_worksheet("Zeitreihe")
    ws.write(0, 0, "Sozialatlas Beispielstadt, Zeitreihe")
    ws.write(2, 0, "Stadtteil")
    for b, jahr in enumerate(JAHRE):
        ws.merge_range(2, 1 + 4 * b, 2, 4 + 4 * b, jahr)
        for k, m in enumerate(KOPF[1:]):
            ws.write(3, 1 + 4 * b + k, m)
    for i, name in enumerate(STADTTEILE):
        ws.write(4 + i, 0, name)
        for b, jahr in enumerate(JAHRE):
            for k, v in enumerate(_zeile(i, jahr)[1:]):
                ws.write(4 + i, 1 + 4 * b + k, v)
    wb.close()
    return ziel

"""Boundaries: GeoJSON, zipped Shapefile or GeoPackage in any CRS → Raum records.

Geometries are read with pyogrio (GDAL), reprojected to WGS84 with pyproj and
repaired with shapely's ``make_valid`` when that changes the area by less than
0.1 %; otherwise they are rejected with the reason. A new scheme gets validity
dates; the previous records of the level are ended the day before, never deleted.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from fis.format import fmt_zahl, upload_name
from fis.ingest.bericht import Pruefbericht
from fis.ingest.grenzen import ist_text, zip_entpacken, zip_oeffnen
from fis.ingest.isolation import isoliert
from fis.ingest.lage import lage_fuer_raumlieferung
from fis.ingest.lesen import ImportFehler, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import Kontext, anwenden
from fis.ingest.raumregeln import RAUM_FASSUNG, RAUM_OBJEKTE
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import parse_stichtag, vortag
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

Progress = Callable[[float, str], None]
GEO_ENDUNGEN = (".geojson", ".json", ".zip", ".gpkg", ".shp")
_SHAPE_TEILE = (".shp", ".shx", ".dbf")
DEUTSCHLAND = (5.5, 47.2, 15.5, 55.1)      # lon/lat box for the plausibility warning
MAX_FLAECHENAENDERUNG = 0.001             # repairs that change the area more are rejected


@dataclass(frozen=True)
class RaumZuordnung:
    """How a boundary file becomes Raum records of one level."""

    kennung: str                              # column with the id
    name: str                                 # column with the name
    ebene: int
    gueltig_von: date
    gueltig_bis: date | None = None
    parent_spalte: str | None = None          # column with the parent id
    parent_praefix: int | None = None         # parent id = first n characters of the id
    parent_fest: str | None = None            # one parent for all (e.g. the city)
    crs: str | None = None                    # e.g. "EPSG:25833" if the file names none
    kennung_ersetzen: dict[int, str] = field(default_factory=dict)   # feature no. → id
    bisherige_beenden: bool = True
    layer: str | None = None

    @classmethod
    def aus_dict(cls, data: dict, herkunft: str = "Zuordnung") -> RaumZuordnung:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ImportFehler(f"{herkunft}: unbekannte Schlüssel {', '.join(unknown)}. "
                               f"Erlaubt sind: {', '.join(sorted(known))}.")
        missing = [k for k in ("kennung", "name", "ebene", "gueltig_von") if not data.get(k)]
        if missing:
            raise ImportFehler(f"{herkunft}: bitte angeben: {', '.join(missing)}.")
        data = dict(data)
        falsch = [k for k, v in data.items() if k != "kennung_ersetzen" and not ist_text(v)]
        if falsch or not isinstance(data.get("kennung_ersetzen") or {}, dict):
            raise ImportFehler(f"{herkunft}: " + ", ".join(f"„{k}“" for k in falsch or ["kennung_ersetzen"])
                               + " hat die falsche Form (erwartet: ein einzelner Wert; „kennung_ersetzen“: "
                               "Abschnitt „Stelle: Zeichen“).")
        for key in ("gueltig_von", "gueltig_bis"):
            if data.get(key) is not None and not isinstance(data[key], date):
                data[key] = parse_stichtag(str(data[key]))
        try:
            data["kennung_ersetzen"] = {int(k): str(v) for k, v in (data.get("kennung_ersetzen") or {}).items()}
            data["ebene"] = int(data["ebene"])
        except (TypeError, ValueError) as exc:
            raise ImportFehler(f"{herkunft}: „ebene“ und die Stellen in „kennung_ersetzen“ müssen ganze Zahlen "
                               "sein.") from exc
        return cls(**data)


@dataclass
class RaumVorbereitung:
    dateiname: str
    sha256: str
    zuordnung: RaumZuordnung
    raeume: pd.DataFrame            # rows for the raum table (geometry as GeoJSON)
    schliessungen: pd.DataFrame     # raum_id, gueltig_von, gueltig_bis of ended records
    bericht: Pruefbericht
    crs_quelle: str
    spalten: list[str]

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and len(self.raeume) > 0


# --------------------------------------------------------------------------- reading

def _entpacke(data: bytes, dateiname: str, ziel: Path) -> Path:
    archive = zip_oeffnen(data, dateiname)          # member count and unpacked size first
    names = [n for n in archive.namelist() if not n.endswith("/") and "__MACOSX" not in n]
    for name in names:
        if Path(name).is_absolute() or ".." in Path(name).parts or "\\" in name or ":" in name:
            raise ImportFehler(f"„{dateiname}“ enthält unzulässige Pfade ({name}).")
    lower = [n.lower() for n in names]
    shp = [n for n in names if n.lower().endswith(".shp")]
    gpkg = [n for n in names if n.lower().endswith((".gpkg", ".geojson", ".json"))]
    if not shp and not gpkg:
        if any(n.endswith((".dbf", ".shx", ".prj")) for n in lower):
            raise ImportFehler(f"Im ZIP „{dateiname}“ fehlt die .shp-Datei (vorhanden: "
                               f"{', '.join(Path(n).name for n in names[:8])}). Ein Shapefile besteht aus "
                               ".shp, .shx, .dbf und .prj; bitte alle Teile zusammen zippen.")
        raise ImportFehler(f"Im ZIP „{dateiname}“ liegt keine Geodatei (.shp, .gpkg, .geojson).")
    if len(shp) > 1:
        raise ImportFehler(f"Im ZIP „{dateiname}“ liegen mehrere Shapefiles ({', '.join(shp)}); bitte je "
                           "Raumebene ein ZIP liefern.")
    if shp:
        stem = shp[0][:-4]
        missing = [ext for ext in _SHAPE_TEILE if f"{stem}{ext}".lower() not in lower]
        if missing:
            raise ImportFehler(f"Im ZIP „{dateiname}“ fehlen Teile des Shapefiles: {', '.join(missing)}.")
    zip_entpacken(data, dateiname, ziel, names)     # counting the real sizes, whatever the header says
    return ziel / (shp[0] if shp else gpkg[0])


def lies_geodaten(data: bytes, dateiname: str, layer: str | None = None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a boundary file; returns the frame and the layers the file has. In the app server the native
    reader (GDAL) runs in a helper process (fis.ingest.isolation): a crash on a malicious file cannot
    take the server down."""
    return isoliert(_lies_geodaten, data, dateiname, layer, was=f"„{upload_name(dateiname)}“")


def _lies_geodaten(data: bytes, dateiname: str, layer: str | None = None) -> tuple[gpd.GeoDataFrame, list[str]]:
    dateiname = pruefe_datei(data, dateiname, GEO_ENDUNGEN)
    if not data:
        raise ImportFehler(f"„{dateiname}“ ist leer.")
    suffix = Path(dateiname).suffix.lower()
    if suffix == ".shp":
        raise ImportFehler("Ein Shapefile besteht aus mehreren Dateien (.shp, .shx, .dbf, .prj). Bitte "
                           "alle zusammen als ZIP hochladen.")
    with tempfile.TemporaryDirectory(prefix="fis_geo_") as tmp:
        if data[:4] == b"PK\x03\x04" or suffix == ".zip":
            path = _entpacke(data, dateiname, Path(tmp))
        else:
            # the file name only chooses the driver by its ending; it is never part of the path
            path = Path(tmp) / f"daten{suffix if suffix in ('.gpkg', '.json', '.geojson') else '.geojson'}"
            path.write_bytes(data)
        try:
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise ImportFehler(f"„{dateiname}“ ist keine lesbare Geodatei ({str(exc).splitlines()[0][:160]}). "
                               "Erwartet: GeoJSON, GeoPackage oder ein gezipptes Shapefile.") from exc
        except Exception as exc:  # GDAL raises many kinds for broken files
            raise ImportFehler(f"„{dateiname}“ lässt sich nicht lesen ({type(exc).__name__}: "
                               f"{str(exc).splitlines()[0][:160] if str(exc) else ''}).") from exc
    if frame.empty:
        raise ImportFehler(f"„{dateiname}“ enthält keine Flächen.")
    return frame, layers


# --------------------------------------------------------------------------- checks

def _kennungen(frame: gpd.GeoDataFrame, z: RaumZuordnung) -> tuple[pd.Series, pd.DataFrame]:
    """The Kennung of every object as text, and the replacements of the mapping („kennung_ersetzen“) made."""
    column = frame[z.kennung]
    if pd.api.types.is_float_dtype(column):
        ids = column.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    else:
        ids = column.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    ids = ids.str.strip()
    ersetzt = []
    for nummer, neu in z.kennung_ersetzen.items():
        if not 1 <= nummer <= len(ids):
            raise ImportFehler(f"kennung_ersetzen: Objekt {nummer} gibt es nicht (die Datei hat {len(ids)}).")
        ersetzt.append({"zeile": nummer, "spalte": z.kennung, "wert": neu,
                        "hinweis": f"Objekt {nummer}: Kennung {ids.iloc[nummer - 1]} → {neu}"})
        ids.iloc[nummer - 1] = neu
    return ids, pd.DataFrame(ersetzt, columns=["zeile", "spalte", "wert", "hinweis"])


_TYPEN = {0: "Punkt", 1: "Linie", 2: "Ring", 4: "Multipunkt", 5: "Multilinie", 7: "Sammlung"}


def _geometrien(frame: gpd.GeoDataFrame, objekte: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Repaired polygon geometries and a mask of rejected rows; flags in ``objekte`` (``_leer``,
    ``_keine_flaeche``, ``_repariert``, ``_ungueltig``, with the geometry type or the reason in ``_grund``)."""
    geoms = frame.geometry.array
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    not_polygon = ~empty & ~np.isin(shapely.get_type_id(geoms).astype(int), (3, 6))
    grund = pd.Series(shapely.get_type_id(geoms), index=frame.index).map(_TYPEN).fillna("").astype(object)
    rejected = empty | not_polygon
    invalid = ~rejected & ~shapely.is_valid(geoms)
    fixed = geoms.copy()
    repariert, ungueltig = np.zeros(len(frame), dtype=bool), np.zeros(len(frame), dtype=bool)
    if invalid.any():
        idx = np.flatnonzero(invalid)
        grund.iloc[idx] = shapely.is_valid_reason(geoms[invalid])
        polys = []
        for g in shapely.make_valid(geoms[invalid]):
            parts = [p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)]
            polys.append(shapely.union_all(parts) if parts else shapely.Polygon())
        polys = np.array(polys, dtype=object)
        before = shapely.area(shapely.buffer(geoms[invalid], 0))
        after = shapely.area(polys)
        change = np.abs(after - before) / np.where(before > 0, before, 1)
        ok = (after > 0) & (change <= MAX_FLAECHENAENDERUNG)
        fixed[idx[ok]] = polys[ok]
        repariert[idx[ok]], ungueltig[idx[~ok]] = True, True
        rejected[idx[~ok]] = True
    objekte["_leer"], objekte["_keine_flaeche"], objekte["_grund"] = empty, not_polygon, grund.to_numpy()
    objekte["_repariert"], objekte["_ungueltig"] = repariert, ungueltig
    return pd.Series(fixed, index=frame.index), pd.Series(rejected, index=frame.index)


def vorbereiten(store: Store, data: bytes, dateiname: str, z: RaumZuordnung, oberste_ebene: int,
                stadtname: str) -> RaumVorbereitung:
    """Read, reproject, repair and check a boundary delivery (:data:`RAUM_REGELN`); nothing is written."""
    bericht = Pruefbericht(einheit="Objekt")
    frame, _ = lies_geodaten(data, dateiname, z.layer)
    dateiname = pruefe_datei(data, dateiname)
    digest = sha256(data)
    pruefe_doppelte_datei(store, digest, bericht)
    spalten = [c for c in frame.columns if c != frame.geometry.name]
    _zuordnung_pruefen(z, spalten, dateiname, oberste_ebene)
    source = _koordinatensystem(frame, z, dateiname)
    frame = frame.set_crs(source, allow_override=True)
    ids, ersetzt = _kennungen(frame, z)
    names = frame[z.name].astype(str).str.strip().where(frame[z.name].notna(), "")
    objekte = pd.DataFrame({"zeile": frame.index.to_numpy() + 1, "raum_id": ids, "name": names}, index=frame.index)
    geoms, rejected = _geometrien(frame, objekte)

    projected = gpd.GeoSeries(geoms.where(~rejected, None), crs=source)
    area_crs = source if source.is_projected else CRS.from_epsg(3035)
    flaeche = projected.to_crs(area_crs).area / 1e6
    wgs = projected.to_crs(4326)
    lage = _lage(wgs, rejected, source)
    missing = (ids == "") | (names == "")
    objekte["_doppelt"] = ids.duplicated(keep=False) & (ids != "")
    punkte = wgs.representative_point()
    objekte["_lage"] = [f"{n} · Lage {fmt_zahl(p.x, 3)} O, {fmt_zahl(p.y, 3)} N"
                        if p is not None and not p.is_empty else n for n, p in zip(names, punkte, strict=True)]
    parents = _uebergeordnete(frame, ids, z)
    neue_stadt, known_parents = _uebergeordnete_einheiten(store, parents, z, oberste_ebene)
    objekte["parent_id"] = parents
    objekte["_eltern_fehlt"] = ~parents.isin(known_parents) & ~missing
    alle = store.lade_raeume()
    kontext = Kontext(spalten={"kennung": z.kennung}, felder={
        "numerisch": pd.api.types.is_numeric_dtype(frame[z.kennung]), "lage": lage, "stadtname": stadtname,
        "neue_stadt": neue_stadt or "", "gueltig_von": f"{z.gueltig_von:%d.%m.%Y}", "ebene": z.ebene,
        "ebene_oben": z.ebene + 1, "vortag": f"{vortag(z.gueltig_von):%d.%m.%Y}"})
    andere_ebene = alle[(alle["ebene"] != z.ebene) & alle["raum_id"].isin(ids)]
    anwenden(RAUM_OBJEKTE, objekte, kontext, bericht, funde={
        "grenze_kennung_ersetzt": ersetzt,
        "grenze_andere_ebene": pd.DataFrame({"wert": andere_ebene["raum_id"].unique()})})

    ok = ~rejected & ~missing
    raeume = pd.DataFrame({
        "raum_id": ids[ok], "gueltig_von": z.gueltig_von, "gueltig_bis": z.gueltig_bis, "ebene": z.ebene,
        "name": names[ok], "parent_id": parents[ok],
        "geometrie": shapely.to_geojson(wgs[ok].array), "flaeche_km2": flaeche[ok].round(4)})
    if neue_stadt:
        union = shapely.union_all(wgs[ok].array)
        raeume = pd.concat([raeume, pd.DataFrame([{
            "raum_id": neue_stadt, "gueltig_von": z.gueltig_von, "gueltig_bis": z.gueltig_bis,
            "ebene": oberste_ebene, "name": stadtname, "parent_id": None,
            "geometrie": shapely.to_geojson(union), "flaeche_km2": round(float(flaeche[ok].sum()), 4)}])],
            ignore_index=True)
    korrektur, schliessungen = _schliessungen(alle, raeume, z)
    anwenden(RAUM_FASSUNG, objekte, kontext, bericht,
             funde={"grenze_korrektur": korrektur, "grenze_zuschnitt_endet": schliessungen})
    return RaumVorbereitung(dateiname=dateiname, sha256=digest, zuordnung=z, raeume=raeume,
                            schliessungen=schliessungen, bericht=bericht, crs_quelle=source.to_string(),
                            spalten=spalten)


def _zuordnung_pruefen(z: RaumZuordnung, spalten: list[str], dateiname: str, oberste_ebene: int) -> None:
    """The mapping fits the file and the hierarchy (German error otherwise)."""
    for role, col in (("Kennung", z.kennung), ("Name", z.name), ("Übergeordnete Einheit", z.parent_spalte)):
        if col and col not in spalten:
            raise ImportFehler(f"„{dateiname}“ hat keine Spalte „{col}“ ({role}). Vorhanden: {', '.join(spalten)}.")
    if not 1 <= z.ebene < oberste_ebene:
        raise ImportFehler(f"Ebene {z.ebene} ist nicht möglich: erlaubt sind 1 bis {oberste_ebene - 1} "
                           f"(Ebene {oberste_ebene} ist die Gesamtstadt und wird aus den Flächen gebildet).")
    if z.gueltig_bis and z.gueltig_bis < z.gueltig_von:
        raise ImportFehler("„gültig bis“ liegt vor „gültig von“.")


def _koordinatensystem(frame, z: RaumZuordnung, dateiname: str) -> CRS:
    """The file's coordinate reference system, or the one given for a file that names none."""
    if frame.crs is None and not z.crs:
        raise ImportFehler(f"„{dateiname}“ nennt kein Koordinatensystem (bei Shapefiles fehlt die .prj-Datei). "
                           "Bitte das Koordinatensystem angeben, z. B. EPSG:25832 oder EPSG:25833.")
    try:
        return CRS.from_user_input(z.crs) if z.crs else CRS.from_user_input(frame.crs)
    except CRSError as exc:
        raise ImportFehler(f"Koordinatensystem „{z.crs}“ ist unbekannt. Beispiel: EPSG:25833.") from exc


def _lage(wgs, rejected, source: CRS) -> str:
    """Coordinates outside the earth after reprojection are an error (wrong system); outside Germany the extent
    as text for the warning „Lage außerhalb Deutschlands“ (empty inside)."""
    bounds = wgs[~rejected].total_bounds if (~rejected).any() else np.array([0, 0, 0, 0])
    if (~rejected).any() and (bounds[0] < -180 or bounds[2] > 180 or bounds[1] < -90 or bounds[3] > 90
                             or not np.isfinite(bounds).all()):
        raise ImportFehler(
            f"Die Koordinaten passen nicht zum Koordinatensystem {source.to_string()} (nach der Umrechnung "
            "liegen sie außerhalb der Erde). Vermutlich ist das Koordinatensystem falsch angegeben, z. B. "
            "UTM-Koordinaten in einem GeoJSON ohne Angabe. Bitte das richtige System angeben.")
    if (~rejected).any() and (bounds[0] < DEUTSCHLAND[0] or bounds[2] > DEUTSCHLAND[2]
                             or bounds[1] < DEUTSCHLAND[1] or bounds[3] > DEUTSCHLAND[3]):
        return (f"Länge {fmt_zahl(bounds[0], 2)}–{fmt_zahl(bounds[2], 2)}, "
                f"Breite {fmt_zahl(bounds[1], 2)}–{fmt_zahl(bounds[3], 2)}")
    return ""


def _uebergeordnete(frame, ids: pd.Series, z: RaumZuordnung) -> pd.Series:
    """The parent unit of every object: from a column, a prefix of the Kennung or one fixed Kennung."""
    if z.parent_spalte:
        return frame[z.parent_spalte].astype(str).str.strip()
    if z.parent_praefix:
        return ids.str[:z.parent_praefix]
    if z.parent_fest:
        return pd.Series(z.parent_fest, index=frame.index)
    raise ImportFehler("Bitte angeben, wie die übergeordnete Einheit bestimmt wird (Spalte, Präfix der "
                       "Kennung oder feste Kennung).")


def _uebergeordnete_einheiten(store: Store, parents: pd.Series, z: RaumZuordnung, oberste_ebene: int
                              ) -> tuple[str | None, set]:
    """The parent units valid at the start of validity; a first delivery below the city creates the city (its
    Kennung is returned first)."""
    bestand = store.lade_raeume(stichtag=z.gueltig_von)
    stadt = store.lade_raeume(ebene=oberste_ebene)
    neue_stadt = None
    if z.ebene + 1 == oberste_ebene:
        wanted = set(parents.unique())
        if len(wanted) == 1 and not (wanted & set(stadt["raum_id"])):
            neue_stadt = next(iter(wanted))
    known_parents = set(bestand.loc[bestand["ebene"] == z.ebene + 1, "raum_id"])
    return neue_stadt, known_parents | ({neue_stadt} if neue_stadt else set())


def _schliessungen(alle: pd.DataFrame, raeume: pd.DataFrame, z: RaumZuordnung) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records corrected by this delivery (same start) and the current records of the level that end the day
    before (when the scheme replaces them)."""
    korrektur = alle[(alle["ebene"] == z.ebene) & alle["raum_id"].isin(raeume["raum_id"])
                     & (pd.to_datetime(alle["gueltig_von"]) == pd.Timestamp(z.gueltig_von))]
    schliessungen = pd.DataFrame(columns=["raum_id", "gueltig_von", "gueltig_bis"])
    if z.bisherige_beenden:
        offen = alle[(alle["ebene"] == z.ebene) & alle["gueltig_bis"].isna()
                     & (pd.to_datetime(alle["gueltig_von"]) < pd.Timestamp(z.gueltig_von))]
        if len(offen):
            schliessungen = offen[["raum_id", "gueltig_von"]].assign(gueltig_bis=vortag(z.gueltig_von))
    return korrektur, schliessungen


def uebernehmen(store: Store, v: RaumVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, progress: Progress | None = None) -> int:
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Raumgliederung hat Fehler und kann nicht übernommen werden:\n" + v.bericht.als_text())
    report = progress or (lambda f, t: None)
    name = bezeichnung or f"Raumgliederung Ebene {v.zuordnung.ebene} ab {v.zuordnung.gueltig_von:%d.%m.%Y}"
    with schreibsperre(store), store.transaction():
        report(0.1, "Raumgliederung wird gespeichert …")
        lid = store.insert_lieferung(Lieferung(
            art="raeume", bezeichnung=name, benutzer=benutzer, dateiname=v.dateiname, sha256=v.sha256,
            quelle=quelle, pruefergebnis={**v.bericht.zusammenfassung(), "crs": v.crs_quelle}))
        store.insert_raeume(v.raeume.assign(lieferung_id=lid))
        lage_fuer_raumlieferung(store, lid)          # the stored facilities in the new areas
        if len(v.schliessungen):
            store.insert_raum_schliessungen(v.schliessungen.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.raeume), len(v.raeume), len(v.schliessungen))
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": "raeume", "datei": v.dateiname, "raeume": len(v.raeume), "beendet": len(v.schliessungen)})
    report(1.0, "Übernommen.")
    return lid

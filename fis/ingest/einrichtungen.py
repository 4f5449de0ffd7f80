"""The facility register (Einrichtungsregister): read, check, preview, commit.

A delivery lists facilities (CSV, XLSX, GeoJSON, GeoPackage or a zipped Shapefile), one per row,
with its type from ``einrichtungen.yaml``, name, Träger, address, coordinates (WGS84 or any CRS,
reprojected) or the Sozialraum when there are none, capacities in one column per capacity type,
and the dates of opening and closing. It adds versions of the facilities that are new or changed;
facilities it does not name stay as they are (a partial delivery), a facility leaves the register by
its closing date, never by deletion. Rolling the delivery back makes the previous versions current.

Where a facility lies: :mod:`fis.ingest.lage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from fis.config import Config
from fis.format import fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.einrichtungsregeln import (
    EINRICHTUNG_ERGEBNIS,
    EINRICHTUNG_KAPAZITAETEN,
    EINRICHTUNG_KOPF,
    EINRICHTUNG_ZEILEN,
    PFLICHT,
)
from fis.ingest.lage import lage
from fis.ingest.lesen import TABELLEN_ENDUNGEN, ImportFehler, lies_tabelle, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import Kontext, anwenden
from fis.ingest.raeume import GEO_ENDUNGEN, lies_geodaten
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, parse_datum, parse_zahlen
from fis.ingest.zuordnung import namensschluessel
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ENDUNGEN = (*TABELLEN_ENDUNGEN, *GEO_ENDUNGEN)
FELDER = ("einrichtung_id", "typ", "name", "traeger", "adresse", "lon", "lat", "raum_id", "zielgruppe",
          "eroeffnet", "geschlossen")
# Column names a delivery may use for each field (compared by fis.ingest.werte.namensschluessel).
ALIASE = {
    "einrichtung_id": ("einrichtung_id", "einrichtung", "id", "kennung", "nr", "nummer", "einrichtungsnummer"),
    "typ": ("typ", "art", "einrichtungstyp", "einrichtungsart"),
    "name": ("name", "bezeichnung", "einrichtungsname"),
    "traeger": ("traeger", "traegerschaft", "traeger_name"),
    "adresse": ("adresse", "anschrift", "strasse", "standort"),
    "lon": ("lon", "lng", "laenge", "laengengrad", "x", "rechtswert", "ostwert", "easting"),
    "lat": ("lat", "breite", "breitengrad", "y", "hochwert", "nordwert", "northing"),
    "raum_id": ("raum_id", "sozialraum", "sozialraum_id", "raum"),
    "zielgruppe": ("zielgruppe", "altersgruppe"),
    "eroeffnet": ("eroeffnet", "eroeffnung", "geoeffnet_seit", "seit", "inbetriebnahme"),
    "geschlossen": ("geschlossen", "schliessung", "geschlossen_am", "geschlossen_seit"),
}
ART = "einrichtungen"
WGS84 = CRS.from_epsg(4326)
UTM = (CRS.from_epsg(25832), CRS.from_epsg(25833))      # ETRS89 / UTM 32N and 33N: German Rechts-/Hochwerte


@dataclass
class EinrichtungVorbereitung:
    dateiname: str
    sha256: str
    einrichtungen: pd.DataFrame     # rows for ``einrichtung`` (new and changed only), with ``zeile``
    kapazitaeten: pd.DataFrame      # einrichtung_id, kapazitaet, wert (of those rows)
    vergleich: pd.DataFrame         # einrichtung_id, name, art (neu/geändert/unverändert), geaendert
    bericht: Pruefbericht
    crs: str = "EPSG:4326"

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and len(self.einrichtungen) > 0


# --------------------------------------------------------------------------- reading

def _lies(data: bytes, dateiname: str, blatt: str | None, layer: str | None) -> tuple[pd.DataFrame, CRS | None]:
    """All cells as text (columns as delivered) and, for a geodata file, its CRS with lon/lat taken
    from the point geometries."""
    name = pruefe_datei(data, dateiname, ENDUNGEN)
    if name.lower().endswith(TABELLEN_ENDUNGEN):
        t = lies_tabelle(data, name, blatt)
        return t.daten.assign(_zeile=np.arange(len(t.daten)) + t.kopfzeile + 1), None
    geo, _ = lies_geodaten(data, name, layer)
    if geo.crs is None:
        raise ImportFehler(f"„{name}“ nennt kein Koordinatensystem. Bitte das Koordinatensystem angeben, "
                           "z. B. EPSG:25832.")
    geoms = geo.geometry.array
    typ = shapely.get_type_id(geoms)
    keine = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if (~keine & (typ != 0)).any():
        zeilen = np.flatnonzero(~keine & (typ != 0))[:8] + 1
        raise ImportFehler(f"„{name}“ enthält Flächen oder Linien (Objekt {', '.join(map(str, zeilen))}); "
                           "Einrichtungen sind Punkte. Bitte die Standorte als Punkte exportieren.")
    text = pd.DataFrame({c: ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                             for v in geo[c]] for c in geo.columns if c != geo.geometry.name})
    x = np.where(keine, np.nan, shapely.get_x(np.where(keine, shapely.Point(), geoms)))
    y = np.where(keine, np.nan, shapely.get_y(np.where(keine, shapely.Point(), geoms)))
    text["_x"], text["_y"], text["_zeile"] = x, y, np.arange(len(text)) + 1
    return text, CRS.from_user_input(geo.crs)


def _zuordnen(frame: pd.DataFrame, config: Config) -> tuple[dict[str, str], dict[str, str], pd.DataFrame]:
    """Which delivered column is which field and which capacity type; and the header as rows (spalte, art:
    feld, kapazitaet or empty for a column not used) for :data:`EINRICHTUNG_KOPF`."""
    spalten = {c: namensschluessel(c) for c in frame.columns if not c.startswith("_")}
    felder: dict[str, str] = {}
    for feld, aliase in ALIASE.items():
        namen = {namensschluessel(a) for a in aliase}
        treffer = next((c for c, k in spalten.items() if k in namen and c not in felder.values()), None)
        if treffer is not None:
            felder[feld] = treffer
    kap: dict[str, str] = {}
    for k in config.einrichtungen.kapazitaeten:
        namen = {namensschluessel(k.id), namensschluessel(k.name)}
        treffer = next((c for c, s in spalten.items() if s in namen), None)
        if treffer is not None:
            kap[k.id] = treffer
    fehlt = [f for f in PFLICHT if f not in felder]
    if fehlt:
        raise ImportFehler(f"Es fehlen die Spalten {', '.join(fehlt)} (Kennung, Typ und Name jeder Einrichtung). "
                           f"Vorhanden: {', '.join(spalten) or 'keine'}.")
    kopf = pd.DataFrame({"wert": list(spalten), "art": ["feld" if c in felder.values() else "kapazitaet"
                                                        if c in kap.values() else "" for c in spalten]})
    return felder, kap, kopf


def _zahlen(werte: pd.Series) -> tuple[pd.Series, pd.Series]:
    stil, _, _ = dezimalstil(werte)
    zahlen, _, falsch = parse_zahlen(werte, "punkt" if stil == "punkt" else "komma")
    return zahlen, falsch & (werte.astype(str).str.strip() != "")


# --------------------------------------------------------------------------- coordinates

def _wgs84(x: pd.Series, y: pd.Series, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    if crs == WGS84:
        return x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    t = Transformer.from_crs(crs, WGS84, always_xy=True)
    lon, lat = t.transform(x.to_numpy(dtype=float), y.to_numpy(dtype=float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _in_der_stadt(lon: np.ndarray, lat: np.ndarray, flaechen: pd.DataFrame) -> np.ndarray:
    if flaechen.empty:
        return np.ones(len(lon), dtype=bool)
    stadt = shapely.union_all(shapely.from_geojson(flaechen["geometrie"].drop_duplicates().to_numpy()))
    pts = shapely.points(np.nan_to_num(lon), np.nan_to_num(lat))
    return shapely.intersects(shapely.buffer(stadt, 0.0005), pts)       # ≈ 50 m tolerance at the edge


def _koordinaten(x: pd.Series, y: pd.Series, crs: CRS | None, flaechen: pd.DataFrame
                 ) -> tuple[np.ndarray, np.ndarray, CRS, bool]:
    """WGS84 coordinates of the delivered x/y; without a given CRS WGS84 or, for Rechts-/Hochwerte,
    the UTM zone (32 or 33) that puts more points into the city (then the last value is True: recognised)."""
    da = x.notna() & y.notna()
    if crs is not None:
        lon, lat = _wgs84(x, y, crs)
        return lon, lat, crs, False
    if not da.any():
        return x.to_numpy(dtype=float), y.to_numpy(dtype=float), WGS84, False
    xs, ys = x[da], y[da]
    if xs.abs().le(180).all() and ys.abs().le(90).all():
        if xs.between(47, 55.5).all() and ys.between(5, 15.5).all():
            raise ImportFehler("Länge und Breite sind vertauscht: in der Spalte für die Länge stehen Werte um "
                               f"{fmt_zahl(xs.median(), 1)}, in der für die Breite um {fmt_zahl(ys.median(), 1)}. "
                               "In Deutschland liegt die Länge zwischen 6 und 15, die Breite zwischen 47 und 55.")
        return x.to_numpy(dtype=float), y.to_numpy(dtype=float), WGS84, False
    if xs.between(100_000, 1_000_000).all() and ys.between(5_000_000, 6_200_000).all():
        beste = max(UTM, key=lambda c: _in_der_stadt(*_wgs84(xs, ys, c), flaechen).sum())
        lon, lat = _wgs84(x, y, beste)
        return lon, lat, beste, True
    raise ImportFehler("Die Koordinaten sind weder Länge/Breite (WGS84) noch Rechts-/Hochwerte (ETRS89/UTM). "
                       "Bitte das Koordinatensystem angeben, z. B. EPSG:25832 oder EPSG:31467 (Gauß-Krüger).")


# --------------------------------------------------------------------------- checks

def _typen(frame: pd.DataFrame, config: Config) -> pd.Series:
    """The configured type id of each row (by id or name), "" when unknown."""
    bekannt = {namensschluessel(t.id): t.id for t in config.einrichtungen.typen}
    bekannt |= {namensschluessel(t.name): t.id for t in config.einrichtungen.typen}
    return frame["typ"].map(lambda v: bekannt.get(namensschluessel(v), ""))


def _kapazitaeten(roh: pd.DataFrame, frame: pd.DataFrame, kap: dict[str, str], config: Config
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The capacities read (einrichtung_id, kapazitaet, wert) and every delivered capacity cell with its flags
    for :data:`EINRICHTUNG_KAPAZITAETEN`."""
    teile, zellen = [], []
    for k_id, spalte in kap.items():
        zahlen, falsch = _zahlen(roh[spalte])
        negativ = zahlen < 0
        erlaubt = frame["typ"].map(lambda t, k=k_id: t == "" or k in config.einrichtungen.typ(t).kapazitaeten)
        zellen.append(pd.DataFrame({"zeile": frame["zeile"], "spalte": spalte, "wert": roh[spalte].to_numpy(),
                                    "typ": frame["_typ_text"], "_keine_zahl": falsch, "_negativ": negativ,
                                    "_fremd": (zahlen > 0) & ~erlaubt}))
        da = zahlen.notna() & ~negativ
        teile.append(pd.DataFrame({"einrichtung_id": frame.loc[da, "einrichtung_id"], "kapazitaet": k_id,
                                   "wert": zahlen[da]}))
    kapazitaeten = pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(
        columns=["einrichtung_id", "kapazitaet", "wert"])
    spalten = ["zeile", "spalte", "wert", "typ", "_keine_zahl", "_negativ", "_fremd"]
    return kapazitaeten, pd.concat(zellen, ignore_index=True) if zellen else pd.DataFrame(columns=spalten)


def _daten(frame: pd.DataFrame) -> None:
    """Opening and closing dates parsed in place (the delivered text kept in ``_…_text``, unreadable ones
    flagged in ``_…_falsch``, a closing before the opening in ``_verkehrt``)."""
    for feld in ("eroeffnet", "geschlossen"):
        text = frame[feld].astype(str).str.strip()
        tage, falsch, _ = parse_datum(text)
        frame[f"_{feld}_text"], frame[f"_{feld}_falsch"] = text, falsch & (text != "")
        frame[feld] = pd.Series([t.date() if pd.notna(t) else None for t in tage], index=frame.index, dtype=object)
    frame["_verkehrt"] = [a is not None and b is not None and b <= a
                          for a, b in zip(frame["eroeffnet"], frame["geschlossen"], strict=True)]


def _doppelte(frame: pd.DataFrame, register: pd.DataFrame) -> dict[str, str]:
    """Flags ``_doppelt`` (an id twice in the file) and ``_dublette_adresse``/``_dublette_standort`` (the same
    facility under two ids: same type and name at the same address, or at the same point, in the file or the
    register); returns an example of each for the messages."""
    frame["_doppelt"] = frame["einrichtung_id"].duplicated(keep=False) & (frame["einrichtung_id"] != "")
    alle = pd.concat([frame.assign(_quelle="datei", _pos=frame.index),
                      register.assign(_quelle="register", _pos=-1)[
                          [c for c in register.columns if c in frame.columns] + ["_quelle", "_pos"]]
                      ], ignore_index=True)
    alle = alle.drop_duplicates("einrichtung_id", keep="first")
    a = alle.assign(_n=alle["name"].map(namensschluessel),
                    _a=alle.get("adresse", pd.Series("", index=alle.index)).fillna("").map(namensschluessel),
                    _lon=pd.to_numeric(alle.get("lon"), errors="coerce").round(5),
                    _lat=pd.to_numeric(alle.get("lat"), errors="coerce").round(5))
    beispiele = {}
    for art, spalten in (("adresse", ["typ", "_n", "_a"]), ("standort", ["typ", "_lon", "_lat"])):
        teil = a[a["_a"] != ""] if art == "adresse" else a
        teil = teil.dropna(subset=spalten)
        mehrfach = teil[teil.duplicated(spalten, keep=False)]
        frame[f"_dublette_{art}"] = frame.index.isin(mehrfach.loc[mehrfach["_quelle"] == "datei", "_pos"])
        gruppen = mehrfach.groupby(spalten)["einrichtung_id"].agg(lambda s: ", ".join(sorted(s)))
        beispiele[f"dublette_{art}"] = gruppen.iloc[0] if len(gruppen) else ""
    return beispiele


# --------------------------------------------------------------------------- prepare and commit

_VERGLEICH = ["typ", "name", "traeger", "adresse", "lon", "lat", "raum_id", "zielgruppe", "eroeffnet", "geschlossen"]


def _leer(v) -> bool:
    return v is None or v == "" or bool(pd.isna(v))


def _gleich(a, b) -> bool:
    if _leer(a) or _leer(b):
        return _leer(a) and _leer(b)
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-7
        except (TypeError, ValueError):
            return False
    return str(a) == str(b)


def _vergleiche(neu: pd.DataFrame, kap: pd.DataFrame, store: Store) -> pd.DataFrame:
    alt = store.lade_einrichtungen()
    alt["eroeffnet"] = pd.to_datetime(alt["eroeffnet"]).dt.date.astype(object)
    alt["geschlossen"] = pd.to_datetime(alt["geschlossen"]).dt.date.astype(object)
    alt = alt.set_index("einrichtung_id")
    alt_kap = store.lade_einrichtung_kapazitaeten().groupby("einrichtung_id").apply(
        lambda g: dict(zip(g["kapazitaet"], g["wert"], strict=True)), include_groups=False) if len(alt) else {}
    neu_kap = kap.groupby("einrichtung_id").apply(
        lambda g: dict(zip(g["kapazitaet"], g["wert"], strict=True)), include_groups=False) if len(kap) else {}
    zeilen = []
    for row in neu.itertuples(index=False):      # a register has hundreds of rows, not millions
        if row.einrichtung_id not in alt.index:
            zeilen.append((row.einrichtung_id, row.name, "neu", ""))
            continue
        vorher = alt.loc[row.einrichtung_id]
        geaendert = [c for c in _VERGLEICH if not _gleich(vorher[c], getattr(row, c))]
        if dict(alt_kap.get(row.einrichtung_id, {})) != dict(neu_kap.get(row.einrichtung_id, {})):
            geaendert.append("Kapazitäten")
        zeilen.append((row.einrichtung_id, row.name, "geändert" if geaendert else "unverändert", ", ".join(geaendert)))
    return pd.DataFrame(zeilen, columns=["einrichtung_id", "name", "art", "geaendert"])


def _standorte(store: Store, frame: pd.DataFrame, roh: pd.DataFrame, crs: str | None, geo_crs
               ) -> tuple[CRS, bool]:
    """Coordinates (lon/lat in WGS84, in ``frame``) from any coordinate system, checked against the city's
    areas (flags ``_koordinate_falsch``, ``_halb``, ``_aussen``); without coordinates the given Sozialraum
    (``_ohne``, ``_raum_fremd``). Returns the coordinate system the points came from and whether it was
    recognised from the numbers."""
    try:
        quelle = CRS.from_user_input(crs) if crs else geo_crs
    except CRSError as exc:
        raise ImportFehler(f"Koordinatensystem „{crs}“ ist unbekannt. Beispiel: EPSG:25832.") from exc
    frame["_koordinate_text"] = frame["lon"] + " / " + frame["lat"]
    if "_x" in roh:
        x, y = roh["_x"], roh["_y"]
        frame["_koordinate_falsch"] = False
    else:
        x, falsch_x = _zahlen(frame["lon"])
        y, falsch_y = _zahlen(frame["lat"])
        frame["_koordinate_falsch"] = falsch_x | falsch_y
    halb = x.isna() != y.isna()
    flaechen = store.lade_raum_versionen(1)
    lon, lat, quelle, erkannt = _koordinaten(x, y, quelle, flaechen)
    frame["lon"], frame["lat"] = np.where(halb, np.nan, lon), np.where(halb, np.nan, lat)
    da = frame["lon"].notna().to_numpy()
    drinnen = _in_der_stadt(frame["lon"].to_numpy(), frame["lat"].to_numpy(), flaechen)
    raeume = set(store.lade_raeume(ebene=1)["raum_id"])
    frame["_halb"], frame["_aussen"] = halb.to_numpy(), da & ~drinnen
    frame["_lonlat_text"] = [f"{a:.5f} / {b:.5f}" for a, b in zip(frame["lon"], frame["lat"], strict=True)]
    frame["_ohne"] = ~da & (frame["raum_id"] == "")
    frame["_raum_fremd"] = ~da & (frame["raum_id"] != "") & ~frame["raum_id"].isin(raeume)
    frame["_raum_ueberschrieben"] = da & (frame["raum_id"] != "")
    frame.loc[da, "raum_id"] = ""
    return quelle, erkannt


def vorbereiten(store: Store, config: Config, data: bytes, dateiname: str, crs: str | None = None,
                blatt: str | None = None, layer: str | None = None) -> EinrichtungVorbereitung:
    """Read and check a facility delivery against the configured types and the Raumgliederung
    (:data:`EINRICHTUNG_REGELN`); nothing is written."""
    if not config.einrichtungen.typen:
        raise ImportFehler("Es sind keine Einrichtungstypen konfiguriert (einrichtungen.yaml im Konfigurationsordner).")
    bericht = Pruefbericht()
    roh, geo_crs = _lies(data, dateiname, blatt, layer)
    name = pruefe_datei(data, dateiname)
    digest = sha256(data)
    pruefe_doppelte_datei(store, digest, bericht)
    if roh.empty:
        raise ImportFehler(f"„{name}“ enthält keine Einrichtungen.")
    felder, kap, kopf = _zuordnen(roh, config)
    kontext = Kontext(felder={
        "erwartet": ", ".join(k.id for k in config.einrichtungen.kapazitaeten),
        "erlaubt": ", ".join(f"{t.id} ({t.name})" for t in config.einrichtungen.typen)})
    anwenden(EINRICHTUNG_KOPF, kopf, kontext, bericht)
    frame = pd.DataFrame({f: roh[c].astype(str).str.strip() for f, c in felder.items()})
    for f in FELDER:
        if f not in frame:
            frame[f] = ""
    frame["zeile"] = roh["_zeile"].to_numpy()
    frame["_typ_text"] = frame["typ"]
    frame["typ"] = _typen(frame, config)
    frame["_typ_unbekannt"] = frame["typ"] == ""
    quelle, erkannt = _standorte(store, frame, roh, crs, geo_crs)
    _daten(frame)
    kapaz, zellen = _kapazitaeten(roh, frame, kap, config)
    register = store.lade_einrichtungen()
    beispiele = _doppelte(frame, register)
    kontext = Kontext(felder={**kontext.felder, **beispiele,
                              "crs_erkannt": f"{quelle.name} ({quelle.to_string()})" if erkannt else ""})
    anwenden(EINRICHTUNG_ZEILEN, frame.assign(typ=frame["_typ_text"]), kontext, bericht)
    anwenden(EINRICHTUNG_KAPAZITAETEN, zellen, kontext, bericht)

    for col in ("traeger", "adresse", "raum_id", "zielgruppe"):
        frame[col] = frame[col].where(frame[col] != "", None)
    vergleich = _vergleiche(frame, kapaz, store) if bericht.ok else pd.DataFrame(
        {"einrichtung_id": frame["einrichtung_id"], "name": frame["name"], "art": "neu", "geaendert": ""})
    behalten = vergleich.loc[vergleich["art"] != "unverändert", "einrichtung_id"]
    if bericht.ok:
        nicht_geliefert = sorted(set(register["einrichtung_id"]) - set(frame["einrichtung_id"]))
        anwenden(EINRICHTUNG_ERGEBNIS, behalten.to_frame(), kontext, bericht,
                 funde={"einrichtung_teillieferung": pd.DataFrame({"wert": nicht_geliefert})})
    return EinrichtungVorbereitung(
        dateiname=name, sha256=digest, einrichtungen=frame[frame["einrichtung_id"].isin(behalten)][
            [*FELDER, "zeile"]].rename(columns={"zeile": "_zeile"}).reset_index(drop=True),
        kapazitaeten=kapaz[kapaz["einrichtung_id"].isin(behalten)].reset_index(drop=True),
        vergleich=vergleich, bericht=bericht, crs=quelle.to_string())


def regeln_frame(config: Config) -> pd.DataFrame:
    """The supply indicators of ``einrichtungen.yaml`` as rows of ``versorgung_regel``."""
    faktor = {i.id: i.faktor for i in config.katalog.indikatoren}
    return pd.DataFrame([(v.indikator, list(v.typen), v.kapazitaet, v.zielgruppe, v.zielgruppe_feld,
                          float(faktor.get(v.indikator, 100.0))) for v in config.einrichtungen.versorgung],
                        columns=["indikator_id", "typen", "kapazitaet", "zielgruppe", "zielgruppe_feld", "faktor"])


def uebernehmen(store: Store, v: EinrichtungVorbereitung, benutzer: Benutzer | str, config: Config,
                bezeichnung: str | None = None, quelle: str | None = None, zeitpunkt: datetime | None = None) -> int:
    """Commit a checked facility delivery in one transaction: the facility versions, their capacities,
    their position in every stored version of the Sozialräume and the supply rules of the configuration.
    ``zeitpunkt``: when it was delivered (default now; the demo's history gives its own)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Das Einrichtungsregister kann nicht übernommen werden:\n" + v.bericht.als_text())
    counts = v.vergleich["art"].value_counts()
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art=ART, bezeichnung=bezeichnung or f"Einrichtungsregister ({v.dateiname})", benutzer=benutzer,
            dateiname=v.dateiname, sha256=v.sha256, quelle=quelle, zeitpunkt=zeitpunkt,
            pruefergebnis={**v.bericht.zusammenfassung(), "crs": v.crs}))
        zeilen = v.einrichtungen.drop(columns="_zeile").assign(lieferung_id=lid)
        store.insert_einrichtungen(zeilen, v.kapazitaeten.assign(lieferung_id=lid))
        store.insert_einrichtung_lage(lage(zeilen, store.lade_raum_versionen(1)))
        store.replace_versorgung_regeln(regeln_frame(config))
        store.set_lieferung_counts(lid, len(zeilen), int(counts.get("neu", 0)), int(counts.get("geändert", 0)))
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": ART, "datei": v.dateiname, "neu": int(counts.get("neu", 0)),
            "geaendert": int(counts.get("geändert", 0))})
    return lid


def vorschau(v: EinrichtungVorbereitung, config: Config) -> pd.DataFrame:
    """The rows that the delivery adds or changes, in German, for the preview."""
    e = v.einrichtungen.merge(v.vergleich[["einrichtung_id", "art", "geaendert"]], on="einrichtung_id", how="left")
    kap = v.kapazitaeten.pivot_table(index="einrichtung_id", columns="kapazitaet", values="wert", aggfunc="sum")
    namen = {k.id: k.name for k in config.einrichtungen.kapazitaeten}
    typen = {t.id: t.name for t in config.einrichtungen.typen}
    out = pd.DataFrame({
        "Zeile": e["_zeile"], "Kennung": e["einrichtung_id"], "Änderung": e["art"].fillna("neu"),
        "geändert": e["geaendert"].fillna(""), "Typ": e["typ"].map(typen).fillna(e["typ"]), "Name": e["name"],
        "Träger": e["traeger"].fillna(""), "Adresse": e["adresse"].fillna(""),
        "Länge": e["lon"].round(5), "Breite": e["lat"].round(5), "Sozialraum": e["raum_id"].fillna(""),
        "eröffnet": e["eroeffnet"], "geschlossen": e["geschlossen"]})
    for k in kap.columns:
        out[namen.get(k, k)] = e["einrichtung_id"].map(kap[k]).to_numpy()
    return out

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
from fis.format import fmt_anzahl, fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.lage import lage
from fis.ingest.lesen import TABELLEN_ENDUNGEN, ImportFehler, lies_tabelle, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.raeume import GEO_ENDUNGEN, lies_geodaten
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, parse_datum, parse_zahlen
from fis.ingest.zuordnung import namensschluessel
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ENDUNGEN = (*TABELLEN_ENDUNGEN, *GEO_ENDUNGEN)
FELDER = ("einrichtung_id", "typ", "name", "traeger", "adresse", "lon", "lat", "raum_id", "zielgruppe",
          "eroeffnet", "geschlossen")
PFLICHT = ("einrichtung_id", "typ", "name")
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


def _n(anzahl, einzahl: str, mehrzahl: str) -> str:
    """„1 Einrichtung hat“ / „3 Einrichtungen haben“ for a mask (True counts) or a collection."""
    n = int(anzahl.sum()) if hasattr(anzahl, "dtype") and anzahl.dtype == bool else len(anzahl)
    return fmt_anzahl(n, einzahl, mehrzahl)


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


def _zuordnen(frame: pd.DataFrame, config: Config, bericht: Pruefbericht) -> tuple[dict[str, str], dict[str, str]]:
    """Which delivered column is which field and which capacity type."""
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
    if not kap:
        bericht.add("Warnung", "Keine Kapazitäten",
                    "Die Datei hat keine Spalte mit einer Kapazitätsart (erwartet: "
                    f"{', '.join(k.id for k in config.einrichtungen.kapazitaeten)}); Versorgungsgrade zählen "
                    "dann 0 Plätze.")
    rest = [c for c in spalten if c not in felder.values() and c not in kap.values()]
    if rest:
        bericht.add("Hinweis", "Spalten nicht verwendet", f"Nicht verwendet: {', '.join(rest)}.")
    return felder, kap


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


def _koordinaten(x: pd.Series, y: pd.Series, crs: CRS | None, flaechen: pd.DataFrame,
                 bericht: Pruefbericht) -> tuple[np.ndarray, np.ndarray, CRS]:
    """WGS84 coordinates of the delivered x/y; without a given CRS WGS84 or, for Rechts-/Hochwerte,
    the UTM zone (32 or 33) that puts more points into the city."""
    da = x.notna() & y.notna()
    if crs is not None:
        lon, lat = _wgs84(x, y, crs)
        return lon, lat, crs
    if not da.any():
        return x.to_numpy(dtype=float), y.to_numpy(dtype=float), WGS84
    xs, ys = x[da], y[da]
    if xs.abs().le(180).all() and ys.abs().le(90).all():
        if xs.between(47, 55.5).all() and ys.between(5, 15.5).all():
            raise ImportFehler("Länge und Breite sind vertauscht: in der Spalte für die Länge stehen Werte um "
                               f"{fmt_zahl(xs.median(), 1)}, in der für die Breite um {fmt_zahl(ys.median(), 1)}. "
                               "In Deutschland liegt die Länge zwischen 6 und 15, die Breite zwischen 47 und 55.")
        return x.to_numpy(dtype=float), y.to_numpy(dtype=float), WGS84
    if xs.between(100_000, 1_000_000).all() and ys.between(5_000_000, 6_200_000).all():
        beste = max(UTM, key=lambda c: _in_der_stadt(*_wgs84(xs, ys, c), flaechen).sum())
        bericht.add("Hinweis", "Koordinatensystem erkannt",
                    f"Die Koordinaten sind Rechts-/Hochwerte; gelesen als {beste.name} ({beste.to_string()}). "
                    "Falls das nicht stimmt, bitte das Koordinatensystem angeben.")
        lon, lat = _wgs84(x, y, beste)
        return lon, lat, beste
    raise ImportFehler("Die Koordinaten sind weder Länge/Breite (WGS84) noch Rechts-/Hochwerte (ETRS89/UTM). "
                       "Bitte das Koordinatensystem angeben, z. B. EPSG:25832 oder EPSG:31467 (Gauß-Krüger).")


# --------------------------------------------------------------------------- checks

def _detail(rows: pd.Series, spalte: str, werte, hinweis) -> pd.DataFrame:
    return pd.DataFrame({"zeile": rows.to_numpy(), "spalte": spalte, "wert": werte, "hinweis": hinweis})


def _typen(frame: pd.DataFrame, config: Config, bericht: Pruefbericht) -> pd.Series:
    bekannt = {namensschluessel(t.id): t.id for t in config.einrichtungen.typen}
    bekannt |= {namensschluessel(t.name): t.id for t in config.einrichtungen.typen}
    typ = frame["typ"].map(lambda v: bekannt.get(namensschluessel(v), ""))
    falsch = typ == ""
    if falsch.any():
        bericht.add("Fehler", "Unbekannter Typ",
                    f"{_n(falsch, 'Einrichtung hat', 'Einrichtungen haben')} einen Typ, den einrichtungen.yaml "
                    f"nicht kennt (z. B. „{frame.loc[falsch, 'typ'].iloc[0]}“). Erlaubt: "
                    f"{', '.join(f'{t.id} ({t.name})' for t in config.einrichtungen.typen)}.",
                    _detail(frame.loc[falsch, "_zeile"], "typ", frame.loc[falsch, "typ"].to_numpy(), "unbekannt"))
    return typ


def _kapazitaeten(frame: pd.DataFrame, kap: dict[str, str], typ: pd.Series, config: Config,
                  bericht: Pruefbericht) -> pd.DataFrame:
    teile = []
    for k_id, spalte in kap.items():
        zahlen, falsch = _zahlen(frame[spalte])
        if falsch.any():
            bericht.add("Fehler", "Kapazität keine Zahl",
                        f"Spalte „{spalte}“: {_n(falsch, 'Angabe ist', 'Angaben sind')} keine Zahl.",
                        _detail(frame.loc[falsch, "_zeile"], spalte, frame.loc[falsch, spalte].to_numpy(),
                                "keine Zahl"))
        negativ = zahlen < 0
        if negativ.any():
            bericht.add("Fehler", "Kapazität negativ",
                        f"Spalte „{spalte}“: {_n(negativ, 'negative Angabe', 'negative Angaben')}.",
                        _detail(frame.loc[negativ, "_zeile"], spalte, frame.loc[negativ, spalte].to_numpy(),
                                "negativ"))
        erlaubt = typ.map(lambda t, k=k_id: t == "" or k in config.einrichtungen.typ(t).kapazitaeten)
        fremd = (zahlen > 0) & ~erlaubt
        if fremd.any():
            bericht.add("Warnung", "Kapazität passt nicht zum Typ",
                        f"{_n(fremd, 'Einrichtung hat', 'Einrichtungen haben')} „{spalte}“, obwohl ihr Typ "
                        "diese Kapazität nicht vorsieht; sie wird gespeichert, zählt aber in keinem Versorgungsgrad "
                        "dieses Typs.",
                        _detail(frame.loc[fremd, "_zeile"], spalte, frame.loc[fremd, spalte].to_numpy(),
                                frame.loc[fremd, "typ"].to_numpy()))
        da = zahlen.notna() & ~negativ
        teile.append(pd.DataFrame({"einrichtung_id": frame.loc[da, "einrichtung_id"], "kapazitaet": k_id,
                                   "wert": zahlen[da]}))
    return pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(columns=["einrichtung_id", "kapazitaet",
                                                                                   "wert"])


def _daten(frame: pd.DataFrame, bericht: Pruefbericht) -> pd.DataFrame:
    out = {}
    for feld in ("eroeffnet", "geschlossen"):
        text = frame[feld].astype(str).str.strip() if feld in frame else pd.Series("", index=frame.index)
        tage, falsch, _ = parse_datum(text)
        falsch = falsch & (text != "")
        if falsch.any():
            bericht.add("Fehler", "Ungültiges Datum",
                        f"„{feld}“: {_n(falsch, 'Angabe ist', 'Angaben sind')} kein Datum (erwartet TT.MM.JJJJ "
                        "oder ein Jahr).",
                        _detail(frame.loc[falsch, "_zeile"], feld, text[falsch].to_numpy(), "kein Datum"))
        out[feld] = pd.Series([t.date() if pd.notna(t) else None for t in tage], index=frame.index, dtype=object)
    verkehrt = pd.Series([a is not None and b is not None and b <= a for a, b in
                          zip(out["eroeffnet"], out["geschlossen"], strict=True)], index=frame.index)
    if verkehrt.any():
        bericht.add("Fehler", "Geschlossen vor Eröffnung",
                    f"{_n(verkehrt, 'Einrichtung schließt', 'Einrichtungen schließen')} vor oder an ihrem "
                    "Eröffnungsdatum.",
                    _detail(frame.loc[verkehrt, "_zeile"], "geschlossen", frame.loc[verkehrt, "geschlossen"].to_numpy(),
                            "vor der Eröffnung"))
    return pd.DataFrame(out, index=frame.index)


def _doppelte(frame: pd.DataFrame, register: pd.DataFrame, bericht: Pruefbericht) -> None:
    doppelt = frame["einrichtung_id"].duplicated(keep=False) & (frame["einrichtung_id"] != "")
    if doppelt.any():
        bericht.add("Fehler", "Kennung doppelt",
                    f"{_n(frame.loc[doppelt, 'einrichtung_id'].unique(), 'Kennung steht', 'Kennungen stehen')} "
                    "mehrfach in der Datei.",
                    _detail(frame.loc[doppelt, "_zeile"], "einrichtung_id",
                            frame.loc[doppelt, "einrichtung_id"].to_numpy(), "mehrfach"))
    # the same facility under two ids: same type and name at the same address or the same point
    alle = pd.concat([frame.assign(_quelle="datei"),
                      register.assign(_quelle="register", _zeile=np.nan)[
                          [c for c in register.columns if c in frame.columns] + ["_quelle", "_zeile"]]
                      ], ignore_index=True)
    alle = alle.drop_duplicates("einrichtung_id", keep="first")
    for merkmal, spalten in (("Name und Adresse", ["typ", "_n", "_a"]), ("Standort", ["typ", "_lon", "_lat"])):
        a = alle.assign(_n=alle["name"].map(namensschluessel), _a=alle.get("adresse", pd.Series("", index=alle.index))
                        .fillna("").map(namensschluessel),
                        _lon=pd.to_numeric(alle.get("lon"), errors="coerce").round(5),
                        _lat=pd.to_numeric(alle.get("lat"), errors="coerce").round(5))
        if merkmal == "Name und Adresse":
            a = a[a["_a"] != ""]
        a = a.dropna(subset=spalten)
        mehrfach = a[a.duplicated(spalten, keep=False)]
        in_datei = mehrfach[mehrfach["_quelle"] == "datei"]
        if len(in_datei):
            gruppen = mehrfach.groupby(spalten)["einrichtung_id"].agg(lambda s: ", ".join(sorted(s)))
            bsp = gruppen.iloc[0]
            bericht.add("Warnung", "Mögliche Dublette",
                        f"{_n(in_datei, 'Einrichtung', 'Einrichtungen')} gleichen Typs mit gleichem {merkmal} "
                        f"wie eine andere unter anderer Kennung (z. B. {bsp}). Bitte prüfen, ob dieselbe "
                        "Einrichtung zweimal geliefert wird.",
                        _detail(in_datei["_zeile"].astype(int), "einrichtung_id",
                                in_datei["einrichtung_id"].to_numpy(), merkmal))


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


def _standorte(store: Store, frame: pd.DataFrame, roh: pd.DataFrame, crs: str | None, geo_crs,
               bericht: Pruefbericht):
    """Coordinates (lon/lat in WGS84, in ``frame``) from any coordinate system, checked against the city's
    areas; without coordinates the given Sozialraum. Returns the coordinate system the points came from."""
    try:
        quelle = CRS.from_user_input(crs) if crs else geo_crs
    except CRSError as exc:
        raise ImportFehler(f"Koordinatensystem „{crs}“ ist unbekannt. Beispiel: EPSG:25832.") from exc
    if "_x" in roh:
        x, y = roh["_x"], roh["_y"]
    else:
        x, falsch_x = _zahlen(frame["lon"])
        y, falsch_y = _zahlen(frame["lat"])
        falsch = falsch_x | falsch_y
        if falsch.any():
            bericht.add("Fehler", "Koordinate keine Zahl",
                        f"{_n(falsch, 'Koordinate ist', 'Koordinaten sind')} keine Zahl.",
                        _detail(frame.loc[falsch, "_zeile"], "lon/lat",
                                (frame.loc[falsch, "lon"] + " / " + frame.loc[falsch, "lat"]).to_numpy(), "keine Zahl"))
    halb = x.isna() != y.isna()
    if halb.any():
        bericht.add("Fehler", "Koordinate unvollständig",
                    f"{_n(halb, 'Einrichtung hat', 'Einrichtungen haben')} nur eine Koordinate.",
                    _detail(frame.loc[halb, "_zeile"], "lon/lat", "", "nur eine Angabe"))
    flaechen = store.lade_raum_versionen(1)
    lon, lat, quelle = _koordinaten(x, y, quelle, flaechen, bericht)
    frame["lon"], frame["lat"] = np.where(halb, np.nan, lon), np.where(halb, np.nan, lat)
    da = frame["lon"].notna().to_numpy()
    drinnen = _in_der_stadt(frame["lon"].to_numpy(), frame["lat"].to_numpy(), flaechen)
    aussen = da & ~drinnen
    if aussen.any():
        bericht.add("Fehler", "Außerhalb der Stadt",
                    f"{_n(aussen, 'Einrichtung liegt', 'Einrichtungen liegen')} außerhalb des Stadtgebiets "
                    "(keine Fläche der Raumgliederung enthält sie). Stimmen Koordinaten und Koordinatensystem?",
                    _detail(frame.loc[aussen, "_zeile"], "lon/lat",
                            [f"{a:.5f} / {b:.5f}" for a, b in zip(frame.loc[aussen, "lon"], frame.loc[aussen, "lat"],
                                                                   strict=True)], "außerhalb"))
    raeume = set(store.lade_raeume(ebene=1)["raum_id"])
    ohne = ~da & (frame["raum_id"] == "")
    if ohne.any():
        bericht.add("Fehler", "Ohne Standort",
                    f"{_n(ohne, 'Einrichtung hat', 'Einrichtungen haben')} weder Koordinaten noch einen Sozialraum "
                    "(Spalte „raum_id“).", _detail(frame.loc[ohne, "_zeile"], "", "", "kein Standort"))
    fremd = ~da & (frame["raum_id"] != "") & ~frame["raum_id"].isin(raeume)
    if fremd.any():
        bericht.add("Fehler", "Unbekannter Sozialraum",
                    f"{_n(fremd, 'Einrichtung nennt', 'Einrichtungen nennen')} einen Sozialraum, den die "
                    "Raumgliederung nicht kennt.",
                    _detail(frame.loc[fremd, "_zeile"], "raum_id", frame.loc[fremd, "raum_id"].to_numpy(), "unbekannt"))
    if da.any() and (frame.loc[da, "raum_id"] != "").any():
        frame.loc[da, "raum_id"] = ""
        bericht.add("Hinweis", "Lage aus Koordinaten", "Wo Koordinaten vorliegen, bestimmen sie den Sozialraum "
                    "(zu jedem Stichtag nach der dann gültigen Raumgliederung); die Spalte „raum_id“ gilt nur ohne.")
    return quelle


def vorbereiten(store: Store, config: Config, data: bytes, dateiname: str, crs: str | None = None,
                blatt: str | None = None, layer: str | None = None) -> EinrichtungVorbereitung:
    """Read and check a facility delivery against the configured types and the Raumgliederung;
    nothing is written."""
    if not config.einrichtungen.typen:
        raise ImportFehler("Es sind keine Einrichtungstypen konfiguriert (einrichtungen.yaml im Konfigurationsordner).")
    bericht = Pruefbericht()
    roh, geo_crs = _lies(data, dateiname, blatt, layer)
    name = pruefe_datei(data, dateiname)
    digest = sha256(data)
    pruefe_doppelte_datei(store, digest, bericht)
    if roh.empty:
        raise ImportFehler(f"„{name}“ enthält keine Einrichtungen.")
    felder, kap = _zuordnen(roh, config, bericht)
    frame = pd.DataFrame({f: roh[c].astype(str).str.strip() for f, c in felder.items()})
    for f in FELDER:
        if f not in frame:
            frame[f] = ""
    frame["_zeile"] = roh["_zeile"].to_numpy()
    leer = frame[list(PFLICHT)].eq("").any(axis=1)
    if leer.any():
        bericht.add("Fehler", "Pflichtangabe fehlt", f"{_n(leer, 'Zeile', 'Zeilen')} ohne Kennung, Typ oder Name.",
                    _detail(frame.loc[leer, "_zeile"], "", "", "leer"))
    typ = _typen(frame, config, bericht)

    quelle = _standorte(store, frame, roh, crs, geo_crs, bericht)
    frame = pd.concat([frame.drop(columns=["eroeffnet", "geschlossen"]), _daten(frame, bericht)], axis=1)
    frame["typ"] = typ
    kapaz = _kapazitaeten(roh.assign(einrichtung_id=frame["einrichtung_id"], typ=frame["typ"]), kap, typ, config,
                          bericht)
    register = store.lade_einrichtungen()
    _doppelte(frame, register, bericht)

    for col in ("traeger", "adresse", "raum_id", "zielgruppe"):
        frame[col] = frame[col].where(frame[col] != "", None)
    vergleich = _vergleiche(frame, kapaz, store) if bericht.ok else pd.DataFrame(
        {"einrichtung_id": frame["einrichtung_id"], "name": frame["name"], "art": "neu", "geaendert": ""})
    behalten = vergleich.loc[vergleich["art"] != "unverändert", "einrichtung_id"]
    nicht_geliefert = sorted(set(register["einrichtung_id"]) - set(frame["einrichtung_id"]))
    if nicht_geliefert and bericht.ok:
        bericht.add("Hinweis", "Teillieferung",
                    f"{_n(nicht_geliefert, 'Einrichtung des Registers steht', 'Einrichtungen des Registers stehen')} "
                    "nicht in der Datei; sie bleiben unverändert. Eine geschlossene Einrichtung bitte mit Datum in "
                    "„geschlossen“ liefern.")
    if bericht.ok and behalten.empty:
        bericht.add("Hinweis", "Keine Änderung", "Alle Einrichtungen stimmen mit dem Register überein.")
    return EinrichtungVorbereitung(
        dateiname=name, sha256=digest, einrichtungen=frame[frame["einrichtung_id"].isin(behalten)][
            [*FELDER, "_zeile"]].reset_index(drop=True),
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

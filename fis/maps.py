"""Choropleth maps: class breaks, colour-blind-safe palettes, legends and pydeck decks.

No base map is loaded unless a tile URL is configured (``karte.kachel_url``): the
boundaries, colours and labels are drawn by deck.gl from data sent with the page.
Suppressed values get their own greys and legend entries, never a class colour.
"""

from __future__ import annotations

import base64
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping, shape

from fis.disclosure import GRUND_EINWOHNER, GRUND_FALLZAHL, GRUND_SEKUNDAER, anzeige
from fis.format import fmt_differenz, fmt_wert
from fis.palette import (
    BLUES,
    GRAU_FALLZAHL,
    GRAU_GESPERRT,
    OHNE_WERT,
    PUOR,
    RDBU,
    TOOLTIP_HINTERGRUND,
    WEISS,
    YLORRD,
)

METHODEN = {
    "quantile": "Quantile (gleich viele Gebiete je Klasse)",
    "jenks": "Natürliche Brüche (Fisher-Jenks)",
    "gleich": "Gleiche Intervalle",
    "stdabw": "Standardabweichungen um den Stadtwert",
}
STANDARD_METHODE = "quantile"


RAND = [90, 90, 90, 255]


def _rgb(hex_colour: str, alpha: int = 230) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def palette(polaritaet: str, k: int) -> list[str]:
    """Colours from the lowest to the highest class. Dark red always marks the
    unfavourable end: high values if high is bad, low values if high is good;
    neutral indicators get a blue scale without valuation."""
    k = min(max(k, 3), 7)
    if polaritaet == "hoch_schlecht":
        return YLORRD[k]
    if polaritaet == "hoch_gut":
        return list(reversed(YLORRD[k]))
    return BLUES[k]


def palette_veraenderung(polaritaet: str) -> list[str]:
    """Five colours from the strongest decrease to the strongest increase."""
    if polaritaet == "hoch_schlecht":
        return list(reversed(RDBU))      # increase = worse = red
    if polaritaet == "hoch_gut":
        return RDBU[:]                   # decrease = worse = red
    return PUOR[:]


@dataclass(frozen=True)
class Klassen:
    grenzen: tuple[float, ...]        # upper bound of each class (inclusive)
    untergrenze: float                # lowest value
    methode: str
    beschriftung: tuple[str, ...]

    def zuordnen(self, werte: np.ndarray) -> np.ndarray:
        """Class index per value (-1 for missing values)."""
        werte = np.asarray(werte, dtype=float)
        idx = np.searchsorted(np.asarray(self.grenzen), werte, side="left")
        idx = np.clip(idx, 0, len(self.grenzen) - 1)
        return np.where(np.isnan(werte), -1, idx)


def klassen(werte, methode: str = STANDARD_METHODE, k: int = 5, stadtwert: float | None = None,
            einheit: str = "", nachkommastellen: int = 1) -> Klassen:
    """Class breaks for the non-missing ``werte`` (mapclassify)."""
    import mapclassify  # pulls in scikit-learn (0,3 s at import); only class breaks need it (short CLI start)
    y = np.asarray(pd.Series(werte, dtype=float).dropna())
    if len(y) == 0:
        return Klassen((), np.nan, methode, ())
    k = int(min(max(k, 2), 7, max(len(np.unique(y)), 1)))
    if len(np.unique(y)) == 1:
        bins = np.array([y[0]])
    elif methode == "quantile":
        bins = mapclassify.Quantiles(y, k=k).bins
    elif methode == "jenks":
        with warnings.catch_warnings():   # exact Fisher-Jenks; numba would only make it faster
            warnings.simplefilter("ignore", UserWarning)
            bins = mapclassify.FisherJenks(y, k=k).bins
    elif methode == "gleich":
        bins = mapclassify.EqualInterval(y, k=k).bins
    elif methode == "stdabw":
        mitte = float(np.mean(y) if stadtwert is None or np.isnan(stadtwert) else stadtwert)
        sd = float(np.std(y))
        inner = mitte + np.array([-1.5, -0.5, 0.5, 1.5]) * sd
        bins = np.append(inner, max(y.max(), inner[-1]))
    else:
        raise ValueError(f"unbekannte Klassifizierung „{methode}“")
    bins = np.unique(np.round(np.asarray(bins, dtype=float), 10))
    lower = float(y.min())
    labels = []
    fmt = lambda v: fmt_wert(v, einheit, nachkommastellen)  # noqa: E731
    if methode == "stdabw" and len(bins) == 5:
        names = ["unter −1,5 SD", "−1,5 bis −0,5 SD", "±0,5 SD um den Stadtwert",
                 "+0,5 bis +1,5 SD", "über +1,5 SD"]
        edges = [lower, *bins[:-1]]
        labels = [f"{n} ({fmt(a)} – {fmt(b)})" for n, a, b in zip(names, edges, bins, strict=True)]
    else:
        edges = [lower, *bins[:-1]]
        labels = [fmt(b) if i == 0 and a == b else f"{fmt(a) if i == 0 else 'über ' + fmt(a)} – {fmt(b)}"
                  for i, (a, b) in enumerate(zip(edges, bins, strict=True))]
    return Klassen(tuple(float(b) for b in bins), lower, methode, tuple(labels))


def klassen_veraenderung(differenzen, einheit: str, nachkommastellen: int) -> Klassen:
    """Five classes symmetric around 0 (no change) for a change map."""
    d = np.asarray(pd.Series(differenzen, dtype=float).dropna())
    a = float(np.max(np.abs(d))) if len(d) else 0.0
    step = 10.0 ** -nachkommastellen
    a = max(a, step)
    bins = np.array([-0.6, -0.2, 0.2, 0.6, 1.0]) * a
    fmt = lambda v: fmt_differenz(v, einheit, nachkommastellen)  # noqa: E731
    labels = (f"Abnahme um mehr als {fmt(-bins[0]).lstrip('+')}",
              f"Abnahme {fmt(-bins[1]).lstrip('+')} bis {fmt(-bins[0]).lstrip('+')}",
              f"kaum verändert (±{fmt(bins[2]).lstrip('+')})",
              f"Zunahme {fmt(bins[2])} bis {fmt(bins[3])}",
              f"Zunahme um mehr als {fmt(bins[3])}")
    return Klassen(tuple(float(b) for b in bins), -a, "symmetrisch", labels)


@dataclass(frozen=True)
class Legendeneintrag:
    farbe: str
    text: str
    anzahl: int


def einfaerben(frame: pd.DataFrame, spalte: str, k: Klassen, farben: list[str],
               schwelle_text: str = "< n") -> tuple[pd.DataFrame, list[Legendeneintrag]]:
    """Colour per row of ``frame`` (columns ``spalte``, unterdrueckt, grund) and the legend
    with counts. Suppressed rows are grey, missing values white."""
    out = frame.copy()
    idx = k.zuordnen(out[spalte].to_numpy(dtype=float, na_value=np.nan)) if k.grenzen else np.full(len(out), -1)
    # Spread a palette of len(k) classes over the available colours.
    n = len(k.grenzen)
    farben_n = farben if n == len(farben) else [farben[round(i * (len(farben) - 1) / max(n - 1, 1))]
                                                for i in range(n)]
    farbe = np.array([farben_n[i] if i >= 0 else OHNE_WERT for i in idx], dtype=object)
    grund = out["grund"].fillna("").to_numpy() if "grund" in out else np.full(len(out), "")
    unterdrueckt = out["unterdrueckt"].fillna(False).to_numpy(dtype=bool)
    farbe[unterdrueckt & (grund != GRUND_SEKUNDAER)] = GRAU_FALLZAHL
    farbe[unterdrueckt & (grund == GRUND_SEKUNDAER)] = GRAU_GESPERRT
    out["farbe"] = farbe
    legende = [Legendeneintrag(farben_n[i], k.beschriftung[i], int(((idx == i) & ~unterdrueckt).sum()))
               for i in range(n)]
    primaer = int((unterdrueckt & (grund != GRUND_SEKUNDAER)).sum())
    sekundaer = int((unterdrueckt & (grund == GRUND_SEKUNDAER)).sum())
    ohne = int(((idx < 0) & ~unterdrueckt).sum())
    if primaer:
        einwohner = bool((grund == GRUND_EINWOHNER).any())
        fallzahl = bool((grund == GRUND_FALLZAHL).any())
        teile = ([schwelle_text] if fallzahl else []) + (["zu wenige Einwohner"] if einwohner else [])
        legende.append(Legendeneintrag(GRAU_FALLZAHL, f"{' / '.join(teile)} (unterdrückt)", primaer))
    if sekundaer:
        legende.append(Legendeneintrag(GRAU_GESPERRT, "gesperrt (Schutz vor Rückrechnung)", sekundaer))
    if ohne:
        legende.append(Legendeneintrag(OHNE_WERT, "kein Wert", ohne))
    return out, legende


# --------------------------------------------------------------------------- geometry

def vereinfachen(geometrien: pd.Series, toleranz: float | None = None) -> pd.Series:
    """GeoJSON text → simplified shapely geometries for display; the stored originals
    stay untouched. The default tolerance is 1/3000 of the extent, i.e. about a third of
    a pixel when the whole city fills the map. Fewer vertices keep the payload small and
    picking fast: on a machine without GPU (software WebGL, as in many VDI desktops) a
    click on Berlin's 542 PLR is only recognised as a tap if picking stays under 250 ms."""
    geoms = [shape(json.loads(g)) if isinstance(g, str) and g else None for g in geometrien]
    arr = np.array(geoms, dtype=object)
    ok = np.array([g is not None for g in geoms])
    if ok.any():
        if toleranz is None:
            minx, miny, maxx, maxy = shapely.total_bounds(arr[ok].astype(object))
            toleranz = max(maxx - minx, maxy - miny) / 3000
        arr[ok] = shapely.simplify(arr[ok].astype(object), toleranz, preserve_topology=True)
    return pd.Series(arr, index=geometrien.index)


def anzeige_geometrien(store, stichtag, ebene: int) -> pd.Series:
    """Simplified display geometries (shapely) by raum_id of the units of ``ebene`` valid at
    ``stichtag``; the stored originals stay untouched."""
    r = store.lade_raeume(stichtag=stichtag, ebene=ebene, with_geometry=True)
    return vereinfachen(r.drop_duplicates("raum_id", keep="last").set_index("raum_id")["geometrie"])


def _runden(coords, stellen: int = 5):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(c, stellen) for c in coords]
    return [_runden(c, stellen) for c in coords]


@lru_cache(maxsize=20_000)
def _geojson_geometrie(geom) -> dict:
    """GeoJSON geometry with coordinates rounded to 5 decimals, once per geometry: the display
    geometries are shared (cached) objects, and rounding 1,000 polygons on every rerun cost a
    third of the map page. Read-only: the same dict goes into every map."""
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _runden(g["coordinates"])}


def feature_collection(frame: pd.DataFrame, eigenschaften: list[str]) -> dict:
    """GeoJSON FeatureCollection from ``frame`` (column ``geometrie``: shapely) with
    the given property columns; coordinates rounded to 5 decimals (≈ 1 m)."""
    features = []
    for row in frame.itertuples(index=False):
        geom = row.geometrie
        if geom is None:
            continue
        features.append({"type": "Feature", "geometry": _geojson_geometrie(geom),
                         "properties": {p: _json_value(getattr(row, p)) for p in eigenschaften}})
    return {"type": "FeatureCollection", "features": features}


def _json_value(v):
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def ansicht(geoms: pd.Series, breite: int = 640, hoehe: int = 600) -> pdk.ViewState:
    """A view that shows all geometries in a map of about ``breite`` × ``hoehe`` pixels
    (Web Mercator: the world is 512 · 2^zoom pixels wide; latitudes stretch by 1/cos)."""
    valid = [g for g in geoms if g is not None]
    if not valid:
        return pdk.ViewState(latitude=51.0, longitude=10.0, zoom=5)
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(valid, dtype=object))
    mitte = (miny + maxy) / 2
    dx = max(maxx - minx, 1e-6)
    dy = max((maxy - miny) / np.cos(np.radians(mitte)), 1e-6)
    zoom = min(np.log2(breite * 360 / (512 * dx)), np.log2(hoehe * 360 / (512 * dy)))
    return pdk.ViewState(latitude=mitte, longitude=(minx + maxx) / 2, zoom=float(np.clip(zoom, 3, 16)))


def _pixel(lon: np.ndarray, lat: np.ndarray, view: pdk.ViewState, breite: int, hoehe: int):
    """Screen positions (pixels from the top left) of points in a Web Mercator view."""
    skala = 512 * 2 ** view.zoom / (2 * np.pi)
    def merc_y(b):
        return np.log(np.tan(np.pi / 4 + np.radians(b) / 2))
    x = breite / 2 + skala * np.radians(lon - view.longitude)
    y = hoehe / 2 - skala * (merc_y(lat) - merc_y(view.latitude))
    return x, y


def passende_beschriftung(geometrien: pd.Series, namen: pd.Series, view: pdk.ViewState, breite: int, hoehe: int,
                          schrift_px: int, belegt: list | None = None) -> pd.DataFrame:
    """Labels that fit: a name is placed inside its area only if the area is wide enough on screen and
    the label overlaps no label placed before (larger areas first). Returns raum_id, name, position
    (lon, lat); the others stay unlabelled (their names are in the tooltip and the table)."""
    g = geometrien.dropna()
    if g.empty:
        return pd.DataFrame(columns=["raum_id", "name", "position"])
    arr = np.array(list(g), dtype=object)
    punkte = shapely.point_on_surface(arr)
    b = shapely.bounds(arr)
    x, y = _pixel(np.array([p.x for p in punkte]), np.array([p.y for p in punkte]), view, breite, hoehe)
    x0, _ = _pixel(b[:, 0], b[:, 1], view, breite, hoehe)
    x1, _ = _pixel(b[:, 2], b[:, 3], view, breite, hoehe)
    texte = [str(namen.get(r, r)) for r in g.index]
    w = np.array([0.56 * schrift_px * len(t) + 6 for t in texte])
    h = schrift_px * 1.3
    reihenfolge = np.argsort(-(x1 - x0))
    belegt = [] if belegt is None else belegt        # boxes of labels placed before (e.g. the Bezirke)
    frei = []
    for i in reihenfolge:
        if w[i] > (x1[i] - x0[i]) * 1.15:        # wider than the area: it would cover its neighbours
            continue
        kasten = (x[i] - w[i] / 2, y[i] - h / 2, x[i] + w[i] / 2, y[i] + h / 2)
        if kasten[0] < 0 or kasten[2] > breite or kasten[1] < 0 or kasten[3] > hoehe:
            continue
        if any(kasten[0] < k[2] and k[0] < kasten[2] and kasten[1] < k[3] and k[1] < kasten[3] for k in belegt):
            continue
        belegt.append(kasten)
        frei.append(i)
    return pd.DataFrame({"raum_id": [g.index[i] for i in frei], "name": [texte[i] for i in frei],
                         "position": [[round(punkte[i].x, 5), round(punkte[i].y, 5)] for i in frei]})


def _textschicht(punkte: pd.DataFrame, ident: str, groesse: int, fett: bool = False) -> pdk.Layer:
    return pdk.Layer(
        "TextLayer", data=punkte[["name", "position"]], id=ident, get_position="position", get_text="name",
        get_size=groesse, get_color=[20, 20, 20, 255], font_weight="'bold'" if fett else "'normal'",
        # pydeck turns bare strings into expressions (functions); quoted ones stay literal
        size_units="'pixels'", font_family="'DejaVu Sans, Arial, sans-serif'", character_set="'auto'",
        # a light box behind each name instead of an SDF outline: crisp at small sizes, also under software WebGL
        background=True, get_background_color=[255, 255, 255, 200], background_padding=[3, 1, 3, 1])


class KompaktDeck(pdk.Deck):
    """A pydeck Deck serialised without indentation: pydeck indents by two spaces, which made a
    map of 1,000 Sozialräume 3.5 MB instead of 0.8 MB on the way to every browser."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(frame: pd.DataFrame, tooltip: str, beschriftung: bool | str = False,
         kachel_url: str | None = None, kachel_attribution: str | None = None,
         hervorheben: str | None = None, hoehe: int = 640, markiert: list[str] | None = None,
         breite: int = 640, schrift_px: int = 12, oberebene: pd.DataFrame | None = None,
         standorte: pd.DataFrame | None = None, radius_m: int | None = None) -> pdk.Deck:
    """The pydeck map: one GeoJSON layer (id ``gebiete``, pickable for selection) and,
    if asked, a text layer with the names (``beschriftung`` True: every name; "passend": only names
    that fit at ``schrift_px`` on a map of ``breite`` × ``hoehe``). ``oberebene`` (raum_id, name,
    geometrie of e.g. the Bezirke) adds their outlines and names in bold. ``frame`` needs geometrie,
    farbe, name, raum_id and the properties the ``tooltip`` text template names. ``standorte`` (facilities of
    fis.versorgung.einrichtungen) are drawn over the areas as coloured symbols, with a circle of
    ``radius_m`` metres around each if given."""
    props = sorted({"raum_id", "name", "farbe_rgba", *[p.strip("{}") for p in _tooltip_felder(tooltip)]})
    data = frame.copy()
    data["farbe_rgba"] = [_rgb(f, 0 if f == OHNE_WERT else 230) for f in data["farbe"]]
    fc = feature_collection(data, props)
    layers = [pdk.Layer(
        "GeoJsonLayer", data=fc, id="gebiete", pickable=True, stroked=True, filled=True,
        get_fill_color="properties.farbe_rgba", get_line_color=RAND, line_width_min_pixels=0.6,
        auto_highlight=True, highlight_color=[30, 30, 30, 80])]
    if markiert:
        sel = data[data["raum_id"].isin(list(markiert))]
        if len(sel):
            layers.append(pdk.Layer(
                "GeoJsonLayer", data=feature_collection(sel, ["raum_id"]), id="handlungsbedarf",
                stroked=True, filled=False, get_line_color=[123, 0, 160, 255], line_width_min_pixels=3.5))
    if hervorheben:
        sel = data[data["raum_id"] == hervorheben]
        if len(sel):
            layers.append(pdk.Layer(
                "GeoJsonLayer", data=feature_collection(sel, ["raum_id"]), id="auswahl",
                stroked=True, filled=False, get_line_color=[0, 0, 0, 255], line_width_min_pixels=3))
    view = ansicht(data["geometrie"], breite=breite, hoehe=hoehe - 30)
    if oberebene is not None and len(oberebene):
        layers.append(pdk.Layer(
            "GeoJsonLayer", data=feature_collection(oberebene, ["raum_id"]), id="oberebene", stroked=True,
            filled=False, get_line_color=[25, 25, 25, 255], line_width_min_pixels=2.5))
    if beschriftung == "passend":
        belegt: list = []
        if oberebene is not None and len(oberebene):
            ober = passende_beschriftung(oberebene.set_index("raum_id")["geometrie"],
                                         oberebene.set_index("raum_id")["name"], view, breite, hoehe - 30,
                                         int(schrift_px * 1.25), belegt)
            layers.append(_textschicht(ober, "namen_oben", int(schrift_px * 1.25), fett=True))
        geo = data.set_index("raum_id")["geometrie"]
        punkte = passende_beschriftung(geo, data.set_index("raum_id")["name"], view, breite, hoehe - 30, schrift_px,
                                       belegt)
        layers.append(_textschicht(punkte, "namen", schrift_px))
    elif beschriftung:
        pts = data[data["geometrie"].notna()]
        punkte = pd.DataFrame({
            "name": pts["name"].astype(str),
            "position": [[round(p.x, 5), round(p.y, 5)] for p in
                         shapely.point_on_surface(np.array(list(pts["geometrie"]), dtype=object))],
        })
        layers.append(_textschicht(punkte, "namen", schrift_px))
    if standorte is not None and len(standorte):
        layers.extend(einrichtungsschichten(standorte, tooltip, radius_m))
    basis: dict = {"map_provider": None}   # keeps pydeck's style sentinel: Streamlit then draws no base map
    if kachel_url:
        # A MapLibre raster style, inlined as a data: URL; the only network source is the configured server.
        style = {"version": 8, "sources": {"kacheln": {
            "type": "raster", "tiles": [kachel_url], "tileSize": 256, "attribution": kachel_attribution or ""}},
            "layers": [{"id": "kacheln", "type": "raster", "source": "kacheln"}]}
        basis = {"map_provider": "carto", "map_style": "data:application/json;base64,"
                 + base64.b64encode(json.dumps(style).encode()).decode()}
    return KompaktDeck(layers=layers, initial_view_state=view, **basis,
                    tooltip={"text": tooltip, "style": {"fontSize": "14px", "backgroundColor": TOOLTIP_HINTERGRUND,
                                                        "color": WEISS, "maxWidth": "360px"}},
                    height=hoehe)


def einrichtungsschichten(punkte: pd.DataFrame, tooltip: str, radius_m: int | None = None) -> list[pdk.Layer]:
    """Facilities as points in their type's colour with the type's symbol letter; the map's one tooltip
    template shows name, type, Träger, capacities and address through its fields."""
    felder = [p.strip("{}") for p in _tooltip_felder(tooltip)]
    texte = [("Träger: " + punkte["traeger"]).where(punkte["traeger"] != "", ""), punkte["kapazitaet_text"],
             punkte["adresse"]]
    daten = pd.DataFrame({"position": [[round(x, 6), round(y, 6)] for x, y in
                                       zip(punkte["lon"], punkte["lat"], strict=True)],
                          "farbe_punkt": [_rgb(f, 235) for f in punkte["farbe"]], "kuerzel": punkte["kuerzel"]})
    weitere = [f for f in felder if f not in ("name", "raum_id")]
    for f in felder:
        daten[f] = ""
    daten["name"], daten["raum_id"] = punkte["name"].to_numpy(), punkte["typ_name"].to_numpy()
    for f, text in zip(weitere, texte, strict=False):
        daten[f] = text.to_numpy()
    schichten = []
    if radius_m:
        schichten.append(pdk.Layer(
            "ScatterplotLayer", data=daten[["position", "farbe_punkt"]], id="einzugsbereich", get_position="position",
            get_radius=int(radius_m), radius_units="'meters'", filled=True, stroked=True,
            get_fill_color=[40, 40, 40, 28], get_line_color=[40, 40, 40, 140], line_width_min_pixels=1))
    schichten.append(pdk.Layer(
        "ScatterplotLayer", data=daten, id="einrichtungen", get_position="position", get_radius=8,
        radius_units="'pixels'", get_fill_color="farbe_punkt", stroked=True, get_line_color=[255, 255, 255, 255],
        line_width_min_pixels=1.5, pickable=True))
    schichten.append(pdk.Layer(
        "TextLayer", data=daten[["position", "kuerzel"]], id="einrichtung_symbole", get_position="position",
        get_text="kuerzel", get_size=10, size_units="'pixels'", get_color=[255, 255, 255, 255],
        font_weight="'bold'", font_family="'DejaVu Sans, Arial, sans-serif'", character_set="'auto'"))
    return schichten


def _tooltip_felder(template: str) -> list[str]:
    return re.findall(r"{[a-z_]+}", template)


# --------------------------------------------------------------------------- map views


def anzeigewert(wert, unterdrueckt, grund, schwelle, einheit, stellen, differenz=False) -> str:
    if unterdrueckt:
        return anzeige(True, grund, int(schwelle))
    if differenz:
        return fmt_differenz(wert, einheit, stellen)
    return fmt_wert(wert, einheit, stellen)



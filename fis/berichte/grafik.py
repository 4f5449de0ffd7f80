"""Static graphics for the PDF reports: maps as Altair geoshape and charts, rendered to PNG
offline with vl-convert (its fonts are built in; nothing is downloaded)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import shapely
import vl_convert as vlc

from fis import palette as P
from fis.maps import Legendeneintrag, ansicht, feature_collection, passende_beschriftung


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """PNG of an Altair chart (scale 2 ≈ 150 dpi at the size it gets on an A4 page)."""
    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)


def karte(daten: pd.DataFrame, legende: list[Legendeneintrag], titel: str = "", breite: int = 420,
          hoehe: int = 400) -> alt.HConcatChart:
    """A choropleth of ``daten`` (columns geometrie: shapely, farbe: hex) with its legend,
    the counts per class included. d3 (Vega) wants clockwise outer rings, the opposite of
    GeoJSON's right-hand rule, so the rings are turned first — otherwise each polygon would
    fill the rest of the globe."""
    flaechen = _flaechen(daten).project(type="mercator").properties(width=breite, height=hoehe)
    return _mit_legende(flaechen, legende, titel)


HOECHSTENS_NUMMERN = 60      # more unlabelled areas than this: the parent units are named instead


def _beschriftung(d: pd.DataFrame, breite: int, hoehe: int, oberebene: pd.DataFrame | None,
                  schrift_px: int = 8, oberebenen_name: str = "") -> tuple[pd.DataFrame, str]:
    """Labels of a static map: the names that fit inside their areas, numbers for the others where a
    number fits (with the key as text), none overlapping; with many small areas and a parent level the
    parent units' names instead. Returns (text, lon, lat, fett) and the key."""

    geoms = d.set_index("raum_id")["geometrie"]
    namen = d.set_index("raum_id")["name"]
    view = ansicht(geoms, breite, hoehe)
    belegt: list = []

    def rahmen(p: pd.DataFrame, fett: bool) -> pd.DataFrame:
        return pd.DataFrame({"text": p["name"], "lon": [q[0] for q in p["position"]],
                             "lat": [q[1] for q in p["position"]], "fett": fett})

    teile = []
    if oberebene is not None and len(oberebene):
        o = oberebene.set_index("raum_id")
        teile.append(rahmen(passende_beschriftung(o["geometrie"], o["name"], view, breite, hoehe, schrift_px + 1,
                                                  belegt), True))
    if oberebene is not None and len(d) > HOECHSTENS_NUMMERN:
        text = f"Beschriftet sind die {oberebenen_name}." if oberebenen_name else ""
        return (pd.concat(teile, ignore_index=True) if teile else pd.DataFrame(columns=["text", "lon", "lat", "fett"]),
                text)
    mit_namen = passende_beschriftung(geoms, namen, view, breite, hoehe, schrift_px, belegt)
    teile.append(rahmen(mit_namen, False))
    rest = [r for r in sorted(geoms.dropna().index) if r not in set(mit_namen["raum_id"])]
    nummern = pd.Series({r: str(i + 1) for i, r in enumerate(rest)})
    mit_nummer = passende_beschriftung(geoms[rest], nummern, view, breite, hoehe, schrift_px, belegt)
    teile.append(rahmen(mit_nummer, False))
    gezeigt = set(mit_nummer["raum_id"])
    schluessel = " · ".join(f"{nummern[r]} {namen.get(r, r)}" for r in rest if r in gezeigt)
    return pd.concat(teile, ignore_index=True), (f"Nummern in der Karte: {schluessel}." if schluessel else "")


def _flaechen(d: pd.DataFrame) -> alt.Chart:
    d = d[d["geometrie"].notna()].copy()
    d["geometrie"] = list(shapely.orient_polygons(d["geometrie"].to_numpy(dtype=object), exterior_cw=True))
    fc = feature_collection(d, ["farbe"])
    return alt.Chart(alt.Data(values=fc["features"])).mark_geoshape(stroke=P.WEISS, strokeWidth=0.4).encode(
        color=alt.Color("properties.farbe:N", scale=None))


def _umrisse(oberebene: pd.DataFrame) -> alt.Chart:
    o = oberebene[oberebene["geometrie"].notna()].copy()
    o["geometrie"] = list(shapely.orient_polygons(o["geometrie"].to_numpy(dtype=object), exterior_cw=True))
    o["farbe"] = P.REFERENZ
    fc = feature_collection(o, ["farbe"])
    return alt.Chart(alt.Data(values=fc["features"])).mark_geoshape(filled=False, stroke=P.REFERENZ,
                                                                    strokeWidth=1.2)


def _texte(labels: pd.DataFrame, groesse: int) -> list[alt.Chart]:
    """White halo under dark text; the parent units' names in bold."""
    schichten = []
    for fett, teil in labels.groupby("fett", sort=True):
        if teil.empty:
            continue
        basis = alt.Chart(teil[["text", "lon", "lat"]]).encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
        gewicht = "bold" if fett else "normal"
        schichten += [basis.mark_text(fontSize=groesse, fontWeight=gewicht, stroke=P.WEISS, strokeWidth=2.5,
                                      strokeOpacity=0.9, fill=P.WEISS),
                      basis.mark_text(fontSize=groesse, fontWeight=gewicht, fill=P.TEXT)]
    return schichten


def _oberebene(m, stichtag, geometrien: pd.Series | None) -> pd.DataFrame | None:
    if geometrien is None or geometrien.empty:
        return None
    namen = m.namen()
    return pd.DataFrame({"raum_id": geometrien.index, "name": [namen.get(r, r) for r in geometrien.index],
                         "geometrie": geometrien.to_numpy(dtype=object)})


def karte_mit_namen(daten: pd.DataFrame, legende: list[Legendeneintrag], m, stichtag,
                    obergeometrien: pd.Series | None = None, breite: int = 420, hoehe: int = 400,
                    ober_plural: str = "") -> tuple[alt.HConcatChart, str]:
    """:func:`karte` with the names of the areas that fit, numbers for the others (the key is returned
    as text for under the figure), and the outlines and names of the parent units (``obergeometrien``,
    e.g. the Bezirke)."""
    ober = _oberebene(m, stichtag, obergeometrien)
    labels, schluessel = _beschriftung(daten[daten["geometrie"].notna()], breite, hoehe, ober,
                                       oberebenen_name=ober_plural)
    schichten = [_flaechen(daten), *([_umrisse(ober)] if ober is not None else []), *_texte(labels, 8)]
    flaechen = alt.layer(*schichten).project(type="mercator").properties(width=breite, height=hoehe)
    return _mit_legende(flaechen, legende), schluessel


def _mit_legende(flaechen, legende: list[Legendeneintrag], titel: str = "") -> alt.HConcatChart:
    eintraege = pd.DataFrame({"farbe": [e.farbe for e in legende],
                              "text": [f"{e.text} ({e.anzahl})" for e in legende],
                              "nr": range(len(legende))})
    y = alt.Y("nr:O", axis=None)
    symbole = alt.Chart(eintraege).mark_square(size=180, stroke=P.RAHMEN, strokeWidth=0.5, opacity=1).encode(
        y=y, color=alt.Color("farbe:N", scale=None))
    texte = alt.Chart(eintraege).mark_text(align="left", dx=12, fontSize=11).encode(y=y, text="text:N")
    leg = alt.layer(symbole, texte).properties(width=20, height=22 * max(len(legende), 1), title=alt.TitleParams(
        "Legende (Anzahl Gebiete)", fontSize=11, anchor="start"))
    chart = alt.hconcat(flaechen, leg, spacing=10).configure_view(stroke=None)
    if titel:
        chart = chart.properties(title=alt.TitleParams(titel, fontSize=13, anchor="start"))
    return chart


def lagekarte(geometrien: pd.Series, raum_id: str, farbe: str, m, stichtag,
              obergeometrien: pd.Series | None = None, breite: int = 230, hoehe: int = 210) -> alt.LayerChart:
    """Where the area lies: every area of its level in light grey, the area in the city's colour, the
    parent units outlined and named where they fit."""
    d = pd.DataFrame({"raum_id": geometrien.index, "geometrie": geometrien.to_numpy(dtype=object),
                      "farbe": [farbe if r == raum_id else P.LAGE_HINTERGRUND for r in geometrien.index]})
    ober = _oberebene(m, stichtag, obergeometrien)
    schichten = [_flaechen(d)]
    if ober is not None:
        o = ober.set_index("raum_id")
        p = passende_beschriftung(o["geometrie"], o["name"], ansicht(geometrien, breite, hoehe), breite, hoehe, 8)
        labels = pd.DataFrame({"text": p["name"], "lon": [q[0] for q in p["position"]],
                               "lat": [q[1] for q in p["position"]], "fett": False})
        schichten += [_umrisse(ober), *_texte(labels, 8)]
    return alt.layer(*schichten).project(type="mercator").properties(width=breite, height=hoehe) \
        .configure_view(stroke=None)

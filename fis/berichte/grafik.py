"""Static graphics for the PDF reports: maps as Altair geoshape and charts, rendered to PNG
offline with vl-convert (its fonts are built in; nothing is downloaded)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import shapely
import vl_convert as vlc

from fis import palette as P
from fis.maps import Legendeneintrag, feature_collection


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """PNG of an Altair chart (scale 2 ≈ 150 dpi at the size it gets on an A4 page)."""
    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)


def karte(daten: pd.DataFrame, legende: list[Legendeneintrag], titel: str = "", breite: int = 420,
          hoehe: int = 400) -> alt.HConcatChart:
    """A choropleth of ``daten`` (columns geometrie: shapely, farbe: hex) with its legend,
    the counts per class included. d3 (Vega) wants clockwise outer rings, the opposite of
    GeoJSON's right-hand rule, so the rings are turned first — otherwise each polygon would
    fill the rest of the globe."""
    d = daten[daten["geometrie"].notna()].copy()
    d["geometrie"] = list(shapely.orient_polygons(d["geometrie"].to_numpy(dtype=object), exterior_cw=True))
    fc = feature_collection(d, ["farbe"])
    flaechen = alt.Chart(alt.Data(values=fc["features"])).mark_geoshape(stroke=P.WEISS, strokeWidth=0.4).encode(
        color=alt.Color("properties.farbe:N", scale=None)).project(type="mercator").properties(
        width=breite, height=hoehe)
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

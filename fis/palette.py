"""Every colour of the app, the slides and the reports, in one place (a test keeps it so).

Traffic colours mean a judgement and nothing else: the Ampel (goals, budget lines, Handlungsbedarf)
and the favourable/unfavourable ends of a valued change. Reference lines (the city, a target path),
income and expense, and the parts of a chart that carry no judgement are neutral. Ampel chips pair a
background with a text colour of at least 4.5:1 contrast (WCAG AA) and always carry symbol and word.
Map palettes are ColorBrewer's colour-blind safe schemes.
"""

from __future__ import annotations

from dataclasses import dataclass

from fis.ampel import REIHENFOLGE, Ampel

# --------------------------------------------------------------------------- Ampel


@dataclass(frozen=True)
class Ampelfarbe:
    hintergrund: str     # chip / table cell
    text: str            # on the background (≥ 4.5:1)
    kraeftig: str        # a mark in a chart or map (symbol, point)


AMPEL = {
    Ampel.ROT: Ampelfarbe("#b3261e", "#ffffff", "#c0392b"),
    Ampel.GELB: Ampelfarbe("#f2c94c", "#1a1a1a", "#e0a800"),
    Ampel.GRUEN: Ampelfarbe("#1e7b34", "#ffffff", "#1a9850"),
    Ampel.GRAU: Ampelfarbe("#d9d9d9", "#1a1a1a", "#8c8c8c"),
}
AMPEL_SYMBOL = {a: a.symbol for a in Ampel}
AMPEL_HELL = {Ampel.ROT: "#f4c7c3", Ampel.GELB: "#fde9b0", Ampel.GRUEN: "#cfe8cf", Ampel.GRAU: "#e3e3e3"}   # PDF


def ampel_aus_text(text) -> Ampel | None:
    """The Ampel colour named in a cell ('■ rot', 'rot', 'Ziel rot …'), or None."""
    if not isinstance(text, str):
        return None
    for farbe in REIHENFOLGE:
        if text == farbe or text.endswith(f" {farbe}") or text.startswith(f"{AMPEL_SYMBOL[farbe]}"):
            return farbe
    return None


def ampel_css(text) -> str:
    """CSS for a table cell holding an Ampel word ('' for anything else): pandas Styler.map."""
    farbe = ampel_aus_text(text)
    if farbe is None:
        return ""
    a = AMPEL[farbe]
    return f"background-color: {a.hintergrund}; color: {a.text}; font-weight: 600"


def kontrast(vorder: str, hinter: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours."""
    def leuchte(farbe: str) -> float:
        r, g, b = (int(farbe.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    a, b = sorted((leuchte(vorder), leuchte(hinter)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# --------------------------------------------------------------------------- neutral colours

TEXT = "#1a1a1a"
TEXT_LEISE = "#3d3d3d"
RAHMEN = "#5a5a5a"
REFERENZ = "#3a3a3a"          # the city line, a Soll path: dark grey, never a traffic colour
REFERENZ_HELL = "#8a8a8a"     # a parent level between area and city
REFERENZ_STUFEN = ["#6f6f6f", "#8a8a8a", "#a3a3a3", "#5f5f5f"]   # several parents side by side
HILFSLINIE = "#6b6b6b"
HINTERGRUND_KOPF = "#e8eef4"
TABELLENLINIE = "#b4b4b4"
WEISS = "#ffffff"
PRIMAER = "#1f5f8b"           # the app's primary colour (links, buttons); a city may set its own
IST = "#1f4e79"
ERTRAG = "#2c7bb6"            # income and expense: neutral, never red/green
AUFWAND = "#7a7a7a"
MARKIERT = "#6a3d9a"          # highlighted areas (scatter plots): violet, no valuation
UEBRIGE = "#4a78a8"
GUENSTIG = "#1a9850"          # valued change / best case
UNGUENSTIG = "#c0392b"        # valued change / worst case, trend that misses the goal

# categorical colours for up to six chosen areas (Okabe–Ito, without red and green)
AUSWAHL = ["#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#000000", "#d55e00"]
# more lines than six (e.g. nine Bezirke in a report's trend chart): Paul Tol's muted colours without
# its green and red, so that no two lines share a colour
AUSWAHL_WEITERE = ["#332288", "#44aa99", "#999933", "#882255", "#aa4499", "#88ccee"]

# external references in time series (Land, Bund, Vergleichsring): browns and olive, dotted, never a colour of
# a chosen area or of the city's own grey
VERGLEICH = ["#8c510a", "#5f7a1f", "#b35806", "#6b6b3a"]

# Facility types on the map (Okabe-Ito, colour-blind safe; no valuation), in the order of einrichtungen.yaml
EINRICHTUNGEN = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"]

# ABC classes: one hue, three lightnesses
ABC = {"A": "#08519c", "B": "#6baed6", "C": "#c6dbef"}

# --------------------------------------------------------------------------- map palettes (ColorBrewer)

YLORRD = {   # sequential, "more is worse"
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
BLUES = {    # sequential, no valuation or "more is better"
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}
RDBU = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"]   # RdYlBu: red = worse … blue = better
PUOR = ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"]   # no valuation
ZWEI_KLASSEN = ["#fecc5c", "#e31a1c"]
GRAU_FALLZAHL = "#8c8c8c"
GRAU_GESPERRT = "#5a5a5a"
OHNE_WERT = "#ffffff"            # drawn without fill: the background shows
TOOLTIP_HINTERGRUND = "#222222"
SCHWARZ = "#000000"
BESCHRIFTUNG = "#4a4a4a"      # captions and labels (8.9:1 on white)
BESCHRIFTUNG_STARK = "#262730"
SEITE_HINTERGRUND = "#f4f6f8"
FEHLER_HINTERGRUND = "#fdecea"
FEHLER_RAND = "#a61b1b"
FEHLER_TEXT = "#5f1111"
BEITRAG_BELASTEND = "#c0392b"    # index contributions: towards more / less Belastung
BEITRAG_ENTLASTEND = "#2c7fb8"


def css_variablen() -> str:
    """The palette as CSS custom properties (``--fis-text`` …) for the app's style sheets (ui/*.css use
    ``var(--fis-…)``, so that no colour is written twice)."""
    namen = {"text": TEXT, "text-leise": TEXT_LEISE, "schwarz": SCHWARZ, "weiss": WEISS,
             "beschriftung": BESCHRIFTUNG, "beschriftung-stark": BESCHRIFTUNG_STARK, "primaer": PRIMAER,
             "rahmen": RAHMEN, **{f"ampel-{k}": v.hintergrund for k, v in AMPEL.items()},
             **{f"ampel-{k}-text": v.text for k, v in AMPEL.items()}}
    return ":root {" + " ".join(f"--fis-{k}: {v};" for k, v in namen.items()) + "}"


# --------------------------------------------------------------------------- the city's design

LAGE_HINTERGRUND = "#eeeeee"      # the other areas on a locator map
EINORDNUNG_HINTERGRUND = "#f3f6f9"


@dataclass(frozen=True)
class Gestaltung:
    """The city's corporate design (stadt.yaml „erscheinungsbild“) as reports, slides and app use it."""
    farbe: str = PRIMAER              # lines, bars, the area on a locator map
    schriftfarbe: str = PRIMAER       # headings: the colour itself if it reads on white (AA), else TEXT
    schrift: str = "Source Sans Pro"
    logo: str | None = None           # absolute path of the logo file, or None


def gestaltung(config=None) -> Gestaltung:
    """The design of ``config`` (the system's own without one)."""
    e = getattr(getattr(config, "stadt", None), "erscheinungsbild", None)
    if e is None:
        return Gestaltung()
    farbe = (e.hauptfarbe or PRIMAER).lower()
    logo = str((config.verzeichnis / e.logo).resolve()) if e.logo else None
    return Gestaltung(farbe=farbe, schriftfarbe=farbe if kontrast(farbe, WEISS) >= 4.5 else TEXT,
                      schrift=e.schrift, logo=logo)


def css_gestaltung(g: Gestaltung) -> str:
    """The design's colour as a CSS custom property (``--fis-haus``) for the app header and the slides."""
    return ":root {" + f"--fis-haus: {g.farbe}; --fis-haus-schrift: {g.schriftfarbe};" + "}"

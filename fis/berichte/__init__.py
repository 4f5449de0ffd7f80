"""PDF reports with Typst (offline; fonts embedded; German hyphenation), built from the same
fis functions as the pages. Content is handed to the template as JSON, so names and texts
from deliveries are always set as text, never evaluated as markup.

Reports (fis.berichte.inhalte): Abweichungsbericht (controlling), Sozialraum-Steckbrief (one
area, or all areas of a parent unit in one file), Monitoringbericht with static maps and trend
charts, Sozialindex-Bericht, Produktdatenblatt (one product or a whole Produktgruppe).

A report, not a data annex: the management summary „Auf einen Blick“ comes first (key figures with
their change, goals per Ampel, the largest deviations, Handlungsbedarf, the Einordnung der
Sozialplanung); a table of contents only when the report has more than six pages; table headers are
never hyphenated and table rows never split across pages; the city's design (logo, colour, one of the
bundled fonts) from stadt.yaml.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pandas as pd
import typst

from fis import palette as P
from fis.disclosure import HINWEIS_GEHEIMHALTUNG
from fis.format import fmt_datum

VORLAGE = Path(__file__).with_name("vorlage.typ")
GEHEIMHALTUNG = HINWEIS_GEHEIMHALTUNG


@dataclass
class Tabelle:
    titel: str
    frame: pd.DataFrame
    breiten: list[str] | None = None      # Typst column widths, e.g. "auto", "1fr", "3cm"
    rechts: list[int] = field(default_factory=list)
    ampel_spalte: int | None = None       # cells hold „rot“/„gelb“/„grün“/„grau“ → coloured
    fett: list[int] = field(default_factory=list)   # row numbers (0 = first data row) set in bold


@dataclass
class Bild:
    titel: str
    png: bytes
    breite: str = "100%"                  # of the text width
    legende: str = ""                     # e.g. the key of numbered areas, set small under the figure


@dataclass
class Abschnitt:
    titel: str
    ebene: int = 1
    absaetze: list[str] = field(default_factory=list)
    tabellen: list[Tabelle] = field(default_factory=list)
    ampel: dict | None = None             # farbe, wort, text
    bilder: list[Bild] = field(default_factory=list)
    einordnung: list[dict] = field(default_factory=list)   # titel, text, zeile (fis.einordnung)


@dataclass
class Zusammenfassung:
    """The page „Auf einen Blick“ that opens a report."""
    saetze: list[str] = field(default_factory=list)          # the key messages
    kennzahlen: Tabelle | None = None                        # key figures with their change
    ampel: dict[str, int] | None = None                      # goals per Ampel (rot, gelb, grün, grau)
    ampel_titel: str = "Ziele nach Ampel"
    abweichungen: Tabelle | None = None                      # the 3–5 largest deviations
    einordnung: list[dict] = field(default_factory=list)     # titel, text, zeile


@dataclass
class Bericht:
    titel: str
    untertitel: str
    stadt: str
    stichtag: date
    datenstand: str
    lieferung: str
    abschnitte: list[Abschnitt]
    quellen: list[str]
    hinweise: list[str]
    inhalt_tiefe: int = 2                 # heading levels in the table of contents
    zusammenfassung: Zusammenfassung | None = None
    gestaltung: P.Gestaltung = field(default_factory=P.Gestaltung)
    inhalt_ab_seiten: int = 7             # a table of contents from this many pages on


MITGELIEFERTE_SCHRIFTEN = ("font_source_sans_pro", "font_lato")   # pip packages with the font files (OFL)


def schriftordner() -> list[str]:
    """Folders of the bundled fonts (Typst's own are built in)."""
    ordner = []
    for paket in MITGELIEFERTE_SCHRIFTEN:
        try:
            ordner.append(str(resources.files(paket) / "files"))
        except ModuleNotFoundError:
            continue
    return ordner


def _text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    return str(v)


TEXTBREITE_CM = 17.0                      # A4 with 2 cm margins


def _quer(t: Tabelle) -> list[int]:
    """Columns whose header is set upright (rotated): only in a table too wide for the page with
    headers that never hyphenate, and only auto-sized columns where the header's longest word, not the
    values, makes the column wide (e.g. „Migrationshintergrund u21“ over „77,5 %“). Widths estimated
    at 8.5 pt."""
    def wort(text: str) -> int:
        return max((len(w) for w in text.split()), default=0)

    kopf = [wort(str(c)) * 0.17 for c in t.frame.columns]
    zellen = [max(((len(z) if len(z) <= 14 else wort(z)) * 0.15 for z in map(_text, t.frame.iloc[:, i])),
                  default=0.0) for i in range(len(t.frame.columns))]
    if sum(max(k, z) + 0.3 for k, z in zip(kopf, zellen, strict=True)) <= TEXTBREITE_CM:
        return []
    breiten = t.breiten or ["auto"] * len(t.frame.columns)
    lang = 8 * 0.17                          # shorter words („Index“, „Rang“) stay level
    return [i for i, (k, z) in enumerate(zip(kopf, zellen, strict=True))
            if k > z + 0.2 and k >= lang and breiten[i] == "auto"]


def _tabelle(t: Tabelle) -> dict:
    return {"titel": t.titel, "kopf": [str(c) for c in t.frame.columns], "quer": _quer(t),
            "zeilen": [[_text(v) for v in zeile] for zeile in t.frame.itertuples(index=False)],
            "breiten": t.breiten or ["auto"] * len(t.frame.columns), "rechts": t.rechts,
            "ampel_spalte": t.ampel_spalte, "fett": t.fett}


def _zusammenfassung(z: Zusammenfassung | None) -> dict | None:
    if z is None:
        return None
    return {"saetze": z.saetze, "kennzahlen": _tabelle(z.kennzahlen) if z.kennzahlen is not None else None,
            "ampel": [{"farbe": f, "anzahl": n} for f, n in (z.ampel or {}).items()] if z.ampel else None,
            "ampel_titel": z.ampel_titel, "einordnung": z.einordnung,
            "abweichungen": _tabelle(z.abweichungen) if z.abweichungen is not None else None}


def _kompilieren(bericht: Bericht, fmt: str = "pdf", ppi: int | None = None):
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        (root / "vorlage.typ").write_text(VORLAGE.read_text(encoding="utf-8"), encoding="utf-8")
        abschnitte = []
        for i, a in enumerate(bericht.abschnitte):
            bilder = []
            for j, bild in enumerate(a.bilder):
                datei = f"bild_{i}_{j}.png"
                (root / datei).write_bytes(bild.png)
                bilder.append({"titel": bild.titel, "datei": datei, "breite": bild.breite, "legende": bild.legende})
            abschnitte.append({"titel": a.titel, "ebene": a.ebene, "absaetze": a.absaetze, "ampel": a.ampel,
                               "bilder": bilder, "einordnung": a.einordnung,
                               "tabellen": [_tabelle(t) for t in a.tabellen]})
        g = bericht.gestaltung
        logo = None
        if g.logo and Path(g.logo).is_file():
            logo = "logo" + Path(g.logo).suffix.lower()
            (root / logo).write_bytes(Path(g.logo).read_bytes())
        daten = {"titel": bericht.titel, "untertitel": bericht.untertitel, "stadt": bericht.stadt,
                 "stichtag": fmt_datum(bericht.stichtag), "datenstand": bericht.datenstand,
                 "lieferung": bericht.lieferung, "erstellt": f"{datetime.now():%d.%m.%Y %H:%M}",
                 "hinweis_titel": "Erstellt mit FIS Sozialplanung. " + GEHEIMHALTUNG,
                 "abschnitte": abschnitte, "quellen": bericht.quellen, "hinweise": bericht.hinweise,
                 "inhalt_tiefe": bericht.inhalt_tiefe, "inhalt_ab_seiten": bericht.inhalt_ab_seiten,
                 "zusammenfassung": _zusammenfassung(bericht.zusammenfassung),
                 "gestaltung": {"schrift": g.schrift, "logo": logo},
                 "farben": {**P.AMPEL_HELL, "leise": P.TEXT_LEISE, "linie": P.TABELLENLINIE,
                            "kopf": P.HINTERGRUND_KOPF, "haus": g.farbe, "haus_schrift": g.schriftfarbe,
                            "einordnung": P.EINORDNUNG_HINTERGRUND, "text": P.TEXT,
                            "chip": {f: {"hg": a.hintergrund, "text": a.text} for f, a in P.AMPEL.items()}}}
        (root / "daten.json").write_text(json.dumps(daten, ensure_ascii=False), encoding="utf-8")
        kwargs = {"format": fmt, "ppi": ppi} if fmt == "png" else {}
        return typst.compile(str(root / "vorlage.typ"), root=str(root), ignore_system_fonts=True,
                             font_paths=schriftordner(), **kwargs)


def pdf(bericht: Bericht) -> bytes:
    """The report as PDF bytes."""
    return _kompilieren(bericht)


def png_seiten(bericht: Bericht, ppi: int = 80) -> list[bytes]:
    """Every page as PNG (for checks and previews)."""
    seiten = _kompilieren(bericht, "png", ppi)
    return seiten if isinstance(seiten, list) else [seiten]

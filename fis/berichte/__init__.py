"""PDF reports with Typst (offline; fonts embedded; German hyphenation), built from the same
fis functions as the pages. Content is handed to the template as JSON, so names and texts
from deliveries are always set as text, never evaluated as markup.

Reports (fis.berichte.inhalte): Abweichungsbericht (controlling), Sozialraum-Steckbrief (one
area, or all areas of a parent unit in one file), Monitoringbericht with static maps and trend
charts, Sozialindex-Bericht, Produktdatenblatt (one product or a whole Produktgruppe).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
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


@dataclass
class Abschnitt:
    titel: str
    ebene: int = 1
    absaetze: list[str] = field(default_factory=list)
    tabellen: list[Tabelle] = field(default_factory=list)
    ampel: dict | None = None             # farbe, wort, text
    bilder: list[Bild] = field(default_factory=list)


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


def _text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    return str(v)


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
                bilder.append({"titel": bild.titel, "datei": datei, "breite": bild.breite})
            abschnitte.append({
                "titel": a.titel, "ebene": a.ebene, "absaetze": a.absaetze, "ampel": a.ampel, "bilder": bilder,
                "tabellen": [{"titel": t.titel, "kopf": [str(c) for c in t.frame.columns],
                              "zeilen": [[_text(v) for v in zeile] for zeile in t.frame.itertuples(index=False)],
                              "breiten": t.breiten or ["auto"] * len(t.frame.columns), "rechts": t.rechts,
                              "ampel_spalte": t.ampel_spalte, "fett": t.fett} for t in a.tabellen]})
        daten = {"titel": bericht.titel, "untertitel": bericht.untertitel, "stadt": bericht.stadt,
                 "stichtag": fmt_datum(bericht.stichtag), "datenstand": bericht.datenstand,
                 "lieferung": bericht.lieferung, "erstellt": f"{datetime.now():%d.%m.%Y %H:%M}",
                 "hinweis_titel": "Erstellt mit FIS Sozialplanung. " + GEHEIMHALTUNG,
                 "abschnitte": abschnitte, "quellen": bericht.quellen, "hinweise": bericht.hinweise,
                 "inhalt_tiefe": bericht.inhalt_tiefe,
                 "farben": {**P.AMPEL_HELL, "leise": P.TEXT_LEISE, "linie": P.TABELLENLINIE,
                            "kopf": P.HINTERGRUND_KOPF}}
        (root / "daten.json").write_text(json.dumps(daten, ensure_ascii=False), encoding="utf-8")
        kwargs = {"format": fmt, "ppi": ppi} if fmt == "png" else {}
        return typst.compile(str(root / "vorlage.typ"), root=str(root), ignore_system_fonts=True, **kwargs)


def pdf(bericht: Bericht) -> bytes:
    """The report as PDF bytes."""
    return _kompilieren(bericht)


def png_seiten(bericht: Bericht, ppi: int = 80) -> list[bytes]:
    """Every page as PNG (for checks and previews)."""
    seiten = _kompilieren(bericht, "png", ppi)
    return seiten if isinstance(seiten, list) else [seiten]

"""The shape of a delivered table, whatever its format: where the header row is, title lines and footnotes
around the table, duplicate and empty column names, cell clean-up and the limits of a sane table."""

from __future__ import annotations

import re

import pandas as pd

from fis.format import fmt_zahl
from fis.ingest.grenzen import ImportFehler

MAX_SPALTEN = 2000


MAX_ZELLE = 100_000          # characters; longer cells are not data but garbage


# Lines below a table that are no data: source notes, footnotes, signs legends.
FUSSNOTE = re.compile(r"^\s*(quelle|quellen|datenquelle|anmerkung|anmerkungen|hinweis|hinweise|stand\b|"
                       r"fu(ß|ss)note|erl(ä|ae)uterung|legende|zeichenerkl(ä|ae)rung|\*|\d{1,2}\)|©|\(c\))",
                       re.IGNORECASE)


def gefuellt(row: list) -> int:
    return sum(1 for v in row if str(v).strip() not in ("", "None"))


def kopfzeile_finden(rows: list[list]) -> int:
    """Index of the header among the first rows: the first row that fills most of the table's
    width (title lines fill one cell, blank lines none)."""
    filled = [gefuellt(r) for r in rows]
    breite = max(filled, default=0)
    if breite <= 1:
        return next((i for i, n in enumerate(filled) if n), 0)
    schwelle = max(2, -(-breite * 6 // 10))       # at least 60 % of the widest row
    for i, n in enumerate(filled):
        if n >= schwelle:
            return i
    return 0


def ist_fussnote(row: list) -> bool:
    cells = [str(v).strip() for v in row if str(v).strip() not in ("", "None")]
    return len(cells) == 1 and bool(FUSSNOTE.match(cells[0]))


def hinweis_kopf(dateiname: str, kopf: int, ueber: list[str]) -> str:
    titel = [t for t in ueber if t]
    text = f"Kopfzeile in Zeile {kopf} erkannt"
    if titel:
        text += f"; darüber übersprungen: {'; '.join(f'„{t[:60]}“' for t in titel[:3])}"
    return text + ". Falls das nicht stimmt, bitte „Kopfzeile in Zeile“ angeben."


def fussnoten_abschneiden(text: str) -> tuple[str, list[str]]:
    """Footnotes and blank lines below the table („Quelle: …“, „* vorläufig“) cut off, read from the end
    (a large file is copied only if there is something to cut); returns the text and the footnotes."""
    fussnoten = []
    ende = len(text)
    while True:
        schluss = ende
        while schluss > 0 and text[schluss - 1] in "\r\n":
            schluss -= 1
        anfang = text.rfind("\n", 0, schluss) + 1
        if anfang == 0:                       # the first line is the header, never a footnote
            break
        zeile = re.sub(r'[;,\t|"]+\s*$', "", text[anfang:schluss]).strip().strip('"')
        if zeile.strip(';,\t|" ') and not (FUSSNOTE.match(zeile) and not re.search(r"[;\t|]", zeile)):
            break
        if zeile.strip(';,\t|" '):
            fussnoten.append(zeile)
        ende = anfang
    return (text[:ende] if fussnoten else text), fussnoten


def spaltenschluessel(name: str) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().lower()


def doppelte_koepfe(header: list[str], dateiname: str, zeile: int) -> None:
    """Two columns with the same heading: which of them is meant cannot be guessed (pandas would take
    the first and rename the second), so this is an error."""
    spalten: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        name = str(h).strip().lstrip("\ufeff")
        if name:
            spalten.setdefault(name.casefold(), []).append(i + 1)
    doppelt = {k: v for k, v in spalten.items() if len(v) > 1}
    if doppelt:
        teile = [f"„{header[v[0] - 1].strip()}“ (Spalten {', '.join(map(str, v))})" for v in doppelt.values()]
        raise ImportFehler(f"„{dateiname}“, Kopfzeile {zeile}: dieselbe Überschrift steht mehrfach: "
                           + "; ".join(teile[:5]) + ". Welche Spalte gemeint ist, lässt sich nicht erraten; bitte "
                           "die Überschriften eindeutig machen.")


def eindeutig(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = h or f"Spalte {i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        else:
            seen[h] = 0
        out.append(h)
    return out


def pruefe_form(frame: pd.DataFrame, dateiname: str, longest_line: int) -> None:
    if frame.shape[1] > MAX_SPALTEN:
        raise ImportFehler(f"„{dateiname}“ hat {fmt_zahl(frame.shape[1], 0)} Spalten; mehr als "
                           f"{fmt_zahl(MAX_SPALTEN, 0)} sind keine Datenlieferung. Stimmt das Trennzeichen?")
    if longest_line > MAX_ZELLE * 4 and frame.shape[1] <= 2:
        raise ImportFehler(f"„{dateiname}“ enthält eine Zeile mit {fmt_zahl(longest_line, 0)} Zeichen; das ist "
                           "keine Tabelle. Bitte die Datei prüfen.")
    too_long = [c for c in frame.columns if len(str(c)) > 500]
    if too_long:
        raise ImportFehler(f"„{dateiname}“: eine Spaltenüberschrift ist {fmt_zahl(len(str(too_long[0])), 0)} "
                           "Zeichen lang; das ist keine Tabelle.")


def saeubere(frame: pd.DataFrame, dateiname: str, erste_zeile: int | None = 2) -> pd.DataFrame:
    """Text cells stripped, empty rows dropped; the index is the row number in the file (from
    ``erste_zeile`` on, or as given by the frame when None)."""
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    for col in frame.columns:
        frame[col] = frame[col].fillna("").astype(str).str.strip()
    # Rows that are entirely empty (trailing lines of Excel exports) are no data.
    if erste_zeile is not None:
        frame.index = pd.RangeIndex(erste_zeile, erste_zeile + len(frame))
    frame.index.name = "zeile"
    filled = (frame != "").any(axis=1)
    frame = frame[filled]
    if frame.empty:
        raise ImportFehler(f"„{dateiname}“ enthält nur Spaltenüberschriften, aber keine Datenzeilen.")
    return frame


def kurz(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]

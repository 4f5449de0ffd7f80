"""Reading tabular deliveries (CSV, XLSX) into a frame of text cells.

Every cell stays text here: ids keep their leading zeros and numbers are parsed
later, per column and with the file's decimal style. Anything that cannot be
read raises :class:`ImportFehler` with a German message that names the fix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
from python_calamine import CalamineWorkbook

from fis.format import fmt_dezimal, fmt_zahl, upload_name
from fis.ingest.grenzen import ImportFehler, max_bytes, xlsx_pruefen, zellen_pruefen
from fis.ingest.tabellenform import (
    MAX_ZELLE,
    doppelte_koepfe,
    eindeutig,
    fussnoten_abschneiden,
    gefuellt,
    hinweis_kopf,
    ist_fussnote,
    kopfzeile_finden,
    kurz,
    pruefe_form,
    saeubere,
    spaltenschluessel,
)

_EXCEL_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


TABELLEN_ENDUNGEN = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def pruefe_datei(data: bytes, dateiname: str | None, endungen: tuple[str, ...] | None = None) -> str:
    """Size and type of a delivered file, before anything else looks at it; returns the name
    to show and store (never a path)."""
    name = upload_name(dateiname)
    grenze = max_bytes()
    if len(data) > grenze:
        raise ImportFehler(f"„{name}“ ist {len(data) / 1024 / 1024:.0f} MB groß; erlaubt sind höchstens "
                           f"{grenze / 1024 / 1024:.0f} MB (FIS_MAX_UPLOAD_MB). Bitte die Lieferung teilen.")
    endung = os.path.splitext(name)[1].lower()
    if endungen is not None and endung and endung not in endungen:
        raise ImportFehler(f"„{name}“ hat die Endung {endung}; erwartet: {', '.join(endungen)}.")
    return name


@dataclass(frozen=True)
class Tabelle:
    """A delivered table: text cells plus what was detected while reading."""

    daten: pd.DataFrame          # all cells as str ('' for empty), original headers
    dateiname: str
    sha256: str
    format: str                  # 'csv' or 'xlsx'
    kodierung: str | None = None
    trennzeichen: str | None = None
    blatt: str | None = None
    blaetter: tuple[str, ...] = field(default_factory=tuple)
    kopfzeile: int = 1           # line (CSV) or row (XLSX) of the header, counted from 1
    hinweise: tuple[str, ...] = field(default_factory=tuple)   # what reading skipped (title lines, footnotes)

    @property
    def spalten(self) -> list[str]:
        return list(self.daten.columns)

    def signatur(self) -> str:
        """Hash of the header, to recognise a source's next delivery."""
        return hashlib.sha256("\x1f".join(self.spalten).encode("utf-8")).hexdigest()[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ist_excel(data: bytes, dateiname: str) -> bool:
    return data[:4] == _EXCEL_MAGIC or dateiname.lower().endswith((".xlsx", ".xlsm"))


def excel_blaetter(data: bytes, dateiname: str = "Excel-Datei") -> list[str]:
    if data[:4] == _EXCEL_MAGIC:
        xlsx_pruefen(data, dateiname)        # before the reader allocates what the file describes
    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ImportFehler(f"Die Excel-Datei lässt sich nicht öffnen ({kurz(exc)}). Ist sie "
                           "beschädigt oder passwortgeschützt? Bitte neu speichern (.xlsx).") from exc


ALLE_BLAETTER = "*"            # blatt: every sheet, stacked, with the sheet name in BLATT_SPALTE
BLATT_SPALTE = "Tabellenblatt"


def lies_tabelle(data: bytes, dateiname: str, blatt: str | None = None, kopfzeile: int | None = None) -> Tabelle:
    """Read a CSV or XLSX file given as bytes.

    The header row is found automatically (title lines, blank lines and footnotes such as
    „Quelle: …“ around the table are skipped and named in ``Tabelle.hinweise``);
    ``kopfzeile`` (counted from 1) overrides the detection. ``blatt="*"`` reads every
    sheet of a workbook with the same header, one below the other, with the sheet name
    in the column „Tabellenblatt“ (a workbook with one sheet per year).
    """
    dateiname = pruefe_datei(data, dateiname, TABELLEN_ENDUNGEN)
    if not data or not data.strip():
        raise ImportFehler(f"„{dateiname}“ ist leer. Bitte die Datei erneut exportieren.")
    if data[:4] == _OLE_MAGIC:
        raise ImportFehler(f"„{dateiname}“ ist eine alte Excel-Datei (.xls). Bitte in Excel als "
                           "„Excel-Arbeitsmappe (.xlsx)“ oder als CSV speichern.")
    if kopfzeile is not None and kopfzeile < 1:
        raise ImportFehler("„Kopfzeile in Zeile“ muss 1 oder größer sein.")
    if ist_excel(data, dateiname):
        if blatt == ALLE_BLAETTER:
            return _lies_alle_blaetter(data, dateiname, kopfzeile)
        return _lies_excel(data, dateiname, blatt, kopfzeile)
    return _lies_csv(data, dateiname, kopfzeile)


# --------------------------------------------------------------------------- header and footnotes


# --------------------------------------------------------------------------- CSV

def _dekodiere(data: bytes, dateiname: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFehler(f"„{dateiname}“: die UTF-16-Kodierung ist beschädigt "
                               f"(Byte {exc.start}).") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise ImportFehler(f"„{dateiname}“ ist keine Textdatei (sie enthält Binärdaten). Bitte "
                           "eine CSV-Datei (Text, Trennzeichen ; oder ,) oder eine .xlsx-Datei liefern.")
    nul = data.find(b"\x00", 65536)
    if nul >= 0:
        zeile = data.count(b"\n", 0, nul) + 1
        raise ImportFehler(f"„{dateiname}“, Zeile {zeile}: ein Nullbyte mitten in der "
                           "Datei. Die Datei ist beschädigt (z. B. beim Kopieren abgebrochen); bitte neu exportieren.")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFehler(f"„{dateiname}“: die Zeichenkodierung ist weder UTF-8 noch Windows-1252 "
                           f"(unlesbares Byte an Stelle {exc.start}). Bitte als „CSV UTF-8“ speichern.") from exc
    # cp1252 decodes nearly anything; control characters mean it was not really text.
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 10:
        raise ImportFehler(f"„{dateiname}“ ist keine Textdatei (sie enthält Steuerzeichen). Bitte eine "
                           "CSV- oder .xlsx-Datei liefern.")
    return text, "Windows-1252"


def _trennzeichen(text: str, dateiname: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        raise ImportFehler(f"„{dateiname}“ enthält keine Zeilen.")
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t|").delimiter
    except csv.Error:
        pass
    # Fall back to the separator that splits the header into the most columns.
    counts = {sep: lines[0].count(sep) for sep in (";", "\t", ",", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _erste_zeilen(text: str, n: int) -> list[str]:
    """The first ``n`` lines, without splitting (and copying) the whole text of a large file."""
    zeilen, pos = [], 0
    while len(zeilen) < n and pos < len(text):
        ende = text.find("\n", pos)
        ende = len(text) if ende < 0 else ende
        zeilen.append(text[pos:ende].rstrip("\r"))
        pos = ende + 1
    return zeilen


def _felder(zeile: str, sep: str, dateiname: str) -> list[str]:
    """The fields of one line; a field beyond the csv module's limit is garbage, not data."""
    try:
        return next(csv.reader([zeile], delimiter=sep), [])
    except csv.Error as exc:
        raise ImportFehler(f"„{dateiname}“: eine Zelle ist länger als {fmt_zahl(MAX_ZELLE, 0)} Zeichen – das "
                           "sind keine Daten. Stimmt das Trennzeichen, oder fehlt ein schließendes "
                           "Anführungszeichen?") from exc


_PANDAS_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _lies_csv(data: bytes, dateiname: str, kopfzeile: int | None = None) -> Tabelle:
    text, kodierung = _dekodiere(data, dateiname)
    longest = max((len(line) for line in text[:2_000_000].splitlines()), default=0)
    hinweise = []
    text, fussnoten = fussnoten_abschneiden(text)
    if fussnoten:
        hinweise.append(f"{len(fussnoten)} {'Fußnote' if len(fussnoten) == 1 else 'Fußnoten'} unter der Tabelle "
                        f"übersprungen: {'; '.join(f'„{f[:60]}“' for f in reversed(fussnoten[-3:]))}.")
    lines = _erste_zeilen(text, 50)
    # The separator is sniffed on the table only: a title line like „Sozialatlas, Stand 2023“ would
    # otherwise vote for the comma (and a comma counts only without other separators: in „5,0“ it is
    # the decimal sign).
    grob_sep = r"[;\t|]" if any(c in z for z in lines for c in ";\t|") else ","
    grob = kopfzeile - 1 if kopfzeile else kopfzeile_finden([re.split(grob_sep, z) for z in lines])
    sep = _trennzeichen("\n".join(lines[grob:]) or text, dateiname)
    kopf_index = kopfzeile - 1 if kopfzeile else kopfzeile_finden(
        [_felder(z, sep, dateiname) for z in lines])
    if kopf_index >= len(lines):
        raise ImportFehler(f"„{dateiname}“ hat weniger als {kopf_index + 1} Zeilen; die Kopfzeile kann nicht in "
                           f"Zeile {kopf_index + 1} stehen.")
    if kopf_index and not kopfzeile:
        hinweise.insert(0, hinweis_kopf(dateiname, kopf_index + 1, [z.replace(sep, " ").strip()
                                                                     for z in lines[:kopf_index]]))
    kopf = _felder(lines[kopf_index], sep, dateiname)
    doppelte_koepfe(kopf, dateiname, kopf_index + 1)
    zellen_pruefen(text.count("\n") - kopf_index - 1, len(kopf), dateiname)     # before pandas holds them all
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_filter=False, skipinitialspace=False, engine="c",
                            skip_blank_lines=False, skiprows=kopf_index)
    except pd.errors.EmptyDataError as exc:
        raise ImportFehler(f"„{dateiname}“ enthält keine Spaltenüberschriften.") from exc
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        if match:
            expected, line, saw = match.groups()
            line = int(line) + kopf_index
            if int(saw) > int(expected) and line > kopf_index + 2:
                raise ImportFehler(
                    f"„{dateiname}“, Zeile {line}: {saw} statt {expected} Spalten. Die als Kopfzeile gelesene "
                    f"Zeile {kopf_index + 1} hat weniger Spalten als die Daten darunter: steht über der "
                    "Tabelle ein Titel oder eine Anmerkung? Dann bitte „Kopfzeile in Zeile“ angeben. Sonst "
                    f"enthält ein Wert in Zeile {line} das Trennzeichen „{_zeichen(sep)}“ ohne "
                    "Anführungszeichen.") from exc
            raise ImportFehler(
                f"„{dateiname}“, Zeile {line}: {saw} statt {expected} Spalten. Vermutlich enthält "
                f"ein Wert das Trennzeichen „{_zeichen(sep)}“ ohne Anführungszeichen, oder die Datei "
                "ist abgeschnitten. Bitte die Zeile prüfen.") from exc
        raise ImportFehler(f"„{dateiname}“ lässt sich nicht als CSV lesen ({kurz(exc)}).") from exc
    if not isinstance(frame.index, pd.RangeIndex):
        # The first data row had more fields than the header: pandas would silently take the extra
        # leading fields as an index and shift every value of the file by that many columns.
        spalten = frame.shape[1]
        raise ImportFehler(
            f"„{dateiname}“, Zeile {kopf_index + 2}: {spalten + frame.index.nlevels} statt {spalten} Spalten. "
            + (f"Steht in Zeile {kopf_index + 1} ein Titel statt der Spaltenüberschriften? Dann bitte „Kopfzeile "
               f"in Zeile“ angeben. Sonst enthält ein Wert das Trennzeichen „{_zeichen(sep)}“ ohne "
               "Anführungszeichen." if spalten <= 2 else
               f"Vermutlich enthält ein Wert das Trennzeichen „{_zeichen(sep)}“ ohne Anführungszeichen. "
               "Bitte die Zeile prüfen."))
    pruefe_form(frame, dateiname, longest)
    _pruefe_letzte_zeile(text, sep, frame.shape[1], dateiname)
    return Tabelle(daten=saeubere(frame, dateiname, erste_zeile=kopf_index + 2), dateiname=dateiname,
                   sha256=sha256(data), format="csv", kodierung=kodierung, trennzeichen=sep,
                   kopfzeile=kopf_index + 1, hinweise=tuple(hinweise))


def _pruefe_letzte_zeile(text: str, sep: str, spalten: int, dateiname: str) -> None:
    """A file cut off while writing ends in a row with too few fields; pandas would
    pad it silently, so the last row is checked here."""
    lines = text.rstrip("\r\n").splitlines()
    if len(lines) < 2:
        return
    try:
        last = _felder(lines[-1], sep, dateiname)
    except csv.Error:
        return
    if 1 < len(last) < spalten or (len(last) == 1 and spalten > 1 and last[0].strip()):
        raise ImportFehler(f"„{dateiname}“, Zeile {len(lines)}: nur {len(last)} von {spalten} Spalten. Die Datei "
                           "ist vermutlich abgeschnitten (unvollständig übertragen). Bitte erneut exportieren.")


def _zeichen(sep: str) -> str:
    return {"\t": "Tabulator", ";": ";", ",": ",", "|": "|"}.get(sep, sep)


# --------------------------------------------------------------------------- XLSX

def _zelle(value) -> str:
    """An Excel cell as text; numbers in German notation without thousands separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return fmt_dezimal(value)
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time(0) else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _lies_excel(data: bytes, dateiname: str, blatt: str | None, kopfzeile: int | None = None) -> Tabelle:
    blaetter = excel_blaetter(data, dateiname)
    if not blaetter:
        raise ImportFehler(f"„{dateiname}“ enthält keine Tabellenblätter.")
    name = blatt or blaetter[0]
    if name not in blaetter:
        raise ImportFehler(f"„{dateiname}“ hat kein Blatt „{name}“. Vorhanden: {', '.join(blaetter)}.")
    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python(
            skip_empty_area=True)
    except Exception as exc:
        raise ImportFehler(f"„{dateiname}“, Blatt „{name}“ lässt sich nicht lesen ({kurz(exc)}).") from exc
    filled = [i for i, r in enumerate(rows) if any(v not in (None, "") for v in r)]
    if not filled:
        raise ImportFehler(f"„{dateiname}“, Blatt „{name}“ ist leer. Bitte das Blatt mit den Daten wählen.")
    text_rows = [[_zelle(v).strip() for v in r] for r in rows]
    hinweise = []
    if kopfzeile:
        if kopfzeile > len(rows):
            raise ImportFehler(f"„{dateiname}“, Blatt „{name}“ hat nur {len(rows)} Zeilen; die Kopfzeile kann "
                               f"nicht in Zeile {kopfzeile} stehen.")
        first = kopfzeile - 1
    else:
        first = kopfzeile_finden(text_rows[:50])
    ende = len(rows)
    fussnoten = []
    while ende > first + 1 and (not gefuellt(text_rows[ende - 1]) or ist_fussnote(text_rows[ende - 1])):
        if gefuellt(text_rows[ende - 1]):
            fussnoten.append(next(c for c in text_rows[ende - 1] if c))
        ende -= 1
    if fussnoten:
        hinweise.append(f"{len(fussnoten)} {'Fußnote' if len(fussnoten) == 1 else 'Fußnoten'} unter der Tabelle "
                        f"übersprungen: {'; '.join(f'„{f[:60]}“' for f in reversed(fussnoten[-3:]))}.")
    header = text_rows[first]
    body = [[_zelle(v) for v in r] for r in rows[first + 1:ende]]
    jahre = _jahreszeile(text_rows[first - 1], header) if first > 0 else None
    titel = first - (1 if jahre is not None else 0)
    if not kopfzeile and titel > filled[0]:
        hinweise.insert(0, hinweis_kopf(dateiname, first + 1, [" ".join(c for c in r if c)
                                                                for r in text_rows[:titel]]))
    if jahre is not None:
        header = [k or (text_rows[first - 1][j] if j < len(text_rows[first - 1]) and jahre[j] is None else "")
                  for j, k in enumerate(header)]
        frame, hinweis = _jahresbloecke(header, body, jahre, first)
        hinweise.append(hinweis)
    else:
        doppelte_koepfe(header, dateiname, first + 1)
        columns = eindeutig(header)
        frame = pd.DataFrame(body, columns=columns, dtype=str) if body else pd.DataFrame(columns=columns, dtype=str)
    pruefe_form(frame, dateiname, 0)
    return Tabelle(daten=saeubere(frame, dateiname, erste_zeile=None if jahre else first + 2),
                   dateiname=dateiname, sha256=sha256(data), format="xlsx", blatt=name, blaetter=tuple(blaetter),
                   kopfzeile=first + 1, hinweise=tuple(hinweise))


_JAHR = re.compile(r"^(?:(?:jahr|stand|stichtag)\s*)?(?:31\.12\.)?((?:19|20)\d{2})$", re.IGNORECASE)
JAHR_SPALTE = "Jahr"


def _jahreszeile(oben: list[str], kopf: list[str]) -> list[str | None] | None:
    """A row of years above the header (merged cells: each year over its block of columns): the year of
    every column (None before the first year), or None if the row is no such row."""
    belegt = [(j, c) for j, c in enumerate(oben) if c]
    if len(belegt) < 2:
        return None
    jahre = [(j, _JAHR.match(c)) for j, c in belegt]
    treffer = [(j, m.group(1)) for j, m in jahre if m]
    # the key column's header („Stadtteil“) may stand in the year row; everything else must be a year
    if len(treffer) < 2 or len(treffer) < len(belegt) - 1 or len({y for _, y in treffer}) != len(treffer):
        return None
    erste = treffer[0][0]
    if any(j > erste and not _JAHR.match(c) for j, c in belegt):
        return None
    je_spalte: list[str | None] = []
    aktuell = None
    starts = dict(treffer)
    for j in range(len(kopf)):
        aktuell = starts.get(j, aktuell)
        je_spalte.append(aktuell if j >= erste else None)
    return je_spalte


def _jahresbloecke(kopf: list[str], body: list[list[str]], jahre: list[str | None],
                   kopf_index: int) -> tuple[pd.DataFrame, str]:
    """Two header rows (year over indicator) → one block per year, one below the other, with the year in
    the column „Jahr“: the same table as a file with a Jahr column."""
    schluessel = [j for j, y in enumerate(jahre) if y is None]
    je_jahr: dict[str, list[int]] = {}
    for j, y in enumerate(jahre):
        if y is not None and kopf[j]:
            je_jahr.setdefault(y, []).append(j)
    namen = eindeutig([kopf[j] for j in schluessel])
    if JAHR_SPALTE in namen:
        raise ImportFehler("Die Tabelle hat über den Spalten eine Zeile mit Jahren und zugleich eine Spalte "
                           "„Jahr“; bitte eine der beiden entfernen.")
    teile = []
    for jahr, spalten in je_jahr.items():
        merkmale = eindeutig([kopf[j] for j in spalten])
        zeilen = [[r[j] if j < len(r) else "" for j in schluessel] + [jahr]
                  + [r[j] if j < len(r) else "" for j in spalten] for r in body]
        teil = pd.DataFrame(zeilen, columns=[*namen, JAHR_SPALTE, *merkmale], dtype=str)
        teil.index = pd.RangeIndex(kopf_index + 2, kopf_index + 2 + len(teil))
        teile.append(teil)
    frame = pd.concat(teile).fillna("")
    hinweis = (f"Zweizeilige Kopfzeile: Jahre {', '.join(je_jahr)} in Zeile {kopf_index}, Merkmale in Zeile "
               f"{kopf_index + 1}. Je Jahr ein Block; das Jahr steht in der Spalte „{JAHR_SPALTE}“.")
    return frame, hinweis


def _lies_alle_blaetter(data: bytes, dateiname: str, kopfzeile: int | None) -> Tabelle:
    """Every sheet with the same columns, one below the other, with the sheet name as a column
    (a Sozialatlas with one sheet per year: the sheet names become the Stichtage)."""
    blaetter = excel_blaetter(data, dateiname)
    teile, hinweise = [], []
    erste = None
    gleich = 0              # further sheets with title lines or footnotes (named once, for the first sheet)
    for name in blaetter:
        try:
            teil = _lies_excel(data, dateiname, name, kopfzeile)
        except ImportFehler as exc:
            if "ist leer" in str(exc):
                continue
            raise
        if erste is None:
            erste = teil
        elif [spaltenschluessel(c) for c in teil.spalten] != [spaltenschluessel(c) for c in erste.spalten]:
            fehlt = [c for c in erste.spalten if c not in teil.spalten][:3]
            neu = [c for c in teil.spalten if c not in erste.spalten][:3]
            raise ImportFehler(
                f"„{dateiname}“: Blatt „{name}“ hat andere Spalten als Blatt „{erste.blatt}“"
                + (f" (fehlt: {', '.join(fehlt)})" if fehlt else "") + (f" (neu: {', '.join(neu)})" if neu else "")
                + ". Alle Blätter zusammen lassen sich nur lesen, wenn sie gleich aufgebaut sind; sonst bitte "
                "ein Blatt nach dem anderen liefern.")
        daten = teil.daten.copy()
        daten.columns = erste.spalten
        daten.insert(0, BLATT_SPALTE, name)
        teile.append(daten)
        if not hinweise:
            hinweise = [f"Blatt „{name}“: {h}" for h in teil.hinweise]
        elif teil.hinweise:
            gleich += 1
    if not teile:
        raise ImportFehler(f"„{dateiname}“ enthält nur leere Tabellenblätter.")
    if BLATT_SPALTE in erste.spalten:
        raise ImportFehler(f"„{dateiname}“ hat selbst eine Spalte „{BLATT_SPALTE}“; bitte die Blätter einzeln liefern.")
    if gleich:
        hinweise.append(f"Ebenso in {gleich} weiteren Blättern.")
    hinweise.insert(0, f"{len(teile)} Blätter gelesen ({', '.join(str(t[BLATT_SPALTE].iloc[0]) for t in teile)}); "
                       f"der Blattname steht in der Spalte „{BLATT_SPALTE}“.")
    daten = pd.concat(teile)
    daten.index.name = "zeile"
    return Tabelle(daten=daten, dateiname=dateiname, sha256=sha256(data), format="xlsx", blatt=ALLE_BLAETTER,
                   blaetter=tuple(blaetter), kopfzeile=erste.kopfzeile, hinweise=tuple(hinweise))


# --------------------------------------------------------------------------- shared



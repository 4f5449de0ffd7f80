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

MAX_SPALTEN = 2000
MAX_ZELLE = 100_000          # characters; longer cells are not data but garbage
_EXCEL_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFehler(ValueError):
    """A delivery that cannot be read or imported; the message is German."""


TABELLEN_ENDUNGEN = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def max_bytes() -> int:
    """Largest accepted file: FIS_MAX_UPLOAD_MB megabytes (default 200, like the app's upload limit)."""
    try:
        return int(float(os.environ.get("FIS_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
    except ValueError:
        return 200 * 1024 * 1024


def pruefe_datei(data: bytes, dateiname: str | None, endungen: tuple[str, ...] | None = None) -> str:
    """Size and type of a delivered file, before anything else looks at it; returns the name
    to show and store (never a path)."""
    from fis.format import upload_name
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


def excel_blaetter(data: bytes) -> list[str]:
    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ImportFehler(f"Die Excel-Datei lässt sich nicht öffnen ({_kurz(exc)}). Ist sie "
                           "beschädigt oder passwortgeschützt? Bitte neu speichern (.xlsx).") from exc


def lies_tabelle(data: bytes, dateiname: str, blatt: str | None = None) -> Tabelle:
    """Read a CSV or XLSX file given as bytes."""
    dateiname = pruefe_datei(data, dateiname, TABELLEN_ENDUNGEN)
    if not data or not data.strip():
        raise ImportFehler(f"„{dateiname}“ ist leer. Bitte die Datei erneut exportieren.")
    if data[:4] == _OLE_MAGIC:
        raise ImportFehler(f"„{dateiname}“ ist eine alte Excel-Datei (.xls). Bitte in Excel als "
                           "„Excel-Arbeitsmappe (.xlsx)“ oder als CSV speichern.")
    if ist_excel(data, dateiname):
        return _lies_excel(data, dateiname, blatt)
    return _lies_csv(data, dateiname)


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


_PANDAS_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _lies_csv(data: bytes, dateiname: str) -> Tabelle:
    text, kodierung = _dekodiere(data, dateiname)
    longest = max((len(line) for line in text[:2_000_000].splitlines()), default=0)
    sep = _trennzeichen(text, dateiname)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_filter=False, skipinitialspace=False, engine="c",
                            skip_blank_lines=False)
    except pd.errors.EmptyDataError as exc:
        raise ImportFehler(f"„{dateiname}“ enthält keine Spaltenüberschriften.") from exc
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        if match:
            expected, line, saw = match.groups()
            raise ImportFehler(
                f"„{dateiname}“, Zeile {line}: {saw} statt {expected} Spalten. Vermutlich enthält "
                f"ein Wert das Trennzeichen „{_zeichen(sep)}“ ohne Anführungszeichen, oder die Datei "
                "ist abgeschnitten. Bitte die Zeile prüfen.") from exc
        raise ImportFehler(f"„{dateiname}“ lässt sich nicht als CSV lesen ({_kurz(exc)}).") from exc
    if not isinstance(frame.index, pd.RangeIndex):
        # The first data row had more fields than the header: pandas would silently take the extra
        # leading fields as an index and shift every value of the file by that many columns.
        spalten = frame.shape[1]
        raise ImportFehler(
            f"„{dateiname}“, Zeile 2: {spalten + frame.index.nlevels} statt {spalten} Spalten. Vermutlich enthält "
            f"ein Wert das Trennzeichen „{_zeichen(sep)}“ ohne Anführungszeichen. Bitte die Zeile prüfen.")
    _pruefe_form(frame, dateiname, longest)
    _pruefe_letzte_zeile(text, sep, frame.shape[1], dateiname)
    return Tabelle(daten=_saeubere(frame, dateiname), dateiname=dateiname, sha256=sha256(data), format="csv",
                   kodierung=kodierung, trennzeichen=sep)


def _pruefe_letzte_zeile(text: str, sep: str, spalten: int, dateiname: str) -> None:
    """A file cut off while writing ends in a row with too few fields; pandas would
    pad it silently, so the last row is checked here."""
    lines = text.rstrip("\r\n").splitlines()
    if len(lines) < 2:
        return
    try:
        last = next(csv.reader([lines[-1]], delimiter=sep))
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
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time(0) else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _lies_excel(data: bytes, dateiname: str, blatt: str | None) -> Tabelle:
    blaetter = excel_blaetter(data)
    if not blaetter:
        raise ImportFehler(f"„{dateiname}“ enthält keine Tabellenblätter.")
    name = blatt or blaetter[0]
    if name not in blaetter:
        raise ImportFehler(f"„{dateiname}“ hat kein Blatt „{name}“. Vorhanden: {', '.join(blaetter)}.")
    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python(
            skip_empty_area=True)
    except Exception as exc:
        raise ImportFehler(f"„{dateiname}“, Blatt „{name}“ lässt sich nicht lesen ({_kurz(exc)}).") from exc
    filled = [i for i, r in enumerate(rows) if any(v not in (None, "") for v in r)]
    if not filled:
        raise ImportFehler(f"„{dateiname}“, Blatt „{name}“ ist leer. Bitte das Blatt mit den Daten wählen.")
    first = filled[0]
    header = [_zelle(v).strip() for v in rows[first]]
    body = [[_zelle(v) for v in r] for r in rows[first + 1:]]
    columns = _eindeutig(header)
    frame = pd.DataFrame(body, columns=columns, dtype=str) if body else pd.DataFrame(columns=columns, dtype=str)
    _pruefe_form(frame, dateiname, 0)
    return Tabelle(daten=_saeubere(frame, dateiname, erste_zeile=first + 2), dateiname=dateiname,
                   sha256=sha256(data), format="xlsx", blatt=name, blaetter=tuple(blaetter))


# --------------------------------------------------------------------------- shared

def _eindeutig(header: list[str]) -> list[str]:
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


def _pruefe_form(frame: pd.DataFrame, dateiname: str, longest_line: int) -> None:
    if frame.shape[1] > MAX_SPALTEN:
        raise ImportFehler(f"„{dateiname}“ hat {frame.shape[1]:,} Spalten; mehr als {MAX_SPALTEN:,} "
                           "sind keine Datenlieferung. Stimmt das Trennzeichen?".replace(",", "."))
    if longest_line > MAX_ZELLE * 4 and frame.shape[1] <= 2:
        raise ImportFehler(f"„{dateiname}“ enthält eine Zeile mit {longest_line:,} Zeichen; das ist "
                           "keine Tabelle. Bitte die Datei prüfen.".replace(",", "."))
    too_long = [c for c in frame.columns if len(str(c)) > 500]
    if too_long:
        raise ImportFehler(f"„{dateiname}“: eine Spaltenüberschrift ist {len(str(too_long[0])):,} Zeichen "
                           "lang; das ist keine Tabelle.".replace(",", "."))


def _saeubere(frame: pd.DataFrame, dateiname: str, erste_zeile: int = 2) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    for col in frame.columns:
        frame[col] = frame[col].fillna("").astype(str).str.strip()
    # Rows that are entirely empty (trailing lines of Excel exports) are no data.
    frame.index = pd.RangeIndex(erste_zeile, erste_zeile + len(frame), name="zeile")
    filled = (frame != "").any(axis=1)
    frame = frame[filled]
    if frame.empty:
        raise ImportFehler(f"„{dateiname}“ enthält nur Spaltenüberschriften, aber keine Datenzeilen.")
    return frame


def _kurz(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]

"""Numbers and dates as German offices write them, parsed vectorised.

German exports write ``1.234,5`` (decimal comma, thousands dot), international
ones ``1,234.5`` or ``1234.5``. The style is decided once per delivery from the
unambiguous cells; a delivery that mixes both is rejected, because a value like
``1.234`` would otherwise silently mean 1234 in one row and 1,234 in another.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from fis.ingest.lesen import ImportFehler

# Signs of official statistics for "no value" (DIN 55301 / Statistisches Bundesamt) and
# the usual spreadsheet spellings; compared case-insensitively after stripping.
FEHLWERTE = ("", "na", "n/a", "nan", "null", "none", "k.a.", "k. a.", "ka", "-", "–", "—", ".",
             "x", "/", "...", "…", "#nv", "#n/a", "#wert!", "#value!", "#div/0!", "#bezug!", "#ref!")

_GERMAN = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"        # 1.234,5 · 1234,5 · 1.234.567
_ENGLISH = r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"       # 1,234.5 · 1234.5
_PLAIN_INT = r"^[+-]?\d+$"
_EXPONENT = r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$"
# Cells that can only be read one way ("1.234" and "1,234" are ambiguous on their own).
GERMAN_ONLY = (r"^[+-]?\d*,(\d{1,2}|\d{4,})$|^[+-]?0?,\d+$|^[+-]?\d{1,3}(\.\d{3})+,\d+$"
               r"|^[+-]?\d{1,3}(\.\d{3}){2,}$|^[+-]?\d{4,},\d+$")
ENGLISH_ONLY = (r"^[+-]?\d*\.(\d{1,2}|\d{4,})$|^[+-]?0?\.\d+$|^[+-]?\d{1,3}(,\d{3})+\.\d+$"
                r"|^[+-]?\d{1,3}(,\d{3}){2,}$|^[+-]?\d{4,}\.\d+$")

MAX_BETRAG = 1e15            # larger magnitudes are not plausible statistics


def dezimalstil(values: pd.Series) -> tuple[str, int, int]:
    """('komma' | 'punkt' | 'unklar', cells that prove comma, cells that prove point)."""
    text = values[values != ""].astype(str).str.strip()
    komma = int(text.str.match(GERMAN_ONLY).sum())
    punkt = int(text.str.match(ENGLISH_ONLY).sum())
    if komma and not punkt:
        return "komma", komma, punkt
    if punkt and not komma:
        return "punkt", komma, punkt
    return ("gemischt" if komma and punkt else "unklar"), komma, punkt


def parse_zahlen(values: pd.Series, stil: str,
                 fehlwerte: tuple[str, ...] = ()) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse text cells to float.

    Returns (numbers with NaN for missing or invalid, mask of cells that are
    "no value" markers or empty, mask of cells that are not numbers).
    ``stil`` is 'komma' or 'punkt'.
    """
    text = values.astype(str).str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    lowered = text.str.lower()
    markers = {m.lower() for m in FEHLWERTE} | {m.strip().lower() for m in fehlwerte}
    missing = lowered.isin(markers)
    percent = text.str.endswith("%")
    text = text.where(~percent, text.str[:-1])
    if stil == "komma":
        ok = text.str.match(_GERMAN) | text.str.match(_EXPONENT)
        normal = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        normal = normal.where(~text.str.match(_EXPONENT), text.str.replace(",", ".", regex=False))
    else:
        ok = text.str.match(_ENGLISH) | text.str.match(_EXPONENT)
        normal = text.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(normal.where(ok & ~missing), errors="coerce")
    too_big = numbers.abs() > MAX_BETRAG
    invalid = ~missing & (numbers.isna() | too_big | ~np.isfinite(numbers.fillna(0)))
    numbers = numbers.where(~invalid)
    return numbers.astype(float), missing, invalid


EXCEL_EPOCH = date(1899, 12, 30)


def parse_datum(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`_parse_datum` on the distinct texts only: a delivery of a million rows has a handful of Stichtage,
    and each is parsed once (a fifth of the checking time of a large delivery before)."""
    codes, eindeutig = pd.factorize(values, use_na_sentinel=False)
    if 2 * len(eindeutig) > len(values):
        return _parse_datum(values)
    teile = _parse_datum(pd.Series(eindeutig, dtype=object))
    return tuple(pd.Series(t.to_numpy()[codes], index=values.index, dtype=t.dtype) for t in teile)


def _parse_datum(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse dates written as 31.12.2024, 2024-12-31, a bare year (→ 31.12.) or a month such as 202012,
    2020-12 or 12/2020 (→ the month's last day).

    Two-digit years are refused: „31.12.20“ is as likely a truncated line as a date.

    Returns (dates as datetime64 with NaT, mask of invalid cells, Excel serial
    numbers that were found – these are invalid, but the hint names the date).
    """
    text = values.astype(str).str.strip()
    parsed = pd.to_datetime(text.where(text.str.match(r"^\d{1,2}\.\d{1,2}\.\d{4}$")),
                            format="%d.%m.%Y", errors="coerce")
    iso = pd.to_datetime(text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$")).str[:10],
                         format="%Y-%m-%d", errors="coerce")
    year = text.where(text.str.match(r"^(19|20)\d{2}$"))
    jahr = pd.to_datetime(year + "-12-31", format="%Y-%m-%d", errors="coerce")
    # a month as statistics offices write it (202012, 2020-12, 12/2020, 12.2020): its last day
    monat = text.str.extract(r"^((?:19|20)\d{2})-?(0[1-9]|1[0-2])$")
    monat2 = text.str.extract(r"^(0?[1-9]|1[0-2])[/.]((?:19|20)\d{2})$")[[1, 0]].set_axis([0, 1], axis=1)
    monat = monat.fillna(monat2)
    monatsende = pd.to_datetime(monat[0] + "-" + monat[1].str.zfill(2) + "-01", format="%Y-%m-%d",
                                errors="coerce") + pd.offsets.MonthEnd(0)
    result = parsed.fillna(iso).fillna(jahr).fillna(monatsende)
    serial = text.str.match(r"^\d{5}(,0+|\.0+)?$")
    serial_dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if serial.any():
        days = pd.to_numeric(text.where(serial).str.split(r"[.,]").str[0], errors="coerce")
        serial_dates = pd.to_datetime(EXCEL_EPOCH) + pd.to_timedelta(days, unit="D")
    invalid = result.isna()
    return result, invalid, serial_dates.where(serial)


def parse_stichtag(text: str) -> date:
    """One Stichtag given by the user (CLI or form)."""
    dates, invalid, serial = parse_datum(pd.Series([text]))
    if invalid.iloc[0]:
        hint = ""
        if pd.notna(serial.iloc[0]):
            hint = f" Das sieht aus wie eine Excel-Seriennummer für den {serial.iloc[0]:%d.%m.%Y}."
        raise ImportFehler(f"„{text}“ ist kein Datum. Bitte als TT.MM.JJJJ angeben, z. B. 31.12.2024.{hint}")
    return dates.iloc[0].date()


def heute() -> date:
    return date.today()


def vortag(tag: date) -> date:
    return tag - timedelta(days=1)

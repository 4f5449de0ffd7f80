"""Tables for download.

- CSV the German way (semicolon, decimal comma, UTF-8 with BOM for Excel), protected against
  formula injection.
- Excel (xlsx): real numbers with German-looking number formats, a bold frozen header with
  filter, and a sheet „Quellen und Hinweise“. Display tables arrive with German-formatted
  text („1.234,5“, „17,7 %“, „+0,4 Pp“, „12.000 €“); such cells become numbers again with a
  format that shows them exactly so. Everything else stays text and is written as text, so
  a cell such as ``=HYPERLINK(…)`` from a delivery is never a formula.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

from fis.palette import HINTERGRUND_KOPF

_FORMEL = ("=", "+", "-", "@", "\t", "\r")


def neutralisieren(text: str) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMEL) else text


def csv_bytes(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralisieren(v) if isinstance(v, str) else v)
    return out.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


# --------------------------------------------------------------------------- Excel

_ZAHL = re.compile(r"^(?P<vz>[+\-−±]?)(?P<ganz>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dez>\d+))?"
                   r"(?:\s?(?P<einheit>%|Pp|€))?$")


def zahl_aus_text(text: str) -> tuple[float, str] | None:
    """German display text → (number, Excel number format), or None if it is no plain
    number. Identifiers with a leading zero („0103“) and years stay as they are shown."""
    m = _ZAHL.match(text.strip())
    if not m:
        return None
    ganz, dez, einheit, vz = m["ganz"], m["dez"] or "", m["einheit"], m["vz"]
    if len(ganz) > 1 and ganz.startswith("0") and not dez:
        return None                                   # a key such as „0103“, not a number
    wert = float(ganz.replace(".", "") + ("." + dez if dez else ""))
    if vz in ("-", "−"):
        wert = -wert
    muster = ("#,##0" if "." in ganz or len(ganz) > 4 else "0") + ("." + "0" * len(dez) if dez else "")
    suffix = {"%": '" %"', "Pp": '" Pp"', "€": '" €"'}.get(einheit, "")
    if vz in ("+", "−", "±"):                         # a signed difference keeps its sign
        fmt = f"+{muster}{suffix};-{muster}{suffix};±{muster}{suffix}"
    else:
        fmt = muster + suffix
    return wert, fmt


def _blattname(name: str, vergeben: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Tabelle"
    basis, i = name, 2
    while name.lower() in vergeben:
        name = f"{basis[:28]} {i}"
        i += 1
    vergeben.add(name.lower())
    return name


def xlsx_bytes(tabellen: dict[str, pd.DataFrame], titel: str, quellen: list[str] = (),
               hinweise: list[str] = (), stand: str | None = None) -> bytes:
    """An Excel workbook: one sheet per table (German number formats, bold frozen header
    with filter, fitted column widths) and a sheet „Quellen und Hinweise“."""

    puffer = io.BytesIO()
    # strings are never turned into formulas or URLs, whatever they start with
    buch = xlsxwriter.Workbook(puffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    kopf = buch.add_format({"bold": True, "bg_color": HINTERGRUND_KOPF, "border": 1, "text_wrap": True,
                            "valign": "top"})
    datum = buch.add_format({"num_format": "dd.mm.yyyy"})
    formate: dict[str, object] = {}

    def fmt(muster: str):
        if muster not in formate:
            formate[muster] = buch.add_format({"num_format": muster})
        return formate[muster]

    vergeben: set[str] = {"quellen und hinweise"}
    for name, frame in tabellen.items():
        blatt = buch.add_worksheet(_blattname(name, vergeben))
        breiten = [len(str(c)) for c in frame.columns]
        for j, spalte in enumerate(frame.columns):
            blatt.write_string(0, j, str(spalte), kopf)
        for i, zeile in enumerate(frame.itertuples(index=False), start=1):
            for j, v in enumerate(zeile):
                if isinstance(v, (list, tuple, np.ndarray)):
                    v = "; ".join(str(x) for x in v)
                if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, (float, np.floating)) and math.isnan(v)):
                    continue
                if isinstance(v, (bool, np.bool_)):
                    blatt.write_boolean(i, j, bool(v))
                    text = "FALSCH"
                elif isinstance(v, (datetime, pd.Timestamp, date)):
                    t = pd.Timestamp(v)
                    blatt.write_datetime(i, j, datetime(t.year, t.month, t.day, t.hour, t.minute), datum)
                    text = "00.00.0000"
                elif isinstance(v, (int, float, np.integer, np.floating)):
                    x = float(v)
                    ganz = x.is_integer()
                    blatt.write_number(i, j, x, fmt("#,##0" if ganz and abs(x) >= 10000 else "0" if ganz
                                                    else "#,##0.00"))
                    text = f"{x:,.2f}"
                else:
                    text = str(v)
                    z = zahl_aus_text(text)
                    if z is not None:
                        blatt.write_number(i, j, z[0], fmt(z[1]))
                    else:
                        blatt.write_string(i, j, text)
                breiten[j] = max(breiten[j], min(len(text), 60))
        for j, b in enumerate(breiten):
            blatt.set_column(j, j, b + 2)
        blatt.set_row(0, None, None)
        blatt.freeze_panes(1, 0)
        if len(frame.columns):
            blatt.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    info = buch.add_worksheet("Quellen und Hinweise")
    fett = buch.add_format({"bold": True, "font_size": 13})
    umbruch = buch.add_format({"text_wrap": True, "valign": "top"})
    info.set_column(0, 0, 110)
    zeilen = [(titel, fett), (f"Stand: {stand or datetime.now().strftime('%d.%m.%Y %H:%M')}", None),
              ("Erstellt mit FIS Sozialplanung.", None), ("", None), ("Quellen", fett)]
    zeilen += [(q, umbruch) for q in quellen or ["–"]]
    zeilen += [("", None), ("Hinweise", fett)] + [(h, umbruch) for h in hinweise]
    for i, (text, f) in enumerate(zeilen):
        info.write_string(i, 0, text, f) if f else info.write_string(i, 0, text)
    buch.close()
    return puffer.getvalue()

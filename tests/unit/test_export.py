"""Downloads: CSV protected against formula injection; Excel with real numbers in German
formats, a frozen bold header, a sources sheet, and text that is never a formula."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from fis.export import csv_bytes, xlsx_bytes, zahl_aus_text

BOESE = ["=HYPERLINK(\"http://x\",\"klick\")", "+1+1", "-2+3", "@SUM(A1)"]


def _blaetter(daten: bytes) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(daten))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


def _xml(daten: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(daten)) as z:
        return z.read(name).decode("utf-8")


@pytest.mark.parametrize("text, wert, fmt", [
    ("1.234,5", 1234.5, "#,##0.0"),
    ("17,7 %", 17.7, '0.0" %"'),
    ("+0,4 Pp", 0.4, '+0.0" Pp";-0.0" Pp";±0.0" Pp"'),
    ("−1.234", -1234.0, "+#,##0;-#,##0;±#,##0"),
    ("±0,0 Pp", 0.0, '+0.0" Pp";-0.0" Pp";±0.0" Pp"'),
    ("12.000 €", 12000.0, '#,##0" €"'),
    ("-42.551.271", -42551271.0, "#,##0"),
    ("2024", 2024.0, "0"),
    ("18.320,00", 18320.0, "#,##0.00"),
])
def test_german_display_numbers_become_numbers(text, wert, fmt):
    assert zahl_aus_text(text) == (wert, fmt)


@pytest.mark.parametrize("text", ["0103", "11.05.01", "< 3 Fälle", "12,3 % (v)", "Rang 3 von 51", "1,2,3", "–", ""])
def test_keys_marks_and_words_stay_text(text):
    assert zahl_aus_text(text) is None


def test_csv_neutralises_formulas():
    text = csv_bytes(pd.DataFrame({"Name": BOESE, "Wert": [1.5, 2.0, 3.0, 4.0]})).decode("utf-8-sig")
    zeilen = text.splitlines()
    assert zeilen[0] == "Name;Wert" and zeilen[1].startswith('"\'=HYPERLINK') and zeilen[2] == "'+1+1;2,0"
    assert zeilen[4].startswith("'@SUM")


def test_excel_workbook():
    frame = pd.DataFrame({
        "Nr.": ["0103", "0104", "0105", "0106"], "Sozialraum": BOESE,
        "Kinderarmut": ["17,7 %", "< 3 Fälle", "53,8 %", "–"], "ggü. Vorjahr": ["+0,4 Pp", "–", "−1,2 Pp", "±0,0 Pp"],
        "Einwohner": [np.int64(12345), 800, 5000, None], "Stichtag": [date(2024, 12, 31)] * 4,
        "Verlauf": [[1.0, 2.0], [], [3.0], [4.0]]})
    daten = xlsx_bytes({"Karte: Kinderarmut/2024": frame}, "Kinderarmut je Sozialraum",
                       quellen=["IT.NRW", "Jobcenter"], hinweise=["Kleine Fallzahlen sind nicht ausgewiesen."],
                       stand="31.12.2024")
    blaetter = _blaetter(daten)
    assert list(blaetter) == ["Karte  Kinderarmut 2024", "Quellen und Hinweise"]
    t = blaetter["Karte  Kinderarmut 2024"]
    assert t[0] == ["Nr.", "Sozialraum", "Kinderarmut", "ggü. Vorjahr", "Einwohner", "Stichtag", "Verlauf"]
    assert t[1][0] == "0103" and t[1][2] == pytest.approx(17.7) and t[1][3] == pytest.approx(0.4)
    assert t[2][2] == "< 3 Fälle" and t[3][3] == pytest.approx(-1.2) and t[1][4] == 12345
    assert t[1][5] == date(2024, 12, 31) and t[1][6] == "1.0; 2.0"
    assert [r[1] for r in t[1:]] == BOESE                       # as text, exactly as delivered
    blatt = _xml(daten, "xl/worksheets/sheet1.xml")
    assert 'ySplit="1"' in blatt and 'state="frozen"' in blatt and "<autoFilter" in blatt
    assert "<f>" not in blatt                                   # no formula anywhere
    stile = _xml(daten, "xl/styles.xml")
    assert 'formatCode="0.0&quot; %&quot;"' in stile and 'formatCode="dd.mm.yyyy"' in stile
    info = [r[0] for r in blaetter["Quellen und Hinweise"]]
    assert info[:2] == ["Kinderarmut je Sozialraum", "Stand: 31.12.2024"]
    assert "IT.NRW" in info and "Kleine Fallzahlen sind nicht ausgewiesen." in info

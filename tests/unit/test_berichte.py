"""PDF reports: parsed for headings, German-formatted numbers and page counts; texts from
deliveries are set as text, never as Typst markup; page 1 rendered to PNG."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from fis import controlling as ctl
from fis.berichte import Abschnitt, Bericht, Tabelle, pdf, png_seiten
from fis.berichte.inhalte import abweichungsbericht, steckbrief
from fis.format import fmt_zahl
from fis.monitoring import lade_monitoring, profil

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"


def _text(daten: bytes) -> tuple[str, int]:
    r = PdfReader(io.BytesIO(daten))
    return "\n".join(p.extract_text() for p in r.pages), len(r.pages)


@pytest.fixture(scope="module")
def m(demo, config):
    return lade_monitoring(demo, config)


def test_abweichungsbericht_pdf(demo, config, m):
    c = ctl.lade_controlling(demo, m)
    jahr, monat = ctl.berichtsstand(c, "Quartal")
    b = ctl.bewerte_ziele(c, jahr, config.controlling)
    h = ctl.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    bericht = abweichungsbericht(demo, config, c, b, h, "Quartal")
    daten = pdf(bericht)
    text, seiten = _text(daten)
    assert daten[:5] == b"%PDF-" and 4 <= seiten <= 12
    assert "Abweichungsbericht zum 30.09.2026" in text and "Inhalt" in text and "Quellen und Hinweise" in text
    assert "Dezernat V – Soziales, Jugend und Gesundheit" in text
    # every red or yellow goal is listed with its sentence (German numbers such as „0,30 %“)
    rot = b[b["ampel_eigen"] == "rot"]
    for kennung in rot["ziel_id"]:
        assert kennung in text
    assert "0,30 %" in text and "Toleranz 0,01 Pp überschritten" in text.replace("\n", " ")
    assert f"1 / {seiten - 1}" in text or f"2 / {seiten - 1}" in text        # page numbers after the title page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "abweichungsbericht_s1.png").write_bytes(png_seiten(bericht, 60)[0])


def test_steckbrief_of_one_area_and_of_a_bezirk(demo, config, m):
    tag = date(2024, 12, 31)
    b = steckbrief(demo, config, m, ["0103"], tag)
    text, seiten = _text(pdf(b))
    assert "Sozialraum-Steckbrief Schlossviertel" in text and "Handlungsbedarf" in text
    p = profil(m, "0103", tag).set_index("indikator_id")
    assert fmt_zahl(p.at["kinderarmut", "wert"], 1) + " %" in text
    assert "zum Schutz der Betroffenen nicht ausgewiesen" in text.replace("\n", " ")   # the suppression note
    bezirk = steckbrief(demo, config, m, sorted(m.raeume[(m.raeume["stichtag"] == tag)
                                                         & (m.raeume["parent_id"] == "01")]["raum_id"]), tag)
    text_b, seiten_b = _text(pdf(bezirk))
    assert "Sozialraum-Steckbriefe (8 Gebiete)" in text_b and seiten_b > seiten
    (ARTIFACTS / "steckbrief_s3.png").write_bytes(png_seiten(b, 60)[2])


def test_delivered_text_is_never_typst_markup():
    boese = '#let x = 1 *fett* $a^2$ #read("/etc/passwd") <img src=x onerror=alert(1)> ]) [ \\'
    b = Bericht(boese, "u", "Stadt", date(2024, 12, 31), "endgültig", "–",
                [Abschnitt(boese, absaetze=[boese], tabellen=[Tabelle(boese, pd.DataFrame({"a": [boese]}))])],
                [boese], [boese])
    text, _ = _text(pdf(b))
    assert text.count('#read("/etc/passwd")') >= 3 and "root:" not in text


def test_cli_writes_a_report(demo_db_file, tmp_path):
    ziel = tmp_path / "abw.pdf"
    r = subprocess.run([sys.executable, "-m", "fis", "report", "abweichungsbericht", "--rhythmus", "Monat",
                        "--out", str(ziel), "--db", str(demo_db_file)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Abweichungsbericht zum 31.10.2026" in _text(ziel.read_bytes())[0]
    r = subprocess.run([sys.executable, "-m", "fis", "report", "steckbrief", "--raum", "9999", "--out",
                        str(tmp_path / "x.pdf"), "--db", str(demo_db_file)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1 and "Raum „9999“ gibt es" in r.stderr

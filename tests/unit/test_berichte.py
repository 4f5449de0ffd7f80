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
import shapely
from pypdf import PdfReader

from fis import controlling as ctl
from fis import hochrechnung
from fis.analysen import profil
from fis.berichte import Abschnitt, Bericht, Tabelle, pdf, png_seiten
from fis.berichte.grafik import karte
from fis.berichte.indexbericht import indexbericht
from fis.berichte.inhalte import abweichungsbericht, monitoringbericht, produktdatenblatt, steckbrief
from fis.format import fmt_wert, fmt_zahl
from fis.indizes import berechne_aus, lade_indexdaten
from fis.kartenansicht import kartenansicht
from fis.lagebild import berechne_lagebild
from fis.maps import GRAU_FALLZAHL, GRAU_GESPERRT, anzeige_geometrien
from fis.monitoring import einwohner_je_jahr
from fis.produkte import datenblatt, datenblatt_tabellen, lade_produkte

pytestmark = pytest.mark.langsam   # sets PDFs with Typst and renders maps

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"


def _text(daten: bytes) -> tuple[str, int]:
    r = PdfReader(io.BytesIO(daten))
    return "\n".join(p.extract_text() for p in r.pages), len(r.pages)


def test_abweichungsbericht_pdf(demo, config, m):
    c = ctl.lade_controlling(demo, m)
    jahr, monat = hochrechnung.berichtsstand(c, "Quartal")
    b = ctl.bewerte_ziele(c, jahr, config.controlling)
    h = hochrechnung.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    bericht = abweichungsbericht(demo, config, c, b, h, "Quartal")
    daten = pdf(bericht)
    text, seiten = _text(daten)
    assert daten[:5] == b"%PDF-" and 4 <= seiten <= 12
    assert "Abweichungsbericht zum 30.09.2026" in text and "Auf einen Blick" in text and "Quellen und Hinweise" in text
    assert "Dezernat V – Soziales, Jugend und Gesundheit" in text
    # every red or yellow goal is listed with its sentence (German numbers such as „0,30 %“)
    rot = b[b["ampel_eigen"] == "rot"]
    for kennung in rot["ziel_id"]:
        assert kennung in text
    assert "0,30 %" in text and "Ziel verfehlt" in text.replace("\n", " ")
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


def test_the_steckbrief_from_a_slice_of_the_cube_equals_the_one_from_every_value(demo, config, m):
    """The report reads the Stichtag for every area and the series of its areas only (a large city: a twentieth
    of the values); text, tables and charts are the same. (A Bezirk's slice: tests/unit/test_profil_ausschnitt.)"""
    import dataclasses

    from fis.berichte.arten import Berichtsauftrag, DirekteQuelle, _steckbrief, steckbrief_gebiete

    def gleich(a, b) -> bool:
        if isinstance(a, pd.DataFrame | pd.Series):
            return a.equals(b)
        if dataclasses.is_dataclass(a):
            return type(a) is type(b) and all(gleich(getattr(a, f.name), getattr(b, f.name))
                                               for f in dataclasses.fields(a))
        if isinstance(a, list | tuple):
            return len(a) == len(b) and all(gleich(x, y) for x, y in zip(a, b, strict=True))
        return a == b

    tag = date(2024, 12, 31)
    gebiete = steckbrief_gebiete(m, "0501", tag)
    assert gebiete == ["0501"]
    teil = _steckbrief(DirekteQuelle(demo, config), Berichtsauftrag(stichtag=tag, raum="0501"))
    ganz = steckbrief(demo, config, m, gebiete, tag)
    assert len(teil.abschnitte) > 2 and gleich(teil, ganz)


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


def test_monitoringbericht_with_static_maps_and_trends(demo, config, m):
    tag = date(2024, 12, 31)
    geo = anzeige_geometrien(demo, tag, 1)
    schritte = []
    b = monitoringbericht(demo, config, m, geo, tag, ["kinderarmut", "alq_u25"],
                          fortschritt=lambda anteil, name: schritte.append(name))
    daten = pdf(b)
    text, seiten = _text(daten)
    flach = text.replace("\n", " ")
    lage = berechne_lagebild(demo, config, tag, 1, m)
    assert "Sozialmonitoring 31.12.2024" in text and "Eckwerte der Gesamtstadt" in text
    assert f"51 Sozialräume, davon {len(lage.handlungsbedarf)} mit Handlungsbedarf" in flach
    stadt = m.auswahl("kinderarmut", tag, m.top)["wert"].iloc[0]
    assert f"Gesamtstadt: {fmt_wert(stadt, '%', 1)}" in flach
    # the three least favourable visible areas, most burdened first (Nordweststadt 53,8 %)
    assert "Ungünstigste Werte: Nordweststadt (53,8 %)" in flach
    # the names in the Handlungsbedarf table are not broken letter by letter (their columns once
    # got only what the indicator columns left: nothing, and the names overlapped)
    namen = [n for n in lage.handlungsbedarf["Sozialraum"] if len(n) <= 15]
    assert "Schlossviertel" in namen and all(n in text for n in namen), namen
    assert schritte == ["Kinderarmut", "Arbeitslosenanteil unter 25-Jähriger"]
    bilder = sum(len(p.images) for p in PdfReader(io.BytesIO(daten)).pages)
    assert bilder == 4 and 5 <= seiten <= 8                      # a map and a trend per indicator
    (ARTIFACTS / "monitoringbericht_s4.png").write_bytes(png_seiten(b, 60)[3])


def test_static_map_keeps_colours_and_winds_rings_for_d3(demo, config, m):
    tag = date(2024, 12, 31)
    a = kartenansicht(m, anzeige_geometrien(demo, tag, 1), "kinderarmut", tag, 1)
    spec = karte(a.daten, a.legende).to_dict()
    features = spec["hconcat"][0]["data"]["values"]
    assert len(features) == 51
    farben = a.daten.set_index("raum_id")["farbe"]
    assert sorted(f["properties"]["farbe"] for f in features) == sorted(farben)
    # suppressed areas are grey on the static map too, never coloured by a value
    geschuetzt = a.daten.loc[a.daten["unterdrueckt"], "farbe"]
    assert len(geschuetzt) == 4 and geschuetzt.isin([GRAU_FALLZAHL, GRAU_GESPERRT]).all()
    ring = shapely.geometry.shape(features[0]["geometry"])
    ring = ring.geoms[0] if ring.geom_type == "MultiPolygon" else ring
    assert not ring.exterior.is_ccw                               # clockwise for d3-geo
    legende = [x["text"] for d in spec["datasets"].values() for x in d if isinstance(x, dict) and "text" in x]
    assert legende == [f"{e.text} ({e.anzahl})" for e in a.legende]


def test_indexbericht(demo, config, m):
    daten = lade_indexdaten(demo, config)
    tag = date(2024, 12, 31)
    b = indexbericht(demo, config, daten, m, anzeige_geometrien(demo, tag, 1), "sozialindex", tag)
    text, seiten = _text(pdf(b))
    flach = text.replace("\n", " ")
    e = berechne_aus(daten, config, next(i for i in config.indizes.indizes if i.id == "sozialindex"), tag)
    bewertet = int(e.werte["einbezogen"].sum())
    assert "Sozialindex (Kölner Modell) 31.12.2024" in text and seiten >= 4
    assert f"{bewertet} Gebiete bewertet, {len(e.werte) - bewertet} nicht bewertet" in flach
    assert "Gegenüber 31.12.2023:" in flach and "Kita-Kinder mit beitragsbefreiten Eltern" in flach
    hoechster = e.werte.sort_values("wert", ascending=False).iloc[0]
    assert fmt_zahl(hoechster["wert"], 2) in text and f"({hoechster['raum_id']})" in text
    assert "D hohe Belastung" in text and "Interne Fassung" in flach


def test_produktdatenblatt_of_a_group_contains_each_product(demo, config, m):
    p = lade_produkte(demo)
    c = ctl.lade_controlling(demo, m)
    jahr, _ = hochrechnung.berichtsstand(c)
    bew = ctl.bewerte_ziele(c, jahr, config.controlling)
    ew = einwohner_je_jahr(m, config.stadt.einwohner_indikator)
    hj = p.haushaltsjahr()
    b = produktdatenblatt(demo, config, p, c, bew, "11.05.01", hj, ew)
    text, _ = _text(pdf(b))
    flach = text.replace("\n", " ")
    assert "Produktdatenblätter 11.05.01 Grundsicherung für Arbeit" in flach
    for nr in p.teile("11.05.01"):
        assert nr in text
    kz, tep = datenblatt_tabellen(datenblatt(p, "11.05.01", hj, ew))
    for wert in [*kz.iloc[0, 1:], *tep[tep["Nr."] == 18].iloc[0, 2:]]:   # Kennzahl 1, Ordentliches Ergebnis
        assert wert in text
    assert "■ rot" not in text and "A1 Die SGB-II-Quote sinkt" in flach    # Ampel cell: coloured, with the word
    einzeln = produktdatenblatt(demo, config, p, c, bew, "11.05.01.01", hj, ew)
    assert einzeln.titel.startswith("Produktdatenblatt 11.05.01.01") and len(_text(pdf(einzeln))[0]) < len(text)


@pytest.mark.parametrize("art, extra, titel", [
    ("monitoring", ["--stichtag", "31.12.2023"], "Sozialmonitoring 31.12.2023"),
    ("sozialindex", ["--index", "bildungsindex"], "Bildungsindex"),
    ("produktdatenblatt", ["--produkt", "11.05.01.02"], "Produktdatenblatt 11.05.01.02"),
])
def test_cli_further_reports(demo_db_file, tmp_path, art, extra, titel):
    ziel = tmp_path / "b.pdf"
    r = subprocess.run([sys.executable, "-m", "fis", "report", art, *extra, "--out", str(ziel),
                        "--db", str(demo_db_file)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert titel in _text(ziel.read_bytes())[0]


def test_cli_report_errors_are_german(demo_db_file, tmp_path):
    def lauf(*args):
        return subprocess.run([sys.executable, "-m", "fis", "report", *args, "--out", str(tmp_path / "x.pdf"),
                               "--db", str(demo_db_file)], cwd=ROOT, capture_output=True, text=True)
    r = lauf("produktdatenblatt", "--produkt", "'); DROP TABLE produkt; --")
    assert r.returncode == 1 and "gibt es nicht" in r.stderr
    r = lauf("produktdatenblatt")
    assert r.returncode == 1 and "Bitte mit --produkt ein Produkt oder eine Produktgruppe nennen" in r.stderr
    r = lauf("sozialindex", "--index", "gibtsnicht")
    assert r.returncode == 1 and "vorhanden: sozialindex, bildungsindex" in r.stderr
    r = lauf("monitoring", "--stichtag", "31.12.1990")
    assert r.returncode == 1 and "keine Werte" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_indexbericht_for_the_public_has_classes_but_no_index_value(demo, config):
    from fis.wuerfel import lade_monitoring
    oeffentlich = demo.cursor(nur_veroeffentlicht=True)
    daten = lade_indexdaten(oeffentlich, config)
    m_pub = lade_monitoring(oeffentlich, config)
    tag = date(2024, 12, 31)
    b = indexbericht(oeffentlich, config, daten, m_pub, anzeige_geometrien(oeffentlich, tag, 1), "sozialindex", tag)
    text, _ = _text(pdf(b))
    flach = text.replace("\n", " ")
    e = berechne_aus(daten, config, next(i for i in config.indizes.indizes if i.id == "sozialindex"), tag)
    assert "D hohe Belastung" in text and "nur Klassen" in flach
    assert "Indexwert " not in flach and "Interne Fassung" not in flach
    for wert in e.werte["wert"].dropna():                       # no internal index value, at any rounding shown
        assert fmt_zahl(wert, 2) not in text or abs(wert) < 0.1 or fmt_zahl(wert, 2) in ("1,00", "0,00")

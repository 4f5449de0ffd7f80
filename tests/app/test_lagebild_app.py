"""AppTest of the app frame and the Lagebild page on the demo database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fis.format import fmt_differenz
from fis.monitoring import berechne_aggregat

ROOT = Path(__file__).resolve().parents[2]


def _app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    return at.run()


def _metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


@pytest.fixture(scope="module")
def city_values(demo):
    indikatoren = demo.lade_indikatoren()
    stadt = berechne_aggregat(demo.lade_werte(["bev_gesamt", "sgb2_quote"]), demo.lade_raeume(),
                              indikatoren, 3)
    stadt["stichtag"] = pd.to_datetime(stadt["stichtag"]).dt.date
    return stadt.set_index(["indikator_id", "stichtag"])["wert"]


def test_the_app_opens_on_the_lagebild_of_the_latest_stichtag(monkeypatch, demo_copy, city_values):
    at = _app(monkeypatch, demo_copy)
    assert not at.exception
    assert at.title[0].value == "Lagebild Musterstadt"
    assert "Stichtag 31.12.2024" in at.caption[0].value
    bev = city_values[("bev_gesamt", date(2024, 12, 31))]
    assert _metric(at, "Einwohnerinnen und Einwohner").value == f"{bev:,.0f}".replace(",", ".")
    sgb2 = city_values[("sgb2_quote", date(2024, 12, 31))]
    assert _metric(at, "SGB-II-Quote").value == f"{sgb2:.1f} %".replace(".", ",")
    delta = sgb2 - city_values[("sgb2_quote", date(2023, 12, 31))]
    expected = fmt_differenz(delta, "%", 1).replace("−", "-")
    assert _metric(at, "SGB-II-Quote").delta == expected
    assert any("mit Handlungsbedarf: 14 von 51" in s.value for s in at.subheader)
    assert [m.label for m in at.metric][-4:] == ["Ergebnis/Wirkung", "Programm/Produkt",
                                                 "Prozess/Struktur", "Ressourcen"]


def test_choosing_another_stichtag_shows_that_years_figures(monkeypatch, demo_copy, city_values):
    at = _app(monkeypatch, demo_copy)
    at.sidebar.selectbox(key="_stichtag").set_value(date(2019, 12, 31)).run()
    assert not at.exception
    assert "Stichtag 31.12.2019" in at.caption[0].value
    bev = city_values[("bev_gesamt", date(2019, 12, 31))]
    assert _metric(at, "Einwohnerinnen und Einwohner").value == f"{bev:,.0f}".replace(",", ".")


def test_the_raumebene_decides_the_rows_of_the_comparison_table(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    assert len(at.dataframe[-1].value) == 51
    at.sidebar.selectbox(key="_ebene").set_value(2).run()
    assert not at.exception
    bezirke = at.dataframe[-1].value
    assert len(bezirke) == 8
    assert "Eckwerte je Stadtbezirk" in [s.value for s in at.subheader]


def test_small_counts_are_shown_as_suppressed_not_as_zero(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    frame: pd.DataFrame = at.dataframe[-1].value
    hafen = frame[frame["Name"] == "Hafen"].iloc[0]
    shown = " ".join(str(v) for v in hafen.to_numpy())
    assert "< " in shown and "Fälle" in shown


@pytest.mark.langsam
def test_the_first_start_builds_the_demo_database(monkeypatch, tmp_path):
    db = tmp_path / "neu" / "fis.duckdb"
    at = _app(monkeypatch, db)
    assert not at.exception
    assert db.exists()
    assert at.title[0].value == "Lagebild Musterstadt"


def test_a_broken_configuration_shows_a_german_error_instead_of_crashing(monkeypatch, demo_copy, tmp_path):
    import shutil

    broken = tmp_path / "config"
    shutil.copytree(ROOT / "config", broken)
    stadt = broken / "stadt.yaml"
    stadt.write_text(stadt.read_text(encoding="utf-8").replace("land:", "bundesland:"), encoding="utf-8")
    monkeypatch.setenv("FIS_CONFIG", str(broken))
    at = _app(monkeypatch, demo_copy)
    assert not at.exception
    assert "Die Konfiguration ist fehlerhaft" in at.error[0].value
    assert "„bundesland“" in at.error[0].value and "stadt.yaml, Zeile 3" in at.error[0].value


def test_a_file_that_is_not_a_database_shows_a_german_error(monkeypatch, tmp_path):
    db = tmp_path / "kaputt.duckdb"
    db.write_text("keine Datenbank", encoding="utf-8")
    at = _app(monkeypatch, db)
    assert not at.exception
    assert "lässt sich nicht öffnen" in at.error[0].value
    assert db.read_text(encoding="utf-8") == "keine Datenbank"


def test_every_lagebild_table_downloads_as_csv_and_excel(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    knoepfe = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    assert set(knoepfe) == {"lagebild_hb_csv", "lagebild_hb_csv_xlsx", "lagebild_raum_csv", "lagebild_raum_csv_xlsx"}
    # the workbook is written on click (deferred), the CSV at once
    assert knoepfe["lagebild_hb_csv_xlsx"].label == "Excel" and knoepfe["lagebild_hb_csv_xlsx"].deferred_file_id
    assert knoepfe["lagebild_raum_csv"].url.endswith(".csv")


def test_the_cards_compare_with_land_and_bund_and_stay_aligned(monkeypatch, demo_copy):
    """Every card's caption has the same two lines (status and change; the comparison values or a blank), so the
    cards of a row line up; the table ranks the city in its Vergleichsring."""
    at = _app(monkeypatch, demo_copy)
    karten = [c.value for c in at.caption if c.value.startswith(("endgültig", "vorläufig", "unvollständig", "kein"))]
    assert len(karten) == 8 and all(k.count("  \n") == 1 for k in karten)
    assert any(k.endswith("  \nNRW 9,0 % · Bund 7,0 %") for k in karten)
    tabelle = next(d.value for d in at.dataframe if "Rang im Vergleichsring" in d.value.columns).set_index("Indikator")
    assert tabelle.at["SGB-II-Quote", "Rang im Vergleichsring"] == "4 von 6"

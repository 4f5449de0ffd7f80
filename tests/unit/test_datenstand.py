"""Datenstand: the default Stichtag is the newest complete, published one; incomplete sums are never
shown as if complete; a delivered total is the value of its level. Hand-computed cases and the demo
after a partial, unpublished delivery (5 of 51 Sozialräume at 31.12.2025)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from fis.analysen import profil, profil_tabelle
from fis.datenstand import lade_stichtagsstaende, standard_stichtag, stichtagsstaende
from fis.format import fmt_datum, jahre_vorher
from fis.lagebild import berechne_lagebild
from fis.monitoring import abdeckung_pruefen, aggregate_levels
from fis.store import Store
from fis.wuerfel import lade_monitoring
from tests.teillieferung import STICHTAG, liefere_teil

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def teil_db(demo_db_file, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("teil") / "teil.duckdb"
    shutil.copy(demo_db_file, db)
    liefere_teil(db)
    return db


@pytest.fixture(scope="module")
def teil(teil_db):
    with Store.open(teil_db, read_only=True) as store:
        yield store


# --------------------------------------------------------------------------- default Stichtag

def test_a_partial_unpublished_delivery_does_not_move_the_default_stichtag(teil, config):
    staende = lade_stichtagsstaende(teil, config)
    neu = staende[-1]
    assert neu.stichtag == STICHTAG
    assert (neu.geliefert, neu.erwartet, neu.vollstaendig, neu.vorlaeufig) == (5, 51, False, True)
    assert neu.label() == "31.12.2025 – unvollständig, vorläufig"
    assert "Werte für 5 von 51 Sozialräumen" in neu.hinweis("Sozialräume")
    assert "vorläufig, nicht veröffentlicht" in neu.hinweis("Sozialräume")
    assert standard_stichtag(staende) == date(2024, 12, 31)
    alt = staende[-2]
    assert alt.vollstaendig and not alt.vorlaeufig and alt.label() == "31.12.2024"


def test_the_public_view_does_not_know_the_unpublished_stichtag(teil, config):
    oeffentlich = lade_stichtagsstaende(teil.cursor(nur_veroeffentlicht=True), config)
    assert STICHTAG not in [s.stichtag for s in oeffentlich]
    assert standard_stichtag(oeffentlich) == date(2024, 12, 31)


def test_an_indicator_not_delivered_at_a_stichtag_does_not_make_it_incomplete():
    # two core indicators; at T2 only "a" is delivered (other rhythm) – complete; at T3 "a" for 1 of 2 areas
    t1, t2, t3 = date(2022, 12, 31), date(2023, 12, 31), date(2024, 12, 31)
    zeilen = [(t1, "a", 2, 0, 2), (t1, "b", 2, 0, 2), (t2, "a", 2, 0, 2), (t2, "b", 0, 0, 2), (t3, "a", 1, 0, 2)]
    abdeckung = pd.DataFrame(zeilen, columns=["stichtag", "indikator_id", "geliefert", "klein", "erwartet"])
    abdeckung["offen"] = 0
    staende = stichtagsstaende(abdeckung, abdeckung)
    assert [s.vollstaendig for s in staende] == [True, True, False]
    assert standard_stichtag(staende) == t2


def test_areas_too_small_to_show_a_value_count_as_covered():
    abdeckung = pd.DataFrame({"stichtag": [date(2024, 12, 31)], "indikator_id": ["a"], "geliefert": [48],
                              "klein": [3], "erwartet": [51], "offen": [0]})
    (stand,) = stichtagsstaende(abdeckung, abdeckung)
    assert stand.vollstaendig and stand.geliefert == 51


# --------------------------------------------------------------------------- incomplete sums

def test_a_city_value_from_5_of_51_areas_is_withheld_with_its_coverage(teil, config):
    m = lade_monitoring(teil, config, ["sgb2_quote"])
    stadt = m.auswahl("sgb2_quote", STICHTAG, 3).iloc[0]
    assert pd.isna(stadt["wert"]) and stadt["unvollstaendig"] and stadt["abdeckung"] == "5 von 51 Sozialräumen"
    vorher = m.auswahl("sgb2_quote", date(2024, 12, 31), 3).iloc[0]
    assert vorher["wert"] == pytest.approx(vorher["zaehler"] / vorher["nenner"] * 100)
    assert not vorher["unvollstaendig"] and vorher["abdeckung"] == ""


def test_above_the_minimum_coverage_the_sum_is_shown_with_coverage_and_as_provisional(teil, config):
    locker = dataclasses.replace(config, stadt=dataclasses.replace(config.stadt, mindest_abdeckung=5.0))
    m = lade_monitoring(teil, locker, ["sgb2_quote"])
    stadt = m.auswahl("sgb2_quote", STICHTAG, 3).iloc[0]
    teile = m.auswahl("sgb2_quote", STICHTAG, 1)
    assert stadt["wert"] == pytest.approx(teile["zaehler"].sum() / teile["nenner"].sum() * 100)
    assert stadt["status"] == "vorläufig" and stadt["abdeckung"] == "5 von 51 Sozialräumen"
    from fis.format import fmt_anzeige
    assert fmt_anzeige(stadt["wert"], "%", 1, abdeckung=stadt["abdeckung"]).endswith(" % (5 von 51 Sozialräumen)")


def test_the_lagebild_of_the_partial_stichtag_shows_no_made_up_city_value(teil, config):
    m = lade_monitoring(teil, config, list(dict.fromkeys([*config.lagebild.kennzahlen,
                                                          *config.lagebild.handlungsbedarf.indikatoren])))
    lage = berechne_lagebild(teil, config, STICHTAG, 1, m, pd.Series(dtype=object))
    sgb2 = next(e for e in lage.eckwerte if e.indikator_id == "sgb2_quote")
    assert sgb2.wert is None and sgb2.veraenderung_vorjahr is None and sgb2.abdeckung == "5 von 51 Sozialräumen"
    assert lage.nicht_beurteilbar.startswith("nicht beurteilbar") and lage.handlungsbedarf.empty
    assert lage.anzahl_sozialraeume == 51
    assert "Teillieferung" in lage.stand
    frueher = berechne_lagebild(teil, config, date(2024, 12, 31), 1, m, pd.Series(dtype=object))
    assert frueher.nicht_beurteilbar == "" and "Teillieferung" not in frueher.stand
    assert next(e for e in frueher.eckwerte if e.indikator_id == "sgb2_quote").wert is not None


def test_an_area_without_values_has_an_empty_profile_not_an_error(teil, config):
    m = lade_monitoring(teil, config)
    leer = profil(m, "0301", STICHTAG)
    assert leer.empty and "handlungsfeld" in leer.columns
    assert profil_tabelle(leer, 5).empty


def test_coverage_rule_by_hand():
    werte = pd.DataFrame({"raum_id": ["B", "S"], "ebene": [2, 3], "geliefert": [False, False],
                          "anzahl": [3, 9], "erwartet": [4, 10], "wert": [1.0, 2.0], "zaehler": [1.0, 2.0],
                          "nenner": [1.0, 1.0], "status": ["endgültig", "endgültig"]})
    out = abdeckung_pruefen(werte, 80.0, "Sozialräume")
    # 3 of 4 = 75 % < 80 % withheld; 9 of 10 = 90 % shown, provisional
    assert pd.isna(out.at[0, "wert"]) and out.at[0, "abdeckung"] == "3 von 4 Sozialräumen"
    assert out.at[1, "wert"] == 2.0 and out.at[1, "status"] == "vorläufig"


# --------------------------------------------------------------------------- delivered totals

RAEUME = pd.DataFrame([("S", date(2010, 1, 1), None, 2, "Stadt", None),
                       ("a", date(2010, 1, 1), None, 1, "A", "S"), ("b", date(2010, 1, 1), None, 1, "B", "S")],
                      columns=["raum_id", "gueltig_von", "gueltig_bis", "ebene", "name", "parent_id"])
T = date(2024, 12, 31)


def _katalog(gesamtwert: str) -> pd.DataFrame:
    return pd.DataFrame({"indikator_id": ["ew"], "aggregation": ["summe"], "faktor": [1.0], "gesamtwert": [gesamtwert],
                         "einheit": ["Anzahl"], "nachkommastellen": [0]})


def _geliefert() -> pd.DataFrame:
    return pd.DataFrame({"raum_id": ["a", "b", "S"], "indikator_id": "ew", "stichtag": T,
                         "wert": [50_000.0, 46_182.0, 96_187.0], "zaehler": float("nan"), "nenner": float("nan"),
                         "status": "endgültig"})


def test_a_delivered_city_total_is_the_city_value_and_the_rest_is_not_assignable():
    out = aggregate_levels(_geliefert(), RAEUME, _katalog("geliefert"), 2).set_index("raum_id")
    assert out.at["S", "wert"] == 96_187 and out.at["S", "summe_teile"] == 96_182 and out.at["S", "geliefert"]
    from fis.analysen import gesamtwert_hinweis
    meta = pd.Series({"einheit": "Anzahl", "nachkommastellen": 0, "aggregation": "summe"})
    assert gesamtwert_hinweis(out.loc["S"], meta) == \
        "amtlicher Gesamtwert; Summe der Sozialräume: 96.182, nicht zuordenbar: 5"


def test_gesamtwert_summe_shows_the_sum_of_the_parts():
    out = aggregate_levels(_geliefert(), RAEUME, _katalog("summe"), 2).set_index("raum_id")
    assert out.at["S", "wert"] == 96_182 and not out.at["S", "geliefert"]


def test_a_delivered_total_counts_as_complete_even_when_areas_are_missing():
    nur_a = _geliefert()[lambda f: f["raum_id"] != "b"]
    out = aggregate_levels(nur_a, RAEUME, _katalog("geliefert"), 2).set_index("raum_id")
    assert out.at["S", "wert"] == 96_187 and out.at["S", "vollstaendig"]
    geprueft = abdeckung_pruefen(out.reset_index(), 100.0)
    assert geprueft.set_index("raum_id").at["S", "abdeckung"] == ""


# --------------------------------------------------------------------------- CLI and formats

@pytest.mark.langsam
def test_reports_without_stichtag_use_the_last_complete_published_one(teil_db, tmp_path):
    r = subprocess.run([sys.executable, "-m", "fis", "report", "steckbrief", "--raum", "01", "--out",
                        str(tmp_path / "s.pdf"), "--db", str(teil_db)], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "Hinweis" not in r.stderr
    from pypdf import PdfReader
    text = PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    assert "31.12.2024" in text


@pytest.mark.langsam
def test_a_report_of_the_partial_stichtag_names_its_state(teil_db, tmp_path):
    r = subprocess.run([sys.executable, "-m", "fis", "report", "steckbrief", "--raum", "0301", "--stichtag",
                        "31.12.2025", "--out", str(tmp_path / "s.pdf"), "--db", str(teil_db)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Hinweis: Stichtag 31.12.2025: vorläufig, nicht veröffentlicht" in r.stderr
    from pypdf import PdfReader
    seiten = " ".join(p.extract_text() for p in PdfReader(tmp_path / "s.pdf").pages)
    assert "unvollständig" in seiten and "keine Werte" in seiten


def test_an_unexpected_cli_error_is_a_german_sentence_with_a_reference(tmp_path, monkeypatch, capsys):
    from fis import cli
    monkeypatch.setenv("FIS_LOG", str(tmp_path / "fis.log"))

    def kaputt(args):
        raise KeyError("handlungsfeld")

    monkeypatch.setattr(cli.betrieb, "_status", kaputt)
    assert cli.main(["status", "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "KeyError" not in err
    ref = err.split("Referenz ")[1][:8]
    assert ref in (tmp_path / "fis.log").read_text(encoding="utf-8")
    assert "KeyError" in (tmp_path / "fis.log").read_text(encoding="utf-8")


def test_dates_without_value_and_leap_days():
    assert fmt_datum(pd.NaT) == "–" and fmt_datum(None) == "–" and fmt_datum(float("nan")) == "–"
    assert jahre_vorher(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert jahre_vorher(date(2024, 12, 31), 5) == date(2019, 12, 31)


@pytest.mark.parametrize("befehl", [["report", "monitoring"], ["report", "steckbrief", "--raum", "01"],
                                    ["report", "sozialindex"], ["report", "produktdatenblatt"],
                                    ["index", "--stichtag", "31.12.2024"]])
def test_commands_on_an_empty_database_say_what_is_missing(tmp_path, befehl, capsys):
    from fis import cli
    db = tmp_path / "leer.duckdb"
    Store.open(db).close()
    extra = ["--out", str(tmp_path / "x.pdf")] if befehl[0] == "report" else []
    assert cli.main([*befehl, *extra, "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ") and "Referenz" not in err and "Traceback" not in err, err

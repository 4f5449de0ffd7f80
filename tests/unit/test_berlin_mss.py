"""The Berlin MSS reproduced: from the index-indicator shares alone (imported through the
normal path by examples/berlin/laden.sh), the configured indices give the official Status,
Dynamik and Gesamtindex classes of every Planungsraum in the 2013, 2015, 2017 and 2019 editions."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from fis.config_lesen import lade_konfiguration
from fis.indizes import berechne_aus, export_tabelle, index_nach_id, lade_indexdaten
from fis.store import Store
from tests.echtdaten import REAL, nur_mit_echtdaten

ROOT = Path(__file__).resolve().parents[2]
AUSGABEN = REAL / "berlin-mss" / "editions_2013-2021"
CONFIG = ROOT / "examples" / "berlin" / "config"

pytestmark = [nur_mit_echtdaten, pytest.mark.langsam]   # builds the Berlin database from real data


@pytest.fixture(scope="module")
def daten(berlin_db):
    with Store.open(berlin_db, read_only=True) as store:
        return lade_indexdaten(store, lade_konfiguration(CONFIG))


@pytest.mark.parametrize(("ausgabe", "suffix"), [(2013, "_4"), (2015, "_4"), (2017, "_4"), (2019, "")])
def test_official_mss_classes_are_reproduced_for_every_planungsraum(daten, ausgabe, suffix):
    tabelle = export_tabelle(lade_konfiguration(CONFIG), daten, date(ausgabe - 1, 12, 31)).set_index("raum_id")
    amtlich = pd.read_csv(AUSGABEN / f"berlin-lor-monitoring-social-urban-development-{ausgabe}-00-1.csv",
                          dtype={"id": str}).set_index("id")
    bewertet = amtlich.dropna(subset=["status_index"])
    assert len(bewertet) >= 434
    ergebnis = tabelle.dropna(subset=[f"mss_status{suffix}_klasse"])
    assert set(ergebnis.index) == set(bewertet.index)                 # the same Planungsräume rated
    status = ergebnis.loc[bewertet.index, f"mss_status{suffix}_klasse"]
    assert (status == bewertet["status_index"].astype(int).astype(str)).all()
    assert (ergebnis.loc[bewertet.index, f"mss_dynamik{suffix}_klasse"] == bewertet["dynamic_index"]).all()
    assert (ergebnis.loc[bewertet.index, f"mss_gesamt{suffix}"] == bewertet["status_dynamic_index"]).all()


def test_the_2021_edition_is_computed_for_the_new_planungsraeume(daten):
    config = lade_konfiguration(CONFIG)
    e = berechne_aus(daten, config, index_nach_id(config, "mss_status"), date(2021, 1, 1))
    assert len(e.werte) == 542
    ungueltig = pd.read_csv(REAL / "berlin-mss" / "mss2021_wfs" / "mss_2021_index_indikatoren.csv",
                            dtype={"PLR_ID": str})
    ungueltig = set(ungueltig.loc[ungueltig["KOM"] != "gültig", "PLR_ID"])
    nicht_bewertet = set(e.werte.loc[~e.werte["einbezogen"], "raum_id"])
    assert nicht_bewertet == ungueltig                                 # exactly the KOM exclusions
    assert e.werte["klasse"].value_counts().to_dict().keys() == {"1", "2", "3", "4"}


def test_documented_cli_export(berlin_db, tmp_path):
    ziel = tmp_path / "mss2019.csv"
    r = subprocess.run([sys.executable, "-m", "fis", "--config", str(CONFIG), "index", "--db", str(berlin_db),
                        "--stichtag", "31.12.2018", "--csv", str(ziel)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    csv = pd.read_csv(ziel, sep=";", decimal=",", dtype={"raum_id": str})
    assert list(csv.columns) == ["raum_id", "mss_status_wert", "mss_status_klasse", "mss_dynamik_wert",
                                 "mss_dynamik_klasse", "mss_gesamt"]
    amtlich = pd.read_csv(AUSGABEN / "berlin-lor-monitoring-social-urban-development-2019-00-1.csv", dtype={"id": str})
    assert set(amtlich["id"]) <= set(csv["raum_id"])                  # one row per Planungsraum of the scheme
    assert csv["raum_id"].is_unique and csv.set_index("raum_id").at["01011101", "mss_gesamt"] == "2+/-"

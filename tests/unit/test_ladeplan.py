"""A Ladeplan: many files loaded in one command, each as its own delivery, the cube brought up to date once;
a refused entry stops the plan with the entries before it kept; a plan with a wrong key or a missing file
loads nothing."""

from datetime import date
from pathlib import Path

import pytest

from fis.cli import main
from fis.config_lesen import lade_konfiguration
from fis.ingest.ladeplan import lade_ladeplan
from fis.ingest.lesen import ImportFehler
from fis.store import Store
from fis.wuerfel import lade_monitoring, nachfuehren
from tests.conftest import DEMO_LIEFERUNGEN
from tests.echtdaten import REAL, ROOT, nur_mit_echtdaten

KOPF = "raum;indikator;stichtag;wert;zaehler;nenner\n"


def _plan(ordner: Path, text: str) -> Path:
    plan = ordner / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


@pytest.fixture
def daten(tmp_path) -> Path:
    """Two value files in a data folder away from the plan."""
    d = tmp_path / "lieferungen"
    d.mkdir()
    (d / "alq.csv").write_text(KOPF + "0101;alq;31.12.2025;4,0;;\n0102;alq;31.12.2025;5,5;;\n", encoding="utf-8")
    (d / "kaputt.csv").write_text(KOPF + "9999;alq;31.12.2025;abc;;\n", encoding="utf-8")
    (d / "alq_2026.csv").write_text(KOPF + "0101;alq;30.06.2026;3,0;;\n", encoding="utf-8")
    return d


def test_a_plan_loads_every_entry_with_its_options_and_updates_the_cube_once(demo_copy, tmp_path, daten, capsys):
    plan = _plan(tmp_path, "quelle: Statistikstelle\nlieferungen:\n"
                           "  - datei: '{daten}/alq.csv'\n    bezeichnung: Arbeitslose 2025\n"
                           "  - {datei: '{daten}/alq_2026.csv', status: vorläufig, quelle: Jobcenter}\n")
    assert main(["import", "--ladeplan", str(plan), "--daten", str(daten), "--db", str(demo_copy),
                 "--veroeffentlichen", "--benutzer", "p.planer"]) == 0
    out = capsys.readouterr().out
    assert "-- Eintrag 2 von 2" in out and "Ladeplan: 2 Dateien übernommen." in out
    config = lade_konfiguration(None)
    with Store.open(demo_copy) as store:
        neu = store.lade_lieferungen().set_index("lieferung_id").loc[[DEMO_LIEFERUNGEN + 1, DEMO_LIEFERUNGEN + 2]]
        assert list(neu["bezeichnung"])[0] == "Arbeitslose 2025"
        assert list(neu["quelle"]) == ["Statistikstelle", "Jobcenter"]          # the plan's default, overridden
        assert neu["veroeffentlicht_am"].notna().all()
        assert nachfuehren(store, config) == {"alle": 0, "veroeffentlicht": 0}  # the plan left it up to date
        m = lade_monitoring(store.cursor(nur_veroeffentlicht=True), config, ["alq"])
        w = m.werte.set_index(["raum_id", "stichtag"])["wert"]
        assert w[("0101", date(2025, 12, 31))] == 4.0 and w[("0102", date(2025, 12, 31))] == 5.5
        assert w[("0101", date(2026, 6, 30))] == 3.0
        assert set(store.lade_werte(indikator_ids=["alq"], stichtage=[date(2026, 6, 30)])["status"]) == \
            {"vorläufig"}


def test_a_refused_entry_stops_the_plan_and_keeps_the_entries_before(demo_copy, tmp_path, daten, capsys):
    plan = _plan(tmp_path, "lieferungen:\n  - datei: lieferungen/alq.csv\n  - datei: lieferungen/kaputt.csv\n"
                           "  - datei: lieferungen/alq_2026.csv\n")
    assert main(["import", "--ladeplan", str(plan), "--db", str(demo_copy)]) == 1
    captured = capsys.readouterr()
    assert "Fehler: Keine Zahl" in captured.out and "Eintrag 3" not in captured.out
    assert ("Ladeplan bei Eintrag 2 (kaputt.csv) angehalten. 1 Eintrag davor ist übernommen, die folgenden nicht."
            in captured.err)
    with Store.open(demo_copy, read_only=True) as store:
        assert store.lade_lieferungen()["lieferung_id"].max() == DEMO_LIEFERUNGEN + 1
        assert store.lade_werte(indikator_ids=["alq"], stichtage=[date(2026, 6, 30)]).empty
        assert nachfuehren(store.cursor(), lade_konfiguration(None)) == {"alle": 0, "veroeffentlicht": 0}


@pytest.mark.parametrize("text, meldung", [
    ("lieferungen:\n  - {datei: lieferungen/alq.csv, stichtg: 31.12.2025}\n",
     "Eintrag 1: unbekannte Angabe „stichtg“"),
    ("lieferungen:\n  - {datei: lieferungen/alq.csv, ebene: zwei}\n", "„ebene“ muss eine ganze Zahl sein"),
    ("lieferungen: []\n", "erwartet wird ein Abschnitt „lieferungen:“"),
    ("lieferungen:\n  - {bezeichnung: ohne Datei}\n", "Eintrag 1: jeder Eintrag braucht „datei:“"),
    ("lieferungen:\n  - datei: lieferungen/alq.csv\n  - datei: lieferungen/fehlt.csv\n"
     "  - {datei: lieferungen/alq.csv, zuordnung: fehlt.yaml}\n",
     "2 Dateien gibt es nicht – 2: "),
])
def test_a_wrong_plan_loads_nothing(demo_copy, tmp_path, daten, capsys, text, meldung):
    plan = _plan(tmp_path, text)
    with pytest.raises(ImportFehler, match=meldung):
        lade_ladeplan(plan)
    with Store.open(demo_copy, read_only=True) as store:
        vorher = store.content_hash()
    assert main(["import", "--ladeplan", str(plan), "--db", str(demo_copy), "--veroeffentlichen"]) == 2
    assert meldung in capsys.readouterr().err
    with Store.open(demo_copy, read_only=True) as store:
        assert store.content_hash() == vorher


def test_files_and_a_plan_together_are_refused(demo_copy, tmp_path, daten, capsys):
    plan = _plan(tmp_path, "lieferungen:\n  - datei: lieferungen/alq.csv\n")
    assert main(["import", str(daten / "alq.csv"), "--ladeplan", str(plan), "--db", str(demo_copy)]) == 2
    assert "entweder Dateien oder --ladeplan" in capsys.readouterr().err


@nur_mit_echtdaten
def test_the_berlin_plan_names_files_that_exist():
    eintraege = lade_ladeplan(ROOT / "examples" / "berlin" / "ladeplan.yaml", REAL)
    assert len(eintraege) == 1 + 5 + 20 + 5
    assert eintraege[0].datei.name == "indikatoren.yaml"
    assert eintraege[-1].optionen["stichtag"] == "01.01.2021"

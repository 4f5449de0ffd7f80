"""The Maßnahmenbericht (per Handlungsfeld and per area), the Steckbrief's „Maßnahmen in diesem Gebiet“, the
command line's choices, and the public version without small people counts."""

from __future__ import annotations

from datetime import date

import pytest

from fis.berichte import pdf
from fis.berichte.arten import BERICHTSARTEN, Berichtsauftrag, DirekteQuelle
from fis.cli import main
from fis.format import fmt_euro

pytestmark = pytest.mark.langsam   # typesets PDFs

T = date(2024, 12, 31)


def _bericht(store, config, **auswahl):
    return BERICHTSARTEN["massnahmenbericht"].erstellen(DirekteQuelle(store, config), Berichtsauftrag(stichtag=T,
                                                                                                      **auswahl))


def test_the_report_of_a_handlungsfeld(demo, config):
    b = _bericht(demo, config, handlungsfeld="Wohnen")
    assert b.titel == "Maßnahmenbericht Wohnen"
    # M29 330.000 € × 1,02⁵, M30 140.000 € × 1,02, M31 190.000 € × 1,02⁴, M33 600.000 € × 1,02², rounded to 100 €;
    # M32 starts in 2025
    plan = round(330_000 * 1.02 ** 5, -2) + round(140_000 * 1.02, -2) + round(190_000 * 1.02 ** 4, -2) \
        + round(600_000 * 1.02 ** 2, -2)
    assert b.zusammenfassung.saetze[0] == "5 Maßnahmen, davon 4 laufend."
    assert b.zusammenfassung.saetze[1].startswith(f"Budget 2024: Plan {fmt_euro(plan)}, Ist ")
    titel = [a.titel for a in b.abschnitte]
    assert titel[0] == "Übersicht" and "M30: Digitaler Wohngeldantrag und Springerpool" in titel
    assert titel[-1] == "Stand im Planungszyklus"
    zyklus = b.abschnitte[-1].tabellen[0].frame.iloc[0]
    assert (zyklus["Bereich"], zyklus["Phase"]) == ("Wohnraumversorgungskonzept", "Bestandsaufnahme")
    assert len(pdf(b)) > 20_000


def test_the_report_of_an_area_and_the_red_goal_of_a_field(demo, config):
    b = _bericht(demo, config, raum="0202")
    uebersicht = b.abschnitte[0].tabellen[0].frame
    assert list(uebersicht["Kennung"]) == ["M01", "M06", "M09", "M10", "M14", "M20", "M24", "M27", "M31"]
    beteiligung = next(a for a in b.abschnitte if a.titel == "Beteiligung").tabellen[0].frame
    assert "Stadtteilspaziergang Zechenkolonie" in set(beteiligung["Titel"])
    k = _bericht(demo, config, handlungsfeld="Kinder und Jugend")
    assert k.zusammenfassung.saetze[-1] == ("Rot, keine laufende Maßnahme: H8 – Die Abbruchquote bei der "
                                           "Vollzeitpflege bleibt unter 3 %.")


def test_the_steckbrief_lists_the_measures_of_the_area(demo, config):
    b = BERICHTSARTEN["steckbrief"].erstellen(DirekteQuelle(demo, config), Berichtsauftrag(stichtag=T, raum="0202"))
    teil = next(a for a in b.abschnitte if a.titel == "Maßnahmen in diesem Gebiet")
    assert "M31" in set(teil.tabellen[0].frame["Kennung"]) and "M27" not in set(teil.tabellen[0].frame["Kennung"])
    beteiligung = next(a for a in b.abschnitte if a.titel == "Beteiligung in diesem Gebiet").tabellen[0].frame
    assert list(beteiligung["Titel"])[:2] == ["Sozialraumkonferenz Nord", "Stadtteilspaziergang Zechenkolonie"]


def test_the_command_line_names_what_is_missing(demo_db_file, tmp_path, capsys):
    assert main(["report", "massnahmenbericht", "--handlungsfeld", "Sport", "--db", str(demo_db_file),
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "Handlungsfeld „Sport“ hat keine Maßnahme (vorhanden: Arbeit und Einkommen" in capsys.readouterr().err
    assert main(["report", "massnahmenbericht", "--raum", "0706", "--nur-veroeffentlicht", "--db",
                 str(demo_db_file), "--out", str(tmp_path / "k.pdf")]) == 0
    assert (tmp_path / "k.pdf").read_bytes().startswith(b"%PDF")

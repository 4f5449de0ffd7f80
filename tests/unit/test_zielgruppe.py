"""The expected Zielgruppe of a goal at its Zieldatum from the Bevölkerungsvorausberechnung: hand-computed sums
over a Bezirk, the share of the catalog, the range of the variants, what the target value means in cases, and
the states where no figure may be given (partial projection, withheld values, public sums, past Zieldatum)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from fis import zielgruppe
from fis.config import Indikator, Zielgruppenprognose
from fis.controlling import baumtabelle

STICHTAG = date(2024, 12, 31)
HIERARCHIE = pd.DataFrame({
    "raum_id": ["00", "B1", "S1", "S2", "S3"], "ebene": [3, 2, 1, 1, 1],
    "parent_id": [None, "00", "B1", "B1", "00x"], "stichtag": [STICHTAG] * 5})


def _indikator(**kw) -> Indikator:
    standard = dict(id="kita_u3", name="Kita-Besuchsquote unter 3", kurzname="Kita u3", handlungsfeld="Bildung",
                    einheit="%", definition="", aggregation="quote", polaritaet="hoch_gut", quelle="",
                    zaehler="Kinder unter 3 Jahren in Tageseinrichtungen", nenner="Kinder unter 3 Jahren",
                    faktor=100.0, prognose=Zielgruppenprognose(("bev_u6",), 0.5))
    return Indikator(**(standard | kw))


def _prognose(werte: dict[tuple[str, int, str], float]) -> pd.DataFrame:
    return pd.DataFrame([{"raum_id": r, "merkmal": "bev_u6", "merkmal_name": "Kinder unter 6 Jahren",
                          "stichtag": date(j, 12, 31), "variante": v, "wert": w, "basisjahr": 2024}
                         for (r, j, v), w in werte.items()])


PROGNOSE = _prognose({
    ("S1", 2024, "Basis"): 400, ("S2", 2024, "Basis"): 600, ("S1", 2024, "hoch"): 400, ("S2", 2024, "hoch"): 600,
    ("S1", 2027, "Basis"): 460, ("S2", 2027, "Basis"): 640, ("S1", 2027, "hoch"): 500, ("S2", 2027, "hoch"): 700,
    ("S1", 2027, "niedrig"): 420, ("S2", 2027, "niedrig"): 580})


def _ziel(zid="K4", raum="B1", zieldatum=date(2027, 12, 31), zielwert=35.0, indikator="kita_u3"):
    return {"ziel_id": zid, "kennzahl_art": "indikator", "indikator_id": indikator, "raum_id": raum,
            "zieldatum": zieldatum, "zielwert": zielwert}


def test_a_bezirk_goal_gets_the_sum_of_its_sozialraeume_times_the_share():
    zg = zielgruppe.je_ziel(pd.DataFrame([_ziel()]), (_indikator(),), PROGNOSE, HIERARCHIE)
    z = zg.iloc[0]
    # Basis 2027: (460 + 640) × 0,5 = 550; hoch 600, niedrig 500; base 2024: 1.000 × 0,5 = 500 → +10 %
    assert (z["jahr"], z["wert"], z["unten"], z["oben"]) == (2027, 550, 500, 600)
    assert z["basiswert"] == 500 and z["veraenderung_prozent"] == pytest.approx(10.0)
    # a target of 35 % of 550 children: 192,5 children in day care
    assert z["faelle"] == pytest.approx(192.5) and z["zielgruppe"] == "Kinder unter 3 Jahren"
    assert zielgruppe.spalte(zg) == {"K4": "550 (+10 %)"}
    assert zielgruppe.satz(z.to_dict(), "%", 1, 35.0) == (
        "Zielgruppe am Zieldatum: 2027 voraussichtlich 550 Kinder unter 3 Jahren (Basisvariante, +10 % gegenüber "
        "2024; Spanne der Varianten 500–600). Der Zielwert von 35,0 % bedeutet dann: rund 192 Kinder unter 3 "
        "Jahren in Tageseinrichtungen.")


def test_a_count_indicator_shows_its_own_value_and_no_cases():
    anzahl = _indikator(id="kinder", name="Kinder unter 6 Jahren", aggregation="summe", einheit="Anzahl",
                        prognose=Zielgruppenprognose(("bev_u6",)))
    zg = zielgruppe.je_ziel(pd.DataFrame([_ziel(raum="S1", indikator="kinder")]), (anzahl,), PROGNOSE, HIERARCHIE)
    assert zg.iloc[0]["wert"] == 460 and zg.iloc[0]["zielgruppe"] == "Kinder unter 6 Jahren"
    assert pd.isna(zg.iloc[0]["faelle"])
    assert "bedeutet dann" not in zielgruppe.satz(zg.iloc[0].to_dict(), "Anzahl", 0, 500.0)


@pytest.mark.parametrize(("fall", "ziel", "prognose"), [
    ("Zieldatum vor dem ersten Prognosejahr", _ziel(zieldatum=date(2024, 12, 31)), PROGNOSE),
    ("Jahr nicht vorausberechnet", _ziel(zieldatum=date(2029, 12, 31)), PROGNOSE),
    ("ein Sozialraum des Bezirks fehlt", _ziel(), PROGNOSE[PROGNOSE["raum_id"] != "S2"]),
    ("ein Wert zurückgehalten", _ziel(), PROGNOSE.assign(wert=np.where(PROGNOSE["raum_id"] == "S2", np.nan,
                                                                         PROGNOSE["wert"]))),
    ("Indikator ohne Zuordnung", _ziel(indikator="sgb2_quote"), PROGNOSE),
    ("Ziel ohne Zieldatum", _ziel(zieldatum=None), PROGNOSE),
])
def test_no_figure_where_it_would_be_wrong(fall, ziel, prognose):
    assert zielgruppe.je_ziel(pd.DataFrame([ziel]), (_indikator(),), prognose, HIERARCHIE).empty, fall


def test_public_roles_get_single_sozialraeume_only():
    """A Bezirk's sum minus the shown Sozialräume would give back one withheld for public roles."""
    ziele = pd.DataFrame([_ziel(), _ziel(zid="K5", raum="S1")])
    zg = zielgruppe.je_ziel(ziele, (_indikator(),), PROGNOSE, HIERARCHIE, summen=False)
    assert list(zg["ziel_id"]) == ["K5"] and zg.iloc[0]["wert"] == 230


def test_the_goal_tree_gets_the_column_only_when_a_goal_has_a_figure():
    baum = pd.DataFrame({"ampel": ["gruen"], "tiefe": [0], "ziel_id": ["K4"], "titel": ["Kita"], "zielfeld": ["x"],
                         "ist": [30.0], "einheit": ["%"], "stellen": [1], "jahr": [2024], "soll": [33.0],
                         "abweichung": [-3.0], "zielerreichung": [50.0], "text": ["t"], "ampel_text": ["a"]})
    assert "Zielgruppe am Zieldatum (Prognose)" not in baumtabelle(baum, 2024)
    t = baumtabelle(baum, 2024, {"K4": "550 (+10 %)"})
    assert list(t.columns[-2:]) == ["Zielgruppe am Zieldatum (Prognose)", "Begründung"]
    assert t.iloc[0]["Zielgruppe am Zieldatum (Prognose)"] == "550 (+10 %)"


def test_the_demo_kita_goal_of_a_bezirk(demo, m, config):
    zg = zielgruppe.je_ziel(demo.lade_ziele(), config.katalog.indikatoren, demo.lade_prognosen(),
                            m.raeume).set_index("ziel_id")
    k4 = zg.loc["K4"]          # Kita u3 in Bezirk 02 by 2027: half the projected children under 6
    assert k4["jahr"] == 2027 and k4["unten"] < k4["wert"] < k4["oben"]
    assert k4["faelle"] == pytest.approx(0.35 * k4["wert"])
    assert zg.loc["K3", "wert"] > 5 * k4["wert"]          # the city has many times the Bezirk's children

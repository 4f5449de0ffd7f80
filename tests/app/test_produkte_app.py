"""AppTest of the Produktdatenblatt page on the demo, values checked against fis."""

from __future__ import annotations

import pytest

from fis.format import fmt_zahl
from fis.monitoring import einwohner_je_jahr, lade_monitoring
from fis.produkte import datenblatt, lade_produkte
from tests.app.helfer import seite


@pytest.fixture(scope="module")
def p(demo):
    return lade_produkte(demo)


def test_produktdatenblatt_of_a_group_as_in_abb_20(monkeypatch, demo_copy, demo, config, p):
    at = seite(monkeypatch, demo_copy, "produktdatenblatt")
    assert at.selectbox(key="pdb_nr").value == "11.05.01"
    assert at.subheader[0].value == "11.05.01 Grundsicherung für Arbeit"
    d = datenblatt(p, "11.05.01", 2026, einwohner_je_jahr(lade_monitoring(demo, config), "bev_gesamt"))
    assert [s for s in d.spalten] == [(2025, "Ist"), (2025, "Ansatz"), (2026, "Ansatz"), (2027, "Planung"),
                                      (2028, "Planung"), (2029, "Planung")]
    kz = at.table[0].value
    assert list(kz.columns) == ["Ist 2025", "Ansatz 2025", "Ansatz 2026", "Planung 2027", "Planung 2028",
                                "Planung 2029"]
    erwartet = d.kennzahlen.set_index("name")
    assert kz.at["Ertrag / Aufwand (%)", "Ansatz 2026"] == fmt_zahl(erwartet.at["Ertrag / Aufwand", "Ansatz 2026"], 2)
    tep = next(df.value for df in at.dataframe if "Ertrags- und Aufwandsarten" in df.value.columns)
    zeile10 = tep[tep["Nr."] == 10].iloc[0]
    plan = d.teilergebnisplan.set_index("position_nr")
    assert zeile10["Ertrags- und Aufwandsarten"] == "= Ordentliche Erträge"
    assert zeile10["Ansatz 2026"] == fmt_zahl(plan.at[10, "Ansatz 2026"], 0)
    assert plan.at[10, "Ansatz 2026"] == plan.loc[1:9, "Ansatz 2026"].sum()
    # the goals of the group's products with their Ampel
    ziele = next(df.value for df in at.dataframe if "Zielfeld" in df.value.columns)
    assert any(z.startswith("A1 ") for z in ziele["Ziel"])


def test_produktdatenblatt_of_a_product(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "produktdatenblatt")
    at.selectbox(key="pdb_nr").set_value("11.06.03.03").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("11.06.03.03 ")
    texte = [m.value for m in at.markdown]
    assert "**Produkt**" in texte and "**Zielsetzung**" in texte

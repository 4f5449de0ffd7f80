"""AppTest of the Produktdatenblatt page on the demo, values checked against fis."""

from __future__ import annotations

import pytest

from fis.format import fmt_zahl
from fis.monitoring import einwohner_je_jahr
from fis.produkte import datenblatt, lade_produkte
from fis.wuerfel import lade_monitoring
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


def test_produktkritik_ranks_by_wirkungsbeitrag_per_euro(monkeypatch, demo_copy, demo, config, p):
    from fis.controlling import lade_controlling
    from fis.produkte import produktkritik, wirkungsmatrix

    at = seite(monkeypatch, demo_copy, "produktkritik")
    assert [s.value for s in at.subheader] == ["ABC-Analyse nach Aufwand (Ist 2025)", "Wirkungsbeitragsanalyse",
                                               "Portfolio"]
    c = lade_controlling(demo, lade_monitoring(demo, config))
    g, ist, soll = wirkungsmatrix(demo, p, c.ziele)
    assert g.to_dict() == {"L1": 0.4, "L2": 0.35, "L3": 0.25}
    k = produktkritik(p, g, ist, soll, (2025, "Ist"), (2029, "Planung"), (80.0, 95.0))
    rang = next(d.value for d in at.dataframe if "Rang je €" in d.value.columns)
    assert rang["Produkt"].iloc[0] == f"{k['nr'].iloc[0]} {k['name'].iloc[0]}"
    assert rang["Wirkungsbeitrag"].iloc[0] == fmt_zahl(k["wirkungsbeitrag"].iloc[0], 0)
    # Sozialkonzept: (0,4·2 + 0,35·2 + 0,25·2) / 3 × 100 = 66,7 points
    assert k.set_index("nr").at["11.05.05.01", "wirkungsbeitrag"] == pytest.approx(200 / 3)
    felder = next(d.value for d in at.dataframe if "Strategische Richtung" in d.value.columns)
    assert set(felder["Feld"]) <= {"Effiziente Wirkung", "Wirkungsschwerpunkt", "Randbereich", "Problemfeld"}


def test_wirkungsbeitrag_edits_are_validated_and_audited(demo_copy):
    from fis.produkte import wirkung_speichern, wirkungsmatrix
    from fis.store import Store

    with Store.open(demo_copy) as store:
        p = lade_produkte(store)
        g, ist, soll = wirkungsmatrix(store, p, store.lade_ziele())
        ist.loc["11.06.03.03", "L2"] = 2
        assert wirkung_speichern(store, g, ist, soll, "planerin") == 1
        audit = store.lade_audit().iloc[-1]
        assert audit["aktion"] == "wirkungsbeitrag_geaendert"
        assert '"beitrag 11.06.03.03 L2": {"vorher": 0, "nachher": 2}' in audit["details"]
        ist.loc["11.06.03.03", "L2"] = 5
        with pytest.raises(ValueError, match="ganze Zahlen von 0 .kein. bis 3 .hoch."):
            wirkung_speichern(store, g, ist, soll, "planerin")
        with pytest.raises(ValueError, match="Gewicht größer als 0"):
            wirkung_speichern(store, g * 0, soll, soll, "planerin")
        assert wirkungsmatrix(store, p, store.lade_ziele())[1].at["11.06.03.03", "L2"] == 2


def test_sroi_page_computes_the_demo_analysis_and_refuses_bad_input(monkeypatch, demo_copy, demo):
    from fis.sroi import sroi, wirkungen_aus

    at = seite(monkeypatch, demo_copy, "sroi")
    analysen, zeilen = demo.lade_sroi()
    r = sroi(wirkungen_aus(zeilen), float(analysen.at[0, "input_euro"]), float(analysen.at[0, "zinssatz"]))
    assert at.metric[0].value == f"{fmt_zahl(r.quote, 2)} €"
    assert at.metric[1].value == f"{fmt_zahl(r.barwert, 0)} €"
    sens = next(d.value for d in at.dataframe if "Spanne" in d.value.columns)
    assert sens["Annahme"].iloc[0].startswith(("Finanzieller Proxy – Stadt", "Menge – Stadt"))
    # doubling the input halves the ratio
    at.number_input(key="sroi_input_familienhebammen").set_value(2 * float(analysen.at[0, "input_euro"])).run()
    assert at.metric[0].value == f"{fmt_zahl(r.quote / 2, 2)} €"
    at.text_input(key="sroi_name_familienhebammen").set_value("").run()
    assert "Die Analyse braucht einen Namen." in at.warning[0].value


def test_a_new_sroi_analysis_opens_with_an_empty_editable_chain(monkeypatch, demo_copy):
    """Found by the benchmark city, which has no stored analysis: the empty chain's text columns
    were float columns, which the editor refused."""
    at = seite(monkeypatch, demo_copy, "sroi")
    at.selectbox(key="sroi_id").set_value("neu").run()
    assert not at.exception
    assert any("braucht einen Namen" in w.value for w in at.warning)

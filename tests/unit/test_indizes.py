"""Composite indices: a hand-computed example, the invariants, configuration checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from fis.config import ConfigError, Index, IndexAusschluss, IndexKlasse, IndexKomponente
from fis.config_lesen import lade_konfiguration
from fis.indizes import berechne, gesamtindex, klasse

KLASSEN = (IndexKlasse("1", "hoch", -1.0), IndexKlasse("2", "mittel", 1.0), IndexKlasse("3", "niedrig", 1.5),
           IndexKlasse("4", "sehr niedrig"))


def _index(**kw) -> Index:
    basis = {"id": "t", "name": "Test", "komponenten": (IndexKomponente("a"), IndexKomponente("b")),
             "standardisierung": "zwert", "kombination": "summe", "restandardisierung": "keine", "klassen": KLASSEN}
    return Index(**{**basis, **kw})


WERTE = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 100.0], "b": [10.0, 30.0, 20.0, 40.0, np.nan]},
                     index=["r1", "r2", "r3", "r4", "r5"])


def test_hand_computed_sum_of_z_scores():
    e = berechne(_index(), WERTE, {"a": "hoch_schlecht", "b": "hoch_schlecht"})
    w = e.werte.set_index("raum_id")
    # r5 lacks b: left out, so a is standardised over 1,2,3,4 (mean 2,5, population SD √1,25)
    assert not w.at["r5", "einbezogen"] and w.at["r5", "grund"] == "Komponente fehlt (b)"
    sd_a, sd_b = np.sqrt(1.25), np.sqrt(125.0)
    assert w.at["r1", "wert"] == pytest.approx((1 - 2.5) / sd_a + (10 - 25) / sd_b)
    assert w.at["r4", "wert"] == pytest.approx((4 - 2.5) / sd_a + (40 - 25) / sd_b)
    assert w.at["r4", "klasse"] == "4" and w.at["r1", "klasse"] == "1"     # 2,68 and −2,68


def test_standardised_components_have_mean_0_and_sd_1():
    e = berechne(_index(), WERTE, {})
    assert e.beitraege.mean().abs().max() == pytest.approx(0.0, abs=1e-12)
    assert e.beitraege.std(ddof=0).to_numpy() == pytest.approx([1.0, 1.0])
    r = berechne(_index(restandardisierung="zwert"), WERTE, {}).werte.dropna(subset=["wert"])["wert"]
    assert r.mean() == pytest.approx(0.0, abs=1e-12) and r.std(ddof=0) == pytest.approx(1.0)


def test_polarity_flips_the_order():
    schlecht = berechne(_index(komponenten=(IndexKomponente("a"),)), WERTE, {"a": "hoch_schlecht"}).werte
    gut = berechne(_index(komponenten=(IndexKomponente("a"),)), WERTE, {"a": "hoch_gut"}).werte
    assert list(schlecht.sort_values("wert")["raum_id"]) == list(gut.sort_values("wert", ascending=False)["raum_id"])
    explizit = berechne(_index(komponenten=(IndexKomponente("a", polaritaet="hoch_gut"),)), WERTE,
                        {"a": "hoch_schlecht"}).werte
    assert explizit["wert"].tolist() == pytest.approx(gut["wert"].tolist())


def test_weights_mean_minmax_and_rank():
    gewichtet = berechne(_index(komponenten=(IndexKomponente("a", 3.0), IndexKomponente("b", 1.0)),
                                kombination="mittel"), WERTE, {}).beitraege
    z = berechne(_index(), WERTE, {}).beitraege
    assert gewichtet["a"].tolist() == pytest.approx((z["a"] * 3 / 4).tolist())
    mm = berechne(_index(standardisierung="minmax"), WERTE, {}).beitraege
    assert mm["a"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    rang = berechne(_index(standardisierung="rang"), WERTE, {}).beitraege
    assert rang["b"].tolist() == pytest.approx([0, 2 / 3, 1 / 3, 1])


def test_exclusions_by_population_and_list():
    ix = _index(ausschluss=IndexAusschluss(mindest_einwohner=300, liste=("r2",)))
    e = berechne(ix, WERTE, {}, einwohner=pd.Series({"r1": 250, "r2": 5000, "r3": 900, "r4": 1200}))
    grund = e.werte.set_index("raum_id")["grund"]
    assert grund["r1"] == "weniger als 300 Einwohner (250)"
    assert grund["r2"] == "ausdrücklich ausgeschlossen"
    assert e.werte["einbezogen"].sum() == 2


def test_classes_and_combination():
    assert klasse(-1.0, KLASSEN) == ("1", "hoch") and klasse(-0.99, KLASSEN) == ("2", "mittel")
    assert klasse(1.5, KLASSEN) == ("3", "niedrig") and klasse(7, KLASSEN) == ("4", "sehr niedrig")
    a = berechne(_index(), WERTE, {})
    dyn = berechne(_index(klassen=(IndexKlasse("+", "positiv", -1.0), IndexKlasse("+/-", "stabil", 1.0),
                                   IndexKlasse("-", "negativ"))), WERTE, {})
    g = gesamtindex([a, dyn]).set_index("raum_id")["klasse"]
    assert g["r1"] == "1+" and g["r4"] == "4-" and pd.isna(g["r5"])


def test_shipped_demo_indices_follow_the_koeln_model():
    c = lade_konfiguration()
    sozial = [k.indikator for k in c.indizes.indizes[0].komponenten]
    assert sozial == ["kinderarmut", "kita_beitragsfrei", "alq_u25", "migration_u21", "alleinerziehende"]
    assert len(c.indizes.indizes[1].komponenten) == 5


@pytest.mark.parametrize(("aenderung", "meldung"), [
    ({"komponenten": [{"indikator": "gibtsnicht"}]}, "unbekannte Indikatoren gibtsnicht"),
    ({"ebene": 9}, "die Ebene 9 gibt es nicht"),
    ({"klassen": [{"label": "a", "name": "a", "bis": 1.0}, {"label": "b", "name": "b", "bis": 0.0},
                  {"label": "c", "name": "c"}]}, "aufsteigende Obergrenzen"),
])
def test_bad_index_configuration_is_named(tmp_path, aenderung, meldung):
    import shutil
    from pathlib import Path
    quelle = Path(__file__).resolve().parents[2] / "config"
    for f in quelle.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    daten = yaml.safe_load((tmp_path / "indizes.yaml").read_text(encoding="utf-8"))
    daten["indizes"][0].update(aenderung)
    (tmp_path / "indizes.yaml").write_text(yaml.safe_dump(daten, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=meldung):
        lade_konfiguration(tmp_path)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_handlungsbedarf_by_index_class_combines_with_the_indicator_rule(demo, config):
    import dataclasses
    from datetime import date

    from fis.indizes import handlungsbedarf_klassen, lade_indexdaten
    from fis.lagebild import berechne_lagebild

    tag = date(2024, 12, 31)
    klassen = handlungsbedarf_klassen(lade_indexdaten(demo, config), config, tag)
    d = set(klassen[klassen == "D"].index)
    ohne = dataclasses.replace(config.lagebild.handlungsbedarf, index=None, index_klassen=())
    regel = set(berechne_lagebild(demo, dataclasses.replace(
        config, lagebild=dataclasses.replace(config.lagebild, handlungsbedarf=ohne)), tag, 1)
        .handlungsbedarf["raum_id"])
    oder = berechne_lagebild(demo, config, tag, 1).handlungsbedarf
    assert set(oder["raum_id"]) == regel | d
    assert oder.set_index("raum_id").loc[sorted(d), "Indexklasse"].eq("D").all()
    und = dataclasses.replace(config.lagebild.handlungsbedarf, verknuepfung="und")
    l_und = berechne_lagebild(demo, dataclasses.replace(
        config, lagebild=dataclasses.replace(config.lagebild, handlungsbedarf=und)), tag, 1)
    assert set(l_und.handlungsbedarf["raum_id"]) == regel & d
    assert "Zusätzlich muss der Sozialraum im Index „sozialindex“ in Klasse D liegen." in l_und.regel

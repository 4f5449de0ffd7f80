"""The aggregate cube (fis.wuerfel): what pages read equals a computation of the whole city from the deliveries
(values, suppression and its reasons, coverage), in both Sichten, after every kind of change; only the changed
Stichtage are computed again; a store that may not write still gets exact values."""

from __future__ import annotations

import dataclasses
import random
import shutil
from datetime import date
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from fis import wuerfel
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lieferungen import veroeffentlichen, zuruecknahme_aufheben, zuruecknehmen
from fis.monitoring import lade_aggregat, monitoring_aus
from fis.store import Store
from tests.teillieferung import STICHTAG, liefere_teil, teillieferung_csv

SICHTEN = (False, True)
ROOT = Path(__file__).resolve().parents[2]


def _gleich_der_berechnung(store: Store, config, indikator_ids=None) -> None:
    """The cube's values equal aggregation and suppression of the current deliveries, in both Sichten."""
    for oeffentlich in SICHTEN:
        s = store.cursor(nur_veroeffentlicht=oeffentlich)
        a, m = wuerfel.lade(s, config, indikator_ids)
        ids = wuerfel._ids(config, indikator_ids)
        ref_a = lade_aggregat(s, config, ids)
        ref_m = monitoring_aus(ref_a, config)
        pd.testing.assert_frame_equal(a.werte, ref_a.werte, check_dtype=False)
        pd.testing.assert_frame_equal(m.werte, ref_m.werte, check_dtype=False)
        assert a.stichtage == ref_a.stichtage


def _stand(store: Store) -> dict[str, dict]:
    return {sicht: store.cursor(nur_veroeffentlicht=sicht == "veroeffentlicht").wuerfel_stand()
            for sicht in wuerfel.SICHTEN}


def _teil_ueber_register(store: Store, config) -> int:
    """The partial, unpublished delivery of 5 Sozialräume at 31.12.2025 through the delivery registry (as the
    command line and the Datenpflege commit it)."""
    art = LIEFERARTEN["werte"]
    z = zuordnung_import.Zuordnung(format="lang", raum="raum", indikator="indikator", stichtag="stichtag",
                                   wert="wert", zaehler="zaehler", nenner="nenner")
    auftrag = Auftrag(store, config, teillieferung_csv(store), "teil.csv", "planung-test",
                      werte_zuordnung=z, status="vorläufig")
    v = art.pruefen(auftrag)
    assert v.bericht.ok, v.bericht.als_text()
    return art.speichern(auftrag, v)


def test_the_demo_comes_with_both_cubes_equal_to_the_computation(demo, store, config):
    for oeffentlich in SICHTEN:
        stand = demo.cursor(nur_veroeffentlicht=oeffentlich).wuerfel_stand()
        assert sorted(stand) == [date(j, 12, 31) for j in range(2012, 2025)]
        assert wuerfel._offen(demo.cursor(nur_veroeffentlicht=oeffentlich), config) == ({}, [])
    _gleich_der_berechnung(store, config)
    _gleich_der_berechnung(store, config, ["sgb2_quote", "alq"])
    # the cube holds every level: 51 Sozialräume, 8 Bezirke and the city at 31.12.2024
    zeilen = demo.lade_wuerfel(["bev_gesamt"])
    zeilen = zeilen[zeilen["stichtag"] == date(2024, 12, 31)]
    assert zeilen.groupby("ebene").size().to_dict() == {1: 51, 2: 8, 3: 1}


@pytest.mark.langsam          # over 4 s: the full tier only
def test_a_delivery_recomputes_its_stichtag_only_and_publishing_and_rollback_follow(store, config):
    vorher = _stand(store)
    lid = _teil_ueber_register(store, config)                 # nachfuehren after the commit
    nachher = _stand(store)
    assert set(nachher["alle"]) == set(vorher["alle"]) | {STICHTAG}
    assert all(nachher["alle"][t] == fp for t, fp in vorher["alle"].items())       # the others kept
    assert nachher["veroeffentlicht"] == vorher["veroeffentlicht"]                # unpublished: not public
    _gleich_der_berechnung(store, config)
    # 5 of 51 Sozialräume: the city's sum is withheld (below the minimum coverage), not shown as complete
    m = wuerfel.lade_monitoring(store, config, ["bev_gesamt"])
    stadt = m.auswahl("bev_gesamt", STICHTAG, ebene=m.top).iloc[0]
    assert stadt["unvollstaendig"] and pd.isna(stadt["wert"]) and stadt["abdeckung"] == "5 von 51 Sozialräumen"

    veroeffentlichen(store, lid, "p.planer")
    assert wuerfel.nachfuehren(store, config) == {"alle": 1, "veroeffentlicht": 1}
    # published: both Sichten have the same inputs at the Stichtag; they share the first's rows
    nachher = _stand(store)
    assert nachher["alle"][STICHTAG] == nachher["veroeffentlicht"][STICHTAG]
    _gleich_der_berechnung(store, config)
    zuruecknehmen(store, lid, "p.planer", "falsche Datei")
    assert wuerfel.nachfuehren(store, config) == {"alle": 0, "veroeffentlicht": 0}    # dropped, none computed
    assert STICHTAG not in store.wuerfel_stand()
    assert not (store.lade_wuerfel(["bev_gesamt"])["stichtag"] == STICHTAG).any()
    _gleich_der_berechnung(store, config)
    zuruecknahme_aufheben(store, lid, "p.planer")
    _gleich_der_berechnung(store, config)        # no nachfuehren: the reader finds the Stichtag stale


def test_a_change_the_cube_was_not_told_of_is_computed_by_the_next_reader(demo_copy, config):
    liefere_teil(demo_copy)                      # the import functions directly, without the registry
    with Store.open(demo_copy, read_only=True) as leser:
        assert STICHTAG in wuerfel._offen(leser, config)[0]
        _gleich_der_berechnung(leser, config)    # read-only: computed in memory, nothing stored
        _gleich_der_berechnung(leser, config, ["alq"])
        assert STICHTAG not in leser.wuerfel_stand()
    with Store.open(demo_copy) as store:
        _gleich_der_berechnung(store, config)    # may write: computed once and stored
        assert STICHTAG in store.wuerfel_stand()
        assert wuerfel.nachfuehren(store, config) == {"alle": 0, "veroeffentlicht": 0}


def test_changed_suppression_rules_recompute_every_stichtag(store, config):
    strenger = dataclasses.replace(config, stadt=dataclasses.replace(
        config.stadt, geheimhaltung_standard=config.stadt.geheimhaltung_standard + 7,
        mindest_einwohner=(config.stadt.mindest_einwohner or 0) + 900))
    assert wuerfel.nachfuehren(store, strenger) == {"alle": 13, "veroeffentlicht": 13}
    _gleich_der_berechnung(store, strenger)
    lasch = wuerfel.lade_monitoring(store, config, ["bev_gesamt", "sgb2_quote"])
    streng = wuerfel.lade_monitoring(store, strenger, ["bev_gesamt", "sgb2_quote"])
    assert streng.werte["unterdrueckt"].sum() > lasch.werte["unterdrueckt"].sum()


def test_a_new_raumgliederung_recomputes_and_a_rolled_back_one_too(store, config):
    zuruecknehmen(store, 2, "p.planer", "Test", mit_abhaengigen=True)        # the 2019 split, with its values
    berechnet = wuerfel.nachfuehren(store, config)
    assert berechnet["alle"] == 7                  # 2012–2018 on the old scheme; 2019–2024 went with the values
    assert max(store.wuerfel_stand()) == date(2018, 12, 31)
    _gleich_der_berechnung(store, config)


@pytest.mark.langsam          # over 4 s: the full tier only
def test_random_sequences_of_deliveries_rollbacks_and_publications(demo_db_file, tmp_path, config):
    """Against the computation as oracle, after every step of random sequences (seeded)."""
    auswahl = ["alq", "sgb2_quote", "bev_gesamt", "anteil_u18"]
    for lauf in range(2):
        db = tmp_path / f"zufall{lauf}.duckdb"
        shutil.copy(demo_db_file, db)
        rng = random.Random(lauf)
        offen: list[int] = []
        zurueck: list[int] = []
        paare = list(combinations(auswahl, 2))     # each delivery a different file (the same one is refused)
        rng.shuffle(paare)
        for _ in range(5):
            schritt = rng.choice(["liefern", "veroeffentlichen", "zuruecknehmen", "aufheben"])
            if schritt == "liefern" or not (offen or zurueck):
                offen.append(liefere_teil(db, list(paare.pop())))
            with Store.open(db) as store:
                if schritt == "veroeffentlichen" and offen:
                    veroeffentlichen(store, offen.pop(), "p.planer")
                elif schritt == "zuruecknehmen" and offen:
                    zurueck.append(offen.pop(rng.randrange(len(offen))))
                    zuruecknehmen(store, zurueck[-1], "p.planer")
                elif schritt == "aufheben" and zurueck:
                    offen.append(zurueck.pop())
                    zuruecknahme_aufheben(store, offen[-1], "p.planer")
                if rng.random() < 0.5:
                    wuerfel.nachfuehren(store, config)
                _gleich_der_berechnung(store, config, auswahl)


@pytest.mark.parametrize("oeffentlich", SICHTEN)
def test_a_reader_inside_another_transaction_still_gets_exact_values(store, config, oeffentlich):
    s = store.cursor(nur_veroeffentlicht=oeffentlich)
    with s.transaction(bump=False):
        s.con.execute("DELETE FROM wuerfel_stand")       # stale everywhere; writing would need a second BEGIN
        a, m = wuerfel.lade(s, config, ["alq"])
        ref = monitoring_aus(lade_aggregat(s, config, wuerfel._ids(config, ["alq"])), config)
        pd.testing.assert_frame_equal(m.werte, ref.werte, check_dtype=False)


def test_the_command_line_brings_the_cube_up_to_date_after_a_configuration_change(demo_copy, tmp_path, capsys):
    from fis.cli import main
    ordner = tmp_path / "config"
    shutil.copytree(ROOT / "config", ordner)
    stadt = (ordner / "stadt.yaml").read_text(encoding="utf-8")
    (ordner / "stadt.yaml").write_text(stadt.replace("geheimhaltung_standard: 3", "geheimhaltung_standard: 5"),
                                       encoding="utf-8")
    assert main(["wuerfel", "--db", str(demo_copy)]) == 0
    assert capsys.readouterr().out.startswith("Der Aggregatwürfel ist aktuell; nichts neu berechnet.")
    assert main(["--config", str(ordner), "wuerfel", "--db", str(demo_copy)]) == 0
    assert "Aggregatwürfel nachgeführt: alle Lieferungen 13 Stichtage, veröffentlichte 13 Stichtage" in \
        capsys.readouterr().out


def _sichten_am(store: Store, tag: date) -> dict[str, int]:
    return dict(store.con.execute("SELECT sicht, count(*) FROM wuerfel WHERE stichtag = ? GROUP BY 1",
                                  [tag]).fetchall())


@pytest.mark.langsam          # over 4 s: the full tier only
def test_published_stichtage_share_their_rows_and_an_unpublished_correction_never_reaches_the_public(store,
                                                                                                     config):
    """Where every delivery of a Stichtag is published, both Sichten share one set of rows (``beide``). An
    unpublished correction of such a Stichtag hands the shared rows to the public Sicht before the internal one
    is replaced; publishing shares them again, a rollback too."""
    tag, raeume = date(2023, 12, 31), ["0101", "0102", "0103"]
    n = _sichten_am(store, tag)["beide"]
    assert set(_sichten_am(store, tag)) == {"beide"} and n > 1000
    oeffentlich = store.cursor(nur_veroeffentlicht=True)
    vorher = wuerfel.lade_monitoring(oeffentlich, config, ["alq"]).auswahl("alq", tag)
    alt = store.lade_werte(["alq"], [tag], raeume)
    zeilen = ["raum;indikator;stichtag;wert;zaehler;nenner"] + [
        f"{w.raum_id};alq;31.12.2023;{(w.zaehler + 40) / w.nenner * 100:.6f};{w.zaehler + 40:.0f};{w.nenner:.0f}"
        for w in alt.itertuples()]
    art = LIEFERARTEN["werte"]
    z = zuordnung_import.Zuordnung(format="lang", raum="raum", indikator="indikator", stichtag="stichtag",
                                   wert="wert", zaehler="zaehler", nenner="nenner")
    auftrag = Auftrag(store, config, "\n".join(zeilen).encode(), "korrektur.csv", "planung-test",
                      werte_zuordnung=z, status="endgültig")
    v = art.pruefen(auftrag)
    assert v.bericht.ok, v.bericht.als_text()
    lid = art.speichern(auftrag, v)                            # nachfuehren after the commit
    assert _sichten_am(store, tag) == {"alle": n, "veroeffentlicht": n}
    pd.testing.assert_frame_equal(wuerfel.lade_monitoring(oeffentlich, config, ["alq"]).auswahl("alq", tag), vorher)
    intern = wuerfel.lade_monitoring(store, config, ["alq"]).auswahl("alq", tag).set_index("raum_id")
    assert (intern.loc[raeume, "zaehler"].to_numpy() == alt["zaehler"].to_numpy() + 40).all()
    _gleich_der_berechnung(store, config, ["alq", "sgb2_quote"])

    veroeffentlichen(store, lid, "p.planer")
    assert wuerfel.nachfuehren(store, config) == {"alle": 1, "veroeffentlicht": 1}
    assert _sichten_am(store, tag) == {"beide": n}
    _gleich_der_berechnung(store, config, ["alq", "sgb2_quote"])
    zuruecknehmen(store, lid, "p.planer", "falsch")
    wuerfel.nachfuehren(store, config)
    assert _sichten_am(store, tag) == {"beide": n}
    pd.testing.assert_frame_equal(wuerfel.lade_monitoring(oeffentlich, config, ["alq"]).auswahl("alq", tag), vorher)
    _gleich_der_berechnung(store, config)

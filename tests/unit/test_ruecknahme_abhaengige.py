"""Rollback with dependents (#27): a rollback that would leave values without a valid area or catalog
entry is refused with what depends on it, or rolls the dependents back with it; a rollback can be undone."""

from __future__ import annotations

from datetime import date

import pytest

from fis.audit import protokoll
from fis.cli import main
from fis.ingest.lesen import ImportFehler
from fis.ingest.lieferungen import zuruecknahme_aufheben, zuruecknehmen
from fis.store import Store
from fis.wuerfel import lade_monitoring
from fis.zugang import Benutzer

SPLIT, KATALOG = 2, 3        # the demo: Feldmark split 2019, the catalog


@pytest.fixture
def store(demo_copy):
    s = Store.open(demo_copy)
    yield s
    s.close()


def test_rolling_back_the_split_is_refused_with_its_dependents(store):
    vorher = store.content_hash()
    ab = store.rueckname_abhaengige([SPLIT])
    # the values 2019 … 2024 of the new areas would have no valid area
    assert set(ab["waisen"]) >= {11, 12, 13, 14, 15, 16} and sum(ab["waisen"].values()) > 100
    with pytest.raises(ImportFehler, match=r"ließe .* Werte ohne gültiges Gebiet .*mit zurücknehmen"):
        zuruecknehmen(store, SPLIT, "p.planer")
    assert store.content_hash() == vorher and store.lade_lieferung(SPLIT)["status"] == "aktiv"


def test_rolling_back_the_catalog_is_refused_pages_would_break(store):
    ab = store.rueckname_abhaengige([KATALOG])
    assert ab["indikatoren_entfallen"] > 20 and sum(ab["ohne_katalog"].values()) > 1000
    with pytest.raises(ImportFehler, match="ohne Eintrag im Indikatorenkatalog"):
        zuruecknehmen(store, KATALOG, "p.planer")


def test_with_dependents_everything_goes_and_totals_are_never_complete_without_their_areas(store, config):
    info = zuruecknehmen(store, SPLIT, "p.planer", "Test", mit_abhaengigen=True)
    assert SPLIT not in info["abhaengige"] and {11, 16} <= set(info["abhaengige"])
    assert store.rueckname_abhaengige([]) == {"waisen": {}, "ohne_katalog": {}, "indikatoren_entfallen": 0,
                                              "raeume_entfallen": 0}
    m = lade_monitoring(store, config)
    stadt = m.auswahl("bev_gesamt", date(2018, 12, 31), ebene=m.top)
    assert len(stadt) == 1 and not stadt["unvollstaendig"].iloc[0]     # before the split: untouched
    for tag in (date(2024, 12, 31),):
        assert m.auswahl("bev_gesamt", tag).empty                     # its deliveries went with it
    eintraege = protokoll(store, Benutzer("a", "admin")).astype(str).to_numpy().ravel()
    assert any("abhängig von Lieferung 2" in e for e in eintraege)


def test_a_rollback_can_be_undone_and_is_audited(store, capsys):
    vorher = store.lade_werte(["alq"], stichtage=[date(2024, 12, 31)])
    zuruecknehmen(store, 17, "p.planer", "Irrtum")
    assert not store.lade_werte(["alq"], stichtage=[date(2024, 12, 31)]).equals(vorher)
    zuruecknahme_aufheben(store, 17, "p.planer")
    nachher = store.lade_werte(["alq"], stichtage=[date(2024, 12, 31)])
    assert nachher.sort_values(["raum_id"]).reset_index(drop=True).equals(
        vorher.sort_values(["raum_id"]).reset_index(drop=True))
    aktionen = protokoll(store, Benutzer("a", "admin"))
    assert "Zurücknahme aufgehoben" in " ".join(map(str, aktionen.astype(str).to_numpy().ravel()))
    with pytest.raises(ImportFehler, match="nicht zurückgenommen"):
        zuruecknahme_aufheben(store, 17, "p.planer")


def test_cli_rollback_with_dependents_and_undo(demo_copy, capsys):
    assert main(["rollback", str(SPLIT), "--db", str(demo_copy)]) == 2
    assert "mit zurücknehmen" in capsys.readouterr().err
    assert main(["rollback", str(SPLIT), "--mit-abhaengigen", "--db", str(demo_copy)]) == 0
    assert "Mit ihr zurückgenommen: Lieferung 11" in capsys.readouterr().out
    assert main(["wiederherstellen-lieferung", str(SPLIT), "--db", str(demo_copy)]) == 0
    with Store.open(demo_copy, read_only=True) as s:
        assert s.lade_lieferung(SPLIT)["status"] == "aktiv"

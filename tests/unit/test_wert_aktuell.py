"""The maintained tables of current values (migration 16) against the old views as oracle: random sequences of
deliveries, rollbacks, re-activations, publications, failed transactions and rollback previews must leave
``wert_aktuell`` and ``wert_veroeffentlicht`` exactly as the window over the whole history would compute them."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest

from fis.store import Lieferung, Store
from fis.store.werte import AKTUELL

RAEUME, INDIKATOREN, STICHTAGE = ["01", "02", "03"], ["a", "b"], [date(2022, 12, 31), date(2023, 12, 31),
                                                                  date(2024, 12, 31)]
SCHLUESSEL = [(r, i, t) for r in RAEUME for i in INDIKATOREN for t in STICHTAGE]


def _orakel(store: Store, tabelle: str) -> pd.DataFrame:
    """The view of migrations 1 and 8: per key the newest counting row of the whole history."""
    return store.con.execute(
        "SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id "
        f"FROM wert w JOIN lieferung l USING (lieferung_id) WHERE {AKTUELL[tabelle]} "
        "QUALIFY row_number() OVER (PARTITION BY w.raum_id, w.indikator_id, w.stichtag "
        "ORDER BY w.lieferung_id DESC) = 1 ORDER BY ALL").df()


def _stand(store: Store, tabelle: str) -> pd.DataFrame:
    return store.con.execute(f"SELECT * FROM {tabelle} ORDER BY ALL").df()


def _gleich(store: Store, schritt: str) -> None:
    for tabelle in AKTUELL:
        pd.testing.assert_frame_equal(_stand(store, tabelle), _orakel(store, tabelle), obj=f"{tabelle} nach {schritt}")


def _lieferung(store: Store, rng: random.Random) -> int:
    schluessel = rng.sample(SCHLUESSEL, rng.randint(1, 8))
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(art="werte", bezeichnung="Zufall", benutzer="t"))
        frame = pd.DataFrame([{"raum_id": r, "indikator_id": i, "stichtag": t, "wert": rng.random() * 100,
                               "zaehler": float(rng.randint(0, 50)), "nenner": 100.0,
                               "status": rng.choice(["vorläufig", "endgültig"]), "lieferung_id": lid}
                              for r, i, t in schluessel])
        store.insert_werte(frame)
        if rng.random() < 0.2:                  # published together with its commit (the demo's deliveries)
            store.set_lieferung_veroeffentlicht(lid, "t")
    return lid


@pytest.mark.parametrize("seed", range(12))
def test_random_histories_keep_the_tables_equal_to_the_views(seed):
    rng = random.Random(seed)
    store = Store.open(":memory:")
    ids: list[int] = []
    for schritt in range(25):
        art = rng.choice(["liefern", "liefern", "liefern", "zuruecknehmen", "reaktivieren", "veroeffentlichen",
                          "abbrechen", "vorschau"])
        if art == "liefern" or not ids:
            ids.append(_lieferung(store, rng))
            art = "liefern"
        elif art == "zuruecknehmen":
            with store.transaction():
                store.set_lieferung_status(rng.choice(ids), "zurückgenommen", "t")
        elif art == "reaktivieren":
            with store.transaction():
                store.set_lieferung_status(rng.choice(ids), "aktiv", "t")
        elif art == "veroeffentlichen":
            with store.transaction():
                store.set_lieferung_veroeffentlicht(rng.choice(ids), "t")
        elif art == "abbrechen":
            vorher = {t: _stand(store, t) for t in AKTUELL}
            with pytest.raises(RuntimeError), store.transaction():
                lid = store.insert_lieferung(Lieferung(art="werte", bezeichnung="Abbruch", benutzer="t"))
                store.insert_werte(pd.DataFrame([{"raum_id": "01", "indikator_id": "a", "stichtag": STICHTAGE[0],
                                                  "wert": -1.0, "status": "endgültig", "lieferung_id": lid}]))
                store.set_lieferung_status(rng.choice(ids), "zurückgenommen", "t")
                raise RuntimeError("Fehler mitten in der Übernahme")
            for t in AKTUELL:
                pd.testing.assert_frame_equal(_stand(store, t), vorher[t])
        else:                                     # what a rollback would do: computed and undone
            vorher = {t: _stand(store, t) for t in AKTUELL}
            store.rueckname_abhaengige(rng.sample(ids, min(2, len(ids))))
            for t in AKTUELL:
                pd.testing.assert_frame_equal(_stand(store, t), vorher[t])
        _gleich(store, f"Schritt {schritt} ({art})")
    store.close()


def test_an_older_database_gets_its_current_values_from_the_history(demo):
    """Migration 16 filled the tables from the history of the demo (built through the normal paths)."""
    for tabelle in AKTUELL:
        pd.testing.assert_frame_equal(_stand(demo, tabelle), _orakel(demo, tabelle))
    assert len(_stand(demo, "wert_aktuell")) > 20_000


def test_rolling_back_and_restoring_on_the_demo(store):
    """The delivery functions of the app and the CLI keep the tables right: the demo's correction of the
    Bundesagentur (the newest values delivery) rolled back and restored, a rollback previewed, the tables
    rebuilt; the SGB-II value of one area follows."""
    from fis.ingest.lieferungen import zuruecknahme_aufheben, zuruecknehmen
    werte = store.con.execute("SELECT max(lieferung_id) FROM wert").fetchone()[0]
    vorher = store.lade_werte(["sgb2_quote"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    zuruecknehmen(store, werte, "p.planer", "Test")
    _gleich(store, "Rücknahme")
    danach = store.lade_werte(["sgb2_quote"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    assert danach["lieferung_id"] == werte - 1 and vorher["lieferung_id"] == werte
    store.rueckname_abhaengige([werte - 2, werte - 1])
    _gleich(store, "Vorschau einer Rücknahme")
    zuruecknahme_aufheben(store, werte, "p.planer")
    _gleich(store, "Aufheben der Rücknahme")
    assert store.lade_werte(["sgb2_quote"], [date(2024, 12, 31)], ["0101"]).iloc[0]["wert"] == vorher["wert"]
    store.aktuell_auffrischen()
    _gleich(store, "Neuaufbau")

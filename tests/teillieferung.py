"""The awkward state leadership must not be misled by: a partial, unpublished delivery of a new
Stichtag (5 of 51 Sozialräume, 31.12.2025), committed through the normal import path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.store import Store

STICHTAG = date(2025, 12, 31)
RAEUME = ("0101", "0102", "0103", "0201", "0202")


def teillieferung_csv(store: Store, indikatoren: list[str] | None = None) -> bytes:
    """A long CSV: the 2024 values of five Sozialräume, 10 % higher, dated 31.12.2025."""
    if indikatoren is None:                      # the delivered ones: Versorgungsgrade are computed, not delivered
        berechnet = set(store.lade_versorgung_regeln()["indikator_id"])
        indikatoren = [i for i in store.lade_indikatoren()["indikator_id"] if i not in berechnet]
    werte = store.lade_werte(indikator_ids=indikatoren, stichtage=[date(2024, 12, 31)], raum_ids=list(RAEUME))
    zeilen = ["raum;indikator;stichtag;wert;zaehler;nenner"]
    katalog = store.lade_indikatoren().set_index("indikator_id")
    for w in werte.itertuples():
        if w.zaehler == w.zaehler and w.nenner == w.nenner and katalog.at[w.indikator_id, "aggregation"] == "quote":
            z = min(round(w.zaehler * 1.1), w.nenner)
            n = w.nenner
            zahl = z / n * katalog.at[w.indikator_id, "faktor"]
            zeilen.append(f"{w.raum_id};{w.indikator_id};31.12.2025;{zahl:.6f};{z:.0f};{n:.0f}")
        elif w.wert == w.wert:
            zeilen.append(f"{w.raum_id};{w.indikator_id};31.12.2025;{w.wert:.6f};;")
    return "\n".join(zeilen).encode("utf-8")


def liefere_teil(db: Path, indikatoren: list[str] | None = None) -> int:
    """Commit the partial delivery (unpublished) into the database file ``db``; returns its id."""
    with Store.open(db) as store:
        tabelle = lies_tabelle(teillieferung_csv(store, indikatoren), "teillieferung_2025.csv")
        z = zuordnung_import.Zuordnung(format="lang", raum="raum", indikator="indikator", stichtag="stichtag",
                                   wert="wert", zaehler="zaehler", nenner="nenner")
        v = werte_import.vorbereiten(store, tabelle, z, status="vorläufig")
        assert v.bericht.ok, v.bericht.als_text()
        return werte_import.uebernehmen(store, v, "planung-test", "Teillieferung 31.12.2025")

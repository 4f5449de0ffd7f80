"""The aggregate cube: every level × indicator × Stichtag, aggregated and suppressed, kept in the database.

Computing a large city's values (aggregation over all levels, primary and secondary suppression, coverage) takes
seconds per million values; before the cube, every process paid it again for every new data version, and the
first visitor after a delivery waited. Now the values are computed once, when the data change, and stored per
Sicht (``alle``: every active delivery; ``veroeffentlicht``: what Ausschuss and public see) in the tables
``wuerfel`` and ``wuerfel_stand`` (migration 21); a Stichtag whose deliveries are all published has the same rows
in both and stores them once (``beide``, fis.store.wuerfel). Pages, reports and the command line read them, as a
whole or as slices (:func:`lade_ausschnitt`: one Stichtag and some areas; :func:`lade_reihen`: the series goals
are measured on).

**When**: :func:`nachfuehren` runs right after a delivery that can change values is committed, published or
rolled back (the delivery registry, fis.ingest.arten, and the publish/rollback paths of CLI and app call it).
Whoever reads finds stale Stichtage anyway (:func:`lade`): a change made by a path that did not call it, a
changed configuration, a database from before migration 21 — and computes them then (and stores them, if
it may write).

**What is stale** is decided per Stichtag by a fingerprint of its inputs: the current values of the Sicht with
their publication state, the Raumgliederung and the catalog of the Sicht, and the suppression rules of the
configuration (:func:`regelschluessel`). Each Stichtag is aggregated and suppressed on its own (the equations
of secondary suppression and the minimum-population rule never span Stichtage), so a delivery for one
Stichtag recomputes that Stichtag only, and the rows are exactly those of a computation of the whole city
(``tests/unit/test_wuerfel.py``).

The cube holds internal values (what indices are computed from) beside the shown ones; it is derived data in
the internal database, never exported as such: every reader gets :class:`~fis.monitoring.Monitoringdaten`,
whose values are the suppressed ones.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd

from fis.config import Config
from fis.ingest.sperre import schreibsperre
from fis.monitoring import (
    AGGREGAT_SPALTEN,
    GEHEIMHALTUNG_SPALTEN,
    Aggregat,
    Monitoringdaten,
    lade_aggregat,
    monitoring_aus,
    monitoringdaten,
)
from fis.store import DatenbankFehler, Store
from fis.store.wuerfel import Ausschnitt

#: Raise when the computation of the rows changes: every stored cube is then computed again.
RECHENWEISE = 1
SICHTEN = ("alle", "veroeffentlicht")
#: The shown values, stored beside the internal ones under these names.
GEZEIGT = {"wert": "z_wert", "zaehler": "z_zaehler", "nenner": "z_nenner", "status": "z_status",
           "summe_teile": "z_summe_teile"}
_SORTIERUNG = ["indikator_id", "stichtag", "ebene", "raum_id"]


def regelschluessel(config: Config) -> str:
    """What of the configuration the cube's rows depend on, as a short key."""
    stadt = config.stadt
    teile = (RECHENWEISE, stadt.geheimhaltung_standard, stadt.mindest_einwohner, stadt.einwohner_indikator,
             stadt.mindest_abdeckung, [(e.ebene, e.plural) for e in stadt.raumebenen])
    return hashlib.sha256(repr(teile).encode()).hexdigest()[:16]


def _ids(config: Config, indikator_ids) -> list[str] | None:
    """The requested indicators with the population indicator (fis.monitoring.lade_aggregat); None: all."""
    if indikator_ids is None:
        return None
    ids = sorted({str(i) for i in indikator_ids})
    ew = config.stadt.einwohner_indikator
    return sorted({*ids, ew}) if ew else ids


#: Fingerprints per database, Sicht, data version and rules: they follow from committed data only, and every
#: commit changes the data version. Hashing a large city's values took 0,1–0,4 s on each read of the cube.
_FINGERABDRUECKE: dict[tuple, dict[date, str]] = {}
_SPERRE = threading.Lock()                        # sessions of the app read in threads


def _fingerabdruecke(store: Store, config: Config) -> dict[date, str]:
    zusatz = regelschluessel(config)
    if store.in_transaktion:                      # the caller's uncommitted changes count, under the old version
        return store.wuerfel_fingerabdruecke(zusatz)
    schluessel = (str(store.path), store.sicht, store.data_version(), zusatz)
    with _SPERRE:
        if schluessel not in _FINGERABDRUECKE:
            if len(_FINGERABDRUECKE) >= 16:
                _FINGERABDRUECKE.pop(next(iter(_FINGERABDRUECKE)))
            _FINGERABDRUECKE[schluessel] = store.wuerfel_fingerabdruecke(zusatz)
        return _FINGERABDRUECKE[schluessel]


def _offen(store: Store, config: Config) -> tuple[dict[date, str], list[date]]:
    """The Stichtage of the store's Sicht to compute (with their new fingerprint) and those to drop."""
    soll = _fingerabdruecke(store, config)
    ist = store.wuerfel_stand()
    return {t: fp for t, fp in soll.items() if ist.get(t) != fp}, sorted(t for t in ist if t not in soll)


def zeilen_aus(a: Aggregat, m: Monitoringdaten) -> pd.DataFrame:
    """Cube rows from an aggregate and its suppressed values (the same rows in the same order)."""
    gezeigt = m.werte[[*GEZEIGT, *GEHEIMHALTUNG_SPALTEN]].rename(columns=GEZEIGT).reset_index(drop=True)
    return pd.concat([a.werte.reset_index(drop=True), gezeigt], axis=1)


def _rechnen(store: Store, config: Config, stichtage: list[date],
             indikator_ids: list[str] | None = None) -> pd.DataFrame:
    a = lade_aggregat(store, config, indikator_ids, stichtage)
    return zeilen_aus(a, monitoring_aus(a, config))


#: Stichtage computed together: the next batch is computed while the previous one is written (DuckDB writes
#: without Python's lock), and a batch's frames are a fraction of a large city's.
STAPEL = 4


def _schreiben(store: Store, config: Config, neu: dict[date, str], weg: list[date]) -> None:
    """Compute the Stichtage ``neu`` (every indicator) and store them. A Stichtag whose inputs the other Sicht
    already has computed (the same fingerprint: every delivery of it published) shares that Sicht's rows.

    Batches of :data:`STAPEL` Stichtage, each written in a transaction of its own on a second connection while
    the next is computed; the first also drops ``weg`` and shares the equal ones. Each Stichtag's rows and its
    fingerprint change together, so a reader between two batches finds the rest stale and computes it."""
    andere = store.wuerfel_stand_der_anderen_sicht()
    gleich = {t: fp for t, fp in neu.items() if andere.get(t) == fp}
    rechnen = sorted(t for t in neu if t not in gleich)
    stapel = [rechnen[i:i + STAPEL] for i in range(0, len(rechnen), STAPEL)] or [[]]
    schreiber = store.cursor()

    def speichern(zeilen: pd.DataFrame, tage: list[date], erster: bool) -> None:
        with schreibsperre(schreiber), schreiber.transaction(bump=False):
            schreiber.wuerfel_schreiben(zeilen, {t: neu[t] for t in tage}, [*weg, *gleich] if erster else [])
            if erster and gleich:
                schreiber.wuerfel_uebernehmen(gleich)

    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wuerfel") as pool:
            laufend = None
            for i, tage in enumerate(stapel):
                zeilen = _rechnen(store, config, tage) if tage else pd.DataFrame(columns=AGGREGAT_SPALTEN)
                if laufend is not None:
                    laufend.result()                # in order; an error stops the batches after it
                laufend = pool.submit(speichern, zeilen, tage, i == 0)
            laufend.result()
    finally:
        schreiber.close()


def nachfuehren(store: Store, config: Config) -> dict[str, int]:
    """Bring both cubes up to date; returns per Sicht how many Stichtage were computed (0: nothing changed).
    Called after a commit; takes the write lock of the process."""
    out = {}
    for sicht in SICHTEN:
        s = store.cursor(nur_veroeffentlicht=sicht == "veroeffentlicht")
        neu, weg = _offen(s, config)
        if neu or weg:
            _schreiben(s, config, neu, weg)
        out[sicht] = len(neu)
    return out


def lade(store: Store, config: Config, indikator_ids=None,
         ausschnitt: Ausschnitt | None = None) -> tuple[Aggregat, Monitoringdaten]:
    """The internal aggregate and the values as they may be shown, of every indicator (None) or of the given
    ones (with the population indicator), for the store's Sicht — read from the cube; with ``ausschnitt``
    only its rows (:func:`lade_ausschnitt`, :func:`lade_reihen`). Stale
    Stichtage are computed first and stored; a store that may not write (opened read-only, busy, inside
    another transaction) keeps them in memory for this call."""
    ids = _ids(config, indikator_ids)
    neu, weg = _offen(store, config)
    gespeichert = not (neu or weg)
    if not gespeichert and store.schreibbar:
        try:
            _schreiben(store, config, neu, weg)
            gespeichert = True
        except (DatenbankFehler, TimeoutError):
            pass                                # busy or inside another transaction: computed for this call
    zeilen = store.lade_wuerfel(ids, ausschnitt)       # Stichtage as dates, as fis.monitoring has them
    if not gespeichert:
        zeilen = zeilen[~zeilen["stichtag"].isin({*neu, *weg})]
        if neu:
            frisch = _rechnen(store, config, sorted(neu), ids)
            if ausschnitt is not None:
                frisch = frisch[ausschnitt.maske(frisch).to_numpy()]
            zeilen = pd.concat([zeilen, frisch[zeilen.columns]], ignore_index=True).sort_values(_SORTIERUNG)
    # a slice lacks rows of most Stichtage; the Raum records of every Stichtag with values stay as for the city
    tage = sorted((set(store.wuerfel_stand()) - set(weg)) | set(neu)) if ausschnitt is not None else None
    return _daten(store, config, zeilen.reset_index(drop=True), tage)


def _daten(store: Store, config: Config, zeilen: pd.DataFrame,
           stichtage: list[date] | None = None) -> tuple[Aggregat, Monitoringdaten]:
    for spalte in ("anzahl", "erwartet", "schwelle"):
        zeilen[spalte] = zeilen[spalte].astype("int64")
    for spalte in ("vollstaendig", "geliefert", "unterdrueckt", "unvollstaendig"):
        zeilen[spalte] = zeilen[spalte].astype(bool)
    a = Aggregat(zeilen[AGGREGAT_SPALTEN], store.lade_raeume(), store.lade_indikatoren(),
                 tuple(sorted(zeilen["stichtag"].unique()) if stichtage is None else stichtage))
    gezeigt = zeilen.drop(columns=list(GEZEIGT)).rename(columns={v: k for k, v in GEZEIGT.items()})
    return a, monitoringdaten(gezeigt[AGGREGAT_SPALTEN + GEHEIMHALTUNG_SPALTEN], a, config)


def lade_ausschnitt(store: Store, config: Config, stichtag: date, raum_ids: list[str]) -> Monitoringdaten:
    """Every indicator at ``stichtag`` for every Raum, and every Stichtag of ``raum_ids``: all that one area's
    profile needs (the ranks and the similar areas compare the level at the Stichtag; the change and the
    series are the area's own), read from the cube as a slice. For the profile of a large city a twentieth of
    the rows: what it computes from them equals the computation on the whole city
    (``tests/unit/test_profil_ausschnitt.py``)."""
    return lade(store, config, None, Ausschnitt(stichtag, tuple(sorted({str(r) for r in raum_ids}))))[1]


def lade_reihen(store: Store, config: Config, paare) -> Monitoringdaten:
    """The series (every Stichtag) of each (indicator, Raum) of ``paare`` and nothing else: what goals are
    measured on. 2.000 goals of a large city need a few thousand rows, not the millions of their indicators."""
    return lade(store, config, None, Ausschnitt(paare=tuple(sorted({(str(i), str(r)) for i, r in paare}))))[1]


def lade_monitoring(store: Store, config: Config, indikator_ids=None) -> Monitoringdaten:
    """The values as they may be shown (aggregated over all levels, suppressed): of every indicator, or of the
    given ones (:func:`lade`)."""
    return lade(store, config, indikator_ids)[1]

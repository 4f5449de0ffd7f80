"""The Streamlit shell around fis: cached reads keyed on the data version, and the database
connection held only while a script run needs it (fis.verbindungen). The only place besides pages
that imports streamlit.

Concurrency: the data version comes from the version file beside the database (no lock); a run that
finds everything in the caches never opens the database. A run that misses them opens the shared
connection (waiting at most FIS_WARTEN_SEKUNDEN while e.g. a command-line import holds the file) and
app.py closes it at the end of the run (:func:`lauf`), so the command line can write in between."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from fis import analysen, charts, datenstand, hochrechnung, prognose, zielgruppe
from fis import budgetvarianten as bv
from fis import controlling as ctl
from fis import gegensteuerung as gs
from fis import indizes as idx
from fis import massnahmen as mn
from fis import planung as pl
from fis import produkte as prd
from fis import versorgung as vs
from fis.analysen import zeitreihe_werte
from fis.datenstand import Stichtagsstand, lade_stichtagsstaende
from fis.demo import build_demo
from fis.einordnung import einordnungen as lade_einordnungen
from fis.ingest.lieferungen import unveroeffentlicht
from fis.lagebild import Lagebild, berechne_lagebild
from fis.maps import anzeige_geometrien
from fis.monitoring import Monitoringdaten
from fis.pfade import db_path
from fis.store import Store, datenversion_lesen, datenversion_schreiben, versionsdatei
from fis.wuerfel import lade as lade_wuerfel
from fis.wuerfel import lade_ausschnitt
from ui.verbindung import _verbindung, config
from ui.zugang import darf_aktuell


def create_demo_database(path: Path, progress) -> None:
    """Build the demo into a temporary file next to ``path`` and move it into place,
    so that an interrupted first start never leaves a half-written database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".duckdb", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    store = Store.open(tmp)
    try:
        build_demo(store, config(), progress)
        version = store.data_version()
    finally:
        store.close()
    os.replace(tmp, path)
    versionsdatei(tmp).unlink(missing_ok=True)
    datenversion_schreiben(path, version)


def _oeffentlich() -> bool:
    """True when the signed-in role may see published deliveries only (Ausschuss/Öffentlich)."""
    return not darf_aktuell("unveroeffentlicht_lesen")


def store() -> Store:
    """A cursor for this script run (DuckDB connections are not thread-safe; cursors are);
    public roles read published values only."""
    return _verbindung().cursor(nur_veroeffentlicht=_oeffentlich())


def _datenversion() -> str:
    """The data version from the version file (no lock, microseconds); from the database only if the
    file is missing or older than the database's last change (a writer that could not write it)."""
    pfad = db_path()
    version = datenversion_lesen(pfad)
    if version is not None:
        try:
            datei = versionsdatei(pfad).stat().st_mtime
            geaendert = max((p.stat().st_mtime for p in (pfad, Path(f"{pfad}.wal")) if p.exists()), default=0)
        except OSError:
            geaendert = datei = 0
        if geaendert <= datei + 2:
            return version
    # on a cursor: sessions ask at the same time (the first visitors while the cube is written), and the process's
    # connection refuses a second concurrent call ("connection is busy")
    version = _verbindung().cursor().data_version()
    datenversion_schreiben(pfad, version)
    return version


def data_version(oeffentlich: bool = False) -> str:
    """The cache key of every read: the data version plus what the role may see, so that a
    committee session never gets a result computed from unpublished deliveries.
    ``oeffentlich``: published deliveries only, whatever the role (the presentation mode)."""
    sicht = "veroeffentlicht" if oeffentlich or _oeffentlich() else "alle"
    return f"{_datenversion()}|{sicht}"


def _leser(version: str) -> Store:
    """The store a cached read uses: its scope follows the version key, not the caller."""
    return _verbindung().cursor(nur_veroeffentlicht=version.endswith("|veroeffentlicht"))


@st.cache_data(show_spinner=False, max_entries=32)
def einordnungen(version: str, stichtag: date) -> dict[str, dict]:
    """The Einordnungen of the planners at ``stichtag`` (public roles: published ones only)."""
    return lade_einordnungen(_leser(version), stichtag)


@st.cache_data(show_spinner=False, max_entries=8)
def vergleichswerte(version: str) -> pd.DataFrame:
    """Current values of Land, Bund, Vergleichsring … (public roles: published deliveries only)."""
    return _leser(version).lade_vergleichswerte()


@st.cache_data(show_spinner=False, max_entries=8)
def prognosen(version: str) -> pd.DataFrame:
    """The current projection (public roles: published deliveries only, small areas and counts withheld)."""
    p = _leser(version).lade_prognosen()
    if version.endswith("|veroeffentlicht"):
        stadt = config().stadt
        p = prognose.oeffentlich(p, stadt.mindest_einwohner, stadt.geheimhaltung_standard)
    return p


@st.cache_data(show_spinner=False, max_entries=8)
def zielgruppen(version: str) -> pd.DataFrame:
    """The expected Zielgruppe of each goal at its Zieldatum (fis.zielgruppe); public roles: goals of a single
    Sozialraum only, from the protected projection."""
    return zielgruppe.je_ziel(controlling(version).ziele, config().katalog.indikatoren, prognosen(version),
                              monitoring(version, []).raeume, summen=not version.endswith("|veroeffentlicht"))


@st.cache_data(show_spinner=False)
def offene_lieferungen(version: str) -> pd.DataFrame:
    """Active deliveries nobody has published yet (the sidebar reminds Planung of them)."""
    return unveroeffentlicht(_leser(version))


@st.cache_data(show_spinner=False)
def stichtagsstaende(version: str) -> list[Stichtagsstand]:
    """Every Stichtag of the view with its state (complete? published?), oldest first."""
    return lade_stichtagsstaende(_leser(version), config())


def stichtage(version: str) -> list[date]:
    return [s.stichtag for s in stichtagsstaende(version)]


def standard_stichtag(version: str) -> date | None:
    """The newest complete, published Stichtag: what every page shows unless another is chosen."""
    return datenstand.standard_stichtag(stichtagsstaende(version))


@st.cache_data(show_spinner="Lagebild wird berechnet …")
def lagebild(version: str, stichtag: date, ebene: int) -> Lagebild:
    oeffentlich = monitoring(version, index_indikatoren()) if version.endswith("|veroeffentlicht") else None
    klassen = idx.handlungsbedarf_klassen(indexdaten(version, index_indikatoren()), config(), stichtag, oeffentlich) \
        if config().lagebild.handlungsbedarf.index else None
    m = monitoring(version, lagebild_indikatoren())
    return berechne_lagebild(_leser(version), config(), stichtag, ebene, m, klassen)


# The large results (millions of values) are cached as resources: every session and rerun shares
# one object instead of unpickling a copy (st.cache_data), which cost a large city about a second
# per rerun and a copy per session. Nobody may change them in place (pandas copy-on-write makes
# every derived frame a copy). Two entries: the current version for both Sichten.
def _berechne(version: str, indikatoren: tuple[str, ...] | None) -> tuple[Monitoringdaten, idx.Indexdaten]:
    """One read of the aggregate cube (fis.wuerfel) for both the published values and the indices."""
    a, m = lade_wuerfel(_leser(version), config(), indikatoren)
    return m, idx.indexdaten_aus(a)


@st.cache_resource(show_spinner="Werte werden zusammengestellt …", max_entries=2)
def _daten(version: str) -> tuple[Monitoringdaten, idx.Indexdaten]:
    """The whole city (two entries: the current version for both Sichten)."""
    return _berechne(version, None)


@st.cache_resource(show_spinner="Werte werden zusammengestellt …", max_entries=32)
def _teil(version: str, indikatoren: tuple[str, ...]) -> tuple[Monitoringdaten, idx.Indexdaten]:
    """Some indicators only: aggregation and suppression work per indicator (the population
    indicator comes along for the minimum-population rule), so the values are exactly those of
    the whole city; a page showing a few indicators of a large city need not wait for all."""
    return _berechne(version, indikatoren)


def _werte(version: str, indikatoren) -> tuple[Monitoringdaten, idx.Indexdaten]:
    """Of every indicator (None), or of the given ones (with the population indicator:
    fis.monitoring.lade_aggregat); none given: the population indicator only (what a page needs that
    shows no values but the Raumgliederung, the catalog or Kennzahlen per inhabitant)."""
    if indikatoren is None:
        return _daten(version)
    return _teil(version, tuple(sorted({str(i) for i in indikatoren})))     # a list or an array


def monitoring(version: str, indikatoren=None) -> Monitoringdaten:
    """Published values (aggregated, suppressed) for this data version: of every indicator (None), or
    of the given ones (see _werte)."""
    return _werte(version, indikatoren)[0]


@st.cache_resource(show_spinner="Werte werden zusammengestellt …", max_entries=4)
def profil_monitoring(version: str, stichtag: date, raeume: tuple[str, ...]) -> Monitoringdaten:
    """What one area's profile shows (fis.wuerfel.lade_ausschnitt): every value at the Stichtag and the areas'
    series. A twentieth of a large city, read in a fraction of a second instead of every value."""
    return lade_ausschnitt(_leser(version), config(), stichtag, list(raeume))


# what the profile computes from its slice, per area: a rerun (another widget, the download) only draws
@st.cache_data(show_spinner=False, max_entries=32)
def profil(version: str, stichtag: date, raeume: tuple[str, ...], raum: str, jahre: int) -> pd.DataFrame:
    return analysen.profil(profil_monitoring(version, stichtag, raeume), raum, stichtag, jahre)


@st.cache_data(show_spinner=False, max_entries=32)
def aehnliche(version: str, stichtag: date, raeume: tuple[str, ...], raum: str) -> pd.DataFrame:
    return analysen.aehnliche(profil_monitoring(version, stichtag, raeume), raum, stichtag, k=5)


@st.cache_data(show_spinner=False, max_entries=32)
def handlungsbedarf_profil(version: str, stichtag: date, raeume: tuple[str, ...], raum: str) -> analysen.ProfilBedarf:
    return analysen.handlungsbedarf_profil(profil_monitoring(version, stichtag, raeume),
                                           config().lagebild.handlungsbedarf, raum, stichtag)


@st.cache_data(show_spinner=False, max_entries=32)
def kleine_vielfache(version: str, indikatoren: tuple[str, ...], gebiete: tuple[str, ...],
                     oberebenen: bool) -> dict:
    """The Vega-Lite spec of the small multiples on the Zeitreihen page: half a second for four charts, and the
    page reruns on every widget change with the same indicators and areas."""
    mw = monitoring(version, indikatoren)
    reihen = {i: zeitreihe_werte(mw, i, list(gebiete), oberebenen) for i in indikatoren}
    return charts.kleine_vielfache(reihen, {i: mw.meta(i) for i in indikatoren})


@st.cache_data(show_spinner=False, max_entries=8)
def ziele(version: str) -> pd.DataFrame:
    """The goals as stored (without their Ist series: see controlling)."""
    return _leser(version).lade_ziele()


@st.cache_data(show_spinner=False, max_entries=8)
def massnahmen(version: str) -> mn.Register:
    """The Maßnahmenregister (public roles: published measures, people counts below the threshold withheld)."""
    oeffentlich = version.endswith("|veroeffentlicht")
    return mn.lade(_leser(version), config().stadt.geheimhaltung_standard if oeffentlich else None)


@st.cache_data(show_spinner=False, max_entries=8)
def planung(version: str) -> pl.Planungsstand:
    """Planungszyklus und Beteiligung (public roles: published deliveries only)."""
    return pl.lade(_leser(version))


@st.cache_data(show_spinner=False, max_entries=8)
def gegensteuerung(version: str, jahr: int) -> dict[str, dict]:
    """The Gegensteuerung per goal in ``jahr`` (fis.gegensteuerung.je_ziel; public roles: published ones)."""
    return gs.je_ziel(_leser(version), jahr)


@st.cache_data(show_spinner=False, max_entries=8)
def katalog(version: str) -> pd.DataFrame:
    """The indicator catalog, indexed by indikator_id."""
    return _leser(version).lade_indikatoren().set_index("indikator_id")


@st.cache_data(show_spinner=False, max_entries=16)
def einrichtungen(version: str, stichtag: date) -> pd.DataFrame:
    """The facilities open at ``stichtag`` with their Sozialraum then (public roles: published register)."""
    return vs.einrichtungen(_leser(version), config(), stichtag)


@st.cache_data(show_spinner=False, max_entries=8)
def bestand(version: str) -> pd.DataFrame:
    """Which indicator has values at which Stichtag (for choosing, not for figures)."""
    return _leser(version).lade_wertebestand()


@st.cache_resource(show_spinner=False, max_entries=16)
def geometrien(version: str, stichtag: date, ebene: int) -> pd.Series:
    """Simplified display geometries (shapely) of the units of ``ebene`` valid at ``stichtag``."""
    return anzeige_geometrien(_leser(version), stichtag, ebene)


@st.cache_resource(show_spinner="Ziele werden bewertet …", max_entries=2)
def controlling(version: str) -> ctl.Controllingdaten:
    """Goals with their Kennzahl series and the budget data of this data version."""
    # only the series goals are measured on (indicator and Raum): a large city need not wait for all values
    return ctl.lade_controlling_aus_wuerfel(_leser(version), config())


@st.cache_data(show_spinner=False, max_entries=8)
def bewertung(version: str, jahr: int) -> pd.DataFrame:
    """Soll-Ist and Ampel of every goal for ``jahr``, rolled up over the tree."""
    return ctl.bewerte_ziele(controlling(version), jahr, config().controlling)


@st.cache_data(show_spinner=False, max_entries=8)
def budgetvarianten(version: str, jahr: int) -> pd.DataFrame:
    """The goals' forecasts under other budgets as a table (the Ziele page draws it on every rerun, mostly folded)."""
    c, cfg = controlling(version), config().controlling.budgetvarianten
    return bv.tabelle(bv.budgetvarianten(c.ziele, bewertung(version, jahr), cfg, c.nachkommastellen), cfg)


@st.cache_data(show_spinner=False, max_entries=8)
def haushaltszeilen(version: str, jahr: int, monat: int) -> pd.DataFrame:
    return hochrechnung.haushaltszeilen(controlling(version), jahr, monat, config().controlling.haushalt)


@st.cache_resource(show_spinner=False, max_entries=2)
def produkte(version: str) -> prd.Produktdaten:
    """Products, Kennzahlen and Teilergebnispläne of this data version."""
    return prd.lade_produkte(_leser(version))


def indexdaten(version: str, indikatoren=None) -> idx.Indexdaten:
    """Internal values of all levels for the indices (only index results are shown): of every
    indicator, or of the given ones (see _werte)."""
    return _werte(version, indikatoren)[1]


def index_indikatoren() -> list[str]:
    """The components of the configured indices."""
    return idx.index_indikatoren(config())


@st.cache_data(show_spinner=False, max_entries=32)
def indexergebnis(version: str, index_id: str, stichtag: date) -> idx.Indexergebnis:
    """One index at one Stichtag as the reader may see it: public roles (the version's Sicht) get
    classes only where values would reveal suppressed cells (fis.indizes.oeffentlich)."""
    ix = idx.index_nach_id(config(), index_id)
    return idx.ergebnis(indexdaten(version, index_indikatoren()), monitoring(version, index_indikatoren()),
                        config(), ix, stichtag, version.endswith("|veroeffentlicht"))


def lagebild_indikatoren() -> list[str]:
    """The Lagebild's Eckwerte and Handlungsbedarf indicators (also its report and slide)."""
    lage = config().lagebild
    return list(dict.fromkeys([*lage.handlungsbedarf.indikatoren, *lage.kennzahlen]))


@st.cache_data(show_spinner=False, max_entries=32)
def rueckname_abhaengige(version: str, lieferung_id: int) -> dict:
    """What depends on a delivery: values that its rollback would leave without area or catalog entry."""
    return _verbindung().cursor().rueckname_abhaengige([lieferung_id])


@st.cache_data(show_spinner=False, max_entries=32)
def rueckname_wirkung(version: str, lieferung_id: int) -> dict[str, int]:
    """What rolling back a delivery would do (a query over the value history: seconds in a large city)."""
    return _leser(version).rueckname_wirkung(lieferung_id)


def verwerfen() -> None:
    """After a commit or rollback: drop every cached result (not the connection or the configuration)."""
    st.cache_data.clear()
    for f in (_daten, _teil, controlling, produkte, geometrien):
        f.clear()

"""DuckDB store: every SQL statement of the project lives in this package.

``Store`` is one object per connection (or cursor) that brings together the query modules, one per
aggregate: :mod:`~fis.store.lieferungen`, :mod:`~fis.store.raeume`, :mod:`~fis.store.katalog`,
:mod:`~fis.store.werte` (with :mod:`~fis.store.pruefung`), :mod:`~fis.store.einrichtungen`,
:mod:`~fis.store.ziele`, :mod:`~fis.store.produkte`, :mod:`~fis.store.verteilung` (Mittelverteilung),
:mod:`~fis.store.vergleich` (Vergleichswerte), :mod:`~fis.store.prognose`,
:mod:`~fis.store.massnahmen` (Maßnahmenregister), :mod:`~fis.store.planung` (Planungszyklus,
Beteiligung, Gegensteuerung), :mod:`~fis.store.aggregat` (the levels in SQL),
:mod:`~fis.store.wuerfel` (the stored aggregate cube) and :mod:`~fis.store.audit`, on top of
:mod:`~fis.store.verbindung` (opening, migrations from :mod:`~fis.store.schema`, transactions, data
version). Values from users are always bound parameters; DataFrames are handed to DuckDB by registering
them as views. Nothing outside this package writes SQL (``tests/unit/test_architektur.py``).
"""

from __future__ import annotations

import duckdb

from fis.store.aggregat import AggregatAbfragen
from fis.store.audit import AuditAbfragen, audit_vormerken, audit_warteschlange, audit_warteschlange_lesen
from fis.store.einrichtungen import EinrichtungAbfragen
from fis.store.katalog import KatalogAbfragen
from fis.store.lieferungen import Lieferung, LieferungAbfragen
from fis.store.massnahmen import MassnahmeAbfragen
from fis.store.planung import PlanungAbfragen
from fis.store.produkte import ProduktAbfragen
from fis.store.prognose import PrognoseAbfragen
from fis.store.pruefung import PruefAbfragen
from fis.store.raeume import RaumAbfragen
from fis.store.schema import LATEST_VERSION, MIGRATIONS
from fis.store.verbindung import (
    DatenbankBelegt,
    DatenbankBeschaedigt,
    StoreError,
    datenversion_lesen,
    datenversion_schreiben,
    versionsdatei,
    warten_standard,
)
from fis.store.vergleich import VergleichAbfragen
from fis.store.verteilung import VerteilungAbfragen
from fis.store.werte import WertAbfragen
from fis.store.wuerfel import WuerfelAbfragen
from fis.store.ziele import ZielAbfragen

#: The database engine's error: what a caller catches when a write may fail for a reason outside the
#: program (the file opened read-only, busy) and there is a fallback (e.g. spooling an audit entry).
DatenbankFehler = duckdb.Error


class Store(LieferungAbfragen, RaumAbfragen, KatalogAbfragen, WertAbfragen, PruefAbfragen, EinrichtungAbfragen,
            ZielAbfragen, ProduktAbfragen, AuditAbfragen, VerteilungAbfragen, VergleichAbfragen,
            PrognoseAbfragen, AggregatAbfragen, WuerfelAbfragen, MassnahmeAbfragen, PlanungAbfragen):
    """A DuckDB connection (or cursor) with the project's schema and queries."""


__all__ = [
    "LATEST_VERSION", "MIGRATIONS", "DatenbankBelegt", "DatenbankBeschaedigt", "DatenbankFehler", "Lieferung",
    "Store", "StoreError",
    "audit_vormerken", "audit_warteschlange", "audit_warteschlange_lesen", "datenversion_lesen",
    "datenversion_schreiben", "versionsdatei", "warten_standard",
]

"""The connection of a script run and the configuration: the lowest layer of the shell, below
:mod:`ui.zugang` (sign-in) and :mod:`ui.cache` (cached reads), which both build on it.

app.py wraps every script run in :func:`lauf`; whatever connection the run opened through
:func:`_verbindung` is given back at its end, so the command line can write in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from fis.config import Config
from fis.config_lesen import lade_konfiguration
from fis.pfade import config_ordner, db_path
from fis.store import Store
from fis.verbindungen import VERBINDUNGEN


@st.cache_resource
def _config(directory: str) -> Config:
    return lade_konfiguration(directory)


def config() -> Config:
    """The validated configuration (re-read when FIS_CONFIG points elsewhere)."""
    return _config(str(config_ordner()))


_LAUF = threading.local()      # per script run (each session's run executes in its own thread)


@contextmanager
def lauf() -> Iterator[None]:
    """One script run (app.py wraps everything in it): whatever connection the run opened is given
    back at its end, also when the run stops early (st.stop, st.rerun, an error)."""
    try:
        yield
    finally:
        for pfad in getattr(_LAUF, "pfade", set()):
            VERBINDUNGEN.freigeben(pfad)
        _LAUF.pfade = set()


def _verbindung() -> Store:
    """This run's share of the process's connection to the configured database (opened on first use)."""
    pfad = str(db_path())
    pfade = getattr(_LAUF, "pfade", None)
    if pfade is None:
        pfade = _LAUF.pfade = set()
    store = VERBINDUNGEN.holen(pfad)
    if pfad in pfade:
        VERBINDUNGEN.freigeben(pfad)      # already held by this run: one hold per run is enough
    else:
        pfade.add(pfad)
    return store


def protokoll_store() -> Store:
    """A cursor for audit entries around sign-in (no role is known yet, none is needed)."""
    return _verbindung().cursor()

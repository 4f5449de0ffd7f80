"""Serialising writers: one import or rollback at a time per database.

DuckDB lets only one process write a database file; inside one process (the app
with several sessions) cursors share the connection, and two concurrent write
transactions would conflict. This lock makes them wait for each other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fis.store import Store

_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()
WARTEZEIT = 600.0


@contextmanager
def schreibsperre(store: Store) -> Iterator[None]:
    key = store.kennung
    with _GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    if not lock.acquire(timeout=WARTEZEIT):
        raise TimeoutError("Eine andere Übernahme läuft noch; bitte später erneut versuchen.")
    try:
        yield
    finally:
        lock.release()

"""Data deliveries: read, map, check, preview, commit, roll back.

Nothing here writes SQL; all statements live in :mod:`fis.store`.
"""

from fis.ingest.lesen import ImportFehler, Tabelle, lies_tabelle

__all__ = ["ImportFehler", "Tabelle", "lies_tabelle"]

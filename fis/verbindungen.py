"""The app's connections: held only while a script run needs the database, so that imports, reports,
backups and user administration from the command line run beside the app.

DuckDB lets one process write a database file and locks it while a connection is open. The app
therefore opens its connection when a run reads something that is not cached yet (or writes), shares
it between the runs that need it at the same moment (each run uses its own cursor), and closes it
when the last of them has finished. Everything else is answered from the caches, which are keyed on
the data version read from the version file beside the database (no lock needed).
"""

from __future__ import annotations

import threading
from pathlib import Path

from fis.store import Store


class Verbindungen:
    """Reference-counted connections, one per database file and process (thread-safe)."""

    def __init__(self) -> None:
        self._sperre = threading.Lock()
        self._offen: dict[str, list] = {}          # path → [Store, number of holders]

    def holen(self, path: str | Path, warten: float | None = None) -> Store:
        """The process's store on ``path`` (opened if nobody holds it: waits at most ``warten`` seconds
        for another process, then :class:`fis.store.DatenbankBelegt`). Give it back with :meth:`freigeben`."""
        schluessel = str(path)
        with self._sperre:
            eintrag = self._offen.get(schluessel)
            if eintrag is None:
                eintrag = [Store.open(schluessel, warten=warten), 0]
                self._offen[schluessel] = eintrag
            eintrag[1] += 1
            return eintrag[0]

    def freigeben(self, path: str | Path) -> None:
        """One holder less; the last one closes the connection (and so releases the file)."""
        schluessel = str(path)
        with self._sperre:
            eintrag = self._offen.get(schluessel)
            if eintrag is None:
                return
            eintrag[1] -= 1
            if eintrag[1] <= 0:
                del self._offen[schluessel]
                eintrag[0].close()

    def offen(self, path: str | Path) -> bool:
        with self._sperre:
            return str(path) in self._offen


VERBINDUNGEN = Verbindungen()

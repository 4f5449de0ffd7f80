"""The technical log: unexpected errors with a reference id the user sees in a German message.

Users never get a Python traceback (app or command line). They get a sentence and a short
reference; the traceback goes to the log file under that reference, where IT finds it:
``FIS_LOG`` or ``fis.log`` next to the database.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fis.pfade import db_path

LOGGER = logging.getLogger("fis")


def protokoll_datei() -> Path:
    return Path(os.environ.get("FIS_LOG") or db_path().parent / "fis.log")


def _handler() -> None:
    """Attach the log file once per process (and again if FIS_LOG changed)."""
    ziel = protokoll_datei().resolve()
    for h in LOGGER.handlers:
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == ziel:
            return
    try:
        ziel.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(ziel, encoding="utf-8")
    except OSError:
        return                                  # a read-only place: the error still goes to stderr
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)


@contextmanager
def seitenlauf_protokollieren(seite: str, rolle: str, datenversion: Callable[[], str]) -> Iterator[None]:
    """One structured log line per page run (JSON): page, role, duration in ms, data version, and
    whether it ended normally. No user names, no values: what IT needs to see load and failures."""
    beginn = time.perf_counter()
    ergebnis = "fehler"
    try:
        yield
        ergebnis = "ok"
    except BaseException as exc:      # st.stop / st.rerun end a run normally, too
        ergebnis = "ok" if type(exc).__name__ in ("StopException", "RerunException") else "fehler"
        raise
    finally:
        try:
            version = datenversion()
        except Exception:  # noqa: BLE001 – the log line must not fail the page
            version = "?"
        _handler()
        LOGGER.info(json.dumps({"ereignis": "seite", "seite": seite, "rolle": rolle,
                                "dauer_ms": round((time.perf_counter() - beginn) * 1000),
                                "datenversion": version.split("-")[0], "ergebnis": ergebnis},
                               ensure_ascii=False))


def referenz() -> str:
    """A short id to quote on the phone: 8 characters, no 0/O or 1/I confusion."""
    zeichen = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(zeichen) for _ in range(8))


def fehler_protokollieren(exc: BaseException, ort: str) -> str:
    """Log ``exc`` with its traceback under a new reference id and return the id."""
    ref = referenz()
    _handler()
    LOGGER.error("Fehler %s in %s: %s", ref, ort, exc, exc_info=(type(exc), exc, exc.__traceback__))
    return ref


def fehlertext(ref: str, was: str = "Die Ansicht") -> str:
    """The German message for an unexpected error."""
    return (f"{was} ließ sich wegen eines unerwarteten Fehlers nicht vollständig erstellen. Es wurde nichts "
            f"verändert. Bitte einen anderen Stichtag oder eine andere Auswahl versuchen; bleibt der Fehler, "
            f"mit der Referenz {ref} an die Administration wenden (Einzelheiten im Protokoll).")

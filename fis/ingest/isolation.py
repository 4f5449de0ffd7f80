"""Reading an upload with a native library in a separate process, so that a crash of that library (a
segmentation fault in GDAL on a malicious file) or a runaway allocation kills the helper, never the server.

The app server sets ``FIS_PARSER_ISOLIERT=1`` (server.py); the command line and the tests read in-process
(a crash there ends one command, not a service). The helper process gets an address-space limit
(``FIS_PARSER_SPEICHER_MB``, default 4096) and a time limit (``FIS_PARSER_SEKUNDEN``, default 300);
:class:`~fis.ingest.grenzen.ImportFehler` raised in the helper arrives as itself.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

from fis.ingest.grenzen import ImportFehler


def aktiv() -> bool:
    return os.environ.get("FIS_PARSER_ISOLIERT") == "1"


def _zahl(name: str, standard: int) -> int:
    try:
        return int(os.environ.get(name, standard))
    except ValueError:
        return standard


def isoliert(funktion, *args, was: str = "Die Datei"):
    """``funktion(*args)`` in a helper process when isolation is on (else directly). A crash or a memory
    or time overrun of the helper becomes an :class:`ImportFehler` in German.

    The helper is a fresh interpreter (``python -m fis.ingest.isolation``): nothing of the server (threads,
    connections, its main module) is copied into it; arguments and result travel pickled through pipes."""
    if not aktiv():
        return funktion(*args)
    speicher = _zahl("FIS_PARSER_SPEICHER_MB", 4096)
    sekunden = _zahl("FIS_PARSER_SEKUNDEN", 300)
    auftrag = pickle.dumps((funktion.__module__, funktion.__qualname__, args, speicher))
    try:
        projekt = str(Path(__file__).resolve().parents[2])          # the helper finds fis wherever it runs
        pfad = os.pathsep.join(p for p in (projekt, os.environ.get("PYTHONPATH", "")) if p)
        lauf = subprocess.run([sys.executable, "-m", "fis.ingest.isolation"], input=auftrag, capture_output=True,
                              timeout=sekunden, check=False, env={**os.environ, "PYTHONPATH": pfad})
    except subprocess.TimeoutExpired as exc:
        raise ImportFehler(f"{was} ließ sich in {sekunden} Sekunden nicht lesen; bitte die Lieferung teilen "
                           "oder vereinfachen.") from exc
    if lauf.returncode != 0 or not lauf.stdout:
        raise ImportFehler(f"{was} ließ sich nicht lesen: das Lesen brach ab (beschädigte oder bösartige Datei, "
                           f"oder mehr als {speicher} MB Speicher nötig). Es wurde nichts verändert; bitte die "
                           "Datei neu exportieren.")
    art, inhalt = pickle.loads(lauf.stdout)
    if art == "ok":
        return inhalt
    if art == "speicher":
        raise ImportFehler(f"{was} braucht zum Lesen mehr als {speicher} MB Speicher; bitte die Lieferung teilen.")
    raise ImportFehler(inhalt)


def _helfer() -> None:
    """The helper process: limit its memory, run the function, send back the result or the German error."""
    modul, name, args, speicher = pickle.load(sys.stdin.buffer)
    try:
        import resource  # here: POSIX only; elsewhere the limit is left out (ImportError below)
        grenze = speicher * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (grenze, grenze))
    except (ImportError, ValueError, OSError):      # not on this platform: the time limit still holds
        pass
    funktion = importlib.import_module(modul)
    for teil in name.split("."):
        funktion = getattr(funktion, teil)
    try:
        ergebnis = ("ok", funktion(*args))
    except ImportFehler as exc:
        ergebnis = ("fehler", str(exc))
    except MemoryError:
        ergebnis = ("speicher", "")
    sys.stdout.buffer.write(pickle.dumps(ergebnis))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _helfer()

"""Command line: ``python -m fis <befehl>``. Every command takes ``--db``; the commands live in one module per area
(:mod:`~fis.cli.lieferungen`, :mod:`~fis.cli.auswertung`, :mod:`~fis.cli.betrieb`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fis.cli import auswertung, betrieb, lieferungen
from fis.config import ConfigError
from fis.ingest.lesen import ImportFehler
from fis.protokoll import fehler_protokollieren, fehlertext, protokoll_datei
from fis.store import StoreError
from fis.zugang import KeinZugriff


def parser() -> argparse.ArgumentParser:
    """Every command with its arguments (each area module adds its own)."""
    parser = argparse.ArgumentParser(prog="python -m fis",
                                     description="FIS Sozialplanung – Befehle für die Kommandozeile")
    parser.add_argument("--config", default=None, help="Konfigurationsordner (Standard: config/)")
    sub = parser.add_subparsers(dest="befehl", required=True)
    for modul in (betrieb, lieferungen, auswertung):
        modul.befehle(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "db", None) and not os.environ.get("FIS_LOG"):
        os.environ["FIS_LOG"] = str(Path(args.db).resolve().parent / "fis.log")   # the log lies beside --db
    try:
        return args.func(args)
    except (ConfigError, StoreError, ImportFehler, KeinZugriff) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user: a sentence, a reference, the details in the log
        ref = fehler_protokollieren(exc, f"python -m fis {args.befehl}")
        print(f"Fehler: {fehlertext(ref, 'Der Befehl')} Protokoll: {protokoll_datei()}", file=sys.stderr)
        return 1

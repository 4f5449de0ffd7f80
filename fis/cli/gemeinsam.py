"""What the commands share: waiting for the database, mapping files, progress, the Prüfbericht, errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fis.datenstand import lade_stichtagsstaende, standard_stichtag
from fis.ingest.grenzen import yaml_laden
from fis.ingest.lesen import ImportFehler
from fis.store import Store

WARTEN = 120.0   # seconds a command waits while another process writes the database
DB_HILFE = "Pfad der DuckDB-Datei (Standard: FIS_DB)"


def _lade_yaml(path: str | None) -> dict:
    if not path:
        return {}
    try:
        data = yaml_laden(Path(path).read_bytes(), f"Zuordnung „{path}“") or {}
    except OSError as exc:
        raise ImportFehler(f"Zuordnung „{path}“ lässt sich nicht lesen ({exc}).") from exc
    if not isinstance(data, dict):
        raise ImportFehler(f"Zuordnung „{path}“: erwartet wird ein Abschnitt mit Schlüsseln.")
    return data


def _fortschritt(fraction: float, text: str) -> None:
    print(f"[{fraction:4.0%}] {text}", file=sys.stderr, flush=True)


def _bericht(bericht, args: argparse.Namespace, path: Path) -> None:
    print(bericht.als_text())
    if args.bericht:
        target = Path(args.bericht)
        if len(args.dateien) > 1:
            target = target.with_name(f"{target.stem}_{path.stem}{target.suffix}")
        target.write_bytes(bericht.als_csv())
        print(f"Prüfbericht gespeichert: {target}")


def _fehler(text: str) -> None:
    print(f"Fehler: {text}", file=sys.stderr)


def _csv_ausgeben(tabelle, daten: str, ziel: str | None) -> int:
    """A table per area as CSV: into the file ``ziel``, else to standard output."""
    if ziel:
        Path(ziel).write_text(daten, encoding="utf-8")
        print(f"{len(tabelle)} Gebiete geschrieben: {ziel}")
    else:
        print(daten, end="")
    return 0


def _standard_stichtag(store: Store, config):
    return standard_stichtag(lade_stichtagsstaende(store, config))

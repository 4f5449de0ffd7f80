"""Command line: ``python -m fis <befehl>``. Every command takes ``--db``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fis.config import ConfigError, db_path, load_config
from fis.demo import build_demo
from fis.store import Store, StoreError


def _demo(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if path.exists():
        if not args.ersetzen:
            print(f"Fehler: {path} existiert bereits. Mit --ersetzen wird die Datei "
                  "durch die Demo ersetzt.", file=sys.stderr)
            return 2
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    store = Store.open(path)
    try:
        counts = build_demo(store, load_config(args.config),
                            lambda f, text: print(f"[{f:4.0%}] {text}", flush=True))
    finally:
        store.close()
    print(f"Demo „Musterstadt“ erzeugt in {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _status(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if not path.exists():
        print(f"Fehler: keine Datenbank unter {path}.", file=sys.stderr)
        return 2
    store = Store.open(path, read_only=True)
    try:
        print(f"Datenbank: {path}")
        print(f"Schema-Version: {store.schema_version()} · Datenversion: {store.data_version()}")
        for table, n in store.count_rows().items():
            print(f"  {table:<18} {n:>9}")
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fis",
                                     description="FIS Sozialplanung – Befehle für die Kommandozeile")
    parser.add_argument("--config", default=None, help="Konfigurationsordner (Standard: config/)")
    sub = parser.add_subparsers(dest="befehl", required=True)
    demo = sub.add_parser("demo", help="Demo-Stadt „Musterstadt“ in eine neue Datenbank schreiben")
    demo.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    demo.add_argument("--ersetzen", action="store_true", help="eine vorhandene Datei ersetzen")
    demo.set_defaults(func=_demo)
    status = sub.add_parser("status", help="Schema, Datenversion und Zeilenzahlen anzeigen")
    status.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    status.set_defaults(func=_status)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, StoreError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2

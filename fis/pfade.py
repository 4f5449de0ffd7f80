"""Where an installation keeps its files: the configuration folder, the database, the user file and the city set
up last by the Einrichtungsassistent (each overridable by an environment variable)."""

from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


DEFAULT_CONFIG_DIR = PROJECT_DIR / "config"


DEFAULT_DB_PATH = PROJECT_DIR / "data" / "fis.duckdb"


def benutzerdatei_pfad(db: str | Path | None = None) -> Path:
    """The local user file: ``FIS_BENUTZERDATEI``, else benutzer.json next to the database (``db``, else
    the configured one): the users belong to their database, for the command line and the app alike."""
    return Path(os.environ.get("FIS_BENUTZERDATEI") or Path(db or db_path()).parent / "benutzer.json")


def aktive_stadt_datei() -> Path:
    """The file naming the city set up by the Einrichtungsassistent in the app (``FIS_AKTIVE_STADT``,
    else data/aktive_stadt.json): its config folder and database are used where FIS_CONFIG and
    FIS_DB are not set."""
    return Path(os.environ.get("FIS_AKTIVE_STADT") or DEFAULT_DB_PATH.parent / "aktive_stadt.json")


def aktive_stadt() -> dict:
    try:
        data = json.loads(aktive_stadt_datei().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def config_ordner() -> Path:
    """The configuration folder: ``FIS_CONFIG``, else the active city's, else config/."""
    return Path(os.environ.get("FIS_CONFIG") or aktive_stadt().get("config") or DEFAULT_CONFIG_DIR)


def db_path() -> Path:
    """The database file: ``FIS_DB``, else the active city's, else data/fis.duckdb."""
    return Path(os.environ.get("FIS_DB") or aktive_stadt().get("db") or DEFAULT_DB_PATH)

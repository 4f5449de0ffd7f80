"""Backup and restore of the database, also while the app runs.

A backup takes the database lock (waiting while the app or an import holds it), writes every
committed change into the file (CHECKPOINT), copies it while still holding the lock – so no writer
can come between – and records schema version, data version, content hash and SHA-256 in a JSON
file beside the copy. Restoring checks the SHA-256 and the schema version (a backup from a newer
version of the software is refused), keeps the current file as ``…vor-wiederherstellung-….duckdb``
and puts the backup in its place; the next run of the app sees the restored data version.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fis.store import (
    LATEST_VERSION,
    DatenbankBeschaedigt,
    Store,
    StoreError,
    datenversion_schreiben,
    versionsdatei,
)


class SicherungsFehler(StoreError):
    """A backup or restore could not be done; the message is German."""


@dataclass(frozen=True)
class Sicherung:
    datei: Path
    zeitpunkt: str
    schema_version: int
    datenversion: str
    inhalt: str              # Store.content_hash of the saved database
    sha256: str


def _sha256(datei: Path) -> str:
    h = hashlib.sha256()
    with open(datei, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _beschreibung(datei: Path) -> Path:
    return datei.with_suffix(".json")


def sichern(db: str | Path, ziel: str | Path, behalten: int | None = None, warten: float | None = None) -> Sicherung:
    """A consistent copy of ``db`` in the folder ``ziel`` (``fis-JJJJMMTT-HHMMSS.duckdb`` plus its JSON
    description); with ``behalten`` only that many newest backups stay."""
    db, ziel = Path(db), Path(ziel)
    if not db.exists():
        raise SicherungsFehler(f"Es gibt keine Datenbank unter {db}.")
    ziel.mkdir(parents=True, exist_ok=True)
    stempel = datetime.now().strftime("%Y%m%d-%H%M%S")
    datei = ziel / f"fis-{stempel}.duckdb"
    n = 1
    while datei.exists():                         # two backups in one second
        datei = ziel / f"fis-{stempel}-{n}.duckdb"
        n += 1
    teil = datei.with_suffix(".duckdb.teil")
    with Store.open(db, warten=warten) as store:  # holds the lock until the copy is complete
        store.checkpoint()
        schema, version, inhalt = store.schema_version(), store.data_version(), store.content_hash()
        shutil.copyfile(db, teil)
    os.replace(teil, datei)
    s = Sicherung(datei, datetime.now().isoformat(timespec="seconds"), schema, version, inhalt, _sha256(datei))
    _beschreibung(datei).write_text(json.dumps({
        "datei": datei.name, "zeitpunkt": s.zeitpunkt, "quelle": str(db.resolve()), "schema_version": schema,
        "datenversion": version, "inhalt": inhalt, "sha256": s.sha256}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    if behalten:
        aufraeumen(ziel, behalten)
    return s


def sicherungen(ordner: str | Path) -> list[Path]:
    """The backups in ``ordner``, oldest first."""
    return sorted(Path(ordner).glob("fis-*.duckdb"))


def aufraeumen(ordner: str | Path, behalten: int) -> list[Path]:
    """Delete all but the ``behalten`` newest backups (with their descriptions); returns the deleted."""
    weg = sicherungen(ordner)[:-behalten] if behalten > 0 else []
    for datei in weg:
        datei.unlink(missing_ok=True)
        _beschreibung(datei).unlink(missing_ok=True)
    return weg


def pruefen(sicherung: str | Path) -> dict:
    """The description of a backup after checking it: file complete (SHA-256), schema readable by this
    version of the software, contents as recorded."""
    datei = Path(sicherung)
    if not datei.exists():
        raise SicherungsFehler(f"Die Sicherung {datei} gibt es nicht.")
    try:
        info = json.loads(_beschreibung(datei).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SicherungsFehler(f"Zur Sicherung {datei.name} fehlt die Beschreibung {_beschreibung(datei).name} "
                               "(oder sie ist beschädigt); ohne sie lässt sich die Sicherung nicht prüfen.") from exc
    if _sha256(datei) != info.get("sha256"):
        raise SicherungsFehler(f"Die Sicherung {datei.name} ist beschädigt oder unvollständig (Prüfsumme stimmt "
                               "nicht). Bitte eine andere Sicherung wählen.")
    if int(info.get("schema_version", 0)) > LATEST_VERSION:
        raise SicherungsFehler(f"Die Sicherung {datei.name} stammt aus einer neueren Version des FIS (Schema "
                               f"{info['schema_version']}, diese Version kennt {LATEST_VERSION}). Bitte erst die "
                               "Software aktualisieren.")
    with Store.open(datei, read_only=True) as s:
        inhalt = str(info.get("inhalt", ""))
        if s.content_hash(2 if inhalt.startswith("2:") else 1) != inhalt:      # backups described before fassung 2
            raise SicherungsFehler(f"Der Inhalt der Sicherung {datei.name} weicht von ihrer Beschreibung ab.")
    return info


def wiederherstellen(sicherung: str | Path, db: str | Path, warten: float | None = None) -> Path | None:
    """Put a checked backup in place of ``db`` (migrated to this version's schema); the replaced file is
    kept beside it and returned (None if there was none)."""
    pruefen(sicherung)
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    neu = db.with_name(f".{db.name}.wiederherstellung")
    shutil.copyfile(sicherung, neu)
    with Store.open(neu) as s:                     # an older schema is brought up to date here
        version = s.data_version()
    alt = None
    if db.exists():
        try:
            with Store.open(db, warten=warten, pruefen=False):   # wait until no process holds the database
                pass
        except DatenbankBeschaedigt:
            pass                                  # a damaged file nobody can open: replaced, kept beside it
        alt = db.with_name(f"{db.stem}.vor-wiederherstellung-{datetime.now():%Y%m%d-%H%M%S}{db.suffix}")
        os.replace(db, alt)
        if Path(f"{db}.wal").exists():
            os.replace(f"{db}.wal", f"{alt}.wal")   # kept with its database, for analysis
    os.replace(neu, db)
    Path(f"{neu}.wal").unlink(missing_ok=True)
    versionsdatei(neu).unlink(missing_ok=True)
    datenversion_schreiben(db, version)
    return alt

"""The audit log and the spool of entries that waited while the database was busy."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from fis.store.verbindung import Verbindung


def audit_warteschlange(path: str | Path) -> Path:
    """Audit entries that could not be written because the database was busy (JSON lines)."""
    return Path(f"{path}.audit-warteschlange.jsonl")


def audit_vormerken(path: str | Path, benutzer: str, aktion: str, objekt_typ: str,
                    objekt_id: str | None = None, details: dict | None = None) -> None:
    """Spool one audit entry; the next process that opens the database for writing adds it to the log."""
    zeile = json.dumps({"zeitpunkt": datetime.now().isoformat(), "benutzer": benutzer, "aktion": aktion,
                        "objekt_typ": objekt_typ, "objekt_id": objekt_id, "details": details},
                       ensure_ascii=False, default=str)
    with open(audit_warteschlange(path), "a", encoding="utf-8") as f:   # one write per line: appends stay whole
        f.write(zeile + "\n")


def audit_warteschlange_lesen(datei: Path) -> list[dict]:
    try:
        zeilen = Path(datei).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for z in zeilen:
        try:
            out.append(json.loads(z))
        except ValueError:
            continue                       # a line cut off by a crash: the rest still counts
    return out


class AuditAbfragen(Verbindung):
    """Audit-Protokoll."""

    def insert_audit(self, benutzer: str, aktion: str, objekt_typ: str,
                     objekt_id: str | None = None, details: dict | None = None,
                     zeitpunkt: datetime | None = None) -> None:
        self.con.execute(
            "INSERT INTO audit_log (zeitpunkt, benutzer, aktion, objekt_typ, objekt_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [zeitpunkt or datetime.now(), benutzer, aktion, objekt_typ, objekt_id,
             json.dumps(details, ensure_ascii=False, default=str) if details else None],
        )

    def _audit_nachtragen(self) -> int:
        """Audit entries that waited in the spool file (the database was busy when they happened) go
        into the log with their original time, in one transaction; the spool is then emptied."""
        if not self.path or self.path == ":memory:" or not audit_warteschlange(self.path).exists():
            return 0
        # take the spool away first (atomic rename): entries spooled meanwhile start a new file
        uebernommen = audit_warteschlange(self.path).with_suffix(f".{os.getpid()}.uebernahme")
        try:
            os.replace(audit_warteschlange(self.path), uebernommen)
        except OSError:
            return 0
        eintraege = audit_warteschlange_lesen(uebernommen)
        try:
            with self.transaction(bump=False):
                for e in eintraege:
                    self.insert_audit(e["benutzer"], e["aktion"], e["objekt_typ"], e.get("objekt_id"),
                                      e.get("details"), datetime.fromisoformat(e["zeitpunkt"]))
        except BaseException:
            # nothing lost: the entries go back into the spool for the next attempt
            with open(audit_warteschlange(self.path), "a", encoding="utf-8") as f:
                f.write(uebernommen.read_text(encoding="utf-8"))
            uebernommen.unlink(missing_ok=True)
            raise
        uebernommen.unlink(missing_ok=True)
        return len(eintraege)

    def lade_anmeldungen(self, name: str, seit: datetime) -> list[tuple[str, str | None]]:
        """(aktion, details) of the sign-ins and failed sign-ins of ``name`` since ``seit``, newest first."""
        return self.con.execute(
            "SELECT aktion, details FROM audit_log WHERE objekt_typ = 'sitzung' AND objekt_id = ? AND zeitpunkt >= ? "
            "AND aktion IN ('anmeldung', 'anmeldung_fehlgeschlagen') ORDER BY audit_id DESC", [name, seit]).fetchall()

    def lade_audit(self, von: date | None = None, bis: date | None = None, benutzer: str | None = None,
                   aktion: str | None = None) -> pd.DataFrame:
        """Audit entries in order, optionally of one day range, user and action."""
        return self.con.execute(
            "SELECT * FROM audit_log "
            "WHERE (CAST(? AS DATE) IS NULL OR CAST(zeitpunkt AS DATE) >= ?) "
            "AND (CAST(? AS DATE) IS NULL OR CAST(zeitpunkt AS DATE) <= ?) "
            "AND (CAST(? AS VARCHAR) IS NULL OR benutzer = ?) "
            "AND (CAST(? AS VARCHAR) IS NULL OR aktion = ?) "
            "ORDER BY audit_id",
            [von, von, bis, bis, benutzer, benutzer, aktion, aktion],
        ).df()

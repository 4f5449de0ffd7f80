"""Sessions of local users that survive a reload, a new tab and a shared link.

After a sign-in the server keeps a session (who, which role, last activity) in a file beside the
user file and gives the browser a cookie with the session's random id and an HMAC of it (HttpOnly,
SameSite=Strict, Secure behind HTTPS; see ui/anmeldung.py). Every page load and every run checks the
cookie here: signature, session known, not idle for longer than the configured lifetime (sliding),
user still in the user file – with the role the file has *now*. Signing out deletes the session, so
every tab holding that cookie is signed out. No token ever appears in a URL.

Failed sign-ins are throttled per user (the audit log: 5 failures within 15 minutes lock the name for
15 minutes, fis.audit) and per client (here: after 5 failures a growing pause, at most 5 minutes).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from fis.zugang import Benutzer, Benutzerdatei

COOKIE = "fis_sitzung"
AKTUALISIEREN_S = 60          # last activity is written at most once a minute per session
CLIENT_FREI = 5               # failures per client before the pause starts
CLIENT_FENSTER_S = 15 * 60
CLIENT_PAUSE_MAX_S = 300


def _hash(sitzung_id: str) -> str:
    return hashlib.sha256(sitzung_id.encode()).hexdigest()


class Sitzungen:
    """The session file (JSON, mode 600) with its secret; safe for several processes (file lock)."""

    def __init__(self, verzeichnis: str | Path, lebensdauer_s: float):
        self.verzeichnis = Path(verzeichnis)
        self.datei = self.verzeichnis / "sitzungen.json"
        self.lebensdauer_s = lebensdauer_s

    # ------------------------------------------------------------------ storage
    def _geheimnis(self) -> bytes:
        datei = self.verzeichnis / "sitzungen.geheimnis"
        if not datei.exists():
            self.verzeichnis.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(datei, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_hex(32))
            except FileExistsError:
                pass                               # another process was first: use its secret
        return datei.read_text(encoding="utf-8").strip().encode()

    @contextlib.contextmanager
    def _gesperrt(self) -> Iterator[dict]:
        """The sessions for reading and changing, under an exclusive file lock; written back atomically."""
        self.verzeichnis.mkdir(parents=True, exist_ok=True)
        with open(self.verzeichnis / "sitzungen.sperre", "a") as sperre:
            fcntl.flock(sperre, fcntl.LOCK_EX)
            try:
                try:
                    daten = json.loads(self.datei.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    daten = {}
                vorher = json.dumps(daten, sort_keys=True)
                yield daten
                if json.dumps(daten, sort_keys=True) != vorher:
                    fd, tmp = tempfile.mkstemp(dir=self.verzeichnis, prefix=".sitzungen-")
                    os.fchmod(fd, 0o600)
                    with os.fdopen(fd, "w", encoding="utf-8") as f:
                        json.dump(daten, f)
                    os.replace(tmp, self.datei)
            finally:
                fcntl.flock(sperre, fcntl.LOCK_UN)

    # ------------------------------------------------------------------ sessions
    def anlegen(self, benutzer: Benutzer, jetzt: float | None = None) -> str:
        """A new session for ``benutzer``; returns the cookie value (id and signature)."""
        jetzt = time.time() if jetzt is None else jetzt
        sitzung_id = secrets.token_urlsafe(32)
        with self._gesperrt() as daten:
            for k in [k for k, v in daten.items() if jetzt - v["zuletzt"] > self.lebensdauer_s]:
                del daten[k]                       # expired ones go while we are here
            daten[_hash(sitzung_id)] = {"name": benutzer.name, "rolle": benutzer.rolle, "erstellt": jetzt,
                                        "zuletzt": jetzt}
        signatur = hmac.new(self._geheimnis(), sitzung_id.encode(), hashlib.sha256).hexdigest()
        return f"{sitzung_id}.{signatur}"

    def _id(self, cookie: str | None) -> str | None:
        """The session id of a cookie value whose signature is right (None otherwise)."""
        if not cookie or "." not in cookie or len(cookie) > 200:
            return None
        sitzung_id, signatur = cookie.rsplit(".", 1)
        erwartet = hmac.new(self._geheimnis(), sitzung_id.encode(), hashlib.sha256).hexdigest()
        return sitzung_id if hmac.compare_digest(erwartet, signatur) else None

    def pruefen(self, cookie: str | None, benutzerdatei: Benutzerdatei, jetzt: float | None = None) -> Benutzer | None:
        """The signed-in user of the cookie, or None (unsigned, unknown, idle too long, user removed).
        Extends the session (sliding lifetime); the role is the one the user file has now."""
        sitzung_id = self._id(cookie)
        if sitzung_id is None:
            return None
        jetzt = time.time() if jetzt is None else jetzt
        schluessel = _hash(sitzung_id)
        with self._gesperrt() as daten:
            s = daten.get(schluessel)
            if s is None:
                return None
            if jetzt - s["zuletzt"] > self.lebensdauer_s:
                del daten[schluessel]
                return None
            aktuell = {b.name: b for b in benutzerdatei.liste()}.get(s["name"])
            if aktuell is None:
                del daten[schluessel]
                return None
            if jetzt - s["zuletzt"] >= AKTUALISIEREN_S:
                s["zuletzt"] = jetzt
            return aktuell

    def beenden(self, cookie: str | None) -> str | None:
        """Sign out: the session ends for every tab that holds this cookie. Returns the user's name."""
        sitzung_id = self._id(cookie)
        if sitzung_id is None:
            return None
        with self._gesperrt() as daten:
            s = daten.pop(_hash(sitzung_id), None)
        return None if s is None else s["name"]

    def beenden_fuer(self, name: str) -> int:
        """End every session of ``name`` (user removed or password changed)."""
        with self._gesperrt() as daten:
            weg = [k for k, v in daten.items() if v["name"] == name]
            for k in weg:
                del daten[k]
        return len(weg)


class Drossel:
    """Failed sign-ins per client (IP address), in memory of this process: after CLIENT_FREI failures
    within CLIENT_FENSTER_S seconds each further attempt must wait 2, 4, 8 … seconds (at most
    CLIENT_PAUSE_MAX_S) after the last failure. A success clears the client."""

    def __init__(self) -> None:
        self._sperre = threading.Lock()
        self._fehler: dict[str, list[float]] = {}

    def warten_s(self, client: str, jetzt: float | None = None) -> float:
        """Seconds this client must still wait before the next attempt (0: it may try)."""
        jetzt = time.time() if jetzt is None else jetzt
        with self._sperre:
            fehler = [t for t in self._fehler.get(client, []) if jetzt - t < CLIENT_FENSTER_S]
            self._fehler[client] = fehler
            if len(fehler) < CLIENT_FREI:
                return 0.0
            pause = min(2.0 ** (len(fehler) - CLIENT_FREI + 1), CLIENT_PAUSE_MAX_S)
            return max(0.0, fehler[-1] + pause - jetzt)

    def fehlschlag(self, client: str, jetzt: float | None = None) -> None:
        with self._sperre:
            self._fehler.setdefault(client, []).append(time.time() if jetzt is None else jetzt)

    def erfolg(self, client: str) -> None:
        with self._sperre:
            self._fehler.pop(client, None)


def sitzungen_fuer(benutzerdatei: Path, stunden: float) -> Sitzungen:
    """The sessions that belong to a user file (beside it, or FIS_SITZUNGEN as folder)."""
    return Sitzungen(os.environ.get("FIS_SITZUNGEN") or Path(benutzerdatei).parent, stunden * 3600)

"""Access: roles, what each role may do, and the local user file.

Roles (issue „Zugang und Sicherheit“):

- **leitung** – reads everything, controlling included; audit log; no changes.
- **planung** – reads, uploads, edits goals, products and scores, publishes and rolls back.
- **admin** – users and configuration; reads everything and the audit log.
- **ausschuss** – committee or public: published, suppressed figures only; no editing, no raw
  downloads, no controlling internals.

The rule lives here, not in the pages: :func:`pruefe` raises :class:`KeinZugriff`, and every
writing fis function the UI offers is called only after it. The local user file holds argon2id
hashes (never passwords); there are no default users or passwords.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLLEN = {"leitung": "Leitung", "planung": "Planung", "admin": "Administration", "ausschuss": "Ausschuss/Öffentlich"}

AKTIONEN = {
    "lesen": "veröffentlichte Werte lesen",
    "unveroeffentlicht_lesen": "vorläufige, noch nicht veröffentlichte Lieferungen lesen",
    "controlling_lesen": "Ziele, Controlling und Produkthaushalt lesen",
    "rohdaten_herunterladen": "Tabellen und Berichte herunterladen",
    "hochladen": "Lieferungen hochladen",
    "veroeffentlichen": "Lieferungen veröffentlichen",
    "zuruecknehmen": "Lieferungen zurücknehmen",
    "ziele_bearbeiten": "Ziele anlegen und bearbeiten",
    "produkte_bearbeiten": "Wirkungsbeiträge und SROI bearbeiten",
    "audit_lesen": "das Audit-Log lesen",
    "benutzer_verwalten": "Benutzer verwalten",
    "konfiguration": "die Konfiguration ändern",
}

_LESEN = {"lesen", "unveroeffentlicht_lesen", "controlling_lesen", "rohdaten_herunterladen"}
RECHTE: dict[str, frozenset[str]] = {
    "leitung": frozenset(_LESEN | {"audit_lesen"}),
    "planung": frozenset(_LESEN | {"hochladen", "veroeffentlichen", "zuruecknehmen", "ziele_bearbeiten",
                                   "produkte_bearbeiten"}),
    "admin": frozenset(_LESEN | {"audit_lesen", "benutzer_verwalten", "konfiguration"}),
    "ausschuss": frozenset({"lesen"}),
}


# A local installation without any user: one person at their own computer, with every right.
EINZELPLATZ_ROLLE = "einzelplatz"
LOKALE_ADRESSEN = frozenset({"127.0.0.1", "localhost", "::1"})


def einzelplatz_erlaubt(adresse: str | None) -> bool:
    """Without users every visitor has every right: only when nobody but this machine can connect
    (an empty address makes Streamlit listen on every interface)."""
    return (adresse or "").strip().strip("[]") in LOKALE_ADRESSEN


def einzelplatz_verweigert(adresse: str | None, benutzerdatei) -> str:
    """The German message when the app without users is reachable from the network."""
    wo = adresse or "allen Netzwerkschnittstellen"
    return (f"Diese Installation hat keine Benutzer (keine Benutzerdatei {benutzerdatei}) und ist unter {wo} "
            "erreichbar: ohne Anmeldung hätte jeder im Netz alle Rechte. Sie startet deshalb nicht. Bitte erst "
            "Benutzer anlegen (python -m fis user add NAME --rolle admin --db DATENBANK) oder die App nur an "
            "127.0.0.1 binden (--server.address 127.0.0.1).")
RECHTE[EINZELPLATZ_ROLLE] = frozenset(AKTIONEN)


@dataclass(frozen=True)
class Benutzer:
    name: str
    rolle: str


class KeinZugriff(PermissionError):
    """A role tried an action it may not do (German message for the user)."""


def darf(rolle: str, aktion: str) -> bool:
    if aktion not in AKTIONEN:
        raise KeyError(aktion)
    return aktion in RECHTE.get(rolle, frozenset())


def pruefe(rolle: str, aktion: str) -> None:
    if not darf(rolle, aktion):
        raise KeinZugriff(f"Die Rolle „{ROLLEN.get(rolle, rolle)}“ darf nicht {AKTIONEN[aktion]}.")


def handelnder(wer: Benutzer | str, aktion: str) -> str:
    """Check that ``wer`` may do ``aktion`` and return the name for the audit log.

    Every writing fis function calls this first, so a role's limits hold whatever page, CLI
    command or script calls it. A plain string is the operating-system account of the command
    line (it holds the database file) and acts with the rights of Planung.
    """
    b = wer if isinstance(wer, Benutzer) else Benutzer(str(wer), "planung")
    pruefe(b.rolle, aktion)
    return b.name


# --------------------------------------------------------------------------- identity provider

ROLLEN_VORRANG = ("planung", "leitung", "admin", "ausschuss")


def benutzer_aus_claims(claims: dict, oidc) -> Benutzer | None:
    """The user an identity provider vouched for: name from ``oidc.name_claim`` (else email,
    else sub), role from the first of planung, leitung, admin, ausschuss whose configured groups
    meet the ``oidc.rollen_claim`` values. None when no group matches (no role, no access).

    Group values are compared without case and without a leading path (Keycloak sends
    ``/fis-planung`` for the group ``fis-planung`` when full paths are on)."""
    if not claims or not claims.get("is_logged_in", True):
        return None
    name = next((str(claims[k]) for k in (oidc.name_claim, "email", "sub") if claims.get(k)), None)
    if not name:
        return None
    roh = claims.get(oidc.rollen_claim) or []
    if isinstance(roh, str):
        roh = re.split(r"[,\s]+", roh)

    def norm(g) -> str:
        return str(g).strip().lstrip("/").lower()
    gruppen = {norm(g) for g in roh if str(g).strip()}
    for rolle in ROLLEN_VORRANG:
        if gruppen & {norm(g) for g in getattr(oidc, rolle)}:
            return Benutzer(name[:80], rolle)
    return None


# --------------------------------------------------------------------------- local users

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MINDESTLAENGE = 12


class BenutzerFehler(ValueError):
    """A user-file operation that cannot be done (German message)."""


def _hasher():
    return PasswordHasher()          # argon2id with the library's current defaults (RFC 9106)


def _passwort_pruefen(passwort: str, name: str) -> None:
    if len(passwort) < MINDESTLAENGE:
        raise BenutzerFehler(f"Das Passwort muss mindestens {MINDESTLAENGE} Zeichen lang sein.")
    if name.lower() in passwort.lower():
        raise BenutzerFehler("Das Passwort darf den Benutzernamen nicht enthalten.")


class Benutzerdatei:
    """The local user file (JSON, mode 600): name → role and argon2id hash; written atomically."""

    def __init__(self, pfad: str | Path):
        self.pfad = Path(pfad)

    def _lesen(self) -> dict:
        if not self.pfad.exists():
            return {}
        try:
            return json.loads(self.pfad.read_text(encoding="utf-8"))["benutzer"]
        except (ValueError, KeyError) as exc:
            raise BenutzerFehler(f"Die Benutzerdatei {self.pfad} ist beschädigt ({exc}).") from exc

    def _schreiben(self, benutzer: dict) -> None:
        self.pfad.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.pfad.parent, prefix=".benutzer-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"benutzer": benutzer}, f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.pfad)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def vorhanden(self) -> bool:
        return bool(self._lesen())

    def liste(self) -> list[Benutzer]:
        return [Benutzer(n, e["rolle"]) for n, e in sorted(self._lesen().items())]

    def hinzufuegen(self, name: str, rolle: str, passwort: str) -> Benutzer:
        if not NAME.match(name):
            raise BenutzerFehler("Benutzernamen bestehen aus 2–40 Kleinbuchstaben, Ziffern, Punkt, Bindestrich "
                                 "oder Unterstrich und beginnen mit einem Buchstaben oder einer Ziffer.")
        if rolle not in ROLLEN:
            raise BenutzerFehler(f"Unbekannte Rolle „{rolle}“ (möglich: {', '.join(ROLLEN)}).")
        alle = self._lesen()
        if name in alle:
            raise BenutzerFehler(f"Den Benutzer „{name}“ gibt es schon.")
        _passwort_pruefen(passwort, name)
        alle[name] = {"rolle": rolle, "hash": _hasher().hash(passwort),
                      "angelegt": datetime.now().isoformat(timespec="seconds")}
        self._schreiben(alle)
        return Benutzer(name, rolle)

    def entfernen(self, name: str) -> None:
        alle = self._lesen()
        if name not in alle:
            raise BenutzerFehler(f"Den Benutzer „{name}“ gibt es nicht.")
        del alle[name]
        self._schreiben(alle)

    def passwort_setzen(self, name: str, passwort: str) -> None:
        alle = self._lesen()
        if name not in alle:
            raise BenutzerFehler(f"Den Benutzer „{name}“ gibt es nicht.")
        _passwort_pruefen(passwort, name)
        alle[name]["hash"] = _hasher().hash(passwort)
        self._schreiben(alle)

    def anmelden(self, name: str, passwort: str) -> Benutzer | None:
        """The user if name and password match, else None (same answer for an unknown name)."""
        ph = _hasher()
        eintrag = self._lesen().get(name)
        # an unknown name costs the same time as a wrong password
        ziel = eintrag["hash"] if eintrag else ph.hash("kein-benutzer-" + os.urandom(8).hex())
        try:
            ph.verify(ziel, passwort)
        except (VerificationError, InvalidHashError):
            return None
        return Benutzer(name, eintrag["rolle"]) if eintrag else None

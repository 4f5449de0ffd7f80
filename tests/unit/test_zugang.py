"""Roles × actions, the local user file (argon2id, no default users) and the user CLI."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fis.zugang import AKTIONEN, ROLLEN, Benutzerdatei, BenutzerFehler, KeinZugriff, darf, pruefe

ROOT = Path(__file__).resolve().parents[2]

# The matrix of the issue, written out by hand: L = Leitung, P = Planung, A = Admin, Ö = Ausschuss/Öffentlich.
MATRIX = {                     # L      P      A      Ö
    "lesen":                   (True,  True,  True,  True),
    "unveroeffentlicht_lesen": (True,  True,  True,  False),
    "controlling_lesen":       (True,  True,  True,  False),
    "rohdaten_herunterladen":  (True,  True,  True,  False),
    "hochladen":               (False, True,  False, False),
    "veroeffentlichen":        (False, True,  False, False),
    "zuruecknehmen":           (False, True,  False, False),
    "ziele_bearbeiten":        (False, True,  False, False),
    "produkte_bearbeiten":     (False, True,  False, False),
    "audit_lesen":             (True,  False, True,  False),
    "benutzer_verwalten":      (False, False, True,  False),
    "konfiguration":           (False, False, True,  False),
}


@pytest.mark.parametrize("aktion", list(MATRIX))
@pytest.mark.parametrize("i, rolle", list(enumerate(["leitung", "planung", "admin", "ausschuss"])))
def test_role_matrix(i, rolle, aktion):
    assert darf(rolle, aktion) is MATRIX[aktion][i]
    if MATRIX[aktion][i]:
        pruefe(rolle, aktion)
    else:
        with pytest.raises(KeinZugriff, match=f"Die Rolle „{ROLLEN[rolle]}“ darf nicht"):
            pruefe(rolle, aktion)


def test_matrix_covers_every_action_and_unknown_roles_may_nothing():
    assert set(MATRIX) == set(AKTIONEN)
    assert not any(darf("gast", a) for a in AKTIONEN) and not any(darf("", a) for a in AKTIONEN)
    with pytest.raises(KeyError):
        darf("admin", "alles")


def test_user_file_add_login_passwd_remove(tmp_path):
    datei = Benutzerdatei(tmp_path / "benutzer.json")
    assert not datei.vorhanden() and datei.anmelden("admin", "admin") is None        # no default users
    datei.hinzufuegen("m.mueller", "planung", "Sozialraum-2026!")
    roh = (tmp_path / "benutzer.json").read_text()
    assert "Sozialraum-2026!" not in roh and json.loads(roh)["benutzer"]["m.mueller"]["hash"].startswith("$argon2id$")
    assert stat.S_IMODE((tmp_path / "benutzer.json").stat().st_mode) == 0o600
    assert datei.anmelden("m.mueller", "Sozialraum-2026!").rolle == "planung"
    assert datei.anmelden("m.mueller", "sozialraum-2026!") is None                     # wrong password
    assert datei.anmelden("niemand", "Sozialraum-2026!") is None                       # unknown user
    datei.passwort_setzen("m.mueller", "Neues-Passwort-42")
    assert datei.anmelden("m.mueller", "Sozialraum-2026!") is None
    assert datei.anmelden("m.mueller", "Neues-Passwort-42").name == "m.mueller"
    datei.entfernen("m.mueller")
    assert datei.liste() == [] and datei.anmelden("m.mueller", "Neues-Passwort-42") is None


@pytest.mark.parametrize("name, rolle, passwort, meldung", [
    ("'); DROP TABLE werte; --", "planung", "Sozialraum-2026!", "Benutzernamen bestehen aus"),
    ("<img src=x onerror=alert(1)>", "planung", "Sozialraum-2026!", "Benutzernamen bestehen aus"),
    ("../../etc/passwd", "planung", "Sozialraum-2026!", "Benutzernamen bestehen aus"),
    ("kurz", "planung", "zu-kurz", "mindestens 12 Zeichen"),
    ("k.schmidt", "planung", "k.schmidt-2026-xyz", "nicht enthalten"),
    ("k.schmidt", "chef", "Sozialraum-2026!", "Unbekannte Rolle „chef“"),
])
def test_bad_users_are_refused_in_german(tmp_path, name, rolle, passwort, meldung):
    datei = Benutzerdatei(tmp_path / "benutzer.json")
    with pytest.raises(BenutzerFehler, match=meldung):
        datei.hinzufuegen(name, rolle, passwort)
    assert not (tmp_path / "benutzer.json").exists()


@pytest.mark.langsam
def test_user_cli(tmp_path):
    from fis.store import Store
    datei, db = tmp_path / "benutzer.json", tmp_path / "fis.duckdb"
    Store.open(db).close()

    def lauf(*args, eingabe=""):
        return subprocess.run([sys.executable, "-m", "fis", "user", *args, "--datei", str(datei), "--db", str(db)],
                              cwd=ROOT, input=eingabe, capture_output=True, text=True)

    r = lauf("add", "a.admin", "--rolle", "admin", "--passwort-stdin", eingabe="Verwaltung-2026!\n")
    assert r.returncode == 0, r.stderr
    assert "angelegt" in r.stdout and Benutzerdatei(datei).anmelden("a.admin", "Verwaltung-2026!").rolle == "admin"
    r = lauf("add", "a.admin", "--rolle", "admin", "--passwort-stdin", eingabe="Verwaltung-2026!\n")
    assert r.returncode == 1 and "gibt es schon" in r.stderr
    r = lauf("list")
    assert "a.admin" in r.stdout and "Administration" in r.stdout and "argon2" not in r.stdout
    r = lauf("passwd", "a.admin", "--passwort-stdin", eingabe="Noch-ein-Passwort-1\n")
    assert r.returncode == 0 and Benutzerdatei(datei).anmelden("a.admin", "Noch-ein-Passwort-1")
    r = lauf("remove", "a.admin")
    assert r.returncode == 0 and Benutzerdatei(datei).liste() == []
    # user administration is in the audit log (the refused second "add" is not)
    with Store.open(db, read_only=True) as store:
        audit = store.lade_audit()
    assert audit["aktion"].tolist() == ["benutzer_angelegt", "passwort_gesetzt", "benutzer_entfernt"]
    assert set(audit["objekt_id"]) == {"a.admin"}

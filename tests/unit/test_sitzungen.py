"""Sessions of local users: signed, sliding, ended everywhere by a sign-out, following the user file;
failed sign-ins slowed down per client without locking anyone out for good."""

from __future__ import annotations

import pytest

from fis.sitzungen import AKTUALISIEREN_S, CLIENT_FREI, Drossel, Sitzungen
from fis.zugang import Benutzer, Benutzerdatei

STUNDE = 3600.0


@pytest.fixture
def umgebung(tmp_path):
    datei = Benutzerdatei(tmp_path / "benutzer.json")
    datei.hinzufuegen("l.leitung", "leitung", "Leitungs-Passwort-1")
    return Sitzungen(tmp_path, 8 * STUNDE), datei


def test_a_session_is_valid_and_slides_with_activity(umgebung):
    s, datei = umgebung
    cookie = s.anlegen(Benutzer("l.leitung", "leitung"), jetzt=0)
    assert s.pruefen(cookie, datei, jetzt=7 * STUNDE) == Benutzer("l.leitung", "leitung")
    # activity at 7 h moved the idle limit: still valid at 14 h, not after 8 idle hours
    assert s.pruefen(cookie, datei, jetzt=14 * STUNDE) is not None
    assert s.pruefen(cookie, datei, jetzt=22.1 * STUNDE) is None
    assert s.pruefen(cookie, datei, jetzt=14 * STUNDE) is None          # and it is gone for good


def test_a_forged_or_foreign_cookie_is_refused(umgebung, tmp_path):
    s, datei = umgebung
    cookie = s.anlegen(Benutzer("l.leitung", "leitung"))
    sitzung_id, signatur = cookie.rsplit(".", 1)
    assert s.pruefen(f"{sitzung_id}.{'0' * len(signatur)}", datei) is None
    assert s.pruefen("nicht-signiert", datei) is None and s.pruefen(None, datei) is None
    anderer = Sitzungen(tmp_path / "andere", 8 * STUNDE)                 # another installation's secret
    assert anderer.pruefen(cookie, datei) is None


def test_sign_out_ends_the_session_for_every_tab(umgebung):
    s, datei = umgebung
    cookie = s.anlegen(Benutzer("l.leitung", "leitung"))
    assert s.beenden(cookie) == "l.leitung"
    assert s.pruefen(cookie, datei) is None


def test_the_role_is_the_one_the_user_file_has_now(umgebung):
    s, datei = umgebung
    cookie = s.anlegen(Benutzer("l.leitung", "leitung"))
    datei.entfernen("l.leitung")
    datei.hinzufuegen("l.leitung", "ausschuss", "Leitungs-Passwort-2")
    assert s.pruefen(cookie, datei) == Benutzer("l.leitung", "ausschuss")
    datei.entfernen("l.leitung")
    assert s.pruefen(cookie, datei) is None


def test_last_activity_is_written_at_most_once_a_minute(umgebung):
    s, datei = umgebung
    cookie = s.anlegen(Benutzer("l.leitung", "leitung"), jetzt=0)
    vorher = s.datei.stat().st_mtime_ns
    s.pruefen(cookie, datei, jetzt=AKTUALISIEREN_S / 2)
    assert s.datei.stat().st_mtime_ns == vorher


def test_ending_all_sessions_of_a_user(umgebung):
    s, datei = umgebung
    a, b = (s.anlegen(Benutzer("l.leitung", "leitung")) for _ in range(2))
    assert s.beenden_fuer("l.leitung") == 2
    assert s.pruefen(a, datei) is None and s.pruefen(b, datei) is None


def test_failed_sign_ins_slow_a_client_down_but_never_for_good():
    d = Drossel()
    for i in range(CLIENT_FREI):
        assert d.warten_s("10.0.0.7", jetzt=i) == 0
        d.fehlschlag("10.0.0.7", jetzt=i)
    assert d.warten_s("10.0.0.7", jetzt=CLIENT_FREI) == pytest.approx(1.0)     # 2 s after the last failure
    d.fehlschlag("10.0.0.7", jetzt=10)
    assert d.warten_s("10.0.0.7", jetzt=10) == pytest.approx(4.0)
    assert d.warten_s("10.0.0.8", jetzt=10) == 0                                # other clients are not slowed
    assert d.warten_s("10.0.0.7", jetzt=10 + 15 * 60 + 1) == 0                  # the window passes
    d.fehlschlag("10.0.0.7", jetzt=2000)
    d.erfolg("10.0.0.7")
    assert d.warten_s("10.0.0.7", jetzt=2000) == 0

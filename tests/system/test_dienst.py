"""The service files in deploy/: systemd units that systemd-analyze accepts, and the commands they run
actually work – the app behind a base path with its sign-in page, the scheduled report and the backup.
(A container engine is not available here: the Dockerfile is checked for what it copies and runs.)"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fis.zugang import Benutzerdatei

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
pytestmark = pytest.mark.system


def _einheit(name: str) -> dict[str, list[str]]:
    werte: dict[str, list[str]] = {}
    for zeile in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in zeile and not zeile.startswith(("#", "[")):
            k, v = zeile.split("=", 1)
            werte.setdefault(k.strip(), []).append(v.strip())
    return werte


def _hier(text: str, tmp: Path) -> str:
    """A unit's paths on this machine: the clone instead of /opt/fis, a temporary folder for the data."""
    return (text.replace("/opt/fis/.venv/bin/python", sys.executable).replace("/opt/fis", str(ROOT))
            .replace("/var/lib/fis", str(tmp / "lib")).replace("/var/log/fis", str(tmp / "log"))
            .replace("/var/backups/fis", str(tmp / "sicherungen")).replace("/etc/fis", str(ROOT / "config")))


def _umgebung(einheit: dict, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for eintrag in einheit.get("Environment", []):
        k, v = eintrag.split("=", 1)
        env[k] = _hier(v, tmp)
    return env


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze fehlt")
def test_systemd_accepts_the_units(tmp_path):
    namen = ["fis.service", "fis-bericht.service", "fis-bericht.timer", "fis-sicherung.service",
             "fis-sicherung.timer"]
    for n in namen:
        text = _hier((DEPLOY / n).read_text(encoding="utf-8"), tmp_path)
        (tmp_path / n).write_text(re.sub(r"^(User|Group)=fis$", r"\1=root", text, flags=re.M), encoding="utf-8")
    r = subprocess.run(["systemd-analyze", "verify", *namen], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr


def test_the_service_command_serves_the_app_behind_its_base_path_with_the_sign_in(demo_db_file, tmp_path):
    einheit = _einheit("fis.service")
    env = _umgebung(einheit, tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "log").mkdir()
    shutil.copy(demo_db_file, env["FIS_DB"])
    Benutzerdatei(env["FIS_BENUTZERDATEI"]).hinzufuegen("l.leitung", "leitung", "Leitungs-Passwort-1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    befehl = shlex.split(_hier(einheit["ExecStart"][0], tmp_path).replace("8501", str(port)))
    proc = subprocess.Popen(befehl, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    basis = f"http://127.0.0.1:{port}/fis"
    try:
        frist = time.monotonic() + 90
        while time.monotonic() < frist:
            try:
                assert urllib.request.urlopen(basis + "/_stcore/health", timeout=2).read() == b"ok"
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("kein Health-Check unter /fis/_stcore/health")

        class KeineWeiterleitung(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        holer = urllib.request.build_opener(KeineWeiterleitung)
        anfrage = urllib.request.Request(basis + "/lagebild", headers={"Accept": "text/html"})
        with pytest.raises(urllib.error.HTTPError) as antwort:
            holer.open(anfrage)
        assert antwort.value.code == 303
        assert antwort.value.headers["Location"] == "/fis/_fis/anmelden?weiter=%2Ffis%2Flagebild"
        seite = urllib.request.urlopen(basis + "/_fis/anmelden").read().decode()
        assert 'action="/fis/_fis/anmelden"' in seite and "Benutzername" in seite
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_the_scheduled_report_and_backup_commands_work(demo_db_file, tmp_path):
    for name, pruefen in (("fis-bericht.service", lambda t: list((t / "lib" / "berichte").glob("*.pdf"))),
                          ("fis-sicherung.service", lambda t: list((t / "sicherungen").glob("fis-*.duckdb")))):
        einheit = _einheit(name)
        env = _umgebung(einheit, tmp_path)
        for ordner in ("lib/berichte", "log", "sicherungen"):
            (tmp_path / ordner).mkdir(parents=True, exist_ok=True)
        if not Path(env["FIS_DB"]).exists():
            shutil.copy(demo_db_file, env["FIS_DB"])
        befehl = _hier(einheit["ExecStart"][0], tmp_path).replace("%%", "%")
        r = subprocess.run(befehl if befehl.startswith("/bin/sh") else shlex.split(befehl), shell=befehl.startswith(
            "/bin/sh"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert pruefen(tmp_path), name


def test_the_dockerfile_copies_what_exists_and_starts_server_py():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for zeile in re.findall(r"^COPY (.+) \S+$", text, flags=re.M):
        for quelle in zeile.split():
            assert (ROOT / quelle).exists(), quelle
    assert "requirements.txt" in text and "HEALTHCHECK" in text and "/_stcore/health" in text
    assert '"/opt/fis/server.py"' in text

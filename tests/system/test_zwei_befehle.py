"""The README's two commands on a fresh copy: ``./scripts/start`` builds its own .venv (here offline,
from a wheelhouse made with ``pip download``) and serves the app; ``./scripts/test`` runs from a path
containing spaces. What a municipal IT person does first, checked on every CI run."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.system

NICHT_KOPIEREN = shutil.ignore_patterns(".venv", ".git", "data", "__pycache__", "artifacts", "results",
                                        ".pytest_cache", ".ruff_cache", "*.duckdb", "*.wal")


def _umgebung(**extra) -> dict[str, str]:
    """The caller's environment without the project's own .venv (a new machine has none)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME", "FIS_VENV")}
    venv = os.environ.get("VIRTUAL_ENV")
    if venv:
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(venv))
    env.update(extra)
    return env


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def kopie(tmp_path_factory) -> Path:
    ziel = tmp_path_factory.mktemp("frisch") / "FIS Kopie mit Leerzeichen"
    shutil.copytree(ROOT, ziel, ignore=NICHT_KOPIEREN)
    return ziel


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """What an IT department brings on a stick: every pinned package as a wheel."""
    ordner = tmp_path_factory.mktemp("wheelhouse")
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "-r", str(ROOT / "requirements-dev.txt"), "-d", str(ordner)],
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    return ordner


def test_start_builds_its_environment_offline_and_serves_the_app(kopie, wheelhouse, tmp_path):
    port = _freier_port()
    env = _umgebung(FIS_WHEELHOUSE=str(wheelhouse), FIS_DB=str(tmp_path / "fis.duckdb"))
    proc = subprocess.Popen([str(kopie / "scripts" / "start"), "--server.port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        frist = time.monotonic() + 900
        antwort = None
        while time.monotonic() < frist and proc.poll() is None:
            try:
                antwort = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
                break
            except OSError:
                time.sleep(1)
        assert antwort == b"ok", (proc.stdout.read() if proc.poll() is not None else "keine Antwort")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        ausgabe = proc.communicate(timeout=60)[0]
    assert "Lege die Projektumgebung" in ausgabe and "ohne Netz" in ausgabe, ausgabe
    assert (kopie / ".venv" / "bin" / "python").exists()
    # the second start installs nothing: the requirements' fingerprint is unchanged
    r = subprocess.run([str(_basis_python()), str(kopie / "scripts" / "umgebung.py"), "requirements.txt"],
                       cwd=kopie, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout.strip() == str(kopie / ".venv" / "bin" / "python")


def test_the_test_command_runs_from_a_path_with_spaces(kopie, wheelhouse):
    env = _umgebung(FIS_WHEELHOUSE=str(wheelhouse))
    r = subprocess.run([str(kopie / "scripts" / "test"), "tests/unit/test_format.py", "-q", "-p", "no:cacheprovider"],
                       cwd=kopie, env=env, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert "Zusammenfassung" in r.stdout and "bestanden" in r.stdout, r.stdout[-2000:]


def _basis_python() -> Path:
    """A Python 3.11/3.12 outside any venv (as scripts/python.sh would choose it)."""
    return Path(getattr(sys, "_base_executable", sys.executable))

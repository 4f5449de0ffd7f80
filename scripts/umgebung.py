"""The project's virtual environment for scripts/start and scripts/test (standard library only).

    python scripts/umgebung.py requirements.txt       # prints the path of the environment's Python

Creates ``.venv`` (or ``FIS_VENV``) with the Python that runs this file, and installs the pinned
requirements into it when the requirement files changed since the last installation (SHA-256 of
their contents, stored in the environment). Works with Debian's /usr/bin/python3 (PEP 668 forbids
installing into it, not into a venv), pyenv, conda and Windows' ``py``. Offline or behind a
firewall: ``FIS_WHEELHOUSE=DIR`` installs only from a folder of wheels (``pip download`` on a
connected machine; see README). Messages are German and go to stderr; stdout carries only the path.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNTERSTUETZT = ((3, 11), (3, 12))


def melde(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def abbruch(text: str) -> None:
    melde(f"Fehler: {text}")
    sys.exit(2)


def pruefe_version() -> None:
    version = sys.version_info[:2]
    if version not in UNTERSTUETZT:
        abbruch(f"Python {version[0]}.{version[1]} ({sys.executable}) wird nicht unterstützt. "
                "FIS Sozialplanung braucht Python 3.11 oder 3.12. Bitte eines davon installieren "
                "(Debian 12: sudo apt install python3 python3-venv) oder mit FIS_PYTHON=/pfad/zu/python3.11 "
                "wählen.")


def umgebung() -> Path:
    return Path(os.environ.get("FIS_VENV") or ROOT / ".venv").resolve()


def interpreter(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _passt(venv: Path) -> bool:
    """The environment exists, runs, and has the Python version of this interpreter."""
    py = interpreter(venv)
    if not py.exists():
        return False
    try:
        out = subprocess.run([str(py), "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.split() == [str(v) for v in sys.version_info[:2]]


def anlegen(venv: Path) -> None:
    try:
        import ensurepip  # noqa: F401  (Debian ships venv without it unless python3-venv is installed)
        import venv as venv_modul
    except ImportError:
        minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
        abbruch(f"Diesem Python ({sys.executable}) fehlt das Modul venv/ensurepip, mit dem die "
                f"Projektumgebung angelegt wird. Unter Debian/Ubuntu: sudo apt install python{minor}-venv "
                "(oder python3-venv), dann den Befehl wiederholen.")
    if venv.exists():
        if not (venv / "pyvenv.cfg").exists():
            abbruch(f"{venv} existiert, ist aber keine virtuelle Umgebung. Bitte umbenennen oder FIS_VENV "
                    "auf einen anderen Ordner setzen.")
        melde(f"Die Umgebung {venv} passt nicht zu {sys.executable}; sie wird neu angelegt.")
        shutil.rmtree(venv)
    melde(f"Lege die Projektumgebung {venv} an (Python {sys.version.split()[0]}) …")
    try:
        venv_modul.EnvBuilder(with_pip=True, symlinks=os.name != "nt").create(venv)
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(venv, ignore_errors=True)
        abbruch(f"Die Projektumgebung ließ sich nicht anlegen ({exc}). Unter Debian/Ubuntu fehlt meist "
                "das Paket python3-venv; Schreibrechte im Projektordner sind nötig.")


def _dateien(anforderung: Path) -> list[Path]:
    """The requirement file and every file it includes with ``-r``."""
    dateien, offen = [], [anforderung]
    while offen:
        datei = offen.pop()
        if datei in dateien:
            continue
        dateien.append(datei)
        for zeile in datei.read_text(encoding="utf-8").splitlines():
            treffer = re.match(r"\s*(?:-r|--requirement)\s+(\S+)", zeile)
            if treffer:
                offen.append((datei.parent / treffer.group(1)).resolve())
    return sorted(dateien)


def fingerabdruck(anforderung: Path) -> str:
    h = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for datei in _dateien(anforderung):
        h.update(datei.name.encode() + b"\0" + datei.read_bytes())
    wheelhouse = os.environ.get("FIS_WHEELHOUSE")
    return h.hexdigest() + (" wheelhouse" if wheelhouse else "")


def _stempel(venv: Path, datei: Path) -> Path:
    return venv / f".fis-{datei.name}.sha256"


def installieren(venv: Path, anforderung: Path) -> None:
    soll = fingerabdruck(anforderung)
    stempel = _stempel(venv, anforderung)
    if stempel.exists() and stempel.read_text(encoding="utf-8").strip() == soll:
        return
    befehl = [str(interpreter(venv)), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
              "-r", str(anforderung)]
    wheelhouse = os.environ.get("FIS_WHEELHOUSE")
    if wheelhouse:
        if not Path(wheelhouse).is_dir():
            abbruch(f"FIS_WHEELHOUSE={wheelhouse} ist kein Ordner.")
        befehl += ["--no-index", "--find-links", str(Path(wheelhouse).resolve())]
        melde(f"Installiere {anforderung.name} ohne Netz aus {wheelhouse} …")
    else:
        melde(f"Installiere die gepinnten Abhängigkeiten aus {anforderung.name} (beim ersten Mal einige Minuten) …")
    if subprocess.run(befehl).returncode != 0:
        abbruch("Die Abhängigkeiten ließen sich nicht installieren (Meldung von pip oben). Hinter einem "
                "Proxy: HTTPS_PROXY=http://proxy:port setzen. Ohne Internet: auf einem Rechner mit Netz "
                f"„pip download -r {anforderung.name} -d wheelhouse“, den Ordner kopieren und "
                "FIS_WHEELHOUSE=wheelhouse setzen (README, „Die zwei Befehle“).")
    # everything a file includes is installed with it
    for datei in _dateien(anforderung):
        _stempel(venv, datei).write_text(fingerabdruck(datei), encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        melde("Aufruf: python scripts/umgebung.py requirements.txt")
        return 2
    pruefe_version()
    anforderung = (ROOT / argv[0]).resolve()
    venv = umgebung()
    if not _passt(venv):
        anlegen(venv)
    installieren(venv, anforderung)
    print(interpreter(venv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

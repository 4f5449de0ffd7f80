# Shared by scripts/start and scripts/test (sourced): finds a Python 3.11 or 3.12 and prepares the
# project environment .venv with the pinned requirements ($1), then sets VENV_PYTHON and PATH.
waehle_python() {
    local kandidat
    for kandidat in "${FIS_PYTHON:-}" python3 python3.12 python3.11 python /usr/bin/python3; do
        [ -n "$kandidat" ] || continue
        command -v "$kandidat" >/dev/null 2>&1 || continue
        if "$kandidat" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))' 2>/dev/null; then
            echo "$kandidat"
            return 0
        fi
    done
    return 1
}

projektumgebung() {
    local basis
    if ! basis="$(waehle_python)"; then
        echo "Fehler: kein Python 3.11 oder 3.12 gefunden (gefunden: $(python3 --version 2>&1 || echo keines))." \
             "Bitte installieren (Debian 12: sudo apt install python3 python3-venv) oder mit" \
             "FIS_PYTHON=/pfad/zu/python3.11 angeben." >&2
        exit 2
    fi
    VENV_PYTHON="$("$basis" scripts/umgebung.py "$1")"
    # programs the tests and scripts start (python -m fis, streamlit) come from the environment too
    export VIRTUAL_ENV="$(cd "$(dirname "$VENV_PYTHON")/.." && pwd)"
    export PATH="$VIRTUAL_ENV/bin:$PATH"
    unset PYTHONHOME
}

#!/usr/bin/env bash
# Lädt die echten Berliner Daten aus ../shared/data/real in eine eigene Datenbank – nach dem Ladeplan
# examples/berlin/ladeplan.yaml, über denselben Importweg, den Planerinnen und Planer in der App nutzen.
#   FIS_DB=data/berlin.duckdb examples/berlin/laden.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export FIS_CONFIG="examples/berlin/config"
DB="${FIS_DB:-data/berlin.duckdb}"
DATEN="${BERLIN_DATEN:-../shared/data/real}"
# the project environment of ./scripts/start, if there is one (else PYTHON or python on the PATH)
PY="${PYTHON:-python}"
[ -z "${PYTHON:-}" ] && [ -x .venv/bin/python ] && PY=.venv/bin/python

"$PY" -m fis --config "$FIS_CONFIG" import --db "$DB" --veroeffentlichen \
    --ladeplan examples/berlin/ladeplan.yaml --daten "$DATEN"
"$PY" -m fis --config "$FIS_CONFIG" status --db "$DB"

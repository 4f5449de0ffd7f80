"""Where the real public data lies (../shared/data/real beside the clone, or FIS_ECHTDATEN)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("FIS_ECHTDATEN") or ROOT.parent / "shared" / "data" / "real").resolve()
OHNE_ECHTDATEN = (f"Berliner Echtdaten nicht gefunden unter {REAL} "
                  "(Ordner shared/data/real neben dem Klon oder FIS_ECHTDATEN setzen)")

nur_mit_echtdaten = pytest.mark.skipif(not REAL.exists(), reason=OHNE_ECHTDATEN)

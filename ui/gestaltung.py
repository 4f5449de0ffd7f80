"""The city's design in the app: colours as CSS custom properties, the logo inline (a data URL, so
nothing is fetched from elsewhere) for the slides."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from fis.palette import Gestaltung

ARTEN = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def logo_html(g: Gestaltung, klasse: str) -> str:
    """An <img> of the logo (empty without one or if the file is gone)."""
    if not g.logo or not Path(g.logo).is_file():
        return ""
    pfad = Path(g.logo)
    daten = base64.b64encode(pfad.read_bytes()).decode("ascii")
    return (f'<img class="{html.escape(klasse)}" alt="Logo" '
            f'src="data:{ARTEN.get(pfad.suffix.lower(), "image/png")};base64,{daten}">')

"""Widgets shared by the Ziele and Controlling pages: Ampel notes and downloads."""

from __future__ import annotations

import streamlit as st

from fis.controlling import AMPEL_SYMBOL as SYMBOL
from fis.controlling import baumtabelle, berichtstabelle, szenariotabelle
from ui.monitoring import download  # one CSV button for every page

__all__ = ["SYMBOL", "ampel_hinweis", "baumtabelle", "berichtstabelle", "download", "szenariotabelle"]


def ampel_hinweis(farbe: str, text: str) -> None:
    """The Ampel as a coloured box that also names the colour (never colour alone)."""
    zeigen = {"rot": st.error, "gelb": st.warning, "grün": st.success, "grau": st.info}[farbe]
    zeigen(f"{SYMBOL[farbe]}: {text}")

"""Widgets shared by the Ziele and Controlling pages (and the Lagebild, slides, Produktdatenblatt):
Ampel notes, Ampel-coloured tables and chips, downloads."""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from fis import gegensteuerung as gs
from fis.ampel import Ampel
from fis.controlling import baumtabelle, berichtstabelle, szenariotabelle
from fis.palette import AMPEL, ampel_css
from fis.palette import AMPEL_SYMBOL as SYMBOL
from ui import cache
from ui.datenpflege.gemeinsam import nach_schreiben
from ui.monitoring import download  # one CSV button for every page
from ui.zugang import aktuell as angemeldet

__all__ = ["SYMBOL", "ampel_hinweis", "ampel_stil", "baumtabelle", "berichtstabelle", "chips", "download",
           "szenariotabelle"]


def gegensteuerung_formular(ziele: pd.DataFrame, jahr: int, vorhanden: dict[str, dict]) -> None:
    """Planung: the Gegensteuerung of a deviating goal (measure, responsible, date), saved as a delivery."""
    st.subheader("Gegensteuerung eintragen")
    titel = dict(zip(ziele["kennung"], ziele["bezeichnung"], strict=True))
    ziel = st.selectbox("Ziel mit Abweichung", list(titel), format_func=lambda z: f"{z} – {titel[z]}", key="gs_ziel")
    alt = vorhanden.get(ziel, {})
    with st.form(f"gs_{ziel}"):
        text = st.text_area("Gegensteuerung (Maßnahme in Worten)", value=alt.get("text", ""),
                            max_chars=gs.HOECHSTENS_ZEICHEN, help="Leer speichern nimmt den Eintrag zurück.")
        a, b = st.columns(2)
        wer = a.text_input("Verantwortlich (Stelle)", value=alt.get("verantwortlich", ""))
        termin = b.date_input("Termin", value=alt.get("termin"), format="DD.MM.YYYY")
        if st.form_submit_button("Speichern", type="primary"):
            lid = gs.speichern(cache.store(), ziel, jahr, text, wer, termin, angemeldet())
            nach_schreiben(f"Gegensteuerung für {ziel} gespeichert (Lieferung {lid}; vorläufig bis zur "
                           "Veröffentlichung).")
            st.rerun()


def ampel_hinweis(farbe: str, text: str) -> None:
    """The Ampel as a coloured box that also names the colour (never colour alone)."""
    zeigen = {Ampel.ROT: st.error, Ampel.GELB: st.warning, Ampel.GRUEN: st.success, Ampel.GRAU: st.info}[farbe]
    zeigen(f"{SYMBOL[farbe]}: {text}")


def ampel_stil(frame: pd.DataFrame, spalte: str = "Ampel"):
    """``frame`` with its Ampel cells coloured (column or index ``spalte``; symbol and word stay)."""
    stil = frame.style
    if spalte in frame.columns:
        return stil.map(ampel_css, subset=[spalte])
    if frame.index.name == spalte:
        return stil.map_index(ampel_css)
    return stil


def chips(zaehlung: dict[str, int], nur_vorhandene: bool = False) -> str:
    """Counts per Ampel as coloured chips ('■ rot 16 · ▲ gelb 2 …'), HTML from the palette only."""
    teile = []
    for farbe, n in zaehlung.items():
        if nur_vorhandene and not n:
            continue
        a = AMPEL[farbe]
        teile.append(f'<span style="background:{a.hintergrund};color:{a.text};padding:.15em .55em;'
                     f'border-radius:.3em;font-weight:600;white-space:nowrap">{escape(SYMBOL[farbe])} {int(n)}</span>')
    return " ".join(teile)

"""Widgets for the facility register: the map layer (Karte, Einrichtungen) and the profile section
(its Datenpflege tab is :mod:`ui.datenpflege.einrichtungen`). All computing and checking happens in
:mod:`fis.versorgung` and :mod:`fis.ingest.einrichtungen`."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from fis import versorgung as vs
from fis.format import fmt_zahl
from ui import cache

RADIUS_AUS = 0


def punkte_waehlen(config, version: str, stichtag: date, key: str, standard: list[str] | None = None,
                   ort=None) -> tuple[pd.DataFrame | None, int | None]:
    """Toggle, type filter and catchment radius for the facilities on a map: (points or None, radius or None)."""
    ort = ort or st
    if not config.einrichtungen.typen:
        return None, None
    e = cache.einrichtungen(version, stichtag)
    if e.empty:
        return None, None
    if not ort.toggle("Einrichtungen", key=f"{key}_an", value=standard is not None,
                      help="Einrichtungen des Registers, die am Stichtag geöffnet sind, als Punkte zeigen"):
        return None, None
    typen = [t.id for t in config.einrichtungen.typen if (e["typ"] == t.id).any()]
    namen = {t.id: f"{t.kuerzel} – {t.name}" for t in config.einrichtungen.typen}
    ort, ort_radius = ort.columns([2, 1])
    wahl = ort.multiselect("Einrichtungstypen", typen, default=[t for t in (standard or typen) if t in typen],
                           format_func=namen.get, key=f"{key}_typen")
    radien = [RADIUS_AUS, *config.einrichtungen.einzugsradien_m]
    radius = ort_radius.selectbox("Einzugsbereich (Luftlinie)", radien, key=f"{key}_radius",
                           format_func=lambda r: "keiner" if r == RADIUS_AUS else f"{fmt_zahl(r, 0)} m")
    return e[e["typ"].isin(wahl)], (radius or None)


def legende(config, punkte: pd.DataFrame) -> str:
    """HTML legend of the facility symbols shown."""
    farben = vs.typfarbe(config)
    zeilen = [f'<div style="margin:2px 0"><span style="display:inline-block;width:1.2em;height:1.2em;'
              f'border-radius:50%;background:{farben[t.id]};color:white;text-align:center;font-size:0.75em;'
              f'font-weight:bold;line-height:1.2em">{t.kuerzel}</span> {t.name} ({(punkte["typ"] == t.id).sum()})</div>'
              for t in config.einrichtungen.typen if (punkte["typ"] == t.id).any()]
    return '<div style="font-size:0.85em"><b>Einrichtungen</b>' + "".join(zeilen) + "</div>"


def profil_abschnitt(m, config, version: str, raum: str, stichtag: date, ebene_name: str) -> None:
    """„Einrichtungen und Versorgung“ of one area: Versorgungsgrade against city and Richtwert with the gap
    in places, and the facilities open at the Stichtag."""
    if not config.einrichtungen.typen:
        return
    e = cache.einrichtungen(version, stichtag)
    zeilen = vs.versorgung_im_gebiet(m, config, raum, stichtag)
    if e.empty and not zeilen:
        return
    st.subheader("Einrichtungen und Versorgung")
    if zeilen:
        st.dataframe(vs.versorgung_tabelle(zeilen), hide_index=True, key="profil_versorgung")
        quellen = [f"{z.name}: {z.richtwert_quelle}" for z in zeilen if z.richtwert_quelle]
        st.caption("Versorgungsgrad = Plätze der am Stichtag geöffneten Einrichtungen im Gebiet ÷ Zielgruppe; "
                   "Lücke = fehlende Plätze bis zum Richtwert. Richtwerte: " + "; ".join(quellen))
    hier = vs.im_gebiet(e, vs.sozialraeume_unter(m.raeume, raum, stichtag))
    if hier.empty:
        st.info(f"Im {ebene_name} ist am Stichtag keine Einrichtung des Registers geöffnet.")
        return
    with st.expander(f"{len(hier)} Einrichtungen im Gebiet", expanded=len(hier) <= 8):
        st.dataframe(vs.tabelle(hier, config), hide_index=True, key="profil_einrichtungen")


# --------------------------------------------------------------------------- Datenpflege

"""Tab „Raumgliederung“: a boundary file with its mapping (Kennung, Name, Ebene, gültig ab)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from fis.ingest import raeume as raeume_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import ImportFehler
from ui import cache
from ui.datenpflege.gemeinsam import (
    bericht,
    geodatei,
    geprueft,
    nach_schreiben,
)
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    store = cache.store()
    gelesen = geodatei("Raumgliederung (GeoJSON, gezipptes Shapefile oder GeoPackage)", "dp_raum_datei",
                        "Jedes Koordinatensystem wird nach WGS84 umgerechnet. Ein neuer Zuschnitt erhält ein "
                        "Gültigkeitsdatum; der bisherige bleibt für frühere Stichtage erhalten.")
    if gelesen is None:
        return
    datei, data, frame, layer = gelesen
    sp = [c for c in frame.columns if c != frame.geometry.name]
    crs = frame.crs.to_string() if frame.crs else "unbekannt"
    st.caption(f"Gelesen: {len(frame)} Flächen · Koordinatensystem {crs}")
    st.dataframe(pd.DataFrame(frame[sp]).head(5), width="stretch", key="dp_raum_roh")
    key = f"dp_r_{raeume_import.sha256(data)[:10]}"
    top = max(e.ebene for e in config.stadt.raumebenen)
    c1, c2, c3 = st.columns(3)
    with c1:
        kennung = st.selectbox("Kennung", sp, key=f"{key}_id")
        name = st.selectbox("Name", sp, index=min(1, len(sp) - 1), key=f"{key}_name")
    with c2:
        ebene = st.selectbox("Raumebene", [e.ebene for e in config.stadt.raumebenen if e.ebene < top],
                             format_func=lambda n: config.ebene(n).plural, key=f"{key}_ebene")
        von = st.date_input("gültig ab", value=date(date.today().year, 1, 1), format="DD.MM.YYYY", key=f"{key}_von")
        bis = st.date_input("gültig bis (leer: offen)", value=None, format="DD.MM.YYYY", key=f"{key}_bis")
    with c3:
        regel = st.radio("Übergeordnete Einheit", ["Präfix der Kennung", "Spalte", "feste Kennung"], key=f"{key}_regel")
        wert = (st.number_input("Stellen", 1, 20, 2, key=f"{key}_praefix") if regel == "Präfix der Kennung"
                else st.selectbox("Spalte", sp, key=f"{key}_pspalte") if regel == "Spalte"
                else st.text_input("Kennung", "00", key=f"{key}_fest"))
        crs_angabe = st.text_input("Koordinatensystem (nur falls die Datei keines nennt)", "", key=f"{key}_crs")
    try:
        z = raeume_import.RaumZuordnung(
            kennung=kennung, name=name, ebene=int(ebene), gueltig_von=von, gueltig_bis=bis, crs=crs_angabe or None,
            parent_praefix=int(wert) if regel == "Präfix der Kennung" else None,
            parent_spalte=wert if regel == "Spalte" else None,
            parent_fest=wert if regel == "feste Kennung" else None, layer=layer)
        pruef_key = json.dumps([key, str(z), cache.data_version()])
        auftrag = Auftrag(store, config, data, datei.name, angemeldet(), raum_zuordnung=z)
        v = geprueft(pruef_key, lambda: LIEFERARTEN["raeume"].pruefen(auftrag))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    bericht(v.bericht, key)
    if not v.uebernehmbar:
        st.error("Die Raumgliederung hat Fehler; es wurde nichts gespeichert.")
        return
    st.caption(f"Vorschau: {len(v.raeume)} Räume, {len(v.schliessungen)} bisherige Räume enden am Vortag.")
    st.dataframe(v.raeume.drop(columns=["geometrie"]).head(500), hide_index=True, width="stretch",
                 key=f"{key}_vorschau")
    if st.button("Raumgliederung übernehmen", type="primary", key=f"{key}_ok", icon=":material/check:"):
        lid = LIEFERARTEN["raeume"].speichern(auftrag, v)
        nach_schreiben(f"Raumgliederung übernommen (Lieferung {lid}, {len(v.raeume)} Räume).")

"""Tab „Einrichtungen“: upload, check, preview and commit of the facility register."""

from __future__ import annotations

import json

import streamlit as st

from fis.format import md
from fis.ingest import einrichtungen as einrichtungen_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import ImportFehler
from ui import cache
from ui.datenpflege.gemeinsam import (
    bericht,
    geprueft,
    nach_schreiben,
    upload_key,
)
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    """Upload, check, preview and commit a facility delivery, with the Datenpflege page's Prüfbericht, check
    cache and confirmation."""
    if not config.einrichtungen.typen:
        st.info("Es sind keine Einrichtungstypen konfiguriert. Bitte einrichtungen.yaml in den "
                "Konfigurationsordner legen (Vorlage: config/einrichtungen.yaml).")
        return
    typen = ", ".join(f"{t.id} ({t.name})" for t in config.einrichtungen.typen)
    kap = ", ".join(k.id for k in config.einrichtungen.kapazitaeten)
    datei = st.file_uploader("Einrichtungsregister (CSV, XLSX, GeoJSON, GeoPackage oder gezipptes Shapefile)",
                             type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "zip"],
                             key=upload_key("dp_einr_datei"))
    if datei is None:
        st.caption(f"Je Zeile eine Einrichtung: einrichtung_id, typ ({typen}), name, traeger, adresse, lon/lat "
                   "(oder Rechts-/Hochwert, oder raum_id ohne Koordinaten), eroeffnet, geschlossen und je "
                   f"Kapazitätsart eine Spalte ({kap}). Einrichtungen, die die Datei nicht nennt, bleiben "
                   "unverändert; geschlossene bitte mit Datum in „geschlossen“ liefern.")
        return
    data = datei.getvalue()
    crs = st.text_input("Koordinatensystem (nur falls nötig, z. B. EPSG:25832)", "", key="dp_einr_crs")
    store = cache.store()
    schluessel = json.dumps(["einrichtungen", einrichtungen_import.sha256(data), crs, cache.data_version()])
    try:
        auftrag = Auftrag(store, config, data, datei.name, angemeldet(), crs=crs or None)
        v = geprueft(schluessel, lambda: LIEFERARTEN["einrichtungen"].pruefen(auftrag))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    bericht(v.bericht, "dp_einr")
    if not v.uebernehmbar:
        if not v.bericht.ok:
            st.error("Das Register hat Fehler; es wurde nichts gespeichert.")
        return
    zahl = v.vergleich["art"].value_counts()
    st.caption(f"Vorschau: {zahl.get('neu', 0)} neue, {zahl.get('geändert', 0)} geänderte Einrichtungen, "
               f"{zahl.get('unverändert', 0)} unverändert · Koordinaten aus {md(v.crs)}")
    st.dataframe(einrichtungen_import.vorschau(v, config).head(1000), hide_index=True, width="stretch",
                 key="dp_einr_vorschau")
    if st.button("Einrichtungsregister übernehmen", type="primary", key="dp_einr_ok", icon=":material/check:"):
        lid = LIEFERARTEN["einrichtungen"].speichern(auftrag, v)
        nach_schreiben(f"Einrichtungsregister übernommen (Lieferung {lid}, {len(v.einrichtungen)} Einrichtungen).")

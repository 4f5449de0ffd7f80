"""Tab „Indikatorenkatalog“: edit in the table or import a file; every change is a catalog delivery."""

from __future__ import annotations

import streamlit as st

from fis.ingest import katalog as katalog_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import ImportFehler
from ui import cache
from ui.datenpflege.gemeinsam import (
    bericht,
    nach_schreiben,
    upload_key,
)
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    store = cache.store()
    standard = config.stadt.geheimhaltung_standard
    aktuell = store.lade_indikatoren()[katalog_import.SPALTEN]
    text = aktuell.select_dtypes(exclude=["number", "bool"]).columns
    aktuell[text] = aktuell[text].fillna("")         # an empty cell, not „None“
    st.caption("Änderungen hier werden als neue Katalog-Lieferung gespeichert; frühere Fassungen bleiben erhalten "
               "und können zurückgeholt werden.")
    edited = st.data_editor(
        aktuell, num_rows="dynamic", hide_index=True, width="stretch", key="dp_katalog_editor",
        column_config={
            # German headers; the cells keep the keys and values of indikatoren.yaml
            **{f: st.column_config.TextColumn(t, help=f"Feld „{f}“ in indikatoren.yaml") for f, t in (
                ("name", "Name"), ("kurzname", "Kurzname"), ("handlungsfeld", "Handlungsfeld"),
                ("einheit", "Einheit"), ("definition", "Definition"), ("zaehler", "Zähler"), ("nenner", "Nenner"),
                ("quelle", "Quelle"), ("periodizitaet", "Periodizität"), ("stichtag_regel", "Stichtag"))},
            "indikator_id": st.column_config.TextColumn("Kennung", required=True),
            "aggregation": st.column_config.SelectboxColumn("Aggregation", options=["quote", "summe"], required=True),
            "polaritaet": st.column_config.SelectboxColumn(
                "Polarität", options=["hoch_gut", "hoch_schlecht", "neutral"], required=True),
            "faktor": st.column_config.NumberColumn("Faktor"),
            "geheimhaltung": st.column_config.NumberColumn("Mindestfallzahl", min_value=0, step=1),
            "nachkommastellen": st.column_config.NumberColumn("Nachkommastellen", min_value=0, max_value=6, step=1),
            "negativ_erlaubt": st.column_config.CheckboxColumn("negativ erlaubt"),
            "gesamtwert": st.column_config.SelectboxColumn("Gesamtwert", options=["geliefert", "summe"])})
    st.download_button("Katalog als CSV", aktuell.to_csv(sep=";", index=False).encode("utf-8-sig"),
                       file_name="indikatorenkatalog.csv", key="dp_katalog_csv", icon=":material/download:")
    datei = st.file_uploader("Oder Katalog importieren (YAML wie indikatoren.yaml, CSV oder XLSX)",
                             type=["yaml", "yml", "csv", "xlsx"], key=upload_key("dp_katalog_datei"))
    try:
        v = (LIEFERARTEN["katalog"].pruefen(Auftrag(store, config, datei.getvalue(), datei.name)) if datei is not None
             else katalog_import.aus_editor(store, edited, standard))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    aenderungen = v.vergleich[v.vergleich["art"] != "unverändert"]
    if len(aenderungen) == 0 and v.bericht.ok:
        return
    bericht(v.bericht, "dp_katalog_bericht")
    if len(aenderungen):
        namen = {"indikator_id": "Kennung", "art": "Art", "geaendert": "geänderte Felder"}
        st.dataframe(aenderungen.rename(columns=namen), hide_index=True, key="dp_katalog_aenderungen")
    if v.uebernehmbar and st.button("Katalogänderungen übernehmen", type="primary", key="dp_katalog_ok"):
        lid = LIEFERARTEN["katalog"].speichern(Auftrag(store, config, b"", "", angemeldet()), v)
        nach_schreiben(f"Katalog übernommen (Lieferung {lid}, {len(v.eintraege)} Einträge).")

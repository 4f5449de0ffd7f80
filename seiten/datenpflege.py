"""Datenpflege: deliveries of values, boundaries and the catalog; the delivery register."""

import streamlit as st

from ui import cache, datenpflege, einrichtungen, zugang

config = cache.config()
st.title("Datenpflege")
st.caption("Jede Datei wird vollständig geprüft, bevor etwas gespeichert wird. Übernommene Lieferungen "
           "ersetzen frühere Werte, ohne sie zu löschen, und lassen sich zurücknehmen.")
datenpflege.meldung()
reiter = ["Indikatorwerte", "Raumgliederung", "Indikatorenkatalog", "Haushalt", "Einrichtungen",
          "Lieferungen und Historie"]
einrichten = zugang.darf_aktuell("konfiguration")
tabs = st.tabs(reiter + (["Neue Stadt einrichten"] if einrichten else []), key="dp_reiter")
werte, raeume, katalog, haushalt, register, lieferungen = tabs[:6]
with werte:
    datenpflege.werte_tab(config)
with raeume:
    datenpflege.raeume_tab(config)
with katalog:
    datenpflege.katalog_tab(config)
with haushalt:
    datenpflege.haushalt_tab(config)
with register:
    einrichtungen.datenpflege_tab(config)
with lieferungen:
    datenpflege.lieferungen_tab(config)
if einrichten:
    with tabs[6]:
        datenpflege.neue_stadt_tab(config)

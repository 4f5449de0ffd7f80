"""Datenpflege: deliveries of values, boundaries and the catalog; the delivery register."""

import streamlit as st

from ui import cache, zugang
from ui.datenpflege import (
    einrichtungen,
    gemeinsam,
    haushalt,
    katalog,
    lieferungen,
    neue_stadt,
    prognosen,
    raeume,
    vergleichswerte,
    werte,
)

config = cache.config()
st.title("Datenpflege")
st.caption("Jede Datei wird vollständig geprüft, bevor etwas gespeichert wird. Übernommene Lieferungen "
           "ersetzen frühere Werte, ohne sie zu löschen, und lassen sich zurücknehmen.")
gemeinsam.meldung()
reiter = ["Indikatorwerte", "Raumgliederung", "Indikatorenkatalog", "Haushalt", "Einrichtungen",
          "Vergleichswerte", "Prognosen", "Lieferungen und Historie"]
einrichten = zugang.darf_aktuell("konfiguration")
tabs = st.tabs(reiter + (["Neue Stadt einrichten"] if einrichten else []), key="dp_reiter")
# one module per tab (ui/datenpflege/), in the order of the tabs; „Neue Stadt“ only with the right to configure
for tab, modul in zip(tabs, (werte, raeume, katalog, haushalt, einrichtungen, vergleichswerte, prognosen,
                                  lieferungen, neue_stadt), strict=False):
    with tab:
        modul.reiter(config)

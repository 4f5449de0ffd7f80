"""Tab „Haushalt“: amounts from the finance system, or products with the texts of the Produktdatenblatt."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fis.ingest.arten import LIEFERARTEN, Auftrag
from ui import cache
from ui.datenpflege.gemeinsam import (
    bericht,
    geprueft,
    nach_schreiben,
    tabelle_hochladen,
)
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    """A finance-system export (Teilergebnisplan per product, year, month and Wertart) or
    product master data with the texts of the Produktdatenblatt."""
    store = cache.store()
    if st.radio("Lieferung", ["Beträge aus dem Finanzsystem", "Produkte und Texte"], horizontal=True,
                key="dp_haushalt_art") == "Produkte und Texte":
        _produkte(store, config)
        return
    tabelle = tabelle_hochladen("Export des Finanzsystems (CSV oder Excel)", "dp_haushalt_datei",
                       "Spalten: Produkt, Position (Zeile des Teilergebnisplans), Jahr, Monat (0 oder leer = "
                       "ganzes Jahr), Wertart (Ansatz, Planung, Ist, Prognose), Betrag (Erträge +, Aufwendungen −). "
                       "Summen für Produktgruppen, -bereiche und Summenzeilen werden gegen ihre Teile geprüft.")
    if tabelle is None:
        return
    key = f"dp_h_{tabelle.sha256[:10]}_{cache.data_version()}"
    art = LIEFERARTEN["haushalt"]
    auftrag = Auftrag(store, config, b"", tabelle.dateiname, angemeldet(), tabelle=tabelle)
    v = geprueft(key, lambda: art.pruefen(auftrag))
    bericht(v.bericht, "dp_haushalt")
    if len(v.abweichungen):
        st.dataframe(v.abweichungen.rename(columns={"ebene": "Ebene", "nr": "Nummer", "position_nr": "Zeile",
                                                    "jahr": "Jahr", "monat": "Monat", "wertart": "Wertart",
                                                    "geliefert": "geliefert", "summe_teile": "Summe der Teile",
                                                    "differenz": "Differenz"}),
                     hide_index=True, key="dp_haushalt_abw")
    st.caption(f"Vorschau: {len(v.zeilen)} Beträge werden gespeichert, {len(v.summen)} Summen wurden geprüft.")
    if v.uebernehmbar and st.button("Haushaltsdaten übernehmen", type="primary", key="dp_haushalt_ok"):
        lid = art.speichern(auftrag, v)
        nach_schreiben(f"Haushaltsdaten übernommen (Lieferung {lid}, {len(v.zeilen)} Beträge).")


def _produkte(store, config) -> None:
    tabelle = tabelle_hochladen("Produkte mit Texten (CSV oder Excel)", "dp_produkte_datei",
                       "Eine Zeile je Produktbereich (11.05), Produktgruppe (11.05.01) oder Produkt (11.05.01.01): "
                       "nr, name und wahlweise verantwortlich, organisationseinheit, gremium, beschreibung, "
                       "zielsetzung, zielerreichung, zielgruppe, besonderheiten, rechtsgrundlage. Leere Zellen "
                       "behalten den gespeicherten Text.")
    if tabelle is None:
        return
    art = LIEFERARTEN["produkte"]
    auftrag = Auftrag(store, config, b"", tabelle.dateiname, angemeldet(), tabelle=tabelle)
    v = geprueft(f"dp_p_{tabelle.sha256[:10]}_{cache.data_version()}", lambda: art.pruefen(auftrag))
    bericht(v.bericht, "dp_produkte")
    if v.aenderungen:
        st.dataframe(pd.DataFrame(v.aenderungen).rename(columns=str.capitalize), hide_index=True,
                     key="dp_produkte_aenderungen")
    if v.uebernehmbar and st.button("Produkte übernehmen", type="primary", key="dp_produkte_ok"):
        lid = art.speichern(auftrag, v)
        nach_schreiben(f"Produkte übernommen (Lieferung {lid}, {len(v.aenderungen)} Änderungen).")

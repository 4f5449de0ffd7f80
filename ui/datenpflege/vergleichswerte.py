"""Tab „Vergleichswerte“: values of Land, Bund, Regierungsbezirk, Kreis and a Vergleichsring per indicator and
Stichtag, checked, previewed and committed as a delivery like every other."""

from __future__ import annotations

import streamlit as st

from fis.format import fmt_datum
from fis.ingest.arten import LIEFERARTEN, Auftrag
from ui import cache
from ui.datenpflege.gemeinsam import bericht, geprueft, nach_schreiben, tabelle_hochladen
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    store = cache.store()
    art = LIEFERARTEN["vergleichswerte"]
    tabelle = tabelle_hochladen(
        "Vergleichswerte (CSV oder Excel)", "dp_vergleich_datei",
        "Eine Zeile je Wert: referenz (z. B. Nordrhein-Westfalen, Deutschland, Herne), art (Land, Bund, "
        "Regierungsbezirk, Kreis, Vergleichsring oder Vergleichsstadt), gruppe (bei einer Vergleichsstadt: ihr "
        "Vergleichsring), indikator (Kennung aus dem Katalog), stichtag, wert (in der Einheit des Indikators). "
        "Sie erscheinen im Lagebild, in den Zeitreihen und im Sozialraumprofil neben den Werten der Stadt.")
    if tabelle is None:
        vorhanden = cache.vergleichswerte(cache.data_version())
        if len(vorhanden):
            st.caption(f"Gespeichert: {vorhanden['referenz'].nunique()} Referenzen, "
                       f"{vorhanden['indikator_id'].nunique()} Indikatoren, Stichtage "
                       f"{fmt_datum(vorhanden['stichtag'].min().date())} bis "
                       f"{fmt_datum(vorhanden['stichtag'].max().date())}.")
        return
    auftrag = Auftrag(store, config, b"", tabelle.dateiname, angemeldet(), tabelle=tabelle)
    v = geprueft(f"dp_v_{tabelle.sha256[:10]}_{cache.data_version()}", lambda: art.pruefen(auftrag))
    bericht(v.bericht, "dp_vergleich")
    st.caption(f"Vorschau: {art.vorschau(v)}.")
    if len(v.werte):
        st.dataframe(v.werte.rename(columns={"referenz": "Referenz", "art": "Art", "gruppe": "Vergleichsring",
                                             "indikator_id": "Indikator", "stichtag": "Stichtag", "wert": "Wert"}),
                     hide_index=True, key="dp_vergleich_vorschau")
    if v.uebernehmbar and st.button("Vergleichswerte übernehmen", type="primary", key="dp_vergleich_ok"):
        lid = art.speichern(auftrag, v)
        nach_schreiben(f"Vergleichswerte übernommen (Lieferung {lid}, {len(v.werte)} Werte).")

"""Tab „Prognosen“: a Bevölkerungsvorausberechnung (future Stichtage, variants), checked, previewed and committed
as a delivery of its own – never mixed with observed values."""

from __future__ import annotations

import streamlit as st

from fis.ingest.arten import LIEFERARTEN, Auftrag
from ui import cache
from ui.datenpflege.gemeinsam import bericht, geprueft, nach_schreiben, tabelle_hochladen
from ui.zugang import aktuell as angemeldet


def reiter(config) -> None:
    store = cache.store()
    art = LIEFERARTEN["prognosen"]
    tabelle = tabelle_hochladen(
        "Bevölkerungsvorausberechnung (CSV oder Excel)", "dp_prognose_datei",
        "Eine Zeile je Wert: raum (Kennung), merkmal (z. B. bev_u6 oder ein Indikator des Katalogs), name (was "
        "gezählt wird, z. B. Kinder unter 6 Jahren), stichtag (künftig, TT.MM.JJJJ oder Jahr), variante (Basis, "
        "hoch, niedrig …), wert, basisjahr (letztes beobachtetes Jahr). Die Prognose erscheint im Sozialraumprofil "
        "mit ihrer Spanne und wird nie mit beobachteten Werten vermischt.")
    if tabelle is None:
        return
    auftrag = Auftrag(store, config, b"", tabelle.dateiname, angemeldet(), tabelle=tabelle)
    v = geprueft(f"dp_pg_{tabelle.sha256[:10]}_{cache.data_version()}", lambda: art.pruefen(auftrag))
    bericht(v.bericht, "dp_prognose")
    st.caption(f"Vorschau: {art.vorschau(v)}.")
    if v.uebernehmbar and st.button("Prognose übernehmen", type="primary", key="dp_prognose_ok"):
        lid = art.speichern(auftrag, v)
        nach_schreiben(f"Prognose übernommen (Lieferung {lid}, {len(v.werte)} Werte).")

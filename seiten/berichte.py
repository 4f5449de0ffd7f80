"""Berichte: PDF reports for committees and leadership, built from the same data as the pages."""

import streamlit as st

from fis import controlling as ctl
from fis.berichte import pdf
from fis.berichte.inhalte import abweichungsbericht, steckbrief
from fis.format import fmt_datum
from ui import cache, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
m = cache.monitoring(version)
st.title("Berichte")
st.caption("PDF mit Titelblatt (Stadt, Stichtag, Datenstand, letzte Lieferung), Inhaltsverzeichnis, Seitenzahlen, "
           "Quellen und Hinweisen zur Geheimhaltung. Für regelmäßige Läufe: python -m fis report …")
arten = {"abweichung": "Abweichungsbericht (Controlling)", "steckbrief": "Sozialraum-Steckbrief"}
art = st.radio("Bericht", list(arten), format_func=arten.get, horizontal=True, key="ber_art")
if art == "abweichung":
    rhythmus = st.segmented_control("Rhythmus", list(ctl.RHYTHMEN), default="Quartal", key="ber_rhythmus",
                                    format_func=ctl.RHYTHMEN.get) or "Quartal"
    c = cache.controlling(version)
    jahr, monat = ctl.berichtsstand(c, rhythmus)
    dateiname = f"abweichungsbericht_{ctl.berichtsdatum(jahr, monat):%Y%m%d}.pdf"
    st.caption(f"Berichtsstand: {fmt_datum(ctl.berichtsdatum(jahr, monat))}")
else:
    ebenen = sorted(e for e in m.ebenen if e < m.top)
    ebene_wahl = st.selectbox("Umfang", ebenen, key="ber_ebene",
                              format_func=lambda e: "ein Gebiet" if e == 1 else f"alle Gebiete eines {m.ebenen[e][0]}s")
    namen = m.namen()
    ids = sorted(m.raeume[(m.raeume["stichtag"] == auswahl.stichtag) & (m.raeume["ebene"] == ebene_wahl)]["raum_id"])
    raum = st.selectbox(m.ebenen[ebene_wahl][0], ids, format_func=lambda r: f"{namen.get(r, r)} ({r})",
                        key="ber_raum")
    unter = m.raeume[(m.raeume["stichtag"] == auswahl.stichtag) & (m.raeume["ebene"] == 1)]
    raeume = [raum] if ebene_wahl == 1 else sorted(unter[unter["parent_id"] == raum]["raum_id"])
    dateiname = f"steckbrief_{raum}_{auswahl.stichtag:%Y%m%d}.pdf"
    st.caption(f"{len(raeume)} Gebiete, Stichtag {fmt_datum(auswahl.stichtag)} (links wählbar)")

if st.button("PDF erstellen", type="primary", icon=":material/picture_as_pdf:", key="ber_los"):
    fortschritt = st.progress(0.0, text="Daten werden zusammengestellt …")
    store = cache.store()
    if art == "abweichung":
        b = abweichungsbericht(store, config, c, cache.bewertung(version, jahr),
                               cache.haushaltszeilen(version, jahr, monat), rhythmus)
    else:
        b = steckbrief(store, config, m, raeume, auswahl.stichtag)
    fortschritt.progress(0.6, text="PDF wird gesetzt …")
    st.session_state["ber_pdf"] = (dateiname, pdf(b), b.titel)
    fortschritt.progress(1.0, text="Fertig.")
if ergebnis := st.session_state.get("ber_pdf"):
    name, daten, titel = ergebnis
    st.success(f"„{titel}“ ist fertig ({len(daten) // 1024} kB).")
    st.download_button("PDF herunterladen", daten, file_name=name, mime="application/pdf", key="ber_download",
                       icon=":material/download:")

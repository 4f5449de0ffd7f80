"""Berichte: PDF reports for committees and leadership, built from the same data as the pages."""

import dataclasses

import streamlit as st

from fis import hochrechnung
from fis.berichte import pdf
from fis.berichte.arten import BERICHTSARTEN, Berichtsauftrag, steckbrief_gebiete
from fis.format import dateiname_sicher, fmt_anzahl, fmt_datum, md
from fis.indizes import stichtage
from fis.mittelverteilung import szenarien
from ui import cache, sidebar
from ui.berichte import CacheQuelle

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
# levels, areas and names; each report loads the values it needs when it is built
m = cache.monitoring(version, [])
st.title("Berichte")
st.caption("PDF mit Titelblatt (Stadt, Stichtag, Datenstand, letzte Lieferung), der Seite „Auf einen Blick“ mit der "
           "Einordnung der Sozialplanung, Seitenzahlen, Quellen und Hinweisen zur Geheimhaltung; ab sieben Seiten "
           "mit Inhaltsverzeichnis. Für regelmäßige Läufe: python -m fis report …")
art = st.radio("Bericht", list(BERICHTSARTEN), format_func=lambda a: BERICHTSARTEN[a].titel, horizontal=True,
               key="ber_art")
if art == "abweichungsbericht":
    rhythmus = st.segmented_control("Rhythmus", list(hochrechnung.RHYTHMEN), default="Quartal", key="ber_rhythmus",
                                    format_func=hochrechnung.RHYTHMEN.get) or "Quartal"
    jahr, monat = hochrechnung.berichtsstand(cache.controlling(version), rhythmus)
    auftrag = Berichtsauftrag(stichtag=auswahl.stichtag, rhythmus=rhythmus)
    st.caption(f"Berichtsstand Haushalt: {fmt_datum(hochrechnung.berichtsdatum(jahr, monat))} · Ziele: Berichtsjahr "
               f"{auswahl.stichtag.year} (Jahr des Stichtags links)")
elif art == "steckbrief":
    ebenen = sorted(e for e in m.ebenen if e < m.top)
    ebene_wahl = st.selectbox("Umfang", ebenen, key="ber_ebene",
                              format_func=lambda e: "ein Gebiet" if e == 1 else f"alle Gebiete eines {m.ebenen[e][0]}s")
    namen = m.namen()
    ids = sorted(m.raeume[(m.raeume["stichtag"] == auswahl.stichtag) & (m.raeume["ebene"] == ebene_wahl)]["raum_id"])
    raum = st.selectbox(m.ebenen[ebene_wahl][0], ids, format_func=lambda r: f"{namen.get(r, r)} ({r})",
                        key="ber_raum")
    auftrag = Berichtsauftrag(stichtag=auswahl.stichtag, raum=raum)
    anzahl = fmt_anzahl(len(steckbrief_gebiete(m, raum, auswahl.stichtag)), "Gebiet", "Gebiete")
    st.caption(f"{anzahl}, Stichtag {fmt_datum(auswahl.stichtag)} "
               "(links wählbar)")
elif art == "monitoring":
    kern = cache.lagebild_indikatoren()
    vorrat = cache.bestand(version)
    am_tag = set(vorrat.loc[(vorrat["stichtag"] == auswahl.stichtag) & vorrat["mit_wert"], "indikator_id"])
    moeglich = [i for i in m.indikatoren.index if i in am_tag]
    gewaehlt = st.multiselect("Indikatoren (je einer Karte und Zeitreihe)", moeglich,
                              default=[i for i in kern if i in moeglich], key="ber_indikatoren",
                              format_func=lambda i: f"{m.indikatoren.at[i, 'handlungsfeld']} · "
                                                    f"{m.indikatoren.at[i, 'name']}")
    auftrag = Berichtsauftrag(stichtag=auswahl.stichtag, indikatoren=tuple(gewaehlt))
    st.caption(f"Stichtag {fmt_datum(auswahl.stichtag)} (links wählbar); je Indikator etwa eine Seite.")
elif art == "sozialindex":
    if not config.indizes.indizes:
        st.info("Es ist kein Index konfiguriert (indizes.yaml im Konfigurationsordner).")
        st.stop()
    indizes = {ix.id: ix for ix in config.indizes.indizes}
    daten = cache.indexdaten(version, cache.index_indikatoren())
    spalten = st.columns([2, 1])
    ix = indizes[spalten[0].selectbox("Index", list(indizes), format_func=lambda i: indizes[i].name,
                                      key="ber_index")]
    tage = stichtage(daten, ix)
    if not tage:
        st.warning("Für diesen Index fehlen an jedem Stichtag Werte einer Komponente.")
        st.stop()
    vorgabe = max([t for t in tage if t <= auswahl.stichtag] or tage[:1])
    index_tag = spalten[1].selectbox("Stichtag", tage, index=tage.index(vorgabe), format_func=fmt_datum,
                                     key="ber_index_tag")
    auftrag = Berichtsauftrag(stichtag=index_tag, index=ix.id)
elif art == "mittelverteilung":
    gespeichert = {sz.name: sz for sz in szenarien(cache.store())}
    if not gespeichert:
        st.info("Noch kein Szenario gespeichert: auf der Seite „Mittelverteilung“ eine Verteilung einstellen und "
                "unter einem Namen speichern (oder dort direkt ein PDF der aktuellen Einstellung erstellen).")
        st.stop()
    name = st.selectbox("Szenario", list(gespeichert), key="ber_szenario")
    st.caption(md(gespeichert[name].satz))
    auftrag = Berichtsauftrag(verteilung=gespeichert[name].regel.als_json(), szenario=name)
elif art == "massnahmenbericht":
    reg = cache.massnahmen(version)
    spalten = st.columns([1, 2])
    nach = spalten[0].segmented_control("Bericht für", ["Handlungsfeld", "Gebiet"], default="Handlungsfeld",
                                        key="ber_mn_nach") or "Handlungsfeld"
    if nach == "Handlungsfeld":
        felder = sorted(reg.massnahmen["handlungsfeld"].unique()) or ["–"]
        feld = spalten[1].selectbox("Handlungsfeld", felder, key="ber_mn_feld")
        auftrag = Berichtsauftrag(stichtag=auswahl.stichtag, handlungsfeld=feld)
    else:
        namen = m.namen()
        ids = sorted(m.raeume[(m.raeume["stichtag"] == auswahl.stichtag) & (m.raeume["ebene"] < m.top)]["raum_id"],
                     key=lambda r: (len(r), r))
        raum = spalten[1].selectbox("Gebiet (Bezirk mit allen Sozialräumen oder ein Sozialraum)", ids,
                                    format_func=lambda r: f"{namen.get(r, r)} ({r})", key="ber_mn_raum")
        auftrag = Berichtsauftrag(stichtag=auswahl.stichtag, raum=raum)
    st.caption(f"Budget und Leistungen {auswahl.stichtag.year} (Jahr des Stichtags links); je Maßnahme Ziele, "
               "Statusverlauf, Jahreswerte und Evaluation.")
else:
    p = cache.produkte(version)
    if p.produkte.empty:
        st.info("Es ist noch kein Produkthaushalt geliefert.")
        st.stop()
    produkte = p.auswahl()
    spalten = st.columns([3, 1])
    nr = spalten[0].selectbox("Produkt oder Produktgruppe (mit allen ihren Produkten)", list(produkte),
                              format_func=produkte.get, key="ber_produkt")
    hj_standard = p.haushaltsjahr()
    hj = spalten[1].selectbox("Haushaltsjahr", list(range(hj_standard - 3, hj_standard + 1)), index=3,
                              key="ber_jahr")
    auftrag = Berichtsauftrag(produkt=nr, jahr=hj)

if st.button("PDF erstellen", type="primary", icon=":material/picture_as_pdf:", key="ber_los"):
    fortschritt = st.progress(0.0, text="Daten werden zusammengestellt …")
    quelle = CacheQuelle(version)
    auftrag = dataclasses.replace(auftrag, fortschritt=lambda anteil, text: fortschritt.progress(anteil, text=text))
    b = BERICHTSARTEN[art].erstellen(quelle, auftrag)
    dateiname = BERICHTSARTEN[art].dateiname(quelle, auftrag)
    fortschritt.progress(0.85, text="PDF wird gesetzt …")
    st.session_state["ber_pdf"] = (dateiname, pdf(b), b.titel)
    fortschritt.progress(1.0, text="Fertig.")
if ergebnis := st.session_state.get("ber_pdf"):
    name, daten, titel = ergebnis
    st.success(f"„{md(titel)}“ ist fertig ({len(daten) // 1024} kB).")
    st.download_button("PDF herunterladen", daten, file_name=dateiname_sicher(name.removesuffix(".pdf")) + ".pdf",
                       mime="application/pdf", key="ber_download", icon=":material/download:")

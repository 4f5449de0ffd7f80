"""Einrichtungen: Angebot und Bedarf – where places are missing, on the map and as a list."""

import streamlit as st

from fis import prognose
from fis import versorgung as vs
from fis.format import dativ, fmt_datum, fmt_zahl, md
from fis.kartenansicht import kartenansicht, legende_html
from fis.maps import STANDARD_METHODE, deck
from ui import cache, einrichtungen, monitoring, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
ebene_name, ebene_plural = config.ebene(auswahl.ebene).name, config.ebene(auswahl.ebene).plural
st.title("Einrichtungen und Versorgung")
if not config.einrichtungen.typen:
    st.info("Für diese Stadt ist kein Einrichtungsregister eingerichtet (einrichtungen.yaml im "
            "Konfigurationsordner; Vorlage: config/einrichtungen.yaml).", icon=":material/info:")
    st.stop()
alle = cache.einrichtungen(version, auswahl.stichtag)
if alle.empty:
    st.info(f"Am {fmt_datum(auswahl.stichtag)} ist keine Einrichtung im Register – es wurde noch keines geliefert "
            "(Datenpflege › Einrichtungen) oder keine war an diesem Stichtag geöffnet.", icon=":material/info:")
    st.stop()
m = cache.monitoring(version, [v.indikator for v in config.einrichtungen.versorgung])
grade = [v for v in config.einrichtungen.versorgung if v.indikator in m.indikatoren.index]
if not grade:
    st.dataframe(vs.tabelle(alle, config), hide_index=True, key="einr_register")
    st.stop()
namen = {v.indikator: f"{m.indikatoren.at[v.indikator, 'name']} ({m.indikatoren.at[v.indikator, 'einheit']})"
         for v in grade}
v = st.selectbox("Versorgungsgrad", grade, format_func=lambda g: namen[g.indikator], key="einr_grad")
meta = m.indikatoren.loc[v.indikator]
luecken = vs.luecken(m, config, v.indikator, auswahl.stichtag, auswahl.ebene)
stadt = vs.versorgung_im_gebiet(m, config, m.stadt_id(auswahl.stichtag), auswahl.stichtag)
stadt = next((z for z in stadt if z.indikator_id == v.indikator), None)
relevant = alle[alle["typ"].isin(v.typen)]

k1, k2, k3, k4 = st.columns(4)
k1.metric(f"Gesamtstadt ({meta['einheit']})", fmt_zahl(stadt.wert, 1) if stadt and stadt.wert is not None else "–")
k2.metric("Richtwert", fmt_zahl(v.richtwert, 1) if v.richtwert is not None else "keiner")
fehlend = luecken["luecke"].dropna()
alle_gebiete = len(monitoring.raeume_der_ebene(m, auswahl.stichtag, auswahl.ebene))
mit_wert = len(luecken)                # a partial delivery: the sum covers only the areas with values
k3.metric("Fehlende Plätze bis zum Richtwert" if mit_wert >= alle_gebiete
          else f"Fehlende Plätze in {mit_wert} von {alle_gebiete} {dativ(ebene_plural)}",
          fmt_zahl(fehlend.sum(), 0) if len(fehlend) else "–",
          help=f"Summe der Lücken der {ebene_plural}; ein Überschuss in einem Gebiet gleicht hier keine Lücke in "
          "einem anderen aus. Gebiete, deren Wert zum Schutz kleiner Zahlen nicht ausgewiesen wird, zählen nicht mit.")
k4.metric("Einrichtungen (geöffnet)", fmt_zahl(len(relevant), 0),
          help=", ".join(config.einrichtungen.typ(t).name for t in v.typen))
if v.richtwert_quelle:
    st.caption(f"Richtwert: {md(v.richtwert_quelle)} · Stichtag {fmt_datum(auswahl.stichtag)} · Zielgruppe: "
               f"{md(str(meta['nenner']))} · Plätze am Standort der Einrichtung, gezählt solange sie geöffnet ist.")

links, rechts = st.columns([1, 1])
with rechts:
    st.markdown(f"**Wo fehlen Plätze? ({ebene_plural})**")
    tabelle = vs.luecken_tabelle(luecken, v, str(meta["einheit"]), ebene_name)
    st.dataframe(tabelle.drop(columns="Richtwert"), hide_index=True, height=560, key="einr_luecken")
    monitoring.download(tabelle, f"versorgung_{v.indikator}_{auswahl.stichtag:%Y%m%d}.csv", "einr_luecken_csv",
                        titel=namen[v.indikator], quellen=[str(meta["quelle"])])
with links:
    punkte, radius = einrichtungen.punkte_waehlen(config, version, auswahl.stichtag, f"einr_karte_{v.indikator}",
                                                  standard=list(v.typen))
    geo = cache.geometrien(version, auswahl.stichtag, auswahl.ebene)
    ansicht = kartenansicht(m, geo, v.indikator, auswahl.stichtag, auswahl.ebene, STANDARD_METHODE, 5)
    st.pydeck_chart(deck(ansicht.daten, ansicht.tooltip, standorte=punkte, radius_m=radius, hoehe=480,
                         kachel_url=config.stadt.karte.kachel_url,
                         kachel_attribution=config.stadt.karte.kachel_attribution), height=480, key="einr_deck")
    if radius and punkte is not None and len(punkte) and auswahl.ebene == 1:
        geo1 = cache.geometrien(version, auswahl.stichtag, 1)
        eb = vs.einzugsbereich(punkte[punkte["typ"].isin(v.typen)], geo1, luecken.set_index("raum_id")["zielgruppe"],
                               radius)
        if eb.anteil is not None:
            st.caption(f"Im Umkreis von {fmt_zahl(radius, 0)} m um eine Einrichtung der gewählten Art wohnen "
                       f"rund {fmt_zahl(eb.anteil * 100, 0)} % der Zielgruppe (Näherung: Zielgruppe gleichmäßig über "
                       f"die Fläche ihres {ebene_name}s verteilt; Luftlinie).")
    l1, l2 = st.columns([3, 2])
    l1.html(legende_html(f"{meta['kurzname']} ({meta['einheit']})", ansicht.legende))
    if punkte is not None and len(punkte):
        l2.html(einrichtungen.legende(config, punkte))

zg = vs.zielgruppenprognose(config, v)
prognosen = cache.prognosen(version) if zg and auswahl.ebene == 1 else None
if prognosen is not None and len(prognosen):
    with st.expander("Ausblick: fehlende Plätze nach der Bevölkerungsvorausberechnung", icon=":material/update:"):
        jahre = [j for j in prognose.prognosejahre(prognosen) if j > auswahl.stichtag.year]
        jahr = st.columns([1, 3])[0].selectbox("Jahr", jahre, index=jahre.index(2030) if 2030 in jahre else 0,
                                               key="einr_prognose_jahr")
        blick = vs.ausblick(luecken, v, zg, prognosen, jahr, float(meta["faktor"] or 1))
        if len(blick):
            st.markdown(f"**{jahr} fehlen nach der Basisvariante {fmt_zahl(blick['luecke_kuenftig'].sum(), 0)} Plätze "
                        f"(heute {fmt_zahl(blick['luecke'].sum(), 0)}) in den {dativ(ebene_plural)} mit Prognose.**")
            st.dataframe(vs.ausblick_tabelle(blick, jahr, ebene_name), hide_index=True, key="einr_prognose")
        st.caption(f"Annahme: Zielgruppe = {fmt_zahl(zg.anteil * 100, 0)} % von „{md(' + '.join(zg.merkmale))}“ der "
                   "Vorausberechnung, die Plätze von heute bleiben (indikatoren.yaml › prognose des Indikators der "
                   "Zielgruppe). Spanne: die Varianten der Vorausberechnung.")

with st.expander(f"Register: {len(alle)} Einrichtungen am {fmt_datum(auswahl.stichtag)} geöffnet"):
    typen = st.multiselect("Typen", [t.id for t in config.einrichtungen.typen], key="einr_register_typen",
                           format_func=lambda t: config.einrichtungen.typ(t).name)
    register = vs.tabelle(alle[alle["typ"].isin(typen)] if typen else alle, config, m.namen())
    st.dataframe(register, hide_index=True, key="einr_register")
    monitoring.download(register, f"einrichtungen_{auswahl.stichtag:%Y%m%d}.csv", "einr_register_csv",
                        titel="Einrichtungsregister", quellen=["Einrichtungsregister"])

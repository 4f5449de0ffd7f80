"""Karte: choropleth of one indicator at the chosen level and Stichtag, or its change."""

import streamlit as st

from fis.format import fmt_datum, jahre_vorher
from fis.kartenansicht import kartenansicht, kartentabelle, legende_html
from fis.maps import METHODEN, STANDARD_METHODE, deck
from ui import cache, einrichtungen, monitoring, sidebar
from ui import links as deeplinks

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
ebene_name, ebene_plural = config.ebene(auswahl.ebene).name, config.ebene(auswahl.ebene).plural

st.title("Karte")
oben = st.columns([3, 2, 1, 1])
deeplinks.uebernehmen("indikator", "karte_indikator")
deeplinks.uebernehmen("raum", "karte_raum")
with oben[0]:
    kern = [*config.lagebild.handlungsbedarf.indikatoren, *config.lagebild.kennzahlen]
    ind = monitoring.indikator(cache.katalog(version), "Indikator", "karte_indikator", kern, auswahl.stichtag)
with oben[1]:
    methode = st.selectbox("Klassenbildung", list(METHODEN), key="karte_methode",
                           index=list(METHODEN).index(STANDARD_METHODE), format_func=METHODEN.get)
with oben[2]:
    k = st.number_input("Klassen", min_value=3, max_value=7, value=5, step=1, key="karte_klassen")
with oben[3]:
    namen_an = st.toggle("Namen", key="karte_namen", help="Gebietsnamen auf der Karte zeigen")
    bedarf_an = auswahl.ebene == 1 and st.toggle(
        "Bedarf", key="karte_bedarf", help="Sozialräume mit Handlungsbedarf nach der Regel des Lagebilds "
        "violett umranden")

m = cache.monitoring(version, [ind])          # only this indicator: a large city need not wait for all
stichtage = [s for s in m.stichtage if not m.auswahl(ind, s, auswahl.ebene).empty]
vergleich = None
if st.toggle("Veränderungskarte", key="karte_veraenderung",
             help="Zeigt die Veränderung zwischen zwei Stichtagen statt des Werts."):
    frueher = [s for s in stichtage if s < auswahl.stichtag]
    if frueher:
        ziel = jahre_vorher(auswahl.stichtag, 5)
        standard = min(frueher, key=lambda s: abs((s - ziel).days))
        vergleich = st.selectbox("Vergleich mit Stichtag", frueher, index=frueher.index(standard),
                                 format_func=fmt_datum, key="karte_vergleich")
    else:
        st.info("Für den gewählten Stichtag gibt es keinen früheren Stichtag zum Vergleich.")

punkte, radius = einrichtungen.punkte_waehlen(config, version, auswahl.stichtag, "karte_einr")
if auswahl.stichtag not in stichtage:
    andere = ", ".join(fmt_datum(s) for s in stichtage[-4:]) or "keine"
    st.warning(f"Für diesen Indikator gibt es am {fmt_datum(auswahl.stichtag)} keine Werte auf der "
               f"Ebene „{ebene_plural}“. Stichtage mit Werten: {andere}. Bitte links einen davon wählen.")
    st.stop()

geo = cache.geometrien(version, auswahl.stichtag, auswahl.ebene)
ansicht = kartenansicht(m, geo, ind, auswahl.stichtag, auswahl.ebene, methode, int(k), vergleich)
gewaehlt = st.session_state.get("karte_raum") or st.session_state.get("profil_raum")

st.subheader(ansicht.titel)
st.caption(ansicht.untertitel)
links, rechts = st.columns([4, 1.3])
with links:
    ereignis = st.pydeck_chart(
        deck(ansicht.daten, ansicht.tooltip, beschriftung=namen_an, kachel_url=config.stadt.karte.kachel_url,
             kachel_attribution=config.stadt.karte.kachel_attribution, hervorheben=gewaehlt, hoehe=620,
             markiert=list(cache.lagebild(version, auswahl.stichtag, 1).handlungsbedarf["raum_id"])
             if bedarf_an else None, standorte=punkte, radius_m=radius),
        on_select="rerun", selection_mode="single-object", height=620,
        key=f"karte_deck_{st.session_state.get('karte_klicks', 0)}")
with rechts:
    st.html(legende_html("Legende (Anzahl Gebiete)", ansicht.legende))
    if bedarf_an:
        st.caption("Violett umrandet: Handlungsbedarf nach der Regel des Lagebilds.")
    if punkte is not None and len(punkte):
        st.html(einrichtungen.legende(config, punkte))
    st.caption("Gebiet anklicken, um es auszuwählen.")

objekte = (ereignis.selection.get("objects", {}) if ereignis else {}).get("gebiete", [])
if objekte:
    feature = objekte[0]
    geklickt = (feature.get("properties") or feature).get("raum_id")
    if geklickt:
        # Take the click over, then draw a fresh chart: Streamlit would fade all other areas,
        # which falsifies the choropleth colours. The choice is outlined instead.
        st.session_state["karte_raum"] = st.session_state["profil_raum"] = geklickt
        st.session_state["karte_klicks"] = st.session_state.get("karte_klicks", 0) + 1
        st.rerun()
ids = list(ansicht.daten["raum_id"])
if ids:
    namen = ansicht.daten.set_index("raum_id")["name"]
    spalten = st.columns([3, 1])
    with spalten[0]:
        if gewaehlt not in ids:
            gewaehlt = ids[0]
        if st.session_state.get("karte_raum") not in ids:
            st.session_state["karte_raum"] = gewaehlt
        wahl = st.selectbox(f"{ebene_name} für das Profil", ids,
                            format_func=lambda i: f"{namen[i]} ({i})", key="karte_raum")
        st.session_state["profil_raum"] = wahl
    with spalten[1]:
        st.write("")
        if st.button(f"Profil von {namen[wahl]} öffnen", key="karte_profil", icon=":material/person_pin:"):
            monitoring.oeffne_profil(wahl)

deeplinks.merken(indikator=ind, raum=st.session_state.get("karte_raum"))
deeplinks.teilen()
with st.expander("Tabelle der Werte", expanded=False):
    tabelle = kartentabelle(ansicht, ebene_name)
    st.dataframe(tabelle, hide_index=True, key="karte_tabelle")
    monitoring.download(tabelle, f"karte_{ind}_{auswahl.stichtag:%Y%m%d}.csv", "karte_csv", titel=ansicht.titel,
                        quellen=[str(m.indikatoren.at[ind, "quelle"])])

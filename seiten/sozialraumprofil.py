"""Sozialraumprofil: every indicator of one area, against the city, with its change."""

import streamlit as st

from fis import vergleichswerte as vgl
from fis.analysen import profil_tabelle
from fis.einordnung import bezug_indikator
from fis.format import dativ, fmt_datum, fmt_zahl, md
from fis.versorgung import sozialraeume_unter
from ui import cache, einordnung, einrichtungen, massnahmen, monitoring, prognose, sidebar
from ui import links as deeplinks

config = cache.config()
auswahl = sidebar.auswahl()
m = cache.monitoring(cache.data_version(), [])    # the Raumgliederung for the choice; values: profil_monitoring
ebene_name, ebene_plural = m.ebenen[auswahl.ebene]

st.title(f"{ebene_name}profil" if auswahl.ebene == 1 else f"Profil {ebene_name}")
deeplinks.uebernehmen("raum", "profil_raum")
links, rechts = st.columns(2)
with links:
    raum = monitoring.raum(m, auswahl.stichtag, auswahl.ebene, ebene_name, "profil_wahl",
                           standard=st.session_state.get("profil_raum"))
with rechts:
    namen = monitoring.raeume_der_ebene(m, auswahl.stichtag, auswahl.ebene)
    zweiter = st.selectbox("Vergleich mit (optional)", [None, *[i for i in namen.index if i != raum]],
                           key="profil_vergleich",
                           format_func=lambda i: "– kein Vergleich –" if i is None else f"{namen[i]} ({i})")
if raum is None:
    st.info(f"Am {fmt_datum(auswahl.stichtag)} gibt es keine {ebene_plural}.")
    st.stop()
st.session_state["profil_raum"] = raum
deeplinks.merken(raum=raum)
deeplinks.teilen()

ausschnitt = (cache.data_version(), auswahl.stichtag, tuple(filter(None, (raum, zweiter))))
m = cache.profil_monitoring(*ausschnitt)
jahre = config.lagebild.vergleich_jahre
daten = cache.profil(*ausschnitt, raum, jahre)
if daten.empty:
    mit_werten = sorted(set(m.auswahl(raum_id=raum)["stichtag"]))
    st.info(f"Für {md(namen.get(raum, raum))} ({raum}) gibt es am {fmt_datum(auswahl.stichtag)} keine Werte. "
            + (f"Stichtage mit Werten: {', '.join(fmt_datum(t) for t in mit_werten[-5:])} – bitte links einen davon "
               "wählen." if mit_werten else "Für dieses Gebiet wurden bisher keine Werte geliefert."),
            icon=":material/info:")
    st.stop()
st.caption(f"Stichtag {fmt_datum(auswahl.stichtag)} · Rang 1 = ungünstigster Wert unter allen {dativ(ebene_plural)} "
           "(bei neutralen Indikatoren: höchster; gleiche Werte teilen sich eine Spanne, z. B. „16–51 (gleich)“) · "
           "Index: Gesamtstadt = 100 (nicht bei Anzahlen und Salden) · (v) = vorläufig · "
           "„< n Fälle“ / „gesperrt“ = zum Schutz kleiner Fallzahlen nicht ausgewiesen")

if auswahl.ebene == 1:
    flags = cache.handlungsbedarf_profil(*ausschnitt, raum)
    if not flags.beurteilbar:
        st.info(f"Handlungsbedarf nach der Regel des Lagebilds {flags.text}", icon=":material/help:")
    elif flags.handlungsbedarf:
        st.error(f"**Handlungsbedarf**: {flags.text}", icon=":material/priority_high:")
    else:
        st.success(f"Kein Handlungsbedarf nach der Regel des Lagebilds: {flags.text}",
                   icon=":material/check_circle:")

eintraege = cache.einordnungen(cache.data_version(), auswahl.stichtag)
mit_text = [bezug_indikator(i) for i in daten["indikator_id"] if bezug_indikator(i) in eintraege]
if mit_text:
    with st.expander(f"Einordnung der Sozialplanung zu {len(mit_text)} dieser Indikatoren"):
        einordnung.anzeigen(eintraege, mit_text, m.indikatoren, titel="")

vergleich = cache.profil(*ausschnitt, zweiter, jahre) if zweiter else None
tabelle = profil_tabelle(daten, jahre, vergleich, namen.get(raum), namen.get(zweiter) if zweiter else None)
tabelle = vgl.mit_profilspalten(tabelle, daten, cache.vergleichswerte(cache.data_version()), auswahl.stichtag)
spalten = {
    "Verlauf": st.column_config.LineChartColumn("Verlauf", help="alle Stichtage bis zum gewählten"),
    "Rang": st.column_config.TextColumn("Rang", help="1 = ungünstigster Wert"),
}
for feld, teil in tabelle.groupby("Handlungsfeld", sort=False):
    st.markdown(f"#### {feld}")
    st.dataframe(teil.drop(columns="Handlungsfeld"), hide_index=True, column_config=spalten,
                 key=f"profil_{feld}")
monitoring.download(tabelle.drop(columns="Verlauf"), f"profil_{raum}_{auswahl.stichtag:%Y%m%d}.csv",
                    "profil_csv")

einrichtungen.profil_abschnitt(m, config, cache.data_version(), raum, auswahl.stichtag, ebene_name)
prognose.profil_abschnitt(m, raum, auswahl.stichtag, auswahl.ebene)
gebiet = set(sozialraeume_unter(m.raeume, raum, auswahl.stichtag))
massnahmen.im_gebiet(cache.massnahmen(cache.data_version()), gebiet, namen.get(raum, raum), auswahl.stichtag.year,
                     dict(m.namen()))
massnahmen.beteiligung_im_gebiet(cache.planung(cache.data_version()), gebiet, namen.get(raum, raum), dict(m.namen()))

st.subheader(f"Ähnliche {ebene_plural}")
st.caption("Nächste Nachbarn im Raum der standardisierten Quoten-Indikatoren (z-Werte über alle "
           f"{ebene_plural}; euklidischer Abstand; Anzahlen bleiben außen vor, weil sie die Größe messen).")
nachbarn = cache.aehnliche(*ausschnitt, raum)
if nachbarn.empty:
    st.info("Zu wenige vergleichbare Werte für eine Ähnlichkeitsanalyse.")
else:
    for row in nachbarn.itertuples():
        a, b = st.columns([4, 1])
        a.write(f"**{md(row.name)}** ({row.raum_id}) · Abstand {fmt_zahl(row.abstand, 2)}"
                f" über {row.indikatoren} Indikatoren")
        if b.button("Profil öffnen", key=f"profil_nachbar_{row.raum_id}"):
            st.session_state["profil_raum"] = row.raum_id
            st.session_state["profil_wahl"] = row.raum_id
            st.rerun()

"""Lagebild: the city's headline figures, Sozialräume with Handlungsbedarf, goals."""

import pandas as pd
import streamlit as st

from fis import vergleichswerte as vgl
from fis.controlling import ampel_je_zielfeld, schlechteste_ziele
from fis.datenstand import neuere_hinweis
from fis.einordnung import bezug_indikator
from fis.format import fmt_datum, fmt_differenz, fmt_wert, md
from ui import cache, controlling, einordnung, monitoring, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
lage = cache.lagebild(cache.data_version(), auswahl.stichtag, auswahl.ebene)
ebene = config.ebene(auswahl.ebene)
sozialraeume = config.ebene(1).plural

st.title(f"Lagebild {config.stadt.name}")
st.caption(f"Stichtag {fmt_datum(lage.stichtag)}" + (f" · Datenstand: {lage.stand}" if lage.stand else ""))
version = cache.data_version()
neuer = neuere_hinweis(cache.stichtagsstaende(version), cache.standard_stichtag(version))
if neuer and auswahl.stichtag == cache.standard_stichtag(version):
    st.info(neuer, icon=":material/update:")

st.subheader("Eckwerte der Gesamtstadt")
vergleich = cache.vergleichswerte(version)
FARBE = {"hoch_gut": "normal", "hoch_schlecht": "inverse", "neutral": "off"}
bezuege_vgl = {e.indikator_id: vgl.karten_text(vergleich, e.indikator_id, lage.stichtag, e.einheit,
                                              e.nachkommastellen) for e in lage.eckwerte}
# every card's caption gets a second line when any card has comparison values: the cards of a row stay aligned
mit_vgl = any(bezuege_vgl.values())


def zweite(i: str) -> str:
    return ("  \n" + (md(bezuege_vgl[i]) if bezuege_vgl[i] else "&nbsp;")) if mit_vgl else ""



spalten = st.columns(4)
for i, e in enumerate(lage.eckwerte):
    with spalten[i % 4]:
        unveraendert = (e.veraenderung_vorjahr is not None
                        and round(e.veraenderung_vorjahr, e.nachkommastellen) == 0)
        if not e.unvollstaendig and (e.wert is None or pd.isna(e.wert)):
            st.metric(e.name, "–", border=True,
                      help="Zu diesem Stichtag liegt für die Gesamtstadt kein Wert vor (nicht geliefert oder als "
                           "Anteil ohne Zähler und Nenner, der sich nicht zusammenfassen lässt).")
            st.caption("kein Wert zu diesem Stichtag" + zweite(e.indikator_id))
            continue
        if e.unvollstaendig:
            # a sum over some areas only: its coverage, no change, no trend
            st.metric(e.name, fmt_wert(e.wert, e.einheit, e.nachkommastellen), border=True,
                      help=f"Nicht alle {sozialraeume} haben an diesem Stichtag Werte geliefert; ohne sie "
                           "wäre der Wert der Gesamtstadt erfunden.")
            st.caption(f"unvollständig: Werte für {e.abdeckung}" + zweite(e.indikator_id))
            continue
        st.metric(
            e.name, fmt_wert(e.wert, e.einheit, e.nachkommastellen),
            # ASCII minus: Streamlit reads the sign of the text for the arrow.
            delta=(fmt_differenz(e.veraenderung_vorjahr, e.einheit, e.nachkommastellen).replace("−", "-")
                   if e.veraenderung_vorjahr is not None and pd.notna(e.veraenderung_vorjahr) else None),
            delta_color="off" if unveraendert else FARBE[e.polaritaet],
            delta_arrow="off" if unveraendert else "auto", delta_description="zum Vorjahr",
            chart_data=list(e.verlauf) or None, border=True,
            help=f"Seit {e.vergleichsjahr}: "
                 f"{fmt_differenz(e.veraenderung_vergleich, e.einheit, e.nachkommastellen)}",
        )
        status = "vorläufig" if e.status == "vorläufig" else "endgültig"
        st.caption(f"{status} · seit {e.vergleichsjahr}: "
                   f"{fmt_differenz(e.veraenderung_vergleich, e.einheit, e.nachkommastellen)}" + zweite(e.indikator_id))

tabelle_vgl = vgl.vergleichstabelle(vergleich, lage.eckwerte, lage.stichtag, config.stadt.name)
if len(tabelle_vgl):
    with st.expander("Im Vergleich mit Land, Bund und Vergleichsring", icon=":material/compare_arrows:"):
        st.dataframe(tabelle_vgl, hide_index=True, key="lagebild_vergleich")
        st.caption("Werte von Land, Bund und Vergleichskommunen im Jahr des Stichtags (Datenpflege › "
                   "Vergleichswerte). Rang 1 = geringste Belastung unter den Kommunen des Vergleichsrings.")

eintraege = cache.einordnungen(version, auswahl.stichtag)
bezuege = ["lagebild", *[bezug_indikator(e.indikator_id) for e in lage.eckwerte]]
einordnung.anzeigen(eintraege, bezuege, cache.katalog(version))
einordnung.bearbeiten(bezuege, auswahl.stichtag, cache.katalog(version), "lb_einordnung")

if lage.nicht_beurteilbar:
    st.subheader(f"{sozialraeume} mit Handlungsbedarf")
    st.info(f"Handlungsbedarf am {fmt_datum(lage.stichtag)} {lage.nicht_beurteilbar}.", icon=":material/help:")
    st.caption(lage.regel)
else:
    st.subheader(f"{sozialraeume} mit Handlungsbedarf: {len(lage.handlungsbedarf)} "
                 f"von {lage.anzahl_sozialraeume}")
    st.caption(lage.regel + " ▲ = auffälliger Kernindikator.")
    if lage.handlungsbedarf.empty:
        st.success(f"Am {fmt_datum(lage.stichtag)} erfüllt kein Gebiet die Regel.", icon=":material/check_circle:")
    else:
        st.dataframe(lage.handlungsbedarf.drop(columns="raum_id"), hide_index=True,
                     key="lagebild_handlungsbedarf")
    monitoring.download(lage.handlungsbedarf.drop(columns="raum_id"),
                        f"handlungsbedarf_{auswahl.stichtag:%Y%m%d}.csv", "lagebild_hb_csv",
                        titel=f"{sozialraeume} mit Handlungsbedarf {fmt_datum(auswahl.stichtag)}")

st.subheader("Zielsystem")
c = cache.controlling(version)
bewertung = cache.bewertung(version, auswahl.stichtag.year)
ampeln = ampel_je_zielfeld(c.ziele, bewertung).set_index("zielfeld")
gesamt = ampeln.sum()
st.markdown(f"Bewertet für {auswahl.stichtag.year}: " + controlling.chips(gesamt.to_dict()),
            unsafe_allow_html=True)        # palette colours and counts only
spalten = st.columns(4)
for spalte, (_, z) in zip(spalten, lage.ziele.iterrows(), strict=True):
    spalte.metric(z["zielfeld"], f"{z['ziele']} Ziele", border=True,
                  help="Ziele im Zielfeld nach KGSt")
    spalte.markdown(controlling.chips(ampeln.loc[z["zielfeld"]].to_dict(), nur_vorhandene=True) or "–",
                    unsafe_allow_html=True)
    spalte.caption(f"{z['messbar']} messbar · {z['faellig']} mit Zieldatum bis zum Stichtag · "
                   f"{z['laufend']} laufend")
schlimm = schlechteste_ziele(bewertung)
if len(schlimm):
    st.markdown("**Am weitesten vom Ziel**")
    st.dataframe(controlling.ampel_stil(pd.DataFrame({
        "Ampel": schlimm["ampel"].map(controlling.SYMBOL), "Ziel": schlimm["ziel_id"] + " " + schlimm["titel"],
        "Begründung": schlimm["text"]})), hide_index=True, key="lagebild_ziele_rot",
        column_config={"Begründung": st.column_config.TextColumn(width="large")})

st.subheader(f"Eckwerte je {ebene.name}")
st.caption("(v) = vorläufiger Wert · „< n Fälle“ = wegen kleiner Fallzahl unterdrückt · „gesperrt“ = "
           "geschützt, damit kein kleiner Wert zurückgerechnet werden kann · „–“ = kein Wert geliefert")
st.dataframe(lage.raumtabelle, hide_index=True, key="lagebild_raumtabelle")
monitoring.download(lage.raumtabelle, f"eckwerte_{auswahl.stichtag:%Y%m%d}.csv", "lagebild_raum_csv",
                    titel=f"Eckwerte je {ebene.name} {fmt_datum(auswahl.stichtag)}")

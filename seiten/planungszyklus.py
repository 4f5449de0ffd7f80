"""Planungszyklus: where each Handlungsfeld or Fachplanung stands in the planning cycle, which Fortschreibung is
overdue, and the participation that carries the cycle (Sozialraumkonferenzen, Fachkonferenzen, Bürgerbeteiligung,
Trägerrunden)."""

from datetime import date

import streamlit as st

from fis import planung as pl
from fis.format import fmt_datum, fmt_zahl, md
from fis.ingest.planung import ARTEN, PHASEN
from ui import cache, monitoring, sidebar
from ui import planung as formulare
from ui.datenpflege.gemeinsam import meldung
from ui.zugang import darf_aktuell

version = cache.data_version()
p = cache.planung(version)
heute = date.today()
st.title("Planungszyklus")
meldung()
st.caption("Der Kreislauf der Sozialplanung (KGSt-Handbuch, Abb. 7): " + " → ".join(PHASEN)
           + ". ✓ abgeschlossen · ● aktuelle Phase mit Beginn · ⚠ Fortschreibung überfällig.")
if p.zyklus.empty:
    st.info("Es ist noch kein Planungsbereich erfasst.", icon=":material/info:")
else:
    k = st.columns(4)
    faellig = pl.ueberfaellig(p, heute)
    k[0].metric("Planungsbereiche", len(p.zyklus))
    k[1].metric("Fortschreibung überfällig", len(faellig))
    jahr = sidebar.auswahl().stichtag.year
    z = pl.zaehlung(p, jahr)
    k[2].metric(f"Beteiligungen {jahr}", sum(z[a] for a in ARTEN))
    k[3].metric(f"Teilnehmende {jahr}", fmt_zahl(z["Teilnehmende"], 0))
    for r in faellig.itertuples():
        st.warning(f"**{md(r.bereich)}**: Fortschreibung war am {fmt_datum(r.fortschreibung_faellig)} fällig "
                   f"(Phase {r.phase})." + (f" {md(r.bemerkung)}" if isinstance(r.bemerkung, str) else ""),
                   icon=":material/event_busy:")
    st.markdown(formulare.zyklus_html(p, heute), unsafe_allow_html=True)   # escaped texts, palette colours
    tabelle = pl.zyklustabelle(p, heute)
    with st.expander("Als Tabelle"):
        st.dataframe(formulare.zyklus_stil(tabelle), hide_index=True, key="pz_tabelle")
        monitoring.download(tabelle, "planungszyklus.csv", "pz_csv", titel="Planungszyklus")

st.subheader("Beteiligung")
m = cache.monitoring(version, [])
namen = dict(m.namen())
if p.beteiligung.empty:
    st.info("Es ist noch keine Beteiligung erfasst.", icon=":material/info:")
else:
    f = st.columns([2, 1])
    arten = f[0].multiselect("Art", ARTEN, key="pz_arten", placeholder="alle Arten")
    jahre = sorted({t.year for t in p.beteiligung["datum"] if t}, reverse=True)
    jahr_b = f[1].selectbox("Jahr", [None, *jahre], key="pz_jahr", format_func=lambda j: "alle Jahre" if j is None
                            else str(j))
    auswahl = pl.beteiligungen(p, arten, jahr_b)
    t = pl.beteiligungstabelle(p, auswahl, namen)
    st.dataframe(t, hide_index=True, key="pz_beteiligung", height=min(36 * (len(t) + 1), 460),
                 column_config={"Titel": st.column_config.TextColumn(width="medium"),
                                "Ergebnisse": st.column_config.TextColumn(width="medium")})
    monitoring.download(t, "beteiligung.csv", "pz_b_csv", titel="Beteiligung")
    st.caption("Teilnehmende nur als Anzahl je Gruppe – ohne Namen oder Kontaktdaten.")

if darf_aktuell("hochladen"):
    st.subheader("Pflegen")
    formulare.pflegen(p, namen, dict(monitoring.raeume_der_ebene(m, sidebar.auswahl().stichtag, 1)))

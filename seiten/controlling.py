"""Controlling: the Abweichungsbericht – only the deviations, by severity and organisation."""

import streamlit as st

from fis import gegensteuerung as gs
from fis import massnahmen as mn
from fis.ampel import ABWEICHEND, Ampel
from fis.controlling import abweichungsbericht
from fis.format import fmt_datum, fmt_euro, fmt_prozent
from fis.hochrechnung import MONATE, RHYTHMEN, berichtsdatum, berichtsstand
from ui import cache, controlling, sidebar
from ui.datenpflege.gemeinsam import meldung
from ui.zugang import darf_aktuell

config = cache.config()
version = cache.data_version()
c = cache.controlling(version)

st.title("Controlling")
meldung()
if c.ziele.empty and c.tep.empty:
    st.info("Es sind weder Ziele noch Haushaltsdaten erfasst; beides wird in der Datenpflege geliefert.")
    st.stop()
rhythmus = st.segmented_control("Bericht", list(RHYTHMEN), default="Quartal", key="ctl_rhythmus",
                                format_func=lambda r: RHYTHMEN[r]) or "Quartal"
jahr, monat = berichtsstand(c, rhythmus)
stand = berichtsdatum(jahr, monat)
# goals: the year of the sidebar's Stichtag (as on the page Ziele); budget: the latest month
ziel_jahr = sidebar.auswahl().stichtag.year
b = cache.bewertung(version, ziel_jahr)
zeilen = cache.haushaltszeilen(version, jahr, monat)
gegen = cache.gegensteuerung(version, ziel_jahr)
bericht = abweichungsbericht(c, b, zeilen, rhythmus, mn.kurz_je_ziel(cache.massnahmen(version)),
                             {z: gs.satz(e) for z, e in gegen.items()})

st.subheader(f"Abweichungsbericht zum {fmt_datum(stand)}")
regel = config.controlling.haushalt
st.caption(f"Ziele: Soll-Ist des Berichtsjahres {ziel_jahr} (Jahr des Stichtags in der Seitenleiste) nach der "
           f"Ampel-Regeltabelle; Ziele mit früherem Zieldatum endgültig zum Zieldatum · Haushalt: Hochrechnung des "
           f"Monats-Ist Januar–{MONATE[monat - 1]} {jahr} auf das Jahresende "
           f"({'saisonal nach dem Vorjahresprofil' if regel.methode == 'saisonal' else 'linear'}) gegen den "
           f"Ansatz; gelb ab {fmt_prozent(regel.gelb_prozent, 0)}, rot ab {fmt_prozent(regel.rot_prozent, 0)} "
           f"ungünstiger Abweichung und mindestens {fmt_euro(regel.mindestbetrag)}")

abw = bericht[bericht["ampel"].isin(ABWEICHEND)]
k = st.columns(4)
k[0].metric(f"{Ampel.ROT.symbol} Ziele", int(((abw["art"] == "Ziel") & (abw["ampel"] == Ampel.ROT)).sum()),
            border=True)
k[1].metric(f"{Ampel.GELB.symbol} Ziele", int(((abw["art"] == "Ziel") & (abw["ampel"] == Ampel.GELB)).sum()),
            border=True)
k[2].metric("Haushaltszeilen mit Abweichung", int((abw["art"] == "Haushalt").sum()), border=True,
            help=f"von {len(zeilen)} Zeilen mit Monats-Ist")
k[3].metric("Ziele ohne aktuelles Ist", int((bericht["ampel"] == Ampel.GRAU).sum()), border=True)

if abw.empty:
    st.success("Keine Abweichungen: alle Ziele und Haushaltszeilen liegen im Rahmen.")
for gruppe, teil in abw.groupby("gruppe", sort=False):
    st.markdown(f"#### {gruppe}")
    for untergruppe, zeilen_u in teil.groupby("untergruppe", sort=False):
        st.markdown(f"**{untergruppe}**")
        st.table(controlling.ampel_stil(controlling.berichtstabelle(zeilen_u).set_index("Ampel")))  # wrapped

grau = bericht[bericht["ampel"] == Ampel.GRAU]
if len(grau):
    with st.expander(f"Ziele ohne aktuellen Ist-Wert ({len(grau)})"):
        st.dataframe(controlling.ampel_stil(controlling.berichtstabelle(grau)), hide_index=True, key="ctl_grau")
controlling.download(controlling.berichtstabelle(bericht, mit_gruppen=True),
                     f"abweichungsbericht_{stand:%Y%m%d}.csv", "ctl_csv",
                     titel=f"Abweichungsbericht {fmt_datum(stand)}")
abweichende_ziele = abw[abw["art"] == "Ziel"]
if len(abweichende_ziele) and darf_aktuell("ziele_bearbeiten"):
    controlling.gegensteuerung_formular(abweichende_ziele, ziel_jahr, gegen)

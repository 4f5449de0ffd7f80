"""Zusammenhänge: two indicators across the areas of a level, with correlation."""

import streamlit as st

from fis.analysen import beschreibe_korrelation, zusammenhang
from fis.charts import streudiagramm
from fis.format import fmt_datum, fmt_zahl
from ui import cache, links, monitoring, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
katalog = cache.katalog(version)
ebene_name, ebene_plural = config.ebene(auswahl.ebene).name, config.ebene(auswahl.ebene).plural
kern = list(config.lagebild.handlungsbedarf.indikatoren)

st.title("Zusammenhänge")
a, b = st.columns(2)
with a:
    links.uebernehmen("x", "zh_x")
    links.uebernehmen("y", "zh_y")
    x = monitoring.indikator(katalog, "x-Achse", "zh_x", kern + list(config.lagebild.kennzahlen), auswahl.stichtag)
with b:
    y = monitoring.indikator(katalog, "y-Achse", "zh_y", [k for k in kern + list(config.lagebild.kennzahlen)
                                                    if k != x], auswahl.stichtag)
m = cache.monitoring(version, [x, y])         # only these two: a large city need not wait for all
namen = monitoring.raeume_der_ebene(m, auswahl.stichtag, auswahl.ebene)
start = [r for r in [st.session_state.get("profil_raum")] if r in namen.index]
markiert = st.multiselect(f"{ebene_plural} hervorheben", list(namen.index), default=start,
                          format_func=lambda i: f"{namen[i]} ({i})", key="zh_markiert")

z = zusammenhang(m, x, y, auswahl.stichtag, auswahl.ebene)
mx, my = m.meta(x), m.meta(y)
st.subheader(f"{mx['kurzname']} und {my['kurzname']} je {ebene_name}, {fmt_datum(auswahl.stichtag)}")
if z.n < 3:
    st.info(f"Nur {z.n} {ebene_plural} haben für beide Indikatoren einen Wert – zu wenige für eine "
            "Korrelation.")
    st.stop()
k = st.columns(4)
k[0].metric(f"{ebene_plural}", fmt_zahl(z.n, 0), border=True,
            help="Gebiete mit Werten für beide Indikatoren (unterdrückte Werte ausgenommen)")
k[1].metric("Pearson r", fmt_zahl(z.pearson, 2), border=True,
            help=f"linearer Zusammenhang; p = {fmt_zahl(z.pearson_p, 3)}")
k[2].metric("Spearman ρ", fmt_zahl(z.spearman, 2), border=True,
            help=f"Rangkorrelation, robust gegen Ausreißer; p = {fmt_zahl(z.spearman_p, 3)}")
k[3].metric("R²", fmt_zahl(z.r2, 2), border=True, help="Anteil der erklärten Streuung der Regressionsgeraden")
st.caption(f"{beschreibe_korrelation(z.pearson, gross=True)} (Pearson) · Regressionsgerade: "
           f"{my['kurzname']} = {fmt_zahl(z.achsenabschnitt, 2)} {'+' if z.steigung >= 0 else '−'} "
           f"{fmt_zahl(abs(z.steigung), 3)} × {mx['kurzname']} · Ein Zusammenhang ist kein Beleg für eine "
           f"Ursache. Quellen: {mx['quelle']}; {my['quelle']}")
st.altair_chart(streudiagramm(z.daten, mx, my, z.steigung, z.achsenabschnitt, markiert), key="zh_chart")
links.merken(x=x, y=y)
links.teilen()
tabelle = z.daten.rename(columns={"raum_id": "Nr.", "name": ebene_name, "x": mx["kurzname"],
                                  "y": my["kurzname"]})
with st.expander("Tabelle der Werte"):
    st.dataframe(tabelle, hide_index=True, key="zh_tabelle")
    monitoring.download(tabelle, f"zusammenhang_{x}_{y}.csv", "zh_csv")

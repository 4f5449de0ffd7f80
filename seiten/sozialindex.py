"""Sozialindex: a configured composite index on the map and as a table, with its drivers."""

import altair as alt
import pandas as pd
import streamlit as st

from fis.charts import zahl_label
from fis.format import dativ, fmt_datum, fmt_zahl
from fis.indizes import (
    HINWEIS_NUR_KLASSEN,
    indextabelle,
    kartendaten,
    komponenten_oeffentlich,
    methode_text,
    stichtage,
    vorheriger_stichtag,
)
from fis.kartenansicht import legende_html
from fis.maps import deck
from fis.palette import BEITRAG_BELASTEND, BEITRAG_ENTLASTEND
from ui import cache, controlling, sidebar
from ui import links as deeplinks

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
st.title("Sozialindex")
if not config.indizes.indizes:
    st.info("Es ist kein Index konfiguriert (indizes.yaml im Konfigurationsordner).")
    st.stop()
# the components of the configured indices only: a large city need not wait for all indicators
daten = cache.indexdaten(version, cache.index_indikatoren())
m = cache.monitoring(version, cache.index_indikatoren())
indizes = {ix.id: ix for ix in config.indizes.indizes}
deeplinks.uebernehmen("index", "si_index")
oben = st.columns([2, 1])
ix = indizes[oben[0].selectbox("Index", list(indizes), format_func=lambda i: indizes[i].name, key="si_index")]
tage = stichtage(daten, ix)
if not tage:
    st.warning("Für diesen Index fehlen an jedem Stichtag Werte einer Komponente.")
    st.stop()
vorgabe = max([t for t in tage if t <= auswahl.stichtag] or tage[:1])
stichtag = oben[1].selectbox("Stichtag", tage, index=tage.index(vorgabe), format_func=fmt_datum, key="si_tag")
e = cache.indexergebnis(version, ix.id, stichtag)
vor = vorheriger_stichtag(daten, ix, stichtag)
e_vor = cache.indexergebnis(version, ix.id, vor) if vor else None
if e_vor is not None and not set(e_vor.werte["raum_id"]) & set(e.werte["raum_id"]):
    st.caption(f"Die vorige Ausgabe ({fmt_datum(vor)}) hat einen anderen Gebietszuschnitt: kein Klassenvergleich.")
    e_vor = None
namen = m.namen()
ebene_name, ebene_plural = m.ebenen[ix.ebene]

st.caption(methode_text(ix, m.indikatoren["kurzname"].to_dict()))
if e.nur_klassen:
    st.info(HINWEIS_NUR_KLASSEN)
else:
    st.caption("Intern: Indexwerte und Beiträge aus allen Werten. Ausschuss und Öffentlichkeit sehen nur Klassen, "
               "wo Werte gesperrte kleine Fallzahlen verrieten.")
geo = cache.geometrien(version, stichtag, ix.ebene)
karte, legende = kartendaten(e, geo, namen)
links, rechts = st.columns([4, 1.3])
with links:
    st.pydeck_chart(deck(karte, "{name} ({raum_id})\n{anzeige}", hoehe=560), height=560, key="si_karte")
with rechts:
    st.html(legende_html(f"{ix.name}, {fmt_datum(stichtag)}", legende))

deeplinks.merken(index=ix.id)
deeplinks.teilen()
tabelle = indextabelle(e, namen, e_vor)
if e_vor is not None:
    wechsel = tabelle["Veränderung"].value_counts()
    st.markdown(f"**Gegenüber {fmt_datum(vor)}:** " + " · ".join(
        f"{n} {int(wechsel.get(n, 0))}" for n in ("besser", "gleich", "schlechter", "neu")))
st.dataframe(tabelle, hide_index=True, key="si_tabelle")
controlling.download(tabelle, f"{ix.id}_{stichtag:%Y%m%d}.csv", "si_csv", titel=f"{ix.name} {fmt_datum(stichtag)}")

st.subheader("Was den Wert treibt")
rang = {k.label: i for i, k in enumerate(ix.klassen)}
bewertet = e.werte[e.werte["einbezogen"]].assign(_rang=lambda w: w["klasse"].map(rang)).sort_values(
    ["_rang", "wert", "raum_id"], ascending=[False, False, True], na_position="last")
raum = st.selectbox(ebene_name, bewertet["raum_id"].tolist(), format_func=lambda r: f"{namen.get(r, r)} ({r})",
                    key="si_raum")
if e.nur_klassen:
    # published component values beside the city's instead of contributions (these would reveal hidden cells)
    st.dataframe(komponenten_oeffentlich(m, ix, stichtag, raum), hide_index=True, key="si_komponenten")
    st.caption("Veröffentlichte Werte der Komponenten im Vergleich mit der Gesamtstadt; „belastend“ = in Richtung "
               "höherer Belastung.")
    st.stop()
b = e.beitraege.loc[raum]
treiber = pd.DataFrame({"Indikator": [m.indikatoren.at[i, "kurzname"] for i in b.index], "Beitrag": b.values,
                        "Text": [fmt_zahl(v, 2) for v in b.values]})
st.altair_chart(alt.Chart(treiber).mark_bar().encode(
    x=alt.X("Beitrag:Q", title="Beitrag zum Index (gewichteter standardisierter Wert)",
            axis=alt.Axis(labelExpr=zahl_label(1))),
    y=alt.Y("Indikator:N", sort="-x", title=None),
    color=alt.condition("datum.Beitrag > 0", alt.value(BEITRAG_BELASTEND), alt.value(BEITRAG_ENTLASTEND)),
    tooltip=["Indikator:N", "Text:N"]).properties(height=40 * len(treiber) + 40), key="si_treiber")
st.caption(f"Positive Beiträge (rot) heben die Belastung über den Durchschnitt der bewerteten "
           f"{dativ(ebene_plural)}, negative (blau) senken sie.")

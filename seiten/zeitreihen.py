"""Zeitreihen: an indicator over time for chosen areas against their parents and the city."""

import pandas as pd
import streamlit as st

from fis import prognose
from fis import vergleichswerte as vgl
from fis.analysen import gebietsreformen, trend_tabelle, zeitreihe_werte
from fis.charts import zeitreihe
from fis.format import fmt_datum
from fis.monitoring import TREND_METHODE
from ui import cache, links, monitoring, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
katalog = cache.katalog(version)
ebene_name, ebene_plural = config.ebene(auswahl.ebene).name, config.ebene(auswahl.ebene).plural

st.title("Zeitreihen")
links.uebernehmen("indikator", "zr_indikator")
ind = monitoring.indikator(katalog, "Indikator", "zr_indikator", list(config.lagebild.kennzahlen), auswahl.stichtag)
m = cache.monitoring(version, [ind])          # only this indicator: a large city need not wait for all
namen = monitoring.raeume_der_ebene(m, auswahl.stichtag, auswahl.ebene)
start = [st.session_state["profil_raum"]] if st.session_state.get("profil_raum") in namen.index else []
if not start and auswahl.ebene < m.top:
    start = list(namen.index[:2])
gebiete = st.multiselect(f"{ebene_plural} (Gebietsstand {fmt_datum(auswahl.stichtag)})", list(namen.index),
                         default=[g for g in st.session_state.get("zr_gebiete_wahl", start) if g in namen.index],
                         max_selections=6,
                         format_func=lambda i: f"{namen[i]} ({i})", key="zr_gebiete")
st.session_state["zr_gebiete_wahl"] = gebiete
oberebenen = st.toggle("Übergeordnete Gebiete und Gesamtstadt zeigen", value=True, key="zr_oben")
if not gebiete:
    gebiete = [m.stadt_id(auswahl.stichtag)]
    oberebenen = False

meta = m.meta(ind)
reihe = zeitreihe_werte(m, ind, gebiete, oberebenen)
referenzen = vgl.reihen(cache.vergleichswerte(version), ind, m.top + 1)
if len(referenzen) and st.toggle(f"Vergleichswerte zeigen ({', '.join(dict.fromkeys(referenzen['name']))})",
                                 value=True, key="zr_vergleich"):
    bild = pd.concat([reihe, referenzen], ignore_index=True)
else:
    bild = reihe
reformen = gebietsreformen(m)
st.subheader(f"{meta['name']} ({meta['einheit']})")
st.caption(f"Quelle: {meta['quelle']} · durchgezogen = Auswahl, gestrichelt = übergeordnete Ebenen · "
           "△ = vorläufiger Wert · graue Striche an der Achse = Wert wegen kleiner Fallzahl unterdrückt · "
           "senkrechte Linie = neuer Gebietszuschnitt · gepunktet = Vergleichswerte von außen"
           + (" · Anzahl: ohne übergeordnete Gebiete, deren Summen keine Vergleichsgröße sind"
              if meta["aggregation"] == "summe" and oberebenen else "")
           + (" · gestrichelter Kreis ohne Linie = Summe, für die nicht alle Sozialräume geliefert haben"
              if reihe["abdeckung"].ne("").any() else ""))
vorschau = prognose.reihen(cache.prognosen(version), ind, gebiete) if auswahl.ebene == 1 else None
if vorschau is not None and len(vorschau) and not st.toggle("Bevölkerungsvorausberechnung zeigen", value=True,
                                                            key="zr_prognose"):
    vorschau = None
st.altair_chart(zeitreihe(bild, meta, reformen, prognose=vorschau), key="zr_chart")
if vorschau is not None and len(vorschau):
    st.caption("Gestrichelt ab dem Basisjahr: Bevölkerungsvorausberechnung (Basisvariante), die Fläche die Spanne "
               "der Varianten – eine Prognose, kein beobachteter Wert (Datenpflege › Prognosen).")

links.merken(indikator=ind)
links.teilen()
jahre = st.slider("Trend über die letzten … Stichtage", 3, 10, 5, key="zr_trend_jahre")
st.markdown("**Trend je Gebiet**")
st.caption(TREND_METHODE.format(n=jahre))
tabelle = trend_tabelle(m, reihe, ind, jahre)
st.dataframe(tabelle, hide_index=True, key="zr_trend")
monitoring.download(tabelle, f"trend_{ind}.csv", "zr_csv", titel=f"Trend {meta['name']}",
                    quellen=[str(meta["quelle"])])

st.subheader("Mehrere Indikatoren im Vergleich")
weitere = st.multiselect("Indikatoren (kleine Vielfache)", list(katalog.index),
                         default=[i for i in config.lagebild.kennzahlen[:3] if i in katalog.index],
                         max_selections=9, key="zr_vielfache",
                         format_func=lambda i: katalog.at[i, "kurzname"])
if weitere:
    st.vega_lite_chart(spec=cache.kleine_vielfache(version, tuple(weitere), tuple(gebiete), oberebenen),
                       key="zr_vielfache_chart")

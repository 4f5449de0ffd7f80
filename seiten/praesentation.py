"""Präsentation: the configured sequence of views for a committee session on a projector.
Large type, sidebar hidden, only published (suppressed) figures, no editing controls;
stepped with two buttons, the slide number lives in the URL (?folie=2)."""

from pathlib import Path

import streamlit as st

from fis import controlling as ctl
from fis.charts import zeitreihe
from fis.controlling import AMPEL_SYMBOL
from fis.format import fmt_datum, fmt_differenz, fmt_wert, md
from fis.indizes import berechne_aus, kartendaten, stichtage
from fis.maps import deck, kartenansicht, legende_html
from fis.monitoring import gebietsreformen, profil, profil_tabelle, zeitreihe_werte
from fis.palette import SCHWARZ
from fis.praesentation import kopf
from ui import cache

st.html(f"<style>{Path(__file__).parents[1].joinpath('ui', 'praesentation.css').read_text(encoding='utf-8')}</style>")
config = cache.config()
# the committee sees published deliveries only, whoever runs the projector
version = cache.data_version(oeffentlich=True)
folien = config.praesentation.folien
try:
    start = int(st.query_params.get("folie", "1")) - 1
except ValueError:
    start = 0
if "pr_folie" not in st.session_state:
    st.session_state["pr_folie"] = min(max(start, 0), len(folien) - 1)
nr = st.session_state["pr_folie"]
folie = folien[nr]
st.query_params["folie"] = str(nr + 1)
# the values this slide needs (a profile shows every indicator): a large city need not wait for all
m = cache.monitoring(version) if folie.ansicht == "profil" else \
    cache.monitoring(version, [*([folie.indikator] if folie.indikator else []), *cache.lagebild_indikatoren(),
                               *cache.index_indikatoren()])
stichtag = st.session_state.get("auswahl_stichtag")
if stichtag not in m.stichtage:
    stichtag = cache.standard_stichtag(version) or m.stichtage[-1]

lage = bewertung = index_name = None
if folie.ansicht == "eckwerte":
    lage = cache.lagebild(version, stichtag, 1)
elif folie.ansicht == "ziele":
    c = cache.controlling(version)
    bewertung = cache.bewertung(version, ctl.berichtsstand(c)[0])
elif folie.ansicht == "sozialindex":
    ix = next(i for i in config.indizes.indizes if i.id == (folie.index or config.indizes.indizes[0].id))
    index_name = ix.name
k = kopf(folie, config, m, stichtag, lage=lage, bewertung=bewertung, index_name=index_name)
st.title(md(k.titel))
if k.aussage:
    st.markdown(f"**{k.aussage}**")

if folie.ansicht == "eckwerte":
    spalten = st.columns(4)
    for i, e in enumerate(lage.eckwerte[:8]):
        spalten[i % 4].metric(e.name, fmt_wert(e.wert, e.einheit, e.nachkommastellen) + (
            " (v)" if e.status == "vorläufig" else ""), border=True,
            delta=fmt_differenz(e.veraenderung_vorjahr, e.einheit, e.nachkommastellen).replace("−", "-"),
            delta_color="off", delta_arrow="off", delta_description="zum Vorjahr")
elif folie.ansicht == "karte":
    geo = cache.geometrien(version, stichtag, 1)
    ansicht = kartenansicht(m, geo, folie.indikator, stichtag, 1)
    links, rechts = st.columns([3, 1.4])
    links.pydeck_chart(deck(ansicht.daten, ansicht.tooltip, hoehe=720), height=720, key="pr_karte")
    rechts.html(legende_html(f"{fmt_datum(stichtag)}", ansicht.legende))
    rechts.caption(ansicht.untertitel)
elif folie.ansicht == "zeitreihe":
    oben = sorted(m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == 2)]["raum_id"]) \
        if m.top > 2 else [m.stadt_id(stichtag)]
    chart = zeitreihe(zeitreihe_werte(m, folie.indikator, oben), m.meta(folie.indikator), gebietsreformen(m),
                      hoehe=620)
    st.altair_chart(chart.configure_axis(labelFontSize=22, titleFontSize=24, labelColor=SCHWARZ, titleColor=SCHWARZ)
                    .configure_legend(labelFontSize=22, symbolSize=200, columns=5, labelLimit=420,
                                      labelColor=SCHWARZ), theme=None, key="pr_zeitreihe")
    st.caption(f"Quelle: {m.meta(folie.indikator)['quelle']} · gestrichelt = {m.ebenen[m.top][0]}")
elif folie.ansicht == "sozialindex":
    daten = cache.indexdaten(version, cache.index_indikatoren())
    tage = [t for t in stichtage(daten, ix) if t <= stichtag] or stichtage(daten, ix)
    e = berechne_aus(daten, config, ix, tage[-1])
    karte, legende = kartendaten(e, cache.geometrien(version, tage[-1], ix.ebene), m.namen())
    links, rechts = st.columns([3, 1.4])
    links.pydeck_chart(deck(karte, "{name} ({raum_id})\n{anzeige}", hoehe=720), height=720, key="pr_index")
    rechts.html(legende_html(f"{ix.name}, {fmt_datum(tage[-1])}", legende))
elif folie.ansicht == "ziele":
    rot = bewertung[bewertung["ampel_eigen"].isin(["rot", "gelb"])].sort_values(
        "ampel_eigen", key=lambda s: s.map(ctl.AMPEL_RANG), ascending=False)
    st.table(rot.assign(Ampel=rot["ampel_eigen"].map(AMPEL_SYMBOL), Ziel=rot["ziel_id"] + " " + rot["titel"],
                        Begründung=rot["text"])[["Ampel", "Ziel", "Begründung"]].head(8).set_index("Ampel"))
else:
    d = profil(m, folie.raum, stichtag)
    t = profil_tabelle(d, 5, name="Wert")
    st.table(t[["Indikator", "Wert", "Gesamtstadt", "Abweichung"]].head(10).set_index("Indikator"))

st.divider()
unten = st.columns([1, 1, 3, 1])
if unten[0].button("◀ Zurück", key="pr_zurueck", disabled=nr == 0, width="stretch"):
    st.session_state["pr_folie"] = nr - 1
    st.rerun()
if unten[1].button("Weiter ▶", key="pr_weiter", disabled=nr == len(folien) - 1, type="primary", width="stretch"):
    st.session_state["pr_folie"] = nr + 1
    st.rerun()
unten[2].markdown(f"Folie {nr + 1} von {len(folien)} · {config.stadt.name} · Stand {fmt_datum(stichtag)}")
if unten[3].button("Beenden", key="pr_ende", width="stretch"):
    st.session_state.pop("pr_folie", None)
    st.query_params.clear()
    st.switch_page("seiten/lagebild.py")

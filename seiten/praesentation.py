"""Präsentation: the configured sequence of views for a committee session on a projector.
Large type scaled to the projector (ui/praesentation.css), sidebar hidden, only published (suppressed)
figures, no editing controls; stepped with buttons, arrow keys or a presenter clicker; the slide number
lives in the URL (?folie=2)."""

from pathlib import Path

import pandas as pd
import streamlit as st

from fis.analysen import gebietsreformen, profil, profil_tabelle, zeitreihe_werte
from fis.charts import zeitreihe
from fis.format import fmt_datum, fmt_differenz, fmt_wert, md
from fis.indizes import kartendaten, stichtage
from fis.kartenansicht import kartenansicht, legende_html
from fis.maps import deck
from fis.palette import AMPEL_SYMBOL, SCHWARZ, gestaltung
from fis.praesentation import PROFIL_ZEILEN, ZIELE_JE_FOLIE, abweichende_ziele, folien_bezug, folien_planen, kopf
from ui import cache, controlling, tasten
from ui.gestaltung import logo_html

config = cache.config()
st.html(f"<style>{Path(__file__).parents[1].joinpath('ui', 'praesentation.css').read_text(encoding='utf-8')}</style>"
        + logo_html(gestaltung(config), "fis-folienlogo"))
# the committee sees published deliveries only, whoever runs the projector
version = cache.data_version(oeffentlich=True)
m = cache.monitoring(version, [*cache.lagebild_indikatoren(), *cache.index_indikatoren(),
                               *[f.indikator for f in config.praesentation.folien if f.indikator]])
stichtag = st.session_state.get("auswahl_stichtag")
if stichtag not in m.stichtage:
    stichtag = cache.standard_stichtag(version) or m.stichtage[-1]
braucht_ziele = any(f.ansicht == "ziele" for f in config.praesentation.folien)
bewertung = cache.bewertung(version, stichtag.year) if braucht_ziele else None
abweichend = abweichende_ziele(bewertung) if bewertung is not None else pd.DataFrame()
plan = folien_planen(config.praesentation.folien, len(abweichend))

if "pr_folie" not in st.session_state:
    try:
        st.session_state["pr_folie"] = int(st.query_params.get("folie", "1")) - 1
    except ValueError:
        st.session_state["pr_folie"] = 0
schritt = {"weiter": 1, "zurueck": -1}
taste = tasten.taste()
if taste in schritt:
    st.session_state["pr_folie"] += schritt[taste]
elif taste == "erste":
    st.session_state["pr_folie"] = 0
elif taste == "letzte":
    st.session_state["pr_folie"] = len(plan) - 1
nr = st.session_state["pr_folie"] = min(max(st.session_state["pr_folie"], 0), len(plan) - 1)
teil = plan[nr]
folie = teil.folie
st.query_params["folie"] = str(nr + 1)
if folie.ansicht == "profil":        # every indicator of one area: the Stichtag and the area's series
    m = cache.profil_monitoring(version, stichtag, (folie.raum,))

lage = index_name = ergebnis = profil_daten = None
if folie.ansicht == "eckwerte":
    lage = cache.lagebild(version, stichtag, 1)
elif folie.ansicht == "sozialindex":
    ix = next(i for i in config.indizes.indizes if i.id == (folie.index or config.indizes.indizes[0].id))
    index_name = ix.name
    daten = cache.indexdaten(version, cache.index_indikatoren())
    tage = [t for t in stichtage(daten, ix) if t <= stichtag] or stichtage(daten, ix)
    ergebnis = cache.indexergebnis(version, ix.id, tage[-1])
elif folie.ansicht == "profil":
    profil_daten = profil(m, folie.raum, stichtag)
k = kopf(teil, config, m, stichtag, lage=lage, bewertung=bewertung, index_name=index_name,
         index_ergebnis=ergebnis, profil_daten=profil_daten)
st.title(md(k.titel))
if k.aussage:
    st.markdown(f"**{md(k.aussage)}**")
bezug = f"index:{ix.id}" if folie.ansicht == "sozialindex" else folien_bezug(folie)
kommentar = cache.einordnungen(version, stichtag).get(bezug)
if kommentar:
    st.markdown(f"*Kommentar der Planung:* {md(kommentar['text'])}")

KARTE = 700            # px at 1920×1080; ui/praesentation.css scales the whole slide to the screen
oben = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == 2)] if m.top > 2 else None


def bezirke(geo: pd.Series) -> pd.DataFrame | None:
    """Outlines and names of the second level for orientation on a map of the Sozialräume."""
    if oben is None:
        return None
    g = cache.geometrien(version, stichtag, 2)
    return pd.DataFrame({"raum_id": g.index, "name": g.index.map(m.namen()), "geometrie": g.values})


if folie.ansicht == "eckwerte":
    spalten = st.columns(4)
    for i, e in enumerate(lage.eckwerte[:8]):
        spalten[i % 4].metric(m.meta(e.indikator_id)["kurzname"], fmt_wert(e.wert, e.einheit, e.nachkommastellen) + (
            " (v)" if e.status == "vorläufig" and e.wert is not None else ""), border=True,
            delta=fmt_differenz(e.veraenderung_vorjahr, e.einheit, e.nachkommastellen).replace("−", "-"),
            delta_color="off", delta_arrow="off", delta_description="zum Vorjahr")
elif folie.ansicht == "karte":
    geo = cache.geometrien(version, stichtag, 1)
    ansicht = kartenansicht(m, geo, folie.indikator, stichtag, 1)
    links, rechts = st.columns([3, 1.2])
    links.pydeck_chart(deck(ansicht.daten, ansicht.tooltip, beschriftung="passend", hoehe=KARTE, breite=1150,
                            schrift_px=15, oberebene=bezirke(geo)), height=KARTE, key="pr_karte")
    rechts.html(legende_html(f"{fmt_datum(stichtag)}", ansicht.legende))
    rechts.caption(f"Quelle: {m.meta(folie.indikator)['quelle']} · fett umrandet: {m.ebenen[2][1]}"
                   if oben is not None else f"Quelle: {m.meta(folie.indikator)['quelle']}")
elif folie.ansicht == "zeitreihe":
    bez = sorted(oben["raum_id"]) if oben is not None else [m.stadt_id(stichtag)]
    chart = zeitreihe(zeitreihe_werte(m, folie.indikator, bez), m.meta(folie.indikator), gebietsreformen(m),
                      hoehe=KARTE - 120).properties(width=1650)
    st.altair_chart(chart.configure_axis(labelFontSize=22, titleFontSize=24, labelColor=SCHWARZ, titleColor=SCHWARZ)
                    .configure_legend(labelFontSize=20, symbolSize=200, columns=5, labelLimit=420,
                                      labelColor=SCHWARZ), theme=None, key="pr_zeitreihe", width="content")
    st.caption(f"Quelle: {m.meta(folie.indikator)['quelle']} · dunkelgrau gestrichelt = {m.ebenen[m.top][0]}")
elif folie.ansicht == "sozialindex":
    geo = cache.geometrien(version, ergebnis.stichtag, ix.ebene)
    karte, legende = kartendaten(ergebnis, geo, m.namen())
    links, rechts = st.columns([3, 1.2])
    links.pydeck_chart(deck(karte, "{name} ({raum_id})\n{anzeige}", beschriftung="passend", hoehe=KARTE, breite=1150,
                            schrift_px=15, oberebene=bezirke(geo) if ix.ebene == 1 else None),
                       height=KARTE, key="pr_index")
    rechts.html(legende_html(f"{ix.name}, {fmt_datum(ergebnis.stichtag)}", legende))
elif folie.ansicht == "ziele":
    seite = abweichend.iloc[(teil.teil - 1) * ZIELE_JE_FOLIE: teil.teil * ZIELE_JE_FOLIE]
    if seite.empty:
        st.success("Alle Ziele mit eigener Kennzahl liegen im Rahmen.")
    else:
        st.table(controlling.ampel_stil(pd.DataFrame({
            "Ampel": seite["ampel_eigen"].map(AMPEL_SYMBOL), "Ziel": seite["ziel_id"] + " " + seite["titel"],
            # the first clause carries the figures; the full sentence is on the page Ziele
            "Stand": seite["text"].str.split(";").str[0].str.rstrip(".") + "."})).hide(axis="index"))
else:
    d = profil_daten.assign(abstand=(profil_daten["index"] - 100).abs()).sort_values("abstand", ascending=False)
    t = profil_tabelle(d.head(PROFIL_ZEILEN), 5, name="Wert")
    st.table(t[["Indikator", "Wert", "Gesamtstadt", "Abweichung"]].set_index("Indikator"))

unten = st.columns([1, 1, 2.2, 1])
if unten[0].button("◀ Zurück", key="pr_zurueck", disabled=nr == 0, width="stretch"):
    st.session_state["pr_folie"] = nr - 1
    st.rerun()
if unten[1].button("Weiter ▶", key="pr_weiter", disabled=nr == len(plan) - 1, type="primary", width="stretch"):
    st.session_state["pr_folie"] = nr + 1
    st.rerun()
unten[2].markdown(f"**{nr + 1} / {len(plan)}** · {md(config.stadt.name)} · Stand {fmt_datum(stichtag)}")
if unten[3].button("Beenden", key="pr_ende", width="stretch"):
    st.session_state.pop("pr_folie", None)
    st.query_params.clear()
    # back to the published Stichtag the committee saw, not to a provisional one
    st.session_state["auswahl_stichtag"] = stichtag
    st.switch_page("seiten/lagebild.py")

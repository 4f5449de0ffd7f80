"""Maßnahmen: what the city does where, for which goal, at what cost, and whether it works – and where nothing
is done (Sozialräume with Handlungsbedarf without a measure, red goals without a running one)."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from fis import massnahmen as mn
from fis.format import fmt_euro, md
from fis.kartenansicht import legende_html
from fis.maps import deck
from fis.palette import REFERENZ
from fis.versorgung import sozialraeume_unter
from ui import cache, monitoring, sidebar
from ui import massnahmen as ansicht
from ui.datenpflege.gemeinsam import meldung
from ui.zugang import darf_aktuell

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
reg = cache.massnahmen(version)
st.title("Maßnahmen")
meldung()
pflegen = ansicht.darf_bearbeiten()
m = cache.monitoring(version, [config.stadt.einwohner_indikator] if config.stadt.einwohner_indikator else [])
raeume1 = monitoring.raeume_der_ebene(m, auswahl.stichtag, 1)
namen = dict(m.namen())
ziele = cache.ziele(version) if darf_aktuell("controlling_lesen") else None
ziele_titel = dict(zip(ziele["ziel_id"], ziele["titel"], strict=True)) if ziele is not None else {}
if reg.leer:
    st.info("Es sind noch keine Maßnahmen erfasst." + (" Hier importieren (YAML, CSV oder Excel) oder einzeln "
                                                       "anlegen." if pflegen else ""), icon=":material/info:")
jahr = auswahl.stichtag.year
if not reg.leer:
    f = st.columns([2, 2, 2, 1])
    hf = f[0].multiselect("Handlungsfeld", sorted(reg.massnahmen["handlungsfeld"].unique()), key="mn_hf",
                        placeholder="alle Handlungsfelder")
    status = f[1].multiselect("Status", [s for s in ("geplant", "beschlossen", "laufend", "abgeschlossen",
                                                     "eingestellt")], default=list(mn.OFFEN), key="mn_status",
                            placeholder="alle")
    bezirke = monitoring.raeume_der_ebene(m, auswahl.stichtag, 2) if m.top > 2 else {}
    gebiete = {"": "Gesamtstadt (alle)"} | {b: f"{m.ebenen[2][0]} {n}" for b, n in dict(bezirke).items()} \
        | dict(raeume1)
    gebiet = f[2].selectbox("Gebiet", list(gebiete), format_func=gebiete.get, key="mn_gebiet")
    jahre = sorted(reg.jahre["jahr"].unique()) or [jahr]
    jahr = f[3].selectbox("Jahr", jahre, index=jahre.index(jahr) if jahr in jahre else len(jahre) - 1,
                          key="mn_jahr", help="Budget und Leistungen dieses Jahres")
    ziel = None
    if ziele is not None:
        bedient = sorted({z for zs in reg.massnahmen["ziele"] for z in zs})
        ziel = st.selectbox("Ziel", [None, *bedient], key="mn_ziel", format_func=lambda z: "alle Ziele" if z is None
                            else f"{z} – {ziele_titel.get(z, '')}")
    sozial = set(sozialraeume_unter(m.raeume, gebiet, auswahl.stichtag)) if gebiet else None
    treffer = mn.filtern(reg, hf, status, sozial, ziel)
    s = mn.summen(reg, treffer, jahr)
    k = st.columns(4)
    k[0].metric("Maßnahmen", s["anzahl"], help="In der Auswahl; mit Gebiet: auch die stadtweiten")
    k[1].metric("davon laufend", s["laufend"])
    k[2].metric(f"Budget {jahr} (Plan)", fmt_euro(s["plan"]) if s["plan"] == s["plan"] else "–",
                f"Ist {fmt_euro(s['ist'])}" if s["ist"] == s["ist"] else None, delta_color="off",
                delta_arrow="off")
    k[3].metric("evaluiert", s["evaluiert"], f"{s['wirksam']} wirksam" if s["evaluiert"] else None,
                delta_color="off", delta_arrow="off")

    lb = cache.lagebild(version, auswahl.stichtag, 1)
    ohne = mn.ohne_massnahme(reg, list(lb.handlungsbedarf["raum_id"])) if not lb.nicht_beurteilbar else []
    if ohne:
        st.warning(f"**Handlungsbedarf ohne Maßnahme** ({len(ohne)} von {len(lb.handlungsbedarf)} Sozialräumen mit "
                   "Handlungsbedarf): " + md(", ".join(namen.get(r, r) for r in ohne))
                   + ". Stadtweite Maßnahmen zählen hier nicht.", icon=":material/warning:")
    if ziele is not None:
        rot = mn.rot_ohne_laufende(cache.bewertung(version, jahr), reg)
        if rot:
            st.error("**Rot, keine laufende Maßnahme**: " + md("; ".join(f"{z} – {ziele_titel.get(z, '')}"
                                                                         for z in rot)), icon=":material/report:")

    t = mn.uebersicht(reg, treffer, jahr, namen)
    if not darf_aktuell("unveroeffentlicht_lesen"):
        t = t.drop(columns=["Veröffentlicht"])
    wahl = ansicht.tabelle(t, "mn_tabelle", hoehe=min(36 * (len(t) + 1), 460), auswahl=True)
    monitoring.download(t, f"massnahmen_{jahr}.csv", "mn_csv", titel=f"Maßnahmen {jahr}",
                        quellen=["Maßnahmenregister"])
    ansicht.register_excel(reg, treffer, namen)

    links, rechts = st.columns([1, 1])
    with links:
        mass = st.radio("Karte", list(mn.MASSE), format_func=mn.MASSE.get, horizontal=True, key="mn_mass")
        ew = m.auswahl(config.stadt.einwohner_indikator, auswahl.stichtag, 1) if config.stadt.einwohner_indikator \
            else None
        einwohner = (ew[~ew["unterdrueckt"].fillna(False)].set_index("raum_id")["wert"] if ew is not None
                     else pd.Series(dtype=float)).reindex(raeume1.index)      # unknown or withheld: no figure
        je = mn.je_sozialraum(replace(reg, massnahmen=treffer), einwohner, jahr, status or mn.OFFEN)
        daten, legende, tooltip = mn.karte(je, cache.geometrien(version, auswahl.stichtag, 1), namen, mass, jahr)
        st.pydeck_chart(deck(daten, tooltip, markiert=list(lb.handlungsbedarf["raum_id"]), hoehe=440, breite=370,
                             kachel_url=config.stadt.karte.kachel_url,
                             kachel_attribution=config.stadt.karte.kachel_attribution), height=440, key="mn_deck")
        st.markdown(legende_html(mn.MASSE[mass], legende), unsafe_allow_html=True)
        st.caption(f"Violett umrandet: Handlungsbedarf (Lagebild, {auswahl.stichtag:%d.%m.%Y}). Stadtweite Maßnahmen "
                   "sind nicht eingefärbt. Eine Maßnahme in mehreren Sozialräumen verteilt ihr Budget gleichmäßig auf "
                   "deren Einwohner.")
    with rechts:
        ids = list(treffer["massnahme_id"])
        zeilen = wahl.selection.rows if wahl else []
        if zeilen:
            st.session_state["mn_id"] = ids[zeilen[0]]
        if ids:
            if st.session_state.get("mn_id") not in ids:
                st.session_state["mn_id"] = ids[0]
            titel = dict(zip(treffer["massnahme_id"], treffer["titel"], strict=True))
            mid = st.selectbox("Maßnahme im Detail", ids, key="mn_id", format_func=lambda i: f"{i} – {titel[i]}")
            ansicht.detail(reg, mid, namen, ziele_titel)
        else:
            st.markdown(f"<span style='color:{REFERENZ}'>Keine Maßnahme in dieser Auswahl.</span>",
                        unsafe_allow_html=True)

if pflegen:
    st.subheader("Maßnahmen pflegen")
    hfs = sorted(set(cache.katalog(version)["handlungsfeld"].dropna()) | set(reg.massnahmen.get("handlungsfeld", [])))
    produkte = sorted(cache.produkte(version).produkte["nr"]) if ziele is not None else []
    bearbeiten = st.session_state.get("mn_id") if not reg.leer else None
    wege = {"bearbeiten": f"Maßnahme {bearbeiten} bearbeiten", "neu": "Neue Maßnahme anlegen",
            "import": "Register importieren (YAML, CSV, Excel)"}
    if not bearbeiten:
        wege.pop("bearbeiten")
    weg = st.radio("Pflegen", list(wege), format_func=wege.get, horizontal=True, index=None if not reg.leer else
                   len(wege) - 1, key="mn_pflege", label_visibility="collapsed")
    if weg == "bearbeiten":
        ansicht.formular(reg, bearbeiten, hfs, dict(raeume1), ziele_titel, produkte)
    elif weg == "neu":
        ansicht.formular(reg, None, hfs, dict(raeume1), ziele_titel, produkte)
    elif weg == "import":
        ansicht.hochladen(config)

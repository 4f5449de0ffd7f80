"""Widgets of the Datenpflege page: upload, mapping, Prüfbericht, preview, commit.

All checking and writing happens in :mod:`fis.ingest`; this module only draws.
"""

from __future__ import annotations

import json
import os
from datetime import date

import pandas as pd
import streamlit as st

from fis import einrichtung, palette
from fis.config import aktive_stadt_datei
from fis.format import fmt_zahl
from fis.ingest import haushalt as haushalt_import
from fis.ingest import katalog as katalog_import
from fis.ingest import produkte as produkte_import
from fis.ingest import raeume as raeume_import
from fis.ingest import werte as werte_import
from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ALLE_BLAETTER, ImportFehler, excel_blaetter, ist_excel, lies_tabelle, max_bytes
from fis.ingest.lieferungen import (
    abhaengige_text,
    lieferungen_tabelle,
    unveroeffentlicht,
    veroeffentlichen,
    wert_historie,
    zuruecknahme_aufheben,
    zuruecknehmen,
)
from ui import cache
from ui.zugang import aktuell as angemeldet

KEIN = "—"


def _nach_schreiben(text: str) -> None:
    """After a commit or rollback: drop every cached result and confirm."""
    cache.verwerfen()
    st.session_state["dp_meldung"] = text
    # New uploader keys: the committed file is no longer offered (it would only show
    # "bereits geliefert"), and the next delivery starts from an empty form.
    st.session_state["dp_upload_nr"] = st.session_state.get("dp_upload_nr", 0) + 1
    st.rerun()


def _upload_key(name: str) -> str:
    return f"{name}_{st.session_state.get('dp_upload_nr', 0)}"



def meldung() -> None:
    if text := st.session_state.pop("dp_meldung", None):
        st.success(text, icon=":material/check_circle:")


def bericht(b: Pruefbericht, key: str) -> None:
    """The Prüfbericht: counts, one line per problem, details and the CSV download."""
    a, b2, c = st.columns(3)
    a.metric("Fehler", len(b.fehler))
    b2.metric("Warnungen", len(b.warnungen))
    c.metric("Hinweise", len(b.hinweise))
    if not b.probleme:
        st.success("Prüfung ohne Befund.")
        return
    for p in b.uebersicht().itertuples(index=False):
        show = {"Fehler": st.error, "Warnung": st.warning, "Hinweis": st.info}[p.Schwere]
        show(f"**{p.Prüfung}** – {p.Meldung}")
    details = b.detailtabelle()
    if len(details):
        with st.expander(f"Einzelheiten ({fmt_zahl(len(details), 0)} Einträge)"):
            st.dataframe(details.head(2000).rename(columns=str.capitalize), hide_index=True,
                         width="stretch", key=f"{key}_details")
    st.download_button("Prüfbericht als CSV", b.als_csv(), file_name="pruefbericht.csv", mime="text/csv",
                       key=f"{key}_csv", icon=":material/download:")


def _geprueft(key: str, pruefen):
    """The check result for ``key``, computed once: widget changes rerun the page, and
    a 1,000,000-row check takes seconds. The key includes the data version, so a
    commit elsewhere invalidates it."""
    cached = st.session_state.get("dp_pruefung")
    if cached is None or cached[0] != key:
        cached = (key, pruefen())
        st.session_state["dp_pruefung"] = cached
    return cached[1]


def _wahl(label: str, spalten: list[str], vorgabe: str | None, key: str, ort=None) -> str | None:
    options = [KEIN, *spalten]
    index = options.index(vorgabe) if vorgabe in options else 0
    value = (ort or st).selectbox(label, options, index=index, key=key)
    return None if value == KEIN else value


# --------------------------------------------------------------------------- values

UPLOAD_HINWEIS = ("Die Datei ins Feld ziehen oder mit „Upload“ auswählen (die englische Beschriftung des Feldes "
                  "stammt von Streamlit und lässt sich nicht übersetzen); höchstens {mb} MB je Datei.")
ALLE = "alle Blätter (je Blatt ein Stichtag)"
ROLLEN = {"wert": "Wert", "zaehler": "Zähler", "nenner": "Nenner"}


def _indikator_text(katalog: pd.DataFrame) -> dict[str, str]:
    return {r.indikator_id: f"{r.name} ({r.indikator_id})" for r in katalog.itertuples(index=False)}


def werte_tab(config) -> None:
    store = cache.store()
    datei = st.file_uploader("Datei mit Indikatorwerten (CSV oder XLSX)", type=["csv", "txt", "xlsx"],
                             key=_upload_key("dp_werte_datei"))
    if datei is None:
        st.caption("Langes Format: je Zeile Raum, Indikator, Stichtag, Wert (optional Zähler, Nenner, Status). "
                   "Breites Format (Sozialatlas): je Zeile ein Gebiet – Kennung, Name oder beides wie „01 Altstadt“ –, "
                   "je Spalte ein Indikator; der Stichtag steht in einer Spalte (Stichtag, Jahr) oder je Blatt, "
                   "sonst wird er abgefragt. Titelzeilen und Fußnoten um die Tabelle werden erkannt. "
                   + UPLOAD_HINWEIS.format(mb=max_bytes() // 1024 // 1024))
        return
    data = datei.getvalue()
    c1, c2 = st.columns([2, 1])
    blatt = None
    if ist_excel(data, datei.name):
        try:
            blaetter = excel_blaetter(data)
        except ImportFehler as exc:
            st.error(str(exc))
            return
        optionen = [*blaetter, ALLE] if len(blaetter) > 1 else blaetter
        blatt = c1.selectbox("Tabellenblatt", optionen, key="dp_blatt")
        blatt = ALLE_BLAETTER if blatt == ALLE else blatt
    kopf = c2.number_input("Kopfzeile in Zeile (0 = automatisch)", min_value=0, max_value=500, value=0, step=1,
                           key=f"dp_kopf_{datei.name}",
                           help="Zeile mit den Spaltenüberschriften, falls die Erkennung danebenliegt.")
    try:
        tabelle = lies_tabelle(data, datei.name, blatt, int(kopf) or None)
    except ImportFehler as exc:
        st.error(str(exc))
        return
    n = len(tabelle.daten)
    gelesen = f"{fmt_zahl(n, 0)} {'Zeile' if n == 1 else 'Zeilen'}, {len(tabelle.spalten)} Spalten"
    if tabelle.format == "csv":
        gelesen += f" · Kodierung {tabelle.kodierung} · Trennzeichen „{tabelle.trennzeichen}“"
    gelesen += f" · Kopfzeile in Zeile {tabelle.kopfzeile}"
    st.caption(f"Gelesen: {gelesen}")
    if tabelle.hinweise:
        st.info("\n".join(f"- {h}" for h in tabelle.hinweise), icon=":material/info:")
    st.dataframe(tabelle.daten.head(8).rename_axis("Zeile"), width="stretch", key="dp_roh")

    katalog = store.load_indikatoren()
    raeume = store.load_raeume()
    namen = _indikator_text(katalog)
    treffer = []
    hochgeladen = st.file_uploader("Zuordnung aus YAML-Datei laden (optional)", type=["yaml", "yml"],
                                   key=_upload_key("dp_zuordnung_datei"))
    try:
        gemerkt = werte_import.gemerkte_zuordnung(store, tabelle)
    except ImportFehler:
        gemerkt = None          # a saved mapping of an older version: start from the suggestion
    if hochgeladen is not None:
        try:
            z = werte_import.Zuordnung.aus_yaml(hochgeladen.getvalue(), f"„{hochgeladen.name}“")
        except ImportFehler as exc:
            st.error(str(exc))
            return
        quelle = hochgeladen.name.rsplit(".", 1)[0]
        st.info(f"Zuordnung aus „{hochgeladen.name}“ wird verwendet.", icon=":material/upload:")
    elif gemerkt:
        quelle, z = gemerkt
        st.info(f"Gespeicherte Zuordnung der Quelle „{quelle}“ wird verwendet.", icon=":material/history:")
    else:
        z, treffer = werte_import.vorschlag_mit_treffern(tabelle, katalog, raeume)
        quelle = ""
    key = f"dp_{tabelle.sha256[:10]}_{tabelle.kopfzeile}_{blatt or ''}_{hochgeladen.name if hochgeladen else ''}"
    st.markdown("#### Spaltenzuordnung")
    quelle = st.text_input("Quelle (unter diesem Namen wird die Zuordnung gemerkt)",
                           value=quelle or datei.name.rsplit(".", 1)[0], key=f"{key}_quelle")
    fmt = st.radio("Format", ["lang", "breit"], index=0 if z.format == "lang" else 1, horizontal=True,
                   format_func={"lang": "lang (eine Zeile je Wert)",
                                "breit": "breit (eine Spalte je Indikator, z. B. Sozialatlas)"}.get,
                   key=f"{key}_format")
    sp = tabelle.spalten
    c1, c2, c3 = st.columns(3)
    raum = _wahl("Gebiet (Kennung, Name oder beides)", sp, z.raum, f"{key}_raum", c1) or ""
    raum_name = _wahl("Gebietsname zur Kontrolle (optional)", sp, z.raum_name, f"{key}_rname", c2)
    spalte_stichtag = _wahl("Stichtag aus Spalte", sp, z.stichtag, f"{key}_st", c3)
    stichtag = None
    if not spalte_stichtag:
        vorschlag_tag = werte_import.stichtag_vorschlag(tabelle)
        tag_key = f"{key}_stichtag"
        if vorschlag_tag and st.session_state.get(f"{key}_vorschlag_nehmen"):
            st.session_state[tag_key] = vorschlag_tag
            st.session_state[f"{key}_vorschlag_nehmen"] = False
        stichtag = st.date_input("Stichtag der Datei (die Datei hat keine Stichtag-Spalte)", value=None,
                                 format="DD.MM.YYYY", key=tag_key)
        if vorschlag_tag and stichtag is None:
            st.caption(f"Vorschlag aus Dateiname oder Titel: {vorschlag_tag:%d.%m.%Y}")
            if st.button(f"{vorschlag_tag:%d.%m.%Y} übernehmen", key=f"{key}_vorschlag_knopf"):
                st.session_state[f"{key}_vorschlag_nehmen"] = True
                st.rerun()
        if stichtag is None:
            st.warning("Bitte den Stichtag der Datei wählen: er wird nie stillschweigend angenommen.",
                       icon=":material/event:")
    if fmt == "lang":
        c1, c2, c3 = st.columns(3)
        with c1:
            indikator = _wahl("Indikator", sp, z.indikator, f"{key}_ind")
        with c2:
            wert = _wahl("Wert", sp, z.wert, f"{key}_wert")
            status_spalte = _wahl("Status (optional)", sp, z.status, f"{key}_status")
        with c3:
            zaehler = _wahl("Zähler (optional)", sp, z.zaehler, f"{key}_z")
            nenner = _wahl("Nenner (optional)", sp, z.nenner, f"{key}_n")
        spalten = {}
    else:
        indikator = wert = zaehler = nenner = status_spalte = None
        st.caption("Je Indikator die Spalte mit dem Wert – oder Zähler und Nenner, aus denen der Wert berechnet und "
                   "geprüft wird. Eine Spalte darf mehreren Indikatoren dienen, z. B. „Einwohner“ als Nenner "
                   "mehrerer Anteile.")
        rows = []
        for ind in katalog["indikator_id"]:
            spec = z.spalten.get(ind, werte_import.Spalten())
            rows.append({"Indikator": namen[ind], "Wert": spec.wert or KEIN, "Zähler": spec.zaehler or KEIN,
                         "Nenner": spec.nenner or KEIN})
        grid = pd.DataFrame(rows)
        grid = grid.assign(_z=(grid[["Wert", "Zähler", "Nenner"]] != KEIN).any(axis=1)) \
            .sort_values("_z", ascending=False, kind="stable").drop(columns="_z")
        auswahl = st.column_config.SelectboxColumn
        edited = st.data_editor(
            grid, hide_index=True, width="stretch", key=f"{key}_spalten", disabled=["Indikator"],
            column_config={"Indikator": st.column_config.TextColumn("Indikator", width="large"),
                           "Wert": auswahl("Wert-Spalte", options=[KEIN, *sp], required=True),
                           "Zähler": auswahl("Zähler-Spalte", options=[KEIN, *sp], required=True),
                           "Nenner": auswahl("Nenner-Spalte", options=[KEIN, *sp], required=True)})
        kennung = {text: ind for ind, text in namen.items()}
        spalten = {}
        for row in edited.itertuples(index=False):
            spec = {r: getattr(row, t) for r, t in (("wert", "Wert"), ("zaehler", "Zähler"), ("nenner", "Nenner"))
                    if isinstance(getattr(row, t), str) and getattr(row, t) not in ("", KEIN)}
            if spec:
                spalten[kennung[row.Indikator]] = spec
    if treffer:
        with st.expander(f"Automatische Zuordnung: {len({t.indikator_id for t in treffer})} Indikatoren erkannt"):
            st.dataframe(pd.DataFrame({
                "Spalte": [t.spalte for t in treffer], "Indikator": [namen[t.indikator_id] for t in treffer],
                "Rolle": [ROLLEN[t.rolle] for t in treffer], "Sicherheit": [t.sicherheit for t in treffer],
                "Grund": [t.grund for t in treffer]}), hide_index=True, width="stretch", key=f"{key}_treffer",
                column_config={"Sicherheit": st.column_config.ProgressColumn(
                    "Sicherheit", min_value=0.0, max_value=1.0, format="percent")})
    with st.expander("Optionen"):
        c1, c2 = st.columns(2)
        with c1:
            status = st.radio("Status der Werte", werte_import.STATUS, horizontal=True, key=f"{key}_stat")
            dezimal = st.radio("Dezimalzeichen", ["auto", "komma", "punkt"], horizontal=True,
                               index=["auto", "komma", "punkt"].index(z.dezimal), key=f"{key}_dez",
                               format_func={"auto": "automatisch", "komma": "Komma (1.234,5)",
                                            "punkt": "Punkt (1,234.5)"}.get)
        with c2:
            fehlwerte = st.text_input("Weitere Fehlwert-Kennungen (durch ; getrennt)", "; ".join(z.fehlwerte),
                                      key=f"{key}_fehl")
            nullen = st.checkbox("Führende Nullen der Raum-Kennungen ergänzen", z.fuehrende_nullen, key=f"{key}_0")
            nullzeilen = st.checkbox("Zeilen mit lauter Nullen als fehlend behandeln", z.nullzeilen_fehlend,
                                     key=f"{key}_nz")
    try:
        zuordnung = werte_import.Zuordnung.aus_dict({
            "format": fmt, "raum": raum, "raum_name": raum_name, "indikator": indikator,
            "stichtag": spalte_stichtag, "wert": wert, "zaehler": zaehler, "nenner": nenner,
            "status": status_spalte, "spalten": spalten,
            "fehlwerte": [f.strip() for f in fehlwerte.split(";") if f.strip()], "fuehrende_nullen": nullen,
            "nullzeilen_fehlend": nullzeilen, "dezimal": dezimal, "blatt": blatt,
            "kopfzeile": int(kopf) or None})
    except ImportFehler as exc:
        st.error(str(exc))
        return
    st.download_button("Zuordnung als YAML herunterladen", zuordnung.als_yaml().encode("utf-8"),
                       file_name=f"{quelle or 'zuordnung'}.yaml", mime="application/x-yaml", key=f"{key}_yaml",
                       icon=":material/download:",
                       help="Dieselbe Datei nimmt die Kommandozeile: python -m fis import DATEI --zuordnung ….")
    if not spalte_stichtag and stichtag is None:
        return
    try:
        pruef_key = json.dumps([tabelle.sha256, zuordnung.als_dict(), str(stichtag), status, cache.data_version()])
        v = _geprueft(pruef_key, lambda: werte_import.vorbereiten(store, tabelle, zuordnung, stichtag, status))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    st.markdown("#### Prüfbericht")
    bericht(v.bericht, key)
    if not v.bericht.ok:
        st.error("Die Lieferung hat Fehler und wird nicht übernommen. Bitte die Datei oder die Zuordnung "
                 "korrigieren; es wurde nichts gespeichert.")
        return
    st.markdown("#### Vorschau")
    stichtage = sorted(set(v.werte["stichtag"]))
    st.caption(f"Stichtag{'e' if len(stichtage) > 1 else ''}: {_stichtage_text(stichtage)} · "
               f"{v.werte['raum_id'].nunique()} Gebiete · {v.werte['indikator_id'].nunique()} Indikatoren")
    n = v.zaehlung
    c1, c2, c3 = st.columns(3)
    c1.metric("neue Werte", fmt_zahl(n['neu'], 0))
    c2.metric("geänderte Werte", fmt_zahl(n['geändert'], 0))
    c3.metric("unveränderte Werte", fmt_zahl(n['unverändert'], 0))
    tabelle_vorschau = werte_import.vorschau(store, v, formatiert=True)
    if len(tabelle_vorschau):
        mit_hinweis = int((tabelle_vorschau["Hinweis"] != "").sum())
        st.caption(f"Neue und geänderte Werte ({fmt_zahl(len(tabelle_vorschau), 0)} Zeilen"
                   + (f", davon {mit_hinweis} mit Warnungen: zuerst und gelb hinterlegt" if mit_hinweis else "")
                   + "). Ein Klick auf eine Spaltenüberschrift sortiert.")
        gezeigt = tabelle_vorschau.head(2000)
        stil = gezeigt.style.apply(
            lambda r: [f"background-color: {palette.AMPEL_HELL['gelb']}" if r["Hinweis"] else "" for _ in r], axis=1)
        st.dataframe(stil, hide_index=True, width="stretch", key=f"{key}_vorschau")
    bezeichnung = st.text_input("Bezeichnung der Lieferung", f"{datei.name}", key=f"{key}_bez")
    if st.button("Lieferung übernehmen", type="primary", key=f"{key}_ok", icon=":material/check:"):
        bar = st.progress(0.0, "Übernahme läuft …")
        wer = angemeldet()
        lid = werte_import.uebernehmen(store, v, wer, bezeichnung, quelle, lambda f, t: bar.progress(f, t),
                                       zuordnung_merken=quelle)
        _nach_schreiben(f"Lieferung {lid} übernommen: {n['neu']} neue, {n['geändert']} geänderte Werte. Sie ist "
                        "vorläufig, bis sie im Reiter „Lieferungen und Historie“ veröffentlicht wird.")


def _stichtage_text(stichtage: list) -> str:
    texte = [f"{d:%d.%m.%Y}" for d in stichtage]
    if len(texte) <= 4:
        return ", ".join(texte)
    return f"{texte[0]} bis {texte[-1]} ({len(texte)} Stichtage)"


# --------------------------------------------------------------------------- boundaries

def _geodatei(label: str, key: str, hilfe: str | None = None):
    """An uploaded boundary file, read (with the layer chosen for a GeoPackage of several):
    (upload, bytes, frame, layer) – or None, with the help text or the German read error."""
    datei = st.file_uploader(label, type=["geojson", "json", "zip", "gpkg"], key=_upload_key(key))
    if datei is None:
        if hilfe:
            st.caption(hilfe)
        return None
    data = datei.getvalue()
    try:
        frame, layers = raeume_import.lies_geodaten(data, datei.name)
        layer = st.selectbox("Ebene der Datei (Layer)", layers, key=f"{key}_layer") if len(layers) > 1 else None
        if layer and layer != layers[0]:
            frame, _ = raeume_import.lies_geodaten(data, datei.name, layer)
    except ImportFehler as exc:
        st.error(str(exc))
        return None
    return datei, data, frame, layer


def raeume_tab(config) -> None:
    store = cache.store()
    gelesen = _geodatei("Raumgliederung (GeoJSON, gezipptes Shapefile oder GeoPackage)", "dp_raum_datei",
                        "Jedes Koordinatensystem wird nach WGS84 umgerechnet. Ein neuer Zuschnitt erhält ein "
                        "Gültigkeitsdatum; der bisherige bleibt für frühere Stichtage erhalten.")
    if gelesen is None:
        return
    datei, data, frame, layer = gelesen
    sp = [c for c in frame.columns if c != frame.geometry.name]
    crs = frame.crs.to_string() if frame.crs else "unbekannt"
    st.caption(f"Gelesen: {len(frame)} Flächen · Koordinatensystem {crs}")
    st.dataframe(pd.DataFrame(frame[sp]).head(5), width="stretch", key="dp_raum_roh")
    key = f"dp_r_{raeume_import.sha256(data)[:10]}"
    top = max(e.ebene for e in config.stadt.raumebenen)
    c1, c2, c3 = st.columns(3)
    with c1:
        kennung = st.selectbox("Kennung", sp, key=f"{key}_id")
        name = st.selectbox("Name", sp, index=min(1, len(sp) - 1), key=f"{key}_name")
    with c2:
        ebene = st.selectbox("Raumebene", [e.ebene for e in config.stadt.raumebenen if e.ebene < top],
                             format_func=lambda n: config.ebene(n).plural, key=f"{key}_ebene")
        von = st.date_input("gültig ab", value=date(date.today().year, 1, 1), format="DD.MM.YYYY", key=f"{key}_von")
        bis = st.date_input("gültig bis (leer: offen)", value=None, format="DD.MM.YYYY", key=f"{key}_bis")
    with c3:
        regel = st.radio("Übergeordnete Einheit", ["Präfix der Kennung", "Spalte", "feste Kennung"], key=f"{key}_regel")
        wert = (st.number_input("Stellen", 1, 20, 2, key=f"{key}_praefix") if regel == "Präfix der Kennung"
                else st.selectbox("Spalte", sp, key=f"{key}_pspalte") if regel == "Spalte"
                else st.text_input("Kennung", "00", key=f"{key}_fest"))
        crs_angabe = st.text_input("Koordinatensystem (nur falls die Datei keines nennt)", "", key=f"{key}_crs")
    try:
        z = raeume_import.RaumZuordnung(
            kennung=kennung, name=name, ebene=int(ebene), gueltig_von=von, gueltig_bis=bis, crs=crs_angabe or None,
            parent_praefix=int(wert) if regel == "Präfix der Kennung" else None,
            parent_spalte=wert if regel == "Spalte" else None,
            parent_fest=wert if regel == "feste Kennung" else None, layer=layer)
        pruef_key = json.dumps([key, str(z), cache.data_version()])
        v = _geprueft(pruef_key,
                      lambda: raeume_import.vorbereiten(store, data, datei.name, z, top, config.stadt.name))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    bericht(v.bericht, key)
    if not v.uebernehmbar:
        st.error("Die Raumgliederung hat Fehler; es wurde nichts gespeichert.")
        return
    st.caption(f"Vorschau: {len(v.raeume)} Räume, {len(v.schliessungen)} bisherige Räume enden am Vortag.")
    st.dataframe(v.raeume.drop(columns=["geometrie"]).head(500), hide_index=True, width="stretch",
                 key=f"{key}_vorschau")
    if st.button("Raumgliederung übernehmen", type="primary", key=f"{key}_ok", icon=":material/check:"):
        lid = raeume_import.uebernehmen(store, v, angemeldet(), quelle=None)
        _nach_schreiben(f"Raumgliederung übernommen (Lieferung {lid}, {len(v.raeume)} Räume).")


# --------------------------------------------------------------------------- catalog

def katalog_tab(config) -> None:
    store = cache.store()
    standard = config.stadt.geheimhaltung_standard
    aktuell = store.load_indikatoren()[katalog_import.SPALTEN]
    text = aktuell.select_dtypes(exclude=["number", "bool"]).columns
    aktuell[text] = aktuell[text].fillna("")         # an empty cell, not „None“
    st.caption("Änderungen hier werden als neue Katalog-Lieferung gespeichert; frühere Fassungen bleiben erhalten "
               "und können zurückgeholt werden.")
    edited = st.data_editor(
        aktuell, num_rows="dynamic", hide_index=True, width="stretch", key="dp_katalog_editor",
        column_config={
            # German headers; the cells keep the keys and values of indikatoren.yaml
            **{f: st.column_config.TextColumn(t, help=f"Feld „{f}“ in indikatoren.yaml") for f, t in (
                ("name", "Name"), ("kurzname", "Kurzname"), ("handlungsfeld", "Handlungsfeld"),
                ("einheit", "Einheit"), ("definition", "Definition"), ("zaehler", "Zähler"), ("nenner", "Nenner"),
                ("quelle", "Quelle"), ("periodizitaet", "Periodizität"), ("stichtag_regel", "Stichtag"))},
            "indikator_id": st.column_config.TextColumn("Kennung", required=True),
            "aggregation": st.column_config.SelectboxColumn("Aggregation", options=["quote", "summe"], required=True),
            "polaritaet": st.column_config.SelectboxColumn(
                "Polarität", options=["hoch_gut", "hoch_schlecht", "neutral"], required=True),
            "faktor": st.column_config.NumberColumn("Faktor"),
            "geheimhaltung": st.column_config.NumberColumn("Mindestfallzahl", min_value=0, step=1),
            "nachkommastellen": st.column_config.NumberColumn("Nachkommastellen", min_value=0, max_value=6, step=1),
            "negativ_erlaubt": st.column_config.CheckboxColumn("negativ erlaubt"),
            "gesamtwert": st.column_config.SelectboxColumn("Gesamtwert", options=["geliefert", "summe"])})
    st.download_button("Katalog als CSV", aktuell.to_csv(sep=";", index=False).encode("utf-8-sig"),
                       file_name="indikatorenkatalog.csv", key="dp_katalog_csv", icon=":material/download:")
    datei = st.file_uploader("Oder Katalog importieren (YAML wie indikatoren.yaml, CSV oder XLSX)",
                             type=["yaml", "yml", "csv", "xlsx"], key=_upload_key("dp_katalog_datei"))
    try:
        v = (katalog_import.vorbereiten(store, datei.getvalue(), datei.name, standard) if datei is not None
             else katalog_import.aus_editor(store, edited, standard))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    aenderungen = v.vergleich[v.vergleich["art"] != "unverändert"]
    if len(aenderungen) == 0 and v.bericht.ok:
        return
    bericht(v.bericht, "dp_katalog")
    if len(aenderungen):
        namen = {"indikator_id": "Kennung", "art": "Art", "geaendert": "geänderte Felder"}
        st.dataframe(aenderungen.rename(columns=namen), hide_index=True, key="dp_katalog_aenderungen")
    if v.uebernehmbar and st.button("Katalogänderungen übernehmen", type="primary", key="dp_katalog_ok"):
        lid = katalog_import.uebernehmen(store, v, angemeldet())
        _nach_schreiben(f"Katalog übernommen (Lieferung {lid}, {len(v.eintraege)} Einträge).")


# --------------------------------------------------------------------------- register

def lieferungen_tab(config) -> None:
    store = cache.store()
    tabelle = lieferungen_tabelle(store)
    st.dataframe(tabelle, hide_index=True, width="stretch", key="dp_lieferungen",
                 column_config={"Geliefert am": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm")})
    aktiv = tabelle[tabelle["Status"] == "aktiv"]
    st.markdown("#### Lieferungen veröffentlichen")
    offen = unveroeffentlicht(store)
    if offen.empty:
        st.caption("Alle aktiven Lieferungen sind veröffentlicht.")
    else:
        st.caption("Eine Lieferung ist vorläufig, bis sie veröffentlicht wird: Ausschuss und Öffentlichkeit sehen "
                   "bis dahin die zuletzt veröffentlichten Werte.")
        wahl = st.multiselect("Vorläufige Lieferungen", offen["lieferung_id"].tolist(), key="dp_pub_nr",
                              placeholder="Lieferungen zum Veröffentlichen wählen",
                              format_func=lambda n: f"{n} – {offen.set_index('lieferung_id').at[n, 'bezeichnung']}")
        if st.button("Veröffentlichen", disabled=not wahl, key="dp_pub_ok", icon=":material/publish:"):
            for n in wahl:
                veroeffentlichen(store, int(n), angemeldet())
            _nach_schreiben(f"Veröffentlicht: Lieferung {', '.join(str(n) for n in wahl)}.")
    st.markdown("#### Lieferung zurücknehmen")
    if aktiv.empty:
        st.caption("Keine aktive Lieferung.")
    else:
        nr = st.selectbox("Lieferung", aktiv["Nr."].tolist(), key="dp_rb_nr",
                          format_func=lambda n: f"{n} – {aktiv.set_index('Nr.').at[n, 'Bezeichnung']}")
        wirkung = cache.rueckname_wirkung(cache.data_version(), int(nr))
        ab = cache.rueckname_abhaengige(cache.data_version(), int(nr))
        folgen = [text for n, text in (
            (wirkung["frueherer_stand"], f"{wirkung['frueherer_stand']} Werte gelten wieder in der früheren Fassung"),
            (wirkung["entfallen"], f"{wirkung['entfallen']} Werte entfallen"),
            (ab["indikatoren_entfallen"], f"{ab['indikatoren_entfallen']} Indikatoren entfallen aus dem Katalog"),
            (ab["raeume_entfallen"], f"{ab['raeume_entfallen']} Gebiete entfallen aus der Raumgliederung"))
            if n > 0]
        st.caption(("Danach: " + ", ".join(folgen) if folgen else "Danach gilt die vorige Fassung")
                   + ". Die Daten der Lieferung bleiben gespeichert; die Rücknahme lässt sich aufheben.")
        abhaengige = sorted(set(ab["waisen"]) | set(ab["ohne_katalog"]))
        mit = False
        if abhaengige:
            st.warning(abhaengige_text(int(nr), ab), icon=":material/link:")
            mit = st.checkbox(f"Abhängige Lieferungen mit zurücknehmen ({', '.join(map(str, abhaengige))})",
                              key="dp_rb_mit")
        grund = st.text_input("Grund (für das Protokoll)", key="dp_rb_grund")
        sicher = st.checkbox("Ich möchte diese Lieferung zurücknehmen.", key="dp_rb_sicher")
        if st.button("Zurücknehmen", disabled=not sicher or (bool(abhaengige) and not mit), key="dp_rb_ok",
                     icon=":material/undo:"):
            info = zuruecknehmen(store, int(nr), angemeldet(), grund or None, mit_abhaengigen=mit)
            _nach_schreiben(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ zurückgenommen"
                            + (f", mit ihr Lieferung {', '.join(map(str, info['abhaengige']))}."
                               if info["abhaengige"] else "."))
    zurueck = tabelle[tabelle["Status"] != "aktiv"]
    if len(zurueck):
        st.markdown("#### Zurücknahme aufheben")
        nr_z = st.selectbox("Zurückgenommene Lieferung", zurueck["Nr."].tolist(), key="dp_rb_auf_nr",
                            format_func=lambda n: f"{n} – {zurueck.set_index('Nr.').at[n, 'Bezeichnung']}")
        if st.button("Wieder gelten lassen", key="dp_rb_auf_ok", icon=":material/redo:"):
            info = zuruecknahme_aufheben(store, int(nr_z), angemeldet())
            _nach_schreiben(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ gilt wieder.")
    st.markdown("#### Werthistorie")
    c1, c2, c3 = st.columns(3)
    raeume = store.load_raeume()
    raum_namen = raeume.drop_duplicates("raum_id").set_index("raum_id")["name"].to_dict()
    raum = c1.selectbox("Raum", list(raum_namen), key="dp_h_raum",
                        format_func=lambda r: f"{r} {raum_namen.get(r, '')}")
    katalog = _indikator_text(store.load_indikatoren())
    ind = c2.selectbox("Indikator", list(katalog), format_func=katalog.get, key="dp_h_ind")
    tage = store.load_stichtage(ind)
    if not tage:
        st.caption("Zu diesem Indikator gibt es noch keine Werte.")
        return
    tag = c3.selectbox("Stichtag", tage[::-1], format_func=lambda d: f"{d:%d.%m.%Y}", key="dp_h_tag")
    historie = wert_historie(store, raum, ind, tag)
    if historie.empty:
        st.caption("Für diesen Raum wurde zu diesem Stichtag kein Wert geliefert.")
    else:
        st.dataframe(historie, hide_index=True, width="stretch", key="dp_historie")


def haushalt_tab(config) -> None:
    """A finance-system export (Teilergebnisplan per product, year, month and Wertart) or
    product master data with the texts of the Produktdatenblatt."""
    store = cache.store()
    if st.radio("Lieferung", ["Beträge aus dem Finanzsystem", "Produkte und Texte"], horizontal=True,
                key="dp_haushalt_art") == "Produkte und Texte":
        _produkte(store)
        return
    tabelle = _tabelle("Export des Finanzsystems (CSV oder Excel)", "dp_haushalt_datei",
                       "Spalten: Produkt, Position (Zeile des Teilergebnisplans), Jahr, Monat (0 oder leer = "
                       "ganzes Jahr), Wertart (Ansatz, Planung, Ist, Prognose), Betrag (Erträge +, Aufwendungen −). "
                       "Summen für Produktgruppen, -bereiche und Summenzeilen werden gegen ihre Teile geprüft.")
    if tabelle is None:
        return
    key = f"dp_h_{tabelle.sha256[:10]}_{cache.data_version()}"
    v = _geprueft(key, lambda: haushalt_import.vorbereiten(store, tabelle))
    bericht(v.bericht, "dp_haushalt")
    if len(v.abweichungen):
        st.dataframe(v.abweichungen.rename(columns={"ebene": "Ebene", "nr": "Nummer", "position_nr": "Zeile",
                                                    "jahr": "Jahr", "monat": "Monat", "wertart": "Wertart",
                                                    "geliefert": "geliefert", "summe_teile": "Summe der Teile",
                                                    "differenz": "Differenz"}),
                     hide_index=True, key="dp_haushalt_abw")
    st.caption(f"Vorschau: {len(v.zeilen)} Beträge werden gespeichert, {len(v.summen)} Summen wurden geprüft.")
    if v.uebernehmbar and st.button("Haushaltsdaten übernehmen", type="primary", key="dp_haushalt_ok"):
        lid = haushalt_import.uebernehmen(store, v, angemeldet())
        _nach_schreiben(f"Haushaltsdaten übernommen (Lieferung {lid}, {len(v.zeilen)} Beträge).")


def _tabelle(label: str, key: str, hilfe: str):
    """An uploaded CSV/Excel table, or None (with the format help or the German read error)."""
    datei = st.file_uploader(label, type=["csv", "txt", "xlsx"], key=_upload_key(key))
    if datei is None:
        st.caption(hilfe)
        return None
    try:
        return lies_tabelle(datei.getvalue(), datei.name)
    except ImportFehler as exc:
        st.error(str(exc))
        return None


def _produkte(store) -> None:
    tabelle = _tabelle("Produkte mit Texten (CSV oder Excel)", "dp_produkte_datei",
                       "Eine Zeile je Produktbereich (11.05), Produktgruppe (11.05.01) oder Produkt (11.05.01.01): "
                       "nr, name und wahlweise verantwortlich, organisationseinheit, gremium, beschreibung, "
                       "zielsetzung, zielerreichung, zielgruppe, besonderheiten, rechtsgrundlage. Leere Zellen "
                       "behalten den gespeicherten Text.")
    if tabelle is None:
        return
    v = _geprueft(f"dp_p_{tabelle.sha256[:10]}_{cache.data_version()}",
                  lambda: produkte_import.vorbereiten(store, tabelle))
    bericht(v.bericht, "dp_produkte")
    if v.aenderungen:
        st.dataframe(pd.DataFrame(v.aenderungen).rename(columns=str.capitalize), hide_index=True,
                     key="dp_produkte_aenderungen")
    if v.uebernehmbar and st.button("Produkte übernehmen", type="primary", key="dp_produkte_ok"):
        lid = produkte_import.uebernehmen(store, v, angemeldet())
        _nach_schreiben(f"Produkte übernommen (Lieferung {lid}, {len(v.aenderungen)} Änderungen).")


# --------------------------------------------------------------------------- new city

LAENDER = ("Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
           "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
           "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen")


def neue_stadt_tab(config) -> None:
    """Einrichtungsassistent: boundary file + a few answers → config folder and database of a new city."""
    st.caption("Für eine neue Stadt oder einen Kreis: aus der Gebietsdatei und einigen Angaben entstehen die "
               "Konfiguration (Stadt, Indikatorenkatalog, Lagebild) und eine neue Datenbank mit Katalog und "
               "Raumgliederung. Die bisherige Stadt bleibt unverändert erhalten. Danach werden die Werte im "
               "Reiter „Indikatorwerte“ geliefert.")
    gelesen = _geodatei("Gebietsdatei (GeoJSON, gezipptes Shapefile oder GeoPackage)", "dp_neu_datei")
    if gelesen is None:
        return
    datei, data, frame, layer = gelesen
    props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    sp = list(props.columns)
    st.caption(f"Gelesen: {len(props)} Flächen mit den Eigenschaften {', '.join(sp)}")
    st.dataframe(props.head(5), width="stretch", hide_index=True, key="dp_neu_roh")

    def raten(*muster: str, ausser: tuple = ()) -> int:
        for i, s in enumerate(sp):
            if s not in ausser and any(m in s.lower() for m in muster):
                return i
        return 0

    key = f"dp_neu_{raeume_import.sha256(data)[:10]}"
    c1, c2 = st.columns(2)
    name = c1.text_input("Name der Stadt oder des Kreises", key=f"{key}_name")
    land = c2.selectbox("Bundesland", LAENDER, index=None, placeholder="Bundesland wählen", key=f"{key}_land")
    st.markdown("##### Gebiete der Datei")
    c1, c2, c3, c4 = st.columns(4)
    kennung = c1.selectbox("Eigenschaft mit der Kennung", sp, index=raten("nr", "id", "schl", "kenn"),
                           key=f"{key}_kennung")
    name_spalte = c2.selectbox("Eigenschaft mit dem Namen", sp, index=raten("name", "bez", ausser=(kennung,)),
                               key=f"{key}_namensp")
    ebene = c3.text_input("Bezeichnung (Einzahl)", "Sozialraum", key=f"{key}_ebene")
    plural = c4.text_input("Bezeichnung (Mehrzahl)", "Sozialräume", key=f"{key}_plural")
    st.markdown("##### Übergeordnete Einheiten (optional, z. B. Stadtbezirke)")
    c1, c2, c3, c4 = st.columns(4)
    ober = c1.selectbox("Eigenschaft mit deren Kennung", [KEIN, *sp], key=f"{key}_ober")
    ober_name = c2.selectbox("Eigenschaft mit deren Namen", [KEIN, *sp], key=f"{key}_obername")
    ober_ebene = c3.text_input("Bezeichnung (Einzahl)", "Stadtbezirk", key=f"{key}_oberebene")
    ober_plural = c4.text_input("Bezeichnung (Mehrzahl)", "Stadtbezirke", key=f"{key}_oberplural")
    c1, c2, c3 = st.columns(3)
    gesamt = c1.text_input("Bezeichnung der Gesamtebene", "Gesamtstadt", key=f"{key}_gesamt")
    von = c2.date_input("Gebiete gelten ab", value=date(2000, 1, 1), format="DD.MM.YYYY", key=f"{key}_von",
                        help="Werte lassen sich ab diesem Tag liefern; ein späterer Neuzuschnitt wird eine eigene "
                             "Lieferung der Raumgliederung.")
    mindest = c3.number_input("Mindestzahl Einwohner je Gebiet (0 = keine)", 0, 10_000, 0, step=50,
                              key=f"{key}_mindest",
                              help="Kleinere Gebiete zeigen nur ihre Einwohnerzahl (z. B. 300 wie in Berlin).")
    vorlage = einrichtung.katalog_vorlage()
    texte = {r.indikator_id: f"{r.name} ({r.handlungsfeld})" for r in vorlage.itertuples(index=False)}
    indikatoren = st.multiselect("Indikatoren aus dem mitgelieferten Katalog (KGSt, Kölner Modell)",
                                 list(texte), default=list(texte), format_func=texte.get, key=f"{key}_ind",
                                 help="Nicht benötigte entfernen; der Katalog lässt sich später im Reiter "
                                      "„Indikatorenkatalog“ ergänzen.")
    if not name.strip() or land is None:
        st.info("Bitte Name und Bundesland angeben.", icon=":material/edit:")
        return
    try:
        antworten = einrichtung.Antworten(
            name=name, land=land, kennung=kennung, name_spalte=name_spalte, ebene=ebene, ebene_plural=plural,
            ober_spalte=None if ober == KEIN else ober, ober_name_spalte=None if ober_name == KEIN else ober_name,
            ober_ebene=ober_ebene, ober_ebene_plural=ober_plural, gesamt=gesamt, gueltig_von=von,
            indikatoren=tuple(indikatoren), layer=layer, mindest_einwohner=int(mindest) or None)
        e = einrichtung.vorbereiten(data, datei.name, antworten)
    except (ImportFehler, einrichtung.EinrichtungsFehler) as exc:
        st.error(str(exc))
        return
    for hinweis in e.hinweise:
        st.success(hinweis, icon=":material/check_circle:")
    with st.expander("Erzeugte Konfiguration ansehen"):
        for titel, text in (("stadt.yaml", e.stadt_yaml), ("lagebild.yaml", e.lagebild_yaml)):
            st.caption(titel)
            st.code(text, language="yaml")
    slug = einrichtung.kurzname(name)
    daten = aktive_stadt_datei().parent       # data/ (or where FIS_AKTIVE_STADT points)
    config_ziel, db_ziel = daten / "staedte" / slug, daten / f"{slug}.duckdb"
    fest = bool(os.environ.get("FIS_CONFIG") or os.environ.get("FIS_DB"))
    st.caption(f"Wird geschrieben: Konfiguration nach `{config_ziel}`, Datenbank `{db_ziel}`."
               + (" FIS_CONFIG/FIS_DB sind gesetzt: die App wechselt erst, wenn sie auf die neuen Pfade zeigen."
                  if fest else " Danach öffnen App und Kommandozeile die neue Stadt."))
    if st.button("Stadt einrichten", type="primary", key=f"{key}_ok", icon=":material/add_location_alt:"):
        bar = st.progress(0.0, "Einrichtung läuft …")
        try:
            info = einrichtung.einrichten(data, datei.name, e, config_ziel, db_ziel, angemeldet().name,
                                          lambda f, t: bar.progress(f, t))
        except (ImportFehler, einrichtung.EinrichtungsFehler) as exc:
            st.error(str(exc))
            return
        if fest:
            st.success(f"{name} ist eingerichtet ({info['raeume']} Räume). Zum Wechseln die App mit "
                       f"FIS_CONFIG={info['config']} und FIS_DB={info['db']} starten.")
            return
        einrichtung.aktivieren(info["config"], info["db"])
        _nach_schreiben(f"{name} ist eingerichtet: {info['raeume']} Räume, Katalog und Raumgliederung "
                        "veröffentlicht. Nächster Schritt: die Werte im Reiter „Indikatorwerte“ liefern.")

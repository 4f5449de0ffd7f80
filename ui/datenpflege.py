"""Widgets of the Datenpflege page: upload, mapping, Prüfbericht, preview, commit.

All checking and writing happens in :mod:`fis.ingest`; this module only draws.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from fis.ingest import haushalt as haushalt_import
from fis.ingest import katalog as katalog_import
from fis.ingest import produkte as produkte_import
from fis.ingest import raeume as raeume_import
from fis.ingest import werte as werte_import
from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, excel_blaetter, ist_excel, lies_tabelle
from fis.ingest.lieferungen import (
    lieferungen_tabelle,
    unveroeffentlicht,
    veroeffentlichen,
    wert_historie,
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
        with st.expander(f"Einzelheiten ({len(details):,} Einträge)".replace(",", ".")):
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


def _wahl(label: str, spalten: list[str], vorgabe: str | None, key: str) -> str | None:
    options = [KEIN, *spalten]
    index = options.index(vorgabe) if vorgabe in options else 0
    value = st.selectbox(label, options, index=index, key=key)
    return None if value == KEIN else value


# --------------------------------------------------------------------------- values

def _gemerkte_zuordnung(store, signatur: str) -> tuple[str, dict] | None:
    saved = store.load_zuordnungen()
    hit = saved[saved["signatur"] == signatur]
    if hit.empty:
        return None
    return hit.iloc[0]["name"], json.loads(hit.iloc[0]["inhalt"])


def werte_tab(config) -> None:
    store = cache.store()
    datei = st.file_uploader("Datei mit Indikatorwerten (CSV oder XLSX)", type=["csv", "txt", "xlsx"],
                             key=_upload_key("dp_werte_datei"))
    if datei is None:
        st.caption("Langes Format: je Zeile Raum, Indikator, Stichtag, Wert (optional Zähler, Nenner, Status). "
                   "Breites Format: je Zeile ein Raum, je Spalte ein Indikator; der Stichtag gilt für die Datei.")
        return
    data = datei.getvalue()
    blatt = None
    if ist_excel(data, datei.name):
        try:
            blatt = st.selectbox("Tabellenblatt", excel_blaetter(data), key="dp_blatt")
        except ImportFehler as exc:
            st.error(str(exc))
            return
    try:
        tabelle = lies_tabelle(data, datei.name, blatt)
    except ImportFehler as exc:
        st.error(str(exc))
        return
    n = len(tabelle.daten)
    gelesen = f"{n:,} {'Zeile' if n == 1 else 'Zeilen'}, {len(tabelle.spalten)} Spalten".replace(",", ".")
    if tabelle.format == "csv":
        gelesen += f" · Kodierung {tabelle.kodierung} · Trennzeichen „{tabelle.trennzeichen}“"
    st.caption(f"Gelesen: {gelesen}")
    st.dataframe(tabelle.daten.head(8), width="stretch", key="dp_roh")

    katalog = store.load_indikatoren()
    gemerkt = _gemerkte_zuordnung(store, tabelle.signatur())
    if gemerkt:
        quelle, inhalt = gemerkt
        z = werte_import.Zuordnung.aus_dict(inhalt)
        st.info(f"Gespeicherte Zuordnung der Quelle „{quelle}“ wird verwendet.", icon=":material/history:")
    else:
        quelle, z = "", werte_import.vorschlag(tabelle, katalog)
    key = f"dp_{tabelle.sha256[:10]}"
    st.markdown("#### Spaltenzuordnung")
    quelle = st.text_input("Quelle (unter diesem Namen wird die Zuordnung gemerkt)",
                           value=quelle or datei.name.rsplit(".", 1)[0], key=f"{key}_quelle")
    fmt = st.radio("Format", ["lang", "breit"], index=0 if z.format == "lang" else 1, horizontal=True,
                   format_func={"lang": "lang (eine Zeile je Wert)", "breit": "breit (eine Spalte je Indikator)"}.get,
                   key=f"{key}_format")
    sp = tabelle.spalten
    stichtag = None
    if fmt == "lang":
        raum = _wahl("Raum-Kennung", sp, z.raum, f"{key}_raum") or ""
        c1, c2, c3 = st.columns(3)
        with c1:
            indikator = _wahl("Indikator", sp, z.indikator, f"{key}_ind")
            spalte_stichtag = _wahl("Stichtag", sp, z.stichtag, f"{key}_st")
        with c2:
            wert = _wahl("Wert", sp, z.wert, f"{key}_wert")
            status_spalte = _wahl("Status (optional)", sp, z.status, f"{key}_status")
        with c3:
            zaehler = _wahl("Zähler (optional)", sp, z.zaehler, f"{key}_z")
            nenner = _wahl("Nenner (optional)", sp, z.nenner, f"{key}_n")
        spalten = {}
    else:
        raum = _wahl("Raum-Kennung", sp, z.raum, f"{key}_raum") or ""
        indikator = spalte_stichtag = wert = zaehler = nenner = status_spalte = None
        stichtag = st.date_input("Stichtag der Datei", value=date(date.today().year - 1, 12, 31), format="DD.MM.YYYY",
                                 key=f"{key}_stichtag")
        rows = []
        for col in sp:
            if col == raum:
                continue
            ind, rolle = "", "wert"
            for ind_id, spec in z.spalten.items():
                for r in ("wert", "zaehler", "nenner"):
                    if getattr(spec, r) == col:
                        ind, rolle = ind_id, r
            rows.append({"Spalte": col, "Indikator": ind, "Rolle": rolle})
        edited = st.data_editor(
            pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_spalten",
            disabled=["Spalte"],
            column_config={
                "Indikator": st.column_config.SelectboxColumn(options=["", *katalog["indikator_id"]]),
                "Rolle": st.column_config.SelectboxColumn(options=["wert", "zaehler", "nenner"], required=True)})
        spalten = {}
        for row in edited.itertuples(index=False):
            if row.Indikator:
                spalten.setdefault(row.Indikator, {})[row.Rolle] = row.Spalte
    with st.expander("Optionen"):
        c1, c2 = st.columns(2)
        with c1:
            status = st.radio("Status der Werte", werte_import.STATUS, horizontal=True, key=f"{key}_stat")
            dezimal = st.radio("Dezimalzeichen", ["auto", "komma", "punkt"], horizontal=True,
                               index=["auto", "komma", "punkt"].index(z.dezimal), key=f"{key}_dez")
        with c2:
            fehlwerte = st.text_input("Weitere Fehlwert-Kennungen (durch ; getrennt)", "; ".join(z.fehlwerte),
                                      key=f"{key}_fehl")
            nullen = st.checkbox("Führende Nullen der Raum-Kennungen ergänzen", z.fuehrende_nullen, key=f"{key}_0")
            nullzeilen = st.checkbox("Zeilen mit lauter Nullen als fehlend behandeln", z.nullzeilen_fehlend,
                                     key=f"{key}_nz")
    try:
        zuordnung = werte_import.Zuordnung.aus_dict({
            "format": fmt, "raum": raum, "indikator": indikator, "stichtag": spalte_stichtag, "wert": wert,
            "zaehler": zaehler, "nenner": nenner, "status": status_spalte, "spalten": spalten,
            "fehlwerte": [f.strip() for f in fehlwerte.split(";") if f.strip()], "fuehrende_nullen": nullen,
            "nullzeilen_fehlend": nullzeilen, "dezimal": dezimal, "blatt": blatt})
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
    n = v.zaehlung
    c1, c2, c3 = st.columns(3)
    c1.metric("neue Werte", f"{n['neu']:,}".replace(",", "."))
    c2.metric("geänderte Werte", f"{n['geändert']:,}".replace(",", "."))
    c3.metric("unveränderte Werte", f"{n['unverändert']:,}".replace(",", "."))
    geaendert = v.vergleich[v.vergleich["art"] == "geändert"]
    if len(geaendert):
        st.caption("Geänderte Werte (alt → neu):")
        st.dataframe(geaendert[["raum_id", "indikator_id", "stichtag", "alt_wert", "wert", "alt_lieferung"]]
                     .head(500).rename(columns={"raum_id": "Raum", "indikator_id": "Indikator", "stichtag": "Stichtag",
                                                "alt_wert": "bisher", "wert": "neu", "alt_lieferung": "aus Lieferung"}),
                     hide_index=True, width="stretch", key=f"{key}_geaendert")
    bezeichnung = st.text_input("Bezeichnung der Lieferung", f"{datei.name}", key=f"{key}_bez")
    if st.button("Lieferung übernehmen", type="primary", key=f"{key}_ok", icon=":material/check:"):
        bar = st.progress(0.0, "Übernahme läuft …")
        wer = angemeldet()
        lid = werte_import.uebernehmen(store, v, wer, bezeichnung, quelle, lambda f, t: bar.progress(f, t))
        store.save_zuordnung(quelle, tabelle.signatur(), zuordnung.als_dict(), wer.name)
        _nach_schreiben(f"Lieferung {lid} übernommen: {n['neu']} neue, {n['geändert']} geänderte Werte. Sie ist "
                        "vorläufig, bis sie im Reiter „Lieferungen und Historie“ veröffentlicht wird.")


# --------------------------------------------------------------------------- boundaries

def raeume_tab(config) -> None:
    store = cache.store()
    datei = st.file_uploader("Raumgliederung (GeoJSON, gezipptes Shapefile oder GeoPackage)",
                             type=["geojson", "json", "zip", "gpkg"], key=_upload_key("dp_raum_datei"))
    if datei is None:
        st.caption("Jedes Koordinatensystem wird nach WGS84 umgerechnet. Ein neuer Zuschnitt erhält ein "
                   "Gültigkeitsdatum; der bisherige bleibt für frühere Stichtage erhalten.")
        return
    data = datei.getvalue()
    try:
        frame, layers = raeume_import.lies_geodaten(data, datei.name)
        layer = st.selectbox("Ebene der Datei (Layer)", layers, key="dp_layer") if len(layers) > 1 else None
        if layer and layer != layers[0]:
            frame, _ = raeume_import.lies_geodaten(data, datei.name, layer)
    except ImportFehler as exc:
        st.error(str(exc))
        return
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
        st.caption(f"Danach gelten {wirkung['frueherer_stand']} Werte wieder in der früheren Fassung, "
                   f"{wirkung['entfallen']} Werte entfallen. Die Daten der Lieferung bleiben gespeichert.")
        grund = st.text_input("Grund (für das Protokoll)", key="dp_rb_grund")
        sicher = st.checkbox("Ich möchte diese Lieferung zurücknehmen.", key="dp_rb_sicher")
        if st.button("Zurücknehmen", disabled=not sicher, key="dp_rb_ok", icon=":material/undo:"):
            info = zuruecknehmen(store, int(nr), angemeldet(), grund or None)
            _nach_schreiben(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ zurückgenommen.")
    st.markdown("#### Werthistorie")
    c1, c2, c3 = st.columns(3)
    raeume = store.load_raeume()
    raum_namen = raeume.drop_duplicates("raum_id").set_index("raum_id")["name"].to_dict()
    raum = c1.selectbox("Raum", list(raum_namen), key="dp_h_raum",
                        format_func=lambda r: f"{r} {raum_namen.get(r, '')}")
    ind = c2.selectbox("Indikator", store.load_indikatoren()["indikator_id"].tolist(), key="dp_h_ind")
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

"""Tab „Indikatorwerte“: upload, sheet and header row, column mapping, Prüfbericht, preview, commit."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from fis import palette
from fis.ampel import Ampel
from fis.format import fmt_zahl
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import ALLE_BLAETTER, ImportFehler, excel_blaetter, ist_excel, lies_tabelle, max_bytes
from ui import cache
from ui.datenpflege.gemeinsam import (
    KEIN,
    UPLOAD_HINWEIS,
    bericht,
    geprueft,
    indikator_text,
    nach_schreiben,
    stichtage_text,
    upload_key,
    wahl,
)
from ui.zugang import aktuell as angemeldet

ALLE = "alle Blätter (je Blatt ein Stichtag)"


ROLLEN = {"wert": "Wert", "zaehler": "Zähler", "nenner": "Nenner"}


def reiter(config) -> None:
    store = cache.store()
    datei = st.file_uploader("Datei mit Indikatorwerten (CSV oder XLSX)", type=["csv", "txt", "xlsx"],
                             key=upload_key("dp_werte_datei"))
    if datei is None:
        st.caption("Langes Format: je Zeile Raum, Indikator, Stichtag, Wert (optional Zähler, Nenner, Status). "
                   "Breites Format (Sozialatlas): je Zeile ein Gebiet – Kennung, Name oder beides wie „01 Altstadt“ –, "
                   "je Spalte ein Indikator; der Stichtag steht in einer Spalte (Stichtag, Jahr) oder je Blatt, "
                   "sonst wird er abgefragt. Titelzeilen und Fußnoten um die Tabelle werden erkannt. "
                   + UPLOAD_HINWEIS.format(mb=max_bytes() // 1024 // 1024))
        return
    gelesen = _lesen(datei)
    if gelesen is None:
        return
    tabelle, blatt, kopf = gelesen
    gewaehlt = _zuordnung(store, tabelle, datei.name, blatt, kopf)
    if gewaehlt is None:
        return
    zuordnung, quelle, stichtag, status, key = gewaehlt
    if not zuordnung.stichtag and stichtag is None:
        return
    auftrag = Auftrag(store, config, b"", datei.name, angemeldet(), datei.name, quelle, tabelle=tabelle,
                      werte_zuordnung=zuordnung, stichtag=stichtag, status=status, zuordnung_merken=quelle)
    _pruefen_und_uebernehmen(store, auftrag, key)


def _lesen(datei):
    """(table, sheet, header row) of the upload, with what reading detected; None after a German error."""
    data = datei.getvalue()
    c1, c2 = st.columns([2, 1])
    blatt = None
    if ist_excel(data, datei.name):
        try:
            blaetter = excel_blaetter(data)
        except ImportFehler as exc:
            st.error(str(exc))
            return None
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
        return None
    n = len(tabelle.daten)
    gelesen = f"{fmt_zahl(n, 0)} {'Zeile' if n == 1 else 'Zeilen'}, {len(tabelle.spalten)} Spalten"
    if tabelle.format == "csv":
        gelesen += f" · Kodierung {tabelle.kodierung} · Trennzeichen „{tabelle.trennzeichen}“"
    gelesen += f" · Kopfzeile in Zeile {tabelle.kopfzeile}"
    st.caption(f"Gelesen: {gelesen}")
    if tabelle.hinweise:
        st.info("\n".join(f"- {h}" for h in tabelle.hinweise), icon=":material/info:")
    st.dataframe(tabelle.daten.head(8).rename_axis("Zeile"), width="stretch", key="dp_roh")

    return tabelle, blatt, kopf


def _zuordnung(store, tabelle, dateiname: str, blatt, kopf):
    """The column mapping: from an uploaded YAML, the one saved for this header, or the automatic one, shown
    for correction. (mapping, source name, Stichtag of the file, status, widget key); None after an error."""
    katalog = store.lade_indikatoren()
    raeume = store.lade_raeume()
    namen = indikator_text(katalog)
    treffer = []
    hochgeladen = st.file_uploader("Zuordnung aus YAML-Datei laden (optional)", type=["yaml", "yml"],
                                   key=upload_key("dp_zuordnung_datei"))
    try:
        gemerkt = zuordnung_import.gemerkte_zuordnung(store, tabelle)
    except ImportFehler:
        gemerkt = None          # a saved mapping of an older version: start from the suggestion
    if hochgeladen is not None:
        try:
            z = zuordnung_import.Zuordnung.aus_yaml(hochgeladen.getvalue(), f"„{hochgeladen.name}“")
        except ImportFehler as exc:
            st.error(str(exc))
            return None
        quelle = hochgeladen.name.rsplit(".", 1)[0]
        st.info(f"Zuordnung aus „{hochgeladen.name}“ wird verwendet.", icon=":material/upload:")
    elif gemerkt:
        quelle, z = gemerkt
        st.info(f"Gespeicherte Zuordnung der Quelle „{quelle}“ wird verwendet.", icon=":material/history:")
    else:
        z, treffer = zuordnung_import.vorschlag_mit_treffern(tabelle, katalog, raeume)
        quelle = ""
    key = f"dp_{tabelle.sha256[:10]}_{tabelle.kopfzeile}_{blatt or ''}_{hochgeladen.name if hochgeladen else ''}"
    st.markdown("#### Spaltenzuordnung")
    quelle = st.text_input("Quelle (unter diesem Namen wird die Zuordnung gemerkt)",
                           value=quelle or dateiname.rsplit(".", 1)[0], key=f"{key}_quelle")
    fmt = st.radio("Format", ["lang", "breit"], index=0 if z.format == "lang" else 1, horizontal=True,
                   format_func={"lang": "lang (eine Zeile je Wert)",
                                "breit": "breit (eine Spalte je Indikator, z. B. Sozialatlas)"}.get,
                   key=f"{key}_format")
    sp = tabelle.spalten
    c1, c2, c3 = st.columns(3)
    raum = wahl("Gebiet (Kennung, Name oder beides)", sp, z.raum, f"{key}_raum", c1) or ""
    raum_name = wahl("Gebietsname zur Kontrolle (optional)", sp, z.raum_name, f"{key}_rname", c2)
    spalte_stichtag = wahl("Stichtag aus Spalte", sp, z.stichtag, f"{key}_st", c3)
    stichtag = None if spalte_stichtag else _stichtag(tabelle, key)
    rollen = _spalten_lang(sp, z, key) if fmt == "lang" else _spalten_breit(sp, z, katalog, namen, key)
    if treffer:
        with st.expander(f"Automatische Zuordnung: {len({t.indikator_id for t in treffer})} Indikatoren erkannt"):
            st.dataframe(pd.DataFrame({
                "Spalte": [t.spalte for t in treffer], "Indikator": [namen[t.indikator_id] for t in treffer],
                "Rolle": [ROLLEN[t.rolle] for t in treffer], "Sicherheit": [t.sicherheit for t in treffer],
                "Grund": [t.grund for t in treffer]}), hide_index=True, width="stretch", key=f"{key}_treffer",
                column_config={"Sicherheit": st.column_config.ProgressColumn(
                    "Sicherheit", min_value=0.0, max_value=1.0, format="percent")})
    status, weitere = _optionen(z, key)
    try:
        zuordnung = zuordnung_import.Zuordnung.aus_dict({
            "format": fmt, "raum": raum, "raum_name": raum_name, "stichtag": spalte_stichtag, **rollen, **weitere,
            "blatt": blatt, "kopfzeile": int(kopf) or None})
    except ImportFehler as exc:
        st.error(str(exc))
        return None
    st.download_button("Zuordnung als YAML herunterladen", zuordnung.als_yaml().encode("utf-8"),
                       file_name=f"{quelle or 'zuordnung'}.yaml", mime="application/x-yaml", key=f"{key}_yaml",
                       icon=":material/download:",
                       help="Dieselbe Datei nimmt die Kommandozeile: python -m fis import DATEI --zuordnung ….")
    return zuordnung, quelle, stichtag, status, key


def _stichtag(tabelle, key: str):
    """The Stichtag of a file without a Stichtag column: chosen, never assumed (a suggestion from the file
    name or title is offered)."""
    vorschlag_tag = zuordnung_import.stichtag_vorschlag(tabelle)
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
    return stichtag


def _spalten_lang(sp: list[str], z, key: str) -> dict:
    """Long format: the columns of indicator, value, status, numerator and denominator."""
    c1, c2, c3 = st.columns(3)
    with c1:
        indikator = wahl("Indikator", sp, z.indikator, f"{key}_ind")
    with c2:
        wert = wahl("Wert", sp, z.wert, f"{key}_wert")
        status_spalte = wahl("Status (optional)", sp, z.status, f"{key}_status")
    with c3:
        zaehler = wahl("Zähler (optional)", sp, z.zaehler, f"{key}_z")
        nenner = wahl("Nenner (optional)", sp, z.nenner, f"{key}_n")
    return {"indikator": indikator, "wert": wert, "zaehler": zaehler, "nenner": nenner, "status": status_spalte,
            "spalten": {}}


def _spalten_breit(sp: list[str], z, katalog: pd.DataFrame, namen: dict[str, str], key: str) -> dict:
    """Wide format: per indicator the column of its value, or of numerator and denominator."""
    st.caption("Je Indikator die Spalte mit dem Wert – oder Zähler und Nenner, aus denen der Wert berechnet und "
               "geprüft wird. Eine Spalte darf mehreren Indikatoren dienen, z. B. „Einwohner“ als Nenner "
               "mehrerer Anteile.")
    rows = []
    for ind in katalog["indikator_id"]:
        spec = z.spalten.get(ind, zuordnung_import.Spalten())
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
    return {"indikator": None, "wert": None, "zaehler": None, "nenner": None, "status": None, "spalten": spalten}


def _optionen(z, key: str) -> tuple[str, dict]:
    """Status of the values and the reading options (decimal sign, missing-value codes, leading zeros)."""
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
    return status, {"fehlwerte": [f.strip() for f in fehlwerte.split(";") if f.strip()], "fuehrende_nullen": nullen,
                    "nullzeilen_fehlend": nullzeilen, "dezimal": dezimal}


def _pruefen_und_uebernehmen(store, auftrag: Auftrag, key: str) -> None:
    """Prüfbericht, preview of new and changed values, and the commit, through the registry (as the CLI)."""
    art = LIEFERARTEN["werte"]
    tabelle = auftrag.tabelle
    try:
        pruef_key = json.dumps([tabelle.sha256, auftrag.werte_zuordnung.als_dict(), str(auftrag.stichtag),
                                auftrag.status, cache.data_version()])
        v = geprueft(pruef_key, lambda: art.pruefen(auftrag))
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
    st.caption(f"Stichtag{'e' if len(stichtage) > 1 else ''}: {stichtage_text(stichtage)} · "
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
        gelb = f"background-color: {palette.AMPEL_HELL[Ampel.GELB]}"
        stil = gezeigt.style.apply(lambda r: [gelb if r["Hinweis"] else "" for _ in r], axis=1)
        st.dataframe(stil, hide_index=True, width="stretch", key=f"{key}_vorschau")
    bezeichnung = st.text_input("Bezeichnung der Lieferung", auftrag.dateiname, key=f"{key}_bez")
    if st.button("Lieferung übernehmen", type="primary", key=f"{key}_ok", icon=":material/check:"):
        bar = st.progress(0.0, "Übernahme läuft …")
        lid = art.speichern(auftrag.mit(bezeichnung=bezeichnung, fortschritt=lambda f, t: bar.progress(f, t)), v)
        nach_schreiben(f"Lieferung {lid} übernommen: {n['neu']} neue, {n['geändert']} geänderte Werte. Sie ist "
                        "vorläufig, bis sie im Reiter „Lieferungen und Historie“ veröffentlicht wird.")

"""What every tab of the Datenpflege page shares: upload keys, the cached check, the Prüfbericht,
the confirmation after a commit, file pickers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fis.format import fmt_zahl
from fis.ingest import raeume as raeume_import
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, lies_tabelle
from ui import cache
from ui.zugang import aktuell

KEIN = "—"


def nach_schreiben(text: str) -> None:
    """After a commit or rollback: drop every cached result and confirm."""
    cache.verwerfen()
    st.session_state["dp_meldung"] = text
    # New uploader keys: the committed file is no longer offered (it would only show
    # "bereits geliefert"), and the next delivery starts from an empty form.
    st.session_state["dp_upload_nr"] = st.session_state.get("dp_upload_nr", 0) + 1
    st.rerun()


def upload_key(name: str) -> str:
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


def geprueft(key: str, pruefen):
    """The check result for ``key``, computed once: widget changes rerun the page, and
    a 1,000,000-row check takes seconds. The key includes the data version, so a
    commit elsewhere invalidates it."""
    cached = st.session_state.get("dp_pruefung")
    if cached is None or cached[0] != key:
        cached = (key, pruefen())
        st.session_state["dp_pruefung"] = cached
    return cached[1]


def wahl(label: str, spalten: list[str], vorgabe: str | None, key: str, ort=None) -> str | None:
    options = [KEIN, *spalten]
    index = options.index(vorgabe) if vorgabe in options else 0
    value = (ort or st).selectbox(label, options, index=index, key=key)
    return None if value == KEIN else value


UPLOAD_HINWEIS = ("Die Datei ins Feld ziehen oder mit „Upload“ auswählen (die englische Beschriftung des Feldes "
                  "stammt von Streamlit und lässt sich nicht übersetzen); höchstens {mb} MB je Datei.")


def indikator_text(katalog: pd.DataFrame) -> dict[str, str]:
    return {r.indikator_id: f"{r.name} ({r.indikator_id})" for r in katalog.itertuples(index=False)}


def stichtage_text(stichtage: list) -> str:
    texte = [f"{d:%d.%m.%Y}" for d in stichtage]
    if len(texte) <= 4:
        return ", ".join(texte)
    return f"{texte[0]} bis {texte[-1]} ({len(texte)} Stichtage)"


def geodatei(label: str, key: str, hilfe: str | None = None):
    """An uploaded boundary file, read (with the layer chosen for a GeoPackage of several):
    (upload, bytes, frame, layer) – or None, with the help text or the German read error."""
    datei = st.file_uploader(label, type=["geojson", "json", "zip", "gpkg"], key=upload_key(key))
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


def tabelle_hochladen(label: str, key: str, hilfe: str):
    """An uploaded CSV/Excel table, or None (with the format help or the German read error)."""
    datei = st.file_uploader(label, type=["csv", "txt", "xlsx"], key=upload_key(key))
    if datei is None:
        st.caption(hilfe)
        return None
    try:
        return lies_tabelle(datei.getvalue(), datei.name)
    except ImportFehler as exc:
        st.error(str(exc))
        return None


def datei_liefern(config, art_id: str, label: str, key: str, hilfe: str | None = None, vorschau=None) -> None:
    """Upload a file of a delivery kind (fis.ingest.arten): checked, the Prüfbericht and the preview shown
    (``vorschau``: a function drawing more of the checked delivery), committed on click as a provisional delivery."""
    art = LIEFERARTEN[art_id]
    datei = st.file_uploader(label, type=[e.strip(".") for e in art.endungen], key=upload_key(key),
                             help=hilfe or art.hilfe)
    if datei is None:
        return
    auftrag = Auftrag(cache.store(), config, datei.getvalue(), datei.name, aktuell())
    try:
        v = geprueft(f"{key}_{datei.file_id}_{cache.data_version()}", lambda: art.pruefen(auftrag))
    except ImportFehler as exc:
        st.error(str(exc))
        return
    bericht(v.bericht, f"{key}_bericht")
    st.caption(f"Vorschau: {art.vorschau(v)}.")
    if vorschau is not None:
        vorschau(v)
    if v.uebernehmbar and st.button("Übernehmen", type="primary", key=f"{key}_ok"):
        lid = art.speichern(auftrag, v)
        nach_schreiben(f"{art.name}: übernommen als Lieferung {lid}. Sie ist vorläufig, bis sie veröffentlicht ist "
                       "(Datenpflege › Lieferungen und Historie).")
        st.rerun()

"""Einordnung der Sozialplanung on the pages: shown to everyone who may see it (public roles: published
ones only), written by Planung (fis.einordnung)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from fis.einordnung import HOECHSTENS_ZEICHEN, bezug_name, speichern, zeile
from fis.format import fmt_datum, md
from fis.ingest.lesen import ImportFehler
from ui import cache
from ui.zugang import aktuell as angemeldet
from ui.zugang import darf_aktuell


def anzeigen(eintraege: dict[str, dict], bezuege: list[str], katalog=None, titel: str = "Einordnung der Sozialplanung"):
    """The Einordnungen of ``bezuege`` (those that exist), as one block."""
    da = [b for b in bezuege if b in eintraege]
    if not da:
        return
    if titel:
        st.markdown(f"**{titel}**")
    for b in da:
        e = eintraege[b]
        name = bezug_name(b, katalog, {ix.id: ix.name for ix in cache.config().indizes.indizes})
        st.markdown(f"*{md(name)}:* {md(e['text'])}")
        st.caption(zeile(e))


def bearbeiten(bezuege: list[str], stichtag: date, katalog, key: str) -> None:
    """Planung writes or changes an Einordnung (a new version, provisional or published at once)."""
    if not darf_aktuell("hochladen"):
        return
    namen = {ix.id: ix.name for ix in cache.config().indizes.indizes}
    with st.expander(f"Einordnung schreiben ({fmt_datum(stichtag)})", icon=":material/edit_note:"):
        bezug = st.selectbox("Wozu", bezuege, key=f"{key}_bezug", format_func=lambda b: bezug_name(b, katalog, namen))
        vorhanden = cache.einordnungen(cache.data_version(), stichtag).get(bezug, {}).get("text", "")
        text = st.text_area("Einordnung (was die Zahlen bedeuten, welche Schlüsse wir ziehen)", value=vorhanden,
                            max_chars=HOECHSTENS_ZEICHEN, key=f"{key}_text_{bezug}",
                            help="Leer speichern zieht die Einordnung zurück. Jede Fassung bleibt im Register.")
        links, rechts = st.columns(2)
        sofort = darf_aktuell("veroeffentlichen") and rechts.checkbox("gleich veröffentlichen", key=f"{key}_pub")
        if links.button("Einordnung speichern", key=f"{key}_ok", icon=":material/save:"):
            try:
                lid = speichern(cache.store(), bezug, stichtag, text, angemeldet(), veroeffentlichen=sofort)
            except ImportFehler as exc:
                st.error(str(exc))
                return
            cache.verwerfen()
            st.success(f"Gespeichert als Lieferung {lid}" + (" und veröffentlicht." if sofort else
                       " (vorläufig: Ausschuss und Öffentlichkeit sehen sie nach der Veröffentlichung)."))

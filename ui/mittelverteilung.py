"""The parts of the page „Mittelverteilung“ below the result: saved scenarios side by side, the PDF."""

from __future__ import annotations

import streamlit as st

from fis import mittelverteilung as mv
from fis.berichte import pdf
from fis.berichte.arten import BERICHTSARTEN, Berichtsauftrag
from fis.format import dateiname_sicher, md
from ui import cache
from ui.berichte import CacheQuelle
from ui.zugang import aktuell as angemeldet
from ui.zugang import darf_aktuell


def szenarien(v: mv.Verteilung, ebene_plural: str) -> None:
    """Save the current setting under a name (planners), delete one, compare saved ones with the current."""
    einheit = v.regel.einheit
    st.subheader("Szenarien")
    gespeichert = {sz.name: sz for sz in mv.szenarien(cache.store())}
    if darf_aktuell("ziele_bearbeiten"):
        s = st.columns([3, 1, 1])
        name = s[0].text_input("Name des Szenarios", key="mv_name", max_chars=80,
                               placeholder="z. B. Sozialindex 2024, Sockel 5.000 €")
        if s[1].button("Speichern", key="mv_speichern", icon=":material/save:", disabled=not name.strip()):
            try:
                mv.szenario_speichern(cache.store(), name, v, angemeldet(), ebene_plural)
            except mv.VerteilungsFehler as exc:
                st.error(str(exc))
            else:
                st.session_state["mv_meldung"] = f"Szenario „{name.strip()}“ gespeichert."
                st.rerun()
        if gespeichert and s[2].button("Löschen …", key="mv_loeschen_auf", icon=":material/delete:"):
            st.session_state["mv_loeschen"] = True
        if st.session_state.get("mv_loeschen") and gespeichert:
            weg = st.selectbox("Szenario löschen", list(gespeichert), key="mv_weg")
            if st.button(f"„{weg}“ endgültig löschen", key="mv_weg_ok"):
                mv.szenario_loeschen(cache.store(), weg, angemeldet())
                st.session_state["mv_meldung"] = f"Szenario „{weg}“ gelöscht."
                st.session_state.pop("mv_loeschen", None)
                st.rerun()
    if meldung := st.session_state.pop("mv_meldung", None):
        st.success(meldung, icon=":material/check_circle:")
    if not gespeichert:
        st.caption("Noch kein Szenario gespeichert: die aktuelle Einstellung unter einem Namen speichern, um sie "
                   "später mit anderen zu vergleichen.")
    else:
        gleich = [n for n, sz in gespeichert.items() if sz.regel.einheit == einheit]
        if len(gleich) < len(gespeichert):
            st.caption(f"Verglichen werden nur Szenarien in {mv.EINHEITEN[einheit]}; "
                       f"{len(gespeichert) - len(gleich)} weitere in einer anderen Einheit.")
        if not gleich:
            return
        wahl = st.multiselect("Vergleichen (mit der aktuellen Einstellung)", gleich, default=gleich[:2],
                              key=f"mv_vergleich_{einheit}")
        verglichen = {"aktuelle Einstellung": v.tabelle} | {n: gespeichert[n].ergebnis for n in wahl}
        st.dataframe(mv.vergleich_text(verglichen, einheit), hide_index=True, key="mv_vergleich_tabelle")
        for n in wahl:
            sz = gespeichert[n]
            st.caption(f"**{md(n)}** ({md(sz.benutzer)}, {sz.gespeichert_am:%d.%m.%Y %H:%M}): {md(sz.satz)}")


def pdf_knopf(regel: mv.Verteilungsregel, version: str) -> None:
    """The PDF of the current setting (offered for download only while the setting is unchanged)."""
    if darf_aktuell("rohdaten_herunterladen") and st.button("PDF erstellen", icon=":material/picture_as_pdf:",
                                                             key="mv_pdf"):
        auftrag = Berichtsauftrag(verteilung=regel.als_json())
        art = BERICHTSARTEN["mittelverteilung"]
        with st.spinner("PDF wird gesetzt …"):
            bericht = art.erstellen(CacheQuelle(version), auftrag)
            st.session_state["mv_pdf_datei"] = (regel.als_json(), art.dateiname(None, auftrag), pdf(bericht))
    datei = st.session_state.get("mv_pdf_datei")
    if datei and datei[0] == regel.als_json():          # a PDF of other settings is not offered for these
        st.download_button("PDF herunterladen", datei[2], file_name=dateiname_sicher(datei[1].removesuffix(".pdf"))
                           + ".pdf", mime="application/pdf", key="mv_pdf_download", icon=":material/download:")

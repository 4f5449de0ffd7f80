"""The editors of the Wirkungsbeitragsanalyse: weights of the strategic goals and the
product × goal contribution matrices (Ist and Soll), stored through fis with audit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fis.produkte import SKALA, wirkung_speichern
from ui import cache
from ui.zugang import aktuell as angemeldet


def editoren(p, gewichte: pd.Series, ist: pd.DataFrame, soll: pd.DataFrame, titel: dict[str, str]) -> None:
    """Weights and both matrices in data editors; „Speichern“ writes them (validated, audited)."""
    namen = p.produkte.set_index("nr")["name"]
    st.caption("Beitrag je Produkt und strategischem Ziel: "
               + ", ".join(f"{k} = {v}" for k, v in SKALA.items()) + ". Gewichte werden auf 1 normiert.")
    g = st.data_editor(pd.DataFrame({"Leitziel": [f"{z} {titel.get(z, '')}" for z in gewichte.index],
                                     "Gewicht": gewichte.values}),
                       hide_index=True, disabled=["Leitziel"], key="pk_gewichte",
                       column_config={"Gewicht": st.column_config.NumberColumn(min_value=0.0, step=0.05)})
    spalten = {z: st.column_config.NumberColumn(f"{z}", min_value=0, max_value=3, step=1, help=titel.get(z))
               for z in ist.columns}
    tabs = st.tabs(["Beitrag heute (Ist)", "angestrebter Beitrag (Soll)"])
    bearbeitet = []
    for tab, matrix, key in zip(tabs, (ist, soll), ("pk_ist", "pk_soll"), strict=True):
        with tab:
            anzeige = matrix.copy()
            anzeige.insert(0, "Produkt", [f"{nr} {namen.get(nr, '')}" for nr in matrix.index])
            e = st.data_editor(anzeige, hide_index=True, disabled=["Produkt"], key=key, column_config=spalten)
            bearbeitet.append(e.drop(columns="Produkt").set_index(matrix.index))
    if st.button("Bewertung speichern", key="pk_speichern", icon=":material/save:"):
        neue_gewichte = pd.Series(g["Gewicht"].to_numpy(dtype=float), index=gewichte.index)
        try:
            n = wirkung_speichern(cache.store(), neue_gewichte, bearbeitet[0], bearbeitet[1], angemeldet())
        except ValueError as exc:
            st.error(f"Nicht gespeichert: {exc}")
            return
        st.session_state["pk_meldung"] = (f"{n} Angaben geändert und im Audit-Log vermerkt." if n
                                          else "Keine Änderungen.")
        st.rerun()

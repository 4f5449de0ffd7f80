"""Widgets shared by the monitoring pages: indicator and Raum choice, legends, tables.

The chosen Raum travels between pages in ``st.session_state["profil_raum"]``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from fis.disclosure import HINWEIS_GEHEIMHALTUNG
from fis.export import csv_bytes, xlsx_bytes
from fis.format import dateiname_sicher
from fis.monitoring import Monitoringdaten
from ui.cache import bestand, config, data_version
from ui.zugang import darf_aktuell


def indikator(katalog: pd.DataFrame, label: str, key: str, standard: list[str] | str | None = None,
              stichtag: date | None = None) -> str:
    """Indicator choice among the indicators with values (``katalog``: indexed by indikator_id);
    the first of ``standard`` with values at ``stichtag`` is preselected."""
    meta = katalog
    vorrat = bestand(data_version())
    vorhanden = set(vorrat["indikator_id"])
    ids = [i for i in meta.index if i in vorhanden]
    if st.session_state.get(key) not in ids:
        kandidaten = [standard] if isinstance(standard, str) else list(standard or [])
        if stichtag is not None:
            am_tag = set(vorrat.loc[(vorrat["stichtag"] == stichtag) & vorrat["mit_wert"], "indikator_id"])
            kandidaten = [i for i in kandidaten if i in am_tag] + sorted(am_tag & set(ids))
        # Shares say more on a map and in comparisons than counts: they come first.
        kandidaten.sort(key=lambda i: meta.at[i, "aggregation"] == "summe" if i in meta.index else True)
        kandidaten = [i for i in kandidaten if i in ids]
        st.session_state[key] = kandidaten[0] if kandidaten else ids[0]
    return st.selectbox(label, ids, key=key,
                        format_func=lambda i: f"{meta.at[i, 'handlungsfeld']} · {meta.at[i, 'name']}")


def raeume_der_ebene(m: Monitoringdaten, stichtag: date, ebene: int) -> pd.Series:
    """Names of the units of ``ebene`` valid at ``stichtag``, by raum_id."""
    r = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == ebene)]
    return r.set_index("raum_id")["name"].sort_index()


def raum(m: Monitoringdaten, stichtag: date, ebene: int, label: str, key: str,
         standard: str | None = None) -> str | None:
    namen = raeume_der_ebene(m, stichtag, ebene)
    if namen.empty:
        return None
    ids = list(namen.index)
    if st.session_state.get(key) not in ids:
        st.session_state[key] = standard if standard in ids else ids[0]
    return st.selectbox(label, ids, key=key, format_func=lambda i: f"{namen[i]} ({i})")


def oeffne_profil(raum_id: str) -> None:
    st.session_state["profil_raum"] = raum_id
    st.switch_page("seiten/sozialraumprofil.py")


def download(frame: pd.DataFrame, dateiname: str, key: str, titel: str | None = None,
             quellen: list[str] | None = None) -> None:
    """The table as CSV and as Excel (German number formats, frozen header, a sheet with
    sources and the suppression note), side by side."""
    if not darf_aktuell("rohdaten_herunterladen"):
        return
    stamm = dateiname_sicher(dateiname.removesuffix(".csv"))
    links, rechts, _ = st.columns([1, 1, 3])
    links.download_button("CSV", csv_bytes(frame), file_name=f"{stamm}.csv", mime="text/csv", key=key,
                          icon=":material/download:", help="Semikolon-getrennt, Dezimalkomma, UTF-8")
    blatt, herkunft = titel or stamm, quellen or [f"FIS Sozialplanung {config().stadt.name}"]
    # Excel is built on click only (deferred): writing a workbook on every rerun cost more than the page.
    rechts.download_button(
        "Excel", lambda: xlsx_bytes({blatt: frame}, blatt, herkunft, [HINWEIS_GEHEIMHALTUNG]),
        file_name=f"{stamm}.xlsx", key=f"{key}_xlsx", icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help="Zahlen als Zahlen, deutsches Format, mit Blatt „Quellen und Hinweise“")

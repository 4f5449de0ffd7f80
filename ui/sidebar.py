"""The shared sidebar, drawn once by app.py: Stichtag and Raumebene.

Pages read the selection with :func:`auswahl`; widget values are copied to plain
session keys so that they survive page switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from fis.config import Config
from fis.format import fmt_datum
from ui import links


@dataclass(frozen=True)
class Auswahl:
    stichtag: date
    ebene: int


def draw(config: Config, stichtage: list[date]) -> Auswahl:
    ebenen = sorted(config.stadt.raumebenen, key=lambda e: e.ebene)
    links.uebernehmen("stichtag", "auswahl_stichtag", date.fromisoformat)
    links.uebernehmen("ebene", "auswahl_ebene", int)
    if st.session_state.get("auswahl_stichtag") not in stichtage:
        st.session_state["auswahl_stichtag"] = stichtage[-1]
    if st.session_state.get("auswahl_ebene") not in [e.ebene for e in ebenen]:
        st.session_state["auswahl_ebene"] = ebenen[0].ebene
    with st.sidebar:
        st.selectbox("Stichtag", stichtage, key="_stichtag",
                     index=stichtage.index(st.session_state["auswahl_stichtag"]),
                     format_func=fmt_datum, on_change=_copy, args=("_stichtag", "auswahl_stichtag"))
        nummern = [e.ebene for e in ebenen]
        st.selectbox("Raumebene", nummern, key="_ebene",
                     index=nummern.index(st.session_state["auswahl_ebene"]),
                     format_func=lambda n: config.ebene(n).plural,
                     on_change=_copy, args=("_ebene", "auswahl_ebene"))
    gewaehlt = auswahl()
    links.merken(stichtag=gewaehlt.stichtag, ebene=gewaehlt.ebene)
    return gewaehlt


def _copy(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def auswahl() -> Auswahl:
    return Auswahl(st.session_state["auswahl_stichtag"], st.session_state["auswahl_ebene"])

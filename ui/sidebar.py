"""The shared sidebar, drawn once by app.py: Stichtag and Raumebene.

Pages read the selection with :func:`auswahl`; widget values are copied to plain
session keys so that they survive page switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from fis.config import Config
from fis.datenstand import Stichtagsstand, neuere_hinweis, stand_hinweis
from fis.format import fmt_datum
from ui import links


@dataclass(frozen=True)
class Auswahl:
    stichtag: date
    ebene: int


def draw(config: Config, staende: list[Stichtagsstand], standard: date) -> Auswahl:
    """The Stichtag choice (each with its state, the newest complete published one preselected) and
    the Raumebene; below, a note when newer, not yet final Stichtage exist."""
    stichtage = [s.stichtag for s in staende]
    labels = {s.stichtag: s.label() for s in staende}
    ebenen = sorted(config.stadt.raumebenen, key=lambda e: e.ebene)
    links.uebernehmen("stichtag", "auswahl_stichtag", date.fromisoformat)
    links.uebernehmen("ebene", "auswahl_ebene", int)
    if st.session_state.get("auswahl_stichtag") not in stichtage:
        st.session_state["auswahl_stichtag"] = standard
    if st.session_state.get("auswahl_ebene") not in [e.ebene for e in ebenen]:
        st.session_state["auswahl_ebene"] = ebenen[0].ebene
    with st.sidebar:
        st.selectbox("Stichtag", stichtage, key="_stichtag",
                     index=stichtages_index(stichtage, st.session_state["auswahl_stichtag"]),
                     format_func=lambda t: labels.get(t, fmt_datum(t)), on_change=_copy,
                     args=("_stichtag", "auswahl_stichtag"),
                     help="Vorausgewählt ist der neueste vollständige, veröffentlichte Stichtag. "
                          "„vorläufig“ = enthält noch nicht veröffentlichte Lieferungen, „unvollständig“ = "
                          "nicht für alle Sozialräume geliefert.")
        nummern = [e.ebene for e in ebenen]
        st.selectbox("Raumebene", nummern, key="_ebene",
                     index=nummern.index(st.session_state["auswahl_ebene"]),
                     format_func=lambda n: config.ebene(n).plural,
                     on_change=_copy, args=("_ebene", "auswahl_ebene"))
        neuer = neuere_hinweis(staende, standard)
        if neuer and st.session_state["auswahl_stichtag"] == standard:
            st.info(neuer, icon=":material/update:")
    gewaehlt = auswahl()
    links.merken(stichtag=gewaehlt.stichtag, ebene=gewaehlt.ebene)
    return gewaehlt


def stichtages_index(stichtage: list[date], tag: date) -> int:
    return stichtage.index(tag) if tag in stichtage else len(stichtage) - 1


def hinweis(config: Config, staende: list[Stichtagsstand], stichtag: date) -> None:
    """The banner of every page while a provisional or incomplete Stichtag is chosen."""
    stand = next((s for s in staende if s.stichtag == stichtag), None)
    text = "" if stand is None else stand_hinweis(stand, config)
    if text:
        st.warning(text, icon=":material/warning:")


def _copy(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def auswahl() -> Auswahl:
    return Auswahl(st.session_state["auswahl_stichtag"], st.session_state["auswahl_ebene"])

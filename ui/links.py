"""Deep links: the state of a view (page, Stichtag, Raumebene, indicator, Raum …) lives in
the URL's query parameters. Opening such a link in a new session restores the view; a
value that does not fit (unknown indicator, Stichtag without data) falls back to the
page's default."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import streamlit as st


def uebernehmen(name: str, key: str, umwandeln=str) -> None:
    """Before the widget: in a session that has no value for ``key`` yet, take it from the link."""
    if key in st.session_state or name not in st.query_params:
        return
    try:
        st.session_state[key] = umwandeln(st.query_params[name])
    except (TypeError, ValueError):
        pass                                   # a broken link value: the page default applies


def merken(**werte) -> None:
    """After the widgets: write the current values into the URL."""
    for name, wert in werte.items():
        if wert is None:
            if name in st.query_params:
                del st.query_params[name]
        else:
            st.query_params[name] = wert.isoformat() if isinstance(wert, date) else str(wert)


def url() -> str:
    basis = (st.context.url or "").split("?")[0]
    return basis + ("?" + urlencode(st.query_params.to_dict()) if len(st.query_params) else "")


def teilen() -> None:
    """A popover with the link of this view, ready to copy."""
    with st.popover("Link zu dieser Ansicht", icon=":material/link:"):
        st.caption("Dieser Link öffnet dieselbe Seite mit Stichtag, Raumebene und Auswahl – auch in einer "
                   "neuen Sitzung. Zum Kopieren das Symbol rechts neben dem Link nutzen.")
        st.code(url(), language=None, wrap_lines=True)

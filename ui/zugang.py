"""Sign-in with the local user file; the signed-in user and role live in the session.

Without any user (no file, or an empty one) the app runs as a local single-user installation
with all rights – bound to 127.0.0.1 by .streamlit/config.toml – and says so in the sidebar.
"""

from __future__ import annotations

import streamlit as st

from fis.config import benutzerdatei_pfad
from fis.zugang import ROLLEN, Benutzer, Benutzerdatei, darf

EINZELPLATZ = Benutzer("lokal", "planung")


def datei() -> Benutzerdatei:
    return Benutzerdatei(benutzerdatei_pfad())


def aktuell() -> Benutzer | None:
    """The signed-in user; in single-user mode a local user with the Planung role; None if a
    user file exists and nobody has signed in yet."""
    if not datei().vorhanden():
        return EINZELPLATZ
    return st.session_state.get("zugang_benutzer")


def darf_aktuell(aktion: str) -> bool:
    b = aktuell()
    return b is not None and (b is EINZELPLATZ or darf(b.rolle, aktion))


def anmeldeseite() -> None:
    st.title("FIS Sozialplanung – Anmeldung")
    with st.form("zugang_form"):
        name = st.text_input("Benutzername", key="zugang_name")
        passwort = st.text_input("Passwort", type="password", key="zugang_passwort")
        if st.form_submit_button("Anmelden", type="primary"):
            b = datei().anmelden(name.strip(), passwort)
            if b is None:
                st.error("Benutzername oder Passwort ist falsch.")
            else:
                st.session_state["zugang_benutzer"] = b
                st.rerun()


def seitenleiste(b: Benutzer) -> None:
    with st.sidebar:
        if b is EINZELPLATZ:
            st.caption("Lokaler Einzelplatzmodus: ohne Anmeldung, nur auf diesem Rechner erreichbar "
                       "(127.0.0.1). Benutzer anlegen: python -m fis user add …")
        else:
            st.caption(f"Angemeldet: {b.name} ({ROLLEN[b.rolle]})")
            if st.button("Abmelden", key="zugang_abmelden", icon=":material/logout:"):
                st.session_state.pop("zugang_benutzer", None)
                st.rerun()

"""Sign-in: with the city's identity provider (OIDC through st.login) or the local user file;
the signed-in user and role live in the session.

Without an identity provider and without any local user the app runs as a local single-user
installation with all rights (role ``einzelplatz``) – bound to 127.0.0.1 by
.streamlit/config.toml – and says so in the sidebar.
"""

from __future__ import annotations

import os
from html import escape

import streamlit as st

from fis.audit import SPERRE_MINUTEN, anmeldung_gesperrt, vermerken
from fis.format import md
from fis.ingest.lieferungen import benutzer as systemkonto
from fis.pfade import benutzerdatei_pfad
from fis.sitzungen import COOKIE, sitzungen_fuer
from fis.zugang import (
    EINZELPLATZ_ROLLE,
    ROLLEN,
    Benutzer,
    Benutzerdatei,
    benutzer_aus_claims,
    darf,
    einzelplatz_erlaubt,
    einzelplatz_verweigert,
)
from ui.anmeldung import ANMELDEN, _basis
from ui.verbindung import config, protokoll_store


def einzelplatz() -> Benutzer:
    """The single user of a local installation: the operating-system account (or FIS_BENUTZER)."""
    return Benutzer(systemkonto(), EINZELPLATZ_ROLLE)


def datei() -> Benutzerdatei:
    return Benutzerdatei(benutzerdatei_pfad())


def _zugang():
    return config().zugang


def _claims() -> dict:
    """What the identity provider said about the signed-in person ({} if nobody)."""
    return st.user.to_dict() if st.user.get("is_logged_in") else {}


def _sitzungen():
    return sitzungen_fuer(benutzerdatei_pfad(), _zugang().sitzung_stunden)


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 – no request context (bare script runs)
        return None


def aktuell() -> Benutzer | None:
    """The signed-in user; in single-user mode a local user with every right; None if nobody
    (with a role) has signed in yet. A local user's session cookie (ui/anmeldung.py) is checked on
    every run, so a sign-out in another tab, a removed user or a changed role apply at once."""
    zugang = _zugang()
    if zugang.anmeldung == "oidc":
        b = benutzer_aus_claims(_claims(), zugang.oidc)
        if b is not None and st.session_state.get("zugang_vermerkt") != b:
            st.session_state["zugang_vermerkt"] = b
            vermerken(protokoll_store(), b.name, "anmeldung", "sitzung", b.name,
                      {"rolle": b.rolle, "über": "OIDC"})
        return b
    if not datei().vorhanden():
        adresse = st.get_option("server.address")
        if not einzelplatz_erlaubt(adresse):
            st.error(einzelplatz_verweigert(adresse, benutzerdatei_pfad()))
            st.stop()
        return einzelplatz()
    cookie = _cookie()
    if cookie:
        b = _sitzungen().pruefen(cookie, datei())
        if b is not None:
            st.session_state["zugang_benutzer"], st.session_state["zugang_quelle"] = b, "sitzung"
            return b
    if st.session_state.get("zugang_quelle") == "sitzung":
        # the session ended (signed out in another tab, expired, user removed): signed out here too
        st.session_state.pop("zugang_benutzer", None)
        st.session_state.pop("zugang_quelle", None)
    return st.session_state.get("zugang_benutzer")


def darf_aktuell(aktion: str) -> bool:
    b = aktuell()
    return b is not None and darf(b.rolle, aktion)


def anmeldeseite() -> None:
    zugang = _zugang()
    st.title("FIS Sozialplanung – Anmeldung")
    if zugang.anmeldung == "oidc":
        _oidc_anmeldung(zugang.oidc)
    else:
        _lokale_anmeldung()


def _oidc_anmeldung(oidc) -> None:
    claims = _claims()
    if claims:
        # signed in at the identity provider, but none of the configured groups
        name = next((str(claims[k]) for k in (oidc.name_claim, "email", "sub") if claims.get(k)), "unbekannt")
        st.error(f"Die Kennung „{md(name)}“ ist angemeldet, hat aber keine Rolle im FIS. Bitte bei der "
                 "Administration die Aufnahme in eine der FIS-Gruppen beantragen.")
        if st.button("Abmelden", key="zugang_oidc_abmelden", icon=":material/logout:"):
            st.logout()
        return
    st.write("Angemeldet wird mit dem Dienstkonto der Verwaltung (Single Sign-on).")
    if st.button("Anmelden", type="primary", key="zugang_oidc_anmelden", icon=":material/login:"):
        if oidc.anbieter:
            st.login(oidc.anbieter)
        else:
            st.login()


def _lokale_anmeldung() -> None:
    if os.environ.get("FIS_ANMELDUNG_HTTP"):
        # served by server.py: sign-in happens on the sign-in page (its cookie survives a reload)
        ziel = f"{_basis()}{ANMELDEN}"
        st.info("Sie sind nicht (mehr) angemeldet.")
        st.html(f'<a href="{escape(ziel)}" style="font-size:1.1rem">Zur Anmeldung</a>')
        return
    with st.form("zugang_form"):
        name = st.text_input("Benutzername", key="zugang_name", max_chars=40)
        passwort = st.text_input("Passwort", type="password", key="zugang_passwort", max_chars=200)
        if st.form_submit_button("Anmelden", type="primary"):
            name = name.strip().lower()
            store = protokoll_store()
            if anmeldung_gesperrt(store, name):
                st.error(f"Zu viele Fehlversuche: die Anmeldung als „{md(name)}“ ist für {SPERRE_MINUTEN} Minuten "
                         "gesperrt.")
                return
            b = datei().anmelden(name, passwort)
            if b is None:
                vermerken(store, name, "anmeldung_fehlgeschlagen", "sitzung", name)
                st.error("Benutzername oder Passwort ist falsch.")
            else:
                vermerken(store, b.name, "anmeldung", "sitzung", b.name, {"rolle": b.rolle})
                st.session_state["zugang_benutzer"] = b
                st.rerun()


def seitenleiste(b: Benutzer) -> None:
    with st.sidebar:
        if b.rolle == EINZELPLATZ_ROLLE:
            st.caption(f"Lokaler Einzelplatzmodus: ohne Anmeldung, nur auf diesem Rechner erreichbar "
                       f"({st.get_option('server.address')}:{st.get_option('server.port')}). Benutzer anlegen: "
                       "python -m fis user add …")
            return
        st.caption(f"Angemeldet: {md(b.name)} ({ROLLEN[b.rolle]})")
        if st.button("Abmelden", key="zugang_abmelden", icon=":material/logout:"):
            # the session ends for every tab holding its cookie
            if _cookie():
                _sitzungen().beenden(_cookie())
            vermerken(protokoll_store(), b.name, "abmeldung", "sitzung", b.name)
            st.session_state.pop("zugang_benutzer", None)
            st.session_state.pop("zugang_quelle", None)
            st.session_state.pop("zugang_vermerkt", None)
            if _zugang().anmeldung == "oidc":
                st.logout()
            st.rerun()

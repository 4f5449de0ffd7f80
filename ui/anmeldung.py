"""Sign-in over HTTP for local users: a small German sign-in page and a session cookie, in front of
Streamlit (server.py mounts it as ASGI middleware).

Streamlit's own widgets cannot set cookies, so a sign-in inside the app is lost on F5. Here the
browser posts name and password to ``…/_fis/anmelden``; on success the answer sets the cookie
``fis_sitzung`` (HttpOnly, SameSite=Strict, Secure behind HTTPS, never in a URL) and leads back to the
page that was asked for (a shared deep link survives the sign-in). Every page load without a valid
session is sent to the sign-in page; ``…/_fis/abmelden`` ends the session in every tab. The session
itself lives in fis.sitzungen; the app checks the same cookie on every run (ui/zugang.py).

Only active for ``anmeldung: lokal`` with a user file; single-user mode and OIDC pass through.
"""

from __future__ import annotations

import html
import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from streamlit import config as st_konfig

from fis import palette as P
from fis.audit import SPERRE_MINUTEN, anmeldung_gesperrt, vermerken, vormerken
from fis.config_lesen import lade_konfiguration
from fis.pfade import benutzerdatei_pfad, config_ordner, db_path
from fis.sitzungen import COOKIE, Drossel, sitzungen_fuer
from fis.store import StoreError
from fis.verbindungen import VERBINDUNGEN
from fis.zugang import Benutzerdatei

ANMELDEN = "/_fis/anmelden"
ABMELDEN = "/_fis/abmelden"
CSRF = "fis_anmeldung"
FREI = ("/_stcore", "/static", "/component", "/media", "/app/static", "/-/", "/favicon", "/manifest",
        "/oauth2callback", "/auth")


def _basis() -> str:
    """server.baseUrlPath as '' or '/fis' (read per request: the flag is parsed after import)."""
    basis = (st_konfig.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{basis}" if basis else ""


def _mtime(pfad: Path) -> float:
    try:
        return pfad.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _zugang_geladen(verzeichnis: str, _stand: float):
    return lade_konfiguration(verzeichnis).zugang


def _einstellungen():
    """zugang.yaml (re-read when the file changes)."""
    verzeichnis = str(config_ordner())
    return _zugang_geladen(verzeichnis, _mtime(Path(verzeichnis) / "zugang.yaml"))


@lru_cache(maxsize=8)
def _benutzer_vorhanden(pfad: str, _stand: float) -> bool:
    return Benutzerdatei(pfad).vorhanden()


def _aktiv() -> bool:
    """Local sign-in with users: the guard applies (cheap: re-read only when a file changed)."""
    try:
        pfad = benutzerdatei_pfad()
        return _einstellungen().anmeldung == "lokal" and _benutzer_vorhanden(str(pfad), _mtime(pfad))
    except Exception:  # noqa: BLE001 – a broken configuration is reported by the app itself
        return False


def _sitzungen():
    return sitzungen_fuer(benutzerdatei_pfad(), _einstellungen().sitzung_stunden)


def _client(request: Request) -> str:
    """The client's address; behind a reverse proxy on this machine the first X-Forwarded-For entry."""
    peer = request.client.host if request.client else "?"
    weitergeleitet = request.headers.get("x-forwarded-for")
    if weitergeleitet and peer in ("127.0.0.1", "::1"):
        return weitergeleitet.split(",")[0].strip()
    return peer


def _sicher(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _weiter(ziel: str | None, basis: str) -> str:
    """Only a path of this app (no other site, no scheme): protects against open redirects."""
    start = f"{basis}/"
    if not ziel or not ziel.startswith(start) or ziel.startswith("//") or "\\" in ziel or ziel.startswith(
            f"{basis}/_fis/"):
        return start
    return ziel


def _seite(titel: str, inhalt: str, status: int = 200, csrf: str | None = None) -> HTMLResponse:
    """A plain German page (no script, no external resource, readable at 200 % zoom)."""
    antwort = HTMLResponse(f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(titel)} – FIS Sozialplanung</title>
<style>
body {{ font-family: "Source Sans", "Segoe UI", Arial, sans-serif; background: {P.SEITE_HINTERGRUND};
       color: {P.TEXT}; margin: 0; }}
main {{ max-width: 26rem; margin: 8vh auto; background: {P.WEISS}; padding: 2rem 2.2rem; border-radius: 8px;
        box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
h1 {{ font-size: 1.5rem; margin: 0 0 .3rem; }} p {{ line-height: 1.45; }}
label {{ display: block; font-weight: 600; margin: 1rem 0 .3rem; }}
input {{ width: 100%; box-sizing: border-box; font-size: 1.05rem; padding: .55rem .6rem; border: 1px solid {P.RAHMEN};
         border-radius: 4px; }}
button, a.knopf {{ margin-top: 1.4rem; font-size: 1.05rem; padding: .6rem 1.2rem; background: {P.PRIMAER};
          color: {P.WEISS}; border: 0; border-radius: 4px; cursor: pointer; text-decoration: none;
          display: inline-block; }}
.fehler {{ background: {P.FEHLER_HINTERGRUND}; border-left: 4px solid {P.FEHLER_RAND}; padding: .6rem .8rem;
           color: {P.FEHLER_TEXT}; }}
.hinweis {{ color: {P.TEXT_LEISE}; font-size: .95rem; }}
</style></head><body><main>{inhalt}</main></body></html>""", status_code=status)
    antwort.headers["Cache-Control"] = "no-store"
    antwort.headers["X-Frame-Options"] = "DENY"
    antwort.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    if csrf:
        antwort.set_cookie(CSRF, csrf, httponly=True, samesite="strict", path="/")
    return antwort


def _formular(basis: str, weiter: str, name: str = "", fehler: str = "") -> HTMLResponse:
    csrf = secrets.token_urlsafe(24)
    meldung = f'<p class="fehler" role="alert">{html.escape(fehler)}</p>' if fehler else ""
    return _seite("Anmeldung", f"""
<h1>FIS Sozialplanung</h1><p>Bitte mit dem Benutzernamen und Passwort der Sozialplanung anmelden.</p>{meldung}
<form method="post" action="{html.escape(basis + ANMELDEN)}">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="weiter" value="{html.escape(weiter)}">
<label for="name">Benutzername</label>
<input id="name" name="name" autocomplete="username" maxlength="40" required autofocus value="{html.escape(name)}">
<label for="passwort">Passwort</label>
<input id="passwort" name="passwort" type="password" autocomplete="current-password" maxlength="200" required>
<button type="submit">Anmelden</button></form>
<p class="hinweis">Die Anmeldung gilt auf diesem Gerät, bis Sie sich abmelden oder {_einstellungen().sitzung_stunden:g}
Stunden nichts tun. Zugang beantragen: bei der Administration der Sozialplanung.</p>""",
                  status=401 if fehler else 200, csrf=csrf)


class Anmeldung:
    """ASGI middleware: the sign-in and sign-out endpoints and the guard of every page load."""

    def __init__(self, app):
        self.app = app
        self.drossel = Drossel()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        basis = _basis()
        pfad = scope["path"].rstrip("/") or "/"
        eigene = pfad in (basis + ANMELDEN, basis + ABMELDEN)
        # Streamlit's assets, stream and health check pass untouched (no file is read for them)
        if not (eigene or self._seitenaufruf(request, basis)) or not _aktiv():
            await self.app(scope, receive, send)
            return
        if pfad == basis + ANMELDEN:
            antwort = await (self._anmelden(request, basis) if request.method == "POST"
                             else self._formular_zeigen(request, basis))
        elif pfad == basis + ABMELDEN:
            antwort = await self._abmelden(request, basis)
        elif self._seitenaufruf(request, basis):
            antwort = await self._bewachen(request, basis)
        else:
            antwort = None
        if antwort is None:
            await self.app(scope, receive, send)
        else:
            await antwort(scope, receive, send)

    @staticmethod
    def _seitenaufruf(request: Request, basis: str) -> bool:
        """A browser asking for a page (not for Streamlit's assets, stream or health check)."""
        if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
            return False
        rest = request.url.path[len(basis):] if request.url.path.startswith(basis) else request.url.path
        return not rest.startswith(FREI)

    async def _bewachen(self, request: Request, basis: str) -> Response | None:
        cookie = request.cookies.get(COOKIE)
        b = await run_in_threadpool(_sitzungen().pruefen, cookie, Benutzerdatei(benutzerdatei_pfad())) \
            if cookie else None
        ziel = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if b is None:
            if request.headers.get("sec-fetch-site") == "cross-site":
                # a link from an e-mail or the intranet: SameSite=Strict withholds the cookie on this one
                # request; a same-site step (no script needed) brings it along
                return _seite("Weiterleitung", f'<meta http-equiv="refresh" content="0; url={html.escape(ziel)}">'
                                               f'<p><a class="knopf" href="{html.escape(ziel)}">Weiter</a></p>')
            return RedirectResponse(f"{basis}{ANMELDEN}?{urlencode({'weiter': ziel})}", status_code=303)
        return None          # signed in: Streamlit serves the page (the session was extended)

    async def _formular_zeigen(self, request: Request, basis: str) -> Response:
        return _formular(basis, _weiter(request.query_params.get("weiter"), basis))

    async def _anmelden(self, request: Request, basis: str) -> Response:
        form = await request.form()
        name = str(form.get("name", "")).strip().lower()[:40]
        passwort = str(form.get("passwort", ""))[:200]
        weiter = _weiter(str(form.get("weiter", "")), basis)
        if not secrets.compare_digest(str(form.get("csrf", "")), request.cookies.get(CSRF, "-")):
            return _formular(basis, weiter, name, "Die Anmeldeseite war veraltet. Bitte noch einmal anmelden.")
        client = _client(request)
        pause = self.drossel.warten_s(client)
        if pause > 0:
            return _formular(basis, weiter, name, f"Zu viele Fehlversuche von diesem Rechner: bitte "
                                                  f"{pause:.0f} Sekunden warten und es dann erneut versuchen.")
        b, gesperrt = await run_in_threadpool(_pruefen, name, passwort, client)
        if gesperrt:
            return _formular(basis, weiter, name, f"Zu viele Fehlversuche: die Anmeldung als „{name}“ ist von "
                                                  f"diesem Rechner aus für {SPERRE_MINUTEN} Minuten gesperrt.")
        if b is None:
            self.drossel.fehlschlag(client)
            await run_in_threadpool(_vermerken, name, "anmeldung_fehlgeschlagen",
                                    {"über": "Anmeldeseite", "client": client})
            return _formular(basis, weiter, name, "Benutzername oder Passwort ist falsch.")
        self.drossel.erfolg(client)
        einstellungen = _einstellungen()
        cookie = await run_in_threadpool(_sitzungen().anlegen, b)
        await run_in_threadpool(_vermerken, b.name, "anmeldung", {"rolle": b.rolle, "über": "Anmeldeseite"})
        antwort = RedirectResponse(weiter, status_code=303)
        antwort.set_cookie(COOKIE, cookie, max_age=int(einstellungen.sitzung_stunden * 3600), httponly=True,
                           samesite="strict", secure=_sicher(request), path=basis or "/")
        antwort.delete_cookie(CSRF, path="/")
        return antwort

    async def _abmelden(self, request: Request, basis: str) -> Response:
        name = await run_in_threadpool(_sitzungen().beenden, request.cookies.get(COOKIE))
        if name:
            await run_in_threadpool(_vermerken, name, "abmeldung")
        antwort = _seite("Abgemeldet", f'<h1>Abgemeldet</h1><p>Sie sind abgemeldet – in allen Tabs dieses '
                                       f'Browsers.</p><p><a class="knopf" href="{html.escape(basis + ANMELDEN)}">'
                                       "Wieder anmelden</a></p>")
        antwort.delete_cookie(COOKIE, path=basis or "/")
        return antwort


def _pruefen(name: str, passwort: str, client: str | None = None):
    """(user or None, locked?) – the lock per user and client comes from the audit log (fis.audit)."""
    try:
        store = VERBINDUNGEN.holen(db_path(), warten=10)    # the app's own connection: one per process
    except StoreError:
        store = None                        # busy database: the password still decides
    if store is not None:
        try:
            if anmeldung_gesperrt(store.cursor(), name, client=client):
                return None, True
        finally:
            VERBINDUNGEN.freigeben(db_path())
    return Benutzerdatei(benutzerdatei_pfad()).anmelden(name, passwort), False


def _vermerken(benutzer: str, aktion: str, details: dict | None = None) -> None:
    """Into the audit log through the process's connection; spooled if the database stays busy."""
    try:
        store = VERBINDUNGEN.holen(db_path(), warten=5)
    except StoreError:
        vormerken(db_path(), benutzer, aktion, "sitzung", benutzer, details)
        return
    try:
        vermerken(store.cursor(), benutzer, aktion, "sitzung", benutzer, details)
    finally:
        VERBINDUNGEN.freigeben(db_path())

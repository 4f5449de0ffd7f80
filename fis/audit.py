"""The audit log for reading: who uploaded, published, rolled back or edited what, and when.

Every writing fis function adds its entry in the same transaction as the change; sign-ins and
user administration add theirs here. Reading it is for Leitung and Administration
(:func:`protokoll` checks the role).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd

from fis.store import DatenbankFehler, Store, StoreError, audit_vormerken
from fis.zugang import Benutzer, handelnder

AKTIONEN = {
    "import": "Lieferung übernommen",
    "veroeffentlicht": "Lieferung veröffentlicht",
    "rollback": "Lieferung zurückgenommen",
    "rollback_aufgehoben": "Zurücknahme aufgehoben",
    "ziel_angelegt": "Ziel angelegt",
    "ziel_geaendert": "Ziel geändert",
    "produkt_geaendert": "Produktstamm geändert",
    "wirkungsbeitrag_geaendert": "Wirkungsbeiträge geändert",
    "sroi_gespeichert": "SROI-Analyse gespeichert",
    "einordnung_gespeichert": "Einordnung gespeichert",
    "anmeldung": "Anmeldung",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "abmeldung": "Abmeldung",
    "benutzer_angelegt": "Benutzer angelegt",
    "benutzer_entfernt": "Benutzer entfernt",
    "passwort_gesetzt": "Passwort neu gesetzt",
}

OBJEKTE = {"lieferung": "Lieferung", "ziel": "Ziel", "produkt": "Produkt", "produktgruppe": "Produktgruppe",
           "produktbereich": "Produktbereich", "wirkungsbeitrag": "Wirkungsbeiträge", "sroi": "SROI-Analyse",
           "sitzung": "Sitzung", "benutzer": "Benutzer", "einordnung": "Einordnung"}


def _einzelheiten(details) -> str:
    """The JSON details as one readable line ("schlüssel: wert; …"), never as markup."""
    if details is None or (isinstance(details, float) and pd.isna(details)):
        return ""
    try:
        inhalt = json.loads(details)
    except ValueError:
        return str(details)
    if not isinstance(inhalt, dict):
        return str(inhalt)
    teile = []
    for k, v in inhalt.items():
        if v is None or v == "" or v == [] or v == {}:
            continue
        text = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v)
        teile.append(f"{k}: {text if len(text) <= 300 else text[:299] + '…'}")
    return "; ".join(teile)


def protokoll(store, wer: Benutzer | str, von: date | None = None, bis: date | None = None,
              benutzer: str | None = None, aktion: str | None = None) -> pd.DataFrame:
    """The audit log, newest first, with German column names for display and export."""
    handelnder(wer, "audit_lesen")
    frame = store.lade_audit(von, bis, benutzer or None, aktion or None).iloc[::-1]
    return pd.DataFrame({
        "Nr.": frame["audit_id"].astype(int),
        "Zeitpunkt": pd.to_datetime(frame["zeitpunkt"]),
        "Benutzer": frame["benutzer"],
        "Aktion": frame["aktion"].map(AKTIONEN).fillna(frame["aktion"]),
        "Objekt": frame["objekt_typ"].map(OBJEKTE).fillna(frame["objekt_typ"]),
        "Kennung": frame["objekt_id"].fillna(""),
        "Einzelheiten": [_einzelheiten(d) for d in frame["details"]],
    }).reset_index(drop=True)


def benutzer_im_protokoll(store) -> list[str]:
    return sorted(store.lade_audit()["benutzer"].dropna().unique().tolist())


def vermerken(store, benutzer: str, aktion: str, objekt_typ: str, objekt_id: str | None = None,
              details: dict | None = None) -> bool:
    """An entry outside a data change (sign-in, user administration). When the database cannot take
    it now (opened read-only, busy), it waits in the spool beside the database and is added by the
    next process that opens it for writing: no entry is lost. Returns False only if even that failed."""
    if aktion not in AKTIONEN:
        raise KeyError(aktion)
    try:
        store.insert_audit(benutzer, aktion, objekt_typ, objekt_id, details)
    except DatenbankFehler:
        return vormerken(getattr(store, "path", None), benutzer, aktion, objekt_typ, objekt_id, details)
    return True


def vormerken(pfad, benutzer: str, aktion: str, objekt_typ: str, objekt_id: str | None = None,
              details: dict | None = None) -> bool:
    """Spool an entry for the database at ``pfad`` (see :func:`fis.store.audit_vormerken`)."""
    if not pfad or str(pfad) == ":memory:":
        return False
    try:
        audit_vormerken(pfad, benutzer, aktion, objekt_typ, objekt_id, details)
    except OSError:
        return False
    return True


def vermerken_in(pfad, benutzer: str, aktion: str, objekt_typ: str, objekt_id: str | None = None,
                 details: dict | None = None, warten: float = 5.0) -> bool:
    """An entry for the database file at ``pfad`` from a process that has no connection (the user
    command line, a sign-in while an import runs): written at once if the database is free within
    ``warten`` seconds, else spooled."""
    if aktion not in AKTIONEN:
        raise KeyError(aktion)
    try:
        with Store.open(pfad, warten=warten) as store:
            return vermerken(store, benutzer, aktion, objekt_typ, objekt_id, details)
    except StoreError:
        return vormerken(pfad, benutzer, aktion, objekt_typ, objekt_id, details)


SPERRE_VERSUCHE = 5
SPERRE_MINUTEN = 15


def anmeldung_gesperrt(store, name: str, jetzt: datetime | None = None, client: str | None = None) -> bool:
    """True after SPERRE_VERSUCHE failed sign-ins for ``name`` within SPERRE_MINUTEN minutes
    (and no successful one since): slows down password guessing across sessions.

    With ``client`` (the sign-in page knows the address) only the failures from that client count: a
    guesser locks the name for himself, not for the user signing in from her own machine, so nobody can
    keep a known user locked out. Each client is also slowed down on its own (ui.anmeldung)."""
    jetzt = jetzt or datetime.now()
    zeilen = store.lade_anmeldungen(name, jetzt - timedelta(minutes=SPERRE_MINUTEN))
    fehl = 0
    for aktion, details in zeilen:
        if aktion == "anmeldung":
            break
        if client is not None:
            try:
                von = json.loads(details or "{}").get("client")
            except (ValueError, AttributeError):
                von = None
            if von != client:
                continue
        fehl += 1
    return fehl >= SPERRE_VERSUCHE

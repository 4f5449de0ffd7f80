"""Reading a Maßnahmen delivery: YAML entries or table rows become entries of delivered fields only (a field
that is missing is kept from the register by :mod:`fis.ingest.massnahmen`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from fis.ingest.grenzen import yaml_laden
from fis.ingest.lesen import ImportFehler, lies_tabelle
from fis.ingest.pruefregeln import normiert

TEXTE = ("titel", "beschreibung", "handlungsfeld", "traeger", "verantwortlich")
EVALUATION = ("datum", "methode", "ergebnis", "kennzahlen", "text", "dokument")

# Column names (compared normalised) per field of a table delivery.
ALIASE = {
    "id": ("id", "kennung", "nr", "massnahme", "massnahme_id", "maßnahme"),
    "titel": ("titel", "bezeichnung", "name"),
    "beschreibung": ("beschreibung",),
    "handlungsfeld": ("handlungsfeld",),
    "raeume": ("sozialraeume", "sozialräume", "sozialraum", "raeume", "räume", "gebiete"),
    "ziele": ("ziele", "ziel"),
    "produkte": ("produkte", "produkt"),
    "traeger": ("traeger", "träger"),
    "verantwortlich": ("verantwortlich", "verantwortliche stelle", "stelle"),
    "beginn": ("beginn", "start"),
    "ende": ("ende",),
    "status": ("status",),
    "status_seit": ("status_seit", "status seit", "seit"),
    "haushalt_produkt": ("haushalt_produkt",),
    "haushalt_position": ("haushalt_position",),
}
_JAHRSPALTE = re.compile(r"^(budget plan|budget ist|teilnehmende|plaetze|plätze|faelle|fälle)\s?(\d{4})$")

def leer(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


def als_text(v) -> str:
    if leer(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def als_liste(v) -> list[str]:
    if leer(v):
        return []
    teile = v if isinstance(v, (list, tuple)) else re.split(r"[,;|\n]", str(v))
    return [als_text(t) for t in teile if not leer(t)]


def aus_yaml(data: bytes, name: str) -> list[dict]:
    daten = yaml_laden(data, name)
    eintraege = daten.get("massnahmen") if isinstance(daten, dict) else daten
    if not isinstance(eintraege, list) or not all(isinstance(e, dict) for e in eintraege):
        raise ImportFehler(f"„{name}“: erwartet wird eine Liste von Maßnahmen unter dem Schlüssel „massnahmen:“, "
                           "jede ein Abschnitt mit Schlüsseln (id, titel, handlungsfeld, status …).")
    out = []
    for i, e in enumerate(eintraege, start=1):
        r = {"_zeile": i, "id": als_text(e.get("id"))}
        for feld in (*TEXTE, "beginn", "ende", "status", "status_seit"):
            if feld in e:
                r[feld] = e[feld]
        for feld, schluessel in (("raeume", "sozialraeume"), ("ziele", "ziele"), ("produkte", "produkte")):
            if schluessel in e or feld in e:
                r[feld] = e.get(schluessel, e.get(feld))
        if "haushalt" in e:
            h = e["haushalt"] if isinstance(e["haushalt"], dict) else {}
            r["haushalt_produkt"], r["haushalt_position"] = h.get("produkt"), h.get("position")
        if "status_verlauf" in e:
            r["status_verlauf"] = [(s.get("status"), s.get("seit")) if isinstance(s, dict) else (s, None)
                                   for s in (e["status_verlauf"] or [])]
        if isinstance(e.get("jahre"), dict):
            r["jahre"] = {j: (f if isinstance(f, dict) else {}) for j, f in e["jahre"].items()}
        if "evaluationen" in e:
            r["evaluationen"] = [x for x in (e["evaluationen"] or []) if isinstance(x, dict)]
        out.append(r)
    return out


def aus_tabelle(data: bytes, name: str, blatt: str | None) -> tuple[list[dict], pd.DataFrame]:
    """Records from a table and its header as rows (wert: column, art: field or '' when unused)."""
    t = lies_tabelle(data, name, blatt)
    felder: dict[str, str] = {}
    arten = {}
    for spalte in t.daten.columns:
        n = normiert(spalte)
        feld = next((f for f, namen in ALIASE.items() if n in {normiert(a) for a in namen} and f not in felder), None)
        if feld:
            felder[feld], arten[spalte] = spalte, feld
        elif _JAHRSPALTE.match(n) or (n.startswith("evaluation ") and n[11:] in EVALUATION):
            arten[spalte] = "jahr" if _JAHRSPALTE.match(n) else "evaluation"
        else:
            arten[spalte] = ""
    out = []
    for i, zeile in enumerate(t.daten.to_dict("records")):
        if all(leer(v) for v in zeile.values()):
            continue
        r = {"_zeile": i + t.kopfzeile + 1, "id": als_text(zeile.get(felder.get("id", ""), ""))}
        r |= {f: zeile[s] for f, s in felder.items() if f != "id"}
        jahre: dict = {}
        ev: dict = {}
        for spalte, art in arten.items():
            n = normiert(spalte)
            if art == "jahr":
                m = _JAHRSPALTE.match(n)
                feld = {"plätze": "plaetze", "fälle": "faelle"}.get(m.group(1), m.group(1).replace(" ", "_"))
                jahre.setdefault(m.group(2), {})[feld] = zeile[spalte]
            elif art == "evaluation" and not leer(zeile[spalte]):
                ev[n[11:]] = zeile[spalte]
        if jahre:
            r["jahre"] = jahre
        if ev:
            r["evaluationen"] = [ev]
            r["_evaluation_ergaenzen"] = True
        out.append(r)
    kopf = pd.DataFrame({"wert": list(arten), "art": list(arten.values())})
    return out, kopf



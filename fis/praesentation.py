"""Präsentationsmodus: the configured sequence of views (praesentation.yaml) for a committee
session, each with a title and a one-sentence key message computed from the published,
suppressed figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fis.config import Config, Folie
from fis.controlling import AMPEL_SYMBOL
from fis.format import fmt_datum, fmt_differenz, fmt_wert

ANSICHTEN = {"eckwerte": "Lagebild", "karte": "Karte", "zeitreihe": "Zeitreihe", "sozialindex": "Sozialindex",
             "ziele": "Zielsystem", "profil": "Sozialraumprofil"}


@dataclass(frozen=True)
class Kopf:
    titel: str
    aussage: str


def stadtwert_satz(m, indikator_id: str, stichtag: date) -> str:
    """„Gesamtstadt 17,7 % am 31.12.2024, −0,4 Pp zum Vorjahr.“ from the published values."""
    meta = m.meta(indikator_id)
    einheit, stellen = meta["einheit"], int(meta["nachkommastellen"])
    stadt = m.auswahl(indikator_id, ebene=m.top)
    stadt = stadt[stadt["stichtag"] <= stichtag].sort_values("stichtag")
    name = m.ebenen[m.top][0]
    if stadt.empty or pd.isna(stadt["wert"].iloc[-1]):
        return f"Für die {name} liegt kein Wert vor."
    jetzt = stadt.iloc[-1]
    satz = f"{name} {fmt_wert(jetzt['wert'], einheit, stellen)} am {fmt_datum(jetzt['stichtag'])}"
    vorher = stadt[stadt["stichtag"] < jetzt["stichtag"]]
    if len(vorher) and pd.notna(vorher["wert"].iloc[-1]):
        satz += f", {fmt_differenz(jetzt['wert'] - vorher['wert'].iloc[-1], einheit, stellen)} gegenüber " \
                f"{fmt_datum(vorher['stichtag'].iloc[-1])}"
    return satz + "."


def ampel_zaehlung(bewertung: pd.DataFrame) -> dict[str, int]:
    """Goals per Ampel colour (own Kennzahl), worst first."""
    z = bewertung["ampel_eigen"].value_counts()
    return {farbe: int(z.get(farbe, 0)) for farbe in ("rot", "gelb", "grün", "grau")}


def kopf(folie: Folie, config: Config, m, stichtag: date, *, lage=None, bewertung=None,
         index_name: str | None = None) -> Kopf:
    """Title and key message of a slide; a configured title or message wins."""
    einheit_plural = m.ebenen[1][1]
    if folie.ansicht == "eckwerte":
        titel = f"Lagebild {config.stadt.name} {fmt_datum(stichtag)}"
        aussage = (f"{len(lage.handlungsbedarf)} von {lage.anzahl_sozialraeume} {einheit_plural} mit "
                   "Handlungsbedarf." if lage is not None else "")
    elif folie.ansicht in ("karte", "zeitreihe"):
        meta = m.meta(folie.indikator)
        titel = (f"{meta['name']} je {m.ebenen[1][0]}" if folie.ansicht == "karte"
                 else f"Entwicklung {meta['name']}")
        aussage = stadtwert_satz(m, folie.indikator, stichtag)
    elif folie.ansicht == "sozialindex":
        titel = index_name or "Sozialindex"
        aussage = ""
    elif folie.ansicht == "ziele":
        titel = "Zielerreichung"
        if bewertung is not None:
            z = ampel_zaehlung(bewertung)
            aussage = " · ".join(f"{AMPEL_SYMBOL[f]}: {n}" for f, n in z.items()) + " Ziele"
        else:
            aussage = ""
    else:
        titel = f"Profil {m.namen().get(folie.raum, folie.raum)}"
        aussage = ""
    return Kopf(folie.titel or titel, folie.aussage or aussage)

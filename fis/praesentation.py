"""Präsentationsmodus: the configured sequence of views (praesentation.yaml) for a committee
session, each with a title and a one-sentence key message computed from the published,
suppressed figures. Long content is split over further slides, so that no slide needs scrolling
on a projector (1280×800 and up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.ampel import ABWEICHEND, REIHENFOLGE, Ampel
from fis.config import Config, Folie
from fis.format import dativ, fmt_datum, fmt_differenz, fmt_wert
from fis.palette import AMPEL_SYMBOL

ANSICHTEN = {"eckwerte": "Lagebild", "karte": "Karte", "zeitreihe": "Zeitreihe", "sozialindex": "Sozialindex",
             "ziele": "Zielsystem", "profil": "Sozialraumprofil"}
ZIELE_JE_FOLIE = 5          # goals with their full sentence that fit a 1280×800 projector
PROFIL_ZEILEN = 8


@dataclass(frozen=True)
class Kopf:
    titel: str
    aussage: str


@dataclass(frozen=True)
class Folienteil:
    """One slide as shown: a configured view, or one part of a view split over several slides."""

    folie: Folie
    teil: int = 1
    teile: int = 1

    @property
    def zusatz(self) -> str:
        return f" ({self.teil}/{self.teile})" if self.teile > 1 else ""


def folien_planen(folien: tuple[Folie, ...], anzahl_ziele: int) -> list[Folienteil]:
    """The slides in order: a goal view with more off-track goals than fit is split into parts."""
    out = []
    for f in folien:
        if f.ansicht == "ziele" and anzahl_ziele > ZIELE_JE_FOLIE:
            teile = -(-anzahl_ziele // ZIELE_JE_FOLIE)
            out += [Folienteil(f, i, teile) for i in range(1, teile + 1)]
        else:
            out.append(Folienteil(f))
    return out


def folien_bezug(folie: Folie) -> str:
    """The Einordnung a slide shows (fis.einordnung): the indicator of a map or trend, the index, the
    goals, the Lagebild, the area of a profile."""
    if folie.ansicht in ("karte", "zeitreihe") and folie.indikator:
        return f"indikator:{folie.indikator}"
    if folie.ansicht == "sozialindex":
        return f"index:{folie.index or ''}"
    if folie.ansicht == "profil":
        return f"raum:{folie.raum}"
    return {"eckwerte": "lagebild", "ziele": "ziele"}.get(folie.ansicht, "")


def abweichende_ziele(bewertung: pd.DataFrame) -> pd.DataFrame:
    """Red and yellow goals (own Kennzahl), red first, then by ID: what the goal slides list."""
    b = bewertung[bewertung["ampel_eigen"].isin(ABWEICHEND)].copy()
    b["rang"] = b["ampel_eigen"].map(lambda a: Ampel(a).rang)
    return b.sort_values(["rang", "ziel_id"], ascending=[False, True]).reset_index(drop=True)


def stadtwert_satz(m, indikator_id: str, stichtag: date) -> str:
    """„Gesamtstadt 17,7 % am 31.12.2024, −0,4 Pp zum Vorjahr.“ from the published values."""
    meta = m.meta(indikator_id)
    einheit, stellen = meta["einheit"], int(meta["nachkommastellen"])
    stadt = m.auswahl(indikator_id, ebene=m.top)
    stadt = stadt[stadt["stichtag"] <= stichtag].sort_values("stichtag")
    if "abdeckung" in stadt:
        stadt = stadt[stadt["abdeckung"].fillna("") == ""]
    name = m.ebenen[m.top][0]
    if stadt.empty or pd.isna(stadt["wert"].iloc[-1]):
        return f"Für die {name} liegt kein vollständiger Wert vor."
    jetzt = stadt.iloc[-1]
    satz = f"{name} {fmt_wert(jetzt['wert'], einheit, stellen)} am {fmt_datum(jetzt['stichtag'])}"
    vorher = stadt[stadt["stichtag"] < jetzt["stichtag"]]
    if len(vorher) and pd.notna(vorher["wert"].iloc[-1]):
        satz += f", {fmt_differenz(jetzt['wert'] - vorher['wert'].iloc[-1], einheit, stellen)} gegenüber " \
                f"{fmt_datum(vorher['stichtag'].iloc[-1])}"
    return satz + "."


def raeumliches_muster(m, indikator_id: str, stichtag: date) -> str:
    """Which second-level units lead and which lag (values of the Bezirke, polarity-aware): „Am
    ungünstigsten in Nord (21,3 %) und Nordost (18,9 %), am günstigsten in Südwest (5,1 %).“"""
    if m.top <= 2:
        return ""
    meta = m.meta(indikator_id)
    einheit, stellen, pol = meta["einheit"], int(meta["nachkommastellen"]), meta["polaritaet"]
    w = m.auswahl(indikator_id, stichtag, 2)
    if "abdeckung" in w:
        w = w[w["abdeckung"].fillna("") == ""]
    w = w.dropna(subset=["wert"])
    if len(w) < 3:
        return ""
    namen = m.namen()
    w = w.assign(name=w["raum_id"].map(namen)).sort_values("wert", ascending=pol == "hoch_gut")
    oben, unten = w.head(2), w.tail(1)

    def liste(t):
        return " und ".join(f"{r.name} ({fmt_wert(r.wert, einheit, stellen)})" for r in t.itertuples())

    ebene = dativ(m.ebenen[2][1])
    if pol == "neutral":
        return f"Unter den {ebene} am höchsten in {liste(oben)}, am niedrigsten in {liste(unten)}."
    return f"Unter den {ebene} am ungünstigsten in {liste(oben)}, am günstigsten in {liste(unten)}."


def index_muster(ergebnis, m, klasse_label: str | None = None) -> str:
    """Where the highest Belastung class lies: „Klasse D (hohe Belastung): 7 Sozialräume, davon 4 in Nord.“"""
    w = ergebnis.werte.dropna(subset=["klasse"])
    if w.empty:
        return ""
    klassen = [k for k in ergebnis.index.klassen]
    hoechste = klassen[-1] if klasse_label is None else next(k for k in klassen if k.label == klasse_label)
    teil = w[w["klasse"] == hoechste.label]
    plural = m.ebenen[1][1]
    if teil.empty:
        return f"Kein {m.ebenen[1][0]} in Klasse {hoechste.label} ({hoechste.name})."
    eltern = m.raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["parent_id"]
    je = teil["raum_id"].map(eltern).map(m.namen()).value_counts()
    satz = f"Klasse {hoechste.label} ({hoechste.name}): {len(teil)} {plural}"
    if len(je) and m.top > 2:
        satz += f", davon {je.iloc[0]} in {je.index[0]}"
        if len(je) > 1:
            satz += f" und {je.iloc[1]} in {je.index[1]}"
    return satz + "."


def profil_satz(d: pd.DataFrame, plural: str) -> str:
    """How many indicators of an area stand out against the city (index ≥ 125 or ≤ 80)."""
    mit = d.dropna(subset=["index"])
    if mit.empty:
        return ""
    ungunst = np.where(mit["polaritaet"] == "hoch_gut", mit["index"] <= 80, mit["index"] >= 125)
    n = int(ungunst.sum())
    return (f"{n} von {len(mit)} Indikatoren mindestens 25 % ungünstiger als die Gesamtstadt."
            if n else f"Kein Indikator mindestens 25 % ungünstiger als die Gesamtstadt ({len(mit)} verglichen).")


def ampel_zaehlung(bewertung: pd.DataFrame) -> dict[str, int]:
    """Goals per Ampel colour (own Kennzahl), worst first."""
    z = bewertung["ampel_eigen"].value_counts()
    return {farbe: int(z.get(farbe, 0)) for farbe in REIHENFOLGE}


def kopf(folie: Folie | Folienteil, config: Config, m, stichtag: date, *, lage=None, bewertung=None,
         index_name: str | None = None, index_ergebnis=None, profil_daten: pd.DataFrame | None = None) -> Kopf:
    """Title and key message of a slide; a configured title or message wins."""
    teil = folie if isinstance(folie, Folienteil) else Folienteil(folie)
    folie = teil.folie
    einheit_plural = m.ebenen[1][1]
    if folie.ansicht == "eckwerte":
        titel = f"Lagebild {config.stadt.name} {fmt_datum(stichtag)}"
        if lage is None:
            aussage = ""
        elif lage.nicht_beurteilbar:
            aussage = f"Handlungsbedarf {lage.nicht_beurteilbar}."
        else:
            aussage = (f"{len(lage.handlungsbedarf)} von {lage.anzahl_sozialraeume} {einheit_plural} mit "
                       "Handlungsbedarf.")
    elif folie.ansicht == "karte":
        meta = m.meta(folie.indikator)
        titel = f"{meta['name']} je {m.ebenen[1][0]}"
        aussage = " ".join(s for s in (stadtwert_satz(m, folie.indikator, stichtag),
                                       raeumliches_muster(m, folie.indikator, stichtag)) if s)
    elif folie.ansicht == "zeitreihe":
        meta = m.meta(folie.indikator)
        titel = f"Entwicklung {meta['name']}"
        aussage = " ".join(s for s in (stadtwert_satz(m, folie.indikator, stichtag),
                                       raeumliches_muster(m, folie.indikator, stichtag)) if s)
    elif folie.ansicht == "sozialindex":
        titel = index_name or "Sozialindex"
        aussage = index_muster(index_ergebnis, m) if index_ergebnis is not None else ""
    elif folie.ansicht == "ziele":
        titel = "Zielerreichung"
        if bewertung is not None:
            z = ampel_zaehlung(bewertung)
            aussage = " · ".join(f"{AMPEL_SYMBOL[f]}: {n}" for f, n in z.items()) + " Ziele"
            if teil.teile > 1:
                aussage += f" – abweichende Ziele, Teil {teil.teil} von {teil.teile}"
        else:
            aussage = ""
    else:
        titel = f"Profil {m.namen().get(folie.raum, folie.raum)}"
        aussage = profil_satz(profil_daten, einheit_plural) if profil_daten is not None else ""
    return Kopf((folie.titel or titel) + teil.zusatz, folie.aussage or aussage)

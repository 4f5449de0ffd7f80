"""Mittelverteilung nach Sozialindex: a budget (euros or posts) shared out over the Sozialräume by an index or
an indicator, as cities do with their Sozialindex (Berlin's MSS, Köln, Mülheim; handbook Kap. 6.5).

Three formulas (:data:`VERFAHREN`):

- ``schwelle``: in proportion to the points above a threshold – index value (or, for an indicator, its value in
  the direction of more Belastung) minus the threshold; areas at or below it get nothing;
- ``klassen``: a weight per index class, the same for every area of the class;
- ``kopf``: per head of a Bezugsgröße (Einwohner, Kinder unter 6 …) times a weight – the class weight of an
  index, or the indicator's value (Einwohner × SGB-II-Quote ≈ the people the money is for).

A minimum and a maximum per area (the minimum for every area that gets anything) are met exactly: the exact
shares are ``clip(λ · Gewicht, Minimum, Höchstbetrag)`` with the one λ at which they add up to the budget.
Rounding to whole units (100 €, one post, half a post) by the largest-remainder method (Hare/Niemeyer): every
area gets its share rounded down, the units left go to the largest remainders, so the sum is the budget to the
cent. Nothing here imports Streamlit: the page, the report and the command line share it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from fis.format import dativ, fmt_anzahl, fmt_datum, fmt_euro, fmt_prozent, fmt_zahl, fmt_zahl_genau
from fis.indizes import ergebnis, index_nach_id
from fis.ingest.sperre import schreibsperre
from fis.maps import Legendeneintrag, einfaerben, klassen
from fis.palette import BLUES, OHNE_WERT
from fis.zugang import handelnder

VERFAHREN = {
    "schwelle": "Punkte über einer Schwelle",
    "klassen": "Gewicht je Klasse",
    "kopf": "je Kopf der Bezugsgröße × Gewicht",
}
EINHEITEN = {"€": "Euro", "Stellen": "Stellen"}


class VerteilungsFehler(ValueError):
    """A rule that cannot be met (German message for the user)."""


@dataclass(frozen=True)
class Verteilungsregel:
    """What is shared out, by what and how. ``grundlage``: ``index:<id>`` or ``indikator:<id>``."""

    betrag: float
    grundlage: str
    stichtag: date
    verfahren: str = "schwelle"
    einheit: str = "€"
    schritt: float = 100.0                     # rounding unit: 100 €, 1 Stelle, 0,5 Stellen
    schwelle: float = 0.0                      # schwelle: points above it count
    klassengewichte: tuple[tuple[str, float], ...] = ()   # klassen, kopf (index): label → weight
    bezug: str | None = None                   # kopf: a count indicator (aggregation summe)
    mindest: float | None = None               # per area that gets anything
    hoechst: float | None = None
    ebene: int = 1

    @property
    def art(self) -> str:
        return self.grundlage.partition(":")[0]

    @property
    def kennung(self) -> str:
        return self.grundlage.partition(":")[2]

    def als_json(self) -> str:
        d = asdict(self)
        d["stichtag"] = self.stichtag.isoformat()
        d["klassengewichte"] = [list(p) for p in self.klassengewichte]
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def aus_json(cls, text: str) -> Verteilungsregel:
        d = json.loads(text)
        d["stichtag"] = date.fromisoformat(d["stichtag"])
        d["klassengewichte"] = tuple((str(k), float(g)) for k, g in d.get("klassengewichte", ()))
        return cls(**d)


@dataclass(frozen=True)
class Grundlage:
    """The values a rule reads, for the areas of its level at its Stichtag."""

    name: str                       # „Sozialindex (Kölner Modell)“, „SGB-II-Quote“
    werte: pd.DataFrame             # raum_id, name, wert (in the direction of Belastung), klasse, grund
    einheit: str = ""               # the indicator's unit ("" for an index)
    bezug_name: str | None = None
    bezug: pd.Series | None = None  # raum_id → count (NaN: not shown, e.g. a suppressed small count)
    klassen: tuple[tuple[str, str], ...] = ()   # (label, name) of the index classes, low to high
    hoch_gut: bool = False          # an indicator whose high values mean less Belastung


@dataclass(frozen=True)
class Verteilung:
    regel: Verteilungsregel
    grundlage: Grundlage
    tabelle: pd.DataFrame           # raum_id, name, wert, klasse, bezug, gewicht, anteil, exakt, betrag,
    #                                 begrenzung, grund (why an area gets nothing)
    hinweise: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summe(self) -> float:
        return float(self.tabelle["betrag"].sum())

    @property
    def beguenstigt(self) -> int:
        return int((self.tabelle["betrag"] > 0).sum())


def fmt_betrag(x: float | None, einheit: str) -> str:
    """500000 → '500.000 €'; 12 → '12 Stellen', 0.5 → '0,5 Stellen'."""
    if einheit == "€":
        return fmt_euro(x, 0 if x is None or float(x).is_integer() else 2)
    return "–" if x is None else f"{fmt_zahl_genau(x, 2)} {einheit}"


def grenzen_verteilen(gewichte: np.ndarray, gesamt: float, unten: np.ndarray, oben: np.ndarray) -> np.ndarray:
    """The exact shares ``clip(λ·w, unten, oben)`` that add up to ``gesamt`` (areas with weight 0 get 0).
    ``Σ unten ≤ gesamt ≤ Σ oben`` over the areas with weight > 0 must hold (checked by the caller)."""
    w = np.asarray(gewichte, dtype=float)
    positiv = w > 0
    x = np.zeros_like(w)
    if not positiv.any():
        return x

    def summe(lam: float) -> float:
        return float(np.clip(lam * w[positiv], unten[positiv], oben[positiv]).sum())

    lo, hi = 0.0, 1.0
    while summe(hi) < gesamt and hi < 1e300:
        hi *= 2
    for _ in range(200):                       # bisection to locate which areas sit at a bound …
        mitte = (lo + hi) / 2
        lo, hi = (mitte, hi) if summe(mitte) < gesamt else (lo, mitte)
    lam = (lo + hi) / 2
    roh = lam * w
    am_unteren = positiv & (roh <= unten)
    am_oberen = positiv & (roh >= oben)
    frei = positiv & ~am_unteren & ~am_oberen
    rest = gesamt - unten[am_unteren].sum() - oben[am_oberen].sum()
    if frei.any():                              # … then the exact λ of the free ones
        lam = rest / w[frei].sum()
    x[positiv] = np.clip(lam * w[positiv], unten[positiv], oben[positiv])
    x[frei] = lam * w[frei]
    return x


def groesste_reste(exakt: np.ndarray, gesamt: int, oben: np.ndarray, gewichte: np.ndarray,
                   kennungen: list[str]) -> np.ndarray:
    """Whole units by the largest-remainder method (Hare/Niemeyer): each share rounded down, the ``gesamt −
    Σ`` units left to the largest remainders (ties: larger weight, then the lower Kennung), never above ``oben``."""
    ganz = np.floor(exakt + 1e-9)
    rest = int(round(gesamt - ganz.sum()))
    if rest > 0:
        reihe = sorted((i for i in range(len(exakt)) if ganz[i] + 1 <= oben[i] + 1e-9),
                       key=lambda i: (-(exakt[i] - ganz[i]), -gewichte[i], kennungen[i]))
        for i in reihe[:rest]:
            ganz[i] += 1
    return ganz


def verteilen(gewichte: pd.Series, betrag: float, schritt: float, mindest: float | None = None,
              hoechst: float | None = None, einheit: str = "€") -> pd.DataFrame:
    """Share ``betrag`` out by ``gewichte`` (raum_id → weight ≥ 0) in whole ``schritt`` with the bounds per
    area; columns gewicht, anteil, exakt, betrag, begrenzung; the sum of ``betrag`` is exactly ``betrag``."""
    if not betrag > 0 or not schritt > 0:
        raise VerteilungsFehler("Betrag und Rundung müssen größer als null sein.")
    einheiten = betrag / schritt
    if abs(einheiten - round(einheiten)) > 1e-9 * max(1.0, einheiten):
        raise VerteilungsFehler(f"{fmt_betrag(betrag, einheit)} lassen sich nicht in ganzen Schritten von "
                                f"{fmt_betrag(schritt, einheit)} verteilen: Betrag oder Rundung anpassen.")
    n = int(round(einheiten))
    w = gewichte.fillna(0.0).clip(lower=0.0).astype(float)
    positiv = (w > 0).to_numpy()
    if not positiv.any():
        raise VerteilungsFehler("Nach dieser Regel erhält kein Gebiet etwas (alle Gewichte sind null): Schwelle "
                                "oder Klassengewichte prüfen.")
    unten = np.where(positiv, math.ceil(round((mindest or 0) / schritt, 9)), 0).astype(float)
    oben = np.full(len(w), math.floor(round(hoechst / schritt, 9)) if hoechst is not None else np.inf)
    if hoechst is not None and mindest is not None and hoechst < mindest:
        raise VerteilungsFehler("Der Höchstbetrag je Gebiet ist kleiner als der Mindestbetrag.")
    bedacht = fmt_anzahl(int(positiv.sum()), "Gebiet", "Gebiete")
    if unten.sum() > n:
        raise VerteilungsFehler(
            f"Der Mindestbetrag von {fmt_betrag(mindest, einheit)} für {bedacht} "
            f"ergibt {fmt_betrag(unten.sum() * schritt, einheit)}, mehr als die zu verteilenden "
            f"{fmt_betrag(betrag, einheit)}.")
    if oben[positiv].sum() < n:
        raise VerteilungsFehler(
            f"Mit einem Höchstbetrag von {fmt_betrag(hoechst, einheit)} je Gebiet lassen sich an "
            f"{bedacht} höchstens "
            f"{fmt_betrag(oben[positiv].sum() * schritt, einheit)} verteilen, nicht {fmt_betrag(betrag, einheit)}.")
    exakt = grenzen_verteilen(w.to_numpy(), float(n), unten, oben)
    ganz = groesste_reste(exakt, n, oben, w.to_numpy(), [str(k) for k in w.index])
    begrenzung = np.where(positiv & np.isclose(exakt, unten) & (unten > 0) & (w.to_numpy() > 0), "Mindestbetrag",
                          np.where(positiv & np.isclose(exakt, oben), "Höchstbetrag", ""))
    return pd.DataFrame({"gewicht": w.to_numpy(), "anteil": w.to_numpy() / w.sum(), "exakt": exakt * schritt,
                         "betrag": ganz * schritt, "begrenzung": begrenzung}, index=w.index)


def gebiete(m, stichtag: date, ebene: int) -> pd.DataFrame:
    """raum_id, name of the areas of ``ebene`` valid at ``stichtag`` (m: :class:`fis.monitoring.Monitoringdaten`)."""
    r = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == ebene)]
    return r[["raum_id", "name"]].drop_duplicates("raum_id").sort_values("raum_id").reset_index(drop=True)


def bezugswerte(m, indikator_id: str, stichtag: date, ebene: int) -> pd.Series:
    """raum_id → the shown count of ``indikator_id`` (NaN where it is suppressed or missing)."""
    w = m.auswahl(indikator_id, stichtag, ebene)
    return w.set_index("raum_id")["wert"].astype(float)


def grundlage_index(e, m, bezug: str | None = None) -> Grundlage:
    """From an index result (:class:`fis.indizes.Indexergebnis`) and the monitoring data (names, Bezugsgröße).
    Index values are Belastung: high = more need."""
    ix = e.index
    raeume = gebiete(m, e.stichtag, ix.ebene)
    werte = raeume.merge(e.werte[["raum_id", "wert", "klasse", "grund"]], on="raum_id", how="left")
    werte["grund"] = werte["grund"].where(werte["grund"].notna(), "kein Indexwert")
    return Grundlage(ix.name, werte, "", _bezug_name(m, bezug),
                     bezugswerte(m, bezug, e.stichtag, ix.ebene) if bezug else None,
                     tuple((k.label, k.name) for k in ix.klassen))


def grundlage_indikator(m, indikator_id: str, stichtag: date, ebene: int = 1, bezug: str | None = None) -> Grundlage:
    """From one indicator of the monitoring data (suppressed values stay missing: they get nothing)."""
    meta = m.meta(indikator_id)
    raeume = gebiete(m, stichtag, ebene)
    w = m.auswahl(indikator_id, stichtag, ebene).set_index("raum_id")
    werte = raeume.assign(wert=raeume["raum_id"].map(w["wert"]).astype(float), klasse=None)
    gesperrt = raeume["raum_id"].map(w["unterdrueckt"]).fillna(False).astype(bool)
    werte["grund"] = np.where(gesperrt, "Wert gesperrt (kleine Zahl)", np.where(werte["wert"].isna(), "kein Wert", ""))
    return Grundlage(str(meta["name"]), werte, str(meta["einheit"]), _bezug_name(m, bezug),
                     bezugswerte(m, bezug, stichtag, ebene) if bezug else None,
                     hoch_gut=meta.get("polaritaet") == "hoch_gut")


def _bezug_name(m, bezug: str | None) -> str | None:
    return str(m.meta(bezug)["kurzname"]) if bezug and bezug in m.indikatoren.index else bezug


def bezugsgroessen(m) -> dict[str, str]:
    """Indicators that count people or cases (aggregation „summe“), id → name: the choices for „je Kopf“."""
    k = m.indikatoren
    return {i: str(k.at[i, "name"]) for i in k.index[k["aggregation"] == "summe"] if i in m.indikatoren_mit_werten}


def gewichte(regel: Verteilungsregel, g: Grundlage) -> tuple[pd.Series, pd.Series]:
    """Weight per area and, for areas that get nothing by the data, the reason."""
    werte = g.werte.set_index("raum_id")
    grund = werte["grund"].fillna("").astype(str).copy()
    wert = werte["wert"].astype(float)
    if regel.verfahren == "schwelle":
        if wert.isna().all() and len(werte):
            raise VerteilungsFehler("In dieser Sicht sind nur die Klassen des Index veröffentlicht: bitte nach "
                                    "Klassen verteilen.")
        w = ((regel.schwelle - wert) if g.hoch_gut else (wert - regel.schwelle)).clip(lower=0.0)
        grund[(grund == "") & wert.isna()] = "kein Wert"
    elif regel.verfahren in ("klassen", "kopf") and regel.art == "index":
        gew = dict(regel.klassengewichte)
        w = werte["klasse"].map(lambda k: gew.get(k, 0.0) if isinstance(k, str) else np.nan).astype(float)
        grund[(grund == "") & w.isna()] = "keine Klasse"
    elif regel.verfahren == "kopf":
        w = wert.clip(lower=0.0)
        grund[(grund == "") & wert.isna()] = "kein Wert"
    else:
        raise VerteilungsFehler("Nach Klassen lässt sich nur mit einem Index verteilen.")
    if regel.verfahren == "kopf":
        if g.bezug is None:
            raise VerteilungsFehler("Für „je Kopf“ fehlt die Bezugsgröße (z. B. Einwohner).")
        kopf = g.bezug.reindex(w.index).astype(float)
        grund[(grund == "") & kopf.isna()] = f"{g.bezug_name or 'Bezugsgröße'} nicht ausgewiesen"
        w = w * kopf
    return w.fillna(0.0), grund


def verteilung(regel: Verteilungsregel, g: Grundlage) -> Verteilung:
    """The allocation of ``regel`` on ``g``: one row per area of the level, sorted by amount (largest first)."""
    if regel.verfahren not in VERFAHREN:
        raise VerteilungsFehler(f"Unbekanntes Verfahren „{regel.verfahren}“ ({', '.join(VERFAHREN)}).")
    w, grund = gewichte(regel, g)
    ergebnis = verteilen(w, regel.betrag, regel.schritt, regel.mindest, regel.hoechst, regel.einheit)
    werte = g.werte.set_index("raum_id")
    tabelle = pd.DataFrame({"name": werte["name"], "wert": werte["wert"], "klasse": werte["klasse"],
                            "bezug": g.bezug.reindex(werte.index) if g.bezug is not None else np.nan}) \
        .join(ergebnis).assign(grund=grund)
    tabelle.loc[tabelle["betrag"] > 0, "grund"] = ""
    tabelle.loc[(tabelle["betrag"] == 0) & (tabelle["grund"] == ""), "grund"] = \
        "unter der Schwelle" if regel.verfahren == "schwelle" else "Gewicht null"
    tabelle = tabelle.reset_index().sort_values(["betrag", "exakt", "raum_id"], ascending=[False, False, True])
    hinweise = []
    ohne = int((tabelle["grund"].isin(["kein Wert", "keine Klasse"]) | tabelle["grund"].str.contains(
        "nicht ausgewiesen|fehlt|weniger als|ausgeschlossen", regex=True)).sum())
    if ohne:
        hinweise.append(f"{fmt_anzahl(ohne, 'Gebiet geht', 'Gebiete gehen')} mangels Wert leer aus (Spalte "
                        "„Hinweis“): vor einem Beschluss klären, ob ein Sockelbetrag nötig ist.")
    return Verteilung(regel, g, tabelle.reset_index(drop=True), tuple(hinweise))


def regel_satz(regel: Verteilungsregel, g: Grundlage, ebene_plural: str = "Sozialräume") -> str:
    """The rule as one German sentence, for the page, the PDF and the minutes."""
    betrag = fmt_betrag(regel.betrag, regel.einheit)
    if regel.verfahren == "schwelle":
        richtung = "unter" if g.hoch_gut else "über"
        einheit = f" {g.einheit}" if g.einheit and g.einheit != "Anzahl" else ""
        wie = (f"im Verhältnis dazu, wie weit „{g.name}“ am {fmt_datum(regel.stichtag)} {richtung} der "
               f"Schwelle von {fmt_zahl_genau(regel.schwelle, 3)}{einheit} liegt")
    elif regel.art == "index":
        klassen = ", ".join(f"{label} × {fmt_zahl_genau(gew, 3)}" for label, gew in regel.klassengewichte)
        wie = ((f"je {g.bezug_name}, gewichtet " if regel.verfahren == "kopf" else "")
               + f"nach der Klasse im {g.name} am {fmt_datum(regel.stichtag)} (Gewichte {klassen})")
    else:
        wie = f"je {g.bezug_name} × {g.name} am {fmt_datum(regel.stichtag)}"
    grenzen = []
    if regel.mindest:
        grenzen.append(f"mindestens {fmt_betrag(regel.mindest, regel.einheit)}")
    if regel.hoechst is not None:
        grenzen.append(f"höchstens {fmt_betrag(regel.hoechst, regel.einheit)}")
    grenze = f"; jedes bedachte Gebiet erhält {' und '.join(grenzen)}" if grenzen else ""
    return (f"{betrag} werden auf die {ebene_plural} verteilt, {wie}{grenze}; gerundet auf "
            f"{fmt_betrag(regel.schritt, regel.einheit)} nach dem Verfahren der größten Reste (Hare/Niemeyer), "
            f"die Summe ist genau {betrag}.")


def anzeige_tabelle(v: Verteilung, ebene_name: str = "Sozialraum") -> pd.DataFrame:
    """The result as shown and exported: German headings, numbers as numbers."""
    t = v.tabelle
    g, r = v.grundlage, v.regel
    spalten = {ebene_name: t["name"] + " (" + t["raum_id"].astype(str) + ")",
               f"{g.name}{f' ({g.einheit})' if g.einheit and g.einheit != 'Anzahl' else ''}": t["wert"].round(3)}
    if r.art == "index":
        spalten["Klasse"] = t["klasse"]
    if r.verfahren == "kopf":
        spalten[g.bezug_name or "Bezugsgröße"] = t["bezug"]
    spalten["Anteil (%)"] = (t["anteil"] * 100).round(2)
    spalten[f"Betrag ({r.einheit})"] = t["betrag"]
    if g.bezug is not None:
        kopf = g.bezug_name or "Kopf"
        if r.einheit == "€":
            spalten[f"€ je {kopf}"] = (t["betrag"] / t["bezug"].where(t["bezug"] > 0)).round(2)
        else:                                   # posts: people per post reads better than 0,0002 posts per head
            spalten[f"{kopf} je {r.einheit.removesuffix('n')}"] = (t["bezug"] / t["betrag"].where(t["betrag"] > 0)
                                                                   ).round(0)
    spalten["ungerundet"] = t["exakt"].round(2)
    spalten["Hinweis"] = (t["begrenzung"].where(t["begrenzung"] != "", t["grund"])).fillna("")
    return pd.DataFrame(spalten)


def text_tabelle(v: Verteilung, ebene_name: str) -> pd.DataFrame:
    """The table with every number as German text (page and PDF)."""
    t = anzeige_tabelle(v, ebene_name)
    einheit = v.regel.einheit
    for spalte in t.columns[1:]:
        if spalte.startswith("Betrag") or spalte == "ungerundet":
            t[spalte] = [fmt_betrag(x, einheit) if spalte.startswith("Betrag") else fmt_zahl(x, 2) for x in t[spalte]]
        elif spalte == "Anteil (%)":
            t[spalte] = [fmt_prozent(x, 2) for x in t[spalte]]
        elif " je " in spalte:
            t[spalte] = [fmt_zahl(x, 2 if spalte.startswith("€") else 0) for x in t[spalte]]
        elif t[spalte].dtype.kind == "f":
            t[spalte] = [fmt_zahl(x, 0 if x is not None and abs(x) >= 100 else 3) for x in t[spalte]]
    return t.drop(columns="ungerundet").fillna("")


def vergleich(verteilungen: dict[str, pd.DataFrame], einheit: str) -> pd.DataFrame:
    """Scenarios side by side: one row per area, a column per scenario (its amount), and the spread."""
    frames = [f.set_index("raum_id")["betrag"].rename(name) for name, f in verteilungen.items()]
    namen = pd.concat([f.set_index("raum_id")["name"] for f in verteilungen.values()]).groupby(level=0).last()
    breit = pd.concat(frames, axis=1).fillna(0.0)
    breit.insert(0, "Gebiet", namen.reindex(breit.index) + " (" + breit.index.astype(str) + ")")
    if len(frames) > 1:
        breit[f"Spanne ({einheit})"] = breit[[f.name for f in frames]].max(axis=1) - breit[
            [f.name for f in frames]].min(axis=1)
    return breit.sort_values(frames[0].name, ascending=False).reset_index(drop=True)


def vergleich_text(verteilungen: dict[str, pd.DataFrame], einheit: str) -> pd.DataFrame:
    """:func:`vergleich` with the amounts as German text."""
    breit = vergleich(verteilungen, einheit)
    for spalte in breit.columns[1:]:
        breit[spalte] = [fmt_betrag(x, einheit) for x in breit[spalte]]
    return breit


def zusammenfassung(v: Verteilung, ebene_plural: str) -> str:
    """'500.000 € an 21 von 32 Sozialräumen; größter Betrag 48.300 € (Hafenviertel).'"""
    t = v.tabelle
    oben = t.iloc[0]
    return (f"{fmt_betrag(v.summe, v.regel.einheit)} an {v.beguenstigt} von {len(t)} {dativ(ebene_plural)}; "
            f"größter Betrag {fmt_betrag(oben['betrag'], v.regel.einheit)} ({oben['name']}).")


@dataclass(frozen=True)
class Szenario:
    name: str
    regel: Verteilungsregel
    ergebnis: pd.DataFrame          # raum_id, name, betrag, exakt (as saved)
    summe: float
    satz: str                       # the rule as a sentence, as it read when saved
    benutzer: str
    gespeichert_am: datetime


def szenario_speichern(store, name: str, v: Verteilung, wer, ebene_plural: str = "Sozialräume") -> int:
    """Save ``v`` under ``name`` (a scenario of that name is replaced), audited; the data version stays (a
    scenario changes no value)."""
    wer = handelnder(wer, "ziele_bearbeiten")
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise VerteilungsFehler("Ein Szenario braucht einen Namen (höchstens 80 Zeichen).")
    ergebnis = v.tabelle[["raum_id", "name", "betrag", "exakt"]].to_json(orient="records", force_ascii=False)
    with schreibsperre(store), store.transaction(bump=False):
        nr = store.speichere_verteilungsszenario(name, v.regel.als_json(), ergebnis, v.summe,
                                                 regel_satz(v.regel, v.grundlage, ebene_plural), wer)
        store.insert_audit(wer, "szenario_gespeichert", "verteilungsszenario", name,
                           {"grundlage": v.regel.grundlage, "verfahren": v.regel.verfahren, "summe": v.summe,
                            "einheit": v.regel.einheit, "stichtag": v.regel.stichtag.isoformat()})
    return nr


def szenario_loeschen(store, name: str, wer) -> None:
    wer = handelnder(wer, "ziele_bearbeiten")
    with schreibsperre(store), store.transaction(bump=False):
        if store.loesche_verteilungsszenario(name):
            store.insert_audit(wer, "szenario_geloescht", "verteilungsszenario", name, {})


def szenarien(store) -> list[Szenario]:
    """The saved scenarios, newest first."""
    return [Szenario(r.name, Verteilungsregel.aus_json(r.regel),
                     pd.DataFrame(json.loads(r.ergebnis), columns=["raum_id", "name", "betrag", "exakt"]),
                     float(r.summe), r.satz, r.benutzer, r.gespeichert_am)
            for r in store.lade_verteilungsszenarien().itertuples()]


def kartendaten(v: Verteilung, geometrien: pd.Series):
    """Rows for :func:`fis.maps.deck` (the amount in five classes, blue: no valuation; white: nothing) and the
    legend."""
    t = v.tabelle.set_index("raum_id")
    d = pd.DataFrame({"raum_id": geometrien.index, "geometrie": geometrien.values})
    d["name"] = d["raum_id"].map(t["name"]).fillna(d["raum_id"])
    d["betrag"] = d["raum_id"].map(t["betrag"]).astype(float)
    positiv = d["betrag"].where(d["betrag"] > 0)
    k = klassen(positiv, "jenks", 5, einheit=v.regel.einheit, nachkommastellen=0 if v.regel.schritt >= 1 else 1)
    # the lightest blue is left out: it would hardly differ from the white of areas without money
    farbig, legende = einfaerben(d.assign(_wert=positiv, unterdrueckt=False), "_wert", k, BLUES[6][1:])
    d["farbe"] = farbig["farbe"].to_numpy()
    d["anzeige"] = [fmt_betrag(b, v.regel.einheit) if b > 0 else f"keine Mittel ({t['grund'].get(r) or 'kein Wert'})"
                    for r, b in zip(d["raum_id"], d["betrag"].fillna(0), strict=True)]
    legende = [e for e in legende if e.farbe != OHNE_WERT]
    legende.append(Legendeneintrag(OHNE_WERT, "keine Mittel", int((d["betrag"].fillna(0) <= 0).sum())))
    return d, legende


def grundlage_fuer(regel: Verteilungsregel, config, m, indexdaten=None, oeffentlich: bool = False) -> Grundlage:
    """The Grundlage of ``regel`` from the monitoring data ``m`` (names, indicator, Bezugsgröße) and, for an
    index, the index data (public view: classes only where values would reveal suppressed cells)."""
    if regel.art == "index":
        ix = index_nach_id(config, regel.kennung)
        return grundlage_index(ergebnis(indexdaten, m, config, ix, regel.stichtag, oeffentlich), m, regel.bezug)
    if regel.kennung not in m.indikatoren.index:
        raise VerteilungsFehler(f"Den Indikator „{regel.kennung}“ gibt es im Katalog nicht.")
    return grundlage_indikator(m, regel.kennung, regel.stichtag, regel.ebene, regel.bezug)

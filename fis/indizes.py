"""Composite indices (Sozialindex, Bildungsindex, MSS Status and Dynamik) defined in YAML.

For one index and one Stichtag: the component values of the areas of the index's level
are taken from the published monitoring values; areas are left out if a component is
missing, if they fall below the minimum population or are listed explicitly. Components
are standardised over the included areas (z-score with the population standard deviation,
min-max or percentile rank), signed by polarity (a high value raises the index = more
Belastung), weighted, summed or averaged, optionally re-standardised, and classed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis import wuerfel
from fis.config import Config, Index
from fis.format import fmt_anzeige, fmt_zahl
from fis.maps import Legendeneintrag
from fis.monitoring import Zeilenindex, hierarchy
from fis.palette import GRAU_FALLZAHL, YLORRD, ZWEI_KLASSEN


@dataclass(frozen=True)
class Indexergebnis:
    index: Index
    stichtag: date
    werte: pd.DataFrame          # raum_id, wert, klasse, klasse_name, einbezogen, grund
    beitraege: pd.DataFrame      # raum_id × indikator: weighted standardised contribution
    nur_klassen: bool = False    # public view: values and contributions withheld (see oeffentlich)


def standardisieren(spalte: pd.Series, art: str = "zwert") -> pd.Series:
    """One column standardised over its values: z-score (population SD), min-max or percentile rank."""
    if art == "zwert":
        sd = spalte.std(ddof=0)
        return (spalte - spalte.mean()) / sd if sd > 0 else spalte * 0.0
    if art == "minmax":
        spanne = spalte.max() - spalte.min()
        return (spalte - spalte.min()) / spanne if spanne > 0 else spalte * 0.0
    return (spalte.rank(method="average") - 1) / max(len(spalte) - 1, 1)


def klasse(wert: float, klassen) -> tuple[str | None, str | None]:
    """The first class whose upper bound (inclusive) is at least ``wert``."""
    if wert is None or pd.isna(wert) or not klassen:
        return None, None
    for k in klassen:
        if k.bis is None or wert <= k.bis:
            return k.label, k.name
    return None, None


def berechne(ix: Index, werte: pd.DataFrame, polaritaet: dict[str, str], einwohner: pd.Series | None = None,
             stichtag: date | None = None) -> Indexergebnis:
    """``werte``: raum_id × indikator_id (one Stichtag, the index's level). ``einwohner``:
    population per raum_id for the minimum-population rule (None: rule not applied)."""
    ids = [k.indikator for k in ix.komponenten]
    breit = werte.reindex(columns=ids)
    grund = pd.Series("", index=breit.index, dtype=object)
    fehlt = breit.isna().any(axis=1)
    for raum in breit.index[fehlt]:
        grund[raum] = "Komponente fehlt (" + ", ".join(c for c in ids if pd.isna(breit.at[raum, c])) + ")"
    aus = ix.ausschluss
    if aus.mindest_einwohner and einwohner is not None:
        ew = einwohner.reindex(breit.index)
        klein = ew.notna() & (ew < aus.mindest_einwohner) & (grund == "")
        grund[klein] = [f"weniger als {aus.mindest_einwohner} Einwohner ({int(v)})" for v in ew[klein]]
    gelistet = breit.index.isin(list(aus.liste)) & (grund == "")
    grund[gelistet] = "ausdrücklich ausgeschlossen"
    drin = grund == ""
    basis = breit[drin]
    gewichte = np.array([k.gewicht for k in ix.komponenten], dtype=float)
    vorzeichen = np.array([-1.0 if (k.polaritaet or polaritaet.get(k.indikator)) == "hoch_gut" else 1.0
                           for k in ix.komponenten])
    z = basis.apply(lambda s: standardisieren(s, ix.standardisierung))
    beitraege = z * vorzeichen * gewichte
    if ix.kombination == "mittel":
        beitraege = beitraege / gewichte.sum()
    roh = beitraege.sum(axis=1)
    wert = standardisieren(roh, "zwert") if ix.restandardisierung == "zwert" else roh
    klassen = [klasse(v, ix.klassen) for v in wert]
    out = pd.DataFrame({"raum_id": breit.index, "einbezogen": drin.values, "grund": grund.values})
    out = out.merge(pd.DataFrame({"raum_id": wert.index, "wert": wert.values, "roh": roh.values,
                                  "klasse": [k[0] for k in klassen], "klasse_name": [k[1] for k in klassen]}),
                    on="raum_id", how="left")
    return Indexergebnis(ix, stichtag, out.sort_values("raum_id").reset_index(drop=True), beitraege)


def index_indikatoren(config: Config) -> list[str]:
    """The components of the configured indices."""
    return sorted({k.indikator for ix in config.indizes.indizes for k in ix.komponenten})


def index_nach_id(config: Config, index_id: str) -> Index:
    for ix in config.indizes.indizes:
        if ix.id == index_id:
            return ix
    raise KeyError(index_id)


@dataclass(frozen=True)
class Indexdaten(Zeilenindex):
    """The internal (not suppressed) values of all levels: indices are computed from them;
    pages and exports show only index values, classes and standardised contributions."""
    werte: pd.DataFrame          # raum_id, indikator_id, stichtag, ebene, wert, zaehler, nenner
    raeume: pd.DataFrame         # raum_id, stichtag, ebene, name, parent_id (fis.monitoring.hierarchy)
    polaritaet: dict[str, str]

    def auswahl(self, stichtag: date | None = None, ebene: int | None = None,
                indikatoren: list[str] | None = None) -> pd.DataFrame:
        """The rows of one Stichtag, level and/or set of indicators (None: all), in stored order."""
        return self._waehle({"indikator_id": None if indikatoren is None else list(indikatoren),
                             "stichtag": stichtag}, ebene)


def lade_indexdaten(store, config: Config) -> Indexdaten:
    """The index inputs of the store's Sicht, from the aggregate cube (fis.wuerfel)."""
    return indexdaten_aus(wuerfel.lade(store, config)[0])


def indexdaten_aus(a) -> Indexdaten:
    """The index inputs from a :class:`fis.monitoring.Aggregat` (internal values, all levels)."""
    return Indexdaten(a.werte[["raum_id", "indikator_id", "stichtag", "ebene", "wert", "zaehler", "nenner"]],
                      hierarchy(a.raeume, a.stichtage),
                      a.indikatoren.set_index("indikator_id")["polaritaet"].to_dict())


def stichtage(m: Indexdaten, ix: Index) -> list[date]:
    """Stichtage at which every component has values at the index's level."""
    w = m.auswahl(ebene=ix.ebene, indikatoren=[k.indikator for k in ix.komponenten])
    w = w.dropna(subset=["wert"])
    je = w.groupby("stichtag")["indikator_id"].nunique()
    return sorted(je[je == len({k.indikator for k in ix.komponenten})].index)


def berechne_aus(m: Indexdaten, config: Config, ix: Index, stichtag: date) -> Indexergebnis:
    """The index at ``stichtag`` from the internal values."""
    w = m.auswahl(stichtag, ix.ebene)
    breit = w.pivot_table(index="raum_id", columns="indikator_id", values="wert", aggfunc="first")
    raeume = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == ix.ebene)]["raum_id"]
    breit = breit.reindex(sorted(set(raeume)))
    ew_id = config.stadt.einwohner_indikator
    einwohner = breit[ew_id] if ew_id and ew_id in breit.columns else None
    return berechne(ix, breit, m.polaritaet, einwohner, stichtag)


# =========================================================================== what public roles see

HINWEIS_NUR_KLASSEN = (
    "Veröffentlichte Fassung: nur Klassen. Indexwerte und Beiträge der Komponenten werden nicht gezeigt, weil "
    "aus ihnen gesperrte kleine Fallzahlen zurückgerechnet werden könnten.")


def _ersatzwerte(wert: float, faelle: float, kandidaten) -> list[float]:
    """The values a suppressed cell could have for a reader: ``wert`` at each candidate case count."""
    if not faelle or pd.isna(faelle) or pd.isna(wert):
        return []
    return [wert * c / faelle for c in kandidaten]


def oeffentlich(e: Indexergebnis, daten: Indexdaten, config: Config, gesperrt: pd.DataFrame) -> Indexergebnis:
    """The index as a role without internal rights may see it (fis.disclosure, rule „Indizes“).

    ``gesperrt``: the suppressed cells of the components at the index's Stichtag and level
    (raum_id, indikator_id, grund, schwelle; from the published Monitoringdaten).

    * Areas below the population minimum of the disclosure rules are not rated.
    * When a rated area has a suppressed component (or an area below the minimum entered the
      standardisation), index values and contributions are withheld, classes only: any exact
      value would give away the mean and spread of a component and with them the hidden cells.
    * A class that a small count decides is not shown: for every cell hidden for its small count
      the index is recomputed at each case count the reader cannot rule out (1 … Schwelle − 1,
      with a hidden partner cell of the same parent absorbing the difference); an area whose class
      differs between these worlds is shown as „B oder C“ and not rated.
    """
    werte = e.werte.copy()
    ix = e.index
    komponenten = [k.indikator for k in ix.komponenten]
    gesperrt = gesperrt[gesperrt["indikator_id"].isin(komponenten)]
    drin = set(werte.loc[werte["einbezogen"], "raum_id"])
    klein = set(gesperrt.loc[gesperrt["grund"] == "einwohner", "raum_id"])
    ew_id, mindest = config.stadt.einwohner_indikator, config.stadt.mindest_einwohner
    w = daten.auswahl(e.stichtag, ix.ebene)
    if ew_id and mindest:
        ew = w[w["indikator_id"] == ew_id].set_index("raum_id")["wert"]
        klein |= set(ew[ew < mindest].index)
    sicher = not (set(gesperrt["raum_id"]) & drin) and not (klein & drin)
    if sicher:
        return e
    # the classes over every world the reader cannot rule out
    breit = w.pivot_table(index="raum_id", columns="indikator_id", values="wert", aggfunc="first")
    faelle = w.assign(faelle=w["zaehler"].fillna(w["wert"])).pivot_table(
        index="raum_id", columns="indikator_id", values="faelle", aggfunc="first")
    eltern = daten.raeume[(daten.raeume["stichtag"] == e.stichtag)].set_index("raum_id")["parent_id"]
    basis = breit.reindex(index=sorted(drin), columns=komponenten)
    ew = basis[ew_id] if ew_id and ew_id in basis.columns else None
    moeglich: dict[str, set] = {r: {k} for r, k in werte.set_index("raum_id")["klasse"].items() if isinstance(k, str)}
    primaer = gesperrt[(gesperrt["grund"] == "fallzahl") & gesperrt["raum_id"].isin(drin)]
    sekundaer = gesperrt[(gesperrt["grund"] == "sekundaer") & gesperrt["raum_id"].isin(drin)]
    for zelle in primaer.itertuples():
        r, j = zelle.raum_id, zelle.indikator_id
        kandidaten = range(1, max(int(zelle.schwelle), 2))
        f_r = faelle.at[r, j] if r in faelle.index and j in faelle.columns else np.nan
        partner = [p for p in sekundaer.loc[sekundaer["indikator_id"] == j, "raum_id"]
                   if p != r and eltern.get(p) == eltern.get(r)]
        for c, wert_c in zip(kandidaten, _ersatzwerte(basis.at[r, j], f_r, kandidaten), strict=False):
            welten = [{}] + [{p: (f_r - c)} for p in partner]
            for welt in welten:
                x = basis.copy()
                x.at[r, j] = wert_c
                for p, diff in welt.items():
                    f_p = faelle.at[p, j] if p in faelle.index else np.nan
                    if f_p and not pd.isna(f_p) and f_p + diff >= 0:
                        x.at[p, j] = basis.at[p, j] * (f_p + diff) / f_p
                ergebnis = berechne(ix, x, daten.polaritaet, ew, e.stichtag).werte
                for rr, k in zip(ergebnis["raum_id"], ergebnis["klasse"], strict=True):
                    if isinstance(k, str) and rr in moeglich:
                        moeglich[rr].add(k)
    ordnung = [k.label for k in ix.klassen]
    for r, ks in moeglich.items():
        if len(ks) > 1:
            i = werte.index[werte["raum_id"] == r][0]
            teile = sorted(ks, key=ordnung.index)
            werte.loc[i, ["klasse", "klasse_name"]] = None
            werte.loc[i, "grund"] = (f"Klasse {' oder '.join(teile)}: hängt von einer gesperrten kleinen Fallzahl ab")
    for r in klein & drin:
        hit = werte["raum_id"] == r
        werte.loc[hit, ["klasse", "klasse_name"]] = None
        werte.loc[hit, "einbezogen"] = False
        werte.loc[hit, "grund"] = f"weniger als {mindest} Einwohner"
    werte["wert"] = np.nan
    werte["roh"] = np.nan
    return Indexergebnis(ix, e.stichtag, werte, e.beitraege.iloc[0:0], nur_klassen=True)


def gesperrte_zellen(m, stichtag: date, ebene: int) -> pd.DataFrame:
    """The suppressed cells of the published Monitoringdaten ``m`` at one Stichtag and level."""
    w = m.auswahl(stichtag=stichtag, ebene=ebene)
    return w.loc[w["unterdrueckt"].astype(bool), ["raum_id", "indikator_id", "grund", "schwelle"]]


def ergebnis(daten: Indexdaten, m, config: Config, ix: Index, stichtag: date, oeffentlich_: bool) -> Indexergebnis:
    """The index at ``stichtag`` for a reader: internal roles get every value and contribution,
    public roles (``oeffentlich_``) what :func:`oeffentlich` leaves; ``m``: the published
    Monitoringdaten with the components."""
    e = berechne_aus(daten, config, ix, stichtag)
    return oeffentlich(e, daten, config, gesperrte_zellen(m, stichtag, ix.ebene)) if oeffentlich_ else e


def komponenten_oeffentlich(m, ix: Index, stichtag: date, raum_id: str) -> pd.DataFrame:
    """For public roles instead of the contributions: the area's published component values beside
    the city's (Indikator, Wert, Stadt, Einordnung), suppressed ones marked."""
    stadt = m.stadt_id(stichtag)
    zeilen = []
    for k in ix.komponenten:
        meta = m.meta(k.indikator)
        hier = m.auswahl(k.indikator, stichtag, raum_id=raum_id)
        dort = m.auswahl(k.indikator, stichtag, raum_id=stadt)
        h = hier.iloc[0] if len(hier) else None
        s = dort.iloc[0] if len(dort) else None
        wert = np.nan if h is None else h["wert"]
        ref = np.nan if s is None else s["wert"]
        versteckt = h is not None and bool(h["unterdrueckt"])
        schlecht = (k.polaritaet or meta["polaritaet"]) != "hoch_gut"
        if versteckt or pd.isna(wert) or pd.isna(ref):
            lage = "–"
        elif abs(wert - ref) < 1e-9:
            lage = "wie die Stadt"
        else:
            hoeher = wert > ref
            lage = ("über" if hoeher else "unter") + " dem Stadtwert · " + (
                "belastend" if hoeher == schlecht else "entlastend")
        zeilen.append({
            "Indikator": meta["kurzname"],
            "Gebiet": fmt_anzeige(wert, meta["einheit"], int(meta["nachkommastellen"]), unterdrueckt=versteckt,
                                  grund="" if h is None else h["grund"],
                                  schwelle=0 if h is None else int(h["schwelle"])),
            "Stadt": fmt_anzeige(ref, meta["einheit"], int(meta["nachkommastellen"])),
            "Einordnung": lage})
    return pd.DataFrame(zeilen)


def gesamtindex(ergebnisse: list[Indexergebnis]) -> pd.DataFrame:
    """Status × Dynamik and similar: the class labels joined (e.g. „2“ + „+/-“ = „2+/-“)
    where every part has a class."""
    teile = [e.werte.set_index("raum_id")["klasse"] for e in ergebnisse]
    df = pd.concat(teile, axis=1)
    label = df.apply(lambda r: "".join(r) if r.notna().all() else None, axis=1)
    return pd.DataFrame({"raum_id": df.index, "klasse": label.values})


def export_tabelle(config: Config, m: Indexdaten, stichtag: date, monitoring=None) -> pd.DataFrame:
    """One row per area of the first index's level: raum_id, per index value and class label,
    per combination its label (the CLI export). With the published ``monitoring`` (a public
    export): what :func:`oeffentlich` leaves, classes only where values would reveal hidden cells."""
    tabellen = []
    ergebnisse = {}
    for ix in config.indizes.indizes:
        if stichtag not in stichtage(m, ix):
            continue
        e = berechne_aus(m, config, ix, stichtag) if monitoring is None else \
            ergebnis(m, monitoring, config, ix, stichtag, True)
        ergebnisse[ix.id] = e
        spalten = ["klasse"] if e.nur_klassen else ["wert", "klasse"]
        tabellen.append(e.werte.set_index("raum_id")[spalten].rename(
            columns={"wert": f"{ix.id}_wert", "klasse": f"{ix.id}_klasse"}))
    if not tabellen:
        raise KeyError(stichtag)
    out = pd.concat(tabellen, axis=1)
    for k in config.indizes.kombinationen:
        if all(a in ergebnisse for a in k.aus):
            out[k.id] = gesamtindex([ergebnisse[a] for a in k.aus]).set_index("raum_id")["klasse"]
    return out.reset_index().rename(columns={"index": "raum_id"})


# =========================================================================== presentation

STANDARDISIERUNG = {"zwert": "z-Werte", "minmax": "Min-Max-Skalierung", "rang": "Perzentilränge"}


def methode_text(ix: Index, kurznamen: dict[str, str]) -> str:
    """The index method in one German line (components, standardisation, combination)."""
    return (f"{len(ix.komponenten)} Indikatoren: " + ", ".join(kurznamen.get(k.indikator, k.indikator)
                                                             for k in ix.komponenten)
            + " · " + STANDARDISIERUNG[ix.standardisierung]
            + (", gewichtete Summe" if ix.kombination == "summe" else ", gewichtetes Mittel")
            + (", erneut z-standardisiert" if ix.restandardisierung == "zwert" else "")
            + " · hohe Werte = hohe Belastung" + (f" · Vorbild: {ix.quelle}" if ix.quelle else ""))


def vorheriger_stichtag(m: Indexdaten, ix: Index, stichtag: date) -> date | None:
    frueher = [t for t in stichtage(m, ix) if t < stichtag]
    return frueher[-1] if frueher else None


def klassenwechsel(aktuell: Indexergebnis, vorher: Indexergebnis | None) -> pd.Series:
    """Per area: „besser“, „schlechter“, „gleich“ against the previous edition (class order
    as configured: later classes = more Belastung), „neu“ without a previous class."""
    if vorher is None:
        return pd.Series("–", index=aktuell.werte["raum_id"])
    ordnung = {k.label: i for i, k in enumerate(aktuell.index.klassen)}
    a = aktuell.werte.set_index("raum_id")["klasse"].map(ordnung)
    v = vorher.werte.set_index("raum_id")["klasse"].map(ordnung).reindex(a.index)
    out = pd.Series("neu", index=a.index)
    out[a.isna()] = "–"
    beide = a.notna() & v.notna()
    out[beide & (a < v)] = "besser"
    out[beide & (a > v)] = "schlechter"
    out[beide & (a == v)] = "gleich"
    return out


def indextabelle(e: Indexergebnis, namen: dict[str, str], vorher: Indexergebnis | None) -> pd.DataFrame:
    """The index as a German display table, most Belastung first; excluded areas last with
    their reason."""
    w = e.werte.copy()
    w["Wechsel"] = klassenwechsel(e, vorher).reindex(w["raum_id"]).values
    vorige = vorher.werte.set_index("raum_id")["klasse"] if vorher is not None else pd.Series(dtype=object)
    if e.nur_klassen:
        # most Belastung first by class only: an order by the withheld values would give them away
        rang = {k.label: i for i, k in enumerate(e.index.klassen)}
        w = w.assign(_rang=w["klasse"].map(rang)).sort_values(["_rang", "raum_id"], ascending=[False, True],
                                                               na_position="last")
    else:
        w = w.sort_values(["einbezogen", "wert"], ascending=[False, False])
    tabelle = pd.DataFrame({
        "Gebiet": [f"{namen.get(r, r)} ({r})" for r in w["raum_id"]],
        "Indexwert": [fmt_zahl(v, 2) if v == v else "–" for v in w["wert"]],
        "Klasse": [f"{k} {n}" if isinstance(k, str) else "nicht bewertet" for k, n in zip(w["klasse"], w["klasse_name"],
                                                                                             strict=True)],
        "Klasse zuvor": [vorige.get(r) if isinstance(vorige.get(r), str) else "–" for r in w["raum_id"]],
        "Veränderung": w["Wechsel"].values,
        "Hinweis": w["grund"].values,
    })
    return tabelle.drop(columns="Indexwert") if e.nur_klassen else tabelle


def kartendaten(e: Indexergebnis, geometrien: pd.Series, namen: dict[str, str]):
    """Rows for fis.maps.deck (one colour per class, grey for areas not rated) and the legend."""
    klassen = e.index.klassen
    farben = YLORRD[min(max(len(klassen), 3), 7)][:len(klassen)] if len(klassen) >= 3 else ZWEI_KLASSEN
    farbe_von = {k.label: f for k, f in zip(klassen, farben, strict=False)}
    w = e.werte.set_index("raum_id")
    d = pd.DataFrame({"raum_id": geometrien.index, "geometrie": geometrien.values})
    d["name"] = d["raum_id"].map(namen).fillna(d["raum_id"])
    d["klasse"] = d["raum_id"].map(w["klasse"])
    d["farbe"] = [farbe_von.get(k, GRAU_FALLZAHL) if isinstance(k, str) else GRAU_FALLZAHL for k in d["klasse"]]
    d["anzeige"] = [f"Klasse {k} – {w.at[r, 'klasse_name']}"
                    + ("" if e.nur_klassen else f" (Index {fmt_zahl(w.at[r, 'wert'], 2)})")
                    if isinstance(k, str) else f"nicht bewertet: {w['grund'].get(r) or 'kein Wert'}"
                    for r, k in zip(d["raum_id"], d["klasse"], strict=True)]
    legende = [Legendeneintrag(farbe_von[k.label], f"{k.label} {k.name}", int((d["klasse"] == k.label).sum()))
               for k in klassen]
    legende.append(Legendeneintrag(GRAU_FALLZAHL, "nicht bewertet", int(d["klasse"].isna().sum())))
    return d, legende


def handlungsbedarf_klassen(m: Indexdaten, config: Config, stichtag: date, monitoring=None) -> pd.Series | None:
    """raum_id → class of the Handlungsbedarf index (lagebild.yaml) at ``stichtag``; None if
    no index rule is configured or the index cannot be computed for that Stichtag. With the
    published ``monitoring`` of the components: the classes a public role may see."""
    regel = config.lagebild.handlungsbedarf
    if not regel.index:
        return None
    ix = index_nach_id(config, regel.index)
    if stichtag not in stichtage(m, ix):
        return None
    e = berechne_aus(m, config, ix, stichtag) if monitoring is None else \
        ergebnis(m, monitoring, config, ix, stichtag, True)
    return e.werte.set_index("raum_id")["klasse"]

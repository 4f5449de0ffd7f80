"""Monitoring: aggregation over the Raum hierarchy, change over time, comparison
with the city and the Handlungsbedarf rule.

Ratios are aggregated as Σnumerator / Σdenominator × factor, counts as sums —
never as an average of percentages. Only values of the smallest level (ebene 1)
are aggregated, so values stored for higher levels are never counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.config import HandlungsbedarfRegel
from fis.disclosure import GRUND_FALLZAHL, apply_suppression, regeln, suppress
from fis.format import dativ, fmt_anzeige, fmt_datum, fmt_differenz, fmt_wert, fmt_zahl, jahre_vorher

WERT_COLUMNS = ["raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status"]


def _valid_at(frame: pd.DataFrame) -> pd.Series:
    stichtag = pd.to_datetime(frame["stichtag"])
    von = pd.to_datetime(frame["gueltig_von"])
    bis = pd.to_datetime(frame["gueltig_bis"])
    return (von <= stichtag) & (bis.isna() | (bis >= stichtag))


def compute_aggregate(werte: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame,
                      ebene: int) -> pd.DataFrame:
    """Values of ebene-1 units aggregated to the units of ``ebene``.

    Returns raum_id, indikator_id, stichtag, wert, zaehler, nenner, status
    ('vorläufig' if any part is provisional), anzahl (contributing units), erwartet (units
    valid at the Stichtag) and vollstaendig (every unit valid at the Stichtag contributed a value).
    """
    base = _basis(werte, raeume)
    for _ in range(1, ebene):
        base = _hoch(base, raeume)
    return _gruppiere(base, raeume, indikatoren, ebene)


def _basis(werte: pd.DataFrame, raeume: pd.DataFrame) -> pd.DataFrame:
    """The values of ebene-1 units valid at their Stichtag, each with its unit as ``ziel_id``."""
    eins = raeume.loc[raeume["ebene"] == 1, ["raum_id", "gueltig_von", "gueltig_bis", "ebene", "parent_id"]]
    base = werte.merge(eins, on="raum_id")
    base = base[_valid_at(base)].copy()
    base["ziel_id"] = base["raum_id"]
    return base


def _hoch(base: pd.DataFrame, raeume: pd.DataFrame) -> pd.DataFrame:
    """One level up: ``ziel_id`` becomes the parent valid at the Stichtag."""
    parents = raeume[["raum_id", "gueltig_von", "gueltig_bis", "parent_id"]].rename(
        columns={"raum_id": "ziel_id", "parent_id": "neu_id"})
    step = base.drop(columns=["gueltig_von", "gueltig_bis"]).merge(parents, on="ziel_id")
    step = step[_valid_at(step)]
    return step.drop(columns=["ziel_id"]).rename(columns={"neu_id": "ziel_id"})


def _gruppiere(base: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame, ebene: int) -> pd.DataFrame:
    """Sum the ebene-1 values in ``base`` per ``ziel_id`` (units of ``ebene``)."""
    if ebene == 1:
        out = base[WERT_COLUMNS].copy()
        out["anzahl"] = 1
        out["erwartet"] = 1
        out["vollstaendig"] = out["wert"].notna()
        return out.reset_index(drop=True)

    meta = indikatoren.set_index("indikator_id")[["aggregation", "faktor"]]
    base = base.assign(vorlaeufig=base["status"] == "vorläufig")
    keys = ["ziel_id", "indikator_id", "stichtag"]
    g = base.groupby(keys)
    grouped = g[["zaehler", "nenner", "wert"]].sum(min_count=1).rename(columns={"wert": "summe"})
    grouped["anzahl"] = g["raum_id"].count()   # delivered rows: 0/0 (no births) is delivered, not missing
    grouped["vorlaeufig"] = g["vorlaeufig"].any()
    grouped = grouped.reset_index()
    grouped = grouped.join(meta, on="indikator_id")
    with np.errstate(divide="ignore", invalid="ignore"):
        quote = grouped["zaehler"] / grouped["nenner"].where(grouped["nenner"] > 0) * grouped["faktor"]
    grouped["wert"] = np.where(grouped["aggregation"] == "summe", grouped["summe"], quote)
    grouped["status"] = np.where(grouped["vorlaeufig"], "vorläufig", "endgültig")
    grouped = grouped.rename(columns={"ziel_id": "raum_id"})

    # Completeness: how many ebene-1 units below each unit were valid at the Stichtag.
    expected = _expected_units(raeume, ebene, grouped["stichtag"].unique())
    if len(expected):
        grouped = grouped.merge(expected, on=["raum_id", "stichtag"], how="left")
    else:
        grouped["erwartet"] = grouped["anzahl"]
    grouped["erwartet"] = grouped["erwartet"].fillna(grouped["anzahl"]).astype(int)
    grouped["vollstaendig"] = grouped["anzahl"] >= grouped["erwartet"]
    return grouped[WERT_COLUMNS + ["anzahl", "erwartet", "vollstaendig"]].reset_index(drop=True)


def _expected_units(raeume: pd.DataFrame, ebene: int, stichtage) -> pd.DataFrame:
    units = raeume[raeume["ebene"] == 1][["raum_id", "gueltig_von", "gueltig_bis", "parent_id"]]
    frames = []
    for stichtag in stichtage:
        valid = units.assign(stichtag=stichtag)
        valid = valid[_valid_at(valid)]
        ids = valid[["raum_id", "stichtag"]].assign(ziel_id=valid["raum_id"])
        for _ in range(1, ebene):
            up = raeume[["raum_id", "gueltig_von", "gueltig_bis", "parent_id"]].rename(
                columns={"raum_id": "ziel_id"}).assign(stichtag=stichtag)
            up = up[_valid_at(up)][["ziel_id", "parent_id"]]
            ids = ids.merge(up, on="ziel_id").drop(columns="ziel_id").rename(
                columns={"parent_id": "ziel_id"})
        frames.append(ids.groupby(["ziel_id", "stichtag"], as_index=False).size())
    if not frames:
        return pd.DataFrame(columns=["raum_id", "stichtag", "erwartet"])
    out = pd.concat(frames).rename(columns={"ziel_id": "raum_id", "size": "erwartet"})
    return out


@dataclass(frozen=True)
class Eckwert:
    """One headline figure of a Raum: value and its changes (in the indicator's unit)."""

    indikator_id: str
    name: str
    einheit: str
    nachkommastellen: int
    polaritaet: str
    wert: float | None
    status: str | None
    vorjahr: float | None
    veraenderung_vorjahr: float | None
    vergleichsjahr: int
    veraenderung_vergleich: float | None
    verlauf: tuple[float, ...] = ()   # values of all Stichtage up to this one, oldest first
    abdeckung: str = ""               # "5 von 51 Sozialräumen" when not every area delivered

    @property
    def unvollstaendig(self) -> bool:
        return bool(self.abdeckung)


def compute_eckwerte(werte: pd.DataFrame, indikatoren: pd.DataFrame, raum_id: str,
                     stichtag: date, indikator_ids: list[str], jahre: int) -> list[Eckwert]:
    """Headline values of ``raum_id`` at ``stichtag`` with the change against the
    previous year and against ``jahre`` years before (same day of year)."""
    meta = indikatoren.set_index("indikator_id")
    mine = werte[werte["raum_id"] == raum_id].copy()
    mine["stichtag"] = pd.to_datetime(mine["stichtag"]).dt.date
    lookup = mine.set_index(["indikator_id", "stichtag"])
    vorjahr_tag, vergleich_tag = jahre_vorher(stichtag, 1), jahre_vorher(stichtag, jahre)

    def get(ind: str, day: date, col: str = "wert"):
        try:
            v = lookup.at[(ind, day), col]
        except KeyError:
            return None
        return None if pd.isna(v) else (v if col in ("status", "abdeckung") else float(v))

    def vollstaendig(ind: str, day: date) -> bool:
        return not get(ind, day, "abdeckung") if "abdeckung" in lookup else True

    past_rows = mine[mine["stichtag"] <= stichtag].sort_values("stichtag")
    if "abdeckung" in past_rows:   # an incomplete sum is no point of the trend
        past_rows = past_rows[past_rows["abdeckung"].fillna("") == ""]
    series = {ind: grp["wert"] for ind, grp in past_rows.groupby("indikator_id")}
    out = []
    for ind in indikator_ids:
        m = meta.loc[ind]
        now, prev, past = get(ind, stichtag), get(ind, vorjahr_tag), get(ind, vergleich_tag)
        # A change is only stated between two complete values.
        ok = vollstaendig(ind, stichtag)
        prev = prev if ok and vollstaendig(ind, vorjahr_tag) else None
        past = past if ok and vollstaendig(ind, vergleich_tag) else None
        out.append(Eckwert(
            indikator_id=ind, name=m["name"], einheit=m["einheit"],
            nachkommastellen=int(m["nachkommastellen"]), polaritaet=m["polaritaet"],
            wert=now, status=get(ind, stichtag, "status"), vorjahr=prev,
            veraenderung_vorjahr=None if now is None or prev is None else now - prev,
            vergleichsjahr=vergleich_tag.year,
            veraenderung_vergleich=None if now is None or past is None else now - past,
            verlauf=tuple(float(v) for v in series.get(ind, pd.Series(dtype=float)).dropna()),
            abdeckung=get(ind, stichtag, "abdeckung") or "",
        ))
    return out


def describe_handlungsbedarf(regel: HandlungsbedarfRegel, indikatoren: pd.DataFrame,
                             sozialraum: str = "Sozialraum") -> str:
    """The rule as a German sentence, for the page and reports."""
    names = indikatoren.set_index("indikator_id")["kurzname"]
    liste = ", ".join(names.get(i, i) for i in regel.indikatoren)
    oben = f"{fmt_zahl(regel.schwelle_index - 100, 0)} %"
    return (f"Ein {sozialraum} hat Handlungsbedarf, wenn mindestens {regel.mindestanzahl} "
            f"von {len(regel.indikatoren)} Kernindikatoren ({liste}) um mindestens {oben} "
            f"ungünstiger sind als der Wert der Gesamtstadt (Stadt = 100; Index ≥ "
            f"{regel.schwelle_index:.0f}, bei Indikatoren, für die hoch günstig ist, ≤ "
            f"{10000 / regel.schwelle_index:.0f}). Bei neutralen Indikatoren zählt ein hoher "
            "Wert als Bedarf. Unterdrückte Werte (kleine Fallzahlen) zählen nicht."
            + _index_satz(regel, sozialraum))


def _index_satz(regel: HandlungsbedarfRegel, sozialraum: str) -> str:
    if not regel.index:
        return ""
    klassen = " oder ".join(regel.index_klassen)
    if regel.verknuepfung == "und":
        return f" Zusätzlich muss der {sozialraum} im Index „{regel.index}“ in Klasse {klassen} liegen."
    return f" Außerdem hat jeder {sozialraum} Handlungsbedarf, der im Index „{regel.index}“ in Klasse {klassen} liegt."


def flag_handlungsbedarf(sozialraum_werte: pd.DataFrame, stadt_werte: pd.DataFrame,
                         indikatoren: pd.DataFrame, regel: HandlungsbedarfRegel,
                         schwellen: pd.Series) -> pd.DataFrame:
    """Per Sozialraum and Stichtag: index (city = 100) of each core indicator, whether
    it is conspicuous, and whether the area has Handlungsbedarf.

    Returns raum_id, stichtag, indikator_id, wert (blank if suppressed), stadtwert, index,
    auffaellig, unterdrueckt, grund (why suppressed), schwelle, anzahl_auffaellig, handlungsbedarf
    (one row per area × indicator).
    """
    kern = list(regel.indikatoren)
    # Suppressed values are blanked here, so they can neither count nor be shown later.
    sr = sozialraum_werte[sozialraum_werte["indikator_id"].isin(kern)]
    if "unterdrueckt" not in sr:   # already suppressed values (Monitoringdaten) stay as they are
        sr = apply_suppression(sr, schwellen)
    stadt = stadt_werte[stadt_werte["indikator_id"].isin(kern)][
        ["indikator_id", "stichtag", "wert"]].rename(columns={"wert": "stadtwert"})
    sr = sr.merge(stadt, on=["indikator_id", "stichtag"], how="left")
    sr["index"] = sr["wert"] / sr["stadtwert"] * 100
    polaritaet = sr["indikator_id"].map(indikatoren.set_index("indikator_id")["polaritaet"])
    hoch_gut = polaritaet == "hoch_gut"
    auffaellig = np.where(hoch_gut, sr["index"] <= 10000 / regel.schwelle_index,
                          sr["index"] >= regel.schwelle_index)
    sr["auffaellig"] = auffaellig & ~sr["unterdrueckt"] & sr["index"].notna()
    counts = sr.groupby(["raum_id", "stichtag"])["auffaellig"].transform("sum")
    sr["anzahl_auffaellig"] = counts.astype(int)
    sr["handlungsbedarf"] = sr["anzahl_auffaellig"] >= regel.mindestanzahl
    if "grund" not in sr:
        sr = sr.assign(grund=np.where(sr["unterdrueckt"], GRUND_FALLZAHL, ""))
    return sr[["raum_id", "stichtag", "indikator_id", "wert", "stadtwert", "index", "auffaellig",
               "unterdrueckt", "grund", "schwelle", "anzahl_auffaellig", "handlungsbedarf"]].reset_index(drop=True)


# --------------------------------------------------------------------------- all levels

def hierarchy(raeume: pd.DataFrame, stichtage) -> pd.DataFrame:
    """The Raum records valid at each Stichtag: raum_id, stichtag, ebene, name, parent_id,
    gueltig_von (identifies the record, i.e. the boundary version)."""
    tage = pd.DataFrame({"stichtag": pd.to_datetime(pd.Series(list(stichtage), dtype=object))})
    cols = ["raum_id", "gueltig_von", "gueltig_bis", "ebene", "name", "parent_id"]
    grid = raeume[cols].merge(tage, how="cross")
    grid = grid[_valid_at(grid)]
    grid["stichtag"] = grid["stichtag"].dt.date
    return grid.drop(columns="gueltig_bis").drop_duplicates(["raum_id", "stichtag"], keep="last")


def aggregate_levels(werte: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame,
                     top: int) -> pd.DataFrame:
    """Values of every level 1 … ``top``: level 1 as delivered, higher levels aggregated
    from level 1 (Σnumerator / Σdenominator, sums for counts). A value delivered for a higher
    unit (the official city total, a Bezirk figure) is that unit's value where aggregation gives
    nothing, and also where it does if the catalog says ``gesamtwert: geliefert`` (the default);
    such rows are marked ``geliefert`` and keep the sum of the parts in ``summe_teile``. Each row
    carries ebene, parent_id at its Stichtag, anzahl/erwartet (units with values / valid units)."""
    werte = werte.copy()
    # datetime64 while aggregating (the validity checks compare millions of dates), dates at the end
    werte["stichtag"] = pd.to_datetime(werte["stichtag"])
    frames = []
    base = _basis(werte, raeume)
    for ebene in range(1, top + 1):
        if ebene > 1:
            base = _hoch(base, raeume)           # climb once per level, not from level 1 each time
        agg = _gruppiere(base, raeume, indikatoren, ebene)
        agg["geliefert"] = ebene == 1
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    out["stichtag"] = pd.to_datetime(out["stichtag"]).dt.date
    out["summe_teile"] = np.nan
    hier = hierarchy(raeume, sorted(out["stichtag"].unique()) if len(out) else [])
    out = out.merge(hier[["raum_id", "stichtag", "ebene", "parent_id"]], on=["raum_id", "stichtag"])
    oben = werte[werte["raum_id"].isin(raeume.loc[raeume["ebene"] > 1, "raum_id"])]
    if len(oben):
        out = _gelieferte_gesamtwerte(out, oben, hier, indikatoren)
    return out.sort_values(["indikator_id", "stichtag", "ebene", "raum_id"]).reset_index(drop=True)


def _gelieferte_gesamtwerte(out: pd.DataFrame, oben: pd.DataFrame, hier: pd.DataFrame,
                            indikatoren: pd.DataFrame) -> pd.DataFrame:
    """Delivered values of higher units in place of (or where there is no) aggregate."""
    key = ["raum_id", "indikator_id", "stichtag"]
    oben = oben.assign(stichtag=oben["stichtag"].dt.date)
    oben = oben.merge(hier[["raum_id", "stichtag", "ebene", "parent_id"]], on=["raum_id", "stichtag"])
    oben = oben[(oben["ebene"] > 1) & (oben["wert"].notna() | oben["zaehler"].notna())]
    if oben.empty:
        return out
    art = (indikatoren.set_index("indikator_id")["gesamtwert"] if "gesamtwert" in indikatoren
           else pd.Series(dtype=object))
    bevorzugt = oben["indikator_id"].map(art).fillna("geliefert").eq("geliefert").to_numpy()
    agg = out.dropna(subset=["wert"]).set_index(key)
    hat_agg = oben.set_index(key).index.isin(agg.index)
    oben = oben[~hat_agg | bevorzugt]
    if oben.empty:
        return out
    teile = agg.reindex(oben.set_index(key).index)
    oben = oben.assign(summe_teile=teile["wert"].to_numpy(),
                       anzahl=teile["anzahl"].fillna(0).astype(int).to_numpy(),
                       erwartet=teile["erwartet"].fillna(0).astype(int).to_numpy(),
                       vollstaendig=True, geliefert=True)
    out = out[~out.set_index(key).index.isin(oben.set_index(key).index)]
    return pd.concat([out, oben[out.columns]], ignore_index=True)


def jahreswerte(werte: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, Raum and year the last known value of the year (the latest Stichtag with a
    value; columns wert and status): the annual Ist that goals are measured on."""
    w = werte.dropna(subset=["wert"])
    w = w.assign(jahr=pd.to_datetime(w["stichtag"]).dt.year).sort_values("stichtag", kind="stable")
    return w.groupby(["indikator_id", "raum_id", "jahr"], sort=False)[["wert", "status"]].last().reset_index()


# --------------------------------------------------------------------------- published data

KEINE_ZEILEN = np.empty(0, dtype=np.intp)


class Zeilenindex:
    """Row positions of ``self.werte`` per value of a column, built once per (shared, cached)
    object: a selection then touches only its rows, not a mask over millions of values on every
    rerun. For frozen dataclasses holding ``werte``, which nobody changes in place."""

    def zeilen(self, spalte: str) -> dict:
        index = self.__dict__.setdefault("_zeilenindex", {})
        if spalte not in index:
            index[spalte] = self.werte.groupby(spalte, sort=False).indices
        return index[spalte]

    def _waehle(self, kriterien: dict, ebene: int | None = None) -> pd.DataFrame:
        """The rows whose column equals the value (a list: one of the values) for every criterion
        that is not None, in stored order: the rows of the most selective criterion, then the
        others checked on those rows only."""
        gesetzt = {k: v for k, v in kriterien.items() if v is not None}
        w = self.werte
        if gesetzt:
            def positionen(spalte, wert):
                je = self.zeilen(spalte)
                if not isinstance(wert, (list, tuple, set)):
                    return je.get(wert, KEINE_ZEILEN)
                return np.sort(np.concatenate([KEINE_ZEILEN, *(je.get(v, KEINE_ZEILEN) for v in set(wert))]))
            zeilen = {k: positionen(k, v) for k, v in gesetzt.items()}
            kleinste = min(zeilen, key=lambda k: len(zeilen[k]))
            w = w.iloc[zeilen[kleinste]]
            for spalte, wert in gesetzt.items():
                if spalte != kleinste:
                    treffer = w[spalte].isin(list(wert)) if isinstance(wert, (list, tuple, set)) else w[spalte] == wert
                    w = w[treffer.to_numpy()]
        return w if ebene is None else w[(w["ebene"] == ebene).to_numpy()]


@dataclass(frozen=True)
class Monitoringdaten(Zeilenindex):
    """Every value of every level as it may be shown: aggregated and suppressed.

    Pages, tables, tooltips and exports read values only from here, so nothing is shown
    that :func:`fis.disclosure.suppress` hid.
    """

    werte: pd.DataFrame          # raum_id, indikator_id, stichtag, wert, zaehler, nenner, status,
    #                              ebene, parent_id, anzahl, erwartet, vollstaendig, geliefert,
    #                              summe_teile, unterdrueckt, grund, schwelle, unvollstaendig, abdeckung
    raeume: pd.DataFrame         # hierarchy(): records valid per Stichtag
    indikatoren: pd.DataFrame    # catalog, indexed by indikator_id
    stichtage: tuple[date, ...]
    ebenen: dict[int, tuple[str, str]]   # number → (name, plural)
    mindest_einwohner: int | None = None

    @property
    def top(self) -> int:
        return max(self.ebenen)

    def stadt_id(self, stichtag: date | None = None) -> str:
        r = self.raeume[self.raeume["ebene"] == self.top]
        if stichtag is not None and (r["stichtag"] == stichtag).any():
            r = r[r["stichtag"] == stichtag]
        return str(r["raum_id"].iloc[-1]) if len(r) else ""

    def namen(self) -> pd.Series:
        return self.raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"]

    def meta(self, indikator_id: str) -> pd.Series:
        return self.indikatoren.loc[indikator_id]

    @property
    def indikatoren_mit_werten(self) -> set[str]:
        return set(self.zeilen("indikator_id"))

    def auswahl(self, indikator_id: str | None = None, stichtag: date | None = None,
                ebene: int | None = None, raum_id: str | None = None) -> pd.DataFrame:
        """The rows of one indicator, Stichtag, level and/or Raum (None: all), in stored order."""
        return self._waehle({"indikator_id": indikator_id, "raum_id": raum_id, "stichtag": stichtag}, ebene)


@dataclass(frozen=True)
class Aggregat:
    """The internal (not suppressed) values of every level: what both the published
    :class:`Monitoringdaten` and the indices (fis.indizes.Indexdaten) are computed from, so that
    a page needing both aggregates the city once."""

    werte: pd.DataFrame          # aggregate_levels()
    raeume: pd.DataFrame         # the Raum records (store.load_raeume)
    indikatoren: pd.DataFrame    # the catalog (store.load_indikatoren)
    stichtage: tuple[date, ...]


def lade_aggregat(store, config, indikator_ids: list[str] | None = None) -> Aggregat:
    """Load the current values and aggregate them over all levels (nothing suppressed yet). With
    ``indikator_ids``, the population indicator comes along: the rule „zu wenige Einwohner“ needs it."""
    ew = config.stadt.einwohner_indikator
    if indikator_ids is not None and ew and ew not in indikator_ids:
        indikator_ids = [*indikator_ids, ew]
    indikatoren = store.load_indikatoren()
    raeume = store.load_raeume()
    top = max(e.ebene for e in config.stadt.raumebenen)
    werte = store.load_werte(indikator_ids=indikator_ids)
    # values of an indicator this reader's catalog does not have (its catalog delivery is not published)
    werte = werte[werte["indikator_id"].isin(indikatoren["indikator_id"])]
    if "veroeffentlicht" in werte:
        # A value nobody has published yet is provisional for every reader, whatever its deliverer said.
        werte["status"] = werte["status"].where(werte["veroeffentlicht"], "vorläufig")
        werte = werte.drop(columns="veroeffentlicht")
    alle = aggregate_levels(werte, raeume, indikatoren, top)
    return Aggregat(alle, raeume, indikatoren, tuple(sorted(alle["stichtag"].unique())))


def monitoring_aus(a: Aggregat, config) -> Monitoringdaten:
    """Suppress (primary and secondary) the aggregate: the values as they may be shown."""

    stadt = config.stadt
    r = regeln(a.indikatoren, stadt.geheimhaltung_standard, stadt.mindest_einwohner, stadt.einwohner_indikator)
    pub = abdeckung_pruefen(_teilsummen_schuetzen(suppress(a.werte, r)), stadt.mindest_abdeckung,
                            config.ebene(1).plural)
    return Monitoringdaten(
        werte=pub, raeume=hierarchy(a.raeume, a.stichtage),
        indikatoren=a.indikatoren.set_index("indikator_id"), stichtage=a.stichtage,
        ebenen={e.ebene: (e.name, e.plural) for e in stadt.raumebenen},
        mindest_einwohner=stadt.mindest_einwohner)


def _teilsummen_schuetzen(werte: pd.DataFrame) -> pd.DataFrame:
    """The sum of the parts beside a delivered total is shown only where neither the total nor any
    of its parts is hidden: otherwise it would reveal what suppression hid."""
    if "summe_teile" not in werte or werte["summe_teile"].isna().all():
        return werte
    key = ["parent_id", "indikator_id", "stichtag"]
    verborgen = werte.loc[werte["unterdrueckt"], key].drop_duplicates()
    eltern = pd.MultiIndex.from_frame(verborgen.rename(columns={"parent_id": "raum_id"})[
        ["raum_id", "indikator_id", "stichtag"]])
    zeilen = pd.MultiIndex.from_frame(werte[["raum_id", "indikator_id", "stichtag"]])
    blank = zeilen.isin(eltern) | werte["unterdrueckt"].to_numpy()
    return werte.assign(summe_teile=werte["summe_teile"].where(~blank))


def abdeckung_pruefen(werte: pd.DataFrame, mindest_prozent: float, plural: str = "Sozialräume") -> pd.DataFrame:
    """Sums of higher units that lack some of their Sozialräume at the Stichtag are never shown as
    if complete: below ``mindest_prozent`` coverage their value is withheld, above it shown as
    provisional; both carry ``unvollstaendig`` and ``abdeckung`` ("5 von 51 Sozialräumen").
    Delivered totals (``geliefert``) are official figures and complete by definition."""

    out = werte.copy()
    teil = ((out["ebene"] > 1) & ~out["geliefert"].astype(bool)
            & (out["anzahl"] < out["erwartet"])).to_numpy()
    out["unvollstaendig"] = teil
    out["abdeckung"] = ""
    if teil.any():
        n, e = out.loc[teil, "anzahl"].astype(int), out.loc[teil, "erwartet"].astype(int)
        out.loc[teil, "abdeckung"] = n.astype(str) + " von " + e.astype(str) + f" {dativ(plural)}"
        zu_wenig = np.zeros(len(out), dtype=bool)
        zu_wenig[teil] = (n / e * 100 < mindest_prozent - 1e-9).to_numpy()
        for col in ("wert", "zaehler", "nenner"):
            out.loc[zu_wenig, col] = np.nan
        out.loc[teil, "status"] = "vorläufig"
    return out


def lade_monitoring(store, config, indikator_ids: list[str] | None = None) -> Monitoringdaten:
    """Load, aggregate over all levels and suppress (primary and secondary)."""
    return monitoring_aus(lade_aggregat(store, config, indikator_ids), config)


def _rang(werte: pd.Series, polaritaet: str) -> pd.Series:
    """Rank 1 = most unfavourable value (highest, or lowest if high is good)."""
    return werte.rank(ascending=polaritaet == "hoch_gut", method="min")


def karte_werte(m: Monitoringdaten, indikator_id: str, stichtag: date, ebene: int) -> pd.DataFrame:
    """One value per unit of ``ebene``: raum_id, name, wert, status, unterdrueckt, grund,
    schwelle, vollstaendig, abdeckung, rang–rang_bis (1 = most unfavourable; for neutral indicators:
    highest; a tie spans its ranks), n, stadtwert, index (city = 100; none for signed indicators)."""
    meta = m.meta(indikator_id)
    units = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == ebene)][
        ["raum_id", "name", "parent_id"]]
    spalten = ["raum_id", "wert", "status", "unterdrueckt", "grund", "schwelle", "vollstaendig", "abdeckung"]
    w = m.auswahl(indikator_id, stichtag, ebene).reindex(columns=spalten)
    out = units.merge(w, on="raum_id", how="left")
    out["abdeckung"] = out["abdeckung"].fillna("")
    out["unterdrueckt"] = out["unterdrueckt"].fillna(False).astype(bool)
    out["grund"] = out["grund"].fillna("")
    out["schwelle"] = out["schwelle"].fillna(0).astype(int)
    out["rang"] = _rang(out["wert"], meta["polaritaet"]).astype("Int64")
    out["rang_bis"] = out["wert"].rank(ascending=meta["polaritaet"] == "hoch_gut", method="max").astype("Int64")
    out["n"] = int(out["wert"].notna().sum())
    stadt = m.auswahl(indikator_id, stichtag, m.top)
    stadt = stadt[_ohne_hinweis(stadt)]["wert"]          # no comparison with an incomplete sum
    out["stadtwert"] = float(stadt.iloc[0]) if len(stadt) and pd.notna(stadt.iloc[0]) else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        # a ratio of balances (signed indicators) or against a city value ≤ 0 means nothing
        ohne_index = bool(meta.get("negativ_erlaubt", False)) or not out["stadtwert"].gt(0).all()
        out["index"] = np.nan if ohne_index else out["wert"] / out["stadtwert"] * 100
    return out.sort_values("raum_id").reset_index(drop=True)


def vergleichbar(m: Monitoringdaten, raum_ids, von: date, bis: date) -> pd.Series:
    """Whether each unit has the same boundary (the same Raum record) at both dates."""
    r = m.raeume.set_index(["raum_id", "stichtag"])["gueltig_von"]
    ids = pd.Index(raum_ids)
    a = pd.Series([r.get((i, von)) for i in ids], index=ids)
    b = pd.Series([r.get((i, bis)) for i in ids], index=ids)
    return a.notna() & b.notna() & (a == b)


def veraenderung(m: Monitoringdaten, indikator_id: str, von: date, bis: date, ebene: int) -> pd.DataFrame:
    """Change of each unit of ``ebene`` (valid at ``bis``) from ``von`` to ``bis``:
    raum_id, name, wert_von, wert_bis, differenz, vergleichbar, unterdrueckt, hinweis.
    Units whose boundary changed in between get no difference, only the hinweis; a
    difference is withheld if either value is suppressed."""
    a = karte_werte(m, indikator_id, von, ebene).set_index("raum_id")
    b = karte_werte(m, indikator_id, bis, ebene).set_index("raum_id")
    out = b[["name"]].copy()
    out["wert_von"] = a["wert"].reindex(out.index)
    out["wert_bis"] = b["wert"]
    out["vergleichbar"] = vergleichbar(m, out.index, von, bis).to_numpy()
    out["unterdrueckt"] = (b["unterdrueckt"] | a["unterdrueckt"].reindex(out.index).fillna(False)).astype(bool)
    out["differenz"] = np.where(out["vergleichbar"] & ~out["unterdrueckt"],
                                out["wert_bis"] - out["wert_von"], np.nan)
    seit = m.raeume[m.raeume["stichtag"] == bis].set_index("raum_id")["gueltig_von"]
    out["hinweis"] = ""
    neu = ~out["vergleichbar"]
    out.loc[neu, "hinweis"] = [
        f"nicht vergleichbar: Gebietszuschnitt gilt erst seit {pd.Timestamp(seit.get(i)):%d.%m.%Y}"
        for i in out.index[neu]]
    out.loc[out["vergleichbar"] & out["unterdrueckt"], "hinweis"] = "unterdrückt (kleine Fallzahl)"
    out["rang"] = _rang(out["differenz"], m.meta(indikator_id)["polaritaet"]).astype("Int64")
    return out.reset_index()


def gebietsreformen(m: Monitoringdaten) -> list[date]:
    """Stichtage-independent dates at which a new Raum scheme started (after the first)."""
    starts = pd.to_datetime(m.raeume["gueltig_von"]).dt.date
    first = starts.min() if len(starts) else None
    return sorted({d for d in starts.unique() if d != first})


def zeitreihe_werte(m: Monitoringdaten, indikator_id: str, raum_ids: list[str],
              mit_oberebenen: bool = True) -> pd.DataFrame:
    """Time series of ``raum_ids`` (and, if asked, their parents up to the city):
    raum_id, name, ebene, rolle, stichtag, wert, status, unterdrueckt, grund, schwelle, abdeckung.
    Counts (aggregation „summe“) get no parents: a Bezirk's total is no benchmark for an area."""
    ids = set(raum_ids)
    if mit_oberebenen and m.indikatoren.at[indikator_id, "aggregation"] != "summe":
        parents = m.raeume.set_index("raum_id")["parent_id"]
        frontier = set(raum_ids)
        while frontier:
            up = set(parents[parents.index.isin(frontier)].dropna())
            frontier = up - ids
            ids |= up
    w = m.auswahl(indikator_id)
    w = w[w["raum_id"].isin(ids)]
    w = w.reindex(columns=["raum_id", "ebene", "stichtag", "wert", "status", "unterdrueckt", "grund", "schwelle",
                           "abdeckung"])
    w["abdeckung"] = w["abdeckung"].fillna("")
    w = w.merge(m.raeume[["raum_id", "stichtag", "gueltig_von"]], on=["raum_id", "stichtag"], how="left")
    w["name"] = w["raum_id"].map(m.namen())
    w["rolle"] = np.where(w["raum_id"].isin(raum_ids), "Auswahl",
                          w["ebene"].map(lambda e: m.ebenen[e][0]))
    return w.sort_values(["ebene", "raum_id", "stichtag"]).reset_index(drop=True)


@dataclass(frozen=True)
class Trend:
    raum_id: str
    steigung: float          # change per year in the indicator's unit
    r2: float
    von: date
    bis: date
    punkte: int


TREND_METHODE = ("Lineare Regression (kleinste Quadrate) über die letzten {n} Stichtage mit "
                 "gleichem Gebietszuschnitt; Steigung = Veränderung je Jahr.")


def trend(reihe: pd.DataFrame, jahre: int = 5) -> list[Trend]:
    """Linear trend per raum_id over its last ``jahre`` non-missing points (≥ 3 needed)."""
    out = []
    reihe = reihe[_ohne_hinweis(reihe)]          # an incomplete sum is no point of a trend
    for raum_id, grp in reihe.dropna(subset=["wert"]).groupby("raum_id", sort=False):
        grp = grp.sort_values("stichtag")
        if "gueltig_von" in grp:   # only points with the boundary of the latest one
            grp = grp[grp["gueltig_von"] == grp["gueltig_von"].iloc[-1]]
        grp = grp.tail(jahre)
        if len(grp) < 3:
            continue
        t = pd.to_datetime(grp["stichtag"])
        x = ((t - t.iloc[0]).dt.days / 365.25).to_numpy()
        y = grp["wert"].to_numpy(dtype=float)
        slope, intercept = np.polyfit(x, y, 1)
        fitted = slope * x + intercept
        ss_tot = float(((y - y.mean()) ** 2).sum())
        r2 = 1 - float(((y - fitted) ** 2).sum()) / ss_tot if ss_tot > 0 else 1.0
        out.append(Trend(raum_id, float(slope), r2, t.iloc[0].date(), t.iloc[-1].date(), len(grp)))
    return out


# --------------------------------------------------------------------------- profile

def _wert_am(m: Monitoringdaten, raum_id: str, tag: date) -> pd.Series:
    return m.auswahl(stichtag=tag, raum_id=raum_id).set_index("indikator_id")


def profil(m: Monitoringdaten, raum_id: str, stichtag: date, jahre: int = 5) -> pd.DataFrame:
    """All indicators of one unit at ``stichtag``, ordered by Handlungsfeld: wert, stadtwert,
    abweichung (absolute), index (city = 100), rang–rang_bis of n (same level; 1 = most
    unfavourable; ties share a span), change vs. previous year and vs. ``jahre`` years (only across
    an unchanged boundary and between complete values), verlauf (all values up to the Stichtag),
    status, suppression, abdeckung (of an incomplete sum) and hinweis (a delivered total against the
    sum of its parts). Empty (with these columns) if the unit has no values at the Stichtag.
    Counts get no deviation or index (one area's count against the city total says nothing), nor
    do signed indicators (``negativ_erlaubt``: a ratio of balances means nothing)."""
    meta = m.indikatoren
    jetzt = _wert_am(m, raum_id, stichtag)
    ebene_rows = m.raeume[(m.raeume["raum_id"] == raum_id) & (m.raeume["stichtag"] == stichtag)]
    if ebene_rows.empty:
        raise KeyError(raum_id)
    ebene = int(ebene_rows["ebene"].iloc[0])
    stadt_zeilen = _wert_am(m, m.stadt_id(stichtag), stichtag)
    stadt = stadt_zeilen["wert"].where(_ohne_hinweis(stadt_zeilen))   # no comparison with an incomplete sum
    level = m.auswahl(stichtag=stichtag, ebene=ebene)
    vorjahr, vergleich = jahre_vorher(stichtag, 1), jahre_vorher(stichtag, jahre)
    frueher = {}
    for tag in (vorjahr, vergleich):
        alt = _wert_am(m, raum_id, tag)
        frueher[tag] = alt["wert"].where(_ohne_hinweis(alt))
    ok = {tag: bool(vergleichbar(m, [raum_id], tag, stichtag).iloc[0]) for tag in (vorjahr, vergleich)}
    reihe = m.auswahl(raum_id=raum_id)
    reihe = reihe[(reihe["stichtag"] <= stichtag) & _ohne_hinweis(reihe)]
    verlauf = reihe.sort_values("stichtag").groupby("indikator_id")["wert"].agg(
        lambda s: [float(v) for v in s.dropna()])
    # the level's values per indicator in one pass (a filter per indicator cost a second for 250)
    je_indikator = {i: g.set_index("raum_id")["wert"] for i, g in level.groupby("indikator_id", sort=False)}
    leer = pd.Series(dtype=float)
    namen_ebene1 = m.ebenen.get(1, ("Sozialraum", "Sozialräume"))[1]
    rows = []
    for ind, mi in meta.iterrows():
        if ind not in jetzt.index:
            continue
        r = jetzt.loc[ind]
        werte_ebene = je_indikator.get(ind, leer)
        rang, rang_bis = rangspanne(werte_ebene, mi["polaritaet"], raum_id)
        sw = stadt.get(ind, np.nan)
        wert = r["wert"]
        abdeckung = r.get("abdeckung", "") if isinstance(r.get("abdeckung", ""), str) else ""
        # A count of one area against the city's total says nothing; nor does a ratio of balances.
        mit_stadt = mi["aggregation"] != "summe" and not abdeckung
        mit_index = mit_stadt and not bool(mi.get("negativ_erlaubt", False))

        def diff(tag, wert=wert, ind=ind, abdeckung=abdeckung):
            alt = frueher[tag].get(ind, np.nan)
            return wert - alt if ok[tag] and not abdeckung else np.nan

        rows.append({
            "indikator_id": ind, "handlungsfeld": mi["handlungsfeld"], "name": mi["kurzname"],
            "einheit": mi["einheit"], "nachkommastellen": int(mi["nachkommastellen"]),
            "polaritaet": mi["polaritaet"], "wert": wert, "stadtwert": sw,
            "abweichung": wert - sw if mit_stadt else np.nan,
            "index": wert / sw * 100 if sw and sw > 0 and mit_index else np.nan,
            "rang": rang, "rang_bis": rang_bis, "n": int(werte_ebene.notna().sum()),
            "vorjahr": diff(vorjahr), "vergleich": diff(vergleich),
            "verlauf": verlauf.get(ind, []), "status": r["status"],
            "unterdrueckt": bool(r["unterdrueckt"]), "grund": r["grund"], "schwelle": int(r["schwelle"]),
            "abdeckung": abdeckung, "hinweis": gesamtwert_hinweis(r, mi, namen_ebene1),
        })
    out = pd.DataFrame(rows, columns=PROFIL_SPALTEN)
    return out.sort_values(["handlungsfeld", "indikator_id"]).reset_index(drop=True)


def _ohne_hinweis(frame: pd.DataFrame) -> pd.Series:
    """True for rows that are no incomplete sum."""
    if "abdeckung" not in frame:
        return pd.Series(True, index=frame.index)
    return frame["abdeckung"].fillna("").eq("")


def rangspanne(werte: pd.Series, polaritaet: str, raum_id: str) -> tuple[int | None, int | None]:
    """Rank of ``raum_id`` among ``werte`` (1 = most unfavourable) as the span its tie occupies:
    (16, 51) when 36 areas share the value, (3, 3) when it is alone; (None, None) without a value."""
    von = _rang(werte, polaritaet).get(raum_id)
    if von is None or pd.isna(von):
        return None, None
    bis = werte.rank(ascending=polaritaet == "hoch_gut", method="max").get(raum_id)
    return int(von), int(bis)


def fmt_rang(rang, rang_bis, n) -> str:
    """'3 von 51', or for a tie '16–51 von 51 (gleich)'; '–' without a rank."""
    if rang is None or pd.isna(rang):
        return "–"
    if rang_bis is not None and pd.notna(rang_bis) and int(rang_bis) != int(rang):
        return f"{int(rang)}–{int(rang_bis)} von {int(n)} (gleich)"
    return f"{int(rang)} von {int(n)}"


def gesamtwert_hinweis(row, meta, plural: str = "Sozialräume") -> str:
    """For a delivered total of a higher unit: the sum of its parts and, for counts, the part that
    cannot be assigned to any area ('' for everything else)."""
    teile = row.get("summe_teile", np.nan)
    if not row.get("geliefert", False) or teile is None or pd.isna(teile) or pd.isna(row.get("wert")):
        return ""
    einheit, stellen = meta["einheit"], int(meta["nachkommastellen"])
    text = f"amtlicher Gesamtwert; Summe der {plural}: {fmt_wert(teile, einheit, stellen)}"
    if meta["aggregation"] == "summe":
        rest = float(row["wert"]) - float(teile)
        text += f", nicht zuordenbar: {fmt_wert(rest, einheit, stellen)}"
    return text


PROFIL_SPALTEN = ["indikator_id", "handlungsfeld", "name", "einheit", "nachkommastellen", "polaritaet", "wert",
                  "stadtwert", "abweichung", "index", "rang", "rang_bis", "n", "vorjahr", "vergleich", "verlauf",
                  "status", "unterdrueckt", "grund", "schwelle", "abdeckung", "hinweis"]


def aehnliche(m: Monitoringdaten, raum_id: str, stichtag: date, k: int = 5,
              indikator_ids: list[str] | None = None) -> pd.DataFrame:
    """The ``k`` units of the same level most similar to ``raum_id``: Euclidean distance
    in z-standardised indicator space (mean 0, SD 1 across the level's units), over the
    indicators both units have; counts (aggregation „summe“) are left out, because they
    measure size, not situation. Returns raum_id, name, abstand, indikatoren (used)."""
    ebene = int(m.raeume[(m.raeume["raum_id"] == raum_id) & (m.raeume["stichtag"] == stichtag)]["ebene"].iloc[0])
    level = m.auswahl(stichtag=stichtag, ebene=ebene)
    quoten = m.indikatoren.index[m.indikatoren["aggregation"] == "quote"]
    if indikator_ids is not None:
        quoten = quoten.intersection(indikator_ids)
    wide = level[level["indikator_id"].isin(quoten)].pivot(index="raum_id", columns="indikator_id", values="wert")
    wide = wide.loc[:, wide.std(ddof=0) > 0]
    if raum_id not in wide.index:
        return pd.DataFrame(columns=["raum_id", "name", "abstand", "indikatoren"])
    z = (wide - wide.mean()) / wide.std(ddof=0)
    ziel = z.loc[raum_id]
    ziel = ziel[ziel.notna()]
    andere = z.drop(index=raum_id)[ziel.index]
    diff2 = (andere - ziel) ** 2
    used = diff2.notna().sum(axis=1)
    # Mean squared difference over shared indicators, scaled to the full set (missing-aware).
    abstand = np.sqrt(diff2.mean(axis=1) * len(ziel))
    out = pd.DataFrame({"raum_id": andere.index, "abstand": abstand.to_numpy(), "indikatoren": used.to_numpy()})
    out = out[out["indikatoren"] >= max(3, len(ziel) // 2)]
    out["name"] = out["raum_id"].map(m.namen())
    out = out.sort_values(["abstand", "raum_id"]).head(k)
    return out[["raum_id", "name", "abstand", "indikatoren"]].reset_index(drop=True)


# --------------------------------------------------------------------------- correlation

@dataclass(frozen=True)
class Zusammenhang:
    daten: pd.DataFrame      # raum_id, name, x, y (only units with both values, unsuppressed)
    n: int
    pearson: float
    pearson_p: float
    spearman: float
    spearman_p: float
    steigung: float
    achsenabschnitt: float
    r2: float


def zusammenhang(m: Monitoringdaten, x: str, y: str, stichtag: date, ebene: int) -> Zusammenhang:
    """Scatter of two indicators across the units of a level, with Pearson and Spearman
    correlation and the least-squares line y = a + b·x. Suppressed values are left out."""
    from scipy import stats  # here: SciPy takes 0,7 s to import and only this analysis needs it

    wx = karte_werte(m, x, stichtag, ebene).set_index("raum_id")
    wy = karte_werte(m, y, stichtag, ebene).set_index("raum_id")
    d = pd.DataFrame({"name": wx["name"], "x": wx["wert"], "y": wy["wert"].reindex(wx.index)}).dropna()
    d = d.reset_index()
    n = len(d)
    if n < 3 or d["x"].nunique() < 2 or d["y"].nunique() < 2:
        nan = float("nan")
        return Zusammenhang(d, n, nan, nan, nan, nan, nan, nan, nan)
    p = stats.pearsonr(d["x"], d["y"])
    s = stats.spearmanr(d["x"], d["y"])
    lr = stats.linregress(d["x"], d["y"])
    return Zusammenhang(d, n, float(p.statistic), float(p.pvalue), float(s.statistic), float(s.pvalue),
                        float(lr.slope), float(lr.intercept), float(lr.rvalue ** 2))


def beschreibe_korrelation(r: float, gross: bool = False) -> str:
    """Strength of a correlation coefficient in words (after Cohen)."""
    if np.isnan(r):
        return "nicht berechenbar"
    a = abs(r)
    staerke = ("kein nennenswerter" if a < 0.1 else "schwacher" if a < 0.3
               else "mittlerer" if a < 0.5 else "starker")
    richtung = "" if a < 0.1 else (" positiver" if r > 0 else " negativer")
    text = f"{staerke}{richtung} Zusammenhang"
    return text[0].upper() + text[1:] if gross else text


def trend_tabelle(m: Monitoringdaten, reihe: pd.DataFrame, indikator_id: str, jahre: int) -> pd.DataFrame:
    """The trend of every area of ``reihe`` as a German table."""

    meta = m.meta(indikator_id)
    einheit, stellen = meta["einheit"], int(meta["nachkommastellen"])
    namen = reihe.drop_duplicates("raum_id").set_index("raum_id")
    rows = []
    for t in trend(reihe, jahre):
        richtung = "steigend" if round(t.steigung, stellen + 1) > 0 else (
            "fallend" if round(t.steigung, stellen + 1) < 0 else "gleichbleibend")
        rows.append({"Gebiet": f"{namen.at[t.raum_id, 'name']} ({t.raum_id})",
                     "Ebene": m.ebenen[int(namen.at[t.raum_id, "ebene"])][0],
                     "Zeitraum": f"{fmt_datum(t.von)} – {fmt_datum(t.bis)}", "Stichtage": t.punkte,
                     "Trend je Jahr": fmt_differenz(t.steigung, einheit, stellen + 1),
                     "Richtung": richtung, "R²": fmt_zahl(t.r2, 2)})
    return pd.DataFrame(rows, columns=["Gebiet", "Ebene", "Zeitraum", "Stichtage", "Trend je Jahr",
                                       "Richtung", "R²"])


@dataclass(frozen=True)
class ProfilBedarf:
    handlungsbedarf: bool
    text: str
    beurteilbar: bool = True


def handlungsbedarf_profil(m: Monitoringdaten, regel: HandlungsbedarfRegel, raum_id: str,
                           stichtag: date) -> ProfilBedarf:
    """The Lagebild's Handlungsbedarf rule for one Sozialraum, explained."""

    sr = m.auswahl(stichtag=stichtag, ebene=1)
    stadt = m.auswahl(stichtag=stichtag, ebene=m.top)
    flags = flag_handlungsbedarf(sr[sr["raum_id"] == raum_id], stadt, m.indikatoren.reset_index(), regel,
                                 pd.Series(dtype=float))
    if flags.empty:
        return ProfilBedarf(False, "nicht beurteilbar: für diesen Stichtag gibt es keine Werte der "
                                   "Kernindikatoren.", beurteilbar=False)
    auff = flags[flags["auffaellig"]]
    teile = [f"{m.indikatoren.at[r.indikator_id, 'kurzname']} (Index {fmt_zahl(r.index, 0)})"
             for r in auff.itertuples()]
    n = int(flags["anzahl_auffaellig"].iloc[0])
    text = (f"{n} von {len(regel.indikatoren)} Kernindikatoren auffällig (nötig: {regel.mindestanzahl})"
            + (": " + ", ".join(teile) if teile else "") + ".")
    return ProfilBedarf(bool(flags["handlungsbedarf"].iloc[0]), text)


def profil_tabelle(daten: pd.DataFrame, jahre: int, vergleich: pd.DataFrame | None = None,
                   name: str | None = None, vergleich_name: str | None = None) -> pd.DataFrame:
    """The profile as a German display table; with ``vergleich`` a second area's value
    and rank are added side by side. A column „Hinweis“ appears where a delivered total differs
    from the sum of its parts."""

    def wert(r) -> str:
        return fmt_anzeige(r["wert"], r["einheit"], r["nachkommastellen"], unterdrueckt=bool(r["unterdrueckt"]),
                           grund=r["grund"], schwelle=r["schwelle"], abdeckung=r.get("abdeckung") or "",
                           status=r["status"])

    out = pd.DataFrame({
        "Handlungsfeld": daten["handlungsfeld"], "Indikator": daten["name"],
        name or "Wert": [wert(r) for _, r in daten.iterrows()],
        "Gesamtstadt": [fmt_wert(r.stadtwert, r.einheit, r.nachkommastellen) for r in daten.itertuples()],
        "Abweichung": [fmt_differenz(r.abweichung, r.einheit, r.nachkommastellen) for r in daten.itertuples()],
        "Index": [fmt_zahl(v, 0) if pd.notna(v) else "–" for v in daten["index"]],
        "Rang": [fmt_rang(r.rang, r.rang_bis, r.n) for r in daten.itertuples()],
        "ggü. Vorjahr": [fmt_differenz(r.vorjahr, r.einheit, r.nachkommastellen) for r in daten.itertuples()],
        f"ggü. {jahre} Jahren": [fmt_differenz(r.vergleich, r.einheit, r.nachkommastellen)
                                 for r in daten.itertuples()],
        "Verlauf": daten["verlauf"],
    })
    if "hinweis" in daten and daten["hinweis"].fillna("").ne("").any():
        out["Hinweis"] = daten["hinweis"].fillna("").to_numpy()
    if vergleich is not None:
        v = vergleich.set_index("indikator_id")
        col = vergleich_name or "Vergleich"
        out.insert(3, col, [wert(v.loc[i]) if i in v.index else "–" for i in daten["indikator_id"]])
        out.insert(4, f"Rang {col}", [fmt_rang(v.at[i, "rang"], v.at[i, "rang_bis"], v.at[i, "n"])
                                      if i in v.index else "–" for i in daten["indikator_id"]])
    return out


def einwohner_je_jahr(m: Monitoringdaten, indikator_id: str | None) -> dict[int, float]:
    """The city's population per year (last Stichtag of each year) from the population
    indicator; empty if there is none."""
    if not indikator_id or indikator_id not in m.indikatoren.index:
        return {}
    w = m.auswahl(indikator_id, ebene=m.top).dropna(subset=["wert"])
    w = w.assign(jahr=pd.to_datetime(w["stichtag"]).dt.year).sort_values("stichtag")
    return {int(j): float(v) for j, v in w.groupby("jahr")["wert"].last().items()}

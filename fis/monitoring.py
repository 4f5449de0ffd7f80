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
from fis.format import dativ, fmt_zahl

WERT_COLUMNS = ["raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status"]
#: The columns of :attr:`Aggregat.werte`; :attr:`Monitoringdaten.werte` adds ``GEHEIMHALTUNG_SPALTEN``.
AGGREGAT_SPALTEN = [*WERT_COLUMNS, "anzahl", "erwartet", "vollstaendig", "geliefert", "summe_teile", "ebene",
                    "parent_id"]
GEHEIMHALTUNG_SPALTEN = ["unterdrueckt", "grund", "schwelle", "unvollstaendig", "abdeckung"]


def _valid_at(frame: pd.DataFrame) -> pd.Series:
    stichtag = pd.to_datetime(frame["stichtag"])
    von = pd.to_datetime(frame["gueltig_von"])
    bis = pd.to_datetime(frame["gueltig_bis"])
    return (von <= stichtag) & (bis.isna() | (bis >= stichtag))


def berechne_aggregat(werte: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame,
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


def beschreibe_handlungsbedarf(regel: HandlungsbedarfRegel, indikatoren: pd.DataFrame,
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
    raeume: pd.DataFrame         # the Raum records (store.lade_raeume)
    indikatoren: pd.DataFrame    # the catalog (store.lade_indikatoren)
    stichtage: tuple[date, ...]


def lade_aggregat(store, config, indikator_ids: list[str] | None = None,
                  stichtage: list[date] | None = None) -> Aggregat:
    """Load the current values and aggregate them over all levels (nothing suppressed yet). With
    ``indikator_ids``, the population indicator comes along: the rule „zu wenige Einwohner“ needs it; with
    ``stichtage``, only those (each Stichtag is aggregated and suppressed on its own)."""
    ew = config.stadt.einwohner_indikator
    if indikator_ids is not None and ew and ew not in indikator_ids:
        indikator_ids = [*indikator_ids, ew]
    indikatoren = store.lade_indikatoren()
    raeume = store.lade_raeume()
    top = max(e.ebene for e in config.stadt.raumebenen)
    # the levels in DuckDB (fis.store.aggregat, equal to aggregate_levels); values delivered for higher units
    # (few) are put in place in pandas as there
    alle = store.lade_ebenen_aggregat(top, indikator_ids, stichtage)     # Stichtage as dates
    alle["summe_teile"] = np.nan
    hoehere = sorted(set(raeume.loc[raeume["ebene"] > 1, "raum_id"]))
    oben = store.lade_werte(indikator_ids=indikator_ids, stichtage=stichtage, raum_ids=hoehere) if hoehere \
        else pd.DataFrame()
    if len(oben):
        oben = oben[oben["indikator_id"].isin(indikatoren["indikator_id"])]
        oben = oben.assign(stichtag=pd.to_datetime(oben["stichtag"]),
                           status=oben["status"].where(oben["veroeffentlicht"], "vorläufig"))
    if len(oben) and len(alle):
        hier = hierarchy(raeume, sorted(alle["stichtag"].unique()))
        alle = sortiert(_gelieferte_gesamtwerte(alle, oben.drop(columns="veroeffentlicht"), hier, indikatoren))
    # else in the order of the SQL aggregation already (checking it cost a large city 0,4–1 s)
    alle = alle[AGGREGAT_SPALTEN].reset_index(drop=True)
    return Aggregat(alle, raeume, indikatoren, tuple(sorted(alle["stichtag"].unique())))


def sortiert(werte: pd.DataFrame) -> pd.DataFrame:
    """The rows by indicator, Stichtag, level and Raum (the order of every value table), sorted by integer codes
    in numpy: pandas' sort over the text columns took seconds for a large city."""
    codes = [pd.factorize(werte[s], sort=True)[0] for s in ("raum_id", "ebene", "stichtag", "indikator_id")]
    ordnung = np.lexsort(codes)
    if (ordnung == np.arange(len(ordnung))).all():        # already in order (the SQL aggregation sorts)
        return werte.reset_index(drop=True)
    return werte.iloc[ordnung].reset_index(drop=True)


def monitoring_aus(a: Aggregat, config) -> Monitoringdaten:
    """Suppress (primary and secondary) the aggregate: the values as they may be shown."""

    stadt = config.stadt
    r = regeln(a.indikatoren, stadt.geheimhaltung_standard, stadt.mindest_einwohner, stadt.einwohner_indikator)
    pub = abdeckung_pruefen(_teilsummen_schuetzen(suppress(a.werte, r)), stadt.mindest_abdeckung,
                            config.ebene(1).plural)
    return monitoringdaten(pub, a, config)


def monitoringdaten(werte: pd.DataFrame, a: Aggregat, config) -> Monitoringdaten:
    """:class:`Monitoringdaten` of already suppressed ``werte`` (rows of ``a``: the Raum records and
    catalog they were computed with)."""
    return Monitoringdaten(
        werte=werte, raeume=hierarchy(a.raeume, a.stichtage),
        indikatoren=a.indikatoren.set_index("indikator_id"), stichtage=a.stichtage,
        ebenen={e.ebene: (e.name, e.plural) for e in config.stadt.raumebenen},
        mindest_einwohner=config.stadt.mindest_einwohner)


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


TREND_METHODE = ("Lineare Regression (kleinste Quadrate) über die letzten {n} Stichtage mit "
                 "gleichem Gebietszuschnitt; Steigung = Veränderung je Jahr.")


# --------------------------------------------------------------------------- profile


# --------------------------------------------------------------------------- correlation


def einwohner_je_jahr(m: Monitoringdaten, indikator_id: str | None) -> dict[int, float]:
    """The city's population per year (last Stichtag of each year) from the population
    indicator; empty if there is none."""
    if not indikator_id or indikator_id not in m.indikatoren.index:
        return {}
    w = m.auswahl(indikator_id, ebene=m.top).dropna(subset=["wert"])
    w = w.assign(jahr=pd.to_datetime(w["stichtag"]).dt.year).sort_values("stichtag")
    return {int(j): float(v) for j, v in w.groupby("jahr")["wert"].last().items()}

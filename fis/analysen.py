"""Analyses of the published values of all levels: map values with ranks, change between two Stichtage
(across area reforms), time series and trend, the profile of an area with Handlungsbedarf, similar areas,
correlation of two indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.config import HandlungsbedarfRegel
from fis.format import fmt_anzeige, fmt_datum, fmt_differenz, fmt_wert, fmt_zahl, jahre_vorher
from fis.monitoring import Monitoringdaten, flag_handlungsbedarf

PROFIL_SPALTEN = ["indikator_id", "handlungsfeld", "name", "einheit", "nachkommastellen", "polaritaet", "wert",
                  "stadtwert", "abweichung", "index", "rang", "rang_bis", "n", "vorjahr", "vergleich", "verlauf",
                  "status", "unterdrueckt", "grund", "schwelle", "abdeckung", "hinweis"]


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
    out["abdeckung"] = out["abdeckung"].astype(object).fillna("").astype(str)   # all-NaN when no row has one
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
    w["abdeckung"] = w["abdeckung"].astype(object).fillna("").astype(str)
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

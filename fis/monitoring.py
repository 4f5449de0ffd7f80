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
from fis.disclosure import apply_suppression

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
    ('vorläufig' if any part is provisional), anzahl (contributing units) and
    vollstaendig (every unit valid at the Stichtag contributed a value).
    """
    base = werte.merge(raeume[["raum_id", "gueltig_von", "gueltig_bis", "ebene", "parent_id"]],
                       on="raum_id")
    base = base[(base["ebene"] == 1) & _valid_at(base)].copy()
    base["ziel_id"] = base["raum_id"]
    level = 1
    parents = raeume[["raum_id", "gueltig_von", "gueltig_bis", "parent_id"]].rename(
        columns={"raum_id": "ziel_id", "parent_id": "neu_id"})
    while level < ebene:
        step = base.drop(columns=["gueltig_von", "gueltig_bis"]).merge(parents, on="ziel_id")
        step = step[_valid_at(step)]
        base = step.drop(columns=["ziel_id"]).rename(columns={"neu_id": "ziel_id"})
        level += 1
    if ebene == 1:
        out = base[WERT_COLUMNS].copy()
        out["anzahl"] = 1
        out["vollstaendig"] = out["wert"].notna()
        return out.reset_index(drop=True)

    meta = indikatoren.set_index("indikator_id")[["aggregation", "faktor"]]
    base["vorlaeufig"] = base["status"] == "vorläufig"
    grouped = base.groupby(["ziel_id", "indikator_id", "stichtag"], as_index=False).agg(
        zaehler=("zaehler", lambda s: s.sum(min_count=1)),
        nenner=("nenner", lambda s: s.sum(min_count=1)),
        summe=("wert", lambda s: s.sum(min_count=1)),
        anzahl=("raum_id", "count"),   # delivered rows: 0/0 (no births) is delivered, not missing
        vorlaeufig=("vorlaeufig", "any"),
    )
    grouped = grouped.join(meta, on="indikator_id")
    with np.errstate(divide="ignore", invalid="ignore"):
        quote = grouped["zaehler"] / grouped["nenner"].where(grouped["nenner"] > 0) * grouped["faktor"]
    grouped["wert"] = np.where(grouped["aggregation"] == "summe", grouped["summe"], quote)
    grouped["status"] = np.where(grouped["vorlaeufig"], "vorläufig", "endgültig")
    grouped = grouped.rename(columns={"ziel_id": "raum_id"})

    # Completeness: how many ebene-1 units below each unit were valid at the Stichtag.
    expected = _expected_units(raeume, ebene, grouped["stichtag"].unique())
    grouped = grouped.merge(expected, on=["raum_id", "stichtag"], how="left")
    grouped["vollstaendig"] = grouped["anzahl"] == grouped["erwartet"]
    return grouped[WERT_COLUMNS + ["anzahl", "vollstaendig"]].reset_index(drop=True)


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


def compute_eckwerte(werte: pd.DataFrame, indikatoren: pd.DataFrame, raum_id: str,
                     stichtag: date, indikator_ids: list[str], jahre: int) -> list[Eckwert]:
    """Headline values of ``raum_id`` at ``stichtag`` with the change against the
    previous year and against ``jahre`` years before (same day of year)."""
    meta = indikatoren.set_index("indikator_id")
    mine = werte[werte["raum_id"] == raum_id].copy()
    mine["stichtag"] = pd.to_datetime(mine["stichtag"]).dt.date
    lookup = mine.set_index(["indikator_id", "stichtag"])
    vorjahr_tag = stichtag.replace(year=stichtag.year - 1)
    vergleich_tag = stichtag.replace(year=stichtag.year - jahre)

    def get(ind: str, day: date, col: str = "wert"):
        try:
            v = lookup.at[(ind, day), col]
        except KeyError:
            return None
        return None if pd.isna(v) else (v if col == "status" else float(v))

    past_rows = mine[mine["stichtag"] <= stichtag].sort_values("stichtag")
    series = {ind: grp["wert"] for ind, grp in past_rows.groupby("indikator_id")}
    out = []
    for ind in indikator_ids:
        m = meta.loc[ind]
        now, prev, past = get(ind, stichtag), get(ind, vorjahr_tag), get(ind, vergleich_tag)
        out.append(Eckwert(
            indikator_id=ind, name=m["name"], einheit=m["einheit"],
            nachkommastellen=int(m["nachkommastellen"]), polaritaet=m["polaritaet"],
            wert=now, status=get(ind, stichtag, "status"), vorjahr=prev,
            veraenderung_vorjahr=None if now is None or prev is None else now - prev,
            vergleichsjahr=vergleich_tag.year,
            veraenderung_vergleich=None if now is None or past is None else now - past,
            verlauf=tuple(float(v) for v in series.get(ind, pd.Series(dtype=float)).dropna()),
        ))
    return out


def describe_handlungsbedarf(regel: HandlungsbedarfRegel, indikatoren: pd.DataFrame,
                             sozialraum: str = "Sozialraum") -> str:
    """The rule as a German sentence, for the page and reports."""
    names = indikatoren.set_index("indikator_id")["kurzname"]
    liste = ", ".join(names.get(i, i) for i in regel.indikatoren)
    oben = f"{regel.schwelle_index - 100:.0f} %".replace(".", ",")
    return (f"Ein {sozialraum} hat Handlungsbedarf, wenn mindestens {regel.mindestanzahl} "
            f"von {len(regel.indikatoren)} Kernindikatoren ({liste}) um mindestens {oben} "
            f"ungünstiger sind als der Wert der Gesamtstadt (Stadt = 100; Index ≥ "
            f"{regel.schwelle_index:.0f}, bei Indikatoren, für die hoch günstig ist, ≤ "
            f"{10000 / regel.schwelle_index:.0f}). Bei neutralen Indikatoren zählt ein hoher "
            "Wert als Bedarf. Unterdrückte Werte (kleine Fallzahlen) zählen nicht.")


def flag_handlungsbedarf(sozialraum_werte: pd.DataFrame, stadt_werte: pd.DataFrame,
                         indikatoren: pd.DataFrame, regel: HandlungsbedarfRegel,
                         schwellen: pd.Series) -> pd.DataFrame:
    """Per Sozialraum and Stichtag: index (city = 100) of each core indicator, whether
    it is conspicuous, and whether the area has Handlungsbedarf.

    Returns raum_id, stichtag, indikator_id, wert (blank if suppressed), stadtwert, index,
    auffaellig, unterdrueckt, schwelle, anzahl_auffaellig, handlungsbedarf (one row per
    area × indicator).
    """
    kern = list(regel.indikatoren)
    # Suppressed values are blanked here, so they can neither count nor be shown later.
    sr = apply_suppression(sozialraum_werte[sozialraum_werte["indikator_id"].isin(kern)], schwellen)
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
    return sr[["raum_id", "stichtag", "indikator_id", "wert", "stadtwert", "index", "auffaellig",
               "unterdrueckt", "schwelle", "anzahl_auffaellig", "handlungsbedarf"]].reset_index(drop=True)

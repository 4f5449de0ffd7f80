"""Bevölkerungsvorausberechnung: a transparent cohort-component model in five age bands (parameters in
``fis/prognose_modell.yaml``) – for the demo city and as a documented reference; a real city imports its official
projection as a delivery of the kind ``prognosen`` (fis.ingest.prognosen). And what the pages show of a
projection: the value in a future year with its variant band and the change against the base year.

One year of the model, per area and band k (widths w_k, survival s_k):
    überlebt_k = P_k · s_k;  rückt auf_k = überlebt_k / w_k (the open last band keeps everyone)
    P'_0 = überlebt_0 − rückt auf_0 + Geburten,  Geburten = Geburtenziffer / 1.000 · P_18–64
    P'_k = überlebt_k − rückt auf_k + rückt auf_{k−1}  (k ≥ 1)
    + Wanderung_k = Wanderungsbilanz des Gebiets (je 1.000 Einwohner) / 1.000 · P · Anteil_k · Faktor der Variante
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from fis.format import fmt_dezimal, fmt_prozent, fmt_zahl

PARAMETER = Path(__file__).with_name("prognose_modell.yaml")


@dataclass(frozen=True)
class Band:
    id: str
    name: str
    breite: float | None          # None: the open last band


@dataclass(frozen=True)
class Modell:
    baender: tuple[Band, ...]
    ueberleben: tuple[float, ...]
    varianten: dict[str, tuple[float, float]]     # name → (Geburtenziffer, Wanderungsfaktor)
    wanderungsprofil: tuple[float, ...]


@cache
def modell(pfad: Path = PARAMETER) -> Modell:
    """The model's parameters from YAML."""
    d = yaml.safe_load(pfad.read_text(encoding="utf-8"))
    return Modell(tuple(Band(b["id"], b["name"], b.get("breite")) for b in d["baender"]),
                  tuple(float(s) for s in d["ueberleben"]),
                  {n: (float(v["geburtenziffer"]), float(v["wanderung"])) for n, v in d["varianten"].items()},
                  tuple(float(a) for a in d["wanderungsprofil"]))


def schritt(p: np.ndarray, m: Modell, geburtenziffer: float, saldo_je_1000: float = 0.0,
            wanderungsfaktor: float = 1.0) -> np.ndarray:
    """One year: ``p`` the population per band (areas × bands or one area), the area's migration balance per
    1,000 inhabitants (areas or one number)."""
    p = np.asarray(p, dtype=float)
    ueberlebt = p * np.array(m.ueberleben)
    breiten = np.array([b.breite or np.inf for b in m.baender])
    rueckt = ueberlebt / breiten
    neu = ueberlebt - rueckt
    neu[..., 1:] += rueckt[..., :-1]
    erwachsene = p[..., [i for i, b in enumerate(m.baender) if b.id == "bev_18_64"][0]]
    neu[..., 0] += geburtenziffer / 1000 * erwachsene
    gesamt = p.sum(axis=-1, keepdims=True)
    saldo = np.asarray(saldo_je_1000, dtype=float)[..., None]
    neu += saldo / 1000 * wanderungsfaktor * gesamt * np.array(m.wanderungsprofil)
    return np.clip(neu, 0, None)


def fortschreiben(basis: pd.DataFrame, saldo: pd.Series, basisjahr: int, bis: int, m: Modell | None = None
                  ) -> pd.DataFrame:
    """Every variant from ``basisjahr`` (the starting values) to ``bis``: ``basis`` raum_id × band ids (counts at
    the base year),
    ``saldo`` raum_id → migration balance per 1,000 inhabitants. Long frame raum_id, merkmal, merkmal_name,
    stichtag (31.12.), variante, wert (rounded to whole people), basisjahr; ``bev_gesamt`` = the sum of the bands."""
    m = m or modell()
    ids = [b.id for b in m.baender]
    namen = {b.id: b.name for b in m.baender} | {"bev_gesamt": "Einwohnerinnen und Einwohner"}
    start = basis[ids].to_numpy(dtype=float)
    s = saldo.reindex(basis.index).fillna(0.0).to_numpy(dtype=float)
    teile = []
    for variante, (ziffer, faktor) in m.varianten.items():
        p = start.copy()
        for jahr in range(basisjahr, bis + 1):           # the base year itself: the starting values
            if jahr > basisjahr:
                p = schritt(p, m, ziffer, s, faktor)
            werte = np.column_stack([np.rint(p), np.rint(p).sum(axis=1)])
            f = pd.DataFrame(werte, index=basis.index, columns=[*ids, "bev_gesamt"]).rename_axis("raum_id")
            lang = f.reset_index().melt(id_vars="raum_id", var_name="merkmal", value_name="wert")
            teile.append(lang.assign(stichtag=date(jahr, 12, 31), variante=variante))
    out = pd.concat(teile, ignore_index=True)
    out["merkmal_name"] = out["merkmal"].map(namen)
    out["basisjahr"] = basisjahr
    return out[["raum_id", "merkmal", "merkmal_name", "stichtag", "variante", "wert", "basisjahr"]]


def als_csv(frame: pd.DataFrame) -> bytes:
    """A projection as the delivery file of the kind ``prognosen`` (semicolon, decimal comma)."""
    return pd.DataFrame({"raum": frame["raum_id"], "merkmal": frame["merkmal"], "name": frame["merkmal_name"],
                         "stichtag": [f"{t:%d.%m.%Y}" for t in frame["stichtag"]], "variante": frame["variante"],
                         "wert": [fmt_dezimal(float(w)) for w in frame["wert"]], "basisjahr": frame["basisjahr"]}
                        ).to_csv(sep=";", index=False).encode("utf-8")


def prognosejahre(prognosen: pd.DataFrame) -> list[int]:
    """The projected years (after the base year)."""
    jahre = pd.to_datetime(prognosen["stichtag"]).dt.year
    return sorted(set(jahre[jahre > prognosen["basisjahr"].fillna(0).astype(int)]))


def ausblick(prognosen: pd.DataFrame, raum_id: str, jahr: int) -> pd.DataFrame:
    """One row per Merkmal of ``raum_id`` in ``jahr``: the Basis variant (or the first), the band of the other
    variants, the starting value of the base year (rows of the ``basisjahr``) and the change. Columns merkmal,
    Merkmal, wert, unten, oben, variante, basisjahr, basiswert, veraenderung_prozent."""
    r = prognosen[prognosen["raum_id"] == raum_id]
    jahre = pd.to_datetime(r["stichtag"]).dt.year
    p = r[jahre == jahr]
    start = r[jahre == r["basisjahr"]].drop_duplicates("merkmal").set_index("merkmal")["wert"]
    zeilen = []
    reihenfolge = {m: i for i, m in enumerate(["bev_gesamt", *[b.id for b in modell().baender]])}
    for merkmal, g in sorted(p.groupby("merkmal", sort=False), key=lambda t: (reihenfolge.get(t[0], 99), t[0])):
        haupt = g[g["variante"] == "Basis"] if (g["variante"] == "Basis").any() else g.iloc[:1]
        wert = float(haupt["wert"].iloc[0])
        basis = float(start[merkmal]) if merkmal in start.index else None
        zeilen.append({"merkmal": merkmal, "Merkmal": g["merkmal_name"].iloc[0], "wert": wert,
                       "unten": float(g["wert"].min()), "oben": float(g["wert"].max()),
                       "variante": str(haupt["variante"].iloc[0]),
                       "basisjahr": int(g["basisjahr"].iloc[0]) if pd.notna(g["basisjahr"].iloc[0]) else None,
                       "basiswert": basis,
                       "veraenderung_prozent": (wert / basis - 1) * 100 if basis else None})
    return pd.DataFrame(zeilen)


def fuer_gebiet(prognosen: pd.DataFrame, raum_ids: list[str]) -> pd.DataFrame:
    """The projection of several areas summed (a Bezirk, the city): counts add up."""
    teil = prognosen[prognosen["raum_id"].isin(raum_ids)]
    if teil.empty:
        return teil
    schluessel = ["merkmal", "merkmal_name", "stichtag", "variante", "basisjahr"]
    return teil.groupby(schluessel, dropna=False, sort=False)["wert"].sum(min_count=1).reset_index() \
        .assign(raum_id="+".join(sorted(raum_ids))[:60])


def oeffentlich(prognosen: pd.DataFrame, mindest_einwohner: int | None, schwelle: int) -> pd.DataFrame:
    """What Ausschuss and public may see of a projection: its starting values are observed counts, so an area
    whose starting population is below ``mindest_einwohner`` is left out, and a value below ``schwelle`` is
    withheld (NaN) together with the area's total of that year and variant (the total minus the other bands would
    give it back). Sums over areas are not offered publicly (they would give back a left-out area)."""
    p = prognosen.copy()
    start = p[(pd.to_datetime(p["stichtag"]).dt.year == p["basisjahr"]) & (p["merkmal"] == "bev_gesamt")]
    klein = set(start.loc[start["wert"] < (mindest_einwohner or 0), "raum_id"])
    p = p[~p["raum_id"].isin(klein)]
    gesperrt = p["merkmal"].ne("bev_gesamt") & (p["wert"] < schwelle) & (p["wert"] > 0)
    p.loc[gesperrt, "wert"] = np.nan
    betroffen = p.loc[gesperrt, ["raum_id", "stichtag", "variante"]].drop_duplicates()
    if len(betroffen):
        gesamt = p.merge(betroffen.assign(_weg=True), on=["raum_id", "stichtag", "variante"], how="left")["_weg"] \
            .fillna(False).to_numpy(dtype=bool) & (p["merkmal"] == "bev_gesamt").to_numpy()
        p.loc[gesamt, "wert"] = np.nan
    return p


def ausblick_satz(zeile: dict, jahr: int) -> str:
    """„2030: 4.120 Kinder unter 6 Jahren (Basisvariante, +8 %; Spanne 3.950–4.310)“."""
    teile = [f"{'Basisvariante' if zeile['variante'] == 'Basis' else 'Variante ' + zeile['variante']}"]
    v = zeile.get("veraenderung_prozent")
    if v is not None and not pd.isna(v):
        zeichen = "±" if round(v) == 0 else ("+" if v > 0 else "−")
        teile[0] += f", {zeichen}{fmt_prozent(abs(v), 0)} gegenüber {zeile['basisjahr']}"
    if pd.isna(zeile["wert"]):
        return f"{jahr}: {zeile['Merkmal']} zum Schutz kleiner Zahlen nicht ausgewiesen"
    if zeile["oben"] > zeile["unten"]:
        teile.append(f"Spanne der Varianten {fmt_zahl(zeile['unten'], 0)}–{fmt_zahl(zeile['oben'], 0)}")
    return f"{jahr}: {fmt_zahl(zeile['wert'], 0)} {zeile['Merkmal']} ({'; '.join(teile)})"


def ausblick_tabelle(a: pd.DataFrame, jahr: int) -> pd.DataFrame:
    """:func:`ausblick` as a German table."""
    basisjahr = next((int(j) for j in a["basisjahr"] if j), None) if len(a) else None
    return pd.DataFrame({
        "Merkmal": a["Merkmal"],
        f"Ausgangswert {basisjahr or ''}".strip(): [fmt_zahl(v, 0) for v in a["basiswert"]],
        f"{jahr} ({'Basis' if (a['variante'] == 'Basis').all() else 'Variante'})": [fmt_zahl(v, 0) for v in a["wert"]],
        "Spanne der Varianten": [f"{fmt_zahl(u, 0)}–{fmt_zahl(o, 0)}" if pd.notna(u) and pd.notna(o) and o > u
                                 else "–" for u, o in zip(a["unten"], a["oben"], strict=True)],
        "Veränderung": ["–" if v is None or pd.isna(v) else ("±0 %" if round(v) == 0 else
                        f"{'+' if v > 0 else '−'}{fmt_prozent(abs(v), 0)}") for v in a["veraenderung_prozent"]],
    })


def reihen(prognosen: pd.DataFrame, merkmal: str, raum_ids: list[str], einheit: str = "Anzahl") -> pd.DataFrame:
    """The projection of ``merkmal`` for the areas as chart rows (fis.charts.zeitreihe ``prognose``): raum_id,
    stichtag, wert (Basis variant or the first), unten, oben (range of the variants), from the base year on."""
    p = prognosen[(prognosen["merkmal"] == merkmal) & prognosen["raum_id"].isin(raum_ids)]
    if p.empty:
        return pd.DataFrame(columns=["raum_id", "stichtag", "wert", "unten", "oben"])
    haupt = "Basis" if (p["variante"] == "Basis").any() else p["variante"].iloc[0]
    spanne = p.groupby(["raum_id", "stichtag"])["wert"].agg(unten="min", oben="max")
    basis = p[p["variante"] == haupt].set_index(["raum_id", "stichtag"])[["wert"]]
    return basis.join(spanne).reset_index().dropna(subset=["wert"])

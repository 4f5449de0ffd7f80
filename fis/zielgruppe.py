"""The expected Zielgruppe of a goal at its Zieldatum, from the Bevölkerungsvorausberechnung (Lieferart
„Prognosen“): a Kita quota of 45 % in 2027 is a number of places only once one knows how many children there
will be. The indicator's catalog entry says which projected Merkmale make up its Zielgruppe (the denominator of a
quota, the value of a count) and with which share (``indikatoren.yaml › prognose``); a goal for a Bezirk or the
city adds up the projections of its Sozialräume."""

from __future__ import annotations

import pandas as pd

from fis.config import Indikator
from fis.format import fmt_prozent, fmt_wert, fmt_zahl
from fis.versorgung import sozialraeume_unter

SPALTEN = ["ziel_id", "jahr", "zielgruppe", "wert", "unten", "oben", "variante", "basisjahr", "basiswert",
           "veraenderung_prozent", "faelle", "faelle_name"]


def je_ziel(ziele: pd.DataFrame, katalog: tuple[Indikator, ...], prognosen: pd.DataFrame,
            hierarchie: pd.DataFrame, summen: bool = True) -> pd.DataFrame:
    """One row per goal whose indicator names its Zielgruppe in the projection and whose Zieldatum lies in a
    projected year (after the base year): the Zielgruppe in the main variant („Basis“, else the first), the range
    of the variants, the base year's starting value and the change, and — for a quota goal — what the target
    value means in cases (Zielwert ÷ Faktor × Zielgruppe). A goal whose area is not fully covered by the
    projection, or has withheld values, gets no row (a partial sum would understate the group). ``summen=False``
    (public roles): only goals of a single Sozialraum — sums over areas would give back a withheld area."""
    zuordnung = {i.id: i for i in katalog if i.prognose is not None}
    if prognosen.empty or not zuordnung or ziele.empty:
        return pd.DataFrame(columns=SPALTEN)
    p = prognosen.assign(jahr=pd.to_datetime(prognosen["stichtag"]).dt.year)
    stichtag = hierarchie["stichtag"].max()
    zeilen = []
    for z in ziele.itertuples(index=False):
        ind = zuordnung.get(getattr(z, "indikator_id", None))
        if ind is None or getattr(z, "kennzahl_art", None) != "indikator" or pd.isna(z.zieldatum):
            continue
        jahr = pd.Timestamp(z.zieldatum).year
        gebiete = sozialraeume_unter(hierarchie, z.raum_id, stichtag)
        if not gebiete or (len(gebiete) > 1 and not summen):
            continue
        zeile = _zielgruppe(p[p["raum_id"].isin(gebiete) & p["merkmal"].isin(ind.prognose.merkmale)],
                            len(gebiete), len(ind.prognose.merkmale), jahr, ind.prognose.anteil)
        if zeile is None:
            continue
        quote = ind.aggregation == "quote"
        zielwert = getattr(z, "zielwert", None)
        faelle = (float(zielwert) / ind.faktor * zeile["wert"]
                  if quote and zielwert is not None and pd.notna(zielwert) else None)
        zeilen.append({"ziel_id": z.ziel_id, "jahr": jahr, "zielgruppe": ind.nenner if quote else ind.name, **zeile,
                       "faelle": faelle, "faelle_name": ind.zaehler if quote else None})
    return pd.DataFrame(zeilen, columns=SPALTEN)


def _zielgruppe(p: pd.DataFrame, n_gebiete: int, n_merkmale: int, jahr: int, anteil: float) -> dict | None:
    basisjahr = p["basisjahr"].dropna()
    if p.empty or basisjahr.empty or jahr <= int(basisjahr.iloc[0]):
        return None
    basisjahr = int(basisjahr.iloc[0])
    im_jahr = p[p["jahr"] == jahr]
    if im_jahr.empty:
        return None
    summen = {}
    for variante, g in im_jahr.groupby("variante", sort=False):
        # every area and every Merkmal present, none withheld: otherwise the sum is not the Zielgruppe
        if len(g.drop_duplicates(["raum_id", "merkmal"])) < n_gebiete * n_merkmale or g["wert"].isna().any():
            return None
        summen[str(variante)] = float(g["wert"].sum()) * anteil
    haupt = "Basis" if "Basis" in summen else next(iter(summen))
    start = p[p["jahr"] == basisjahr].drop_duplicates(["raum_id", "merkmal"])
    basiswert = (float(start["wert"].sum()) * anteil
                 if len(start) == n_gebiete * n_merkmale and start["wert"].notna().all() else None)
    wert = summen[haupt]
    return {"wert": wert, "unten": min(summen.values()), "oben": max(summen.values()), "variante": haupt,
            "basisjahr": basisjahr, "basiswert": basiswert,
            "veraenderung_prozent": (wert / basiswert - 1) * 100 if basiswert else None}


def _veraenderung(v) -> str:
    if v is None or pd.isna(v):
        return ""
    return "±0 %" if round(v) == 0 else f"{'+' if v > 0 else '−'}{fmt_prozent(abs(v), 0)}"


def spalte(zg: pd.DataFrame) -> dict[str, str]:
    """Per goal the short cell of the goal tree: „1.234 (+8 %)“."""
    return {r.ziel_id: fmt_zahl(r.wert, 0) + (f" ({_veraenderung(r.veraenderung_prozent)})"
                                             if _veraenderung(r.veraenderung_prozent) else "")
            for r in zg.itertuples(index=False)}


def satz(zeile: dict, einheit: str, stellen: int, zielwert: float | None) -> str:
    """„Zielgruppe am Zieldatum: 2027 voraussichtlich 1.234 Kinder unter 3 Jahren (Basisvariante, +8 % gegenüber
    2024; Spanne der Varianten 1.180–1.290). Der Zielwert von 45,0 % bedeutet dann: rund 555 Kinder unter 3 Jahren
    in Tageseinrichtungen.“"""
    teile = ["Basisvariante" if zeile["variante"] == "Basis" else f"Variante {zeile['variante']}"]
    if v := _veraenderung(zeile.get("veraenderung_prozent")):
        teile[0] += f", {v} gegenüber {zeile['basisjahr']}"
    if zeile["oben"] > zeile["unten"]:
        teile.append(f"Spanne der Varianten {fmt_zahl(zeile['unten'], 0)}–{fmt_zahl(zeile['oben'], 0)}")
    text = (f"Zielgruppe am Zieldatum: {zeile['jahr']} voraussichtlich {fmt_zahl(zeile['wert'], 0)} "
            f"{zeile['zielgruppe']} ({'; '.join(teile)}).")
    faelle = zeile.get("faelle")
    if faelle is not None and pd.notna(faelle) and zielwert is not None:
        text += (f" Der Zielwert von {fmt_wert(zielwert, einheit, stellen)} bedeutet dann: rund "
                 f"{fmt_zahl(faelle, 0)} {zeile['faelle_name']}.")
    return text

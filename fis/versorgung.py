"""Angebot und Bedarf: the facility register at a Stichtag, Versorgungsgrade and Versorgungslücken.

The supply indicators (``einrichtungen.yaml``, „versorgung“) are ordinary indicators: the store computes
their values per Sozialraum (places of the open facilities located there ÷ target group × factor) and
the monitoring aggregates them upward as Σ Plätze / Σ Zielgruppe like every rate. This module adds what
only supply has: the gap to the Richtwert in places, the facilities of an area, the map points and the
straight-line catchment of the facilities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from fis.config import Config, Versorgungsgrad, Zielgruppenprognose
from fis.format import fmt_datum, fmt_zahl
from fis.palette import EINRICHTUNGEN as FARBEN

SPALTEN_KARTE = ["einrichtung_id", "typ", "typ_name", "kuerzel", "farbe", "name", "traeger", "adresse", "lon", "lat",
                 "raum_id", "kapazitaet_text"]


def typfarbe(config: Config) -> dict[str, str]:
    """One colour-blind safe colour per facility type, in the order of the configuration."""
    return {t.id: FARBEN[i % len(FARBEN)] for i, t in enumerate(config.einrichtungen.typen)}


def _kapazitaet_text(kap: pd.DataFrame, config: Config) -> pd.Series:
    namen = {k.id: k for k in config.einrichtungen.kapazitaeten}
    if kap.empty:
        return pd.Series(dtype=str)
    text = kap.assign(t=[f"{fmt_zahl(w, 0)} {namen[k].name if k in namen else k}"
                         for k, w in zip(kap["kapazitaet"], kap["wert"], strict=True)])
    return text.groupby("einrichtung_id")["t"].agg(" · ".join)


def einrichtungen(store, config: Config, stichtag: date) -> pd.DataFrame:
    """The facilities open at ``stichtag`` (a public store: published deliveries only), each with the
    Sozialraum it lies in then, type name, symbol, colour and its capacities (one column per capacity
    type, and as text)."""
    e = store.lade_einrichtungen(stichtag)
    if e.empty:
        return pd.DataFrame(columns=SPALTEN_KARTE)
    lage = store.lade_einrichtung_raeume(stichtag).drop_duplicates("einrichtung_id")
    e = e.drop(columns="raum_id").merge(lage, on="einrichtung_id", how="left")
    typen = {t.id: t for t in config.einrichtungen.typen}
    e["typ_name"] = e["typ"].map(lambda t: typen[t].name if t in typen else t)
    e["kuerzel"] = e["typ"].map(lambda t: typen[t].kuerzel if t in typen else "?")
    e["farbe"] = e["typ"].map(typfarbe(config)).fillna(FARBEN[-1])
    kap = store.lade_einrichtung_kapazitaeten()
    kap = kap[kap["einrichtung_id"].isin(e["einrichtung_id"])]
    e["kapazitaet_text"] = e["einrichtung_id"].map(_kapazitaet_text(kap, config)).fillna("")
    breit = kap.pivot_table(index="einrichtung_id", columns="kapazitaet", values="wert", aggfunc="sum")
    for k in config.einrichtungen.kapazitaeten:
        e[k.id] = e["einrichtung_id"].map(breit[k.id]) if k.id in breit else np.nan
    for col in ("traeger", "adresse"):
        e[col] = e[col].fillna("")
    return e


def im_gebiet(e: pd.DataFrame, sozialraeume: list[str]) -> pd.DataFrame:
    """The facilities of :func:`einrichtungen` that lie in one of ``sozialraeume`` (level 1)."""
    return e[e["raum_id"].isin(sozialraeume)]


def sozialraeume_unter(hierarchie: pd.DataFrame, raum_id: str, stichtag: date) -> list[str]:
    """The Sozialräume (level 1) of a unit of any level at ``stichtag`` (``hierarchie``: Monitoringdaten.raeume)."""
    h = hierarchie[hierarchie["stichtag"] == stichtag]
    ebene = h.loc[h["raum_id"] == raum_id, "ebene"]
    ids = {raum_id}
    for _ in range(int(ebene.iloc[0]) - 1 if len(ebene) else 0):
        ids = set(h.loc[h["parent_id"].isin(ids), "raum_id"])
    return sorted(ids)


def tabelle(e: pd.DataFrame, config: Config, namen: pd.Series | None = None) -> pd.DataFrame:
    """The facilities as a German table (for the page, the profile and the PDF)."""
    out = pd.DataFrame({"Typ": e["typ_name"], "Name": e["name"], "Träger": e["traeger"], "Adresse": e["adresse"]})
    if namen is not None:
        out["Sozialraum"] = e["raum_id"].map(namen).fillna(e["raum_id"]).fillna("keinem zugeordnet")
    for k in config.einrichtungen.kapazitaeten:
        if k.id in e and e[k.id].notna().any():
            out[k.name] = e[k.id].map(lambda v: "" if pd.isna(v) else fmt_zahl(v, 0))
    out["eröffnet"] = [fmt_datum(pd.Timestamp(d).date()) if pd.notna(d) else "" for d in e["eroeffnet"]]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- gaps

def luecke(wert: float, nenner: float, richtwert: float | None, faktor: float) -> float | None:
    """Places missing to reach ``richtwert`` (in the indicator's unit) for a target group ``nenner``:
    ⌈richtwert × nenner ÷ faktor⌉ − places, 0 where the Richtwert is met; None without Richtwert or data."""
    if richtwert is None or any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (wert, nenner)):
        return None
    plaetze = wert * nenner / faktor
    return float(max(0, math.ceil(richtwert * nenner / faktor - plaetze - 1e-9)))


def luecken(m, config: Config, indikator_id: str, stichtag: date, ebene: int) -> pd.DataFrame:
    """Per area of ``ebene``: Versorgungsgrad, places, target group, Richtwert and the gap in places, from
    the shown (suppressed) values — a hidden value has no gap. Sorted by the gap, largest first."""
    v = config.einrichtungen.versorgungsgrad(indikator_id)
    faktor = float(m.indikatoren.at[indikator_id, "faktor"] or 1)
    teil = m.auswahl(indikator_id, stichtag, ebene)
    if teil.empty or v is None:
        return pd.DataFrame(columns=["raum_id", "name", "wert", "plaetze", "zielgruppe", "richtwert", "luecke",
                                     "unterdrueckt"])
    sichtbar = ~teil["unterdrueckt"].astype(bool)
    out = pd.DataFrame({
        "raum_id": teil["raum_id"], "name": teil["raum_id"].map(m.namen()).fillna(teil["raum_id"]),
        "wert": teil["wert"].where(sichtbar),
        "plaetze": teil["zaehler"].where(sichtbar), "zielgruppe": teil["nenner"].where(sichtbar),
        "richtwert": v.richtwert, "unterdrueckt": ~sichtbar})
    out["luecke"] = [luecke(w, n, v.richtwert, faktor) if s else None
                     for w, n, s in zip(out["wert"], out["zielgruppe"], sichtbar, strict=True)]
    return out.sort_values(["luecke", "wert"], ascending=[False, True], na_position="last").reset_index(drop=True)


def zielgruppenprognose(config: Config, v: Versorgungsgrad) -> Zielgruppenprognose | None:
    """How the projection continues the target group of ``v``: the catalog's ``prognose`` of its Zielgruppe
    indicator (which describes the value of a count, the denominator of a quota); none when the target group is
    the numerator of a quota."""
    ind = next((i for i in config.katalog.indikatoren if i.id == v.zielgruppe), None)
    if ind is None or v.zielgruppe_feld == "zaehler" or (v.zielgruppe_feld == "nenner") != (ind.aggregation == "quote"):
        return None
    return ind.prognose


def ausblick(lu: pd.DataFrame, v: Versorgungsgrad, zg: Zielgruppenprognose | None, prognosen: pd.DataFrame,
             jahr: int, faktor: float) -> pd.DataFrame:
    """The gaps of :func:`luecken` (level 1) in ``jahr`` after the Bevölkerungsvorausberechnung: the target
    group estimated as ``zg.anteil`` × the sum of the projected ``zg.merkmale`` (:func:`zielgruppenprognose`; Basis
    variant, with the range of the variants), today's places unchanged. Columns raum_id, name, plaetze, zielgruppe,
    luecke, zielgruppe_kuenftig, luecke_kuenftig, luecke_unten, luecke_oben (largest future gap first); empty
    without a projection."""
    if zg is None or v.richtwert is None or prognosen.empty or lu.empty:
        return pd.DataFrame()
    p = prognosen[prognosen["merkmal"].isin(zg.merkmale) & (pd.to_datetime(prognosen["stichtag"]).dt.year == jahr)]
    if p.empty:
        return pd.DataFrame()
    haupt = "Basis" if (p["variante"] == "Basis").any() else p["variante"].iloc[0]
    # an area counts only with every Merkmal of the target group (none withheld)
    summe = p.groupby(["raum_id", "variante"])["wert"].agg(["sum", "count"])
    summe = summe.loc[summe["count"] == len(set(zg.merkmale)), "sum"] * zg.anteil
    summe = summe.reset_index()
    basis = summe[summe["variante"] == haupt].set_index("raum_id")["sum"]
    unten = summe.groupby("raum_id")["sum"].min()
    oben = summe.groupby("raum_id")["sum"].max()

    def fehlt(zielgruppe, plaetze):
        if pd.isna(zielgruppe) or pd.isna(plaetze):
            return np.nan
        return float(max(0, math.ceil(v.richtwert * zielgruppe / faktor - plaetze - 1e-9)))

    out = lu[["raum_id", "name", "plaetze", "zielgruppe", "luecke"]].copy()
    out["zielgruppe_kuenftig"] = out["raum_id"].map(basis)
    out["luecke_kuenftig"] = [fehlt(z, pl) for z, pl in zip(out["zielgruppe_kuenftig"], out["plaetze"], strict=True)]
    out["luecke_unten"] = [fehlt(z, pl) for z, pl in zip(out["raum_id"].map(unten), out["plaetze"], strict=True)]
    out["luecke_oben"] = [fehlt(z, pl) for z, pl in zip(out["raum_id"].map(oben), out["plaetze"], strict=True)]
    out = out[out["zielgruppe_kuenftig"].notna() & out["plaetze"].notna()]    # a hidden value has no outlook either
    return out.sort_values("luecke_kuenftig", ascending=False, na_position="last").reset_index(drop=True)


def ausblick_tabelle(a: pd.DataFrame, jahr: int, ebene_name: str) -> pd.DataFrame:
    """:func:`ausblick` as a German table."""
    def zahl(x) -> str:
        return "–" if x is None or pd.isna(x) else fmt_zahl(x, 0)
    return pd.DataFrame({
        ebene_name: a["name"] + " (" + a["raum_id"] + ")",
        f"Fehlende Plätze {jahr}": [zahl(x) for x in a["luecke_kuenftig"]],
        "Spanne der Varianten": [f"{zahl(u)}–{zahl(o)}" if pd.notna(u) and pd.notna(o) and o != u else "–"
                                 for u, o in zip(a["luecke_unten"], a["luecke_oben"], strict=True)],
        "Fehlende Plätze heute": [zahl(x) for x in a["luecke"]],
        "Plätze heute": [zahl(x) for x in a["plaetze"]],
        "Zielgruppe heute": [zahl(x) for x in a["zielgruppe"]],
        f"Zielgruppe {jahr} (geschätzt)": [zahl(x) for x in a["zielgruppe_kuenftig"]],
    })


def luecken_tabelle(lu: pd.DataFrame, v: Versorgungsgrad, einheit: str, ebene_name: str) -> pd.DataFrame:
    """The gaps as a German table, the missing places right after the area."""
    return pd.DataFrame({
        ebene_name: lu["name"] + " (" + lu["raum_id"] + ")",
        "Fehlende Plätze": [fmt_zahl(x, 0) if x is not None and not pd.isna(x) else "–" for x in lu["luecke"]],
        f"Versorgungsgrad ({einheit})": [("nicht ausgewiesen" if u else fmt_zahl(w, 1))
                                          for w, u in zip(lu["wert"], lu["unterdrueckt"], strict=True)],
        "Plätze": [fmt_zahl(p, 0) if pd.notna(p) else "–" for p in lu["plaetze"]],
        "Zielgruppe": [fmt_zahl(z, 0) if pd.notna(z) else "–" for z in lu["zielgruppe"]],
        "Richtwert": fmt_zahl(v.richtwert, 1) if v.richtwert is not None else "–",
    })


def luecke_text(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return "Richtwert erreicht" if x == 0 else f"es fehlen {fmt_zahl(x, 0)} Plätze"


@dataclass(frozen=True)
class Versorgungszeile:
    """One Versorgungsgrad of one area, against the city and the Richtwert (profile, Steckbrief)."""

    indikator_id: str
    name: str
    einheit: str
    wert: float | None
    stadt: float | None
    richtwert: float | None
    richtwert_quelle: str | None
    luecke: float | None
    plaetze: float | None
    zielgruppe: float | None
    unterdrueckt: bool = False     # a value hidden by suppression (else None means: no value)


def versorgung_im_gebiet(m, config: Config, raum_id: str, stichtag: date) -> list[Versorgungszeile]:
    """Every configured Versorgungsgrad of one area at ``stichtag`` (suppressed values stay None)."""
    out = []
    stadt_id = m.stadt_id(stichtag)
    for v in config.einrichtungen.versorgung:
        if v.indikator not in m.indikatoren.index:
            continue
        meta = m.indikatoren.loc[v.indikator]
        zeile = m.auswahl(v.indikator, stichtag, raum_id=raum_id)
        stadt = m.auswahl(v.indikator, stichtag, raum_id=stadt_id) if stadt_id else zeile.iloc[0:0]
        sichtbar = len(zeile) and not bool(zeile["unterdrueckt"].iloc[0])
        wert = float(zeile["wert"].iloc[0]) if sichtbar and pd.notna(zeile["wert"].iloc[0]) else None
        nenner = float(zeile["nenner"].iloc[0]) if sichtbar and pd.notna(zeile["nenner"].iloc[0]) else None
        zaehler = float(zeile["zaehler"].iloc[0]) if sichtbar and pd.notna(zeile["zaehler"].iloc[0]) else None
        s = float(stadt["wert"].iloc[0]) if len(stadt) and not bool(stadt["unterdrueckt"].iloc[0]) else None
        out.append(Versorgungszeile(
            v.indikator, str(meta["kurzname"]), str(meta["einheit"]), wert, s, v.richtwert, v.richtwert_quelle,
            luecke(wert, nenner, v.richtwert, float(meta["faktor"] or 1)) if wert is not None and nenner else None,
            zaehler, nenner, bool(len(zeile)) and not sichtbar))
    return out


def versorgung_tabelle(zeilen: list[Versorgungszeile]) -> pd.DataFrame:
    return pd.DataFrame({
        "Versorgungsgrad": [z.name for z in zeilen],
        "Gebiet": [fmt_zahl(z.wert, 1) if z.wert is not None else "nicht ausgewiesen" if z.unterdrueckt
                   else "kein Wert" for z in zeilen],
        "Gesamtstadt": [fmt_zahl(z.stadt, 1) if z.stadt is not None else "–" for z in zeilen],
        "Richtwert": [fmt_zahl(z.richtwert, 1) if z.richtwert is not None else "–" for z in zeilen],
        "Einheit": [z.einheit for z in zeilen],
        "Plätze / Zielgruppe": [f"{fmt_zahl(z.plaetze, 0)} / {fmt_zahl(z.zielgruppe, 0)}"
                                if z.plaetze is not None and z.zielgruppe is not None else "–" for z in zeilen],
        "Lücke": [luecke_text(z.luecke) if z.richtwert is not None else "kein Richtwert" for z in zeilen],
    })


# --------------------------------------------------------------------------- catchment

@dataclass(frozen=True)
class Einzugsbereich:
    radius_m: int
    anteil: float | None          # share of the target group within the radius (0–1), city-wide
    je_gebiet: pd.DataFrame       # raum_id, anteil (area share of each Sozialraum inside), zielgruppe


def einzugsbereich(e: pd.DataFrame, geometrien: pd.Series, zielgruppe: pd.Series, radius_m: int) -> Einzugsbereich:
    """Share of a target group within ``radius_m`` (straight line) of any facility of ``e``. The target
    group of each Sozialraum (``zielgruppe`` by raum_id) is assumed evenly spread over its area — an
    approximation: the share of the area inside the circles stands for the share of its people."""
    geo = geometrien.dropna()
    if e.empty or geo.empty:
        return Einzugsbereich(radius_m, None, pd.DataFrame(columns=["raum_id", "anteil", "zielgruppe"]))
    flaechen = gpd.GeoSeries(list(geo), index=geo.index, crs=4326)
    metrisch = flaechen.estimate_utm_crs()                 # the UTM zone of the city: distances in metres
    flaechen = flaechen.to_crs(metrisch)
    punkte = gpd.GeoSeries(gpd.points_from_xy(e["lon"], e["lat"]), crs=4326).to_crs(metrisch)
    kreise = punkte.buffer(radius_m, quad_segs=16).union_all()
    innen = flaechen.intersection(kreise).area.to_numpy()
    ganz = flaechen.area.to_numpy()
    je = pd.DataFrame({"raum_id": geo.index, "anteil": np.where(ganz > 0, innen / np.where(ganz > 0, ganz, 1), 0.0)})
    je["zielgruppe"] = je["raum_id"].map(zielgruppe).astype(float)
    gueltig = je["zielgruppe"].notna()
    summe = je.loc[gueltig, "zielgruppe"].sum()
    anteil = float((je.loc[gueltig, "anteil"] * je.loc[gueltig, "zielgruppe"]).sum() / summe) if summe > 0 else None
    return Einzugsbereich(radius_m, anteil, je)

"""Controlling: the goal system (Zielsystem) and its figures.

Goals are kept in the four KGSt Zielfelder; a goal is measurable when it has a
Kennzahl, a base value, a target value (or a band) and a target date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.ampel import ABWEICHEND, REIHENFOLGE, Ampel
from fis.format import fmt_differenz, fmt_wert
from fis.monitoring import jahreswerte
from fis.palette import AMPEL_SYMBOL
from fis.wuerfel import lade_reihen
from fis.zielbewertung import IST_MAX_ALTER, SollIst, soll_ist, soll_ist_jahre, soll_pfad, unguenstige_abweichung

ZIELFELDER = ("Ergebnis/Wirkung", "Programm/Produkt", "Prozess/Struktur", "Ressourcen")


def count_ziele(ziele: pd.DataFrame, stichtag: date) -> pd.DataFrame:
    """Goals per Zielfeld: total, measurable, due by ``stichtag`` and still open.

    Returns one row per Zielfeld (in KGSt order) with columns zielfeld, ziele,
    messbar (Kennzahl, Basis, Ziel oder Band, Zieldatum), faellig (Zieldatum ≤
    Stichtag), laufend (Zieldatum danach).
    """
    z = ziele.copy()
    has_target = z["zielwert"].notna() | z["band_oben"].notna() | z["band_unten"].notna()
    z["messbar"] = (z["kennzahl_art"].notna() & z["basiswert"].notna() & has_target
                    & z["zieldatum"].notna())
    datum = pd.to_datetime(z["zieldatum"])
    z["faellig"] = datum.notna() & (datum <= pd.Timestamp(stichtag))
    z["laufend"] = datum.notna() & (datum > pd.Timestamp(stichtag))
    out = (z.groupby("zielfeld")
           .agg(ziele=("ziel_id", "count"), messbar=("messbar", "sum"),
                faellig=("faellig", "sum"), laufend=("laufend", "sum"))
           .reindex(list(ZIELFELDER), fill_value=0)
           .rename_axis("zielfeld").reset_index())
    return out.astype({c: int for c in ("ziele", "messbar", "faellig", "laufend")})


# =========================================================================== Soll-Ist


# =========================================================================== data of all goals

@dataclass(frozen=True)
class Controllingdaten:
    ziele: pd.DataFrame            # one row per goal, with org columns (dezernat, fachbereich, produkt)
    reihen: pd.DataFrame           # ziel_id, jahr, ist, status: annual Ist of each goal's Kennzahl
    soll: pd.DataFrame             # ziel_id, jahr, soll (explicit annual Soll values)
    nachkommastellen: dict[str, int]
    tep: pd.DataFrame              # Teilergebnisplan (current deliveries)
    positionen: pd.DataFrame       # NKF lines
    produkte: pd.DataFrame
    org: pd.DataFrame              # per product nr: produkt_name, fachbereich, dezernat


def _dezernat(text) -> str | None:
    """'Beigeordnete Dr. K. Adler, Dezernat V – Soziales, Jugend und Gesundheit' → 'Dezernat V – …'."""
    if not isinstance(text, str) or "Dezernat" not in text:
        return None
    return text[text.index("Dezernat"):].strip()


def _indikator_reihen(ziele: pd.DataFrame, werte: pd.DataFrame) -> dict[str, list[tuple]]:
    """Per goal on an indicator: (ziel_id, jahr, wert, status) of the last Stichtag of each year,
    from one join of the goals with the values (not a filter of all values per goal)."""

    schluessel = ziele.loc[ziele["kennzahl_art"] == "indikator", ["ziel_id", "indikator_id", "raum_id"]]
    if schluessel.empty:
        return {}
    w = werte[werte["indikator_id"].isin(schluessel["indikator_id"]) & werte["raum_id"].isin(schluessel["raum_id"])]
    jahre = jahreswerte(w).astype({"indikator_id": str, "raum_id": str})
    hit = schluessel.merge(jahre, on=["indikator_id", "raum_id"]).sort_values(["ziel_id", "jahr"], kind="stable")
    out: dict[str, list[tuple]] = {}
    # columns as lists: iterating rows of Arrow-backed text columns cost 2.000 goals 0,25 s
    for zid, jahr, wert, status in zip(hit["ziel_id"].tolist(), hit["jahr"].tolist(), hit["wert"].tolist(),
                                       hit["status"].tolist(), strict=True):
        out.setdefault(zid, []).append((zid, int(jahr), wert, status))
    return out


def gemessen_an(ziele: pd.DataFrame) -> list[tuple[str, str]]:
    """The (indicator, Raum) of every goal measured on an indicator: the series :func:`lade_controlling` needs
    (fis.wuerfel.lade_reihen reads just these)."""
    s = ziele.loc[ziele["kennzahl_art"] == "indikator", ["indikator_id", "raum_id"]].dropna()
    return list(s.itertuples(index=False, name=None))


def lade_controlling_aus_wuerfel(store, config) -> Controllingdaten:
    """:func:`lade_controlling` with just the goals' series read from the aggregate cube (app, reports, CLI)."""
    return lade_controlling(store, lade_reihen(store, config, gemessen_an(store.lade_ziele())))


def lade_controlling(store, m) -> Controllingdaten:
    """Goals with their Kennzahl series: indicators from the published (suppressed) monitoring
    values ``m`` at the goal's Raum, product Kennzahlen (Ist), budget lines (annual Ist,
    expenses as positive amounts)."""
    ziele = store.lade_ziele()
    produkte = store.lade_produkte()
    bereiche = store.lade_produktbereiche().set_index("nr")
    gruppen = store.lade_produktgruppen().set_index("nr")
    kz = store.lade_produkt_kennzahlen()
    tep = store.lade_teilergebnisplan()
    reihen, nk = [], {}
    ist_je_ziel = _indikator_reihen(ziele, m.werte)
    # row positions per key (one pass), taken only for the goals that need them
    tep_ist = tep[(tep["monat"] == 0) & (tep["wertart"] == "Ist")].reset_index(drop=True)
    tep_zeilen = tep_ist.groupby(["produkt_nr", "position_nr"], sort=False).indices
    kz_ist = kz[kz["wertart"] == "Ist"].reset_index(drop=True)
    kz_zeilen = kz_ist.groupby("kennzahl_id", sort=False).indices
    keine = np.empty(0, dtype=np.intp)
    stellen = m.indikatoren["nachkommastellen"].astype(int).to_dict()
    for z in ziele.itertuples():
        art = z.kennzahl_art
        if art == "indikator":
            reihen += ist_je_ziel.get(z.ziel_id, [])
            if z.indikator_id in stellen:
                nk[z.ziel_id] = stellen[z.indikator_id]
        elif art == "produktkennzahl":
            hit = kz_ist.iloc[kz_zeilen.get(z.kennzahl_id, keine)]
            reihen += [(z.ziel_id, int(r.jahr), float(r.wert), "endgültig") for r in hit.itertuples()]
            if len(hit):
                nk[z.ziel_id] = int(hit["nachkommastellen"].iloc[0])
        elif art == "haushalt":
            hit = tep_ist.iloc[tep_zeilen.get((z.produkt_nr, z.position_nr), keine)]
            reihen += [(z.ziel_id, int(r.jahr), abs(float(r.betrag)), "endgültig") for r in hit.itertuples()]
            nk[z.ziel_id] = 0
    reihen_df = pd.DataFrame(reihen, columns=["ziel_id", "jahr", "ist", "status"])
    soll = store.lade_ziel_soll()

    # Organisation: the goal's product, else the nearest ancestor's.
    parent = ziele.set_index("ziel_id")["parent_id"]
    eigenes = ziele.set_index("ziel_id")["produkt_nr"]
    verantwortlich = ziele.set_index("ziel_id")["verantwortlich"]

    def produkt_von(zid):
        seen = set()
        while zid is not None and not pd.isna(zid) and zid not in seen:
            seen.add(zid)
            if isinstance(eigenes.get(zid), str):
                return eigenes[zid]
            zid = parent.get(zid)
        return None

    einheit, gname = gruppen["organisationseinheit"].to_dict(), gruppen["name"].to_dict()
    bverantwortlich, bname = bereiche["verantwortlich"].to_dict(), bereiche["name"].to_dict()
    org_p = pd.DataFrame({
        "nr": produkte["nr"], "produkt_name": produkte["name"],
        "fachbereich": [einheit[g] or gname[g] for g in produkte["gruppe_nr"]],
        "dezernat": [_dezernat(bverantwortlich[b]) or bname[b] for b in produkte["bereich_nr"]],
    }).set_index("nr")
    je_produkt = {nr: (nr, *werte) for nr, *werte in org_p[["produkt_name", "fachbereich", "dezernat"]].itertuples()}
    org = []
    for z in ziele.itertuples():
        nr = produkt_von(z.ziel_id)
        if nr in je_produkt:
            org.append(je_produkt[nr])
        else:
            # no product in the chain: the Dezernat named by the goal or an ancestor
            dez, zid = None, z.ziel_id
            while dez is None and isinstance(zid, str):
                dez = _dezernat(verantwortlich.get(zid))
                zid = parent.get(zid)
            org.append((None, None, "ohne Produktbezug", dez or "ohne Zuordnung"))
    spalten = ["org_produkt", "org_produkt_name", "fachbereich", "dezernat"]
    ziele = ziele.assign(**{k: [o[i] for o in org] for i, k in enumerate(spalten)})
    return Controllingdaten(ziele, reihen_df, soll, nk, tep, store.lade_ergebnisplan_positionen(), produkte, org_p)


def _reihen_je_ziel(reihen: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, dict]]:
    """Per goal: sorted years and values without gaps, and the status per year, from one sort of
    all series (a filter per goal would cost seconds for thousands of goals)."""
    r = reihen.sort_values(["ziel_id", "jahr"], kind="stable")
    ids = r["ziel_id"].to_numpy()
    jahre = r["jahr"].to_numpy(dtype=float)
    werte = r["ist"].to_numpy(dtype=float, na_value=np.nan)
    status = r["status"].to_numpy(dtype=object)
    if not len(ids):
        return {}
    grenzen = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    out = {}
    for a, b in zip(np.r_[0, grenzen], np.r_[grenzen, len(ids)], strict=True):
        j, w = jahre[a:b], werte[a:b]
        out[ids[a]] = (j[~np.isnan(w)], w[~np.isnan(w)], dict(zip(j.astype(int).tolist(), status[a:b], strict=True)))
    return out


def bewerte_ziele(c: Controllingdaten, berichtsjahr: int, cfg) -> pd.DataFrame:
    """Soll-Ist and Ampel of every goal with a Kennzahl, then the roll-up over the tree.
    Columns: ziel_id, jahr, ist, soll, abweichung, abweichung_prozent, zielerreichung,
    ampel_eigen, regel, text, erreichbar, prognose_wert, ampel, ampel_text, status."""
    rows = []
    reihen = _reihen_je_ziel(c.reihen)
    leer = (np.empty(0), np.empty(0), {})
    soll: dict[str, dict] = {}
    for zid, jahr, wert in c.soll[["ziel_id", "jahr", "soll"]].itertuples(index=False):
        soll.setdefault(zid, {})[int(jahr)] = wert
    for z in c.ziele.to_dict("records"):
        if not isinstance(z.get("kennzahl_art"), str) or pd.isna(z.get("basisjahr")) or pd.isna(z.get("zieldatum")):
            rows.append({"ziel_id": z["ziel_id"], "ampel_eigen": None})
            continue
        jahre, werte, status = reihen.get(z["ziel_id"], leer)
        si = soll_ist_jahre(z, jahre, werte, berichtsjahr, cfg.ampel, soll.get(z["ziel_id"], {}), status,
                       c.nachkommastellen.get(z["ziel_id"], 1), cfg.prognose_konfidenz, cfg.prognose_min_jahre,
                       IST_MAX_ALTER)
        rows.append({"ziel_id": si.ziel_id, "jahr": si.jahr, "ist": si.ist, "soll": si.soll,
                     "abweichung": si.abweichung, "abweichung_prozent": si.abweichung_prozent,
                     "zielerreichung": si.zielerreichung, "ampel_eigen": si.ampel, "regel": si.regel,
                     "text": si.text, "erreichbar": None if si.prognose is None else si.prognose.erreichbar,
                     "prognose_wert": np.nan if si.prognose is None else si.prognose.wert, "status": si.status})
    spalten = ["ziel_id", "jahr", "ist", "soll", "abweichung", "abweichung_prozent", "zielerreichung",
               "ampel_eigen", "regel", "text", "erreichbar", "prognose_wert", "status"]
    b = pd.DataFrame(rows, columns=spalten).set_index("ziel_id")
    b = c.ziele.set_index("ziel_id")[["titel"]].join(b)
    b["stellen"] = [c.nachkommastellen.get(z, 1) for z in b.index]
    kinder = c.ziele.groupby("parent_id")["ziel_id"].apply(list).to_dict()

    def teilbaum(zid):
        out = [zid]
        for k in kinder.get(zid, []):
            out += teilbaum(k)
        return out

    # plain dicts: .at on 2.000 goals and their subtrees cost a large city 0,3 s
    eigene, titel = b["ampel_eigen"].to_dict(), b["titel"].to_dict()
    ampel, erklaerung = {}, {}
    for zid in b.index:
        eigen = eigene[zid]
        if cfg.rollup == "eigene" and isinstance(eigen, str):
            ampel[zid], erklaerung[zid] = eigen, "eigene Kennzahl"
            continue
        farben = [(Ampel(eigene[t]).rang, t) for t in teilbaum(zid) if isinstance(eigene.get(t), str)]
        if not farben:
            ampel[zid], erklaerung[zid] = None, "keine messbare Kennzahl im Teilbaum"
            continue
        rang, wer = max(farben, key=lambda f: (f[0], f[1] == zid))
        farbe = eigene[wer]
        ampel[zid] = farbe
        if wer == zid:
            erklaerung[zid] = "eigene Kennzahl"
        elif isinstance(eigen, str):
            # the goal's own figure is fine, its subtree is not: say both, and who
            erklaerung[zid] = (f"eigene Kennzahl {eigen}" + (" (im Toleranzband)" if eigen == Ampel.GRUEN else "")
                               + f"; {farbe} wegen {wer} „{titel[wer]}“")
        else:
            erklaerung[zid] = f"schlechteste Ampel im Teilbaum: {wer} ({farbe})"
    b["ampel"] = pd.Series(ampel)
    b["ampel_text"] = pd.Series(erklaerung)
    abweichend = b["ampel_eigen"].notna() & b["text"].notna() & (b["ampel"] != b["ampel_eigen"])
    b.loc[abweichend, "text"] = b.loc[abweichend, "text"] + " Im Zielbaum: " + b.loc[abweichend, "ampel_text"] + "."
    return b.reset_index()


def ampel_je_zielfeld(ziele: pd.DataFrame, bewertung: pd.DataFrame) -> pd.DataFrame:
    """Goals with their own Kennzahl per Zielfeld and Ampel: one row per Zielfeld (KGSt order), columns
    rot, gelb, grün, grau (counts)."""
    b = bewertung.merge(ziele[["ziel_id", "zielfeld"]], on="ziel_id")
    b = b[b["ampel_eigen"].isin(list(Ampel))]
    out = pd.crosstab(b["zielfeld"], b["ampel_eigen"]).reindex(index=list(ZIELFELDER), columns=list(REIHENFOLGE))
    return out.fillna(0).astype(int).rename_axis("zielfeld").reset_index()


def schlechteste_ziele(bewertung: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` goals in the worst state by their own Kennzahl: red before yellow, then by how far
    they miss (unfavourable deviation relative to the Soll); columns ziel_id, titel, ampel, text."""
    b = bewertung[bewertung["ampel_eigen"].isin(ABWEICHEND)].copy()
    b["rang"] = b["ampel_eigen"].map(lambda a: Ampel(a).rang)
    b["gewicht"] = (b["abweichung_prozent"].abs()).fillna(0)
    b = b.sort_values(["rang", "gewicht", "ziel_id"], ascending=[False, False, True]).head(n)
    return (b.drop(columns=["ampel"], errors="ignore").rename(columns={"ampel_eigen": "ampel"})
            [["ziel_id", "titel", "ampel", "text"]].reset_index(drop=True))


def zielbaum(ziele: pd.DataFrame) -> pd.DataFrame:
    """Goals in tree order (depth first, by Zielfeld then id) with their depth."""
    kinder = ziele.groupby("parent_id")["ziel_id"].apply(sorted).to_dict()
    wurzeln = ziele[ziele["parent_id"].isna() | ~ziele["parent_id"].isin(ziele["ziel_id"])]
    ordnung = {f: i for i, f in enumerate(ZIELFELDER)}
    wurzeln = sorted(wurzeln["ziel_id"], key=lambda z: (ordnung.get(
        ziele.set_index("ziel_id").at[z, "zielfeld"], 9), z))
    out = []

    def gehe(zid, tiefe):
        out.append((zid, tiefe))
        for k in kinder.get(zid, []):
            gehe(k, tiefe + 1)

    for w in wurzeln:
        gehe(w, 0)
    return pd.DataFrame(out, columns=["ziel_id", "tiefe"])


# =========================================================================== budget lines


# =========================================================================== scenarios

def szenarien(start_jahr: int, start_wert: float, bis_jahr: int,
              aenderung_je_jahr: dict[str, float]) -> pd.DataFrame:
    """Szenariotechnik: from the last Ist, one straight line per assumption (change per
    year) up to ``bis_jahr``. Returns szenario, jahr, wert."""
    rows = []
    for name, d in aenderung_je_jahr.items():
        for jahr in range(start_jahr, bis_jahr + 1):
            rows.append((name, jahr, start_wert + d * (jahr - start_jahr)))
    return pd.DataFrame(rows, columns=["szenario", "jahr", "wert"])


# =========================================================================== SMART

def smart_pruefung(ziel: dict, basis_ist: float | None = None) -> list[str]:
    """What a goal lacks to be SMART, in German; an empty list if nothing."""
    fehlt = []
    if not isinstance(ziel.get("kennzahl_art"), str):
        fehlt.append("keine messbare Kennzahl (Indikator, Produktkennzahl oder Haushaltszeile)")
    if ziel.get("zieldatum") is None or pd.isna(ziel.get("zieldatum")):
        fehlt.append("kein Zieldatum (nicht terminiert)")
    if pd.isna(ziel.get("basiswert")) or pd.isna(ziel.get("basisjahr")):
        fehlt.append("kein Basiswert mit Basisjahr")
    richtung = ziel.get("richtung")
    if not isinstance(richtung, str):
        fehlt.append("keine Richtung (steigern, senken oder halten)")
    elif richtung == "halten":
        if pd.isna(ziel.get("band_unten")) and pd.isna(ziel.get("band_oben")):
            fehlt.append("kein Zielbereich (Unter- oder Obergrenze) für „halten“")
    elif pd.isna(ziel.get("zielwert")):
        fehlt.append("kein Zielwert")
    elif not pd.isna(ziel.get("basiswert")):
        b, zw = float(ziel["basiswert"]), float(ziel["zielwert"])
        if (richtung == "senken" and zw >= b) or (richtung == "steigern" and zw <= b):
            fehlt.append("Ziel schon beim Basiswert erreicht oder Richtung widerspricht dem Zielwert")
    if pd.isna(ziel.get("toleranz")) and richtung != "halten":
        fehlt.append("keine Toleranz (jede Abweichung wäre rot)")
    if not isinstance(ziel.get("verantwortlich"), str) or not ziel.get("verantwortlich"):
        fehlt.append("keine Verantwortung benannt")
    b = ziel.get("basisjahr")
    d = ziel.get("zieldatum")
    if not pd.isna(b) and d is not None and not pd.isna(d) and pd.Timestamp(d).year <= int(b):
        fehlt.append("Zieldatum liegt nicht nach dem Basisjahr")
    return fehlt


# =========================================================================== the Abweichungsbericht


def abweichungsbericht(c: Controllingdaten, bewertung: pd.DataFrame, zeilen: pd.DataFrame,
                       rhythmus: str = "Quartal", massnahmen: dict[str, str] | None = None,
                       gegensteuerung: dict[str, str] | None = None) -> pd.DataFrame:
    """Only the deviations: goals (own Kennzahl) and budget lines with a yellow or red Ampel,
    red first, then by size of the deviation; grouped by Dezernat and Fachbereich (Quartal)
    or Fachbereich and Produkt (Monat). Goals without current Ist follow as „ohne Ist“. With ``massnahmen``
    (ziel_id → its measures in short, fis.massnahmen.kurz_je_ziel) and ``gegensteuerung`` (ziel_id → the
    proposal as a sentence) each goal carries them (columns ``massnahmen``, ``gegensteuerung``)."""
    z = bewertung.merge(c.ziele[["ziel_id", "dezernat", "fachbereich", "org_produkt", "org_produkt_name",
                                 "verantwortlich", "zielfeld"]], on="ziel_id")
    z = z[z["ampel_eigen"].isin([*ABWEICHEND, Ampel.GRAU])]
    ziele = pd.DataFrame({
        "art": "Ziel", "kennung": z["ziel_id"], "bezeichnung": z["titel"], "ampel": z["ampel_eigen"],
        "dezernat": z["dezernat"], "fachbereich": z["fachbereich"],
        "produkt": [f"{n} {p}" if isinstance(n, str) else "ohne Produktbezug"
                    for n, p in zip(z["org_produkt"], z["org_produkt_name"], strict=True)],
        "verantwortlich": z["verantwortlich"], "begruendung": z["text"],
        "schwere": np.abs(z["abweichung_prozent"]).fillna(0.0),
        "massnahmen": z["ziel_id"].map(massnahmen or {}).fillna("keine"),
        "gegensteuerung": z["ziel_id"].map(gegensteuerung or {}).astype(object).fillna(""),
    })
    teile = [ziele]
    if not zeilen.empty:
        h = zeilen[zeilen["ampel"].isin(ABWEICHEND)]
        teile.append(pd.DataFrame({
            "art": "Haushalt", "kennung": h["produkt_nr"] + " / Zeile " + h["position_nr"].astype(str),
            "bezeichnung": h["position"] + " – " + h["produkt"], "ampel": h["ampel"],
            "dezernat": h["dezernat"], "fachbereich": h["fachbereich"],
            "produkt": h["produkt_nr"] + " " + h["produkt"], "verantwortlich": None,
            "begruendung": h["text"], "schwere": h["abweichung_prozent"].fillna(0.0), "massnahmen": "",
            "gegensteuerung": ""}))
    out = pd.concat(teile, ignore_index=True)
    if rhythmus == "Quartal":
        out["gruppe"], out["untergruppe"] = out["dezernat"], out["fachbereich"]
    else:
        out["gruppe"], out["untergruppe"] = out["fachbereich"], out["produkt"]
    reihenfolge = {Ampel.ROT: 0, Ampel.GELB: 1, Ampel.GRAU: 2}
    out["_r"] = out["ampel"].map(reihenfolge)
    out = out.sort_values(["_r", "gruppe", "untergruppe", "schwere"], ascending=[True, True, True, False])
    return out.drop(columns="_r").reset_index(drop=True)


@dataclass(frozen=True)
class Zieldetail:
    ziel: dict
    ist: pd.Series                 # jahr → Ist
    soll: pd.Series                # jahr → Soll (path or explicit), base year to target year
    soll_ist: SollIst | None
    smart: list[str]
    einheit: str
    stellen: int
    szenario_standard: dict[str, float]   # change per year: best case / status quo / worst case


def zieldetail(c: Controllingdaten, ziel_id: str, berichtsjahr: int, cfg) -> Zieldetail:
    """Everything the drill-down of one goal shows."""
    # missing fields (NaN, NaT) become None, so that pages and reports never show "nan"
    z = {k: None if pd.isna(v) else v for k, v in c.ziele.set_index("ziel_id").loc[ziel_id].items()} \
        | {"ziel_id": ziel_id}
    r = c.reihen[c.reihen["ziel_id"] == ziel_id].set_index("jahr")
    ist = r["ist"].sort_index()
    einheit = (z.get("einheit") or "").replace("EUR", "€") if isinstance(z.get("einheit"), str) else ""
    stellen = c.nachkommastellen.get(ziel_id, 1)
    explizit = c.soll[c.soll["ziel_id"] == ziel_id].set_index("jahr")["soll"].to_dict()
    messbar = (isinstance(z.get("kennzahl_art"), str) and not pd.isna(z.get("basisjahr"))
               and z.get("zieldatum") is not None and not pd.isna(z.get("zieldatum")))
    soll = pd.Series(dtype=float)
    si = None
    standard = {"best case": 0.0, "status quo": 0.0, "worst case": 0.0}
    if messbar:
        bj, zj = int(z["basisjahr"]), pd.Timestamp(z["zieldatum"]).year
        if z.get("richtung") != "halten" and not pd.isna(z.get("zielwert")):
            soll = pd.Series({j: soll_pfad(float(z["basiswert"]), bj, float(z["zielwert"]), zj, j, explizit)
                              for j in range(bj, zj + 1)})
        si = soll_ist(z, ist, berichtsjahr, cfg.ampel, explizit, r["status"], stellen,
                      cfg.prognose_konfidenz, cfg.prognose_min_jahre)
        if len(ist) and z.get("richtung") != "halten" and not pd.isna(z.get("zielwert")):
            letzte = int(ist.index.max())
            noetig = (float(z["zielwert"]) - float(ist.iloc[-1])) / max(zj - letzte, 1)
            standard = {"best case": round(noetig, stellen + 1), "status quo": 0.0,
                        "worst case": round(-noetig / 2, stellen + 1)}
    return Zieldetail(z, ist, soll, si, smart_pruefung(z), einheit, stellen, standard)


def baumtabelle(baum: pd.DataFrame, berichtsjahr: int | None = None,
                zielgruppe: dict[str, str] | None = None) -> pd.DataFrame:
    """The goal tree as a German display table (indented titles, Ampel with symbol and word). The Ist
    column is that of ``berichtsjahr``; an Ist of another year (an older one, or the target year of a
    goal past its Zieldatum) names its year. ``zielgruppe`` (fis.zielgruppe.spalte): the expected Zielgruppe at
    the Zieldatum per goal, a column before the reason when any goal has one."""

    def einheit(e):
        return e.replace("EUR", "€") if isinstance(e, str) else ""

    def wert(v, e, nk):
        return fmt_wert(v, einheit(e), nk) if v == v else "–"

    nks = [int(n) if n == n else 1 for n in baum["stellen"]]

    tabelle = pd.DataFrame({
        "Ampel": [AMPEL_SYMBOL.get(a, "–") if isinstance(a, str) else "–" for a in baum["ampel"]],
        "Ziel": ["    " * t + ("└ " if t else "") + f"{i} {ti}"
                 for t, i, ti in zip(baum["tiefe"], baum["ziel_id"], baum["titel"], strict=True)],
        "Zielfeld": baum["zielfeld"],
        f"Ist {berichtsjahr}" if berichtsjahr else "Ist": [
            wert(v, e, n) + (f" ({int(j)})" if v == v and j == j and berichtsjahr and int(j) != berichtsjahr else "")
            for v, e, n, j in zip(baum["ist"], baum["einheit"], nks, baum["jahr"], strict=True)],
        "Soll": [wert(v, e, n) for v, e, n in zip(baum["soll"], baum["einheit"], nks, strict=True)],
        "Abweichung": [fmt_differenz(v, einheit(e), n) if v == v else "–"
                       for v, e, n in zip(baum["abweichung"], baum["einheit"], nks, strict=True)],
        "Zielerreichung": [fmt_wert(v, "%", 0) if v == v else "–" for v in baum["zielerreichung"]],
        "Begründung": [t if isinstance(t, str) else f"Ampel: {at}"
                       for t, at in zip(baum["text"], baum["ampel_text"], strict=True)],
    })
    if zielgruppe:
        tabelle.insert(len(tabelle.columns) - 1, "Zielgruppe am Zieldatum (Prognose)",
                       [zielgruppe.get(i, "–") for i in baum["ziel_id"]])
    return tabelle


def szenariotabelle(fan: pd.DataFrame, d: Zieldetail) -> pd.DataFrame:
    """End values of the scenarios against the target."""
    ende = fan[fan["jahr"] == fan["jahr"].max()]
    z = d.ziel
    rows = []
    tol = 0.0 if pd.isna(z.get("toleranz")) else float(z["toleranz"])
    for r in ende.itertuples():
        erreicht = None if pd.isna(z.get("zielwert")) else \
            unguenstige_abweichung(r.wert, float(z["zielwert"]), z["richtung"]) <= tol
        rows.append({"Szenario": r.szenario, "Jahr": int(r.jahr), "Wert": fmt_wert(r.wert, d.einheit, d.stellen),
                     "Ziel erreicht": "–" if erreicht is None else ("ja" if erreicht else "nein")})
    return pd.DataFrame(rows)


def berichtstabelle(bericht: pd.DataFrame, mit_gruppen: bool = False) -> pd.DataFrame:
    """Rows of the Abweichungsbericht for display and export."""
    out = pd.DataFrame({
        "Ampel": bericht["ampel"].map(AMPEL_SYMBOL), "Art": bericht["art"], "Kennung": bericht["kennung"],
        "Bezeichnung": bericht["bezeichnung"], "Begründung": bericht["begruendung"],
        "Verantwortlich": bericht["verantwortlich"].fillna("–"),
        "Maßnahmen": bericht["massnahmen"], "Gegensteuerung": bericht["gegensteuerung"],
    })
    if mit_gruppen:
        out.insert(0, "Bereich", bericht["gruppe"])
        out.insert(1, "Einheit", bericht["untergruppe"])
    return out

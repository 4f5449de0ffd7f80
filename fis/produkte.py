"""Produkthaushalt (NKF): Teilergebnisplan with its sums, Kennzahlen per year with derived
figures, and the instruments of the Produktkritik (ABC analysis, portfolio,
Wirkungsbeitragsanalyse) and SROI.

Amounts follow the plan: Erträge positive, Aufwendungen negative.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fis.format import fmt_prozent, fmt_zahl
from fis.zugang import Benutzer, handelnder

WERTARTEN = ("Ist", "Ansatz", "Planung")


# =========================================================================== Teilergebnisplan

def _summe_aus(text: str) -> list[int]:
    """'1-9' → [1, …, 9]; '10,17' → [10, 17]."""
    out: list[int] = []
    for teil in str(text).split(","):
        if "-" in teil:
            a, b = teil.split("-")
            out += list(range(int(a), int(b) + 1))
        elif teil.strip():
            out.append(int(teil))
    return out


def ergebnisplan(zeilen: pd.DataFrame, positionen: pd.DataFrame) -> pd.DataFrame:
    """All NKF lines with their sums. ``zeilen``: position_nr plus one column per
    period (amounts); sum lines are computed from ``positionen.summe_aus`` in line order
    (so that 18 = 10 + 17 uses the computed 10 and 17). Returns position_nr, bezeichnung,
    art and the period columns, one row per line."""
    perioden = [c for c in zeilen.columns if c != "position_nr"]
    werte = zeilen.groupby("position_nr")[perioden].sum()
    out = {}
    for p in positionen.sort_values("position_nr").itertuples():
        if p.art == "Summe":
            out[p.position_nr] = sum((out.get(q, pd.Series(0.0, index=perioden)) for q in _summe_aus(p.summe_aus)),
                                     pd.Series(0.0, index=perioden))
        else:
            out[p.position_nr] = werte.loc[p.position_nr] if p.position_nr in werte.index else \
                pd.Series(0.0, index=perioden)
    frame = pd.DataFrame(out).T.reindex(columns=perioden)
    frame.index.name = "position_nr"
    meta = positionen.set_index("position_nr")[["bezeichnung", "art"]]
    return meta.join(frame).reset_index()


def perioden(tep: pd.DataFrame, haushaltsjahr: int, planjahre: int = 3) -> list[tuple[int, str]]:
    """The columns of a Produktdatenblatt: Ist of the previous year, Ansatz of the budget
    year (and the year before, if present), Planung of the following years."""
    out = []
    vorjahr = haushaltsjahr - 1
    if ((tep["jahr"] == vorjahr) & (tep["wertart"] == "Ist") & (tep["monat"] == 0)).any():
        out.append((vorjahr, "Ist"))
    for jahr in (vorjahr, haushaltsjahr):
        if ((tep["jahr"] == jahr) & (tep["wertart"] == "Ansatz")).any():
            out.append((jahr, "Ansatz"))
    for jahr in range(haushaltsjahr + 1, haushaltsjahr + 1 + planjahre):
        if ((tep["jahr"] == jahr) & (tep["wertart"] == "Planung")).any():
            out.append((jahr, "Planung"))
    return out


def spaltenname(jahr: int, wertart: str) -> str:
    return f"{wertart} {jahr}"


def teilergebnisplan(tep: pd.DataFrame, positionen: pd.DataFrame, produkt_nrs: list[str],
                     spalten: list[tuple[int, str]]) -> pd.DataFrame:
    """The Teilergebnisplan of one or more products (a group: all its products) for the
    given (year, Wertart) columns, annual values only."""
    t = tep[tep["produkt_nr"].isin(produkt_nrs) & (tep["monat"] == 0)]
    breit = pd.DataFrame({"position_nr": sorted(set(t["position_nr"]) | set(positionen["position_nr"]))})
    for jahr, art in spalten:
        s = t[(t["jahr"] == jahr) & (t["wertart"] == art)].groupby("position_nr")["betrag"].sum()
        breit[spaltenname(jahr, art)] = breit["position_nr"].map(s).fillna(0.0)
    return ergebnisplan(breit, positionen)


def konsistenz(tep: pd.DataFrame, produkte: pd.DataFrame, toleranz: float = 0.5) -> pd.DataFrame:
    """Lines where a delivered group or area total differs from the sum of its parts.
    ``tep`` may carry rows for group numbers (11.05.01) and area numbers (11.05) next to
    products; returns ebene, nr, position_nr, jahr, monat, wertart, geliefert, summe_teile,
    differenz for every mismatch (empty if consistent or no totals were delivered)."""
    gruppe_von = produkte.set_index("nr")["gruppe_nr"].to_dict()
    bereich_von = produkte.drop_duplicates("gruppe_nr").set_index("gruppe_nr")["bereich_nr"].to_dict()
    schluessel = ["position_nr", "jahr", "monat", "wertart"]
    rows = []
    for ebene, zuordnung in (("Produktgruppe", gruppe_von), ("Produktbereich", bereich_von)):
        teile = tep[tep["produkt_nr"].isin(zuordnung)]
        summe = teile.assign(nr=teile["produkt_nr"].map(zuordnung)).groupby(["nr", *schluessel])["betrag"].sum()
        geliefert = tep[tep["produkt_nr"].isin(set(zuordnung.values()))].rename(columns={"produkt_nr": "nr"})
        if geliefert.empty:
            continue
        v = geliefert.set_index(["nr", *schluessel])["betrag"].to_frame("geliefert").join(
            summe.rename("summe_teile"), how="left").fillna({"summe_teile": 0.0})
        v["differenz"] = v["geliefert"] - v["summe_teile"]
        v = v[v["differenz"].abs() > toleranz].reset_index()
        rows.append(v.assign(ebene=ebene))
    if not rows:
        return pd.DataFrame(columns=["ebene", "nr", *schluessel, "geliefert", "summe_teile", "differenz"])
    return pd.concat(rows, ignore_index=True)[["ebene", "nr", *schluessel, "geliefert", "summe_teile", "differenz"]]


# =========================================================================== Kennzahlen

def kennzahlen(kz: pd.DataFrame, nrs: list[str], spalten: list[tuple[int, str]]) -> pd.DataFrame:
    """Product Kennzahlen (from Store.lade_produkt_kennzahlen) of ``nrs`` with one column
    per (year, Wertart): kennzahl_id, name, einheit, nachkommastellen and the values."""
    k = kz[kz["nr"].isin(nrs)]
    basis = k.drop_duplicates("kennzahl_id")[["kennzahl_id", "name", "einheit", "nachkommastellen"]]
    for jahr, art in spalten:
        s = k[(k["jahr"] == jahr) & (k["wertart"] == art)].set_index("kennzahl_id")["wert"]
        basis[spaltenname(jahr, art)] = basis["kennzahl_id"].map(s)
    return basis.reset_index(drop=True)


ANTEIL_GESAMTHAUSHALT = "Aufwand / Gesamtaufwand des Haushalts"


def gesamtaufwand_satz(config) -> str:
    """What the share of the total Aufwand in a Produktdatenblatt refers to, as a sentence."""
    jahre = sorted(config.gesamtaufwand())
    if jahre:
        return (f"Gesamtaufwand = ordentliche Aufwendungen des ganzen Haushalts laut stadt.yaml "
                f"({jahre[0]}–{jahre[-1]}); fehlt ein Jahr, ist es der Anteil am Aufwand der erfassten Produkte.")
    return ("Der Anteil bezieht sich auf die erfassten Produkte, nicht auf den ganzen Haushalt "
            "(dessen Gesamtaufwand lässt sich in stadt.yaml unter „gesamtaufwand“ angeben).")
ANTEIL_ERFASSTE = "Anteil am Aufwand der erfassten Produkte"


def abgeleitete_kennzahlen(plan: pd.DataFrame, gesamt: pd.DataFrame, einwohner: dict[int, float],
                           spalten: list[tuple[int, str]],
                           gesamtaufwand: dict[int, float] | None = None) -> pd.DataFrame:
    """The derived Kennzahlen of the Bielefeld Produktdatenblatt for each column:
    Aufwand pro 1.000 Einwohner (EUR), the share of the total Aufwand (%), Ertrag / Aufwand (%).
    ``plan`` and ``gesamt`` are Teilergebnispläne (from :func:`teilergebnisplan`) of the
    product (group) and of all delivered products; Aufwand = ordentliche Aufwendungen (line 17).
    The share is of the whole Haushalt where ``gesamtaufwand`` (year → €, stadt.yaml) knows every
    column's year; otherwise it is honestly named the share of the products that were delivered."""
    def zeile(frame, nr):
        return frame.set_index("position_nr").loc[nr]

    gesamtaufwand = gesamtaufwand or {}
    haushalt = bool(spalten) and all(j in gesamtaufwand for j, _ in spalten)
    aufwand, ertrag, gesamt_aufwand = zeile(plan, 17), zeile(plan, 10), zeile(gesamt, 17)
    rows = {"Aufwand pro 1.000 Einwohner": ("EUR", 2),
            (ANTEIL_GESAMTHAUSHALT if haushalt else ANTEIL_ERFASSTE): ("%", 2),
            "Ertrag / Aufwand": ("%", 2)}
    out = pd.DataFrame({"kennzahl_id": ["aufwand_je_1000_ew", "anteil_gesamtaufwand", "ertrag_je_aufwand"],
                        "name": list(rows), "einheit": [e for e, _ in rows.values()],
                        "nachkommastellen": [n for _, n in rows.values()]})
    for jahr, art in spalten:
        c = spaltenname(jahr, art)
        a = -float(aufwand[c])
        ew = einwohner.get(jahr) or einwohner.get(max([j for j in einwohner if j <= jahr], default=-1))
        nenner = float(gesamtaufwand[jahr]) if haushalt else -float(gesamt_aufwand[c])
        out[c] = [a / ew * 1000 if ew and a else np.nan,
                  a / nenner * 100 if nenner and a else np.nan,
                  float(ertrag[c]) / a * 100 if a else np.nan]
    return out


# =========================================================================== ABC analysis

def abc_beschreibung(abc: pd.DataFrame, grenzen: tuple[float, float], namen: dict[str, str] | None = None) -> str:
    """The classes as they were computed, in words: how many products and which share each holds, and
    which product crosses a bound (it belongs to the class below the bound, so class A „bis 80 %“
    may hold 84,5 %)."""
    namen = namen or {}
    saetze = []
    for klasse, bis in (("A", grenzen[0]), ("B", grenzen[1]), ("C", 100.0)):
        teil = abc[abc["klasse"] == klasse]
        if teil.empty:
            saetze.append(f"Klasse {klasse}: keine Produkte")
            continue
        anteil = float(teil["anteil"].sum())
        satz = (f"Klasse {klasse}: {len(teil)} {'Produkt' if len(teil) == 1 else 'Produkte'} mit "
                f"{fmt_prozent(anteil)} des Aufwands")
        letzter = teil.iloc[-1]
        if klasse != "C" and float(letzter["kumuliert"]) > bis + 1e-9:
            name = namen.get(letzter["nr"], "")
            satz += (f" (Grenze {fmt_prozent(bis, 0)}: {letzter['nr']} {name}".rstrip() + " überschreitet sie und "
                     f"zählt noch zu {klasse}; kumuliert {fmt_prozent(float(letzter['kumuliert']))})")
        saetze.append(satz)
    return "; ".join(saetze) + "."


def abc_analyse(aufwand: pd.Series, grenzen: tuple[float, float] = (80.0, 95.0)) -> pd.DataFrame:
    """Products ranked by Aufwand (positive amounts), cumulative share and class: A up to
    ``grenzen[0]`` % of the total, B up to ``grenzen[1]`` %, C the rest. The product that
    crosses a threshold still belongs to the lower class (80/15/5 → grenzen 80, 95)."""
    a = aufwand.abs().sort_values(ascending=False)
    total = a.sum()
    anteil = a / total * 100 if total else a * 0
    kum = anteil.cumsum()
    vorher = kum - anteil
    klasse = np.where(vorher < grenzen[0] - 1e-9, "A", np.where(vorher < grenzen[1] - 1e-9, "B", "C"))
    return pd.DataFrame({"nr": a.index, "aufwand": a.values, "anteil": anteil.values, "kumuliert": kum.values,
                         "klasse": klasse, "rang": np.arange(1, len(a) + 1)})


# =========================================================================== Wirkungsbeitrag and portfolio

def wirkungsbeitrag(gewichte: pd.Series, beitraege: pd.DataFrame) -> pd.Series:
    """Weighted sum per product: Σ_goals weight × contribution score. ``beitraege`` has one
    row per product and one column per strategic goal (index: product nr); weights are
    normalised to sum 1."""
    g = gewichte.reindex(beitraege.columns).fillna(0.0)
    if g.sum() <= 0:
        raise ValueError("Die Gewichte der strategischen Ziele müssen zusammen größer als 0 sein.")
    return (beitraege.fillna(0.0) * (g / g.sum())).sum(axis=1)


def portfolio(ressourcen: pd.Series, wirkung: pd.Series, felder, n: int = 2,
              grenzen_x: list[float] | None = None, grenzen_y: list[float] | None = None) -> pd.DataFrame:
    """Place products in an n × n matrix (n = 2 or 3) by Ressourcenverbrauch (x) and
    Wirkungsbeitrag (y). Boundaries default to the medians (n = 2) or terciles (n = 3) of
    the products. ``felder``: config.PortfolioFeld (zeile, spalte, name, strategie).
    Returns nr, x, y, spalte, zeile, feld, strategie."""
    x, y = ressourcen.astype(float), wirkung.reindex(ressourcen.index).astype(float)
    qs = [i / n for i in range(1, n)]
    gx = grenzen_x if grenzen_x is not None else [float(x.quantile(q)) for q in qs]
    gy = grenzen_y if grenzen_y is not None else [float(y.quantile(q)) for q in qs]
    spalte = np.searchsorted(gx, x.to_numpy(), side="right")
    zeile = np.searchsorted(gy, y.to_numpy(), side="right")
    lookup = {(f.zeile, f.spalte): f for f in felder}
    feld = [lookup.get((int(z), int(s))) for z, s in zip(zeile, spalte, strict=True)]
    return pd.DataFrame({"nr": x.index, "x": x.values, "y": y.values, "spalte": spalte, "zeile": zeile,
                         "feld": [f.name if f else "" for f in feld],
                         "strategie": [f.strategie if f else "" for f in feld]})


# =========================================================================== SROI


# =========================================================================== the Produktdatenblatt

@dataclass(frozen=True)
class Produktdaten:
    produkte: pd.DataFrame        # with gruppe_name, bereich_nr, bereich_name
    gruppen: pd.DataFrame
    bereiche: pd.DataFrame
    kennzahlen: pd.DataFrame      # Store.lade_produkt_kennzahlen()
    tep: pd.DataFrame
    positionen: pd.DataFrame

    def haushaltsjahr(self) -> int:
        """The latest year with an Ansatz."""
        a = self.tep[self.tep["wertart"] == "Ansatz"]
        return int(a["jahr"].max()) if len(a) else pd.Timestamp.today().year

    def auswahl(self) -> dict[str, str]:
        """nr → label of every Produktgruppe and Produkt, in numbering order."""
        out = {}
        for g in self.gruppen.sort_values("nr").itertuples():
            out[g.nr] = f"{g.nr} {g.name} (Produktgruppe)"
            for p in self.produkte[self.produkte["gruppe_nr"] == g.nr].sort_values("nr").itertuples():
                out[p.nr] = f"{p.nr} {p.name}"
        return out

    def teile(self, nr: str) -> list[str]:
        """The product numbers a number stands for (a group: all its products)."""
        if nr in set(self.produkte["nr"]):
            return [nr]
        return list(self.produkte.loc[self.produkte["gruppe_nr"] == nr, "nr"])


def lade_produkte(store) -> Produktdaten:
    return Produktdaten(store.lade_produkte(), store.lade_produktgruppen(), store.lade_produktbereiche(),
                        store.lade_produkt_kennzahlen(), store.lade_teilergebnisplan(),
                        store.lade_ergebnisplan_positionen())


@dataclass(frozen=True)
class Datenblatt:
    nr: str
    ist_gruppe: bool
    kopf: dict                    # numbers, names, responsibilities, committee
    texte: dict                   # Beschreibung, Zielsetzung, Zielerreichung, Zielgruppe, Besonderheiten
    spalten: list[tuple[int, str]]
    kennzahlen: pd.DataFrame      # own and derived, one column per (year, Wertart)
    teilergebnisplan: pd.DataFrame
    produkte: pd.DataFrame        # for a group: its products (nr, name, beschreibung)


TEXTE = {"beschreibung": "Beschreibung", "zielsetzung": "Zielsetzung", "zielerreichung": "Zielerreichung",
         "zielgruppe": "Zielgruppe", "besonderheiten": "Besonderheiten im Haushaltsjahr"}


def datenblatt(p: Produktdaten, nr: str, haushaltsjahr: int, einwohner: dict[int, float],
               gesamtaufwand: dict[int, float] | None = None) -> Datenblatt:
    """Everything of one Produktdatenblatt (handbook Abb. 20) for a product or a group; ``gesamtaufwand``:
    the whole Haushalt's ordentliche Aufwendungen per year, if configured (see abgeleitete_kennzahlen)."""
    ist_gruppe = nr not in set(p.produkte["nr"])
    if ist_gruppe:
        g = p.gruppen.set_index("nr").loc[nr]
        quelle = g
        gruppe_nr, gruppe_name = nr, g["name"]
    else:
        quelle = p.produkte.set_index("nr").loc[nr]
        gruppe_nr = quelle["gruppe_nr"]
        gruppe_name = quelle["gruppe_name"]
    gruppe = p.gruppen.set_index("nr").loc[gruppe_nr]
    bereich = p.bereiche.set_index("nr").loc[gruppe["bereich_nr"]]
    kopf = {"Produktbereich": f"{gruppe['bereich_nr']} {bereich['name']}",
            "Produktbereichsverantwortliche/r": bereich.get("verantwortlich") or "–",
            "Produktgruppe": f"{gruppe_nr} {gruppe_name}",
            "Organisationseinheit": quelle.get("organisationseinheit") or gruppe.get("organisationseinheit") or "–",
            "Politisches Gremium": quelle.get("gremium") or gruppe.get("gremium") or "–",
            "Verantwortlich": quelle.get("verantwortlich") or "–"}
    if not ist_gruppe:
        kopf["Produkt"] = f"{nr} {quelle['name']}"
        if isinstance(quelle.get("rechtsgrundlage"), str):
            kopf["Rechtsgrundlage"] = quelle["rechtsgrundlage"]
    texte = {titel: quelle.get(k) for k, titel in TEXTE.items() if isinstance(quelle.get(k), str) and quelle.get(k)}
    spalten = perioden(p.tep, haushaltsjahr)
    teile = p.teile(nr)
    plan = teilergebnisplan(p.tep, p.positionen, teile, spalten)
    gesamt = teilergebnisplan(p.tep, p.positionen, list(p.produkte["nr"]), spalten)
    kz = kennzahlen(p.kennzahlen, [nr, *teile] if ist_gruppe else [nr], spalten)
    abgeleitet = abgeleitete_kennzahlen(plan, gesamt, einwohner, spalten, gesamtaufwand)
    produkte = p.produkte[p.produkte["nr"].isin(teile)][["nr", "name", "beschreibung"]] if ist_gruppe else \
        pd.DataFrame(columns=["nr", "name", "beschreibung"])
    return Datenblatt(nr, ist_gruppe, kopf, texte, spalten, pd.concat([kz, abgeleitet], ignore_index=True),
                      plan, produkte.reset_index(drop=True))


def datenblatt_tabellen(d: Datenblatt) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kennzahlen and Teilergebnisplan as German display tables (as printed in Abb. 20)."""
    cols = [spaltenname(j, a) for j, a in d.spalten]
    k = pd.DataFrame({"Kennzahl": [f"{n} ({e})" for n, e in zip(d.kennzahlen["name"], d.kennzahlen["einheit"],
                                                                 strict=True)]})
    for c in cols:
        k[c] = [fmt_zahl(v, int(nk)) if v == v else "–"
                for v, nk in zip(d.kennzahlen[c], d.kennzahlen["nachkommastellen"], strict=True)]
    zeichen = {"Ertrag": "+ ", "Aufwand": "- ", "Summe": "= "}
    t = pd.DataFrame({"Nr.": d.teilergebnisplan["position_nr"].astype(int),
                      "Ertrags- und Aufwandsarten": [(zeichen[a] if n > 1 else "") + b for n, a, b in zip(
                          d.teilergebnisplan["position_nr"], d.teilergebnisplan["art"],
                          d.teilergebnisplan["bezeichnung"], strict=True)]})
    for c in cols:
        t[c] = [fmt_zahl(v, 0) for v in d.teilergebnisplan[c]]
    return k, t


def ziele_tabelle(ziele: pd.DataFrame, bewertung: pd.DataFrame) -> pd.DataFrame:
    """The goals linked to a product with their Ampel and its explaining sentence
    (``bewertung``: fis.controlling.bewerte_ziele). Column „Ampel“ holds the colour word."""
    b = bewertung.set_index("ziel_id")

    def feld(z, spalte):
        v = b[spalte].get(z)
        return v if isinstance(v, str) else None

    return pd.DataFrame({
        "Ampel": [feld(z, "ampel") or "–" for z in ziele["ziel_id"]],
        "Ziel": (ziele["ziel_id"] + " " + ziele["titel"]).tolist(), "Zielfeld": ziele["zielfeld"].tolist(),
        "Begründung": [feld(z, "text") or feld(z, "ampel_text") or "–" for z in ziele["ziel_id"]]})


# =========================================================================== Produktkritik

SKALA = {0: "kein", 1: "gering", 2: "mittel", 3: "hoch"}


def wirkung_pruefen(gewichte: pd.Series, beitraege: pd.DataFrame) -> list[str]:
    """German problems of a weight vector and a contribution matrix (scores 0–3)."""
    fehler = []
    if (gewichte < 0).any() or gewichte.isna().any():
        fehler.append("Gewichte müssen Zahlen ab 0 sein.")
    if gewichte.fillna(0).sum() <= 0:
        fehler.append("Mindestens ein strategisches Ziel braucht ein Gewicht größer als 0.")
    werte = beitraege.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(werte).any():
        fehler.append("Jeder Beitrag braucht einen Wert von 0 (kein) bis 3 (hoch).")
    elif ((werte < 0) | (werte > 3) | (werte != np.round(werte))).any():
        fehler.append("Beiträge sind ganze Zahlen von 0 (kein) bis 3 (hoch).")
    return fehler


def wirkung_speichern(store, gewichte: pd.Series, ist: pd.DataFrame, soll: pd.DataFrame,
                      benutzer: Benutzer | str) -> int:
    """Store weights and the Ist/Soll contribution matrices (index: product nr, columns:
    goal ids) in one transaction with an audit entry listing every changed cell. Returns
    the number of changed cells; raises ValueError with German problems."""
    benutzer = handelnder(benutzer, "produkte_bearbeiten")
    fehler = wirkung_pruefen(gewichte, ist) + wirkung_pruefen(gewichte, soll)
    if fehler:
        raise ValueError(" ".join(dict.fromkeys(fehler)))
    alt_g, alt_b = store.lade_wirkung()
    alt_g = alt_g.set_index("ziel_id")["gewicht"]
    alt_b = alt_b.set_index(["produkt_nr", "ziel_id"])
    aenderungen = {}
    for z, g in gewichte.items():
        if z not in alt_g.index or not np.isclose(alt_g[z], g):
            aenderungen[f"Gewicht {z}"] = {"vorher": None if z not in alt_g.index else float(alt_g[z]),
                                           "nachher": float(g)}
    rows = []
    for nr in ist.index:
        for z in ist.columns:
            b, bs = int(ist.at[nr, z]), int(soll.at[nr, z])
            rows.append((nr, z, b, bs))
            vorher = alt_b.loc[(nr, z)] if (nr, z) in alt_b.index else None
            for feld, neu in (("beitrag", b), ("beitrag_soll", bs)):
                alt = None if vorher is None or pd.isna(vorher[feld]) else int(vorher[feld])
                if alt != neu:
                    aenderungen[f"{feld} {nr} {z}"] = {"vorher": alt, "nachher": neu}
    if not aenderungen:
        return 0
    with store.transaction():
        store.replace_wirkung(pd.DataFrame({"ziel_id": gewichte.index, "gewicht": gewichte.values.astype(float)}),
                              pd.DataFrame(rows, columns=["produkt_nr", "ziel_id", "beitrag", "beitrag_soll"]))
        store.insert_audit(benutzer, "wirkungsbeitrag_geaendert", "wirkungsbeitrag", None, aenderungen)
    return len(aenderungen)


def wirkungsmatrix(store, p: Produktdaten, ziele: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Weights and Ist/Soll matrices for all products × strategic goals (the Leitziele);
    cells not yet stored are 0, weights not yet stored are equal."""
    leit = ziele[ziele["zielebene"] == "Leitziel"]["ziel_id"].tolist()
    g, b = store.lade_wirkung()
    gewichte = g.set_index("ziel_id")["gewicht"].reindex(leit)
    if gewichte.isna().all():
        gewichte = pd.Series(1.0, index=leit)
    gewichte = gewichte.fillna(0.0)
    nrs = list(p.produkte["nr"])
    ist = b.pivot(index="produkt_nr", columns="ziel_id", values="beitrag") if len(b) else pd.DataFrame()
    soll = b.pivot(index="produkt_nr", columns="ziel_id", values="beitrag_soll") if len(b) else pd.DataFrame()
    ist = ist.reindex(index=nrs, columns=leit).fillna(0).astype(int)
    soll = soll.reindex(index=nrs, columns=leit)
    soll = soll.fillna(ist).astype(int)
    return gewichte, ist, soll


def produktkritik(p: Produktdaten, gewichte: pd.Series, ist: pd.DataFrame, soll: pd.DataFrame,
                  jahr_ist: tuple[int, str], jahr_soll: tuple[int, str], grenzen: tuple[float, float]) -> pd.DataFrame:
    """One row per product: Aufwand (all expense lines, positive) now and planned,
    Wirkungsbeitrag now and intended in points (0–100: weighted score ÷ 3 × 100),
    Wirkungsbeitrag per 1.000 € and per 1 Mio. € Aufwand, ranks, ABC class."""
    def aufwand(jahr, art):
        t = p.tep[(p.tep["jahr"] == jahr) & (p.tep["wertart"] == art) & (p.tep["monat"] == 0)]
        arten = p.positionen.set_index("position_nr")["art"]
        t = t[t["position_nr"].map(arten) == "Aufwand"]
        return -t.groupby("produkt_nr")["betrag"].sum()

    a_ist, a_soll = aufwand(*jahr_ist), aufwand(*jahr_soll)
    wb, wb_soll = wirkungsbeitrag(gewichte, ist), wirkungsbeitrag(gewichte, soll)
    out = p.produkte[["nr", "name", "gruppe_nr"]].copy()
    out["aufwand"] = out["nr"].map(a_ist).fillna(0.0)
    out["aufwand_soll"] = out["nr"].map(a_soll).fillna(0.0)
    # Wirkungsbeitrag in points: the weighted score as a share of the maximum (3 = hoch everywhere)
    out["wirkungsbeitrag"] = out["nr"].map(wb).fillna(0.0) / 3 * 100
    out["wirkungsbeitrag_soll"] = out["nr"].map(wb_soll).fillna(0.0) / 3 * 100
    out["je_1000_euro"] = np.where(out["aufwand"] > 0, out["wirkungsbeitrag"] / out["aufwand"] * 1000, np.nan)
    out["je_mio_euro"] = out["je_1000_euro"] * 1000
    out["rang_wirkung"] = out["wirkungsbeitrag"].rank(ascending=False, method="min").astype(int)
    out["rang_je_euro"] = out["je_1000_euro"].rank(ascending=False, method="min").astype("Int64")
    abc = abc_analyse(out.set_index("nr")["aufwand"], grenzen).set_index("nr")
    out = out.join(abc[["anteil", "kumuliert", "klasse"]], on="nr")
    return out.sort_values("rang_je_euro").reset_index(drop=True)


# =========================================================================== SROI analyses (stored)



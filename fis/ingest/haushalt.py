"""Finance-system exports: Teilergebnisplan lines per product, year, month and Wertart.

One row per amount, in CSV or Excel, columns (names are matched loosely):

    produkt;position;jahr;monat;wertart;betrag
    11.05.01.01;15;2026;0;Ansatz;-80.605.479
    11.05.01.01;15;2026;1;Ist;-6.512.004,17

``monat`` 0 or empty = the whole year. ``wertart``: Ansatz, Planung, Ist or Prognose.
Amounts as in the plan: Erträge positive, Aufwendungen negative. Rows for a Produktgruppe
or Produktbereich number and for sum lines (10, 17, 18, …) are not stored: they are
compared with the sum of their parts, and every difference is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fis.format import fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import Kontext, Pruefregel, anwenden, ohne_detail, spalte_fehlt, spalten_zuordnen, zeilen
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, parse_zahlen
from fis.produkte import _summe_aus, konsistenz
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ROLLEN = {"produkt": ("produkt", "produkt_nr", "produktnummer", "produkt nr", "nr", "numerik"),
          "position": ("position", "position_nr", "zeile", "rd nr", "rd. nr.", "rdnr", "nkf zeile"),
          "jahr": ("jahr", "haushaltsjahr"),
          "monat": ("monat",),
          "wertart": ("wertart", "art", "werteart"),
          "betrag": ("betrag", "wert", "eur", "betrag eur")}
WERTARTEN = {"ansatz": "Ansatz", "planung": "Planung", "ist": "Ist", "prognose": "Prognose"}
SCHLUESSEL = ["produkt_nr", "position_nr", "jahr", "monat", "wertart"]


@dataclass
class HaushaltVorbereitung:
    tabelle: Tabelle
    zeilen: pd.DataFrame          # rows to store (products, non-sum lines)
    summen: pd.DataFrame          # delivered totals (groups, areas, sum lines): checked, not stored
    abweichungen: pd.DataFrame    # totals that differ from the sum of their parts
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and not self.zeilen.empty


def _ganzzahl(rolle: str, lo: int, hi: int, feld: str | None = None) -> Pruefregel:
    def finden(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
        w = d[feld or rolle]
        return zeilen(d, w.isna() | (w < lo) | (w > hi) | (w != w.round()), k.spalte(rolle), f"roh_{rolle}")
    return Pruefregel(f"haushalt_{rolle}", "Fehler", f"Ungültige Angabe „{rolle}“",
                      f"{{n:Eintrag hat|Einträge haben}} in „{rolle}“ keine ganze Zahl von {lo} bis {hi}.",
                      finden=finden)


def _summe_detail(u: pd.DataFrame, funde, k: Kontext) -> pd.DataFrame:
    return u.assign(zeile="", spalte="betrag", wert=u["geliefert"],
                    hinweis=[f"{r.ebene} {r.nr}, Zeile {r.position_nr}, {r.wertart} {r.jahr}"
                             + (f"/{r.monat:02d}" if r.monat else "") + f": Teile ergeben {fmt_zahl(r.summe_teile, 2)}"
                             for r in u.itertuples()])


#: The checks of a finance export: the header, the rows, the delivered totals.
HAUSHALT_KOPF: tuple[Pruefregel, ...] = (
    spalte_fehlt("haushalt", ROLLEN, [r for r in ROLLEN if r != "monat"]),
)
HAUSHALT_ZEILEN: tuple[Pruefregel, ...] = (
    _ganzzahl("position", 1, 99, "position_nr"), _ganzzahl("jahr", 1990, 2100), _ganzzahl("monat", 0, 12),
    Pruefregel("haushalt_wertart", "Fehler", "Unbekannte Wertart", "{n:Eintrag hat|Einträge haben} eine unbekannte "
               "Wertart; erlaubt sind Ansatz, Planung, Ist und Prognose.",
               finden=lambda d, k: zeilen(d, d["wertart"].isna(), k.spalte("wertart"), "roh_wertart")),
    Pruefregel("haushalt_betrag", "Fehler", "Kein Betrag", "{n:Eintrag hat|Einträge haben} keinen lesbaren Betrag.",
               finden=lambda d, k: zeilen(d, d["betrag_unlesbar"], k.spalte("betrag"), "roh_betrag")),
    Pruefregel("haushalt_produkt_unbekannt", "Fehler", "Unbekanntes Produkt",
               "{n:Eintrag nennt|Einträge nennen} eine Nummer, die weder Produkt noch Produktgruppe noch "
               "Produktbereich ist.", abhilfe="Bitte zuerst die Produkte liefern oder die Nummer korrigieren.",
               finden=lambda d, k: zeilen(d, ~d["produkt_nr"].isin(k.felder["nummern"]), k.spalte("produkt"),
                                          "produkt_nr")),
    Pruefregel("haushalt_position_unbekannt", "Fehler", "Unbekannte Zeile",
               "{n:Eintrag nennt|Einträge nennen} eine Position, die der Teilergebnisplan (NKF) nicht kennt.",
               finden=lambda d, k: zeilen(d, d["position_nr"].notna() & ~d["position_nr"].isin(k.felder["positionen"]),
                                          k.spalte("position"), "position_nr")),
    Pruefregel("haushalt_doppelt", "Fehler", "Doppelte Zeile", "{n:Eintrag nennt|Einträge nennen} denselben Betrag "
               "(Produkt, Zeile, Jahr, Monat, Wertart) mehrfach.",
               finden=lambda d, k: zeilen(d, d.duplicated(SCHLUESSEL, keep=False) & d[SCHLUESSEL].notna().all(axis=1),
                                          "", "produkt_nr")),
)
HAUSHALT_SUMMEN: tuple[Pruefregel, ...] = (
    Pruefregel("haushalt_summe_abweichend", "Warnung", "Summe stimmt nicht",
               "{n:gelieferte Summe weicht|gelieferte Summen weichen} von der Summe ihrer Teile ab (Liste im "
               "Prüfbericht). Gespeichert werden die Einzelbeträge; Summen rechnet das System selbst.", _summe_detail),
    Pruefregel("haushalt_summen", "Hinweis", "Summen geprüft",
               "{n:Summenzeile (Produktgruppe, -bereich oder Summe des Teilergebnisplans) wurde|Summenzeilen "
               "(Produktgruppen, -bereiche oder Summen des Teilergebnisplans) wurden} geprüft und nicht gespeichert.",
               ohne_detail),
)
HAUSHALT_REGELN = HAUSHALT_KOPF + HAUSHALT_ZEILEN + HAUSHALT_SUMMEN


def _lesen(d: pd.DataFrame, spalten: dict[str, str]) -> pd.DataFrame:
    """The delivered rows typed (NaN where unreadable), beside the delivered text of each field."""
    frame = pd.DataFrame({"zeile": np.arange(2, len(d) + 2), "produkt_nr": d[spalten["produkt"]].astype(str)
                          .str.strip()}, index=d.index)
    for rolle in ("position", "jahr", "monat"):
        text = d[spalten[rolle]].astype(str).str.strip() if rolle in spalten else pd.Series("", index=d.index)
        if rolle == "monat":
            text = text.replace("", "0")
        frame[f"roh_{rolle}"] = text
        ganz = text.str.replace(",0", "", regex=False).str.replace(".0", "", regex=False)
        frame["position_nr" if rolle == "position" else rolle] = pd.to_numeric(ganz, errors="coerce")
    frame["roh_wertart"] = d[spalten["wertart"]].astype(str).str.strip()
    frame["wertart"] = frame["roh_wertart"].str.lower().map(WERTARTEN)
    frame["roh_betrag"] = d[spalten["betrag"]].astype(str)
    stil, _, _ = dezimalstil(frame["roh_betrag"])
    frame["betrag"], fehlt, ungueltig = parse_zahlen(frame["roh_betrag"], "punkt" if stil == "punkt" else "komma")
    frame["betrag_unlesbar"] = fehlt | ungueltig
    return frame


def vorbereiten(store: Store, tabelle: Tabelle) -> HaushaltVorbereitung:
    """Read and check a finance export (:data:`HAUSHALT_REGELN`); nothing is written."""
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    leer = pd.DataFrame(columns=[*SCHLUESSEL, "betrag"])
    kopf = spalten_zuordnen(tabelle.spalten, ROLLEN)
    spalten = dict(zip(kopf["rolle"], kopf["spalte"], strict=True))
    anwenden(HAUSHALT_KOPF, kopf, Kontext(felder={"vorhanden": ", ".join(tabelle.spalten)}), bericht)
    if not bericht.ok:
        return HaushaltVorbereitung(tabelle, leer, leer, leer, bericht)
    spalten = {r: c for r, c in spalten.items() if c}
    produkte = store.lade_produkte()
    positionen = store.lade_ergebnisplan_positionen()
    summenzeilen = set(positionen.loc[positionen["art"] == "Summe", "position_nr"])
    gruppen = set(produkte["gruppe_nr"]) | set(produkte["bereich_nr"])
    frame = _lesen(tabelle.daten, spalten)
    kontext = Kontext(spalten=spalten, felder={"nummern": set(produkte["nr"]) | gruppen,
                                               "positionen": set(positionen["position_nr"])})
    anwenden(HAUSHALT_ZEILEN, frame, kontext, bericht)
    if not bericht.ok:
        return HaushaltVorbereitung(tabelle, leer, leer, leer, bericht)

    frame = frame[["zeile", *SCHLUESSEL, "betrag"]].astype({"position_nr": int, "jahr": int, "monat": int})
    ist_summe = frame["produkt_nr"].isin(gruppen) | frame["position_nr"].isin(summenzeilen)
    zeilen_, summen = frame[~ist_summe].drop(columns="zeile"), frame[ist_summe]
    abweichungen = _abweichungen(pd.concat([zeilen_, summen.drop(columns="zeile")]), produkte, positionen)
    anwenden(HAUSHALT_SUMMEN, frame, kontext, bericht,
             funde={"haushalt_summe_abweichend": abweichungen, "haushalt_summen": summen})
    return HaushaltVorbereitung(tabelle, zeilen_.reset_index(drop=True), summen, abweichungen, bericht)


def _abweichungen(alle: pd.DataFrame, produkte: pd.DataFrame, positionen: pd.DataFrame) -> pd.DataFrame:
    """Delivered totals against the sum of their parts: groups and areas (fis.produkte.konsistenz)
    and sum lines of the plan (10 = 1–9, 17 = 11–16, …) per product."""
    einzel = alle[alle["position_nr"].isin(set(positionen.loc[positionen["art"] != "Summe", "position_nr"]))]
    out = [konsistenz(einzel, produkte)]
    schluessel = ["produkt_nr", "jahr", "monat", "wertart"]
    for p in positionen[positionen["art"] == "Summe"].itertuples():
        geliefert = alle[alle["position_nr"] == p.position_nr]
        if geliefert.empty:
            continue
        teile = alle[alle["position_nr"].isin(_summe_aus(p.summe_aus))].groupby(schluessel)["betrag"].sum()
        g = geliefert.set_index(schluessel)["betrag"]
        v = pd.DataFrame({"geliefert": g, "summe_teile": teile.reindex(g.index).fillna(0.0)})
        v["differenz"] = v["geliefert"] - v["summe_teile"]
        v = v[v["differenz"].abs() > 0.5].reset_index().rename(columns={"produkt_nr": "nr"})
        out.append(v.assign(ebene="Summenzeile", position_nr=p.position_nr))
    frames = [f for f in out if len(f)]
    if not frames:
        return pd.DataFrame(columns=["ebene", "nr", "position_nr", "jahr", "monat", "wertart", "geliefert",
                                     "summe_teile", "differenz"])
    return pd.concat(frames, ignore_index=True)[["ebene", "nr", "position_nr", "jahr", "monat", "wertart",
                                                 "geliefert", "summe_teile", "differenz"]]


def uebernehmen(store: Store, v: HaushaltVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None) -> int:
    """Write the checked amounts atomically as one delivery (rollback-able like every delivery)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Lieferung hat Fehler oder keine Beträge und wird nicht übernommen.")
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="haushalt", bezeichnung=bezeichnung or v.tabelle.dateiname, benutzer=benutzer,
            dateiname=v.tabelle.dateiname, sha256=v.tabelle.sha256, quelle=quelle or "Finanzsystem",
            pruefergebnis={"fehler": 0, "warnungen": len(v.bericht.warnungen),
                           "abweichende_summen": len(v.abweichungen)}))
        store.insert_teilergebnisplan(v.zeilen.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.zeilen) + len(v.summen), len(v.zeilen), 0)
        store.insert_audit(benutzer, "import", "lieferung", str(lid),
                           {"art": "haushalt", "datei": v.tabelle.dateiname, "zeilen": len(v.zeilen)})
    return lid

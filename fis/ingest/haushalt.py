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
from fis.ingest.bericht import Pruefbericht, eintraege
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
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


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


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



def vorbereiten(store: Store, tabelle: Tabelle) -> HaushaltVorbereitung:
    """Read and check a finance export; nothing is written."""
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    leer = pd.DataFrame(columns=[*SCHLUESSEL, "betrag"])
    spalten = {}
    for rolle, namen in ROLLEN.items():
        treffer = [c for c in tabelle.spalten if _norm(c) in namen]
        if treffer:
            spalten[rolle] = treffer[0]
        elif rolle != "monat":
            bericht.add("Fehler", "Spalte fehlt", f"Die Spalte „{rolle}“ fehlt (erkannt werden: "
                        + ", ".join(f"„{n}“" for n in namen) + "). Vorhanden: " + ", ".join(tabelle.spalten) + ".")
    if not bericht.ok:
        return HaushaltVorbereitung(tabelle, leer, leer, leer, bericht)
    d = tabelle.daten
    zeile = pd.Series(np.arange(2, len(d) + 2), index=d.index)
    frame = pd.DataFrame({"zeile": zeile, "produkt_nr": d[spalten["produkt"]].astype(str).str.strip()})

    def ganzzahl(rolle, lo, hi, leer_als=None):
        text = d[spalten[rolle]].astype(str).str.strip() if rolle in spalten else pd.Series("", index=d.index)
        if leer_als is not None:
            text = text.replace("", str(leer_als))
        werte = pd.to_numeric(text.str.replace(",0", "", regex=False).str.replace(".0", "", regex=False),
                              errors="coerce")
        falsch = werte.isna() | (werte < lo) | (werte > hi) | (werte != werte.round())
        if falsch.any():
            bericht.add("Fehler", f"Ungültige Angabe „{rolle}“",
                        f"{eintraege(falsch, 'hat', 'haben')} in „{rolle}“ keine ganze Zahl von {lo} bis {hi}.",
                        pd.DataFrame({"zeile": zeile[falsch], "spalte": spalten.get(rolle, rolle),
                                      "wert": text[falsch]}))
        return werte

    frame["position_nr"] = ganzzahl("position", 1, 99)
    frame["jahr"] = ganzzahl("jahr", 1990, 2100)
    frame["monat"] = ganzzahl("monat", 0, 12, leer_als=0)
    art = d[spalten["wertart"]].astype(str).str.strip()
    frame["wertart"] = art.str.lower().map(WERTARTEN)
    falsch = frame["wertart"].isna()
    if falsch.any():
        bericht.add("Fehler", "Unbekannte Wertart", f"{eintraege(falsch, 'hat', 'haben')} eine unbekannte Wertart; "
                    "erlaubt sind Ansatz, Planung, Ist und Prognose.",
                    pd.DataFrame({"zeile": zeile[falsch], "spalte": spalten["wertart"], "wert": art[falsch]}))
    text = d[spalten["betrag"]].astype(str)
    stil, _, _ = dezimalstil(text)
    betrag, fehlt, ungueltig = parse_zahlen(text, "punkt" if stil == "punkt" else "komma")
    frame["betrag"] = betrag
    schlecht = fehlt | ungueltig
    if schlecht.any():
        bericht.add("Fehler", "Kein Betrag", f"{eintraege(schlecht, 'hat', 'haben')} keinen lesbaren Betrag.",
                    pd.DataFrame({"zeile": zeile[schlecht], "spalte": spalten["betrag"], "wert": text[schlecht]}))

    produkte = store.lade_produkte()
    positionen = store.lade_ergebnisplan_positionen()
    summenzeilen = set(positionen.loc[positionen["art"] == "Summe", "position_nr"])
    gruppen = set(produkte["gruppe_nr"]) | set(produkte["bereich_nr"])
    unbekannt = ~frame["produkt_nr"].isin(set(produkte["nr"]) | gruppen)
    if unbekannt.any():
        bericht.add("Fehler", "Unbekanntes Produkt",
                    f"{eintraege(unbekannt, 'nennt', 'nennen')} eine Nummer, die weder Produkt noch "
                    "Produktgruppe noch Produktbereich ist. Bitte zuerst die Produkte liefern oder die Nummer "
                    "korrigieren.",
                    pd.DataFrame({"zeile": zeile[unbekannt], "spalte": spalten["produkt"],
                                  "wert": frame.loc[unbekannt, "produkt_nr"]}))
    pos_unbekannt = frame["position_nr"].notna() & ~frame["position_nr"].isin(set(positionen["position_nr"]))
    if pos_unbekannt.any():
        bericht.add("Fehler", "Unbekannte Zeile", f"{eintraege(pos_unbekannt, 'nennt', 'nennen')} eine Position, "
                    "die der Teilergebnisplan (NKF) nicht kennt.",
                    pd.DataFrame({"zeile": zeile[pos_unbekannt], "spalte": spalten["position"],
                                  "wert": frame.loc[pos_unbekannt, "position_nr"]}))
    doppelt = frame.duplicated(SCHLUESSEL, keep=False) & frame[SCHLUESSEL].notna().all(axis=1)
    if doppelt.any():
        bericht.add("Fehler", "Doppelte Zeile", f"{eintraege(doppelt, 'nennt', 'nennen')} denselben Betrag "
                    "(Produkt, Zeile, Jahr, Monat, Wertart) mehrfach.",
                    pd.DataFrame({"zeile": zeile[doppelt], "spalte": "", "wert": frame.loc[doppelt, "produkt_nr"]}))
    if not bericht.ok:
        return HaushaltVorbereitung(tabelle, leer, leer, leer, bericht)

    frame = frame.astype({"position_nr": int, "jahr": int, "monat": int})
    ist_summe = frame["produkt_nr"].isin(gruppen) | frame["position_nr"].isin(summenzeilen)
    zeilen, summen = frame[~ist_summe].drop(columns="zeile"), frame[ist_summe]
    abweichungen = _abweichungen(pd.concat([zeilen, summen.drop(columns="zeile")]), produkte, positionen)
    if len(abweichungen):
        bericht.add("Warnung", "Summe stimmt nicht",
                    f"{len(abweichungen)} gelieferte Summen weichen von der Summe ihrer Teile ab (Liste im "
                    "Prüfbericht). Gespeichert werden die Einzelbeträge; Summen rechnet das System selbst.",
                    abweichungen.assign(zeile="", spalte="betrag", wert=abweichungen["geliefert"],
                                        hinweis=[f"{r.ebene} {r.nr}, Zeile {r.position_nr}, {r.wertart} {r.jahr}"
                                                 + (f"/{r.monat:02d}" if r.monat else "")
                                                 + f": Teile ergeben {fmt_zahl(r.summe_teile, 2)}"
                                                 for r in abweichungen.itertuples()]))
    if len(summen):
        bericht.add("Hinweis", "Summen geprüft", f"{len(summen)} Summenzeilen (Produktgruppen, -bereiche oder "
                    "Summen des Teilergebnisplans) wurden geprüft und nicht gespeichert.")
    return HaushaltVorbereitung(tabelle, zeilen.reset_index(drop=True), summen, abweichungen, bericht)


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

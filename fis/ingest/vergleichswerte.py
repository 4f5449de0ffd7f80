"""Vergleichswerte: values of external references – Land, Bund, Regierungsbezirk, Kreis, a Vergleichsring and
its member cities – per indicator and Stichtag (handbook Kap. 3.1, 6.5.4: interkommunaler Vergleich).

One row per value, CSV or Excel, columns (names are matched loosely):

    referenz;art;gruppe;indikator;stichtag;wert
    Nordrhein-Westfalen;Land;;sgb2_quote;31.12.2024;11,9
    Deutschland;Bund;;sgb2_quote;31.12.2024;8,2
    Herne;Vergleichsstadt;Vergleichsring Ruhr;sgb2_quote;31.12.2024;18,4

``art``: Land, Bund, Regierungsbezirk, Kreis, Vergleichsring (a ring's own figure, e.g. its mean) or
Vergleichsstadt (a member, ``gruppe`` names its ring). Values in the indicator's unit as in the catalog. A
reference is its own area type, never part of the city's hierarchy: nothing here changes an area's value.
Deliveries are versioned, published and rolled back like every delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import (
    Kontext,
    Pruefregel,
    anwenden,
    liste,
    normiert,
    spalte_fehlt,
    spalten_zuordnen,
    zeilen,
)
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, heute, parse_datum, parse_zahlen
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ART = "vergleichswerte"
ROLLEN = {"referenz": ("referenz", "vergleich", "gebiet", "name", "region", "vergleichsgebiet"),
          "art": ("art", "typ", "ebene", "referenzart"),
          "gruppe": ("gruppe", "vergleichsring", "ring"),
          "indikator": ("indikator", "indikator_id", "kennung", "merkmal"),
          "stichtag": ("stichtag", "datum", "jahr"),
          "wert": ("wert", "value", "anteil", "quote")}
PFLICHT = ("referenz", "art", "indikator", "stichtag", "wert")
ARTEN = {"land": "Land", "bundesland": "Land", "bund": "Bund", "deutschland": "Bund",
         "regierungsbezirk": "Regierungsbezirk", "kreis": "Kreis", "vergleichsring": "Vergleichsring",
         "vergleichsstadt": "Vergleichsstadt", "vergleichskommune": "Vergleichsstadt", "stadt": "Vergleichsstadt"}
SCHLUESSEL = ["referenz", "indikator_id", "stichtag"]


@dataclass
class VergleichVorbereitung:
    tabelle: Tabelle
    werte: pd.DataFrame           # referenz, art, gruppe, indikator_id, stichtag, wert
    neu: int                      # keys without a current value
    geaendert: int                # keys whose current value differs
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and not self.werte.empty


#: The checks of a delivery of Vergleichswerte: the header, then the rows.
VERGLEICH_KOPF: tuple[Pruefregel, ...] = (spalte_fehlt("vergleich", ROLLEN, PFLICHT),)
VERGLEICH_REGELN: tuple[Pruefregel, ...] = (
    Pruefregel("vergleich_referenz_leer", "Fehler", "Referenz fehlt",
               "{n:Zeile nennt|Zeilen nennen} keine Referenz (z. B. Nordrhein-Westfalen, Deutschland, Herne).",
               finden=lambda d, k: zeilen(d, d["referenz"] == "", k.spalte("referenz"), "referenz")),
    Pruefregel("vergleich_art", "Fehler", "Unbekannte Art",
               "{n:Zeile hat|Zeilen haben} eine unbekannte Art; erlaubt sind Land, Bund, Regierungsbezirk, Kreis, "
               "Vergleichsring und Vergleichsstadt.",
               finden=lambda d, k: zeilen(d, d["art"].isna(), k.spalte("art"), "roh_art")),
    Pruefregel("vergleich_indikator_unbekannt", "Fehler", "Unbekannter Indikator",
               lambda u, f, k: f"{len(u)} {'Zeile nennt' if len(u) == 1 else 'Zeilen nennen'} einen Indikator, den "
                               f"der Katalog nicht kennt: {liste(sorted(set(u['wert'])))}.",
               abhilfe="Kennung wie im Indikatorenkatalog schreiben oder den Indikator zuerst in den Katalog "
                       "aufnehmen.",
               finden=lambda d, k: zeilen(d, ~d["indikator_id"].isin(k.felder["katalog"]), k.spalte("indikator"),
                                          "indikator_id")),
    Pruefregel("vergleich_stichtag", "Fehler", "Kein Datum",
               "{n:Zeile hat|Zeilen haben} keinen lesbaren Stichtag (TT.MM.JJJJ oder Jahr).",
               finden=lambda d, k: zeilen(d, d["stichtag"].isna(), k.spalte("stichtag"), "roh_stichtag")),
    Pruefregel("vergleich_zukunft", "Fehler", "Stichtag in der Zukunft",
               "{n:Zeile liegt|Zeilen liegen} in der Zukunft: Vergleichswerte sind beobachtete Werte.",
               finden=lambda d, k: zeilen(d, d["stichtag"].notna() & (d["stichtag"] > pd.Timestamp(k.heute)),
                                          k.spalte("stichtag"), "roh_stichtag")),
    Pruefregel("vergleich_wert", "Fehler", "Kein Wert",
               "{n:Zeile hat|Zeilen haben} keinen lesbaren Wert.",
               finden=lambda d, k: zeilen(d, d["wert"].isna(), k.spalte("wert"), "roh_wert")),
    Pruefregel("vergleich_doppelt", "Fehler", "Doppelte Zeile",
               "{n:Zeile nennt|Zeilen nennen} denselben Wert (Referenz, Indikator, Stichtag) mehrfach.",
               finden=lambda d, k: zeilen(d, d.duplicated(SCHLUESSEL, keep=False) & d[SCHLUESSEL].notna().all(axis=1),
                                          "", "referenz")),
    Pruefregel("vergleich_prozent", "Warnung", "Anteil über 100 %",
               "{n:Wert eines Prozent-Indikators liegt|Werte von Prozent-Indikatoren liegen} über 100 oder unter 0.",
               abhilfe="Anteile in Prozent liefern (18,4, nicht 0,184 oder 1.840).",
               finden=lambda d, k: zeilen(d, d["indikator_id"].isin(k.felder["prozent"])
                                          & ((d["wert"] > 100) | (d["wert"] < 0)), k.spalte("wert"), "roh_wert")),
    Pruefregel("vergleich_ring_ohne_gruppe", "Warnung", "Vergleichsstadt ohne Ring",
               "{n:Vergleichsstadt nennt|Vergleichsstädte nennen} keinen Vergleichsring (Spalte „gruppe“): sie "
               "zählen zu keinem Ring und erscheinen in keiner Rangfolge.",
               finden=lambda d, k: zeilen(d, (d["art"] == "Vergleichsstadt") & (d["gruppe"] == ""),
                                          k.spalte("gruppe"), "referenz")),
)


def _lesen(d: pd.DataFrame, spalten: dict[str, str]) -> pd.DataFrame:
    """The delivered rows typed (NaN/None where unreadable), beside the delivered text of each field."""
    def text(rolle: str) -> pd.Series:
        return d[spalten[rolle]].astype(str).str.strip() if rolle in spalten else pd.Series("", index=d.index)

    frame = pd.DataFrame({"zeile": range(2, len(d) + 2), "referenz": text("referenz"), "gruppe": text("gruppe"),
                          "indikator_id": text("indikator"), "roh_art": text("art"),
                          "roh_stichtag": text("stichtag"), "roh_wert": text("wert")}, index=d.index)
    frame["art"] = frame["roh_art"].map(lambda a: ARTEN.get(normiert(a)))
    datum, _, _ = parse_datum(frame["roh_stichtag"])
    frame["stichtag"] = datum
    stil, _, _ = dezimalstil(frame["roh_wert"])
    frame["wert"], _, _ = parse_zahlen(frame["roh_wert"], "punkt" if stil == "punkt" else "komma")
    return frame


def vorbereiten(store: Store, tabelle: Tabelle) -> VergleichVorbereitung:
    """Read and check a delivery of Vergleichswerte (:data:`VERGLEICH_KOPF`, :data:`VERGLEICH_REGELN`); nothing
    is written."""
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    leer = pd.DataFrame(columns=["referenz", "art", "gruppe", "indikator_id", "stichtag", "wert"])
    kopf = spalten_zuordnen(tabelle.spalten, ROLLEN)
    spalten = dict(zip(kopf["rolle"], kopf["spalte"], strict=True))
    anwenden(VERGLEICH_KOPF, kopf, Kontext(felder={"vorhanden": ", ".join(tabelle.spalten)}), bericht)
    if not bericht.ok:
        return VergleichVorbereitung(tabelle, leer, 0, 0, bericht)
    spalten = {r: c for r, c in spalten.items() if c}
    katalog = store.lade_indikatoren()
    frame = _lesen(tabelle.daten, spalten)
    kontext = Kontext(spalten=spalten, heute=heute(), felder={
        "katalog": set(katalog["indikator_id"]),
        "prozent": set(katalog.loc[katalog["einheit"].isin(["%", "Prozent"]), "indikator_id"])})
    anwenden(VERGLEICH_REGELN, frame, kontext, bericht)
    if not bericht.ok:
        return VergleichVorbereitung(tabelle, leer, 0, 0, bericht)
    werte = frame[["referenz", "art", "gruppe", "indikator_id", "stichtag", "wert"]].copy()
    werte["stichtag"] = werte["stichtag"].dt.date
    werte["gruppe"] = werte["gruppe"].where(werte["gruppe"] != "", None)
    bisher = store.lade_vergleichswerte()
    bisher = bisher.assign(stichtag=pd.to_datetime(bisher["stichtag"])).set_index(SCHLUESSEL)["wert"]
    vergleich = werte.assign(stichtag=pd.to_datetime(werte["stichtag"])).set_index(SCHLUESSEL)["wert"]
    alt = bisher.reindex(vergleich.index)
    neu, geaendert = int(alt.isna().sum()), int((alt.notna() & ((alt - vergleich).abs() > 1e-9)).sum())
    return VergleichVorbereitung(tabelle, werte.reset_index(drop=True), neu, geaendert, bericht)


def vorschau(v: VergleichVorbereitung) -> str:
    if v.werte.empty:
        return "keine übernehmbaren Werte"
    referenzen = v.werte.drop_duplicates("referenz")
    return (f"{len(v.werte)} Werte für {len(referenzen)} Referenzen ({liste(sorted(referenzen['referenz']), 4)}): "
            f"{v.neu} neu, {v.geaendert} geändert")


def uebernehmen(store: Store, v: VergleichVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, zeitpunkt: datetime | None = None) -> int:
    """Write the checked values atomically as one delivery (published and rolled back like every delivery).
    ``zeitpunkt``: when it was delivered (default now; the demo's history gives its own)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Lieferung hat Fehler oder keine Werte und wird nicht übernommen.")
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art=ART, bezeichnung=bezeichnung or f"Vergleichswerte ({v.tabelle.dateiname})", benutzer=benutzer,
            dateiname=v.tabelle.dateiname, sha256=v.tabelle.sha256, quelle=quelle, zeitpunkt=zeitpunkt,
            pruefergebnis={"fehler": 0, "warnungen": len(v.bericht.warnungen)}))
        store.insert_vergleichswerte(v.werte.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.werte), v.neu, v.geaendert)
        store.insert_audit(benutzer, "import", "lieferung", str(lid),
                           {"art": ART, "datei": v.tabelle.dateiname, "werte": len(v.werte),
                            "referenzen": int(v.werte["referenz"].nunique())})
    return lid

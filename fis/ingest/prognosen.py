"""Prognosen: a Bevölkerungsvorausberechnung (or another projection) per area, Merkmal, future Stichtag and variant,
its own delivery kind – never mixed with observed values (handbook Kap. 2.4.2: Bedarfsplanung).

One row per value, CSV or Excel, columns (names are matched loosely):

    raum;merkmal;name;stichtag;variante;wert;basisjahr
    0101;bev_u6;Kinder unter 6 Jahren;31.12.2030;Basis;412
    0101;bev_u6;Kinder unter 6 Jahren;31.12.2030;hoch;431

``merkmal``: an age band of the projection (any Kennung, with its ``name``) or an indicator of the catalog
(``bev_gesamt``; the name may be left empty). ``variante``: Basis, hoch, niedrig or the city's own names (empty:
Basis). ``basisjahr``: the last observed year; rows of that year are the starting values (the change is measured
against them), no Stichtag may lie before it. Versioned, published and rolled back like every delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import Kontext, Pruefregel, anwenden, liste, spalte_fehlt, spalten_zuordnen, zeilen
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, parse_datum, parse_zahlen
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ART = "prognosen"
ROLLEN = {"raum": ("raum", "raum_id", "gebiet", "sozialraum", "kennung"),
          "merkmal": ("merkmal", "indikator", "altersgruppe", "merkmal_id"),
          "name": ("name", "bezeichnung", "merkmal_name"),
          "stichtag": ("stichtag", "datum", "jahr", "prognosejahr"),
          "variante": ("variante", "szenario"),
          "wert": ("wert", "anzahl", "einwohner", "personen"),
          "basisjahr": ("basisjahr", "basis", "ausgangsjahr")}
PFLICHT = ("raum", "merkmal", "stichtag", "wert")
SCHLUESSEL = ["raum_id", "merkmal", "stichtag", "variante"]


@dataclass
class PrognoseVorbereitung:
    tabelle: Tabelle
    werte: pd.DataFrame           # raum_id, merkmal, merkmal_name, stichtag, variante, wert, basisjahr
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and not self.werte.empty


#: The checks of a projection: the header, then the rows.
PROGNOSE_KOPF: tuple[Pruefregel, ...] = (spalte_fehlt("prognose", ROLLEN, PFLICHT),)
PROGNOSE_REGELN: tuple[Pruefregel, ...] = (
    Pruefregel("prognose_raum_unbekannt", "Fehler", "Unbekannter Raum",
               lambda u, f, k: f"{len(u)} {'Zeile nennt' if len(u) == 1 else 'Zeilen nennen'} einen Raum, den die "
                               f"Raumgliederung nicht kennt: {liste(sorted(set(u['wert'])))}.",
               abhilfe="Kennungen wie in der Raumgliederung schreiben (führende Nullen).",
               finden=lambda d, k: zeilen(d, ~d["raum_id"].isin(k.felder["raeume"]), k.spalte("raum"), "raum_id")),
    Pruefregel("prognose_merkmal_ohne_name", "Fehler", "Merkmal ohne Namen",
               lambda u, f, k: f"{len(u)} {'Zeile nennt' if len(u) == 1 else 'Zeilen nennen'} ein Merkmal, das "
                               f"weder im Katalog steht noch einen Namen hat: {liste(sorted(set(u['wert'])))}.",
               abhilfe="In der Spalte „name“ sagen, was gezählt wird (z. B. Kinder unter 6 Jahren).",
               finden=lambda d, k: zeilen(d, (d["merkmal"] == "") | ((d["merkmal_name"] == "")
                                                                     & ~d["merkmal"].isin(k.felder["katalog"])),
                                          k.spalte("merkmal"), "merkmal")),
    Pruefregel("prognose_stichtag", "Fehler", "Kein Datum",
               "{n:Zeile hat|Zeilen haben} keinen lesbaren Stichtag (TT.MM.JJJJ oder Jahr).",
               finden=lambda d, k: zeilen(d, d["stichtag"].isna(), k.spalte("stichtag"), "roh_stichtag")),
    Pruefregel("prognose_vor_basisjahr", "Fehler", "Stichtag vor dem Basisjahr",
               "{n:Zeile liegt|Zeilen liegen} vor dem Basisjahr: eine Prognose beginnt mit dem letzten beobachteten "
               "Jahr (dem Ausgangswert); frühere Werte gehören in eine Lieferung von Indikatorwerten.",
               finden=lambda d, k: zeilen(d, d["stichtag"].notna() & d["basisjahr"].notna()
                                          & (d["stichtag"].dt.year < d["basisjahr"]), k.spalte("stichtag"),
                                          "roh_stichtag")),
    Pruefregel("prognose_wert", "Fehler", "Kein Wert", "{n:Zeile hat|Zeilen haben} keinen lesbaren Wert.",
               finden=lambda d, k: zeilen(d, d["wert"].isna(), k.spalte("wert"), "roh_wert")),
    Pruefregel("prognose_negativ", "Fehler", "Negative Anzahl", "{n:Wert ist|Werte sind} negativ.",
               finden=lambda d, k: zeilen(d, d["wert"] < 0, k.spalte("wert"), "roh_wert")),
    Pruefregel("prognose_doppelt", "Fehler", "Doppelte Zeile",
               "{n:Zeile nennt|Zeilen nennen} denselben Wert (Raum, Merkmal, Stichtag, Variante) mehrfach.",
               finden=lambda d, k: zeilen(d, d.duplicated(SCHLUESSEL, keep=False) & d[SCHLUESSEL].notna().all(axis=1),
                                          "", "raum_id")),
    Pruefregel("prognose_ohne_basisjahr", "Warnung", "Basisjahr fehlt",
               "{n:Zeile nennt|Zeilen nennen} kein Basisjahr: der Stand der Prognose ist nicht dokumentiert.",
               finden=lambda d, k: zeilen(d, d["basisjahr"].isna(), k.spalte("basisjahr"), "roh_basisjahr")),
)


def _lesen(d: pd.DataFrame, spalten: dict[str, str]) -> pd.DataFrame:
    def text(rolle: str) -> pd.Series:
        return d[spalten[rolle]].astype(str).str.strip() if rolle in spalten else pd.Series("", index=d.index)

    frame = pd.DataFrame({"zeile": range(2, len(d) + 2), "raum_id": text("raum"), "merkmal": text("merkmal"),
                          "merkmal_name": text("name"), "variante": text("variante").replace("", "Basis"),
                          "roh_stichtag": text("stichtag"), "roh_wert": text("wert"),
                          "roh_basisjahr": text("basisjahr")}, index=d.index)
    frame["stichtag"], _, _ = parse_datum(frame["roh_stichtag"])
    stil, _, _ = dezimalstil(frame["roh_wert"])
    frame["wert"], _, _ = parse_zahlen(frame["roh_wert"], "punkt" if stil == "punkt" else "komma")
    frame["basisjahr"] = pd.to_numeric(frame["roh_basisjahr"], errors="coerce")
    return frame


def vorbereiten(store: Store, tabelle: Tabelle) -> PrognoseVorbereitung:
    """Read and check a projection (:data:`PROGNOSE_KOPF`, :data:`PROGNOSE_REGELN`); nothing is written."""
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    leer = pd.DataFrame(columns=[*SCHLUESSEL, "merkmal_name", "wert", "basisjahr"])
    kopf = spalten_zuordnen(tabelle.spalten, ROLLEN)
    spalten = dict(zip(kopf["rolle"], kopf["spalte"], strict=True))
    anwenden(PROGNOSE_KOPF, kopf, Kontext(felder={"vorhanden": ", ".join(tabelle.spalten)}), bericht)
    if not bericht.ok:
        return PrognoseVorbereitung(tabelle, leer, bericht)
    spalten = {r: c for r, c in spalten.items() if c}
    katalog = store.lade_indikatoren().set_index("indikator_id")["name"]
    frame = _lesen(tabelle.daten, spalten)
    anwenden(PROGNOSE_REGELN, frame, Kontext(spalten=spalten, felder={
        "raeume": set(store.lade_raeume()["raum_id"]), "katalog": set(katalog.index)}), bericht)
    if not bericht.ok:
        return PrognoseVorbereitung(tabelle, leer, bericht)
    frame["merkmal_name"] = frame["merkmal_name"].where(frame["merkmal_name"] != "", frame["merkmal"].map(katalog))
    werte = frame[["raum_id", "merkmal", "merkmal_name", "stichtag", "variante", "wert", "basisjahr"]].copy()
    werte["stichtag"] = werte["stichtag"].dt.date
    werte["basisjahr"] = werte["basisjahr"].astype("Int64")
    return PrognoseVorbereitung(tabelle, werte.reset_index(drop=True), bericht)


def vorschau(v: PrognoseVorbereitung) -> str:
    if v.werte.empty:
        return "keine übernehmbaren Werte"
    w = v.werte
    jahre = pd.to_datetime(w["stichtag"]).dt.year
    return (f"{len(w)} Werte: {w['raum_id'].nunique()} Räume, {w['merkmal'].nunique()} Merkmale "
            f"({liste(sorted(w['merkmal_name'].unique()), 3)}), {jahre.min()}–{jahre.max()}, Varianten "
            f"{', '.join(sorted(w['variante'].unique()))}")


def uebernehmen(store: Store, v: PrognoseVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, zeitpunkt: datetime | None = None) -> int:
    """Write the checked projection atomically as one delivery."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Prognose hat Fehler oder keine Werte und wird nicht übernommen.")
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art=ART, bezeichnung=bezeichnung or f"Prognose ({v.tabelle.dateiname})", benutzer=benutzer,
            dateiname=v.tabelle.dateiname, sha256=v.tabelle.sha256, quelle=quelle, zeitpunkt=zeitpunkt,
            pruefergebnis={"fehler": 0, "warnungen": len(v.bericht.warnungen)}))
        store.insert_prognosen(v.werte.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.werte), len(v.werte), 0)
        store.insert_audit(benutzer, "import", "lieferung", str(lid),
                           {"art": ART, "datei": v.tabelle.dateiname, "werte": len(v.werte)})
    return lid

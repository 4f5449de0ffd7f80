"""Product master data with the texts of the Produktdatenblatt (CSV or Excel).

One row per Produktbereich (11.05), Produktgruppe (11.05.01) or Produkt (11.05.01.01);
the level follows from the number. Columns: nr, name and optionally verantwortlich,
organisationseinheit, gremium, beschreibung, zielsetzung, zielerreichung, zielgruppe,
besonderheiten, rechtsgrundlage. Existing numbers are updated (empty cells keep the
stored text), new ones added; every change is audited with before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import KEINE_AENDERUNG, Kontext, Pruefregel, anwenden, zeilen
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

TEXTE = ("verantwortlich", "organisationseinheit", "gremium", "beschreibung", "zielsetzung", "zielerreichung",
         "zielgruppe", "besonderheiten", "rechtsgrundlage")
NUMMER = re.compile(r"^\d{2}(\.\d{2}){1,3}$")
EBENEN = {2: "produktbereich", 3: "produktgruppe", 4: "produkt"}
SPALTEN_JE_EBENE = {
    "produktbereich": ("nr", "name", "verantwortlich"),
    "produktgruppe": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit", "gremium", "beschreibung",
                      "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten"),
    "produkt": ("nr", "gruppe_nr", "name", *TEXTE),
}


@dataclass
class ProduktVorbereitung:
    tabelle: Tabelle
    zeilen: dict[str, pd.DataFrame]      # per level: rows after merging with the stored ones
    aenderungen: list[dict]              # nr, ebene, feld, vorher, nachher
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and bool(self.aenderungen)



def _eltern_fehlt(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
    """Rows whose parent number (11.05.01 for 11.05.01.01) is neither delivered nor stored."""
    gueltig = d[d["nr"].str.match(NUMMER)]
    eltern = gueltig["nr"].str.rsplit(".", n=1).str[0]
    fehlt = (gueltig["nr"].str.count(r"\.") >= 2) & ~eltern.isin(k.felder["bekannt"] | set(gueltig["nr"]))
    return zeilen(gueltig, fehlt, "nr", "nr").assign(eltern=eltern[fehlt])


#: The checks of a product delivery: the header, then the rows.
PRODUKT_KOPF: tuple[Pruefregel, ...] = (
    Pruefregel("produkt_spalte_fehlt", "Fehler", "Spalte fehlt",
               lambda u, f, k: " ".join(f"Die Spalte „{s}“ fehlt." for s in u["wert"]) + f" Vorhanden: "
                               f"{k.felder['vorhanden']}.",
               finden=lambda d, k: d[d["fehlt"]]),
    Pruefregel("produkt_spalte_fremd", "Warnung", "Spalte nicht verwendet",
               "Diese Spalten werden nicht gelesen: {werte}.", finden=lambda d, k: d[d["fremd"]],
               anzahl=len),
)
PRODUKT_ZEILEN: tuple[Pruefregel, ...] = (
    Pruefregel("produkt_nummer", "Fehler", "Ungültige Nummer", "{n:Eintrag hat|Einträge haben} keine NKF-Nummer "
               "wie 11.05, 11.05.01 oder 11.05.01.01.", finden=lambda d, k: zeilen(d, ~d["nr"].str.match(NUMMER),
                                                                                  "nr", "nr")),
    Pruefregel("produkt_name", "Fehler", "Name fehlt", "{n:Eintrag hat|Einträge haben} keinen Namen.",
               finden=lambda d, k: zeilen(d, d["name"].astype(str).str.strip() == "", "name", "nr")),
    Pruefregel("produkt_doppelt", "Fehler", "Doppelte Nummer",
               "{n:Eintrag nennt|Einträge nennen} dieselbe Nummer mehrfach.",
               finden=lambda d, k: zeilen(d, d["nr"].duplicated(keep=False), "nr", "nr")),
    Pruefregel("produkt_eltern", "Fehler", "Übergeordnete Nummer fehlt",
               lambda u, f, k: "; ".join(f"{n}: die übergeordnete Nummer {e} gibt es weder in der Datei noch im "
                                         "Produkthaushalt" for n, e in zip(u["wert"], u["eltern"], strict=True)) + ".",
               finden=_eltern_fehlt),
)
PRODUKT_REGELN = PRODUKT_KOPF + PRODUKT_ZEILEN + (KEINE_AENDERUNG["produkte"],)


def vorbereiten(store: Store, tabelle: Tabelle) -> ProduktVorbereitung:
    """Read and check a product delivery (:data:`PRODUKT_REGELN`); nothing is written."""
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    d = tabelle.daten.rename(columns=lambda c: str(c).strip().lower())
    erwartet = ("nr", "name", *TEXTE)
    kopf = pd.DataFrame({"wert": [*erwartet, *sorted(set(d.columns) - set(erwartet))]})
    kopf["fehlt"] = kopf["wert"].isin(["nr", "name"]) & ~kopf["wert"].isin(d.columns)
    kopf["fremd"] = ~kopf["wert"].isin(erwartet)
    anwenden(PRODUKT_KOPF, kopf, Kontext(felder={"vorhanden": ", ".join(tabelle.spalten)}), bericht)
    if not bericht.ok:
        return ProduktVorbereitung(tabelle, {}, [], bericht)
    d = d.assign(zeile=range(2, len(d) + 2), nr=d["nr"].astype(str).str.strip())
    nr = d["nr"]
    alt = {"produktbereich": store.lade_produktbereiche(), "produktgruppe": store.lade_produktgruppen(),
           "produkt": store.lade_produkte()}
    bekannt = set().union(*(set(f["nr"]) for f in alt.values()))
    anwenden(PRODUKT_ZEILEN, d, Kontext(felder={"bekannt": bekannt}), bericht)
    if not bericht.ok:
        return ProduktVorbereitung(tabelle, {}, [], bericht)

    zeilen, aenderungen = {}, []
    for stellen, ebene in EBENEN.items():
        teil = d[nr.str.count(r"\.") + 1 == stellen]
        if teil.empty:
            continue
        vorher = alt[ebene].set_index("nr")
        rows = []
        for i, r in teil.iterrows():
            n = nr[i]
            alt_row = vorher.loc[n].to_dict() if n in vorher.index else {}
            row = {"nr": n}
            if ebene == "produktgruppe":
                row["bereich_nr"] = ".".join(n.split(".")[:2])
            if ebene == "produkt":
                row["gruppe_nr"] = ".".join(n.split(".")[:3])
            for feld in SPALTEN_JE_EBENE[ebene][(2 if ebene != "produktbereich" else 1):]:
                neu = str(r.get(feld, "") or "").strip()
                wert = neu if neu else alt_row.get(feld)
                row[feld] = wert
                if neu and neu != (alt_row.get(feld) or ""):
                    aenderungen.append({"nr": n, "ebene": ebene, "feld": feld, "vorher": alt_row.get(feld),
                                        "nachher": neu})
            rows.append(row)
        zeilen[ebene] = pd.DataFrame(rows, columns=list(SPALTEN_JE_EBENE[ebene]))
    KEINE_AENDERUNG["produkte"].anwenden({}, pd.DataFrame(aenderungen), Kontext(), bericht)
    return ProduktVorbereitung(tabelle, zeilen, aenderungen, bericht)


def uebernehmen(store: Store, v: ProduktVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None) -> int:
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Lieferung hat Fehler oder ändert nichts und wird nicht übernommen.")
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="produkte", bezeichnung=bezeichnung or v.tabelle.dateiname, benutzer=benutzer,
            dateiname=v.tabelle.dateiname, sha256=v.tabelle.sha256, quelle="Produkthaushalt",
            pruefergebnis={"fehler": 0, "aenderungen": len(v.aenderungen)}))
        for ebene in ("produktbereich", "produktgruppe", "produkt"):
            if ebene in v.zeilen:
                store.upsert_produktstamm(ebene, v.zeilen[ebene], lid)
        n = sum(len(f) for f in v.zeilen.values())
        store.set_lieferung_counts(lid, n, n, len(v.aenderungen))
        for a in v.aenderungen:
            store.insert_audit(benutzer, "produkt_geaendert", a["ebene"], a["nr"],
                               {a["feld"]: {"vorher": a["vorher"], "nachher": a["nachher"]}})
    return lid

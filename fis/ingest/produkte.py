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

from fis.ingest.bericht import Pruefbericht, eintraege
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
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



def vorbereiten(store: Store, tabelle: Tabelle) -> ProduktVorbereitung:
    bericht = Pruefbericht()
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    d = tabelle.daten.rename(columns=lambda c: str(c).strip().lower())
    for pflicht in ("nr", "name"):
        if pflicht not in d.columns:
            bericht.add("Fehler", "Spalte fehlt", f"Die Spalte „{pflicht}“ fehlt. Vorhanden: "
                        + ", ".join(tabelle.spalten) + ".")
    fremd = sorted(set(d.columns) - {"nr", "name", *TEXTE})
    if fremd:
        bericht.add("Warnung", "Spalte nicht verwendet",
                    "Diese Spalten werden nicht gelesen: " + ", ".join(fremd) + ".")
    if not bericht.ok:
        return ProduktVorbereitung(tabelle, {}, [], bericht)
    zeile = pd.Series(range(2, len(d) + 2), index=d.index)
    nr = d["nr"].astype(str).str.strip()
    falsch = ~nr.str.match(NUMMER)
    if falsch.any():
        bericht.add("Fehler", "Ungültige Nummer", f"{eintraege(falsch, 'hat', 'haben')} keine NKF-Nummer wie 11.05, "
                    "11.05.01 oder 11.05.01.01.", pd.DataFrame({"zeile": zeile[falsch], "spalte": "nr",
                                                                  "wert": nr[falsch]}))
    ohne_name = d["name"].astype(str).str.strip() == ""
    if ohne_name.any():
        bericht.add("Fehler", "Name fehlt", f"{eintraege(ohne_name, 'hat', 'haben')} keinen Namen.",
                    pd.DataFrame({"zeile": zeile[ohne_name], "spalte": "name", "wert": nr[ohne_name]}))
    doppelt = nr.duplicated(keep=False)
    if doppelt.any():
        bericht.add("Fehler", "Doppelte Nummer", f"{eintraege(doppelt, 'nennt', 'nennen')} dieselbe Nummer mehrfach.",
                    pd.DataFrame({"zeile": zeile[doppelt], "spalte": "nr", "wert": nr[doppelt]}))
    alt = {"produktbereich": store.lade_produktbereiche(), "produktgruppe": store.lade_produktgruppen(),
           "produkt": store.lade_produkte()}
    bekannt = {e: set(f["nr"]) for e, f in alt.items()}
    neu_nr = set(nr[~falsch])
    for i in d.index[~falsch]:
        teile = nr[i].split(".")
        if len(teile) > 2:
            eltern = ".".join(teile[:-1])
            ebene_oben = EBENEN[len(teile) - 1]
            if eltern not in bekannt[ebene_oben] and eltern not in neu_nr:
                bericht.add("Fehler", "Übergeordnete Nummer fehlt", f"{nr[i]}: die übergeordnete Nummer {eltern} "
                            "gibt es weder in der Datei noch im Produkthaushalt.",
                            pd.DataFrame({"zeile": [zeile[i]], "spalte": ["nr"], "wert": [nr[i]]}))
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
    if not aenderungen:
        bericht.add("Hinweis", "Keine Änderung", "Alle Angaben stimmen mit dem Produkthaushalt überein.")
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

"""The indicator catalog: import (YAML, CSV, XLSX), edit, version.

A catalog delivery adds versions of the entries that are new or changed; older
versions stay, and rolling the delivery back makes them current again.
"""

from __future__ import annotations

import tempfile
import typing
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from fis.config import Config, ConfigError, Indikator, Katalog
from fis.config_lesen import _Reader
from fis.ingest.bericht import Pruefbericht
from fis.ingest.grenzen import yaml_laden
from fis.ingest.lesen import TABELLEN_ENDUNGEN, ImportFehler, Tabelle, lies_tabelle, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.sperre import schreibsperre
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

SPALTEN = ["indikator_id", "name", "kurzname", "handlungsfeld", "einheit", "definition", "zaehler", "nenner",
           "aggregation", "faktor", "polaritaet", "quelle", "periodizitaet", "stichtag_regel", "geheimhaltung",
           "nachkommastellen", "negativ_erlaubt", "gesamtwert"]
_VERGLEICH = [c for c in SPALTEN if c != "indikator_id"]
_HINTS = typing.get_type_hints(Indikator)
EDITOR = "Bearbeitung im Katalog"      # the "file name" of edits made in the app


def katalog_frame(indikatoren: tuple[Indikator, ...], geheimhaltung_standard: int) -> pd.DataFrame:
    """Catalog entries as rows of the ``indikator_version`` table."""
    rows = []
    for ind in indikatoren:
        row = asdict(ind)
        row["indikator_id"] = row.pop("id")
        if row["geheimhaltung"] is None:
            row["geheimhaltung"] = geheimhaltung_standard
        rows.append(row)
    return pd.DataFrame(rows, columns=SPALTEN)


def aus_config(config: Config) -> pd.DataFrame:
    return katalog_frame(config.katalog.indikatoren, config.stadt.geheimhaltung_standard)


def _aus_yaml(data: bytes, dateiname: str) -> tuple[Indikator, ...]:
    yaml_laden(data, f"„{dateiname}“")               # size, encoding and alias expansion before the typed reader
    with tempfile.TemporaryDirectory(prefix="fis_katalog_") as tmp:
        path = Path(tmp) / Path(dateiname).name
        path.write_bytes(data)
        try:
            return _Reader(path).load(Katalog).indikatoren
        except ConfigError as exc:
            raise ImportFehler(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise ImportFehler(f"„{dateiname}“ ist keine UTF-8-Textdatei.") from exc


_WAHR = {"true": True, "wahr": True, "ja": True, "1": True, "x": True,
         "false": False, "falsch": False, "nein": False, "0": False, "": False}


def _aus_tabelle(tabelle: Tabelle, bericht: Pruefbericht) -> list[dict]:
    frame = tabelle.daten.rename(columns={"id": "indikator_id"})
    frame.columns = [c.strip().lower() for c in frame.columns]
    unknown = [c for c in frame.columns if c not in SPALTEN]
    if unknown:
        raise ImportFehler(f"„{tabelle.dateiname}“: unbekannte Spalten {', '.join(unknown)}. "
                           f"Erlaubt sind: {', '.join(SPALTEN)}.")
    rows = []
    for zeile, row in frame.iterrows():  # a catalog has tens of rows, not millions
        entry = {}
        for col, text in row.items():
            name = "id" if col == "indikator_id" else col
            tp = _HINTS[name]
            text = str(text).strip()
            if text == "":
                continue
            try:
                if tp in (int, int | None):
                    entry[name] = int(text)
                elif tp is float:
                    entry[name] = float(text.replace(",", "."))
                elif tp is bool:
                    entry[name] = _WAHR[text.lower()]
                else:
                    entry[name] = text
            except (ValueError, KeyError):
                bericht.add("Fehler", "Ungültige Angabe", f"Zeile {zeile}, Spalte „{col}“: „{text}“ ist keine "
                            "gültige Angabe.", pd.DataFrame({"zeile": [zeile], "spalte": [col], "wert": [text]}))
        entry["_zeile"] = zeile
        rows.append(entry)
    return rows


def _pruefe_eintrag(entry: dict, bericht: Pruefbericht) -> Indikator | None:
    zeile = entry.pop("_zeile", None)
    wo = f"Zeile {zeile}" if zeile is not None else f"Indikator „{entry.get('id', '?')}“"
    required = [f.name for f in fields(Indikator) if f.default is MISSING]
    missing = [r for r in required if not entry.get(r)]
    if missing:
        bericht.add("Fehler", "Pflichtangabe fehlt", f"{wo}: es fehlen {', '.join(missing)}.")
        return None
    for key, choices in (("aggregation", typing.get_args(_HINTS["aggregation"])),
                         ("polaritaet", typing.get_args(_HINTS["polaritaet"]))):
        if entry.get(key) not in choices:
            bericht.add("Fehler", "Ungültige Angabe", f"{wo}, „{key}“: „{entry.get(key)}“ ist nicht erlaubt. "
                        f"Erlaubt sind: {', '.join(choices)}.")
            return None
    if not str(entry["id"]).replace("_", "").isalnum() or str(entry["id"]) != str(entry["id"]).lower():
        bericht.add("Fehler", "Ungültige Kennung", f"{wo}: Kennung „{entry['id']}“ – bitte nur Kleinbuchstaben, "
                    "Ziffern und Unterstrich.")
        return None
    ind = Indikator(**entry)
    if ind.aggregation == "quote" and (not ind.zaehler or not ind.nenner):
        bericht.add("Fehler", "Quote ohne Zähler/Nenner", f"{wo}: bei aggregation „quote“ müssen „zaehler“ und "
                    "„nenner“ beschrieben sein.")
        return None
    if ind.geheimhaltung is not None and ind.geheimhaltung < 0:
        bericht.add("Fehler", "Ungültige Angabe", f"{wo}: die Geheimhaltungsschwelle darf nicht negativ sein.")
        return None
    return ind


@dataclass
class KatalogVorbereitung:
    dateiname: str
    sha256: str
    eintraege: pd.DataFrame       # rows for indikator_version (only new and changed)
    vergleich: pd.DataFrame       # indikator_id, art (neu/geändert/unverändert), geaendert (fields)
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and len(self.eintraege) > 0


def _vergleiche(neu: pd.DataFrame, alt: pd.DataFrame) -> pd.DataFrame:
    alt = alt.set_index("indikator_id")
    out = []
    for row in neu.itertuples(index=False):
        if row.indikator_id not in alt.index:
            out.append((row.indikator_id, "neu", ""))
            continue
        old = alt.loc[row.indikator_id]
        changed = []
        for col in _VERGLEICH:
            a, b = old.get(col), getattr(row, col)
            same = (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else (
                np.isclose(float(a), float(b)) if isinstance(b, (int, float)) and not isinstance(b, bool)
                else a == b)
            if not same:
                changed.append(col)
        out.append((row.indikator_id, "geändert" if changed else "unverändert", ", ".join(changed)))
    return pd.DataFrame(out, columns=["indikator_id", "art", "geaendert"])


def vorbereiten_frame(store: Store, eintraege: list[dict], standard: int, dateiname: str, digest: str,
                      bericht: Pruefbericht | None = None) -> KatalogVorbereitung:
    bericht = bericht or Pruefbericht()
    checked = [ind for e in eintraege if (ind := _pruefe_eintrag(dict(e), bericht)) is not None]
    ids = [i.id for i in checked]
    doppelt = sorted({i for i in ids if ids.count(i) > 1})
    if doppelt:
        bericht.add("Fehler", "Doppelte Kennung", f"Kennung mehrfach: {', '.join(doppelt)}.")
    frame = katalog_frame(tuple(checked), standard)
    if dateiname != EDITOR:
        pruefe_doppelte_datei(store, digest, bericht)
    vergleich = _vergleiche(frame, store.lade_indikatoren())
    keep = vergleich.loc[vergleich["art"] != "unverändert", "indikator_id"]
    if bericht.ok and keep.empty and len(frame):
        bericht.add("Hinweis", "Keine Änderung", "Alle Einträge stimmen mit dem aktuellen Katalog überein.")
    return KatalogVorbereitung(dateiname=dateiname, sha256=digest, eintraege=frame[frame["indikator_id"].isin(keep)],
                               vergleich=vergleich, bericht=bericht)


def vorbereiten(store: Store, data: bytes, dateiname: str, standard: int, blatt: str | None = None
                ) -> KatalogVorbereitung:
    """Read and check a catalog file (YAML as indikatoren.yaml, or CSV/XLSX with one
    column per field); nothing is written."""
    bericht = Pruefbericht()
    dateiname = pruefe_datei(data, dateiname, (".yaml", ".yml", *TABELLEN_ENDUNGEN))
    if dateiname.lower().endswith((".yaml", ".yml")):
        eintraege = [{k: v for k, v in asdict(i).items()} for i in _aus_yaml(data, dateiname)]
    else:
        eintraege = _aus_tabelle(lies_tabelle(data, dateiname, blatt), bericht)
    return vorbereiten_frame(store, eintraege, standard, dateiname, sha256(data), bericht)


def aus_editor(store: Store, frame: pd.DataFrame, standard: int) -> KatalogVorbereitung:
    """Check the rows of the catalog editor (columns as SPALTEN)."""
    eintraege = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        entry = {("id" if k == "indikator_id" else k): v for k, v in row.items() if k in SPALTEN}
        entry = {k: (None if (v is None or (isinstance(v, float) and np.isnan(v)) or v == "") else v)
                 for k, v in entry.items()}
        entry = {k: v for k, v in entry.items() if v is not None}
        for key in ("geheimhaltung", "nachkommastellen"):
            if key in entry:
                entry[key] = int(entry[key])
        if "faktor" in entry:
            entry["faktor"] = float(entry["faktor"])
        if "negativ_erlaubt" in entry:
            entry["negativ_erlaubt"] = bool(entry["negativ_erlaubt"])
        entry["_zeile"] = i
        eintraege.append(entry)
    digest = sha256(frame.to_csv(index=False).encode("utf-8"))
    return vorbereiten_frame(store, eintraege, standard, EDITOR, digest)


def uebernehmen(store: Store, v: KatalogVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None) -> int:
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Der Katalog kann nicht übernommen werden:\n" + v.bericht.als_text())
    counts = v.vergleich["art"].value_counts()
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="katalog", bezeichnung=bezeichnung or f"Indikatorenkatalog ({v.dateiname})", benutzer=benutzer,
            dateiname=v.dateiname, sha256=v.sha256, pruefergebnis=v.bericht.zusammenfassung()))
        store.upsert_indikatoren(v.eintraege.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.eintraege), int(counts.get("neu", 0)), int(counts.get("geändert", 0)))
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": "katalog", "indikatoren": list(v.eintraege["indikator_id"]),
            "geaendert": dict(zip(v.vergleich["indikator_id"], v.vergleich["geaendert"], strict=True))})
    return lid

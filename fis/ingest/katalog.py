"""The indicator catalog: import (YAML, CSV, XLSX), edit, version.

A catalog delivery adds versions of the entries that are new or changed; older
versions stay, and rolling the delivery back makes them current again.
"""

from __future__ import annotations

import tempfile
import typing
from collections.abc import Callable
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
from fis.ingest.pruefregeln import KEINE_AENDERUNG, Kontext, Pruefregel, anwenden, zeilen
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


def _aus_tabelle(tabelle: Tabelle) -> tuple[list[dict], pd.DataFrame]:
    """The entries of a catalog table, and the cells that are not valid values (for „katalog_angabe“)."""
    frame = tabelle.daten.rename(columns={"id": "indikator_id"})
    frame.columns = [c.strip().lower() for c in frame.columns]
    unknown = [c for c in frame.columns if c not in SPALTEN]
    if unknown:
        raise ImportFehler(f"„{tabelle.dateiname}“: unbekannte Spalten {', '.join(unknown)}. "
                           f"Erlaubt sind: {', '.join(SPALTEN)}.")
    rows, falsch = [], []
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
                falsch.append({"zeile": zeile, "spalte": col, "wert": text, "wo": f"Zeile {zeile}",
                               "hinweis": f"Spalte „{col}“: „{text}“ ist keine gültige Angabe"})
        entry["_zeile"] = zeile
        rows.append(entry)
    return rows, pd.DataFrame(falsch, columns=["zeile", "spalte", "wert", "wo", "hinweis"])


_PFLICHT = [f.name for f in fields(Indikator) if f.default is MISSING]
_AUSWAHL = {key: typing.get_args(_HINTS[key]) for key in ("aggregation", "polaritaet")}


def _je_eintrag(u: pd.DataFrame, funde, k: Kontext) -> str:
    return "; ".join(f"{wo}: {h}" for wo, h in zip(u["wo"], u["hinweis"], strict=True)) + "."


def _eintraege(maske: Callable[[pd.DataFrame], pd.Series], spalte: str,
               hinweis: Callable[[pd.DataFrame], list[str]]) -> Callable[[pd.DataFrame, Kontext], pd.DataFrame]:
    def finden(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
        m = maske(d).fillna(False).astype(bool)
        return zeilen(d, m, spalte, "id", hinweis(d[m])).assign(wo=d["wo"][m])
    return finden


def _fehlende(d: pd.DataFrame) -> pd.Series:
    return d[_PFLICHT].apply(lambda r: ", ".join(c for c in _PFLICHT if not r[c] or pd.isna(r[c])), axis=1)


def _kennung_falsch(d: pd.DataFrame) -> pd.Series:
    ident = d["id"].fillna("").astype(str)
    return (ident != "") & (~ident.str.replace("_", "").str.isalnum() | (ident != ident.str.lower()))


#: The checks of a catalog delivery (file or the catalog editor), one row per entry.
KATALOG_EINTRAEGE: tuple[Pruefregel, ...] = (
    Pruefregel("katalog_angabe", "Fehler", "Ungültige Angabe", _je_eintrag),          # found while reading a table
    Pruefregel("katalog_pflicht", "Fehler", "Pflichtangabe fehlt", _je_eintrag,
               finden=_eintraege(lambda d: _fehlende(d) != "", "",
                                 lambda t: [f"es fehlen {f}" for f in _fehlende(t)])),
    *(Pruefregel(f"katalog_{key}", "Fehler", "Ungültige Angabe", _je_eintrag,
                 finden=_eintraege(lambda d, key=key, wahl=wahl: d[key].notna() & ~d[key].isin(wahl), key,
                                   lambda t, key=key, wahl=wahl: [f"„{key}“: „{v}“ ist nicht erlaubt. Erlaubt sind: "
                                                                  f"{', '.join(wahl)}" for v in t[key]]))
      for key, wahl in _AUSWAHL.items()),
    Pruefregel("katalog_kennung", "Fehler", "Ungültige Kennung", _je_eintrag,
               abhilfe="Bitte nur Kleinbuchstaben, Ziffern und Unterstrich.",
               finden=_eintraege(_kennung_falsch, "id", lambda t: [f"Kennung „{i}“" for i in t["id"]])),
    Pruefregel("katalog_quote", "Fehler", "Quote ohne Zähler/Nenner", _je_eintrag,
               finden=_eintraege(lambda d: (d["aggregation"] == "quote") & (d["zaehler"].isna() | d["nenner"].isna()),
                                 "aggregation", lambda t: ["bei aggregation „quote“ müssen „zaehler“ und „nenner“ "
                                                           "beschrieben sein"] * len(t))),
    Pruefregel("katalog_geheimhaltung", "Fehler", "Ungültige Angabe", _je_eintrag,
               finden=_eintraege(lambda d: pd.to_numeric(d["geheimhaltung"], errors="coerce") < 0, "geheimhaltung",
                                 lambda t: ["die Geheimhaltungsschwelle darf nicht negativ sein"] * len(t))),
    Pruefregel("katalog_doppelt", "Fehler", "Doppelte Kennung", "Kennung mehrfach: {werte}.",
               finden=lambda d, k: zeilen(d, d["id"].notna() & d["id"].duplicated(keep=False), "id", "id"),
               anzahl=lambda u: u["wert"].nunique()),
)
KATALOG_REGELN = KATALOG_EINTRAEGE + (KEINE_AENDERUNG["katalog"],)


def _als_frame(eintraege: list[dict]) -> pd.DataFrame:
    """One row per entry with every catalog field (missing ones empty) and where it came from („Zeile 4“ or
    „Indikator „x““)."""
    frame = pd.DataFrame(eintraege, columns=list(dict.fromkeys([*(f.name for f in fields(Indikator)), "_zeile"])))
    frame = frame.astype(object).where(frame.notna() & (frame != ""), None)
    frame["zeile"] = frame["_zeile"]
    frame["wo"] = [f"Zeile {z}" if z is not None else f"Indikator „{i or '?'}“"
                   for z, i in zip(frame["_zeile"], frame["id"], strict=True)]
    return frame


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
                      unlesbar: pd.DataFrame | None = None) -> KatalogVorbereitung:
    """Check the entries (:data:`KATALOG_REGELN`) and compare them with the current catalog."""
    bericht = Pruefbericht()
    roh = _als_frame(eintraege)
    fehlerhaft = anwenden(KATALOG_EINTRAEGE, roh, Kontext(), bericht, funde={"katalog_angabe": unlesbar})
    checked = tuple(Indikator(**{k: v for k, v in e.items() if k != "_zeile"})
                    for i, e in enumerate(eintraege) if i not in fehlerhaft)
    frame = katalog_frame(checked, standard)
    if dateiname != EDITOR:
        pruefe_doppelte_datei(store, digest, bericht)
    vergleich = _vergleiche(frame, store.lade_indikatoren())
    keep = vergleich.loc[vergleich["art"] != "unverändert", "indikator_id"]
    if bericht.ok and len(frame):
        KEINE_AENDERUNG["katalog"].anwenden({}, keep.to_frame(), Kontext(), bericht)
    return KatalogVorbereitung(dateiname=dateiname, sha256=digest, eintraege=frame[frame["indikator_id"].isin(keep)],
                               vergleich=vergleich, bericht=bericht)


def vorbereiten(store: Store, data: bytes, dateiname: str, standard: int, blatt: str | None = None
                ) -> KatalogVorbereitung:
    """Read and check a catalog file (YAML as indikatoren.yaml, or CSV/XLSX with one
    column per field); nothing is written."""
    dateiname = pruefe_datei(data, dateiname, (".yaml", ".yml", *TABELLEN_ENDUNGEN))
    unlesbar = None
    if dateiname.lower().endswith((".yaml", ".yml")):
        eintraege = [{k: v for k, v in asdict(i).items()} for i in _aus_yaml(data, dateiname)]
    else:
        eintraege, unlesbar = _aus_tabelle(lies_tabelle(data, dateiname, blatt))
    return vorbereiten_frame(store, eintraege, standard, dateiname, sha256(data), unlesbar)


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

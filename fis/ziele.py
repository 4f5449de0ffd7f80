"""Goals (Zielsystem) from YAML, XLSX or the edit form: read, validate, store with audit.

One goal in the input format (YAML list ``ziele:`` or one XLSX row per goal)::

    id: H1                                  # unique
    titel: Der Anteil der Heimerziehung sinkt von 0,3 auf 0,2 %
    zielfeld: Ergebnis/Wirkung              # one of the four KGSt Zielfelder
    zielebene: Produktgruppenziel           # Leitziel, Produktgruppenziel, Produktziel, Teilziel …
    parent: L1                              # optional: the goal above
    kennzahl: {indikator: heimerziehung, raum: "00"}     # or {produktkennzahl: id}
                                            # or {haushalt: {produkt: "11.06.03.02", position: 11}}
    basisjahr: 2021
    basiswert: 0.30                         # optional: else the Ist of the base year
    zielwert: 0.20                          # or zielwert_relativ: -0.10 / zielwert_delta: -3
    zieldatum: 2024-12-31
    richtung: senken                        # steigern, senken, halten (with a band, see below)
    toleranz: 0.01
    produkt: "11.06.03.03"
    verantwortlich: Sabine Koch
    massnahmen: …
    beschlossen: {von: Jugendhilfeausschuss, am: 2021-11-18}
    soll: {2022: 0.27, 2023: 0.24}          # optional: explicit annual Soll instead of the straight path

A band (``richtung: halten``) is given by its limits, in the words of the council decision:
``unter: 3.0`` (3 % itself misses), ``hoechstens: 3.0`` (3 % is still in), ``ueber: …``,
``mindestens: …``; ``band_oben``/``band_unten`` are the same as ``hoechstens``/``mindestens``.

In XLSX the nested keys are flat columns: indikator, raum, produktkennzahl,
haushalt_produkt, haushalt_position, beschlossen_von, beschlossen_am, and soll_2023,
soll_2024, … for annual Soll values.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property

import numpy as np
import pandas as pd

from fis.config_lesen import lade_konfiguration
from fis.controlling import ZIELFELDER
from fis.disclosure import regeln, suppress
from fis.format import fmt_zahl
from fis.ingest.grenzen import ist_text, xlsx_pruefen, yaml_laden
from fis.ingest.lesen import ImportFehler, pruefe_datei
from fis.monitoring import aggregate_levels, jahreswerte
from fis.store import Lieferung
from fis.zugang import Benutzer, handelnder

RICHTUNGEN = ("steigern", "senken", "halten")
SPALTEN = ("id", "titel", "zielfeld", "zielebene", "parent", "beschreibung", "indikator", "raum",
           "produktkennzahl", "haushalt_produkt", "haushalt_position", "basisjahr", "basiswert", "zielwert",
           "zielwert_relativ", "zielwert_delta", "zieldatum", "richtung", "toleranz", "band_unten",
           "band_oben", "unter", "hoechstens", "ueber", "mindestens", "produkt", "verantwortlich", "massnahmen",
           "beschlossen_von", "beschlossen_am")
# band limits in the words of a decision: key → (column, strict)
GRENZEN = {"unter": ("band_oben", True), "hoechstens": ("band_oben", False), "band_oben": ("band_oben", False),
           "ueber": ("band_unten", True), "mindestens": ("band_unten", False), "band_unten": ("band_unten", False)}


class ZielFehler(ValueError):
    """Invalid goals; ``fehler`` lists every problem in German."""

    def __init__(self, fehler: list[str]):
        super().__init__("; ".join(fehler))
        self.fehler = fehler


def _leer(v) -> bool:
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, str) and not v.strip()):
        return True
    return isinstance(v, float) and np.isnan(v)


def einlesen(inhalt: bytes, dateiname: str) -> list[dict]:
    """Goal specifications from a YAML or XLSX file (nested form as in YAML)."""
    try:
        dateiname = pruefe_datei(inhalt, dateiname)          # size; the type is checked below
    except ImportFehler as exc:
        raise ZielFehler([str(exc)]) from exc
    name = dateiname.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            daten = yaml_laden(inhalt, dateiname)
        except ImportFehler as exc:
            raise ZielFehler([str(exc)]) from exc
        if not isinstance(daten, dict) or not isinstance(daten.get("ziele"), list):
            raise ZielFehler([f"{dateiname}: erwartet wird eine Liste unter dem Schlüssel „ziele:“."])
        if not all(isinstance(z, dict) for z in daten["ziele"]):
            raise ZielFehler([f"{dateiname}: jeder Eintrag unter „ziele:“ muss ein Abschnitt mit Schlüsseln sein."])
        return daten["ziele"]
    if name.endswith(".xlsx"):
        try:
            xlsx_pruefen(inhalt, dateiname)
        except ImportFehler as exc:
            raise ZielFehler([str(exc)]) from exc
        try:
            frame = pd.read_excel(io.BytesIO(inhalt), dtype=object, engine="calamine")
        except Exception as exc:   # noqa: BLE001 – any unreadable workbook becomes a German message
            raise ZielFehler([f"{dateiname}: die Excel-Datei lässt sich nicht lesen ({exc})."]) from exc
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        fremd = sorted(c for c in set(frame.columns) - set(SPALTEN)
                       if not (c.startswith("soll_") and c[5:].isdigit()))
        if fremd:
            raise ZielFehler([f"{dateiname}: unbekannte Spalten {', '.join(fremd)}. Erlaubt sind: "
                              + ", ".join(SPALTEN) + "."])
        return [_verschachteln(r) for r in frame.to_dict("records") if not _leer(r.get("id"))]
    raise ZielFehler([f"{dateiname}: Ziele werden als YAML (.yaml) oder Excel (.xlsx) geliefert."])


def _verschachteln(r: dict) -> dict:
    z = {k: v for k, v in r.items() if not _leer(v) and k in SPALTEN}
    soll = {int(k[5:]): v for k, v in r.items() if k.startswith("soll_") and k[5:].isdigit() and not _leer(v)}
    if soll:
        z["soll"] = soll
    if "indikator" in z:
        z["kennzahl"] = {"indikator": z.pop("indikator"), "raum": str(z.pop("raum", ""))}
    elif "produktkennzahl" in z:
        z["kennzahl"] = {"produktkennzahl": z.pop("produktkennzahl")}
    elif "haushalt_produkt" in z:
        z["kennzahl"] = {"haushalt": {"produkt": str(z.pop("haushalt_produkt")),
                                      "position": z.pop("haushalt_position", None)}}
    if "beschlossen_von" in z or "beschlossen_am" in z:
        z["beschlossen"] = {"von": z.pop("beschlossen_von", None), "am": z.pop("beschlossen_am", None)}
    return z


def _datum(v, wo: str, fehler: list[str]) -> date | None:
    if _leer(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return pd.Timestamp(str(v)).date()
    except ValueError:
        fehler.append(f"{wo}: „{v}“ ist kein Datum (erwartet z. B. 2026-12-31).")
        return None


def _zahl(v, wo: str, fehler: list[str]) -> float | None:
    if _leer(v):
        return None
    try:
        return float(str(v).replace(",", ".")) if isinstance(v, str) else float(v)
    except ValueError:
        fehler.append(f"{wo}: „{v}“ ist keine Zahl.")
        return None


@dataclass(frozen=True)
class Bezugsdaten:
    """What goal references are checked against and base values are read from. The Ist values (all levels,
    suppressed as the monitoring shows them) are computed on first use: a file with mistakes is refused
    without them."""
    ist_quelle: pd.DataFrame | Callable[[], pd.DataFrame]    # indikator_id, raum_id, jahr, wert (all levels)
    indikatoren: pd.DataFrame        # indexed by indikator_id
    raeume: set
    kennzahlen: pd.DataFrame         # kennzahl_id, jahr, wertart, wert, einheit, nachkommastellen
    tep: pd.DataFrame
    produkte: set
    vorhandene: set                  # goal ids already stored

    @cached_property
    def indikator_ist(self) -> pd.DataFrame:
        return self.ist_quelle() if callable(self.ist_quelle) else self.ist_quelle

    @cached_property
    def ist_je_jahr(self) -> dict:
        """(indikator_id, raum_id, jahr) → last known wert."""
        alle = self.indikator_ist
        if alle.empty:
            return {}
        return jahreswerte(alle).set_index(["indikator_id", "raum_id", "jahr"])["wert"].to_dict()


_OHNE_IST = pd.DataFrame(columns=["indikator_id", "raum_id", "stichtag", "wert", "status", "jahr"])


TEXTFELDER = ("id", "titel", "zielfeld", "zielebene", "parent", "beschreibung", "richtung", "produkt",
              "verantwortlich", "massnahmen")
MAX_TEXT = 20_000


def bezugsdaten(store, config=None) -> Bezugsdaten:
    """The references of goals. Base values come from the suppressed values, as the monitoring shows
    them: a goal on a small count gets no base value from it (else the stored base value would show
    what suppression hides). ``config`` None: the configured one."""

    config = config or lade_konfiguration()
    raeume, katalog = store.lade_raeume(), store.lade_indikatoren()

    def ist() -> pd.DataFrame:
        # the same aggregation and suppression the monitoring uses (all levels in one climb)
        werte = store.lade_werte()
        top = int(raeume["ebene"].max()) if len(raeume) else 0
        if not (top and len(werte)):
            return _OHNE_IST.copy()
        stadt = config.stadt
        alle = suppress(aggregate_levels(werte, raeume, katalog, top), regeln(
            katalog, stadt.geheimhaltung_standard, stadt.mindest_einwohner, stadt.einwohner_indikator))
        alle = alle[~alle["unterdrueckt"]].copy()
        alle["jahr"] = pd.to_datetime(alle["stichtag"]).dt.year
        return alle

    return Bezugsdaten(ist, katalog.set_index("indikator_id"), set(raeume["raum_id"]),
                       store.lade_produkt_kennzahlen(), store.lade_teilergebnisplan(),
                       set(store.lade_produkte()["nr"]), set(store.lade_ziele()["ziel_id"]))


def pruefen(specs: list[dict], bezug: Bezugsdaten) -> pd.DataFrame:
    """Goal rows for the ``ziel`` table, or :class:`ZielFehler` with every problem.
    Missing base values are the Ist of the base year; relative and delta targets are
    resolved against the base value. The file is checked first without the Ist (no check depends on it), so a
    file with mistakes is refused before the monitoring is computed."""
    _zielzeilen(specs, replace(bezug, ist_quelle=_OHNE_IST))
    return _zielzeilen(specs, bezug)


def _zielzeilen(specs: list[dict], bezug: Bezugsdaten) -> pd.DataFrame:
    fehler: list[str] = []
    rows = []
    ids = [str(z.get("id", "")).strip() for z in specs]
    for nr, z in enumerate(specs, start=1):
        zid = ids[nr - 1]
        wo = f"Ziel {zid or f'Nr. {nr}'}"
        if not zid:
            fehler.append(f"Ziel Nr. {nr}: „id“ fehlt.")
            continue
        if ids.count(zid) > 1 and ids.index(zid) == nr - 1:
            fehler.append(f"{wo}: die Kennung kommt mehrfach vor.")
        bezuege = _stammfelder(z, zid, ids, bezug, wo, fehler)
        if bezuege is None:
            continue
        parent, richtung, produkt = bezuege
        row = {"ziel_id": zid, "titel": z.get("titel"), "zielfeld": z.get("zielfeld"),
               "zielebene": z.get("zielebene"), "parent_id": parent, "beschreibung": z.get("beschreibung"),
               "produkt_nr": produkt, "richtung": richtung,
               "basisjahr": None, "zieldatum": _datum(z.get("zieldatum"), wo, fehler),
               "toleranz": _zahl(z.get("toleranz"), wo, fehler),
               "band_unten": None, "band_oben": None, "band_unten_strikt": False, "band_oben_strikt": False,
               "verantwortlich": z.get("verantwortlich"), "massnahmen": z.get("massnahmen")}
        _grenzen(z, row, wo, fehler)
        beschluss = z.get("beschlossen") or {}
        row["beschlossen_von"] = beschluss.get("von")
        row["beschlossen_am"] = _datum(beschluss.get("am"), wo, fehler)
        _basis_und_ziel(z, row, bezug, wo, fehler)
        row["_soll"] = _soll(z, wo, fehler)
        rows.append(row)
    if fehler:
        raise ZielFehler(fehler)
    frame = pd.DataFrame(rows)
    frame["basisjahr"] = frame["basisjahr"].astype("Int16")
    if "position_nr" in frame:
        frame["position_nr"] = frame["position_nr"].astype("Int16")
    return frame


def _stammfelder(z: dict, zid: str, ids: list[str], bezug: Bezugsdaten, wo: str,
                 fehler: list[str]) -> tuple[str | None, str | None, str | None] | None:
    """Check the text fields, the required ones and the references; (parent, richtung, produkt), or None when
    a text field is not text (the goal is not read further)."""
    falsch = [k for k in TEXTFELDER if not ist_text(z.get(k))
              or (isinstance(z.get(k), str) and len(z[k]) > MAX_TEXT)]
    if falsch:
        fehler.append(f"{wo}: " + ", ".join(f"„{k}“" for k in falsch) + " muss ein Text (höchstens "
                      f"{fmt_zahl(MAX_TEXT, 0)} Zeichen) sein, keine Liste und kein Abschnitt.")
        return None
    for pflicht in ("titel", "zielfeld", "zielebene"):
        if _leer(z.get(pflicht)):
            fehler.append(f"{wo}: „{pflicht}“ fehlt.")
    if not _leer(z.get("zielfeld")) and z["zielfeld"] not in ZIELFELDER:
        fehler.append(f"{wo}: Zielfeld „{z['zielfeld']}“ gibt es nicht; erlaubt: " + ", ".join(ZIELFELDER) + ".")
    parent = None if _leer(z.get("parent")) else str(z["parent"]).strip()
    if parent and parent not in ids and parent not in bezug.vorhandene:
        fehler.append(f"{wo}: übergeordnetes Ziel „{parent}“ ist unbekannt.")
    if parent == zid:
        fehler.append(f"{wo}: ein Ziel kann nicht sein eigenes übergeordnetes Ziel sein.")
    richtung = None if _leer(z.get("richtung")) else str(z["richtung"]).strip()
    if richtung and richtung not in RICHTUNGEN:
        fehler.append(f"{wo}: Richtung „{richtung}“ gibt es nicht; erlaubt: steigern, senken, halten.")
    produkt = None if _leer(z.get("produkt")) else str(z["produkt"]).strip()
    if produkt and produkt not in bezug.produkte:
        fehler.append(f"{wo}: Produkt „{produkt}“ ist nicht im Produkthaushalt.")
    return parent, richtung, produkt


def _grenzen(z: dict, row: dict, wo: str, fehler: list[str]) -> None:
    """The band limits (unter/hoechstens/band_oben, ueber/mindestens/band_unten), each given once."""
    for schluessel, (spalte, strikt) in GRENZEN.items():
        if _leer(z.get(schluessel)):
            continue
        if row[spalte] is not None:
            fehler.append(f"{wo}: die {'obere' if spalte == 'band_oben' else 'untere'} Grenze ist doppelt "
                          "angegeben (nur eines von unter/hoechstens/band_oben bzw. ueber/mindestens/band_unten).")
            continue
        row[spalte] = _zahl(z.get(schluessel), wo, fehler)
        row[f"{spalte}_strikt"] = strikt


def _basis_und_ziel(z: dict, row: dict, bezug: Bezugsdaten, wo: str, fehler: list[str]) -> None:
    """Base year and value (the Ist of the base year if not given) and the target (absolute, relative to the
    base value or as a difference)."""
    bj = _zahl(z.get("basisjahr"), wo, fehler)
    row["basisjahr"] = None if bj is None else int(bj)
    ist, nk = _kennzahl(z.get("kennzahl"), row, bezug, wo, fehler)
    basis = _zahl(z.get("basiswert"), wo, fehler)
    if basis is None and ist is not None:
        basis = round(ist, nk)
    row["basiswert"] = basis
    zw = _zahl(z.get("zielwert"), wo, fehler)
    rel, delta = _zahl(z.get("zielwert_relativ"), wo, fehler), _zahl(z.get("zielwert_delta"), wo, fehler)
    if zw is None and basis is not None:
        if rel is not None:
            zw = round(basis * (1 + rel), nk + 1)
        elif delta is not None:
            zw = round(basis + delta, nk)
    row["zielwert"] = zw


def _soll(z: dict, wo: str, fehler: list[str]) -> dict[int, float]:
    """The annual Soll values (year: value)."""
    soll = z.get("soll") or {}
    if not isinstance(soll, dict):
        fehler.append(f"{wo}: „soll“ muss Jahr: Wert-Paare enthalten, z. B. {{2023: 0.24}}.")
        return {}
    out = {}
    for j, v in soll.items():
        wert = _zahl(v, f"{wo}, Soll {j}", fehler)
        if not str(j).isdigit():
            fehler.append(f"{wo}: Soll-Jahr „{j}“ ist keine Jahreszahl.")
        elif wert is not None:
            out[int(j)] = wert
    return out


def _kennzahl(k, row: dict, bezug: Bezugsdaten, wo: str, fehler: list[str]) -> tuple[float | None, int]:
    """Fill the Kennzahl columns of ``row``; returns the Ist of the base year (or None) and decimals."""
    if not k:
        return None, 2
    if not isinstance(k, dict):
        fehler.append(f"{wo}: „kennzahl“ muss ein Abschnitt sein, z. B. {{indikator: kinderarmut, raum: \"00\"}}.")
        return None, 2
    jahr = row["basisjahr"]
    if "indikator" in k:
        ind, raum = str(k["indikator"]), str(k.get("raum", "")).strip()
        if ind not in bezug.indikatoren.index:
            fehler.append(f"{wo}: Indikator „{ind}“ steht nicht im Katalog.")
            return None, 2
        if raum not in bezug.raeume:
            fehler.append(f"{wo}: Raum „{raum}“ ist unbekannt.")
            return None, 2
        row.update(kennzahl_art="indikator", indikator_id=ind, raum_id=raum,
                   einheit=bezug.indikatoren.at[ind, "einheit"])
        ist = bezug.ist_je_jahr.get((ind, raum, jahr))
        return (None if ist is None else float(ist)), int(bezug.indikatoren.at[ind, "nachkommastellen"])
    if "produktkennzahl" in k:
        kid = str(k["produktkennzahl"])
        kz = bezug.kennzahlen[bezug.kennzahlen["kennzahl_id"] == kid]
        if kz.empty:
            fehler.append(f"{wo}: Produktkennzahl „{kid}“ ist unbekannt.")
            return None, 2
        row.update(kennzahl_art="produktkennzahl", kennzahl_id=kid, einheit=kz["einheit"].iloc[0])
        hit = kz[(kz["jahr"] == jahr) & (kz["wertart"] == "Ist")]["wert"]
        return (float(hit.iloc[0]) if len(hit) else None), int(kz["nachkommastellen"].iloc[0])
    if "haushalt" in k and isinstance(k["haushalt"], dict):
        nr, pos = str(k["haushalt"].get("produkt", "")), k["haushalt"].get("position")
        try:
            pos = int(pos)
        except (TypeError, ValueError):
            fehler.append(f"{wo}: Haushaltsposition „{pos}“ ist keine Zeilennummer des Teilergebnisplans.")
            return None, 0
        if nr not in bezug.produkte:
            fehler.append(f"{wo}: Produkt „{nr}“ der Haushaltszeile ist nicht im Produkthaushalt.")
            return None, 0
        row.update(kennzahl_art="haushalt", produkt_nr=nr, position_nr=pos, einheit="EUR")
        t = bezug.tep
        hit = t[(t["produkt_nr"] == nr) & (t["position_nr"] == pos) & (t["jahr"] == jahr)
                & (t["monat"] == 0) & (t["wertart"] == "Ist")]["betrag"]
        return (abs(float(hit.iloc[0])) if len(hit) else None), 0
    fehler.append(f"{wo}: „kennzahl“ braucht „indikator“ (mit „raum“), „produktkennzahl“ oder „haushalt“.")
    return None, 2


def _gleich(a, b) -> bool:
    if _leer(a) and _leer(b):
        return True
    if _leer(a) or _leer(b):
        return False
    if isinstance(a, (date, pd.Timestamp)) or isinstance(b, (date, pd.Timestamp)):
        return pd.Timestamp(a) == pd.Timestamp(b)
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return bool(np.isclose(float(a), float(b)))
    return str(a) == str(b)


def uebernehmen(store, frame: pd.DataFrame, benutzer: Benutzer | str, bezeichnung: str,
                dateiname: str | None = None) -> dict:
    """Store new and changed goals in one transaction, with a register entry and one audit
    entry per goal (before and after). Unchanged goals are left alone."""
    benutzer = handelnder(benutzer, "ziele_bearbeiten")
    alt = store.lade_ziele().set_index("ziel_id")
    soll_alt = {zid: dict(zip(g["jahr"].astype(int), g["soll"], strict=True))
                for zid, g in store.lade_ziel_soll().groupby("ziel_id")}
    neu, geaendert, gleich = [], [], []
    for r in frame.to_dict("records"):
        if r["ziel_id"] not in alt.index:
            neu.append(r)
            continue
        vorher = alt.loc[r["ziel_id"]].to_dict()
        diff = {k: (vorher.get(k), v) for k, v in r.items()
                if k not in ("ziel_id", "_soll") and not _gleich(vorher.get(k), v)}
        if not _soll_gleich(soll_alt.get(r["ziel_id"], {}), r.get("_soll", {})):
            diff["soll"] = (soll_alt.get(r["ziel_id"], {}), r.get("_soll", {}))
        (geaendert if diff else gleich).append((r, diff))
    schreiben = pd.DataFrame(neu + [r for r, _ in geaendert])
    if schreiben.empty:
        return {"neu": 0, "geaendert": 0, "unveraendert": len(gleich)}
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="ziele", bezeichnung=bezeichnung, dateiname=dateiname or "Eingabe", sha256=_sha(schreiben),
            benutzer=benutzer, quelle="Zielsystem", zeitpunkt=datetime.now(),
            pruefergebnis={"fehler": 0, "warnungen": 0}))
        store.set_lieferung_counts(lid, len(frame), len(neu), len(geaendert))
        store.upsert_ziele(schreiben.drop(columns="_soll"), soll_werte(schreiben), lid)
        for r in neu:
            store.insert_audit(benutzer, "ziel_angelegt", "ziel", r["ziel_id"], {"titel": r["titel"]})
        for r, diff in geaendert:
            store.insert_audit(benutzer, "ziel_geaendert", "ziel", r["ziel_id"],
                               {k: {"vorher": a, "nachher": b} for k, (a, b) in diff.items()})
    return {"neu": len(neu), "geaendert": len(geaendert), "unveraendert": len(gleich)}


def entfernen(store, ziel_id: str, benutzer: Benutzer | str) -> int:
    """Delete a goal as a goals delivery of its own (audited with its content). Refused with a German message while
    sub-goals hang on it or measures of the Maßnahmenregister serve it: those links would point nowhere."""
    benutzer = handelnder(benutzer, "ziele_bearbeiten")
    ziele = store.lade_ziele()
    if ziel_id not in set(ziele["ziel_id"]):
        raise ImportFehler(f"Ziel „{ziel_id}“ gibt es nicht.")
    m = store.lade_massnahmen()
    dienen = sorted(m.loc[m["ziele"].map(lambda zs: ziel_id in list(zs)), "massnahme_id"]) if len(m) else []
    if dienen:
        raise ImportFehler(f"Ziel {ziel_id} kann nicht gelöscht werden: {len(dienen)} "
                           f"{'Maßnahme dient' if len(dienen) == 1 else 'Maßnahmen dienen'} ihm ({', '.join(dienen)}). "
                           "Bitte die Maßnahmen zuerst einem anderen Ziel zuordnen (Seite Maßnahmen).")
    kinder = sorted(ziele.loc[ziele["parent_id"] == ziel_id, "ziel_id"])
    if kinder:
        raise ImportFehler(f"Ziel {ziel_id} kann nicht gelöscht werden: {len(kinder)} Unterziele hängen daran "
                           f"({', '.join(kinder)}). Bitte diese zuerst löschen oder einem anderen Ziel zuordnen.")
    zeile = {k: (None if pd.isna(v) else str(v)) for k, v in ziele.set_index("ziel_id").loc[ziel_id].items()}
    with store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art="ziele", bezeichnung=f"Ziel {ziel_id} gelöscht", dateiname="Eingabe", benutzer=benutzer,
            quelle="Zielsystem", zeitpunkt=datetime.now(), pruefergebnis={"fehler": 0, "warnungen": 0}))
        store.loesche_ziel(ziel_id, lid)
        store.set_lieferung_counts(lid, 1, 0, 1)
        store.insert_audit(benutzer, "ziel_geloescht", "ziel", ziel_id, zeile)
    return lid


def soll_werte(frame: pd.DataFrame) -> pd.DataFrame:
    """The explicit annual Soll values of checked goals as ``ziel_soll`` rows."""
    return pd.DataFrame([(r["ziel_id"], j, w) for r in frame.to_dict("records") for j, w in r["_soll"].items()],
                        columns=["ziel_id", "jahr", "soll"])


def _soll_gleich(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(np.isclose(float(a[j]), float(b[j])) for j in a)


def _sha(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()

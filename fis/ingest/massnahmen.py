"""The Maßnahmenregister: read, check, preview, commit — for a file (YAML, CSV, XLSX) and for the form of the app.

A delivery names measures by their Kennung. For a measure already in the register it changes what it delivers
and keeps the rest: a YAML key or a table column that is missing leaves that field as it was, a year not named
keeps its figures, an evaluation replaces the one of the same day. A new status is added to the status history
with its date (``status_seit``, default today), so the history grows with every delivery that changes it; a
``status_verlauf`` replaces the history. Measures the delivery does not name stay (a partial delivery). Every
changed measure becomes a new version in one delivery, which can be published and rolled back.

YAML::

    massnahmen:
      - id: M01
        titel: Ambulante Hilfen im Sozialraum ausbauen
        handlungsfeld: Kinder und Jugend
        sozialraeume: [0101, 0102]          # or „stadtweit“
        ziele: [H1, H6]
        produkte: ["11.06.03.01"]
        traeger: Jugendamt, freie Träger
        verantwortlich: Jugendamt, Abt. 51.3
        beginn: 2023-01-01
        ende: 2027-12-31
        status: laufend
        status_verlauf: [{status: geplant, seit: 2022-06-01}, {status: laufend, seit: 2023-01-01}]
        haushalt: {produkt: "11.06.03.01", position: 15}
        jahre: {2024: {budget_plan: 250000, budget_ist: 238000, teilnehmende: 60, faelle: 42}}
        evaluationen:
          - {datum: 2025-03-31, methode: Fremdevaluation, ergebnis: wirksam, kennzahlen: "Heimquote", text: …}

CSV/XLSX: one row per measure; columns as the YAML keys (lists separated by commas), the figures per year as
``budget_plan_2024``, ``budget_ist_2024``, ``teilnehmende_2024``, ``plaetze_2024``, ``faelle_2024``, one evaluation
per row as ``evaluation_datum``, ``evaluation_methode``, ``evaluation_ergebnis``, ``evaluation_kennzahlen``,
``evaluation_text``, ``evaluation_dokument``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.massnahmen_lesen import EVALUATION, TEXTE, als_liste, als_text, aus_tabelle, aus_yaml, leer
from fis.ingest.massnahmeregeln import (
    ERGEBNISSE,
    MASSNAHME_ERGEBNIS,
    MASSNAHME_EVALUATIONEN,
    MASSNAHME_JAHRE,
    MASSNAHME_KOPF,
    MASSNAHME_ZEILEN,
    STATUS,
)
from fis.ingest.pruefregeln import KONTAKTDATEN, Kontext, anwenden, liste, normiert
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import dezimalstil, heute, parse_datum, parse_zahlen
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ART = "massnahmen"
ENDUNGEN = (".yaml", ".yml", ".csv", ".txt", ".xlsx")
LISTEN = ("raeume", "ziele", "produkte")
KENNZAHLEN = ("budget_plan", "budget_ist", "teilnehmende", "plaetze", "faelle")
_STATUS = {**{s: s for s in STATUS}, "in umsetzung": "laufend", "beendet": "abgeschlossen"}
_METHODE = {"selbstevaluation": "Selbstevaluation", "selbst": "Selbstevaluation", "intern": "Selbstevaluation",
            "fremdevaluation": "Fremdevaluation", "fremd": "Fremdevaluation", "extern": "Fremdevaluation"}
_ERGEBNIS = {**{e: e for e in ERGEBNISSE}, "teilweise": "teilweise wirksam", "unwirksam": "nicht wirksam"}
STADTWEIT = {"stadtweit", "gesamtstadt", "alle"}


@dataclass
class MassnahmeVorbereitung:
    dateiname: str
    sha256: str
    massnahmen: pd.DataFrame        # rows for ``massnahme`` (new and changed only)
    status: pd.DataFrame            # their status history
    jahre: pd.DataFrame             # their figures per year
    evaluationen: pd.DataFrame      # their evaluations
    vergleich: pd.DataFrame         # massnahme_id, titel, art (neu/geändert/unverändert), geaendert
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and len(self.massnahmen) > 0


# --------------------------------------------------------------------------- merging with the register

def datum_wert(v, jan1: bool = False) -> tuple[date | None, bool, str]:
    """(date, invalid, text) of one delivered value; a bare year is 1 January with ``jan1``, else 31 December."""
    if leer(v):
        return None, False, ""
    if isinstance(v, datetime):
        return v.date(), False, str(v.date())
    if isinstance(v, date):
        return v, False, str(v)
    text = als_text(v)
    if jan1 and re.fullmatch(r"(19|20)\d{2}", text):
        return date(int(text), 1, 1), False, text
    tage, falsch, _ = parse_datum(pd.Series([text]))
    return (None, True, text) if falsch.iloc[0] or pd.isna(tage.iloc[0]) else (tage.iloc[0].date(), False, text)


@dataclass
class _Bezug:
    """What a delivery is checked against."""

    register: dict[str, dict]      # massnahme_id → the current record (as :func:`_datensatz` builds it)
    raeume: dict[str, str]         # key (id and normalised name) → Sozialraum id
    ziele: set[str]
    produkte: set[str]
    handlungsfelder: set[str]


def bezug(store: Store) -> _Bezug:
    """The register and the references of ``store`` (the current, not only the published state)."""
    m = store.lade_massnahmen()
    status, jahre, ev = store.lade_massnahme_status(), store.lade_massnahme_jahre(), store.lade_massnahme_evaluationen()
    register = {}
    for row in m.to_dict("records"):
        mid = row["massnahme_id"]
        register[mid] = {
            **{f: "" if leer(row[f]) else row[f] for f in TEXTE}, **{f: list(row[f]) for f in LISTEN},
            "beginn": _tag(row["beginn"]), "ende": _tag(row["ende"]), "status": row["status"],
            "haushalt_produkt": "" if leer(row["haushalt_produkt"]) else row["haushalt_produkt"],
            "haushalt_position": None if pd.isna(row["haushalt_position"]) else int(row["haushalt_position"]),
            "verlauf": [(s, _tag(t)) for s, t in status.loc[status["massnahme_id"] == mid, ["status", "seit"]]
                        .itertuples(index=False)],
            "jahre": {int(j.pop("jahr")): {k: (None if pd.isna(v) else float(v)) for k, v in j.items()}
                      for j in jahre[jahre["massnahme_id"] == mid].drop(columns="massnahme_id").to_dict("records")},
            "evaluationen": {_tag(e["datum"]): {k: ("" if leer(e[k]) else e[k]) for k in EVALUATION if k != "datum"}
                             for e in ev[ev["massnahme_id"] == mid].to_dict("records")}}
    schluessel = raumschluessel(store)
    katalog = store.lade_indikatoren()
    hf = set(katalog["handlungsfeld"].dropna()) if "handlungsfeld" in katalog else set()
    produkte = store.lade_produkte()
    return _Bezug(register, schluessel, set(store.lade_ziele()["ziel_id"]),
                  set(produkte["nr"]) if "nr" in produkte else set(), hf)


def _tag(v) -> date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _zusammenfuehren(r: dict, alt: dict | None, flags: dict) -> dict:
    """The full record of a delivered entry: the delivered fields over the current record."""
    neu = dict(alt or {f: "" for f in TEXTE} | {f: [] for f in LISTEN} | {
        "beginn": None, "ende": None, "status": "", "haushalt_produkt": "", "haushalt_position": None,
        "verlauf": [], "jahre": {}, "evaluationen": {}})
    neu = copy.deepcopy(neu)                  # the register's record stays as it is (the comparison needs it)
    for f in TEXTE:
        if f in r:
            neu[f] = als_text(r[f])
    for f in LISTEN:
        if f in r:
            neu[f] = als_liste(r[f])
    daten_falsch = []
    for f in ("beginn", "ende"):
        if f in r:
            tag, falsch, text = datum_wert(r[f], jan1=f == "beginn")
            neu[f] = tag
            if falsch:
                daten_falsch.append(text)
    if "haushalt_produkt" in r:
        neu["haushalt_produkt"] = als_text(r["haushalt_produkt"])
    if "haushalt_position" in r:
        text = als_text(r["haushalt_position"])
        neu["haushalt_position"] = int(text) if text.isdigit() else None
        flags["_position_falsch"] = (text != "" and not text.isdigit()) or (text != "" and not neu["haushalt_produkt"])
        flags["_position_text"] = text
    # status and its history
    verlauf = list(neu["verlauf"])
    falscher_status = []
    if "status_verlauf" in r:
        verlauf = []
        for s, t in r["status_verlauf"]:
            st = _STATUS.get(normiert(als_text(s)), "")
            tag, falsch, text = datum_wert(t, jan1=True)
            if not st:
                falscher_status.append(als_text(s))
            if falsch or tag is None:
                daten_falsch.append(text or "(leer)")
            if st and tag:
                verlauf.append((st, tag))
    if "status" in r and not leer(r["status"]):
        st = _STATUS.get(normiert(als_text(r["status"])), "")
        if not st:
            falscher_status.append(als_text(r["status"]))
        seit, falsch, text = datum_wert(r.get("status_seit"), jan1=True)
        if falsch:
            daten_falsch.append(text)
        if st and (not verlauf or sorted(verlauf, key=lambda x: x[1])[-1][0] != st):
            verlauf.append((st, seit or (neu["beginn"] if not verlauf and neu["beginn"] else None) or heute()))
    verlauf = sorted(dict.fromkeys(verlauf), key=lambda x: x[1])
    neu["verlauf"] = verlauf
    neu["status"] = verlauf[-1][0] if verlauf else ""
    # figures per year
    for j, felder in (r.get("jahre") or {}).items():
        jahr = als_text(j)
        eintrag = neu["jahre"].setdefault(int(jahr) if re.fullmatch(r"\d{4}", jahr) else jahr, {})
        for k in KENNZAHLEN:
            if k in felder:
                eintrag[k] = felder[k]
    # evaluations: by day; a table row adds or replaces one, a YAML list replaces them all
    if "evaluationen" in r:
        if not r.get("_evaluation_ergaenzen"):
            neu["evaluationen"] = {}
        for i, e in enumerate(r["evaluationen"]):
            tag, falsch, text = datum_wert(e.get("datum"))
            schluessel = tag if tag else f"?{i}:{text}"
            neu["evaluationen"][schluessel] = {k: e.get(k, "") for k in EVALUATION if k != "datum"} | {
                "_text": text, "_falsch": falsch or tag is None}
    flags["_datum_falsch"] = bool(daten_falsch)
    flags["_datum_text"] = ", ".join(daten_falsch)
    flags["_status_falsch"] = bool(falscher_status)
    flags["_status_text"] = ", ".join(falscher_status)
    return neu


def raumschluessel(store: Store) -> dict[str, str]:
    """Key (Kennung, or the normalised name) → Sozialraum id, for deliveries that name areas either way."""
    raeume = store.lade_raeume(ebene=1)
    return {r: r for r in raeume["raum_id"]} | {normiert(n): r for r, n in zip(raeume["raum_id"], raeume["name"],
                                                                           strict=True)}


def gebiete_aufloesen(genannt: list[str], schluessel: dict[str, str]) -> tuple[list[str], list[str]]:
    """The Sozialräume named by id or name (sorted ids; „stadtweit“ → none) and the names not found."""
    if any(normiert(x) in STADTWEIT for x in genannt):
        return [], []
    fremd = [x for x in genannt if x not in schluessel and normiert(x) not in schluessel]
    return sorted({schluessel.get(x, schluessel.get(normiert(x))) for x in genannt} - {None}), fremd


def _raeume_aufloesen(neu: dict, b: _Bezug, flags: dict) -> None:
    neu["raeume"], fremd = gebiete_aufloesen(neu["raeume"], b.raeume)
    flags["_raum_fremd"], flags["_raum_fremd_text"] = bool(fremd), ", ".join(fremd)


# --------------------------------------------------------------------------- prepare and commit

def vorbereiten(store: Store, data: bytes, dateiname: str, blatt: str | None = None) -> MassnahmeVorbereitung:
    """Read and check a file of measures (:data:`fis.ingest.massnahmeregeln`); nothing is written."""
    name = pruefe_datei(data, dateiname, ENDUNGEN)
    bericht = Pruefbericht()
    digest = sha256(data)
    pruefe_doppelte_datei(store, digest, bericht)
    if name.lower().endswith((".yaml", ".yml")):
        eintraege, kopf = aus_yaml(data, name), pd.DataFrame({"wert": ["id"], "art": ["id"]})
    else:
        eintraege, kopf = aus_tabelle(data, name, blatt)
    kontext = Kontext(felder={"vorhanden": liste(kopf["wert"], 12)})
    anwenden(MASSNAHME_KOPF, kopf, kontext, bericht)
    if not bericht.ok:
        return _leer_vorbereitung(name, digest, bericht)
    if not eintraege:
        raise ImportFehler(f"„{name}“ enthält keine Maßnahmen.")
    return pruefen(store, eintraege, name, digest, bericht)


def aus_formular(store: Store, eintrag: dict) -> MassnahmeVorbereitung:
    """Check one measure entered in the app (the same fields and checks as a YAML entry); nothing is written."""
    inhalt = json.dumps(eintrag, default=str, sort_keys=True, ensure_ascii=False).encode()
    return pruefen(store, [{"_zeile": 1, **eintrag}], "Formular", hashlib.sha256(inhalt).hexdigest(), Pruefbericht())


def _leer_vorbereitung(name, digest, bericht) -> MassnahmeVorbereitung:
    leer = pd.DataFrame()
    return MassnahmeVorbereitung(name, digest, leer, leer, leer, leer, leer, bericht)


def pruefen(store: Store, eintraege: list[dict], name: str, digest: str, bericht: Pruefbericht
            ) -> MassnahmeVorbereitung:
    """Merge the delivered entries with the register and check them."""
    b = bezug(store)
    zeilen, datensaetze = [], {}
    ids = [r["id"] for r in eintraege]
    for r in eintraege:
        flags: dict = {"zeile": r["_zeile"], "massnahme_id": r["id"], "_position_falsch": False, "_position_text": ""}
        neu = _zusammenfuehren(r, b.register.get(r["id"]), flags)
        _raeume_aufloesen(neu, b, flags)
        fehlt = [f for f, v in (("Kennung", r["id"]), ("Titel", neu["titel"]), ("Handlungsfeld", neu["handlungsfeld"]),
                                ("Status", neu["status"])) if not v and not (f == "Status" and flags["_status_falsch"])]
        ziele_fremd = [z for z in neu["ziele"] if z not in b.ziele]
        produkte_fremd = [p for p in neu["produkte"] if p not in b.produkte]
        freitext = " ".join(str(neu[f]) for f in TEXTE) + " ".join(
            str(e.get("text", "")) for e in neu["evaluationen"].values())
        flags |= {"titel": neu["titel"], "handlungsfeld": neu["handlungsfeld"], "_pflicht": bool(fehlt),
                  "_pflicht_text": "fehlt: " + ", ".join(fehlt),
                  "_verkehrt": bool(neu["beginn"] and neu["ende"] and neu["ende"] < neu["beginn"]),
                  "_ziel_fremd": bool(ziele_fremd), "_ziel_fremd_text": ", ".join(ziele_fremd),
                  "_produkt_fremd": bool(produkte_fremd), "_produkt_fremd_text": ", ".join(produkte_fremd),
                  "_hf_fremd": bool(b.handlungsfelder) and bool(neu["handlungsfeld"])
                  and neu["handlungsfeld"] not in b.handlungsfelder,
                  "_kontakt": bool(KONTAKTDATEN.search(freitext))}
        flags.setdefault("_raum_fremd", False)
        flags.setdefault("_raum_fremd_text", "")
        zeilen.append(flags)
        datensaetze[r["id"]] = neu
    frame = pd.DataFrame(zeilen)
    frame["_doppelt"] = frame["massnahme_id"].duplicated(keep=False) & (frame["massnahme_id"] != "")
    kontext = Kontext(felder={"handlungsfelder": ", ".join(sorted(b.handlungsfelder)) or "keine"})
    anwenden(MASSNAHME_ZEILEN, frame, kontext, bericht)
    jahre, evaluationen = _jahre(datensaetze, frame), _evaluationen(datensaetze, frame)
    anwenden(MASSNAHME_JAHRE, jahre, kontext, bericht)
    anwenden(MASSNAHME_EVALUATIONEN, evaluationen, kontext, bericht)
    vergleich = _vergleiche(datensaetze, b, jahre, evaluationen)
    geaendert = vergleich.loc[vergleich["art"] != "unverändert", "massnahme_id"]
    if bericht.ok:
        nicht = sorted(set(b.register) - set(ids))
        anwenden(MASSNAHME_ERGEBNIS, geaendert.to_frame(), kontext, bericht,
                 funde={"massnahme_teillieferung": pd.DataFrame({"wert": nicht})})
    behalten = set(geaendert)
    m = pd.DataFrame([{"massnahme_id": mid, **{f: d[f] or None for f in TEXTE}, **{f: d[f] for f in LISTEN},
                       "beginn": d["beginn"], "ende": d["ende"], "status": d["status"],
                       "haushalt_produkt": d["haushalt_produkt"] or None, "haushalt_position": d["haushalt_position"]}
                      for mid, d in datensaetze.items() if mid in behalten])
    status = pd.DataFrame([(mid, s, t) for mid, d in datensaetze.items() if mid in behalten for s, t in d["verlauf"]],
                          columns=["massnahme_id", "status", "seit"])
    return MassnahmeVorbereitung(
        name, digest, m, status, jahre[jahre["massnahme_id"].isin(behalten)][["massnahme_id", "jahr", *KENNZAHLEN]]
        .reset_index(drop=True) if len(jahre) else jahre,
        evaluationen[evaluationen["massnahme_id"].isin(behalten)][["massnahme_id", *EVALUATION]]
        .reset_index(drop=True) if len(evaluationen) else evaluationen, vergleich, bericht)


def _jahre(datensaetze: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """Figures per year, parsed (German or English decimals), with the flags of :data:`MASSNAHME_JAHRE`."""
    zeile = dict(zip(frame["massnahme_id"], frame["zeile"], strict=False))
    rows = [(mid, zeile[mid], j, k, v) for mid, d in datensaetze.items() for j, f in d["jahre"].items()
            for k, v in f.items()]
    roh = pd.DataFrame(rows, columns=["massnahme_id", "zeile", "jahr", "spalte", "roh"])
    if roh.empty:
        return pd.DataFrame(columns=["massnahme_id", "zeile", "jahr", *KENNZAHLEN, "_jahr_falsch", "_zahl_falsch",
                                     "jahr_text", "spalte", "text"])
    roh["text"] = roh["roh"].map(als_text)
    zahl = pd.to_numeric(roh["roh"].where(roh["roh"].map(lambda v: isinstance(v, (int, float)))), errors="coerce")
    texte = roh["text"].where(roh["roh"].map(lambda v: isinstance(v, str)), "")
    if (texte != "").any():
        stil, _, _ = dezimalstil(texte[texte != ""])
        geparst, _, _ = parse_zahlen(texte, "punkt" if stil == "punkt" else "komma")
        zahl = zahl.fillna(geparst)
    roh["wert"] = zahl
    roh["_zahl_falsch"] = (roh["text"] != "") & (zahl.isna() | (zahl < 0))
    roh["jahr_text"] = roh["jahr"].astype(str)
    roh["_jahr_falsch"] = ~roh["jahr_text"].str.fullmatch(r"\d{4}") | ~roh["jahr_text"].str[:4].map(
        lambda t: t.isdigit() and 1990 <= int(t) <= 2100)
    breit = roh.pivot_table(index=["massnahme_id", "jahr"], columns="spalte", values="wert", aggfunc="first",
                            dropna=False).reindex(columns=list(KENNZAHLEN)).reset_index()
    flags = roh.groupby(["massnahme_id", "jahr"], as_index=False).agg(
        zeile=("zeile", "first"), _jahr_falsch=("_jahr_falsch", "any"), _zahl_falsch=("_zahl_falsch", "any"),
        jahr_text=("jahr_text", "first"), spalte=("spalte", lambda s: ", ".join(s)),
        text=("text", lambda s: ", ".join(t for t in s if t)))
    out = flags.merge(breit, on=["massnahme_id", "jahr"], how="left")
    # a year whose figures are all empty is dropped (a table row with empty year cells)
    return out[out[list(KENNZAHLEN)].notna().any(axis=1) | out["_jahr_falsch"] | out["_zahl_falsch"]
               ].reset_index(drop=True)


def _evaluationen(datensaetze: dict, frame: pd.DataFrame) -> pd.DataFrame:
    zeile = dict(zip(frame["massnahme_id"], frame["zeile"], strict=False))
    rows = []
    for mid, d in datensaetze.items():
        for tag, e in d["evaluationen"].items():
            methode, ergebnis = als_text(e.get("methode")), als_text(e.get("ergebnis"))
            rows.append({"massnahme_id": mid, "zeile": zeile[mid], "datum": tag if isinstance(tag, date) else None,
                         "methode": _METHODE.get(normiert(methode), ""),
                         "ergebnis": _ERGEBNIS.get(normiert(ergebnis), ""),
                         **{k: als_text(e.get(k)) or None for k in ("kennzahlen", "text", "dokument")},
                         "datum_text": e.get("_text", str(tag)), "methode_text": methode, "ergebnis_text": ergebnis,
                         "_datum_falsch": bool(e.get("_falsch")) or not isinstance(tag, date)})
    out = pd.DataFrame(rows, columns=["massnahme_id", "zeile", *EVALUATION, "datum_text", "methode_text",
                                      "ergebnis_text", "_datum_falsch"])
    out["_methode_falsch"] = out["methode"] == ""
    out["_ergebnis_falsch"] = out["ergebnis"] == ""
    out["_doppelt"] = False          # by construction one per day and measure (a later one replaces)
    return out


def _teile(d: dict, jahre: pd.DataFrame, ev: pd.DataFrame, mid: str) -> dict[str, object]:
    """The parts of a measure that are compared: status history, figures per year, evaluations."""
    j = jahre[jahre["massnahme_id"] == mid] if len(jahre) else jahre
    e = ev[ev["massnahme_id"] == mid] if len(ev) else ev
    return {"Statusverlauf": [(s, str(t)) for s, t in d["verlauf"]],
            "Jahreswerte": sorted((int(r.jahr), *[None if pd.isna(getattr(r, k)) else round(float(getattr(r, k)), 2)
                                                  for k in KENNZAHLEN]) for r in j.itertuples()),
            "Evaluationen": sorted((str(r.datum), r.methode, r.ergebnis, r.kennzahlen or "", r.text or "",
                                    r.dokument or "") for r in e.itertuples())}


_STAMM = (*TEXTE, *LISTEN, "beginn", "ende", "status", "haushalt_produkt", "haushalt_position")


def _vergleiche(datensaetze: dict, b: _Bezug, jahre: pd.DataFrame, ev: pd.DataFrame) -> pd.DataFrame:
    """neu / geändert / unverändert per delivered measure, and what changed (for the preview)."""
    alt_j = pd.DataFrame([{"massnahme_id": mid, "jahr": j, **f} for mid, d in b.register.items()
                          for j, f in d["jahre"].items()], columns=["massnahme_id", "jahr", *KENNZAHLEN])
    alt_e = pd.DataFrame([{"massnahme_id": mid, "datum": t, **e} for mid, d in b.register.items()
                          for t, e in d["evaluationen"].items()], columns=["massnahme_id", *EVALUATION])
    zeilen = []
    for mid, d in datensaetze.items():
        alt = b.register.get(mid)
        if alt is None:
            zeilen.append((mid, d["titel"], "neu", ""))
            continue
        was = [f for f in _STAMM if (sorted(d[f]) if f in LISTEN else d[f] or None)
               != (sorted(alt[f]) if f in LISTEN else alt[f] or None)]
        neu_t, alt_t = _teile(d, jahre, ev, mid), _teile(alt, alt_j, alt_e, mid)
        was += [k for k in neu_t if neu_t[k] != alt_t[k]]
        zeilen.append((mid, d["titel"], "geändert" if was else "unverändert", ", ".join(was)))
    return pd.DataFrame(zeilen, columns=["massnahme_id", "titel", "art", "geaendert"])


def uebernehmen(store: Store, v: MassnahmeVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, zeitpunkt: datetime | None = None) -> int:
    """Commit checked measures in one transaction as one delivery (a version of each changed measure)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Die Maßnahmen können nicht übernommen werden:\n" + v.bericht.als_text())
    counts = v.vergleich["art"].value_counts()
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art=ART, bezeichnung=bezeichnung or f"Maßnahmen ({v.dateiname})", benutzer=benutzer,
            dateiname=None if v.dateiname == "Formular" else v.dateiname, sha256=v.sha256, quelle=quelle,
            zeitpunkt=zeitpunkt, pruefergebnis=v.bericht.zusammenfassung()))
        store.insert_massnahmen(v.massnahmen.assign(lieferung_id=lid), v.status.assign(lieferung_id=lid),
                                v.jahre.assign(lieferung_id=lid), v.evaluationen.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.massnahmen), int(counts.get("neu", 0)), int(counts.get("geändert", 0)))
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": ART, "datei": v.dateiname, "massnahmen": sorted(v.massnahmen["massnahme_id"]),
            "neu": int(counts.get("neu", 0)), "geaendert": int(counts.get("geändert", 0))})
    return lid


def vorschau(v: MassnahmeVorbereitung) -> str:
    """One German line: what the delivery changes."""
    n = v.vergleich["art"].value_counts() if len(v.vergleich) else pd.Series(dtype=int)
    return ", ".join(f"{k} {n.get(k, 0)}" for k in ("neu", "geändert", "unverändert"))

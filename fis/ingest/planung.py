"""Planungszyklus und Beteiligung: read, check, commit — a YAML file or the forms of the app, the same way.

YAML::

    planungszyklus:
      - bereich: Jugendhilfeplanung            # a Fachplanung or a Handlungsfeld
        handlungsfeld: Kinder und Jugend
        phase: Umsetzung                        # Auftrag … Fortschreibung (handbook Abb. 7)
        phase_seit: 2024-03-01
        auftrag: {gremium: Jugendhilfeausschuss, datum: 2022-05-10, drucksache: "JHA/2022/031"}
        fortschreibung_faellig: 2027-06-30
        verantwortlich: Jugendamt, Jugendhilfeplanung
    beteiligung:
      - id: B01
        art: Sozialraumkonferenz                # Fachkonferenz, Sozialplanungskonferenz, Bürgerbeteiligung, Trägerrunde
        datum: 2024-03-14
        titel: Sozialraumkonferenz Nord
        sozialraeume: ["0201", "0202"]          # or „stadtweit“
        bereich: Kinder und Jugend
        teilnehmende: {Bürgerinnen und Bürger: 18, freie Träger: 11, Verwaltung: 6}
        themen: Kinderarmut, Treffpunkte für Jugendliche
        ergebnisse: Lotsenprojekt beantragt
        massnahmen: [M10]
        ziele: [K2]

A Planungszyklus entry changes what it names and keeps the rest; a new phase enters the phase history with its
date (``phase_seit``, default today). A Beteiligung entry is the whole record of one event. Participants are
counts per group only: e-mail addresses and telephone numbers in any free text are refused (no personal data).
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
from fis.ingest.grenzen import yaml_laden
from fis.ingest.lesen import ImportFehler, pruefe_datei, sha256
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.massnahmen import datum_wert, gebiete_aufloesen, raumschluessel
from fis.ingest.massnahmen_lesen import als_liste, als_text, leer
from fis.ingest.pruefregeln import KEINE_AENDERUNG, KONTAKTDATEN, Kontext, Pruefregel, anwenden, normiert, zeilen
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import heute
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

ART = "planung"
PHASEN = ("Auftrag", "Bestandsaufnahme", "Bedarfsermittlung", "Zielentwicklung", "Maßnahmenplanung", "Umsetzung",
          "Evaluation", "Fortschreibung")
ARTEN = ("Sozialraumkonferenz", "Fachkonferenz", "Sozialplanungskonferenz", "Bürgerbeteiligung", "Trägerrunde")
_PHASE = {normiert(p): p for p in PHASEN}
_ART = {normiert(a): a for a in ARTEN}


def _maske(spalte: str, feld: str, wert: str, hinweis: str):
    return lambda d, k: zeilen(d, d[spalte], feld, wert, hinweis)


PLANUNG_REGELN: tuple[Pruefregel, ...] = (
    Pruefregel("zyklus_pflicht", "Fehler", "Pflichtangabe fehlt",
               "{n:Eintrag des Planungszyklus hat|Einträge des Planungszyklus haben} keinen Bereich oder keine Phase.",
               finden=_maske("_pflicht", "bereich/phase", "bereich", "fehlt")),
    Pruefregel("zyklus_phase", "Fehler", "Unbekannte Phase",
               "{n:Eintrag nennt|Einträge nennen} eine unbekannte Phase (z. B. „{beispiel}“). Erlaubt: "
               + ", ".join(PHASEN) + ".", finden=_maske("_phase_falsch", "phase", "_phase_text", "unbekannt")),
    Pruefregel("zyklus_datum", "Fehler", "Ungültiges Datum",
               "{n:Eintrag hat|Einträge haben} ein Datum, das keines ist (z. B. „{beispiel}“; erwartet TT.MM.JJJJ).",
               finden=_maske("_datum_falsch", "datum", "_datum_text", "kein Datum")),
    Pruefregel("beteiligung_pflicht", "Fehler", "Pflichtangabe fehlt",
               "{n:Beteiligung hat|Beteiligungen haben} keine Kennung, keine Art, kein Datum oder keinen Titel.",
               finden=_maske("_b_pflicht", "id/art/datum/titel", "beteiligung_id", "fehlt")),
    Pruefregel("beteiligung_art", "Fehler", "Unbekannte Art der Beteiligung",
               "{n:Beteiligung hat|Beteiligungen haben} eine unbekannte Art (z. B. „{beispiel}“). Erlaubt: "
               + ", ".join(ARTEN) + ".", finden=_maske("_art_falsch", "art", "_art_text", "unbekannt")),
    Pruefregel("beteiligung_datum", "Fehler", "Ungültiges Datum",
               "{n:Beteiligung hat|Beteiligungen haben} ein ungültiges Datum (z. B. „{beispiel}“).",
               finden=_maske("_b_datum_falsch", "datum", "_b_datum_text", "kein Datum")),
    Pruefregel("beteiligung_bezug", "Fehler", "Unbekannter Bezug",
               "{n:Beteiligung nennt|Beteiligungen nennen} Sozialräume, Maßnahmen oder Ziele, die es nicht gibt "
               "({werte}).", finden=_maske("_bezug_falsch", "sozialraeume/massnahmen/ziele", "_bezug_text",
                                           "unbekannt")),
    Pruefregel("beteiligung_anzahl", "Fehler", "Teilnehmende keine Anzahl",
               "{n:Beteiligung hat|Beteiligungen haben} Teilnehmende, die keine ganze Zahl ab 0 sind ({werte}).",
               abhilfe="Teilnehmende werden je Gruppe gezählt, z. B. „freie Träger: 11“.",
               finden=_maske("_anzahl_falsch", "teilnehmende", "_anzahl_text", "keine Anzahl")),
    Pruefregel("beteiligung_kontakt", "Fehler", "Persönliche Daten",
               "{n:Beteiligung enthält|Beteiligungen enthalten} eine E-Mail-Adresse oder Telefonnummer ({werte}).",
               abhilfe="Beteiligung wird ohne personenbezogene Daten erfasst: Teilnehmende nur als Anzahl je Gruppe, "
                       "keine Namen, Adressen oder Telefonnummern von Privatpersonen.",
               finden=_maske("_kontakt", "Freitext", "beteiligung_id", "Kontaktdaten")),
    Pruefregel("planung_doppelt", "Fehler", "Doppelt",
               "{n:Eintrag kommt|Einträge kommen} in der Lieferung mehrfach vor ({werte}).",
               finden=_maske("_doppelt", "bereich/id", "schluessel", "doppelt")),
    KEINE_AENDERUNG["planung"],
)


@dataclass
class PlanungVorbereitung:
    dateiname: str
    sha256: str
    zyklus: pd.DataFrame
    phasen: pd.DataFrame
    beteiligung: pd.DataFrame
    teilnehmende: pd.DataFrame
    vergleich: pd.DataFrame          # schluessel, art (neu/geändert/unverändert)
    bericht: Pruefbericht

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and (len(self.zyklus) + len(self.beteiligung)) > 0


def _register(store: Store) -> tuple[dict, dict]:
    z, ph = store.lade_planungszyklus()
    b, t = store.lade_beteiligung()
    zyklus = {}
    for r in z.to_dict("records"):
        zyklus[r["bereich"]] = {**{k: (None if leer(r[k]) or (not isinstance(r[k], str) and pd.isna(r[k])) else r[k])
                                   for k in ("handlungsfeld", "phase", "auftrag_gremium", "drucksache",
                                             "verantwortlich", "bemerkung")},
                                **{k: _tag(r[k]) for k in ("auftrag_datum", "fortschreibung_faellig")},
                                "verlauf": [(p, _tag(s)) for p, s in ph.loc[ph["bereich"] == r["bereich"],
                                                                            ["phase", "seit"]].itertuples(index=False)]}
    beteiligung = {r["beteiligung_id"]: _b_kanonisch(r, t[t["beteiligung_id"] == r["beteiligung_id"]])
                   for r in b.to_dict("records")}
    return zyklus, beteiligung


def _tag(v) -> date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _b_kanonisch(r: dict, t: pd.DataFrame) -> str:
    """One event as compared (stored record or delivered entry): its fields and participants, order-free."""
    texte = {k: "" if leer(r[k]) else r[k] for k in ("bereich", "themen", "ergebnisse")}
    return json.dumps({"art": r["art"], "datum": str(_tag(r["datum"])), "titel": r["titel"], **texte,
                       "raeume": sorted(r["raeume"]), "massnahmen": sorted(r["massnahmen"]),
                       "ziele": sorted(r["ziele"]),
                       "teilnehmende": sorted(zip(t["gruppe"], map(int, t["anzahl"]), strict=True))},
                      sort_keys=True, ensure_ascii=False)


def vorbereiten(store: Store, data: bytes, dateiname: str, blatt: str | None = None) -> PlanungVorbereitung:
    """Read and check a YAML file with ``planungszyklus:`` and/or ``beteiligung:``; nothing is written."""
    name = pruefe_datei(data, dateiname, (".yaml", ".yml"))
    daten = yaml_laden(data, name)
    teile = ("planungszyklus", "beteiligung")
    if not isinstance(daten, dict) or not any(isinstance(daten.get(k), list) for k in teile):
        raise ImportFehler(f"„{name}“: erwartet werden Listen unter „planungszyklus:“ und/oder „beteiligung:“.")
    bericht = Pruefbericht()
    digest = sha256(data)
    pruefe_doppelte_datei(store, digest, bericht)
    return pruefen(store, [e for e in daten.get("planungszyklus") or [] if isinstance(e, dict)],
                   [e for e in daten.get("beteiligung") or [] if isinstance(e, dict)], name, digest, bericht)


def aus_formular(store: Store, zyklus: list[dict], beteiligung: list[dict]) -> PlanungVorbereitung:
    """Check entries from the app's forms (the same checks as a file); nothing is written."""
    inhalt = json.dumps([zyklus, beteiligung], default=str, sort_keys=True, ensure_ascii=False).encode()
    return pruefen(store, zyklus, beteiligung, "Formular", hashlib.sha256(inhalt).hexdigest(), Pruefbericht())


def _zyklus(eintraege: list[dict], alt: dict) -> tuple[pd.DataFrame, dict]:
    zeilen_, saetze = [], {}
    for i, e in enumerate(eintraege, start=1):
        bereich = als_text(e.get("bereich"))
        neu = copy.deepcopy(alt.get(bereich) or {"handlungsfeld": None, "phase": None, "auftrag_gremium": None,
                                                  "auftrag_datum": None, "drucksache": None,
                                                  "fortschreibung_faellig": None, "verantwortlich": None,
                                                  "bemerkung": None, "verlauf": []})
        falsch = []
        for k in ("handlungsfeld", "verantwortlich", "bemerkung"):
            if k in e:
                neu[k] = als_text(e[k]) or None
        auftrag = e.get("auftrag") if isinstance(e.get("auftrag"), dict) else {}
        for k, q in (("auftrag_gremium", "gremium"), ("drucksache", "drucksache")):
            if q in auftrag:
                neu[k] = als_text(auftrag[q]) or None
        for k, wert in (("auftrag_datum", auftrag.get("datum", neu["auftrag_datum"])),
                        ("fortschreibung_faellig", e.get("fortschreibung_faellig", neu["fortschreibung_faellig"]))):
            tag, f, text = datum_wert(wert)
            neu[k] = tag
            falsch += [text] if f else []
        phase_text = als_text(e.get("phase"))
        phase = _PHASE.get(normiert(phase_text), "") if phase_text else ""
        if phase and (not neu["verlauf"] or neu["verlauf"][-1][0] != phase):
            seit, f, text = datum_wert(e.get("phase_seit"), jan1=True)
            falsch += [text] if f else []
            neu["verlauf"] = sorted([*neu["verlauf"], (phase, seit or heute())], key=lambda x: x[1])
        neu["phase"] = neu["verlauf"][-1][0] if neu["verlauf"] else None
        zeilen_.append({"zeile": i, "schluessel": bereich, "bereich": bereich,
                        "_pflicht": not bereich or not (neu["phase"] or phase_text),
                        "_phase_falsch": bool(phase_text) and not phase, "_phase_text": phase_text,
                        "_datum_falsch": bool(falsch), "_datum_text": ", ".join(falsch)})
        saetze[bereich] = neu
    spalten = ["zeile", "schluessel", "bereich", "_pflicht", "_phase_falsch", "_phase_text", "_datum_falsch",
               "_datum_text"]
    return pd.DataFrame(zeilen_, columns=spalten), saetze


def _beteiligung(eintraege: list[dict], store: Store) -> tuple[pd.DataFrame, dict]:
    schluessel = raumschluessel(store)
    massnahmen = set(store.lade_massnahmen()["massnahme_id"])
    ziele = set(store.lade_ziele()["ziel_id"])
    zeilen_, saetze = [], {}
    for i, e in enumerate(eintraege, start=1):
        bid, art_text, titel = als_text(e.get("id")), als_text(e.get("art")), als_text(e.get("titel"))
        tag, datum_falsch, datum_text = datum_wert(e.get("datum"))
        gebiete, fremd = gebiete_aufloesen(als_liste(e.get("sozialraeume")), schluessel)
        mn, zl = als_liste(e.get("massnahmen")), als_liste(e.get("ziele"))
        fremd += [m for m in mn if m not in massnahmen] + [z for z in zl if z not in ziele]
        teilnehmende = e.get("teilnehmende") if isinstance(e.get("teilnehmende"), dict) else {}
        zahlen, anzahl_falsch = {}, []
        for gruppe, n in teilnehmende.items():
            text = als_text(n)
            if re.fullmatch(r"\d+", text):
                zahlen[als_text(gruppe)] = int(text)
            else:
                anzahl_falsch.append(f"{gruppe}: {text or '(leer)'}")
        freitext = " ".join([titel, als_text(e.get("themen")), als_text(e.get("ergebnisse")), *map(str, teilnehmende)])
        zeilen_.append({
            "zeile": i, "schluessel": bid, "beteiligung_id": bid,
            "_b_pflicht": not (bid and art_text and titel and (tag or datum_falsch)),
            "_art_falsch": bool(art_text) and normiert(art_text) not in _ART, "_art_text": art_text,
            "_b_datum_falsch": datum_falsch, "_b_datum_text": datum_text,
            "_bezug_falsch": bool(fremd), "_bezug_text": ", ".join(fremd),
            "_anzahl_falsch": bool(anzahl_falsch), "_anzahl_text": "; ".join(anzahl_falsch),
            "_kontakt": bool(KONTAKTDATEN.search(freitext))})
        saetze[bid] = {"art": _ART.get(normiert(art_text), art_text), "datum": tag, "titel": titel,
                       "raeume": gebiete,
                       "bereich": als_text(e.get("bereich")) or None, "themen": als_text(e.get("themen")) or None,
                       "ergebnisse": als_text(e.get("ergebnisse")) or None, "massnahmen": mn, "ziele": zl,
                       "teilnehmende": zahlen}
    spalten = ["zeile", "schluessel", "beteiligung_id", "_b_pflicht", "_art_falsch", "_art_text", "_b_datum_falsch",
               "_b_datum_text", "_bezug_falsch", "_bezug_text", "_anzahl_falsch", "_anzahl_text", "_kontakt"]
    return pd.DataFrame(zeilen_, columns=spalten), saetze


def pruefen(store: Store, zyklus: list[dict], beteiligung: list[dict], name: str, digest: str,
            bericht: Pruefbericht) -> PlanungVorbereitung:
    alt_z, alt_b = _register(store)
    zf, zs = _zyklus(zyklus, alt_z)
    bf, bs = _beteiligung(beteiligung, store)
    alle = pd.concat([zf, bf], ignore_index=True)
    for c in alle.columns:
        if c.startswith("_") and not c.endswith("_text"):
            alle[c] = alle[c].fillna(False).astype(bool)
        elif c.endswith("_text"):
            alle[c] = alle[c].fillna("")
    alle["_doppelt"] = pd.concat([zf["schluessel"].duplicated(keep=False), bf["schluessel"].duplicated(keep=False)],
                                 ignore_index=True) & (alle["schluessel"] != "")
    def art(neu, alt) -> str:
        return "neu" if alt is None else "geändert" if neu != alt else "unverändert"
    vergleich = pd.DataFrame(
        [(b, "Planungszyklus", art(s, alt_z.get(b))) for b, s in zs.items()]
        + [(b, "Beteiligung", art(_b_kanonisch(s, pd.DataFrame(list(s["teilnehmende"].items()),
                                                                columns=["gruppe", "anzahl"])), alt_b.get(b)))
           for b, s in bs.items()], columns=["schluessel", "teil", "art"])
    geaendert = vergleich[vergleich["art"] != "unverändert"]
    anwenden(PLANUNG_REGELN[:-1], alle, Kontext(), bericht)
    if bericht.ok:
        anwenden(PLANUNG_REGELN[-1:], geaendert, Kontext(), bericht)
    zk = set(geaendert.loc[geaendert["teil"] == "Planungszyklus", "schluessel"])
    bk = set(geaendert.loc[geaendert["teil"] == "Beteiligung", "schluessel"])
    z = pd.DataFrame([{"bereich": k, **{f: v for f, v in s.items() if f != "verlauf"}} for k, s in zs.items()
                      if k in zk], columns=["bereich", "handlungsfeld", "phase", "auftrag_gremium", "auftrag_datum",
                                            "drucksache", "fortschreibung_faellig", "verantwortlich", "bemerkung"])
    ph = pd.DataFrame([(k, p, t) for k, s in zs.items() if k in zk for p, t in s["verlauf"]],
                      columns=["bereich", "phase", "seit"])
    b = pd.DataFrame([{"beteiligung_id": k, **{f: v for f, v in s.items() if f != "teilnehmende"}}
                      for k, s in bs.items() if k in bk],
                     columns=["beteiligung_id", "art", "datum", "titel", "raeume", "bereich", "themen", "ergebnisse",
                              "massnahmen", "ziele"])
    t = pd.DataFrame([(k, g, n) for k, s in bs.items() if k in bk for g, n in s["teilnehmende"].items()],
                     columns=["beteiligung_id", "gruppe", "anzahl"])
    return PlanungVorbereitung(name, digest, z, ph, b, t, vergleich, bericht)


def uebernehmen(store: Store, v: PlanungVorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, zeitpunkt: datetime | None = None) -> int:
    """Commit checked entries as one delivery (a version of each changed Bereich and event)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not v.uebernehmbar:
        raise ImportFehler("Planungszyklus und Beteiligung können nicht übernommen werden:\n" + v.bericht.als_text())
    n = v.vergleich["art"].value_counts()
    with schreibsperre(store), store.transaction():
        lid = store.insert_lieferung(Lieferung(
            art=ART, bezeichnung=bezeichnung or f"Planungszyklus und Beteiligung ({v.dateiname})", benutzer=benutzer,
            dateiname=None if v.dateiname == "Formular" else v.dateiname, sha256=v.sha256, quelle=quelle,
            zeitpunkt=zeitpunkt, pruefergebnis=v.bericht.zusammenfassung()))
        store.insert_planung(v.zyklus.assign(lieferung_id=lid), v.phasen.assign(lieferung_id=lid),
                             v.beteiligung.assign(lieferung_id=lid), v.teilnehmende.assign(lieferung_id=lid))
        store.set_lieferung_counts(lid, len(v.zyklus) + len(v.beteiligung), int(n.get("neu", 0)),
                                   int(n.get("geändert", 0)))
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": ART, "bereiche": sorted(v.zyklus["bereich"]),
            "beteiligungen": sorted(v.beteiligung["beteiligung_id"])})
    return lid


def vorschau(v: PlanungVorbereitung) -> str:
    n = v.vergleich.groupby(["teil", "art"]).size()
    return "; ".join(f"{teil}: " + ", ".join(f"{a} {k}" for (t, a), k in n.items() if t == teil)
                     for teil in ("Planungszyklus", "Beteiligung") if teil in n.index.get_level_values(0)) or "nichts"


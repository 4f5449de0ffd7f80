"""Indicator values: map columns, parse, check, preview and commit one delivery.

The path of every values delivery, from the UI and the CLI alike:

1. :func:`lies_tabelle` reads the file (text cells, row numbers kept),
2. a :class:`Zuordnung` says which column means what (long or wide format),
3. :func:`vorbereiten` turns the table into rows of the ``wert`` table, runs all
   checks (parsing in pandas, the rest in DuckDB) and compares with the current
   state – nothing is written,
4. :func:`uebernehmen` writes the delivery in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from fis.disclosure import nicht_pruefbar
from fis.format import fmt_anzahl, fmt_datum, fmt_differenz, fmt_wert, fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.gebiete import fuehrende_nullen, raeume_zuordnen
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import WERTE_REGELN, Kontext, anwenden, liste
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import ENGLISH_ONLY, GERMAN_ONLY, dezimalstil, heute, parse_datum, parse_zahlen
from fis.ingest.zuordnung import (
    SPALTENNAMEN,
    Zuordnung,
    aehnlichkeit,
    naechster_indikator,
    normiert,
    unbenutzte_spalten,
)
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

Progress = Callable[[float, str], None]
STATUS = ("endgültig", "vorläufig")


# --------------------------------------------------------------------------- preparation

@dataclass
class Vorbereitung:
    """A checked delivery, ready to be committed (if the report has no errors)."""

    tabelle: Tabelle
    zuordnung: Zuordnung
    werte: pd.DataFrame            # rows for the wert table, with zeile
    bericht: Pruefbericht
    vergleich: pd.DataFrame        # per row: art (neu/geändert/unverändert), alt_*
    status: str
    stichtag: date | None

    @property
    def zaehlung(self) -> dict[str, int]:
        counts = self.vergleich["art"].value_counts() if len(self.vergleich) else pd.Series(dtype=int)
        return {"neu": int(counts.get("neu", 0)), "geändert": int(counts.get("geändert", 0)),
                "unverändert": int(counts.get("unverändert", 0))}

    @property
    def uebernehmbar(self) -> bool:
        return self.bericht.ok and len(self.werte) > 0


def _spalte(tabelle: Tabelle, name: str | None, rolle: str, pflicht: bool = False) -> pd.Series | None:
    if not name:
        if pflicht:
            raise ImportFehler(f"Zuordnung unvollständig: bitte die Spalte für „{rolle}“ wählen.")
        return None
    if name not in tabelle.daten.columns:
        raise ImportFehler(f"„{tabelle.dateiname}“ hat keine Spalte „{name}“ (für {rolle}). "
                           f"Vorhandene Spalten: {', '.join(tabelle.spalten[:30])}.")
    return tabelle.daten[name]


def _lang(tabelle: Tabelle, z: Zuordnung, stichtag: date | None) -> pd.DataFrame:
    raum = _spalte(tabelle, z.raum, "Raum", pflicht=True)
    ind = _spalte(tabelle, z.indikator, "Indikator", pflicht=True)
    if not (z.wert or z.zaehler):
        raise ImportFehler("Zuordnung unvollständig: bitte eine Spalte für „Wert“ oder „Zähler“ wählen.")
    if not z.stichtag and stichtag is None:
        raise ImportFehler("Bitte eine Spalte für den Stichtag wählen oder einen Stichtag für die ganze "
                           "Datei angeben.")
    frame = pd.DataFrame({"zeile": tabelle.daten.index, "raum_id": raum.to_numpy(),
                          "indikator_id": ind.to_numpy()})
    for role, col in (("wert", z.wert), ("zaehler", z.zaehler), ("nenner", z.nenner),
                      ("stichtag_text", z.stichtag), ("status_text", z.status), ("raum_name", z.raum_name)):
        series = _spalte(tabelle, col, role)
        frame[role] = series.to_numpy() if series is not None else ""
        frame[f"{role}_spalte"] = col or ""
    return frame


def _breit(tabelle: Tabelle, z: Zuordnung) -> pd.DataFrame:
    raum = _spalte(tabelle, z.raum, "Raum", pflicht=True)
    if not z.spalten:
        raise ImportFehler("Zuordnung unvollständig: bitte mindestens einer Spalte einen Indikator zuordnen.")
    parts = []
    for ind, spec in z.spalten.items():
        if not (spec.wert or spec.zaehler):
            raise ImportFehler(f"Zuordnung für „{ind}“: bitte eine Wert- oder Zählerspalte wählen.")
        part = pd.DataFrame({"zeile": tabelle.daten.index, "raum_id": raum.to_numpy(), "indikator_id": ind})
        for role in ("wert", "zaehler", "nenner"):
            col = getattr(spec, role)
            series = _spalte(tabelle, col, f"{role} von {ind}")
            part[role] = series.to_numpy() if series is not None else ""
            part[f"{role}_spalte"] = col or ""
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    for role, col in (("stichtag_text", z.stichtag), ("raum_name", z.raum_name)):
        series = _spalte(tabelle, col, {"stichtag_text": "Stichtag", "raum_name": "Raumname"}[role])
        frame[role] = np.tile(series.to_numpy(), len(parts)) if series is not None else ""
    frame["status_text"] = ""
    return frame


def _zahlenstil(frame: pd.DataFrame, tabelle: Tabelle, z: Zuordnung, bericht: Pruefbericht) -> str:
    if z.dezimal != "auto":
        return z.dezimal
    cells = pd.concat([frame["wert"], frame["zaehler"], frame["nenner"]], ignore_index=True)
    stil, komma, punkt = dezimalstil(cells)
    if stil == "gemischt":
        rows = []
        for role in ("wert", "zaehler", "nenner"):
            text = frame[role].astype(str)
            hit = text.str.match(GERMAN_ONLY) | text.str.match(ENGLISH_ONLY)
            rows.append(pd.DataFrame({"zeile": frame.loc[hit, "zeile"], "spalte": frame.loc[hit, f"{role}_spalte"],
                                      "wert": text[hit]}))
        detail = pd.concat(rows).head(200)
        bericht.add("Fehler", "Gemischte Dezimalschreibweise",
                    f"{komma} Zahlen mit Dezimalkomma und {punkt} mit Dezimalpunkt. Bitte einheitlich "
                    "schreiben oder die Schreibweise in der Zuordnung festlegen („dezimal“).",
                    detail.assign(hinweis="Komma oder Punkt?"), anzahl=komma + punkt)
        return "komma"
    if stil in ("komma", "punkt"):
        return stil
    return "punkt" if tabelle.trennzeichen == "," else "komma"


def _formeln(frame: pd.DataFrame, bericht: Pruefbericht) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    for role in ("raum_id", "indikator_id", "wert", "zaehler", "nenner"):
        hit = frame[role].astype(str).str.match(r"^[=@]|^[+-][A-Za-z(]")
        mask |= hit
    if mask.any():
        bad = frame[mask]
        bericht.add("Fehler", "Formel statt Wert",
                    f"{int(mask.sum())} Zeilen enthalten Formeln (beginnend mit = + - @). Bitte in der "
                    "Tabellenkalkulation „Werte einfügen“ verwenden und erneut exportieren.",
                    pd.DataFrame({"zeile": bad["zeile"], "wert": bad["wert"].astype(str).str[:80],
                                  "hinweis": "Formel"}))
    return mask


def _umformen(tabelle: Tabelle, z: Zuordnung, stichtag: date | None, status: str,
              katalog: pd.DataFrame, bericht: Pruefbericht) -> pd.DataFrame:
    frame = _lang(tabelle, z, stichtag) if z.format == "lang" else _breit(tabelle, z)
    frame["raum_id"] = frame["raum_id"].astype(str).str.strip()
    frame["indikator_id"] = frame["indikator_id"].astype(str).str.strip()
    formel = _formeln(frame, bericht)
    frame = frame[~formel]

    missing_id = frame["raum_id"] == ""
    if missing_id.any():
        bericht.add("Fehler", "Raum fehlt", f"{int(missing_id.sum())} Zeilen ohne Raum-Kennung.",
                    pd.DataFrame({"zeile": frame.loc[missing_id, "zeile"], "spalte": z.raum}))
    frame = frame[~missing_id]

    stil = _zahlenstil(frame, tabelle, z, bericht)
    parsed = {}
    for role in ("wert", "zaehler", "nenner"):
        numbers, missing, invalid = parse_zahlen(frame[role], stil, z.fehlwerte)
        parsed[role] = numbers
        if invalid.any():
            bad = frame[invalid]
            bericht.add("Fehler", "Keine Zahl",
                        fmt_anzahl(int(invalid.sum()), "Zelle", "Zellen")
                        + f" der Spalte „{bad[f'{role}_spalte'].iloc[0]}“ "
                        + ("ist keine" if int(invalid.sum()) == 1 else "sind keine") + " "
                        f"Zahl (erwartet z. B. {'1.234,5' if stil == 'komma' else '1234.5'}). Fehlwerte "
                        "wie „k.A.“ oder „-“ sind erlaubt; andere Kennungen in der Zuordnung unter "
                        "„fehlwerte“ eintragen.",
                        pd.DataFrame({"zeile": bad["zeile"], "spalte": bad[f"{role}_spalte"],
                                      "wert": bad[role].astype(str).str[:80], "hinweis": "keine Zahl"}))
    frame = frame.assign(wert=parsed["wert"], zaehler=parsed["zaehler"], nenner=parsed["nenner"])

    if z.nullzeilen_fehlend and z.format == "breit":
        numeric = frame.groupby("zeile")[["wert", "zaehler", "nenner"]].apply(
            lambda g: bool((g.fillna(0) == 0).all().all()))
        zero_rows = numeric[numeric].index
        if len(zero_rows):
            bericht.add("Hinweis", "Nullzeilen als fehlend",
                        f"{len(zero_rows)} Zeilen enthalten nur Nullen und werden wie vereinbart als fehlend "
                        "behandelt (nicht übernommen).",
                        pd.DataFrame({"zeile": zero_rows, "hinweis": "nur Nullen"}))
            frame = frame[~frame["zeile"].isin(zero_rows)]

    # Stichtag: from the column (long and wide format), else the one given for the file
    if z.stichtag:
        dates, invalid, serial = parse_datum(frame["stichtag_text"])
        if invalid.any():
            bad = frame[invalid]
            hints = serial[invalid].map(lambda d: f"Excel-Seriennummer? entspräche {d:%d.%m.%Y}"
                                        if pd.notna(d) else "kein Datum")
            bericht.add("Fehler", "Ungültiger Stichtag",
                        f"{int(invalid.sum())} Stichtage sind kein Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)."
                        + (" Einige sehen aus wie Excel-Seriennummern; bitte die Spalte als Datum formatieren."
                           if serial[invalid].notna().any() else ""),
                        pd.DataFrame({"zeile": bad["zeile"], "spalte": z.stichtag,
                                      "wert": bad["stichtag_text"].astype(str).str[:40], "hinweis": hints}))
        frame = frame.assign(stichtag=dates.dt.date)
        frame = frame[~invalid]
        if stichtag is not None:
            bericht.add("Hinweis", "Stichtag aus der Datei",
                        f"Die Stichtage stehen in der Spalte „{z.stichtag}“; der für die Datei angegebene Stichtag "
                        f"{stichtag:%d.%m.%Y} wird nicht verwendet.")
    else:
        if stichtag is None:
            raise ImportFehler("Die Datei hat keine Stichtag-Spalte: bitte den Stichtag der Datei angeben "
                               "(er wird nie stillschweigend angenommen).")
        frame = frame.assign(stichtag=stichtag)

    # Status per row (long format) or for the file
    if z.format == "lang" and z.status:
        text = frame["status_text"].astype(str).str.strip().str.lower()
        mapped = text.map({"endgültig": "endgültig", "endgueltig": "endgültig", "e": "endgültig",
                           "vorläufig": "vorläufig", "vorlaeufig": "vorläufig", "v": "vorläufig",
                           "": status})
        bad = mapped.isna()
        if bad.any():
            bericht.add("Fehler", "Ungültiger Status",
                        f"{int(bad.sum())} Zeilen haben einen Status außer „endgültig“/„vorläufig“.",
                        pd.DataFrame({"zeile": frame.loc[bad, "zeile"], "spalte": z.status,
                                      "wert": frame.loc[bad, "status_text"]}))
        frame = frame.assign(status=mapped.fillna(status))
    else:
        frame = frame.assign(status=status)

    # Derive what the delivery leaves out: value from numerator/denominator, count as numerator.
    meta = katalog.set_index("indikator_id")
    agg = frame["indikator_id"].map(meta["aggregation"]).astype(object)
    faktor = pd.to_numeric(frame["indikator_id"].map(meta["faktor"]), errors="coerce").astype(float)
    for col in ("wert", "zaehler", "nenner"):
        frame[col] = frame[col].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        quote = frame["zaehler"] / frame["nenner"].where(frame["nenner"] > 0) * faktor
    frame["wert"] = frame["wert"].where(frame["wert"].notna() | (agg != "quote"), quote)
    frame["wert"] = frame["wert"].where(frame["wert"].notna() | (agg != "summe"), frame["zaehler"])
    frame["zaehler"] = frame["zaehler"].where(frame["zaehler"].notna() | (agg != "summe"), frame["wert"])

    leer = frame["wert"].isna()
    if leer.any():
        bericht.add("Hinweis", "Leere Werte",
                    f"{int(leer.sum())} Werte sind leer oder als fehlend gekennzeichnet und werden nicht "
                    "übernommen.",
                    pd.DataFrame({"zeile": frame.loc[leer, "zeile"], "spalte": frame.loc[leer, "wert_spalte"],
                                  "hinweis": "leer"}).head(1000), anzahl=int(leer.sum()))
    frame = frame[~leer]
    return frame[["zeile", "raum_id", "raum_name", "indikator_id", "stichtag", "wert", "zaehler", "nenner",
                  "status"]].reset_index(drop=True)


def _pruefen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht,
             stichtag_heute: date) -> pd.DataFrame:
    """The checks of :data:`fis.ingest.pruefregeln.WERTE_REGELN` (queries of the store and functions of the
    rows); returns the frame (leading zeros restored if the mapping says so)."""
    found = store.pruefe_werte(frame)
    restored = fuehrende_nullen(frame, found, z, bericht)
    if restored is not frame:
        frame, found = restored, store.pruefe_werte(restored)

    kontext = Kontext(raum_spalte=z.raum, indikator_spalte=z.indikator or "", heute=stichtag_heute)
    anwenden(WERTE_REGELN, found, frame, kontext, bericht)
    return frame


def _weitere_stichtagsspalte(tabelle: Tabelle, z: Zuordnung, frame: pd.DataFrame, bericht: Pruefbericht) -> None:
    """A second column that also looks like the Stichtag (Stichtag and Jahr) must agree with the chosen one."""
    if not z.stichtag:
        return
    for spalte in tabelle.spalten:
        if spalte == z.stichtag or normiert(spalte) not in SPALTENNAMEN["stichtag"]:
            continue
        andere, invalid, _ = parse_datum(tabelle.daten[spalte].astype(str))
        gewaehlt, invalid2, _ = parse_datum(tabelle.daten[z.stichtag].astype(str))
        nur_jahr = tabelle.daten[spalte].astype(str).str.strip().str.match(r"^(19|20)\d{2}$")
        gleich = (andere == gewaehlt) | (nur_jahr & (andere.dt.year == gewaehlt.dt.year))
        bad = ~gleich & ~invalid & ~invalid2
        if bad.any():
            zeilen = tabelle.daten.index[bad.to_numpy()]
            bericht.add("Fehler", "Zwei Stichtag-Spalten widersprechen sich",
                        f"Die Spalten „{z.stichtag}“ und „{spalte}“ nennen in {int(bad.sum())} Zeilen verschiedene "
                        "Stichtage. Bitte klären, welche gilt, und die andere Spalte entfernen.",
                        pd.DataFrame({"zeile": zeilen, "spalte": spalte,
                                      "wert": tabelle.daten.loc[zeilen, spalte].to_numpy(),
                                      "hinweis": [f"„{z.stichtag}“: {w}" for w in
                                                  tabelle.daten.loc[zeilen, z.stichtag]]}))


def _unbenutzte_melden(tabelle: Tabelle, z: Zuordnung, katalog: pd.DataFrame, bericht: Pruefbericht) -> None:
    frei = unbenutzte_spalten(tabelle, z)
    if not frei:
        return
    hinweise = []
    vertippt = []
    zugeordnet = set(z.spalten) if z.format == "breit" else set()
    for spalte in frei:
        naechster = naechster_indikator(spalte, katalog)
        hinweise.append(f"ähnlichster Indikator: {naechster[0]} ({naechster[1]:.0%})"
                        if naechster and naechster[1] >= 0.7 else "kein ähnlicher Indikator im Katalog")
        if z.format == "breit":
            # a typo is close in spelling to an id (not merely a name containing an indicator's name)
            tipp = max(((aehnlichkeit(spalte, i), i) for i in katalog["indikator_id"]), default=(0.0, ""))
            if tipp[0] >= 0.85 and tipp[1] not in zugeordnet:
                vertippt.append((spalte, tipp[1]))
    if vertippt:
        # a typo'd indicator column would silently lose all its values: an error, not a hint
        bericht.add("Fehler", "Spalte wie ein Indikator, aber nicht zugeordnet",
                    f"{len(vertippt)} {'Spalte sieht' if len(vertippt) == 1 else 'Spalten sehen'} aus wie "
                    "Indikatoren des Katalogs, sind aber keinem zugeordnet: "
                    + liste([f"„{s}“ (meinten Sie {i}?)" for s, i in vertippt], 6) + ". Ihre Werte gingen sonst "
                    "verloren. Bitte in der Zuordnung dem Indikator zuweisen oder die Spalte aus der Datei entfernen.",
                    pd.DataFrame({"zeile": pd.NA, "spalte": [s for s, _ in vertippt], "wert": "",
                                  "hinweis": [f"meinten Sie {i}?" for _, i in vertippt]}), anzahl=len(vertippt))
    schwere = "Warnung" if z.format == "breit" else "Hinweis"
    bericht.add(schwere, "Spalte nicht verwendet",
                f"{len(frei)} {'Spalte wird' if len(frei) == 1 else 'Spalten werden'} nicht übernommen: "
                f"{liste([f'„{s}“' for s in frei], 6)}. Falls sie Indikatoren enthalten, bitte in der Zuordnung "
                "einem Indikator zuweisen (oder den Indikator im Katalog anlegen).",
                pd.DataFrame({"zeile": pd.NA, "spalte": frei, "wert": "", "hinweis": hinweise}), anzahl=len(frei))


def vorbereiten(store: Store, tabelle: Tabelle, zuordnung: Zuordnung, stichtag: date | None = None,
                status: str = "endgültig", stichtag_heute: date | None = None) -> Vorbereitung:
    """Map, parse, check and compare a delivery; nothing is written."""
    if status not in STATUS:
        raise ImportFehler(f"Status „{status}“ ist unbekannt; erlaubt: {', '.join(STATUS)}.")
    katalog = store.lade_indikatoren()
    if katalog.empty:
        raise ImportFehler("Der Indikatorenkatalog ist leer. Bitte zuerst den Katalog importieren.")
    if zuordnung.format == "breit" and not zuordnung.spalten:
        frei = unbenutzte_spalten(tabelle, zuordnung)
        hinweise = []
        for spalte in frei[:8]:
            naechster = naechster_indikator(spalte, katalog)
            aehnlich = f" (ähnlich: {naechster[0]})" if naechster and naechster[1] >= 0.7 else ""
            hinweise.append(f"„{spalte}“{aehnlich}")
        raise ImportFehler(
            "Keine Spalte ließ sich einem Indikator des Katalogs zuordnen. Spalten der Datei: "
            + liste(hinweise, 8) + ". Bitte je Indikator die Spalte wählen (in der App in der Tabelle der "
            "Spaltenzuordnung, auf der Kommandozeile mit --zuordnung) oder den Indikator im Katalog anlegen.")
    bericht = Pruefbericht()
    for hinweis in tabelle.hinweise:
        bericht.add("Hinweis", "Tabelle gelesen", hinweis)
    frame = _umformen(tabelle, zuordnung, stichtag, status, katalog, bericht)
    _weitere_stichtagsspalte(tabelle, zuordnung, frame, bericht)
    _unbenutzte_melden(tabelle, zuordnung, katalog, bericht)
    frame = raeume_zuordnen(store, frame, zuordnung, bericht)
    if len(frame):
        frame = _pruefen(store, frame, zuordnung, bericht, stichtag_heute or heute())
    else:
        bericht.add("Fehler", "Keine Werte", "Die Datei enthält nach der Zuordnung keine übernehmbaren Werte.")
    quote_ohne = frame[frame["indikator_id"].map(katalog.set_index("indikator_id")["aggregation"]).eq("quote")
                       & frame["nenner"].isna()]
    if len(quote_ohne):
        ungeprueft = nicht_pruefbar(quote_ohne, frozenset())
        bericht.add("Warnung" if ungeprueft.any() else "Hinweis", "Quote ohne Zähler/Nenner",
                    f"{len(quote_ohne)} Anteilswerte kommen ohne Nenner. Sie werden gespeichert, lassen sich aber "
                    "nicht zu höheren Raumebenen zusammenfassen"
                    + (f"; bei {int(ungeprueft.sum())} ohne Zähler und Nenner lässt sich auch nicht prüfen, ob sie "
                       "eine kleine Fallzahl verbergen (Geheimhaltung): sie werden ungeschützt gezeigt. Bitte Zähler "
                       "und Nenner mitliefern." if ungeprueft.any() else "."), anzahl=len(quote_ohne))
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    vergleich = store.vergleiche_werte(frame) if len(frame) and bericht.ok else \
        frame.assign(art=pd.Series(dtype=str))
    return Vorbereitung(tabelle=tabelle, zuordnung=zuordnung, werte=frame, bericht=bericht,
                        vergleich=vergleich, status=status, stichtag=stichtag)


def uebernehmen(store: Store, vorbereitung: Vorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, progress: Progress | None = None,
                zuordnung_merken: str | None = None) -> int:
    """Write a checked delivery in one transaction; returns the new Lieferung's id. ``quelle`` is the
    delivering office; with ``zuordnung_merken`` the mapping is saved under that name in the same
    transaction, so the source's next file with this header is mapped alike (app and CLI)."""
    benutzer = handelnder(benutzer, "hochladen")
    if not vorbereitung.bericht.ok:
        raise ImportFehler("Die Lieferung hat Fehler und kann nicht übernommen werden:\n"
                           + vorbereitung.bericht.als_text())
    report = progress or (lambda f, t: None)
    werte = vorbereitung.werte.drop(columns=["zeile"])
    tabelle = vorbereitung.tabelle
    zaehlung = vorbereitung.zaehlung
    stichtage = sorted(set(werte["stichtag"]))
    name = bezeichnung or (f"{tabelle.dateiname} (Stichtag {stichtage[0]:%d.%m.%Y})" if len(stichtage) == 1
                           else f"{tabelle.dateiname} ({len(stichtage)} Stichtage)")
    with schreibsperre(store), store.transaction():
        report(0.05, "Lieferung wird angelegt …")
        lid = store.insert_lieferung(Lieferung(
            art="werte", bezeichnung=name, benutzer=benutzer, dateiname=tabelle.dateiname,
            sha256=tabelle.sha256, quelle=quelle,
            pruefergebnis={**vorbereitung.bericht.zusammenfassung(), "zuordnung": vorbereitung.zuordnung.als_dict(),
                           "format": tabelle.format, "kodierung": tabelle.kodierung, "blatt": tabelle.blatt}))
        chunk = 250_000
        for start in range(0, len(werte), chunk):
            part = werte.iloc[start:start + chunk].assign(lieferung_id=lid)
            store.insert_werte_roh(part)
            report(0.1 + 0.85 * min(1.0, (start + chunk) / len(werte)),
                   f"{fmt_zahl(min(start + chunk, len(werte)), 0)} von {fmt_zahl(len(werte), 0)} Werten geschrieben …")
        store.set_lieferung_counts(lid, len(werte), zaehlung["neu"], zaehlung["geändert"])
        if zuordnung_merken:
            store.save_zuordnung(zuordnung_merken, tabelle.signatur(), vorbereitung.zuordnung.als_dict(), benutzer)
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": "werte", "datei": tabelle.dateiname, "sha256": tabelle.sha256, "zeilen": len(werte),
            **zaehlung})
    report(1.0, "Übernommen.")
    return lid


def vorschau(store: Store, v: Vorbereitung, formatiert: bool = False) -> pd.DataFrame:
    """The new and changed values of a checked delivery as the user reads them: area and indicator by
    name, old → new, the change to the previous Stichtag (from the database or the delivery itself) and
    the warnings of the checks for the row."""
    ver = v.vergleich
    spalten = ["Art", "Raum", "Indikator", "Stichtag", "bisher", "neu", "Veränderung zum Vorstichtag",
               "Vorstichtag", "Hinweis"]
    if ver.empty or "art" not in ver:
        return pd.DataFrame(columns=spalten)
    ver = ver[ver["art"] != "unverändert"]
    if ver.empty:
        return pd.DataFrame(columns=spalten)
    bestand = store.lade_werte(sorted(ver["indikator_id"].unique()), None, sorted(ver["raum_id"].unique()))
    bestand = bestand[["raum_id", "indikator_id", "stichtag", "wert"]].assign(
        stichtag=lambda f: pd.to_datetime(f["stichtag"]))
    neu = v.werte[["raum_id", "indikator_id", "stichtag", "wert"]].assign(
        stichtag=lambda f: pd.to_datetime(f["stichtag"]))
    schluessel = ["raum_id", "indikator_id", "stichtag"]
    alle = pd.concat([bestand.merge(neu[schluessel], on=schluessel, how="left", indicator=True)
                      .query("_merge == 'left_only'").drop(columns="_merge"), neu], ignore_index=True)
    alle = alle.sort_values(schluessel)
    gruppe = alle.groupby(["raum_id", "indikator_id"])
    alle["vorher"] = gruppe["wert"].shift()
    alle["vorher_stichtag"] = gruppe["stichtag"].shift()
    ver = ver.assign(stichtag=pd.to_datetime(ver["stichtag"])).merge(
        alle[[*schluessel, "vorher", "vorher_stichtag"]], on=schluessel, how="left")
    details = v.bericht.detailtabelle()
    warnungen = details[details["schwere"] != "Hinweis"] if len(details) else details
    je_zeile = (warnungen.dropna(subset=["zeile"]).assign(zeile=lambda f: pd.to_numeric(f["zeile"], errors="coerce"))
                .groupby("zeile")["pruefung"].agg(lambda p: "; ".join(sorted(set(p))))) if len(warnungen) else {}
    meta = store.lade_indikatoren().set_index("indikator_id")
    katalog = meta["name"].to_dict()
    raeume = store.lade_raeume().drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"].to_dict()
    out = pd.DataFrame({
        "Art": ver["art"],
        "Raum": [f"{r} {raeume.get(r, '')}".strip() for r in ver["raum_id"]],
        "Indikator": [katalog.get(i, i) for i in ver["indikator_id"]],
        "Stichtag": ver["stichtag"].dt.date,
        "bisher": ver["alt_wert"],
        "neu": ver["wert"],
        "Veränderung zum Vorstichtag": ver["wert"] - ver["vorher"],
        "Vorstichtag": ver["vorher_stichtag"].dt.date,
        "Hinweis": ver["zeile"].map(lambda z: je_zeile.get(z, "") if len(je_zeile) else "").fillna(""),
    })
    out = out.assign(_i=ver["indikator_id"].to_numpy()).sort_values(
        ["Hinweis", "Raum", "Indikator", "Stichtag"], ascending=[False, True, True, True]).reset_index(drop=True)
    if formatiert:
        einheit = out["_i"].map(meta["einheit"]).fillna("")
        stellen = out["_i"].map(meta["nachkommastellen"]).fillna(1).astype(int)
        for spalte in ("bisher", "neu"):
            out[spalte] = [fmt_wert(None if pd.isna(x) else float(x), e, n)
                           for x, e, n in zip(out[spalte], einheit, stellen, strict=True)]
        out["Veränderung zum Vorstichtag"] = [
            fmt_differenz(None if pd.isna(x) else float(x), e, n)
            for x, e, n in zip(out["Veränderung zum Vorstichtag"], einheit, stellen, strict=True)]
        for spalte in ("Stichtag", "Vorstichtag"):
            out[spalte] = out[spalte].map(lambda d: fmt_datum(d) if pd.notna(d) else "–")
    return out.drop(columns="_i")

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
from fis.format import fmt_anzahl, fmt_datum, fmt_differenz, fmt_prozent, fmt_wert, fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.gebiete import fuehrende_nullen, raeume_zuordnen
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import Funde, Kontext, anwenden, eine_zeile, liste
from fis.ingest.sperre import schreibsperre
from fis.ingest.werteregeln import WERTE_LESEN, WERTE_REGELN
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


def _zahlenstil(frame: pd.DataFrame, tabelle: Tabelle, z: Zuordnung, funde: Funde, felder: dict) -> str:
    """The decimal style of the file (mixed: an error with every cell that shows its style)."""
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
                                      "wert": text[hit], "hinweis": "Komma oder Punkt?"}))
        funde["werte_dezimal_gemischt"] = pd.concat(rows, ignore_index=True)
        felder.update(komma_anzahl=fmt_anzahl(komma, "Zahl", "Zahlen"),
                      punkt_anzahl=fmt_anzahl(punkt, "Zahl", "Zahlen"))
        return "komma"
    if stil in ("komma", "punkt"):
        return stil
    return "punkt" if tabelle.trennzeichen == "," else "komma"


def _formeln(frame: pd.DataFrame) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    for role in ("raum_id", "indikator_id", "wert", "zaehler", "nenner"):
        mask |= frame[role].astype(str).str.match(r"^[=@]|^[+-][A-Za-z(]")
    return mask


def _zahlen(frame: pd.DataFrame, stil: str, z: Zuordnung, funde: Funde, felder: dict) -> pd.DataFrame:
    """Value, numerator and denominator as numbers; the cells that are none go to „werte_keine_zahl“."""
    felder["zahl_beispiel"] = "1.234,5" if stil == "komma" else "1234.5"
    parsed, falsch = {}, []
    unlesbar = pd.Series(False, index=frame.index)
    for role in ("wert", "zaehler", "nenner"):
        numbers, _, invalid = parse_zahlen(frame[role], stil, z.fehlwerte)
        parsed[role] = numbers
        unlesbar |= invalid
        bad = frame[invalid]
        falsch.append(pd.DataFrame({"zeile": bad["zeile"], "spalte": bad[f"{role}_spalte"],
                                    "wert": bad[role].astype(str).str[:80], "hinweis": "keine Zahl"}))
    funde["werte_keine_zahl"] = pd.concat(falsch, ignore_index=True)
    # a cell that is no number is an error of its own, not also an empty value further on
    frame = frame.assign(wert=parsed["wert"], zaehler=parsed["zaehler"], nenner=parsed["nenner"])[~unlesbar]
    if z.nullzeilen_fehlend and z.format == "breit":
        numeric = frame.groupby("zeile")[["wert", "zaehler", "nenner"]].apply(
            lambda g: bool((g.fillna(0) == 0).all().all()))
        zero_rows = numeric[numeric].index
        funde["werte_nullzeilen"] = pd.DataFrame({"zeile": zero_rows, "hinweis": "nur Nullen"})
        frame = frame[~frame["zeile"].isin(zero_rows)]
    return frame


def _stichtage(frame: pd.DataFrame, z: Zuordnung, stichtag: date | None, funde: Funde) -> pd.DataFrame:
    """Stichtag from the column (long and wide format), else the one given for the file."""
    if not z.stichtag:
        if stichtag is None:
            raise ImportFehler("Die Datei hat keine Stichtag-Spalte: bitte den Stichtag der Datei angeben "
                               "(er wird nie stillschweigend angenommen).")
        return frame.assign(stichtag=stichtag)
    dates, invalid, serial = parse_datum(frame["stichtag_text"])
    bad = frame[invalid]
    funde["werte_stichtag_ungueltig"] = pd.DataFrame({
        "zeile": bad["zeile"], "spalte": z.stichtag, "wert": bad["stichtag_text"].astype(str).str[:40],
        "hinweis": serial[invalid].map(lambda d: f"Excel-Seriennummer? entspräche {d:%d.%m.%Y}"
                                       if pd.notna(d) else "kein Datum")})
    return frame.assign(stichtag=dates.dt.date)[~invalid]


def _status(frame: pd.DataFrame, z: Zuordnung, status: str, funde: Funde) -> pd.DataFrame:
    """Status per row (long format) or for the file."""
    if not (z.format == "lang" and z.status):
        return frame.assign(status=status)
    text = frame["status_text"].astype(str).str.strip().str.lower()
    mapped = text.map({"endgültig": "endgültig", "endgueltig": "endgültig", "e": "endgültig",
                       "vorläufig": "vorläufig", "vorlaeufig": "vorläufig", "v": "vorläufig", "": status})
    bad = mapped.isna()
    funde["werte_status"] = pd.DataFrame({"zeile": frame.loc[bad, "zeile"], "spalte": z.status,
                                          "wert": frame.loc[bad, "status_text"]})
    return frame.assign(status=mapped.fillna(status))


def _umformen(tabelle: Tabelle, z: Zuordnung, stichtag: date | None, status: str,
              katalog: pd.DataFrame, funde: Funde, felder: dict) -> pd.DataFrame:
    """The delivered cells as typed rows of the ``wert`` table; what cannot be read goes to ``funde`` (ids of
    :data:`WERTE_LESEN`), names for its messages to ``felder``."""
    frame = _lang(tabelle, z, stichtag) if z.format == "lang" else _breit(tabelle, z)
    frame["raum_id"] = frame["raum_id"].astype(str).str.strip()
    frame["indikator_id"] = frame["indikator_id"].astype(str).str.strip()
    formel = _formeln(frame)
    funde["werte_formel"] = pd.DataFrame({"zeile": frame.loc[formel, "zeile"], "hinweis": "Formel",
                                          "wert": frame.loc[formel, "wert"].astype(str).str[:80]})
    frame = frame[~formel]
    missing_id = frame["raum_id"] == ""
    funde["werte_raum_fehlt"] = pd.DataFrame({"zeile": frame.loc[missing_id, "zeile"], "spalte": z.raum})
    frame = frame[~missing_id]
    frame = _zahlen(frame, _zahlenstil(frame, tabelle, z, funde, felder), z, funde, felder)
    frame = _status(_stichtage(frame, z, stichtag, funde), z, status, funde)

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
    funde["werte_leer"] = pd.DataFrame({"zeile": frame.loc[leer, "zeile"], "spalte": frame.loc[leer, "wert_spalte"],
                                        "hinweis": "leer"})
    frame = frame[~leer]
    return frame[["zeile", "raum_id", "raum_name", "indikator_id", "stichtag", "wert", "zaehler", "nenner",
                  "status"]].reset_index(drop=True)


def _pruefen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht,
             stichtag_heute: date, funde: Funde) -> pd.DataFrame:
    """The checks of :data:`fis.ingest.werteregeln.WERTE_REGELN` (queries of the store and functions of the
    rows); returns the frame (leading zeros restored if the mapping says so)."""
    found = store.pruefe_werte(frame)
    restored = fuehrende_nullen(frame, found, z, funde)
    if restored is not frame:
        frame, found = restored, store.pruefe_werte(restored)

    kontext = Kontext(spalten={"raum": z.raum, "indikator": z.indikator or ""}, heute=stichtag_heute)
    anwenden(WERTE_REGELN, frame, kontext, bericht, funde=found)
    return frame


def _weitere_stichtagsspalte(tabelle: Tabelle, z: Zuordnung, funde: Funde) -> None:
    """A second column that also looks like the Stichtag (Stichtag and Jahr) must agree with the chosen one."""
    if not z.stichtag:
        return
    widerspruch = []
    for spalte in tabelle.spalten:
        if spalte == z.stichtag or normiert(spalte) not in SPALTENNAMEN["stichtag"]:
            continue
        andere, invalid, _ = parse_datum(tabelle.daten[spalte].astype(str))
        gewaehlt, invalid2, _ = parse_datum(tabelle.daten[z.stichtag].astype(str))
        nur_jahr = tabelle.daten[spalte].astype(str).str.strip().str.match(r"^(19|20)\d{2}$")
        gleich = (andere == gewaehlt) | (nur_jahr & (andere.dt.year == gewaehlt.dt.year))
        zeilen = tabelle.daten.index[(~gleich & ~invalid & ~invalid2).to_numpy()]
        widerspruch.append(pd.DataFrame({"zeile": zeilen, "spalte": spalte,
                                         "wert": tabelle.daten.loc[zeilen, spalte].to_numpy(),
                                         "hinweis": [f"„{z.stichtag}“: {w}"
                                                     for w in tabelle.daten.loc[zeilen, z.stichtag]]}))
    if widerspruch:
        funde["werte_stichtag_widerspruch"] = pd.concat(widerspruch, ignore_index=True)


def _unbenutzte(tabelle: Tabelle, z: Zuordnung, katalog: pd.DataFrame, funde: Funde) -> None:
    """Columns not mapped: a typo of an indicator's id is an error (its values would be lost), the rest are
    listed with the most similar indicator (a warning in the wide format, a note in the long one)."""
    frei = unbenutzte_spalten(tabelle, z)
    hinweise, vertippt = [], []
    zugeordnet = set(z.spalten) if z.format == "breit" else set()
    for spalte in frei:
        naechster = naechster_indikator(spalte, katalog)
        hinweise.append(f"ähnlichster Indikator: {naechster[0]} ({fmt_prozent(100 * naechster[1], 0)})"
                        if naechster and naechster[1] >= 0.7 else "kein ähnlicher Indikator im Katalog")
        if z.format == "breit":
            # a typo is close in spelling to an id (not merely a name containing an indicator's name)
            tipp = max(((aehnlichkeit(spalte, i), i) for i in katalog["indikator_id"]), default=(0.0, ""))
            if tipp[0] >= 0.85 and tipp[1] not in zugeordnet:
                vertippt.append((spalte, tipp[1]))
    funde["werte_spalte_vertippt"] = pd.DataFrame({"zeile": pd.NA, "spalte": [s for s, _ in vertippt], "wert": "",
                                                   "hinweis": [f"meinten Sie {i}?" for _, i in vertippt]})
    funde["werte_spalte_unbenutzt" + ("_breit" if z.format == "breit" else "")] = pd.DataFrame(
        {"zeile": pd.NA, "spalte": frei, "wert": "", "hinweis": hinweise})


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
    funde: Funde = {"werte_tabelle": pd.DataFrame({"hinweis": tabelle.hinweise})}
    felder: dict = {"stichtag_datei": fmt_datum(stichtag) if stichtag and zuordnung.stichtag else "",
                    "stichtag_spalte": zuordnung.stichtag or ""}
    frame = _umformen(tabelle, zuordnung, stichtag, status, katalog, funde, felder)
    _weitere_stichtagsspalte(tabelle, zuordnung, funde)
    _unbenutzte(tabelle, zuordnung, katalog, funde)
    frame = raeume_zuordnen(store, frame, zuordnung, funde)
    if len(frame):
        frame = _pruefen(store, frame, zuordnung, bericht, stichtag_heute or heute(), funde)
    else:
        funde["werte_keine"] = eine_zeile(True)
    quote_ohne = frame[frame["indikator_id"].map(katalog.set_index("indikator_id")["aggregation"]).eq("quote")
                       & frame["nenner"].isna()]
    ungeprueft = nicht_pruefbar(quote_ohne, frozenset()) if len(quote_ohne) else pd.Series(dtype=bool)
    funde["werte_quote_ungeprueft" if ungeprueft.any() else "werte_quote_ohne_nenner"] = \
        quote_ohne.assign(ungeprueft=ungeprueft)
    anwenden(WERTE_LESEN, frame, Kontext(spalten={"stichtag": zuordnung.stichtag or ""}, felder=felder), bericht,
             funde=funde)
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

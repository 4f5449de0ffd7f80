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

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import yaml

from fis.disclosure import nicht_pruefbar
from fis.format import fmt_datum, fmt_differenz, fmt_wert, fmt_zahl
from fis.ingest.bericht import Pruefbericht
from fis.ingest.grenzen import ist_text, yaml_laden
from fis.ingest.lesen import BLATT_SPALTE, ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
from fis.ingest.pruefregeln import WERTE_REGELN, Kontext, anwenden, liste
from fis.ingest.sperre import schreibsperre
from fis.ingest.zahlen import ENGLISH_ONLY, GERMAN_ONLY, dezimalstil, heute, parse_datum, parse_zahlen
from fis.store import Lieferung, Store
from fis.zugang import Benutzer, handelnder

Progress = Callable[[float, str], None]
STATUS = ("endgültig", "vorläufig")

# Header spellings the mapping suggestion recognises (lower case, without blanks).
_NAMEN = {
    "raum": ("raum", "raum_id", "raumid", "sozialraum", "gebiet", "id", "plr_id", "bzr_id", "bez_id",
             "schluessel", "schlüssel", "nr", "nummer", "bezirk", "stadtteil"),
    "indikator": ("indikator", "indikator_id", "kennung", "merkmal", "kennzahl"),
    "stichtag": ("stichtag", "datum", "jahr", "zeit", "stand", "date"),
    "wert": ("wert", "value", "anteil", "quote"),
    "zaehler": ("zaehler", "zähler", "anzahl", "fälle", "faelle"),
    "nenner": ("nenner", "basis", "bezugsgröße", "bezugsgroesse"),
    "status": ("status",),
}


@dataclass(frozen=True)
class Spalten:
    """Columns of one indicator in a wide file: a value, or numerator and denominator."""

    wert: str | None = None
    zaehler: str | None = None
    nenner: str | None = None


@dataclass(frozen=True)
class Zuordnung:
    """Which column of a delivery means what; saved per source and reused.

    ``format`` 'lang': one row per Raum, indicator and Stichtag.
    ``format`` 'breit': one row per Raum, one column (or numerator/denominator pair)
    per indicator; the Stichtag comes from a column (Stichtag, Jahr …) or is given for the
    whole file. One column may serve several indicators (Einwohner as the denominator of
    several shares).

    ``raum`` may hold ids, names or both („01 Altstadt“); ``raum_name`` names an optional
    column of area names that is checked against the Raumgliederung.
    """

    format: str = "lang"
    raum: str = ""
    raum_name: str | None = None
    indikator: str | None = None
    stichtag: str | None = None
    wert: str | None = None
    zaehler: str | None = None
    nenner: str | None = None
    status: str | None = None
    spalten: dict[str, Spalten] = field(default_factory=dict)
    fehlwerte: tuple[str, ...] = ()
    nullzeilen_fehlend: bool = False
    fuehrende_nullen: bool = False
    dezimal: str = "auto"
    blatt: str | None = None
    kopfzeile: int | None = None

    def als_dict(self) -> dict:
        data = asdict(self)
        data["spalten"] = {k: {kk: vv for kk, vv in asdict(v).items() if vv} for k, v in self.spalten.items()}
        data["fehlwerte"] = list(self.fehlwerte)
        return {k: v for k, v in data.items() if v not in (None, "", [], {}, False) or k == "format"}

    @classmethod
    def aus_dict(cls, data: dict, herkunft: str = "Zuordnung") -> Zuordnung:
        if not isinstance(data, dict):
            raise ImportFehler(f"{herkunft}: erwartet wird ein Abschnitt mit Schlüsseln.")
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ImportFehler(f"{herkunft}: unbekannte Schlüssel {', '.join(unknown)}. "
                               f"Erlaubt sind: {', '.join(sorted(known))}.")
        data = dict(data)
        falsch = [k for k in ("format", "raum", "raum_name", "indikator", "stichtag", "wert", "zaehler", "nenner",
                              "status", "blatt", "dezimal", "kopfzeile") if not ist_text(data.get(k))]
        if falsch:
            raise ImportFehler(f"{herkunft}: " + ", ".join(f"„{k}“" for k in falsch) + " muss ein einzelner "
                               "Spaltenname oder Wert sein, keine Liste und kein Abschnitt.")
        if not isinstance(data.get("spalten") or {}, dict):
            raise ImportFehler(f"{herkunft}: „spalten“ muss ein Abschnitt „Indikator: Spalte“ sein.")
        if not isinstance(data.get("fehlwerte") or [], list | tuple) or not all(
                ist_text(v) for v in data.get("fehlwerte") or []):
            raise ImportFehler(f"{herkunft}: „fehlwerte“ muss eine Liste von Texten sein, z. B. [\"-\", \".\"].")
        spalten = {}
        for ind, spec in (data.pop("spalten", None) or {}).items():
            if isinstance(spec, str):
                spec = {"wert": spec}
            if not isinstance(spec, dict) or set(spec) - {"wert", "zaehler", "nenner"} or not all(
                    ist_text(v) for v in spec.values()):
                raise ImportFehler(f"{herkunft}, spalten.{ind}: erwartet wird ein Spaltenname oder "
                                   "{wert: …} bzw. {zaehler: …, nenner: …}.")
            spalten[str(ind)] = Spalten(**{k: str(v) for k, v in spec.items() if v})
        data["fehlwerte"] = tuple(str(v) for v in data.get("fehlwerte") or ())
        if data.get("format", "lang") not in ("lang", "breit"):
            raise ImportFehler(f"{herkunft}: „format“ muss „lang“ oder „breit“ sein.")
        if data.get("dezimal", "auto") not in ("auto", "komma", "punkt"):
            raise ImportFehler(f"{herkunft}: „dezimal“ muss „auto“, „komma“ oder „punkt“ sein.")
        if data.get("kopfzeile") is not None:
            try:
                data["kopfzeile"] = int(data["kopfzeile"])
            except (TypeError, ValueError) as exc:
                raise ImportFehler(f"{herkunft}: „kopfzeile“ muss eine Zeilennummer sein.") from exc
            if data["kopfzeile"] < 1:
                raise ImportFehler(f"{herkunft}: „kopfzeile“ muss 1 oder größer sein.")
        for key in ("raum", "raum_name", "indikator", "stichtag", "wert", "zaehler", "nenner", "status", "blatt"):
            if data.get(key) is not None:
                data[key] = str(data[key])
        return cls(spalten=spalten, **data)

    def als_yaml(self) -> str:
        """The mapping as YAML, the format of ``--zuordnung`` and of the saved mappings."""
        return yaml.safe_dump(self.als_dict(), allow_unicode=True, sort_keys=False)

    @classmethod
    def aus_yaml(cls, text: str | bytes, herkunft: str = "Zuordnung") -> Zuordnung:
        return cls.aus_dict(yaml_laden(text, herkunft) or {}, herkunft)


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "_")


def namensschluessel(name: str) -> str:
    """An area or column name for matching: case, umlauts and ß, hyphens, dots and „St.“/„Sankt“ do not count."""
    text = str(name).strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("é", "e"), ("è", "e")):
        text = text.replace(a, b)
    text = re.sub(r"[-_./,()]+", " ", text)
    text = re.sub(r"\bst\b\s*", "sankt ", text)
    return re.sub(r"\s+", " ", text).strip()


# Raum cells that mean the whole city: a delivered total, not an unknown area.
GESAMT_NAMEN = ("gesamt", "insgesamt", "gesamtstadt", "stadt insgesamt", "stadt gesamt", "summe", "stadt",
                "total", "alle", "alle stadtteile", "alle sozialraeume", "stadtgebiet", "stadtgebiet insgesamt")


def _aehnlichkeit(a: str, b: str) -> float:
    a, b = namensschluessel(a), namensschluessel(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True)
class Treffer:
    """How the suggestion matched a column to an indicator."""

    spalte: str
    indikator_id: str
    rolle: str                   # wert, zaehler or nenner
    sicherheit: float            # 0..1
    grund: str


def _spaltenwerte(tabelle: Tabelle, spalte: str) -> pd.Series:
    return tabelle.daten[spalte].astype(str).str.strip()


def _ist_stichtagsspalte(tabelle: Tabelle, spalte: str) -> bool:
    werte = _spaltenwerte(tabelle, spalte)
    werte = werte[werte != ""]
    if werte.empty:
        return False
    _, invalid, _ = parse_datum(werte.head(200))
    return not invalid.any()


def _raumtreffer(tabelle: Tabelle, spalte: str, kennungen: set[str], namen: set[str]) -> float:
    """Share of a column's values that are known area ids or names (also „01 Altstadt“)."""
    werte = _spaltenwerte(tabelle, spalte).head(500)
    werte = werte[werte != ""]
    if werte.empty:
        return 0.0
    def bekannt(v: str) -> bool:
        erste = v.split(" ", 1)[0]
        return v in kennungen or erste in kennungen or namensschluessel(v) in namen
    return float(werte.map(bekannt).mean())


def _sieht_aus_wie_anzahl(tabelle: Tabelle, spalte: str, faktor: float) -> bool:
    werte = _spaltenwerte(tabelle, spalte)
    zahlen = pd.to_numeric(werte.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                           errors="coerce").dropna()
    return bool(len(zahlen)) and bool((zahlen == zahlen.round()).all()) and float(zahlen.max()) > faktor


def _raumspalten(tabelle: Tabelle, raeume: pd.DataFrame | None, nach_kopf: str | None) -> tuple[str, str | None]:
    """The area column (whose values match known ids or names best; else by header, else the first column)
    and a second column with area names beside an id column (or None)."""
    raum = nach_kopf
    kennungen: set[str] = set()
    namen: set[str] = set()
    if raeume is not None and len(raeume):
        kennungen = set(raeume["raum_id"].astype(str))
        namen = {namensschluessel(n) for n in raeume["name"].astype(str)}
    # Raum: the column whose values match known ids or names best; else by header
    if kennungen:
        guete = {c: _raumtreffer(tabelle, c, kennungen, namen) for c in tabelle.spalten[:30]}
        beste = max(guete, key=guete.get)
        if guete[beste] >= 0.5 and (raum is None or guete[beste] > guete.get(raum, 0)):
            raum = beste
    raum = raum or tabelle.spalten[0]
    # A second column with area names beside an id column
    raum_name = None
    if namen:
        for c in tabelle.spalten[:30]:
            if c != raum and (_norm(c) in ("bezeichnung", "stadtteil", "sozialraum", "gebiet")
                              or "name" in _norm(c)) \
                    and _raumtreffer(tabelle, c, set(), namen) >= 0.5:
                raum_name = c
                break
    return raum, raum_name


def vorschlag_mit_treffern(tabelle: Tabelle, katalog: pd.DataFrame,
                           raeume: pd.DataFrame | None = None) -> tuple[Zuordnung, list[Treffer]]:
    """A first mapping guessed from the header and the values, with how sure each column match is.

    Long format if the table has indicator and value columns; otherwise wide, with columns matched to
    catalog entries by id, kurzname or name (fuzzy). A column of counts matched to a share becomes its
    numerator, with the column of the catalog's denominator (e.g. „Einwohner“) as denominator.
    """
    cols = {_norm(c): c for c in tabelle.spalten}

    def find(role: str) -> str | None:
        return next((cols[n] for n in _NAMEN[role] if n in cols), None)

    raum, raum_name = _raumspalten(tabelle, raeume, find("raum"))
    stichtag = next((c for c in tabelle.spalten if c not in (raum, raum_name) and _norm(c) in _NAMEN["stichtag"]
                     and _ist_stichtagsspalte(tabelle, c)), None)
    if stichtag is None and BLATT_SPALTE in tabelle.spalten and _ist_stichtagsspalte(tabelle, BLATT_SPALTE):
        stichtag = BLATT_SPALTE
    if find("indikator") and (find("wert") or find("zaehler")):
        z = Zuordnung(format="lang", raum=raum, raum_name=raum_name, indikator=find("indikator"),
                      stichtag=stichtag or find("stichtag"), wert=find("wert"), zaehler=find("zaehler"),
                      nenner=find("nenner"), status=find("status"), blatt=tabelle.blatt)
        return z, []
    frei = [c for c in tabelle.spalten if c not in (raum, raum_name, stichtag)]
    treffer: dict[str, Treffer] = {}
    vergeben: set[str] = set()
    kandidaten = []
    for row in katalog.itertuples(index=False):
        for c in frei:
            beste, grund = 0.0, ""
            for key, wie in ((row.indikator_id, "Kennung"), (row.kurzname, "Kurzname"), (row.name, "Name")):
                if not key or (isinstance(key, float) and np.isnan(key)):
                    continue
                a = _aehnlichkeit(c, str(key))
                if a > beste:
                    beste, grund = a, wie
            if beste >= 0.8:
                kandidaten.append((beste, row.indikator_id, c, grund))
    for beste, ind, c, grund in sorted(kandidaten, key=lambda k: -k[0]):
        if ind in treffer or c in vergeben:
            continue
        treffer[ind] = Treffer(c, ind, "wert", round(beste, 2), f"{grund} {'gleich' if beste == 1 else 'ähnlich'}")
        vergeben.add(c)
    meta = katalog.set_index("indikator_id")
    spalten: dict[str, Spalten] = {}
    liste: list[Treffer] = []
    for ind, t in treffer.items():
        spec = Spalten(wert=t.spalte)
        if meta.at[ind, "aggregation"] == "quote":
            faktor = float(meta.at[ind, "faktor"] or 100)
            nenner_text = str(meta.at[ind, "nenner"] or "")
            if nenner_text and _sieht_aus_wie_anzahl(tabelle, t.spalte, faktor):
                nenner = max(frei, key=lambda c: _aehnlichkeit(c, nenner_text))
                if _aehnlichkeit(nenner, nenner_text) < 0.6:
                    # „Einwohner insgesamt“ is usually just „Einwohner“
                    kurz = nenner_text.replace(" insgesamt", "")
                    nenner = max(frei, key=lambda c: _aehnlichkeit(c, kurz))
                    if _aehnlichkeit(nenner, kurz) < 0.8:
                        nenner = None
                if nenner and nenner != t.spalte:
                    spec = Spalten(zaehler=t.spalte, nenner=nenner)
                    liste.append(Treffer(nenner, ind, "nenner", round(_aehnlichkeit(nenner, nenner_text), 2),
                                         f"Nenner laut Katalog: {nenner_text}"))
                    t = Treffer(t.spalte, ind, "zaehler", t.sicherheit, t.grund + "; Anzahlen, daher Zähler")
        spalten[ind] = spec
        liste.append(t)
    z = Zuordnung(format="breit", raum=raum, raum_name=raum_name, stichtag=stichtag, spalten=spalten,
                  blatt=tabelle.blatt)
    return z, liste


def vorschlag(tabelle: Tabelle, katalog: pd.DataFrame, raeume: pd.DataFrame | None = None) -> Zuordnung:
    """A first mapping guessed from the header (see :func:`vorschlag_mit_treffern`)."""
    return vorschlag_mit_treffern(tabelle, katalog, raeume)[0]


def stichtag_vorschlag(tabelle: Tabelle) -> date | None:
    """A Stichtag the file's name or title lines suggest (31.12. of a year named there); offered to
    the user, never applied without asking."""
    quellen = [tabelle.dateiname, *tabelle.hinweise]
    for text in quellen:
        datum = re.search(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b", text)
        if datum:
            try:
                return date(int(datum.group(3)), int(datum.group(2)), int(datum.group(1)))
            except ValueError:
                pass
        jahr = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
        if jahr:
            return date(int(jahr.group(1)), 12, 31)
    return None


def unbenutzte_spalten(tabelle: Tabelle, z: Zuordnung) -> list[str]:
    """Columns the mapping leaves out."""
    benutzt = {z.raum, z.raum_name, z.stichtag, z.status, z.indikator, z.wert, z.zaehler, z.nenner}
    for spec in z.spalten.values():
        benutzt |= {spec.wert, spec.zaehler, spec.nenner}
    return [c for c in tabelle.spalten if c not in benutzt]


def naechster_indikator(spalte: str, katalog: pd.DataFrame) -> tuple[str, float] | None:
    """The catalog entry most like a column name (for hints: a name contained in the other counts)."""
    best = None
    spalte_n = namensschluessel(spalte)
    for row in katalog.itertuples(index=False):
        for key in (row.indikator_id, row.kurzname, row.name):
            if key and not (isinstance(key, float) and np.isnan(key)):
                a = _aehnlichkeit(spalte, str(key))
                # whole words of the one contained in the other: „Arbeitslose“ in „Arbeitslose gesamt (Anzahl)“
                kurz, lang = sorted((set(namensschluessel(str(key)).split()), set(spalte_n.split())), key=len)
                if kurz and kurz <= lang and sum(map(len, kurz)) >= 5:
                    a = max(a, 0.9)
                if best is None or a > best[1]:
                    best = (row.indikator_id, a)
    return best


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
                        f"{int(invalid.sum())} Zellen der Spalte „{bad[f'{role}_spalte'].iloc[0]}“ sind keine "
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


def _fuehrende_nullen(frame: pd.DataFrame, found: dict[str, pd.DataFrame], z: Zuordnung,
                      bericht: Pruefbericht) -> pd.DataFrame:
    vorschlag = found["raum_vorschlag"]
    zeros = vorschlag[vorschlag["nullen"]]
    if zeros.empty or not z.fuehrende_nullen:
        return frame
    mapping = dict(zip(zeros["id"], zeros["vorschlag"], strict=True))
    hit = frame["raum_id"].isin(mapping)
    bericht.add("Hinweis", "Führende Nullen ergänzt",
                f"{int(hit.sum())} Raum-Kennungen hatten ihre führenden Nullen verloren und wurden ergänzt "
                f"(z. B. {liste([f'{k} → {v}' for k, v in list(mapping.items())[:3]], 3)}).",
                anzahl=int(hit.sum()))
    return frame.assign(raum_id=frame["raum_id"].replace(mapping))


def _pruefen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht,
             stichtag_heute: date) -> pd.DataFrame:
    """The checks of :data:`fis.ingest.pruefregeln.WERTE_REGELN` (queries of the store and functions of the
    rows); returns the frame (leading zeros restored if the mapping says so)."""
    found = store.pruefe_werte(frame)
    restored = _fuehrende_nullen(frame, found, z, bericht)
    if restored is not frame:
        frame, found = restored, store.pruefe_werte(restored)

    kontext = Kontext(raum_spalte=z.raum, indikator_spalte=z.indikator or "", heute=stichtag_heute)
    anwenden(WERTE_REGELN, found, frame, kontext, bericht)
    return frame


def _raeume_zuordnen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht) -> pd.DataFrame:
    """Area cells to ids: ids stay, „01 Altstadt“ becomes 01 (if the name fits), unique names
    (normalised) and totals („Gesamt“, „Stadt insgesamt“, the city's name) are matched and reported.
    A name column that disagrees with the Raumgliederung is an error with both names."""
    raeume = store.load_raeume()
    if raeume.empty:
        return frame.drop(columns=["raum_name"])
    raeume = raeume.assign(raum_id=raeume["raum_id"].astype(str), schluessel=raeume["name"].map(namensschluessel))
    ids = set(raeume["raum_id"])
    namen_je_id = raeume.groupby("raum_id")["schluessel"].agg(set).to_dict()
    anzeige = raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"].to_dict()
    ids_je_name = raeume.groupby("schluessel")["raum_id"].agg(lambda r: sorted(set(r))).to_dict()
    top = int(raeume["ebene"].max())
    stadt = raeume[raeume["ebene"] == top]
    gesamt = set(GESAMT_NAMEN) | set(stadt["schluessel"]) | {f"{k} insgesamt" for k in stadt["schluessel"]}
    ebene_je_id = raeume.drop_duplicates("raum_id").set_index("raum_id")["ebene"].to_dict()
    werte = pd.Series(frame["raum_id"].unique())
    direkt = werte[werte.isin(ids)]
    ebenen = pd.Series([ebene_je_id[i] for i in direkt], dtype=float)
    haupt_ebene = int(ebenen.mode().iloc[0]) if len(ebenen) else None

    zuordnung: dict[str, str] = {}
    ueber_namen, summen, widerspruch, mehrdeutig = [], [], [], []
    for wert in werte:
        if wert in ids or wert == "":
            continue
        schluessel = namensschluessel(wert)
        teile = re.match(r"^(\S+?)\s*[-–:]?\s+(.+)$", wert)
        if teile and teile.group(1) in ids:
            kennung, name = teile.group(1), teile.group(2)
            if namensschluessel(name) in namen_je_id[kennung] or max(
                    _aehnlichkeit(name, n) for n in namen_je_id[kennung]) >= 0.85:
                zuordnung[wert] = kennung
            else:
                widerspruch.append((wert, kennung, name, anzeige[kennung]))
            continue
        if schluessel in gesamt and len(stadt):
            zuordnung[wert] = str(stadt["raum_id"].iloc[-1])
            summen.append(wert)
            continue
        kandidaten = ids_je_name.get(schluessel, [])
        if len(kandidaten) > 1 and haupt_ebene is not None:
            gleiche_ebene = [k for k in kandidaten if ebene_je_id[k] == haupt_ebene]
            kandidaten = gleiche_ebene or kandidaten
        if len(kandidaten) == 1:
            zuordnung[wert] = kandidaten[0]
            ueber_namen.append((wert, kandidaten[0]))
        elif len(kandidaten) > 1:
            mehrdeutig.append((wert, kandidaten))
    if ueber_namen:
        bericht.add("Hinweis", "Gebiete über den Namen zugeordnet",
                    f"{len(ueber_namen)} {'Gebiet' if len(ueber_namen) == 1 else 'Gebiete'} über den Namen "
                    f"zugeordnet (z. B. {liste([f'„{w}“ → {k}' for w, k in ueber_namen], 3)}).",
                    pd.DataFrame({"zeile": pd.NA, "spalte": z.raum, "wert": [w for w, _ in ueber_namen],
                                  "hinweis": [f"Kennung {k} ({anzeige[k]})" for _, k in ueber_namen]}),
                    anzahl=len(ueber_namen))
    if summen:
        bericht.add("Hinweis", "Gesamtwerte erkannt",
                    f"Die Zeilen „{'“, „'.join(summen[:3])}“ sind Werte der Gesamtstadt "
                    f"({anzeige[zuordnung[summen[0]]]}) "
                    "und werden als gelieferte Gesamtwerte gespeichert.", anzahl=len(summen))
    erste_zeile = frame.drop_duplicates("raum_id").set_index("raum_id")["zeile"]
    if widerspruch:
        bericht.add("Fehler", "Kennung und Name widersprechen sich",
                    f"{len(widerspruch)} Gebietsangaben nennen eine Kennung mit dem Namen eines anderen Gebiets "
                    f"(z. B. {liste([f'{k} „{n}“, laut Raumgliederung „{a}“' for _, k, n, a in widerspruch], 3)}). "
                    "Bitte Kennung oder Name in der Datei korrigieren.",
                    pd.DataFrame({"zeile": [erste_zeile[w] for w, *_ in widerspruch], "spalte": z.raum,
                                  "wert": [w for w, *_ in widerspruch],
                                  "hinweis": [f"{k} heißt laut Raumgliederung „{a}“" for _, k, _, a in widerspruch]}))
    if mehrdeutig:
        bericht.add("Fehler", "Gebietsname mehrdeutig",
                    f"{len(mehrdeutig)} Gebietsnamen passen auf mehrere Gebiete "
                    "(" + liste(["„" + w + "“: " + ", ".join(k) for w, k in mehrdeutig], 3)
                    + "). Bitte die Kennung angeben.",
                    pd.DataFrame({"zeile": [erste_zeile[w] for w, _ in mehrdeutig], "spalte": z.raum,
                                  "wert": [w for w, _ in mehrdeutig],
                                  "hinweis": [f"möglich: {', '.join(f'{i} ({anzeige[i]})' for i in k)}"
                                              for _, k in mehrdeutig]}))
        frame = frame[~frame["raum_id"].isin([w for w, _ in mehrdeutig])]
    if widerspruch:
        frame = frame[~frame["raum_id"].isin([w for w, *_ in widerspruch])]
    frame = frame.assign(raum_id=frame["raum_id"].replace(zuordnung))

    # A separate name column must agree with the id
    if z.raum_name:
        paare = frame[(frame["raum_name"].astype(str).str.strip() != "") & frame["raum_id"].isin(ids)] \
            .drop_duplicates(["raum_id", "raum_name"])
        falsch = [(r.zeile, r.raum_id, r.raum_name) for r in paare.itertuples(index=False)
                  if namensschluessel(r.raum_name) not in namen_je_id[r.raum_id]
                  and max(_aehnlichkeit(r.raum_name, n) for n in namen_je_id[r.raum_id]) < 0.85]
        if falsch:
            bericht.add("Fehler", "Kennung und Name widersprechen sich",
                        f"{len(falsch)} Zeilen nennen zu einer Kennung einen anderen Namen als die Raumgliederung "
                        "(z. B. " + liste([f"{k}: „{n}“ in der Datei, „{anzeige[k]}“ laut Raumgliederung"
                                            for _, k, n in falsch], 3) + "). "
                        "Ist die Datei verrutscht, oder gehört sie zu einem anderen Zuschnitt?",
                        pd.DataFrame({"zeile": [f[0] for f in falsch], "spalte": z.raum_name,
                                      "wert": [f"{k} „{n}“" for _, k, n in falsch],
                                      "hinweis": [f"laut Raumgliederung „{anzeige[k]}“" for _, k, _ in falsch]}))
    return frame.drop(columns=["raum_name"])


def _weitere_stichtagsspalte(tabelle: Tabelle, z: Zuordnung, frame: pd.DataFrame, bericht: Pruefbericht) -> None:
    """A second column that also looks like the Stichtag (Stichtag and Jahr) must agree with the chosen one."""
    if not z.stichtag:
        return
    for spalte in tabelle.spalten:
        if spalte == z.stichtag or _norm(spalte) not in _NAMEN["stichtag"]:
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
            tipp = max(((_aehnlichkeit(spalte, i), i) for i in katalog["indikator_id"]), default=(0.0, ""))
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
    katalog = store.load_indikatoren()
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
    frame = _raeume_zuordnen(store, frame, zuordnung, bericht)
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


def gemerkte_zuordnung(store: Store, tabelle: Tabelle) -> tuple[str, Zuordnung] | None:
    """The mapping saved for the source whose last file had this table's header (browser and CLI alike)."""
    saved = store.load_zuordnungen()
    hit = saved[saved["signatur"] == tabelle.signatur()]
    if hit.empty:
        return None
    name = str(hit.iloc[0]["name"])
    return name, Zuordnung.aus_dict(json.loads(hit.iloc[0]["inhalt"]), f"gespeicherte Zuordnung „{name}“")


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
    bestand = store.load_werte(sorted(ver["indikator_id"].unique()), None, sorted(ver["raum_id"].unique()))
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
    meta = store.load_indikatoren().set_index("indikator_id")
    katalog = meta["name"].to_dict()
    raeume = store.load_raeume().drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"].to_dict()
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

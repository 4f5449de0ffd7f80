"""The column mapping of a values file: which column holds the area, the Stichtag, and per indicator its
value, numerator and denominator; the automatic suggestion from header and values (with how sure each match
is), the mapping saved per source, and the Stichtag suggested from file name or title."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import yaml

from fis.ingest.grenzen import ist_text, yaml_laden
from fis.ingest.lesen import BLATT_SPALTE, ImportFehler, Tabelle
from fis.ingest.zahlen import parse_datum
from fis.store import Store

# Header spellings the mapping suggestion recognises (lower case, without blanks).
SPALTENNAMEN = {
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


def normiert(name: str) -> str:
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


def aehnlichkeit(a: str, b: str) -> float:
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
            if c != raum and (normiert(c) in ("bezeichnung", "stadtteil", "sozialraum", "gebiet")
                              or "name" in normiert(c)) \
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
    cols = {normiert(c): c for c in tabelle.spalten}

    def find(role: str) -> str | None:
        return next((cols[n] for n in SPALTENNAMEN[role] if n in cols), None)

    raum, raum_name = _raumspalten(tabelle, raeume, find("raum"))
    stichtag = next((c for c in tabelle.spalten if c not in (raum, raum_name)
                     and normiert(c) in SPALTENNAMEN["stichtag"] and _ist_stichtagsspalte(tabelle, c)), None)
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
                a = aehnlichkeit(c, str(key))
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
                nenner = max(frei, key=lambda c: aehnlichkeit(c, nenner_text))
                if aehnlichkeit(nenner, nenner_text) < 0.6:
                    # „Einwohner insgesamt“ is usually just „Einwohner“
                    kurz = nenner_text.replace(" insgesamt", "")
                    nenner = max(frei, key=lambda c: aehnlichkeit(c, kurz))
                    if aehnlichkeit(nenner, kurz) < 0.8:
                        nenner = None
                if nenner and nenner != t.spalte:
                    spec = Spalten(zaehler=t.spalte, nenner=nenner)
                    liste.append(Treffer(nenner, ind, "nenner", round(aehnlichkeit(nenner, nenner_text), 2),
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
                a = aehnlichkeit(spalte, str(key))
                # whole words of the one contained in the other: „Arbeitslose“ in „Arbeitslose gesamt (Anzahl)“
                kurz, lang = sorted((set(namensschluessel(str(key)).split()), set(spalte_n.split())), key=len)
                if kurz and kurz <= lang and sum(map(len, kurz)) >= 5:
                    a = max(a, 0.9)
                if best is None or a > best[1]:
                    best = (row.indikator_id, a)
    return best


def gemerkte_zuordnung(store: Store, tabelle: Tabelle) -> tuple[str, Zuordnung] | None:
    """The mapping saved for the source whose last file had this table's header (browser and CLI alike)."""
    saved = store.lade_zuordnungen()
    hit = saved[saved["signatur"] == tabelle.signatur()]
    if hit.empty:
        return None
    name = str(hit.iloc[0]["name"])
    return name, Zuordnung.aus_dict(json.loads(hit.iloc[0]["inhalt"]), f"gespeicherte Zuordnung „{name}“")

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
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.lesen import ImportFehler, Tabelle
from fis.ingest.lieferungen import pruefe_doppelte_datei
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
    per indicator; the Stichtag is given for the whole file.
    """

    format: str = "lang"
    raum: str = ""
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
        spalten = {}
        for ind, spec in (data.pop("spalten", None) or {}).items():
            if isinstance(spec, str):
                spec = {"wert": spec}
            if not isinstance(spec, dict) or set(spec) - {"wert", "zaehler", "nenner"}:
                raise ImportFehler(f"{herkunft}, spalten.{ind}: erwartet wird ein Spaltenname oder "
                                   "{wert: …} bzw. {zaehler: …, nenner: …}.")
            spalten[str(ind)] = Spalten(**{k: str(v) for k, v in spec.items() if v})
        data["fehlwerte"] = tuple(str(v) for v in data.get("fehlwerte") or ())
        if data.get("format", "lang") not in ("lang", "breit"):
            raise ImportFehler(f"{herkunft}: „format“ muss „lang“ oder „breit“ sein.")
        if data.get("dezimal", "auto") not in ("auto", "komma", "punkt"):
            raise ImportFehler(f"{herkunft}: „dezimal“ muss „auto“, „komma“ oder „punkt“ sein.")
        return cls(spalten=spalten, **data)


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "_")


def vorschlag(tabelle: Tabelle, katalog: pd.DataFrame) -> Zuordnung:
    """A first mapping guessed from the header: long format if it has indicator and
    value columns, otherwise wide with columns named like catalog entries."""
    cols = {_norm(c): c for c in tabelle.spalten}

    def find(role: str) -> str | None:
        return next((cols[n] for n in _NAMEN[role] if n in cols), None)

    raum = find("raum") or tabelle.spalten[0]
    if find("indikator") and (find("wert") or find("zaehler")):
        return Zuordnung(format="lang", raum=raum, indikator=find("indikator"), stichtag=find("stichtag"),
                         wert=find("wert"), zaehler=find("zaehler"), nenner=find("nenner"),
                         status=find("status"), blatt=tabelle.blatt)
    spalten = {}
    for row in katalog.itertuples(index=False):
        for key in (row.indikator_id, row.kurzname, row.name):
            if _norm(str(key)) in cols:
                spalten[row.indikator_id] = Spalten(wert=cols[_norm(str(key))])
                break
    return Zuordnung(format="breit", raum=raum, spalten=spalten, blatt=tabelle.blatt)


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
                      ("stichtag_text", z.stichtag), ("status_text", z.status)):
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
    frame["stichtag_text"] = ""
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

    # Stichtag
    if z.format == "lang" and z.stichtag:
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
    else:
        if stichtag is None:
            raise ImportFehler("Für das breite Format bitte den Stichtag der Datei angeben.")
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
    return frame[["zeile", "raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status"]] \
        .reset_index(drop=True)


def _liste(values, n: int = 5) -> str:
    values = list(values)
    shown = ", ".join(str(v) for v in values[:n])
    return shown + (f" und {len(values) - n} weitere" if len(values) > n else "")


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
                f"(z. B. {_liste([f'{k} → {v}' for k, v in list(mapping.items())[:3]], 3)}).",
                anzahl=int(hit.sum()))
    return frame.assign(raum_id=frame["raum_id"].replace(mapping))


def _pruefen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht,
             stichtag_heute: date) -> pd.DataFrame:
    """Database checks; returns the frame (leading zeros restored if the mapping says so)."""
    found = store.pruefe_werte(frame)
    restored = _fuehrende_nullen(frame, found, z, bericht)
    if restored is not frame:
        frame, found = restored, store.pruefe_werte(restored)

    unbekannt = found["raum_unbekannt"]
    if len(unbekannt):
        hints = found["raum_vorschlag"].set_index("id")
        def hint(raum_id: str) -> str:
            if raum_id not in hints.index:
                return ""
            h = hints.loc[raum_id]
            if h["nullen"]:
                return f"führende Nullen verloren? gemeint ist wohl {h['vorschlag']} ({h['name']})"
            if h["ist_name"]:
                return f"das ist ein Name; die Kennung ist {h['vorschlag']}"
            return f"meinten Sie {h['vorschlag']} ({h['name']})?" if h["aehnlichkeit"] >= 0.75 else ""
        detail = unbekannt.assign(spalte=z.raum, wert=unbekannt["raum_id"],
                                  hinweis=unbekannt["raum_id"].map(hint))
        nullen = bool(hints["nullen"].any()) if len(hints) else False
        text = (f"{len(unbekannt)} Zeilen mit {unbekannt['raum_id'].nunique()} unbekannten Raum-Kennungen: "
                f"{_liste(unbekannt['raum_id'].unique())}.")
        if nullen:
            text += (" Einige Kennungen haben ihre führenden Nullen verloren (typisch nach Excel). "
                     "Die Option „führende Nullen ergänzen“ repariert das.")
        else:
            text += " Bitte die Kennungen prüfen oder zuerst die Raumgliederung liefern."
        bericht.add("Fehler", "Unbekannter Raum", text, detail)

    ungueltig = found["raum_ungueltig"]
    if len(ungueltig):
        def fmt(d) -> str:
            return "heute" if pd.isna(d) else f"{pd.Timestamp(d):%d.%m.%Y}"
        detail = ungueltig.assign(
            spalte=z.raum, wert=ungueltig["raum_id"],
            hinweis=[f"gilt von {fmt(v)} bis {fmt(b)}, Stichtag {pd.Timestamp(s):%d.%m.%Y}"
                     for v, b, s in zip(ungueltig["von"], ungueltig["bis"], ungueltig["stichtag"], strict=True)])
        first = detail.iloc[0]
        bericht.add("Fehler", "Raum gilt nicht am Stichtag",
                    f"{len(ungueltig)} Zeilen nennen Räume, die am Stichtag nicht gelten (z. B. "
                    f"{first['raum_id']}: {first['hinweis']}). Gehört die Datei zu einem anderen Zuschnitt?",
                    detail)

    ind = found["indikator_unbekannt"]
    if len(ind):
        hints = found["indikator_vorschlag"].set_index("id")["vorschlag"]
        detail = ind.assign(spalte=z.indikator or "", wert=ind["indikator_id"],
                            hinweis=ind["indikator_id"].map(lambda i: f"meinten Sie {hints[i]}?" if i in hints else ""))
        bericht.add("Fehler", "Unbekannter Indikator",
                    f"{len(ind)} Zeilen mit unbekannten Indikatoren: {_liste(ind['indikator_id'].unique())}. "
                    "Bitte die Kennung korrigieren oder den Indikator zuerst im Katalog anlegen.", detail)

    doppelt = found["doppelt"]
    if len(doppelt):
        detail = doppelt.assign(wert=doppelt["raum_id"] + " / " + doppelt["indikator_id"],
                                hinweis=doppelt["erste"].map(lambda e: f"wie Zeile {e}"))
        bericht.add("Fehler", "Doppelter Schlüssel",
                    f"{len(doppelt)} Zeilen liefern denselben Raum, Indikator und Stichtag mehrfach. "
                    "Bitte Dubletten entfernen.", detail)

    unmoeglich = found["unmoeglich"]
    if len(unmoeglich):
        detail = unmoeglich.assign(wert=unmoeglich["wert"].map(lambda w: f"{w:g}" if pd.notna(w) else ""),
                                   spalte=unmoeglich["indikator_id"], hinweis=unmoeglich["grund"])
        gruende = unmoeglich["grund"].value_counts()
        bericht.add("Fehler", "Unmöglicher Wert",
                    f"{len(unmoeglich)} unmögliche Werte: "
                    + ", ".join(f"{n}× {g}" for g, n in gruende.items()) + ".", detail)

    widerspruch = found["widerspruch"]
    if len(widerspruch):
        detail = widerspruch.assign(
            spalte=widerspruch["indikator_id"], wert=widerspruch["wert"].map(lambda w: f"{w:g}"),
            hinweis=widerspruch["berechnet"].map(lambda b: f"Zähler/Nenner ergibt {b:.4g}"))
        bericht.add("Warnung", "Wert passt nicht zu Zähler/Nenner",
                    f"{len(widerspruch)} Werte weichen vom Quotienten aus Zähler und Nenner ab. Gespeichert "
                    "wird der gelieferte Wert; bitte die Berechnung in der Quelle prüfen.", detail)

    sprung = found["sprung"]
    if len(sprung):
        detail = sprung.assign(
            spalte=sprung["indikator_id"], wert=sprung["wert"].map(lambda w: f"{w:g}"),
            hinweis=[f"vorher {a:g} am {pd.Timestamp(s):%d.%m.%Y}" for a, s in
                     zip(sprung["alt"], sprung["alt_stichtag"], strict=True)])
        bericht.add("Warnung", "Unplausibler Sprung",
                    f"{len(sprung)} Werte haben sich gegenüber dem letzten Stichtag mehr als verdoppelt oder "
                    "mehr als halbiert. Bitte prüfen, ob Einheit und Abgrenzung gleich geblieben sind.", detail)

    fehlend = found["fehlende_raeume"]
    if len(fehlend):
        per = fehlend.groupby("indikator_id")["raum_id"].agg(list)
        text = "; ".join(f"{i}: {len(r)} ({_liste(r, 3)})" for i, r in per.head(5).items())
        bericht.add("Warnung", "Fehlende Sozialräume",
                    f"Für {fehlend['raum_id'].nunique()} Sozialräume fehlen Werte ({text}). Die Gesamtwerte "
                    "höherer Ebenen gelten dann als unvollständig.",
                    pd.DataFrame({"zeile": pd.NA, "spalte": fehlend["indikator_id"], "wert": fehlend["raum_id"],
                                  "hinweis": "fehlt: " + fehlend["name"]}), anzahl=len(fehlend))

    zukunft = pd.to_datetime(frame["stichtag"]) > pd.Timestamp(stichtag_heute)
    if zukunft.any():
        bad = frame[zukunft]
        bericht.add("Fehler", "Stichtag in der Zukunft",
                    f"{int(zukunft.sum())} Zeilen haben einen Stichtag nach dem heutigen Tag "
                    f"({stichtag_heute:%d.%m.%Y}).",
                    pd.DataFrame({"zeile": bad["zeile"], "wert": bad["stichtag"].map(lambda d: f"{d:%d.%m.%Y}"),
                                  "hinweis": "Zukunft"}))
    return frame


def vorbereiten(store: Store, tabelle: Tabelle, zuordnung: Zuordnung, stichtag: date | None = None,
                status: str = "endgültig", stichtag_heute: date | None = None) -> Vorbereitung:
    """Map, parse, check and compare a delivery; nothing is written."""
    if status not in STATUS:
        raise ImportFehler(f"Status „{status}“ ist unbekannt; erlaubt: {', '.join(STATUS)}.")
    katalog = store.load_indikatoren()
    if katalog.empty:
        raise ImportFehler("Der Indikatorenkatalog ist leer. Bitte zuerst den Katalog importieren.")
    bericht = Pruefbericht()
    frame = _umformen(tabelle, zuordnung, stichtag, status, katalog, bericht)
    if len(frame):
        frame = _pruefen(store, frame, zuordnung, bericht, stichtag_heute or heute())
    else:
        bericht.add("Fehler", "Keine Werte", "Die Datei enthält nach der Zuordnung keine übernehmbaren Werte.")
    quote_ohne = frame[frame["indikator_id"].map(katalog.set_index("indikator_id")["aggregation"]).eq("quote")
                       & frame["nenner"].isna()]
    if len(quote_ohne):
        bericht.add("Hinweis", "Quote ohne Zähler/Nenner",
                    f"{len(quote_ohne)} Anteilswerte kommen ohne Zähler und Nenner. Sie werden gespeichert, "
                    "lassen sich aber nicht zu höheren Raumebenen zusammenfassen.", anzahl=len(quote_ohne))
    pruefe_doppelte_datei(store, tabelle.sha256, bericht)
    vergleich = store.vergleiche_werte(frame) if len(frame) and bericht.ok else \
        frame.assign(art=pd.Series(dtype=str))
    return Vorbereitung(tabelle=tabelle, zuordnung=zuordnung, werte=frame, bericht=bericht,
                        vergleich=vergleich, status=status, stichtag=stichtag)


def uebernehmen(store: Store, vorbereitung: Vorbereitung, benutzer: Benutzer | str, bezeichnung: str | None = None,
                quelle: str | None = None, progress: Progress | None = None) -> int:
    """Write a checked delivery in one transaction; returns the new Lieferung's id."""
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
                   f"{min(start + chunk, len(werte)):,} von {len(werte):,} Werten geschrieben …".replace(",", "."))
        store.set_lieferung_counts(lid, len(werte), zaehlung["neu"], zaehlung["geändert"])
        store.insert_audit(benutzer, "import", "lieferung", str(lid), {
            "art": "werte", "datei": tabelle.dateiname, "sha256": tabelle.sha256, "zeilen": len(werte),
            **zaehlung})
    report(1.0, "Übernommen.")
    return lid


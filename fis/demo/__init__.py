"""The embedded demo city "Musterstadt", generated deterministically from a seed.

``build_demo(store, config)`` writes Raumgliederung, indicator catalog, 13 years of
indicator values, goals and the product budget as a series of deliveries, the way
a real city's data would have arrived: yearly monitoring deliveries, a new Raum
scheme in 2019, a provisional 2024 delivery partly superseded by a correction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from fis import prognose
from fis.config import Config
from fis.demo import einrichtungen as demo_einrichtungen
from fis.demo import massnahmen as demo_massnahmen
from fis.demo import raeume as geo
from fis.demo import vergleich as demo_vergleich
from fis.demo import werte as model
from fis.ingest import einrichtungen as einrichtungen_import
from fis.ingest import prognosen as prognose_import
from fis.ingest import vergleichswerte as vergleich_import
from fis.ingest.katalog import aus_config
from fis.ingest.lesen import lies_tabelle
from fis.store import Lieferung, Store
from fis.wuerfel import lade_monitoring, nachfuehren
from fis.ziele import bezugsdaten, pruefen, soll_werte

SEED = 2024
DEMO_USER = "demo"
DATA_DIR = Path(__file__).parent

Progress = Callable[[float, str], None]

ERGEBNISPLAN = [
    (1, "Steuern und ähnliche Abgaben", "Ertrag", None),
    (2, "Zuwendungen und allgemeine Umlagen", "Ertrag", None),
    (3, "Sonstige Transfererträge", "Ertrag", None),
    (4, "Öffentlich-rechtliche Leistungsentgelte", "Ertrag", None),
    (5, "Privatrechtliche Leistungsentgelte", "Ertrag", None),
    (6, "Kostenerstattungen und Kostenumlagen", "Ertrag", None),
    (7, "Sonstige ordentliche Erträge", "Ertrag", None),
    (8, "Aktivierte Eigenleistungen", "Ertrag", None),
    (9, "Bestandsveränderungen", "Ertrag", None),
    (10, "Ordentliche Erträge", "Summe", "1-9"),
    (11, "Personalaufwendungen", "Aufwand", None),
    (12, "Versorgungsaufwendungen", "Aufwand", None),
    (13, "Aufwendungen für Sach- und Dienstleistungen", "Aufwand", None),
    (14, "Bilanzielle Abschreibungen", "Aufwand", None),
    (15, "Transferaufwendungen", "Aufwand", None),
    (16, "Sonstige ordentliche Aufwendungen", "Aufwand", None),
    (17, "Ordentliche Aufwendungen", "Summe", "11-16"),
    (18, "Ergebnis der laufenden Verwaltungstätigkeit", "Summe", "10,17"),
    (19, "Finanzerträge", "Ertrag", None),
    (20, "Zinsen und sonstige Finanzaufwendungen", "Aufwand", None),
    (21, "Finanzergebnis", "Summe", "19,20"),
    (22, "Ordentliches Ergebnis", "Summe", "18,21"),
    (23, "Außerordentliche Erträge", "Ertrag", None),
    (24, "Außerordentliche Aufwendungen", "Aufwand", None),
    (25, "Außerordentliches Ergebnis", "Summe", "23,24"),
    (26, "Ergebnis vor Berücksichtigung der internen Leistungsbeziehungen", "Summe", "22,25"),
    (27, "Erträge aus internen Leistungsbeziehungen", "Ertrag", None),
    (28, "Aufwendungen aus internen Leistungsbeziehungen", "Aufwand", None),
    (29, "Ergebnis", "Summe", "26,27,28"),
]

# Budget years: Ist 2021–2025, Ansatz 2021–2026, Planung 2027–2029; monthly Ist for
# 2025 (complete, basis of seasonal forecasts) and 2026 up to the reporting month.
HAUSHALTSJAHR = 2026
BERICHTSMONAT = 10
IST_JAHRE = range(2021, 2026)
ANSATZ_JAHRE = range(2021, 2027)
PLANUNG_JAHRE = range(2027, 2030)
KENNZAHL_IST_JAHRE = range(2020, 2026)
KENNZAHL_ANSATZ_JAHRE = range(2020, 2027)

MONATSPROFIL = {
    11: [1.0] * 10 + [1.9, 1.0],                                    # Jahressonderzahlung im November
    13: [0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.8],  # Jahresendeffekt
    6: [0.2, 0.2, 2.6] * 4,                                          # quartalsweise Erstattungen
    2: [0.3, 0.3, 2.4] * 4,
}

BA_KORREKTUR = 1.015  # BA data after the three-month waiting period are ~1.5 % higher


def _sha256(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def _lieferung(store: Store, frame: pd.DataFrame, art: str, bezeichnung: str, dateiname: str,
               quelle: str, zeitpunkt: datetime) -> int:
    lid = store.insert_lieferung(Lieferung(
        art=art, bezeichnung=bezeichnung, dateiname=dateiname, sha256=_sha256(frame),
        benutzer=DEMO_USER, quelle=quelle, zeitpunkt=zeitpunkt,
        pruefergebnis={"fehler": 0, "warnungen": 0, "hinweis": "Demo-Daten, erzeugt"}))
    store.set_lieferung_counts(lid, len(frame), len(frame), 0)
    store.insert_audit(DEMO_USER, "import", "lieferung", str(lid),
                       {"bezeichnung": bezeichnung, "datei": dateiname, "zeilen": len(frame)})
    # the demo's history was published as it was delivered
    store.set_lieferung_veroeffentlicht(lid, DEMO_USER, zeitpunkt)
    store.insert_audit(DEMO_USER, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": bezeichnung})
    return lid


def build_demo(store: Store, config: Config, progress: Progress | None = None) -> dict[str, int]:
    """Generate Musterstadt into an empty ``store``; returns row counts."""
    report = progress or (lambda fraction, text: None)
    if store.count_rows()["raum"]:
        raise ValueError("Die Datenbank enthält bereits Daten; die Demo wird nur in eine leere "
                         "Datenbank geschrieben.")
    rng = np.random.default_rng(SEED)

    report(0.05, "Stadtgebiet und Sozialräume werden erzeugt …")
    shape, gebiete = geo.generate_gebiete(rng)
    ost = [g for g in gebiete if g.bezirk_id == "04"]
    split = max(ost, key=lambda g: g.geometry.area)
    split_names = (f"{split.name}-Nord", f"{split.name}-Süd")
    raum, aenderungen, atoms = geo.raum_frame(shape, gebiete, split.raum_id, split_names)

    report(0.2, "Bevölkerung und Indikatoren werden berechnet …")
    katalog = aus_config(config)
    faktoren = dict(zip(katalog["indikator_id"], katalog["faktor"], strict=True))
    werte = _werte(config, raum, atoms, split, katalog, faktoren, rng)

    report(0.45, "Datenlieferungen werden gespeichert …")
    with store.transaction():
        _raeume_und_katalog(store, raum, aenderungen, katalog, split)
        _wertelieferungen(store, werte, faktoren)

    report(0.65, "Produkthaushalt wird erzeugt …")
    _produkthaushalt(store, rng)

    report(0.85, "Zielsystem wird angelegt …")
    _zielsystem(store, config)
    if config.einrichtungen.typen:
        report(0.92, "Einrichtungsregister wird erzeugt …")
        _einrichtungsregister(store, config)
    report(0.96, "Vergleichswerte von Land, Bund und Vergleichsring …")
    _vergleichswerte(store, config)
    report(0.98, "Bevölkerungsvorausberechnung 2025–2040 …")
    _prognose(store)
    report(0.99, "Maßnahmenregister …")
    demo_massnahmen.register(store, DEMO_USER)
    report(0.995, "Werte aller Ebenen werden zusammengestellt …")
    nachfuehren(store, config)
    report(1.0, "Fertig.")
    return store.count_rows()


def _werte(config: Config, raum: pd.DataFrame, atoms, split, katalog: pd.DataFrame, faktoren: dict,
           rng) -> pd.DataFrame:
    """Population and the values of every catalog indicator the demo has a model for (all but the ones
    computed from the facility register)."""
    names = dict(zip(raum["raum_id"], raum["name"], strict=True))
    bev = model.population(atoms, names, growth_area=f"{split.raum_id}B", rng=rng)
    draws = model.draw_numerators(bev, rng)
    berechnet = {v.indikator for v in config.einrichtungen.versorgung}     # from the facility register
    missing = set(katalog["indikator_id"]) - set(draws) - berechnet
    if missing:
        raise ValueError(f"Für diese Indikatoren des Katalogs kennt die Demo kein Modell: "
                         f"{', '.join(sorted(missing))}")
    draws = {k: v for k, v in draws.items() if k in faktoren}
    return model.werte_frame(bev, draws, faktoren, (split.raum_id, (f"{split.raum_id}A", f"{split.raum_id}B")),
                             geo.SPLIT_DATE.year)


def _raeume_und_katalog(store: Store, raum: pd.DataFrame, aenderungen: pd.DataFrame, katalog: pd.DataFrame,
                        split) -> None:
    """The two area schemes (2012, the split of 2019) and the catalog, as deliveries (inside a transaction)."""
    schema_2012 = raum[raum["gueltig_von"] == geo.SCHEME_START]
    lid = _lieferung(store, schema_2012.drop(columns="geometrie"), "raeume",
                     "Raumgliederung Sozialräume (Ratsbeschluss 2011)", "sozialraeume_2012.geojson",
                     "Amt für Statistik und Wahlen", datetime(2012, 2, 14, 9, 30))
    store.insert_raeume(schema_2012.assign(lieferung_id=lid))
    neu = raum[raum["gueltig_von"] == geo.SPLIT_DATE]
    lid = _lieferung(store, neu.drop(columns="geometrie"), "raeume",
                     f"Neuzuschnitt: Teilung von {split.name} zum 1.1.2019",
                     "sozialraeume_2019.geojson", "Amt für Statistik und Wahlen",
                     datetime(2019, 1, 8, 11, 0))
    store.insert_raeume(neu.assign(lieferung_id=lid))
    store.insert_raum_aenderungen(aenderungen)
    lid = _lieferung(store, katalog, "katalog", "Indikatorenkatalog Sozialmonitoring",
                     "indikatoren.yaml", "Sozialplanung", datetime(2013, 3, 1, 10, 0))
    store.upsert_indikatoren(katalog.assign(lieferung_id=lid))


def _wertelieferungen(store: Store, werte: pd.DataFrame, faktoren: dict) -> None:
    """One delivery per year; the last year provisional with undercounted BA figures, then their correction."""
    for year in model.STICHTAGE[:-1]:
        part = werte[pd.to_datetime(werte["stichtag"]).dt.year == year].assign(status="endgültig")
        lid = _lieferung(store, part, "werte", f"Sozialmonitoring Stichtag 31.12.{year}",
                         f"sozialmonitoring_{year}.csv", "Amt für Statistik und Wahlen",
                         datetime(int(year) + 1, 6, 15, 14, 0))
        _store_werte(store, part, lid)
    last = int(model.STICHTAGE[-1])
    final = werte[pd.to_datetime(werte["stichtag"]).dt.year == last]
    ba = final["indikator_id"].isin(model.BA_INDICATORS)
    vorlaeufig = final.copy()
    # Provisional BA figures undercount; the correction brings the final numbers.
    vorlaeufig.loc[ba, "zaehler"] = np.rint(final.loc[ba, "zaehler"] / BA_KORREKTUR)
    vorlaeufig.loc[ba, "wert"] = (vorlaeufig.loc[ba, "zaehler"] / vorlaeufig.loc[ba, "nenner"]
                                  * vorlaeufig.loc[ba, "indikator_id"].map(faktoren))
    lid = _lieferung(store, vorlaeufig, "werte", f"Sozialmonitoring Stichtag 31.12.{last} (vorläufig)",
                     f"sozialmonitoring_{last}_vorlaeufig.csv", "Amt für Statistik und Wahlen",
                     datetime(last + 1, 3, 20, 9, 15))
    _store_werte(store, vorlaeufig.assign(status="vorläufig"), lid)
    korrektur = final[ba].assign(status="endgültig")
    lid = _lieferung(store, korrektur, "werte",
                     f"Korrektur Bundesagentur für Arbeit 31.12.{last} (nach Wartezeit, endgültig)",
                     f"ba_korrektur_{last}.csv", "Bundesagentur für Arbeit",
                     datetime(last + 1, 7, 10, 8, 45))
    _store_werte(store, korrektur, lid)


def _produkthaushalt(store: Store, rng) -> None:
    """Products with their texts and the Teilergebnispläne with monthly Ist, as two deliveries."""
    produkte = yaml.safe_load((DATA_DIR / "produkte.yaml").read_text(encoding="utf-8"))
    frames = _produkt_frames(produkte, rng)
    with store.transaction():
        produkte_lid = _lieferung(store, frames["produkt"], "produkte", "Produktdatenblätter Haushalt 2026",
                                  "produktdatenblaetter_2026.xlsx", "Kämmerei", datetime(2025, 11, 20, 10, 0))
        haushalt_lid = _lieferung(store, frames["teilergebnisplan"], "haushalt",
                                  f"Teilergebnispläne und Monats-Ist bis {BERICHTSMONAT:02d}/{HAUSHALTSJAHR}",
                                  f"finanzsystem_export_{HAUSHALTSJAHR}_{BERICHTSMONAT:02d}.csv",
                                  "Kämmerei (Finanzsystem)", datetime(HAUSHALTSJAHR, BERICHTSMONAT + 1, 5, 7, 30))
        speichere_produkthaushalt(store, frames, produkte_lid, haushalt_lid)


def _zielsystem(store: Store, config: Config) -> None:
    """Goals, Wirkungsbeitrag and the SROI analysis; the budget year and month of the demo."""
    ziele_spec = yaml.safe_load((DATA_DIR / "ziele.yaml").read_text(encoding="utf-8"))["ziele"]
    ziele = pruefen(ziele_spec, bezugsdaten(store, config))
    with store.transaction():
        _lieferung(store, ziele, "ziele", "Zielsystem Soziales, Jugend und Gesundheit",
                   "zielsystem.yaml", "Sozialplanung", datetime(2024, 12, 12, 16, 0))
        store.upsert_ziele(ziele.drop(columns="_soll"), soll_werte(ziele))
        wirkung = yaml.safe_load((DATA_DIR / "wirkung.yaml").read_text(encoding="utf-8"))
        leit = list(wirkung["gewichte"])
        store.replace_wirkung(
            pd.DataFrame({"ziel_id": leit, "gewicht": [float(g) for g in wirkung["gewichte"].values()]}),
            pd.DataFrame([(nr, z, b["ist"][i], (b.get("soll") or b["ist"])[i])
                          for nr, b in wirkung["beitraege"].items() for i, z in enumerate(leit)],
                         columns=["produkt_nr", "ziel_id", "beitrag", "beitrag_soll"]))
        a = yaml.safe_load((DATA_DIR / "sroi.yaml").read_text(encoding="utf-8"))
        zeilen = pd.DataFrame(a["wirkungen"])
        zeilen.insert(0, "nr", range(1, len(zeilen) + 1))
        store.replace_sroi(pd.DataFrame([{k: a[k] for k in ("analyse_id", "name", "produkt_nr", "beschreibung",
                                                             "input_euro", "zinssatz")}]),
                           zeilen.assign(analyse_id=a["analyse_id"]))
        store.set_meta("demo", "Musterstadt")
        store.set_meta("haushaltsjahr", str(HAUSHALTSJAHR))
        store.set_meta("berichtsmonat", str(BERICHTSMONAT))

def _einrichtungsregister(store: Store, config: Config) -> int:
    """The facility register, imported as a CSV export through the delivery path and published."""
    daten = demo_einrichtungen.als_csv(demo_einrichtungen.register(store))
    v = einrichtungen_import.vorbereiten(store, config, daten, f"einrichtungsregister_{model.STICHTAGE[-1]}.csv")
    if not v.uebernehmbar:
        raise ValueError("Das Demo-Einrichtungsregister besteht die Prüfung nicht:\n" + v.bericht.als_text())
    zeitpunkt = datetime(int(model.STICHTAGE[-1]) + 1, 2, 3, 9, 0)
    lid = einrichtungen_import.uebernehmen(
        store, v, DEMO_USER, config, f"Einrichtungsregister Stand 31.12.{model.STICHTAGE[-1]}",
        quelle="Jugendamt, Schulamt, Seniorenbüro", zeitpunkt=zeitpunkt)
    with store.transaction():
        store.set_lieferung_veroeffentlicht(lid, DEMO_USER, zeitpunkt)
        store.insert_audit(DEMO_USER, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": v.dateiname})
    return lid


def _vergleichswerte(store: Store, config: Config) -> int:
    """Land, Bund and Vergleichsring for the Lagebild's rates, imported through the delivery path and published."""
    quoten = [i for i in config.lagebild.kennzahlen if i in set(aus_config(config).query("aggregation == 'quote'")
                                                                 ["indikator_id"])]
    m = lade_monitoring(store, config, quoten)
    datei = f"vergleichswerte_{model.STICHTAGE[-1]}.csv"
    v = vergleich_import.vorbereiten(store, lies_tabelle(demo_vergleich.vergleichswerte_csv(m, quoten), datei))
    if not v.uebernehmbar:
        raise ValueError("Die Demo-Vergleichswerte bestehen die Prüfung nicht:\n" + v.bericht.als_text())
    zeitpunkt = datetime(int(model.STICHTAGE[-1]) + 1, 3, 2, 10, 0)
    lid = vergleich_import.uebernehmen(store, v, DEMO_USER, f"Vergleichswerte Land, Bund, Vergleichsring "
                                       f"{model.STICHTAGE[0]}–{model.STICHTAGE[-1]}",
                                       quelle="Demo: erfundene Werte (IT.NRW, Bundesagentur für Arbeit im Echtbetrieb)",
                                       zeitpunkt=zeitpunkt)
    with store.transaction():
        store.set_lieferung_veroeffentlicht(lid, DEMO_USER, zeitpunkt)
        store.insert_audit(DEMO_USER, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": datei})
    return lid


def _prognose(store: Store) -> int:
    """The projection 2025–2040 in three variants per Sozialraum and age band from the cohort-component model
    (fis.prognose), imported through the delivery path and published."""
    basisjahr = int(model.STICHTAGE[-1])
    stichtag = date(basisjahr, 12, 31)
    frame = prognose.fortschreiben(demo_vergleich.bevoelkerung_nach_baendern(store, stichtag),
                                   demo_vergleich.wanderungssaldo(store, stichtag), basisjahr, 2040)
    datei = f"bevoelkerungsvorausberechnung_{basisjahr + 1}_2040.csv"
    v = prognose_import.vorbereiten(store, lies_tabelle(prognose.als_csv(frame), datei))
    if not v.uebernehmbar:
        raise ValueError("Die Demo-Prognose besteht die Prüfung nicht:\n" + v.bericht.als_text())
    zeitpunkt = datetime(basisjahr + 1, 4, 14, 9, 0)
    lid = prognose_import.uebernehmen(store, v, DEMO_USER, f"Bevölkerungsvorausberechnung {basisjahr + 1}–2040 "
                                      "(Basis, hoch, niedrig)", quelle="Demo: Kohorten-Komponenten-Modell "
                                      "(fis/prognose_modell.yaml)", zeitpunkt=zeitpunkt)
    with store.transaction():
        store.set_lieferung_veroeffentlicht(lid, DEMO_USER, zeitpunkt)
        store.insert_audit(DEMO_USER, "veroeffentlicht", "lieferung", str(lid), {"bezeichnung": datei})
    return lid


def speichere_produkthaushalt(store: Store, frames: dict[str, pd.DataFrame], produkte_lid: int,
                              haushalt_lid: int) -> None:
    """Write the frames of :func:`_produkt_frames` and the NKF lines (inside a transaction)."""
    store.insert_produktbereiche(frames["produktbereich"])
    store.insert_produktgruppen(frames["produktgruppe"])
    store.insert_produkte(frames["produkt"])
    store.insert_produkt_kennzahlen(frames["produkt_kennzahl"])
    store.insert_produkt_kennzahl_werte(frames["produkt_kennzahl_wert"].assign(lieferung_id=produkte_lid))
    store.insert_ergebnisplan_positionen(pd.DataFrame(
        ERGEBNISPLAN, columns=["position_nr", "bezeichnung", "art", "summe_aus"]))
    store.insert_teilergebnisplan(frames["teilergebnisplan"].assign(lieferung_id=haushalt_lid))


def _store_werte(store: Store, frame: pd.DataFrame, lieferung_id: int) -> None:
    neu, ersetzt = store.insert_werte(frame.assign(lieferung_id=lieferung_id))
    store.set_lieferung_counts(lieferung_id, len(frame), neu, ersetzt)


# --------------------------------------------------------------------------- products

def _produkt_frames(spec: dict, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    text_fields = ("verantwortlich", "organisationseinheit", "gremium", "beschreibung",
                   "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten")
    bereiche, gruppen, produkte, kennzahlen, kwerte, tep = [], [], [], [], [], []
    for b in spec["bereiche"]:
        bereiche.append({"nr": b["nr"], "name": b["name"], "verantwortlich": b["verantwortlich"]})
        for g in b["gruppen"]:
            gruppen.append({"nr": g["nr"], "bereich_nr": b["nr"], "name": g["name"],
                            **{f: g.get(f) for f in text_fields}})
            for p in g["produkte"]:
                row = {"nr": p["nr"], "gruppe_nr": g["nr"], "name": p["name"],
                       "rechtsgrundlage": p.get("rechtsgrundlage")}
                for f in text_fields:  # organisational fields default to the group's
                    row[f] = p.get(f, g.get(f))
                produkte.append(row)
                for k in p.get("kennzahlen", []):
                    kennzahlen.append({"kennzahl_id": k["id"], "nr": p["nr"], "name": k["name"],
                                       "einheit": k["einheit"], "art": k["art"],
                                       "polaritaet": k["polaritaet"],
                                       "nachkommastellen": k.get("nachkommastellen", 0)})
                    kwerte += _kennzahl_werte(k, rng)
                tep += _teilergebnisplan(p["nr"], p["haushalt"], p["wachstum"], rng)
    return {
        "produktbereich": pd.DataFrame(bereiche), "produktgruppe": pd.DataFrame(gruppen),
        "produkt": pd.DataFrame(produkte), "produkt_kennzahl": pd.DataFrame(kennzahlen),
        "produkt_kennzahl_wert": pd.DataFrame(kwerte), "teilergebnisplan": pd.DataFrame(tep),
    }


def _kennzahl_werte(k: dict, rng: np.random.Generator) -> list[dict]:
    nk = k.get("nachkommastellen", 0)
    basis, trend = float(k["basis"]), float(k["trend"])
    bias = {"hoch_gut": 0.02, "hoch_schlecht": -0.02}.get(k["polaritaet"], 0.0)
    rows = []
    for year in KENNZAHL_IST_JAHRE:
        noise = rng.normal(0, max(abs(trend) * 0.4, abs(basis) * 0.01)) if year > 2020 else 0.0
        rows.append((year, "Ist", basis + trend * (year - 2020) + noise))
    for year in KENNZAHL_ANSATZ_JAHRE:
        rows.append((year, "Ansatz", (basis + trend * (year - 2020)) * (1 + bias)))
    for year in PLANUNG_JAHRE:
        rows.append((year, "Planung", (basis + trend * (year - 2020)) * (1 + bias)))
    return [{"kennzahl_id": k["id"], "jahr": y, "wertart": art, "wert": round(max(v, 0.0), nk)}
            for y, art, v in rows]


def _teilergebnisplan(nr: str, haushalt: dict, wachstum: float, rng: np.random.Generator) -> list[dict]:
    rows = []
    for position, amount in haushalt.items():
        position, amount = int(position), float(amount)
        aufwand = amount < 0
        plan_bias = 0.015 if aufwand else -0.015   # plans are cautious on both sides

        def trend(year: int, amount: float = amount) -> float:
            return amount * (1 + wachstum) ** (year - 2021)

        ist = {year: round(trend(year) * (1 + (rng.normal(0, 0.015) if year > 2021 else 0)))
               for year in IST_JAHRE}
        for year, value in ist.items():
            rows.append((position, year, 0, "Ist", value))
        for year in ANSATZ_JAHRE:
            rows.append((position, year, 0, "Ansatz", round(trend(year) * (1 + plan_bias))))
        for year in PLANUNG_JAHRE:
            rows.append((position, year, 0, "Planung", round(trend(year) * (1 + plan_bias))))
        profile = np.array(MONATSPROFIL.get(position, [1.0] * 12), dtype=float)
        for year, annual, months in ((2025, ist[2025], 12),
                                     (HAUSHALTSJAHR, trend(HAUSHALTSJAHR) * (1 + rng.normal(0, 0.02)),
                                      BERICHTSMONAT)):
            weights = profile * (1 + rng.normal(0, 0.03, 12))
            monthly = np.round(annual * weights / weights.sum())
            if months == 12:  # the months of a closed year add up to its annual Ist exactly
                monthly[-1] = annual - monthly[:-1].sum()
            for m in range(months):
                rows.append((position, year, m + 1, "Ist", float(monthly[m])))
    return [{"produkt_nr": nr, "position_nr": p, "jahr": y, "monat": m, "wertart": w, "betrag": float(b)}
            for p, y, m, w, b in rows]

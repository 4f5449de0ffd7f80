"""The registry of delivery kinds: one entry per kind, used by the command line (``python -m fis import``),
the Datenpflege page, the delivery register and the tests.

Every kind goes the same way: :meth:`Lieferart.vorbereiten` checks a file and writes nothing,
:attr:`Lieferart.vorschau` says in one German line what would change, :meth:`Lieferart.uebernehmen`
commits it as one versioned delivery; :attr:`Lieferart.regeln` lists its checks (the declarative tables of
:mod:`fis.ingest.pruefregeln`). What differs between the kinds (a column mapping, a coordinate
system, a Stichtag) travels in the :class:`Auftrag`. Adding a kind is one entry in :data:`LIEFERARTEN`.
Kinds without a file of their own (goals, Einordnung) are listed for their names only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from fis.config import Config
from fis.format import fmt_datum, fmt_zahl
from fis.ingest import einrichtungen as einrichtungen_import
from fis.ingest import haushalt as haushalt_import
from fis.ingest import katalog as katalog_import
from fis.ingest import massnahmen as massnahmen_import
from fis.ingest import planung as planung_import
from fis.ingest import produkte as produkte_import
from fis.ingest import prognosen as prognose_import
from fis.ingest import raeume as raeume_import
from fis.ingest import vergleichswerte as vergleich_import
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.einrichtungsregeln import EINRICHTUNG_REGELN
from fis.ingest.lesen import ImportFehler, Tabelle, lies_tabelle
from fis.ingest.lieferungen import veroeffentlicht_text
from fis.ingest.massnahmeregeln import MASSNAHME_REGELN
from fis.ingest.pruefregeln import DATEI_REGELN, Pruefregel
from fis.ingest.raeume import GEO_ENDUNGEN
from fis.ingest.raumregeln import RAUM_REGELN
from fis.ingest.werteregeln import WERTE_LESEN, WERTE_REGELN
from fis.store import Store
from fis.wuerfel import nachfuehren
from fis.zugang import Benutzer

Fortschritt = Callable[[float, str], None]


@dataclass(frozen=True)
class Auftrag:
    """One file to deliver and what its kind needs besides the file."""

    store: Store
    config: Config
    daten: bytes
    dateiname: str
    benutzer: Benutzer | str = ""
    bezeichnung: str | None = None
    quelle: str | None = None
    blatt: str | None = None
    fortschritt: Fortschritt | None = None
    tabelle: Tabelle | None = None                 # already read (the page shows it before mapping)
    crs: str | None = None                         # Einrichtungen: coordinate system of the file
    raum_zuordnung: raeume_import.RaumZuordnung | None = None
    werte_zuordnung: zuordnung_import.Zuordnung | None = None
    stichtag: date | None = None                   # Werte: the file's Stichtag if it has no column
    status: str = "endgültig"
    zuordnung_merken: str | None = None            # Werte: remember the mapping under this source name

    def gelesen(self) -> Tabelle:
        """The file as a table (read once, with the chosen sheet)."""
        return self.tabelle if self.tabelle is not None else lies_tabelle(self.daten, self.dateiname, self.blatt)

    def mit(self, **felder) -> Auftrag:
        return replace(self, **felder)


@dataclass(frozen=True)
class Lieferart:
    """A kind of delivery. ``id`` is what ``lieferung.art`` stores and ``--art`` names."""

    id: str
    name: str
    endungen: tuple[str, ...] = ()
    vorbereiten: Callable[[Auftrag], Any] | None = None
    vorschau: Callable[[Any], str] | None = None
    uebernehmen: Callable[[Auftrag, Any], int] | None = None
    hilfe: str = ""
    regeln: tuple[Pruefregel, ...] = ()            # its checks, in the order they are applied
    aendert_werte: bool = False                    # can change the aggregate cube (fis.wuerfel)

    @property
    def aus_datei(self) -> bool:
        """True for a kind delivered as a file (command line and upload)."""
        return self.vorbereiten is not None

    def pruefen(self, auftrag: Auftrag) -> Any:
        """Check the file; nothing is written. The result has ``bericht`` and ``uebernehmbar``."""
        if self.vorbereiten is None:
            raise ImportFehler(f"{self.name} wird nicht als Datei geliefert.")
        return self.vorbereiten(auftrag)

    def speichern(self, auftrag: Auftrag, vorbereitung: Any, wuerfel: bool = True) -> int:
        """Commit a checked delivery as one versioned, audited delivery; returns its number. Then the aggregate
        cube follows, unless ``wuerfel`` is False (the caller publishes the delivery at once and brings the cube
        up to date after that: once, not twice)."""
        if self.uebernehmen is None:
            raise ImportFehler(f"{self.name} wird nicht als Datei geliefert.")
        lid = self.uebernehmen(auftrag, vorbereitung)
        if self.aendert_werte and wuerfel:
            if auftrag.fortschritt:
                auftrag.fortschritt(1.0, "Werte aller Ebenen werden zusammengestellt …")
            nachfuehren(auftrag.store, auftrag.config)
        return lid


def _zaehlung(vergleich) -> str:
    return ", ".join(f"{k} {fmt_zahl(n, 0)}" for k, n in vergleich["art"].value_counts().items())


def _werte_vorbereiten(a: Auftrag):
    if a.werte_zuordnung is None:
        raise ImportFehler("Für Indikatorwerte fehlt die Spaltenzuordnung.")
    return werte_import.vorbereiten(a.store, a.gelesen(), a.werte_zuordnung, a.stichtag, a.status)


def _raeume_vorbereiten(a: Auftrag):
    if a.raum_zuordnung is None:
        raise ImportFehler("Für die Raumgliederung fehlt die Zuordnung (Kennung, Name, Ebene, gültig ab).")
    top = max(e.ebene for e in a.config.stadt.raumebenen)
    return raeume_import.vorbereiten(a.store, a.daten, a.dateiname, a.raum_zuordnung, top, a.config.stadt.name)


LIEFERARTEN: dict[str, Lieferart] = {art.id: art for art in (
    Lieferart(
        "werte", "Indikatorwerte", (".csv", ".txt", ".xlsx"), _werte_vorbereiten,
        lambda v: ", ".join(f"{k} {fmt_zahl(n, 0)}" for k, n in v.zaehlung.items())
        + f" (von {fmt_zahl(len(v.werte), 0)} Werten)",
        lambda a, v: werte_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle, a.fortschritt,
                                              a.zuordnung_merken),
        "Langes Format (Raum, Indikator, Stichtag, Wert) oder breites (je Indikator eine Spalte).",
        DATEI_REGELN + WERTE_LESEN + WERTE_REGELN, aendert_werte=True),
    Lieferart(
        "raeume", "Raumgliederung", tuple(sorted(GEO_ENDUNGEN)), _raeume_vorbereiten,
        lambda v: f"{len(v.raeume)} Räume, {len(v.schliessungen)} bisherige Räume enden "
                  f"(Koordinatensystem der Datei: {v.crs_quelle})",
        lambda a, v: raeume_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle, a.fortschritt),
        "GeoJSON, gezipptes Shapefile oder GeoPackage mit Kennung, Name und Fläche je Raum.",
        DATEI_REGELN + RAUM_REGELN, aendert_werte=True),
    Lieferart(
        "katalog", "Indikatorenkatalog", (".yaml", ".yml", ".csv", ".xlsx"),
        lambda a: katalog_import.vorbereiten(a.store, a.daten, a.dateiname, a.config.stadt.geheimhaltung_standard,
                                             a.blatt),
        lambda v: _zaehlung(v.vergleich),
        lambda a, v: katalog_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung),
        "YAML wie indikatoren.yaml, CSV oder XLSX mit einer Zeile je Indikator.",
        DATEI_REGELN + katalog_import.KATALOG_REGELN, aendert_werte=True),
    Lieferart(
        "haushalt", "Haushalt", (".csv", ".txt", ".xlsx"),
        lambda a: haushalt_import.vorbereiten(a.store, a.gelesen()),
        lambda v: f"{len(v.zeilen)} Beträge, {len(v.summen)} Summen geprüft, {len(v.abweichungen)} Abweichungen",
        lambda a, v: haushalt_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle),
        "Teilergebnisplan je Produkt, Position, Jahr, Monat und Wertart aus dem Finanzsystem.",
        DATEI_REGELN + haushalt_import.HAUSHALT_REGELN),
    Lieferart(
        "produkte", "Produkte", (".csv", ".txt", ".xlsx"),
        lambda a: produkte_import.vorbereiten(a.store, a.gelesen()),
        lambda v: f"{len(v.aenderungen)} Änderungen in " + ", ".join(f"{len(f)} {e}" for e, f in v.zeilen.items()),
        lambda a, v: produkte_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung),
        "Produktbereiche, -gruppen und Produkte mit den Texten des Produktdatenblatts.",
        DATEI_REGELN + produkte_import.PRODUKT_REGELN),
    Lieferart(
        "einrichtungen", "Einrichtungsregister", (".csv", ".txt", ".xlsx", *sorted(GEO_ENDUNGEN)),
        lambda a: einrichtungen_import.vorbereiten(a.store, a.config, a.daten, a.dateiname, a.crs, a.blatt),
        lambda v: _zaehlung(v.vergleich) + f" (Koordinaten aus {v.crs})",
        lambda a, v: einrichtungen_import.uebernehmen(a.store, v, a.benutzer, a.config, a.bezeichnung, a.quelle),
        "Einrichtungen mit Typ, Kapazitäten und Lage (Koordinaten oder Sozialraum).",
        DATEI_REGELN + EINRICHTUNG_REGELN, aendert_werte=True),
    Lieferart(
        "vergleichswerte", "Vergleichswerte", (".csv", ".txt", ".xlsx"),
        lambda a: vergleich_import.vorbereiten(a.store, a.gelesen()),
        vergleich_import.vorschau,
        lambda a, v: vergleich_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle),
        "Werte von Land, Bund, Regierungsbezirk, Kreis und Vergleichsring je Indikator und Stichtag.",
        DATEI_REGELN + vergleich_import.VERGLEICH_KOPF + vergleich_import.VERGLEICH_REGELN),
    Lieferart(
        "prognosen", "Prognosen", (".csv", ".txt", ".xlsx"),
        lambda a: prognose_import.vorbereiten(a.store, a.gelesen()),
        prognose_import.vorschau,
        lambda a, v: prognose_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle),
        "Bevölkerungsvorausberechnung je Gebiet, Merkmal (Altersgruppe), künftigem Stichtag und Variante.",
        DATEI_REGELN + prognose_import.PROGNOSE_KOPF + prognose_import.PROGNOSE_REGELN),
    Lieferart(
        "massnahmen", "Maßnahmenregister", massnahmen_import.ENDUNGEN,
        lambda a: massnahmen_import.vorbereiten(a.store, a.daten, a.dateiname, a.blatt),
        massnahmen_import.vorschau,
        lambda a, v: massnahmen_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle),
        "Maßnahmen mit Handlungsfeld, Sozialräumen, Zielen, Status, Budget und Leistungen je Jahr und Evaluationen "
        "(YAML, oder CSV/XLSX mit einer Zeile je Maßnahme).",
        DATEI_REGELN + MASSNAHME_REGELN),
    Lieferart(
        "planung", "Planungszyklus und Beteiligung", (".yaml", ".yml"),
        lambda a: planung_import.vorbereiten(a.store, a.daten, a.dateiname),
        planung_import.vorschau,
        lambda a, v: planung_import.uebernehmen(a.store, v, a.benutzer, a.bezeichnung, a.quelle),
        "Phase je Handlungsfeld oder Fachplanung mit Auftrag und Fortschreibung; Sozialraumkonferenzen, "
        "Fachkonferenzen, Bürgerbeteiligung und Trägerrunden mit Teilnehmenden je Gruppe (YAML).",
        DATEI_REGELN + planung_import.PLANUNG_REGELN),
    Lieferart("ziele", "Zielsystem"),
    Lieferart("gegensteuerung", "Gegensteuerung"),
    Lieferart("einordnung", "Einordnung"),
)}


def art_der_datei(dateiname: str) -> str:
    """The kind a file is taken for when none is named: geodata are areas, YAML the catalog, else values."""
    endung = "." + dateiname.rsplit(".", 1)[-1].lower() if "." in dateiname else ""
    if endung in GEO_ENDUNGEN:
        return "raeume"
    if endung in (".yaml", ".yml"):
        return "katalog"
    return "werte"


def pruefkatalog() -> pd.DataFrame:
    """Every check of every delivery kind (Art, Kennung, Schwere, Prüfung, Abhilfe) — what a planner can expect
    to be told about a file, for the command ``python -m fis pruefungen`` and the documentation."""
    return pd.DataFrame([{"Art": art.name, "Kennung": r.id, "Schwere": r.schwere, "Prüfung": r.titel,
                          "Abhilfe": r.abhilfe} for art in LIEFERARTEN.values() for r in art.regeln])


def namen() -> dict[str, str]:
    """id → German name of every kind (for the delivery register)."""
    return {art.id: art.name for art in LIEFERARTEN.values()}


def lieferungen_tabelle(store: Store) -> pd.DataFrame:
    """All deliveries, newest first, with German column names for display and export."""
    frame = store.lade_lieferungen().sort_values("lieferung_id", ascending=False)
    return pd.DataFrame({
        "Nr.": frame["lieferung_id"],
        "Art": frame["art"].map(namen()).fillna(frame["art"]),
        "Bezeichnung": frame["bezeichnung"],
        "Datei": frame["dateiname"].fillna(""),
        "Geliefert am": frame["zeitpunkt"],
        "Geliefert von": frame["benutzer"],
        "Zeilen": frame["anzahl_zeilen"],
        "Neu": frame["anzahl_neu"],
        "Ersetzt": frame["anzahl_ersetzt"],
        "Status": frame["status"],
        "Veröffentlicht": [veroeffentlicht_text(a, v) for a, v in
                           zip(frame["veroeffentlicht_am"], frame["veroeffentlicht_von"], strict=True)],
        "zurückgenommen am": [fmt_datum(pd.Timestamp(t).date()) if pd.notna(t) else ""
                              for t in frame["zurueckgenommen_am"]],
        "SHA-256": frame["sha256"].fillna("").str[:12],
    }).reset_index(drop=True)

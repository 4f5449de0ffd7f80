"""Configuration: YAML files in ``config/`` loaded into validated, frozen dataclasses.

Every field is declared once, with a German help text (``hilfe``) that is also used
in error messages. Unknown keys, wrong types and missing fields raise
:class:`ConfigError` naming the file, the line, the key and the fix.
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from fis.format import fmt_euro, fmt_prozent

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PROJECT_DIR / "config"
DEFAULT_DB_PATH = PROJECT_DIR / "data" / "fis.duckdb"


def hilfe(text: str, default: Any = MISSING) -> Any:
    """A dataclass field with a help text; without default it is required."""
    if default is MISSING:
        return field(metadata={"hilfe": text})
    if isinstance(default, (list, dict, set)):
        raise TypeError("mutable defaults are not allowed in frozen config")
    return field(default=default, metadata={"hilfe": text})


class ConfigError(ValueError):
    """An invalid configuration file; the message is German and names the fix."""


# --------------------------------------------------------------------------- schema

Polaritaet = Literal["hoch_gut", "hoch_schlecht", "neutral"]
Aggregation = Literal["quote", "summe"]


@dataclass(frozen=True)
class Raumebene:
    ebene: int = hilfe("Nummer der Ebene, 1 = kleinste Einheit (Sozialraum), aufsteigend.")
    name: str = hilfe("Bezeichnung im Singular, z. B. „Sozialraum“.")
    plural: str = hilfe("Bezeichnung im Plural, z. B. „Sozialräume“.")


@dataclass(frozen=True)
class Karte:
    kachel_url: str | None = hilfe(
        "Optionale URL eines Kachelservers für die Hintergrundkarte "
        "(z. B. eines eigenen Geodatendienstes). Leer: keine Hintergrundkarte, "
        "die App lädt dann nichts aus dem Netz.", None)
    kachel_attribution: str | None = hilfe("Quellenvermerk des Kachelservers.", None)


SCHRIFTEN = ("Source Sans Pro", "Lato", "Libertinus Serif", "New Computer Modern")
Schrift = Literal["Source Sans Pro", "Lato", "Libertinus Serif", "New Computer Modern"]


@dataclass(frozen=True)
class Erscheinungsbild:
    logo: str | None = hilfe(
        "Logo der Kommune als PNG-, JPG- oder SVG-Datei, Pfad relativ zum Konfigurationsordner (z. B. "
        "„logo.svg“). Erscheint auf dem Titelblatt und in der Kopfzeile der Berichte, auf den Folien und "
        "im Kopf der App. Leer: kein Logo.", None)
    hauptfarbe: str | None = hilfe(
        "Hausfarbe als Hex-Wert aus der Gestaltungsrichtlinie („#“ und sechs Zeichen 0–9, a–f): Überschriften "
        "und Linien der Berichte, Titelleiste der "
        "Folien, Leiste im Kopf der App. Eine zu helle Farbe (Kontrast zu Weiß unter 4,5 : 1) färbt nur "
        "Linien, nicht Schrift. Leer: das Blau des Systems.", None)
    schrift: Schrift = hilfe(
        "Schrift der Berichte, aus den mitgelieferten: „Source Sans Pro“ (wie die App), „Lato“, "
        "„Libertinus Serif“, „New Computer Modern“.", "Source Sans Pro")


@dataclass(frozen=True)
class Gesamtaufwand:
    jahr: int = hilfe("Haushaltsjahr.")
    aufwand: float = hilfe("Ordentliche Aufwendungen des gesamten Haushalts (Zeile 17, in €, positiv).")


@dataclass(frozen=True)
class Stadt:
    name: str = hilfe("Name der Kommune, erscheint im Titel und in Berichten.")
    land: str = hilfe("Bundesland.")
    raumebenen: tuple[Raumebene, ...] = hilfe(
        "Raumebenen von der kleinsten (Ebene 1) zur Gesamtstadt; mindestens zwei.")
    karte: Karte = hilfe("Einstellungen der Karten.", Karte())
    geheimhaltung_standard: int = hilfe(
        "Mindestfallzahl für Indikatoren ohne eigene Angabe: Werte, deren Zähler "
        "kleiner ist (aber größer als 0), werden unterdrückt.", 3)
    mindest_einwohner: int | None = hilfe(
        "Gebiete mit weniger Einwohnern (z. B. 300 wie in Berlin und Hamburg) zeigen außer der "
        "Einwohnerzahl keine Werte. Leer: keine solche Regel.", None)
    einwohner_indikator: str | None = hilfe(
        "Kennung des Indikators mit der Einwohnerzahl, nach dem „mindest_einwohner“ geprüft wird.",
        None)
    mindest_typgroesse: int = hilfe(
        "Typisierung für Ausschuss und Öffentlichkeit: Typen mit weniger Gebieten werden nicht gezeigt (ihr "
        "mittleres Profil wäre das Profil einzelner Gebiete).", 3)
    mindest_abdeckung: float = hilfe(
        "Mindestabdeckung in % für Werte höherer Ebenen (Bezirk, Gesamtstadt): Fehlen am Stichtag Werte "
        "einzelner Sozialräume, wird ein Wert unter dieser Abdeckung nicht gezeigt (nur „unvollständig: "
        "5 von 51 Sozialräumen“), darüber mit seiner Abdeckung und als vorläufig. Standard 100: nur "
        "vollständige Summen.", 100.0)
    erscheinungsbild: Erscheinungsbild = hilfe(
        "Erscheinungsbild der Kommune (Logo, Hausfarbe, Schrift der Berichte).", Erscheinungsbild())
    gesamtaufwand: tuple[Gesamtaufwand, ...] = hilfe(
        "Ordentliche Aufwendungen des Gesamthaushalts je Jahr (Liste mit „jahr“ und „aufwand“): Grundlage "
        "der Kennzahl „Aufwand / Gesamtaufwand“ im Produktdatenblatt. Fehlt ein Jahr, heißt die Kennzahl "
        "„Anteil am Aufwand der erfassten Produkte“.", ())


@dataclass(frozen=True)
class Indikator:
    id: str = hilfe("Eindeutige Kennung (Kleinbuchstaben, Ziffern, Unterstrich).")
    name: str = hilfe("Vollständiger Name des Indikators.")
    kurzname: str = hilfe("Kurzer Name für Tabellen und Achsen.")
    handlungsfeld: str = hilfe("Handlungsfeld, z. B. „Arbeit und Einkommen“.")
    einheit: str = hilfe("Einheit des Werts, z. B. „%“, „je 1.000“, „Anzahl“.")
    definition: str = hilfe("Definition in einem Satz.")
    aggregation: Aggregation = hilfe(
        "„quote“: Wert = Zähler / Nenner × Faktor, aggregiert als ΣZähler / ΣNenner; "
        "„summe“: Anzahl, aggregiert als Summe.")
    polaritaet: Polaritaet = hilfe(
        "„hoch_gut“, „hoch_schlecht“ oder „neutral“: ob ein hoher Wert günstig ist.")
    quelle: str = hilfe("Datenquelle, z. B. „Bundesagentur für Arbeit“.")
    zaehler: str | None = hilfe("Definition des Zählers (bei Quoten Pflicht).", None)
    nenner: str | None = hilfe("Definition des Nenners (bei Quoten Pflicht).", None)
    faktor: float = hilfe("Faktor der Quote: 100 für %, 1000 für „je 1.000“.", 1.0)
    periodizitaet: str = hilfe("Erhebungsrhythmus, z. B. „jährlich“.", "jährlich")
    stichtag_regel: str = hilfe("Stichtag der Erhebung, z. B. „31.12.“.", "31.12.")
    geheimhaltung: int | None = hilfe(
        "Mindestfallzahl des Zählers; kleinere Fallzahlen werden unterdrückt. "
        "Leer: Standard aus stadt.yaml.", None)
    nachkommastellen: int = hilfe("Nachkommastellen in der Anzeige.", 1)
    negativ_erlaubt: bool = hilfe(
        "Ob negative Werte und Zähler zulässig sind (Salden, Veränderungen). Sonst weist die "
        "Datenprüfung negative Werte als Fehler zurück.", False)
    gesamtwert: Literal["geliefert", "summe"] = hilfe(
        "Wert höherer Ebenen (Bezirk, Gesamtstadt), wenn eine Lieferung ihn selbst enthält: „geliefert“ "
        "zeigt den gelieferten (amtlichen) Wert und die Differenz zur Summe der Teilgebiete als „nicht "
        "zuordenbar“; „summe“ zeigt immer die Summe der Teilgebiete.", "geliefert")


@dataclass(frozen=True)
class Katalog:
    indikatoren: tuple[Indikator, ...] = hilfe("Liste der Indikatoren.")


@dataclass(frozen=True)
class HandlungsbedarfRegel:
    indikatoren: tuple[str, ...] = hilfe("Kennungen der Kernindikatoren, die geprüft werden.")
    schwelle_index: float = hilfe(
        "Ein Indikator gilt als auffällig, wenn sein Wert (Stadt = 100) mindestens diesen "
        "Indexwert erreicht – bei „hoch_gut“-Indikatoren höchstens 10.000 / Schwelle.", 125.0)
    mindestanzahl: int = hilfe(
        "So viele Kernindikatoren müssen auffällig sein, damit Handlungsbedarf besteht.", 3)
    index: str | None = hilfe(
        "Optional: Kennung eines Index aus indizes.yaml; Gebiete in den Klassen „index_klassen“ haben "
        "dann ebenfalls Handlungsbedarf.", None)
    index_klassen: tuple[str, ...] = hilfe("Klassen-Labels des Index, die Handlungsbedarf bedeuten.", ())
    verknuepfung: Literal["oder", "und"] = hilfe(
        "„oder“: Kernindikatoren-Regel oder Index-Regel genügt; „und“: beide müssen zutreffen.", "oder")


@dataclass(frozen=True)
class Lagebild:
    kennzahlen: tuple[str, ...] = hilfe(
        "Kennungen der Indikatoren, die als Eckwerte der Gesamtstadt gezeigt werden.")
    handlungsbedarf: HandlungsbedarfRegel = hilfe("Regel für Handlungsbedarf.")
    vergleich_jahre: int = hilfe("Zweiter Vergleichszeitraum in Jahren (neben dem Vorjahr).", 5)


Ampelfarbe = Literal["grün", "gelb", "rot", "grau"]


@dataclass(frozen=True)
class AmpelRegel:
    farbe: Ampelfarbe = hilfe("„grün“, „gelb“, „rot“ oder „grau“.")
    wenn: str = hilfe("Die Regel in Worten; sie erscheint in der Begründung jeder Ampel.")
    ist_fehlt: bool | None = hilfe(
        "true: gilt nur, wenn für das Berichtsjahr kein Ist-Wert vorliegt; false: nur, wenn einer "
        "vorliegt. Leer: egal.", None)
    abweichung_bis: float | None = hilfe(
        "Gilt nur, wenn die ungünstige Abweichung vom Soll höchstens so viele Toleranzen beträgt "
        "(0 = im Soll oder besser). Leer: egal.", None)
    prognose_erreichbar: bool | None = hilfe(
        "true: gilt nur, wenn das Ziel auf dem aktuellen Trend erreichbar ist oder keine Prognose "
        "möglich ist; false: nur, wenn die Prognose das Ziel verfehlt. Leer: egal.", None)
    abweichung_unter: float | None = hilfe(
        "Gilt nur, wenn die ungünstige Abweichung kleiner ist als dieser Wert (wie abweichung_bis, aber "
        "ohne die Grenze selbst; die Haushaltsampel misst in Prozent des Ansatzes). Leer: egal.", None)


@dataclass(frozen=True)
class Haushaltsregel:
    methode: Literal["saisonal", "linear"] = hilfe(
        "Hochrechnung des Monats-Ist auf das Jahresende: „saisonal“ (nach dem Monatsprofil des "
        "Vorjahres) oder „linear“ (Ist ÷ Monate × 12).", "saisonal")
    gelb_prozent: float = hilfe("Ab dieser ungünstigen Abweichung der Hochrechnung vom Ansatz "
                                "(in %) wird eine Haushaltszeile gelb …", 2.0)
    rot_prozent: float = hilfe("… und ab dieser rot.", 5.0)
    mindestbetrag: float = hilfe(
        "Abweichungen unter diesem Betrag in Euro gelten als unwesentlich (grün).", 25000.0)

    def regeln(self) -> tuple[AmpelRegel, ...]:
        """The budget Ampel as a rule table for the same engine as the goals (:func:`fis.ampel.erste_regel`):
        the measure is the unfavourable deviation of the projection in percent of the Ansatz (0 below the
        Mindestbetrag); no Ansatz counts as a missing Ist."""
        gelb, rot = fmt_prozent(self.gelb_prozent, 0), fmt_prozent(self.rot_prozent, 0)
        return (
            AmpelRegel("grau", "kein Ansatz für dieses Jahr", ist_fehlt=True),
            AmpelRegel("grün", f"ungünstige Abweichung unter {gelb} oder unter "
                               f"{fmt_euro(self.mindestbetrag)}", abweichung_unter=self.gelb_prozent),
            AmpelRegel("gelb", f"ungünstige Abweichung ab {gelb}, unter {rot}", abweichung_unter=self.rot_prozent),
            AmpelRegel("rot", f"ungünstige Abweichung ab {rot}"),
        )


@dataclass(frozen=True)
class Controlling:
    ampel: tuple[AmpelRegel, ...] = hilfe(
        "Regeltabelle der Ziel-Ampel, von oben nach unten geprüft; die erste zutreffende Regel gilt.")
    rollup: Literal["schlechteste", "eigene"] = hilfe(
        "Ampel übergeordneter Ziele: „schlechteste“ = die schlechteste Ampel im Teilbaum, "
        "„eigene“ = nur die eigene Kennzahl.", "schlechteste")
    prognose_konfidenz: float = hilfe("Breite des Prognosebands als Wahrscheinlichkeit (0,8 = 80 %).", 0.8)
    prognose_min_jahre: int = hilfe("So viele Ist-Jahre braucht eine Trendprognose mindestens.", 3)
    haushalt: Haushaltsregel = hilfe("Regeln für Haushaltszeilen.", Haushaltsregel())


@dataclass(frozen=True)
class PortfolioFeld:
    zeile: int = hilfe("Zeile: 0 = geringer Wirkungsbeitrag … 1 (2) = hoher.")
    spalte: int = hilfe("Spalte: 0 = geringer Ressourcenverbrauch … 1 (2) = hoher.")
    name: str = hilfe("Bezeichnung des Feldes.")
    strategie: str = hilfe("Strategische Richtung für Produkte in diesem Feld.")


@dataclass(frozen=True)
class Produktkritik:
    abc_a: float = hilfe("Klasse A bis zu diesem kumulierten Anteil am Aufwand (in %).", 80.0)
    abc_b: float = hilfe("Klasse B bis zu diesem kumulierten Anteil (in %); der Rest ist C.", 95.0)
    portfolio_4: tuple[PortfolioFeld, ...] = hilfe("Die vier Felder der 2×2-Portfoliomatrix.", ())
    portfolio_9: tuple[PortfolioFeld, ...] = hilfe("Die neun Felder der 3×3-Portfoliomatrix.", ())


def _felder(n: int) -> tuple[PortfolioFeld, ...]:
    if n == 2:
        return (PortfolioFeld(1, 0, "Effiziente Wirkung", "sichern und ausbauen"),
                PortfolioFeld(1, 1, "Wirkungsschwerpunkt", "Wirkung sichern, Kosten prüfen"),
                PortfolioFeld(0, 0, "Randbereich", "Notwendigkeit und Ausgestaltung prüfen"),
                PortfolioFeld(0, 1, "Problemfeld", "umsteuern: Wirkung erhöhen oder Mittel umschichten"))
    namen = {(2, 0): ("Effiziente Wirkung", "ausbauen"), (2, 1): ("Tragende Wirkung", "sichern"),
             (2, 2): ("Wirkungsschwerpunkt", "sichern, Effizienz steigern"),
             (1, 0): ("Solider Beitrag", "halten"), (1, 1): ("Mittelfeld", "Wirkung schärfen"),
             (1, 2): ("Kostenintensiv", "Effizienz prüfen"),
             (0, 0): ("Randbereich", "Notwendigkeit prüfen"), (0, 1): ("Schwacher Beitrag", "umgestalten"),
             (0, 2): ("Problemfeld", "umsteuern oder Mittel umschichten")}
    return tuple(PortfolioFeld(z, s_, n_, st_) for (z, s_), (n_, st_) in namen.items())


STANDARD_PRODUKTKRITIK = Produktkritik(portfolio_4=_felder(2), portfolio_9=_felder(3))


@dataclass(frozen=True)
class IndexKomponente:
    indikator: str = hilfe("Kennung des Indikators aus indikatoren.yaml.")
    gewicht: float = hilfe("Gewicht der Komponente (relativ).", 1.0)
    polaritaet: Polaritaet | None = hilfe(
        "„hoch_schlecht“: ein hoher Wert erhöht den Index (mehr Belastung), „hoch_gut“: senkt ihn. "
        "Leer: Polarität des Indikators.", None)


@dataclass(frozen=True)
class IndexKlasse:
    label: str = hilfe("Kurzbezeichnung der Klasse, z. B. „1“ oder „+“.")
    name: str = hilfe("Name der Klasse, z. B. „hoch“.")
    bis: float | None = hilfe("Obergrenze (einschließlich) des Indexwerts; leer bei der letzten Klasse.", None)


@dataclass(frozen=True)
class IndexAusschluss:
    mindest_einwohner: int | None = hilfe(
        "Gebiete mit weniger Einwohnern (Einwohner-Indikator aus stadt.yaml) bleiben außen vor.", None)
    liste: tuple[str, ...] = hilfe("Raum-Kennungen, die ausdrücklich ausgeschlossen sind (Ausreißer, "
                                   "Sondergebiete).", ())


@dataclass(frozen=True)
class Index:
    id: str = hilfe("Eindeutige Kennung des Index.")
    name: str = hilfe("Name des Index.")
    komponenten: tuple[IndexKomponente, ...] = hilfe("Die Indikatoren des Index.")
    ebene: int = hilfe("Raumebene, auf der der Index gebildet wird (1 = Sozialräume).", 1)
    standardisierung: Literal["zwert", "minmax", "rang"] = hilfe(
        "„zwert“ (Mittel 0, Standardabweichung 1 der Grundgesamtheit), „minmax“ (0 bis 1) oder „rang“ "
        "(Perzentilrang 0 bis 1).", "zwert")
    kombination: Literal["summe", "mittel"] = hilfe("Gewichtete Summe oder gewichtetes Mittel.", "summe")
    restandardisierung: Literal["zwert", "keine"] = hilfe(
        "Das Ergebnis noch einmal standardisieren (z-Wert) oder nicht.", "keine")
    klassen: tuple[IndexKlasse, ...] = hilfe("Klassen von niedrigen zu hohen Indexwerten.", ())
    ausschluss: IndexAusschluss = hilfe("Welche Gebiete nicht bewertet werden.", IndexAusschluss())
    quelle: str | None = hilfe("Quelle oder Vorbild der Methode.", None)


@dataclass(frozen=True)
class Gesamtindex:
    id: str = hilfe("Kennung des kombinierten Index.")
    name: str = hilfe("Name, z. B. „Gesamtindex Soziale Ungleichheit“.")
    aus: tuple[str, ...] = hilfe("Kennungen der Indizes, deren Klassen-Labels aneinandergehängt werden.")


@dataclass(frozen=True)
class Indizes:
    indizes: tuple[Index, ...] = hilfe("Die Indizes.")
    kombinationen: tuple[Gesamtindex, ...] = hilfe("Kombinierte Indizes (z. B. Status × Dynamik).", ())


Ansichtsart = Literal["eckwerte", "karte", "zeitreihe", "sozialindex", "ziele", "profil"]


@dataclass(frozen=True)
class Folie:
    ansicht: Ansichtsart = hilfe(
        "„eckwerte“ (Lagebild der Gesamtstadt), „karte“ und „zeitreihe“ (eines Indikators), "
        "„sozialindex“, „ziele“ (Ampeln des Zielsystems) oder „profil“ (eines Sozialraums).")
    titel: str | None = hilfe("Überschrift der Folie (Standard: aus der Ansicht gebildet).", None)
    aussage: str | None = hilfe("Kernaussage in einem Satz unter der Überschrift.", None)
    indikator: str | None = hilfe("Kennung des Indikators (für „karte“ und „zeitreihe“).", None)
    index: str | None = hilfe("Kennung aus indizes.yaml (für „sozialindex“; Standard: der erste).", None)
    raum: str | None = hilfe("Kennung des Sozialraums (für „profil“).", None)


@dataclass(frozen=True)
class Praesentation:
    folien: tuple[Folie, ...] = hilfe("Die Ansichten in der Reihenfolge der Sitzung.")


def standard_praesentation(lagebild: Lagebild, indizes: Indizes) -> Praesentation:
    """Without praesentation.yaml: Eckwerte, map and trend of the first core indicator, the
    index (if one is configured) and the goal Ampeln."""
    kern = lagebild.handlungsbedarf.indikatoren[0]
    folien = [Folie("eckwerte"), Folie("karte", indikator=kern), Folie("zeitreihe", indikator=kern)]
    if indizes.indizes:
        folien.append(Folie("sozialindex", index=indizes.indizes[0].id))
    folien.append(Folie("ziele"))
    return Praesentation(tuple(folien))


@dataclass(frozen=True)
class Oidc:
    anbieter: str | None = hilfe(
        "Name des Abschnitts [auth.<name>] in .streamlit/secrets.toml; leer: der Abschnitt [auth] selbst.", None)
    name_claim: str = hilfe("Claim mit dem Benutzernamen für Anzeige und Audit-Log.", "preferred_username")
    rollen_claim: str = hilfe("Claim mit den Gruppen oder Rollen der Person (Liste oder Text).", "groups")
    planung: tuple[str, ...] = hilfe("Gruppen, die die Rolle Planung erhalten.", ())
    leitung: tuple[str, ...] = hilfe("Gruppen, die die Rolle Leitung erhalten.", ())
    admin: tuple[str, ...] = hilfe("Gruppen, die die Rolle Administration erhalten.", ())
    ausschuss: tuple[str, ...] = hilfe("Gruppen, die die Rolle Ausschuss/Öffentlich erhalten.", ())


@dataclass(frozen=True)
class Zugang:
    anmeldung: Literal["lokal", "oidc"] = hilfe(
        "„lokal“: Benutzerdatei (python -m fis user …); „oidc“: Anmeldung beim Identitätsanbieter der Stadt "
        "(Keycloak, ADFS, Entra ID …) über st.login.", "lokal")
    oidc: Oidc = hilfe("Anbindung an den Identitätsanbieter (nur für anmeldung: oidc).", Oidc())
    sitzung_stunden: float = hilfe(
        "Wie lange eine lokale Anmeldung ohne Aktivität gilt (Stunden, gleitend): Neuladen, neuer Tab und "
        "geteilte Links behalten sie so lange; Abmelden beendet sie in allen Tabs.", 8.0)


@dataclass(frozen=True)
class Kapazitaetsart:
    id: str = hilfe("Kennung, z. B. „plaetze_u3“ (Spaltenname in der Lieferung).")
    name: str = hilfe("Bezeichnung, z. B. „Plätze U3“.")
    einheit: str = hilfe("Einheit, z. B. „Plätze“ oder „Stunden/Woche“.", "Plätze")


@dataclass(frozen=True)
class Einrichtungstyp:
    id: str = hilfe("Kennung, z. B. „kita“ (Wert der Spalte „typ“ in der Lieferung).")
    name: str = hilfe("Bezeichnung, z. B. „Kindertageseinrichtung“.")
    kuerzel: str = hilfe("Ein bis zwei Zeichen als Kartensymbol, z. B. „K“.")
    kapazitaeten: tuple[str, ...] = hilfe("Kennungen der Kapazitätsarten dieses Typs.", ())
    zielgruppe: str | None = hilfe("Zielgruppe als Text, z. B. „Kinder unter 6 Jahren“.", None)


@dataclass(frozen=True)
class Versorgungsgrad:
    indikator: str = hilfe(
        "Kennung des Indikators (indikatoren.yaml, aggregation „quote“), dessen Werte berechnet werden: "
        "Plätze ÷ Zielgruppe × faktor.")
    typen: tuple[str, ...] = hilfe("Einrichtungstypen, deren Plätze zählen.")
    kapazitaet: str = hilfe("Kapazitätsart, die gezählt wird, z. B. „plaetze_u3“.")
    zielgruppe: str = hilfe("Kennung des Indikators mit der Zielgruppe (z. B. Kinder unter 3 Jahren).")
    zielgruppe_feld: Literal["wert", "zaehler", "nenner"] = hilfe(
        "Welches Feld dieses Indikators die Zielgruppe ist: „wert“ (eine Anzahl), „zaehler“ oder „nenner“ "
        "einer Quote (z. B. der Nenner der Kita-Besuchsquote = Kinder unter 3 Jahren).", "wert")
    richtwert: float | None = hilfe(
        "Richt- oder Orientierungswert in der Einheit des Indikators (z. B. 45 Plätze je 100 Kinder); "
        "darunter wird die Versorgungslücke in Plätzen ausgewiesen.", None)
    richtwert_quelle: str | None = hilfe("Woher der Richtwert stammt (Beschluss, Gesetz, Bedarfsplan).", None)


@dataclass(frozen=True)
class Einrichtungen:
    kapazitaeten: tuple[Kapazitaetsart, ...] = hilfe("Die Kapazitätsarten.")
    typen: tuple[Einrichtungstyp, ...] = hilfe("Die Einrichtungstypen des Registers.")
    versorgung: tuple[Versorgungsgrad, ...] = hilfe("Die Versorgungsgrade (berechnete Indikatoren).", ())
    einzugsradien_m: tuple[int, ...] = hilfe(
        "Radien für den Einzugsbereich auf der Karte (Meter, Luftlinie).", (500, 1000))

    def typ(self, typ_id: str) -> Einrichtungstyp:
        return next(t for t in self.typen if t.id == typ_id)

    def versorgungsgrad(self, indikator_id: str) -> Versorgungsgrad | None:
        return next((v for v in self.versorgung if v.indikator == indikator_id), None)


STANDARD_AMPEL = (
    AmpelRegel("grau", "kein Ist-Wert für das Berichtsjahr", ist_fehlt=True),
    AmpelRegel("grün", "im Soll oder höchstens eine Toleranz daneben, Ziel auf Trend erreichbar",
               abweichung_bis=1.0, prognose_erreichbar=True),
    AmpelRegel("gelb", "höchstens eine Toleranz neben dem Soll, aber Ziel auf Trend nicht erreichbar",
               abweichung_bis=1.0),
    AmpelRegel("gelb", "mehr als eine, höchstens zwei Toleranzen neben dem Soll", abweichung_bis=2.0),
    AmpelRegel("rot", "mehr als zwei Toleranzen neben dem Soll"),
)


@dataclass(frozen=True)
class Config:
    """All configuration of one installation."""

    stadt: Stadt
    katalog: Katalog
    lagebild: Lagebild
    verzeichnis: Path
    controlling: Controlling = Controlling(ampel=STANDARD_AMPEL)
    produktkritik: Produktkritik = STANDARD_PRODUKTKRITIK
    indizes: Indizes = Indizes(indizes=())
    praesentation: Praesentation = Praesentation(folien=())
    zugang: Zugang = Zugang()
    einrichtungen: Einrichtungen = Einrichtungen(kapazitaeten=(), typen=())

    def gesamtaufwand(self) -> dict[int, float]:
        """The configured total Aufwand of the Haushalt per year (stadt.yaml)."""
        return {g.jahr: g.aufwand for g in self.stadt.gesamtaufwand}

    def ebene(self, nummer: int) -> Raumebene:
        for e in self.stadt.raumebenen:
            if e.ebene == nummer:
                return e
        raise KeyError(nummer)

    def indikator(self, indikator_id: str) -> Indikator:
        for i in self.katalog.indikatoren:
            if i.id == indikator_id:
                return i
        raise KeyError(indikator_id)


# Which file holds which part; the order is the load order.
FILES: dict[str, type] = {
    "stadt.yaml": Stadt,
    "indikatoren.yaml": Katalog,
    "lagebild.yaml": Lagebild,
}

# --------------------------------------------------------------------------- validation

_TYPE_NAMES = {str: "Text", int: "ganze Zahl", float: "Zahl", bool: "ja/nein (true/false)"}


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "einer der Werte " + ", ".join(f"„{a}“" for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " oder ".join(_type_name(a) for a in args) + " (oder leer)"
    if origin is tuple:
        return f"Liste von {_type_name(typing.get_args(tp)[0])}"
    if is_dataclass(tp):
        return "Abschnitt mit Schlüsseln"
    return _TYPE_NAMES.get(tp, getattr(tp, "__name__", str(tp)))


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))

    def fail(self, node: yaml.Node | None, where: str, message: str) -> typing.NoReturn:
        line = f", Zeile {node.start_mark.line + 1}" if node is not None else ""
        key = f", Schlüssel „{where}“" if where else ""
        raise ConfigError(f"{self.path.name}{line}{key}: {message}")

    def build(self, tp: Any, node: yaml.Node, where: str) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
                return None
            return self.build(args[0], node, where)
        if is_dataclass(tp):
            return self.build_dataclass(tp, node, where)
        if origin is tuple:
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, where, f"erwartet wird eine Liste (mit „- “ je Eintrag), "
                                       f"gefunden: {self._describe(node)}.")
            item_type = typing.get_args(tp)[0]
            return tuple(self.build(item_type, item, f"{where}[{i + 1}]")
                         for i, item in enumerate(node.value))
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, where, f"erwartet wird {_type_name(tp)}, gefunden: {self._describe(node)}.")
        value = self.loader.construct_object(node)
        if origin is Literal:
            choices = typing.get_args(tp)
            if value not in choices:
                self.fail(node, where, f"„{value}“ ist nicht erlaubt. Erlaubt sind: "
                          + ", ".join(f"„{c}“" for c in choices) + ".")
            return value
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if tp is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if value is None or not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            shown = "leer" if value is None else f"„{value}“"
            self.fail(node, where, f"erwartet wird {_type_name(tp)}, gefunden: {shown}. "
                                   "Bitte den Wert korrigieren.")
        return value

    def build_dataclass(self, cls: type, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, where, f"erwartet wird ein Abschnitt mit Schlüsseln "
                                   f"({', '.join(f.name for f in fields(cls))}), "
                                   f"gefunden: {self._describe(node)}.")
        declared = {f.name: f for f in fields(cls)}
        hints = typing.get_type_hints(cls)
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self.loader.construct_object(key_node))
            path = f"{where}.{key}" if where else key
            if key not in declared:
                self.fail(key_node, path, "unbekannter Schlüssel. Erlaubt sind: "
                          + ", ".join(declared) + ". Bitte den Tippfehler korrigieren "
                          "oder den Schlüssel entfernen.")
            if key in seen:
                self.fail(key_node, path, "der Schlüssel steht doppelt; bitte einen entfernen.")
            seen[key] = self.build(hints[key], value_node, path)
        for name, f in declared.items():
            if name not in seen and f.default is MISSING:
                path = f"{where}.{name}" if where else name
                self.fail(node, path, f"Pflichtangabe fehlt. Bitte ergänzen: "
                                      f"{f.metadata.get('hilfe', name)}")
        return cls(**seen)

    @staticmethod
    def _describe(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "ein Abschnitt mit Schlüsseln"
        if isinstance(node, yaml.SequenceNode):
            return "eine Liste"
        return f"„{node.value}“" if node.value else "leer"

    def load(self, cls: type) -> Any:
        try:
            node = self.loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f", Zeile {mark.line + 1}" if mark else ""
            raise ConfigError(
                f"{self.path.name}{line}: die Datei ist kein gültiges YAML "
                f"({getattr(exc, 'problem', exc)}). Bitte Einrückung und Doppelpunkte prüfen."
            ) from exc
        if node is None:
            raise ConfigError(f"{self.path.name}: die Datei ist leer.")
        return self.build_dataclass(cls, node, "")


def _pruefe_erscheinungsbild(e: Erscheinungsbild, verzeichnis: Path) -> None:
    if e.hauptfarbe is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", e.hauptfarbe):
        raise ConfigError("stadt.yaml, Schlüssel „erscheinungsbild.hauptfarbe“: erwartet wird ein Hex-Wert mit "
                          "„#“ und sechs Zeichen 0–9, a–f aus der Gestaltungsrichtlinie "
                          f"(gefunden: „{e.hauptfarbe}“). Bitte in Anführungszeichen "
                          "setzen, sonst liest YAML das „#“ als Kommentar.")
    if e.logo:
        pfad = verzeichnis / e.logo
        if pfad.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            raise ConfigError("stadt.yaml, Schlüssel „erscheinungsbild.logo“: das Logo muss eine PNG-, JPG- oder "
                              f"SVG-Datei sein (gefunden: „{e.logo}“).")
        if not pfad.is_file():
            raise ConfigError(f"stadt.yaml, Schlüssel „erscheinungsbild.logo“: die Datei „{e.logo}“ gibt es im "
                              f"Konfigurationsordner {verzeichnis} nicht.")


def _check_consistency(stadt: Stadt, katalog: Katalog, lagebild: Lagebild, verzeichnis: Path) -> None:
    nummern = [e.ebene for e in stadt.raumebenen]
    if len(nummern) < 2 or sorted(nummern) != list(range(1, len(nummern) + 1)):
        raise ConfigError(
            "stadt.yaml, Schlüssel „raumebenen“: die Ebenen müssen lückenlos von 1 an nummeriert "
            f"sein und mindestens zwei umfassen; gefunden: {nummern}.")
    ids = [i.id for i in katalog.indikatoren]
    doppelt = sorted({i for i in ids if ids.count(i) > 1})
    if doppelt:
        raise ConfigError(f"indikatoren.yaml: Kennung doppelt vergeben: {', '.join(doppelt)}. "
                          "Jede Kennung darf nur einmal vorkommen.")
    for ind in katalog.indikatoren:
        if ind.aggregation == "quote" and (not ind.zaehler or not ind.nenner):
            raise ConfigError(f"indikatoren.yaml, Indikator „{ind.id}“: bei aggregation „quote“ "
                              "müssen „zaehler“ und „nenner“ beschrieben sein.")
    if stadt.mindest_typgroesse < 1:
        raise ConfigError("stadt.yaml, Schlüssel „mindest_typgroesse“: erwartet wird eine ganze Zahl ab 1 "
                          f"(gefunden: {stadt.mindest_typgroesse}).")
    if not 0 < stadt.mindest_abdeckung <= 100:
        raise ConfigError("stadt.yaml, Schlüssel „mindest_abdeckung“: erwartet wird ein Prozentwert über 0 "
                          f"und höchstens 100 (gefunden: {stadt.mindest_abdeckung}).")
    _pruefe_erscheinungsbild(stadt.erscheinungsbild, verzeichnis)
    known = set(ids)
    if stadt.mindest_einwohner and stadt.einwohner_indikator not in known:
        raise ConfigError("stadt.yaml, Schlüssel „einwohner_indikator“: bei „mindest_einwohner“ muss "
                          "hier die Kennung des Einwohner-Indikators aus indikatoren.yaml stehen "
                          f"(gefunden: „{stadt.einwohner_indikator or ''}“).")
    for key, values in (("kennzahlen", lagebild.kennzahlen),
                        ("handlungsbedarf.indikatoren", lagebild.handlungsbedarf.indikatoren)):
        missing = [v for v in values if v not in known]
        if missing:
            raise ConfigError(f"lagebild.yaml, Schlüssel „{key}“: unbekannte Indikatoren "
                              f"{', '.join(missing)}. Bitte Kennungen aus indikatoren.yaml verwenden.")
    regel = lagebild.handlungsbedarf
    if not 1 <= regel.mindestanzahl <= len(regel.indikatoren):
        raise ConfigError("lagebild.yaml, Schlüssel „handlungsbedarf.mindestanzahl“: muss zwischen 1 "
                          f"und der Zahl der Kernindikatoren ({len(regel.indikatoren)}) liegen.")


def load_config(directory: str | Path | None = None) -> Config:
    """Load and validate all configuration files of ``directory`` (default: config/)."""
    directory = Path(directory or config_ordner())
    parts = {}
    for filename, cls in FILES.items():
        path = directory / filename
        if not path.exists():
            raise ConfigError(f"{filename}: Datei fehlt im Konfigurationsordner {directory}.")
        parts[filename] = _Reader(path).load(cls)
    stadt, katalog, lagebild = parts["stadt.yaml"], parts["indikatoren.yaml"], parts["lagebild.yaml"]
    _check_consistency(stadt, katalog, lagebild, directory)
    # controlling.yaml is optional: without it the standard Ampel rules apply.
    pfad = directory / "controlling.yaml"
    controlling = _Reader(pfad).load(Controlling) if pfad.exists() else Controlling(ampel=STANDARD_AMPEL)
    if not controlling.ampel or any(r.ist_fehlt is None and r.abweichung_bis is None
                                    and r.prognose_erreichbar is None for r in controlling.ampel[:-1]):
        raise ConfigError("controlling.yaml, Schlüssel „ampel“: nur die letzte Regel darf ohne Bedingung "
                          "sein (sie fängt alle übrigen Fälle); die Regeln dahinter würden nie greifen.")
    if controlling.ampel[-1].ist_fehlt is not None or controlling.ampel[-1].abweichung_bis is not None:
        raise ConfigError("controlling.yaml, Schlüssel „ampel“: die letzte Regel muss ohne Bedingung "
                          "sein, damit jedes Ziel eine Ampel erhält.")
    pfad = directory / "produktkritik.yaml"
    kritik = STANDARD_PRODUKTKRITIK
    if pfad.exists():
        kritik = _Reader(pfad).load(Produktkritik)
        kritik = Produktkritik(kritik.abc_a, kritik.abc_b, kritik.portfolio_4 or _felder(2),
                               kritik.portfolio_9 or _felder(3))
        if not 0 < kritik.abc_a < kritik.abc_b < 100:
            raise ConfigError("produktkritik.yaml: es muss 0 < abc_a < abc_b < 100 gelten "
                              f"(gefunden: {kritik.abc_a:g} und {kritik.abc_b:g}).")
    pfad = directory / "indizes.yaml"
    indizes = _Reader(pfad).load(Indizes) if pfad.exists() else Indizes(indizes=())
    _pruefe_indizes(indizes, {i.id for i in katalog.indikatoren}, len(stadt.raumebenen))
    regel = lagebild.handlungsbedarf
    if regel.index:
        ix = next((i for i in indizes.indizes if i.id == regel.index), None)
        if ix is None:
            raise ConfigError(f"lagebild.yaml, Schlüssel „handlungsbedarf.index“: „{regel.index}“ ist in "
                              "indizes.yaml nicht definiert.")
        fremd = [k for k in regel.index_klassen if k not in {kl.label for kl in ix.klassen}]
        if fremd or not regel.index_klassen:
            raise ConfigError("lagebild.yaml, Schlüssel „handlungsbedarf.index_klassen“: bitte Klassen-Labels "
                              f"des Index „{ix.id}“ angeben ({', '.join(k.label for k in ix.klassen)}).")
    pfad = directory / "praesentation.yaml"
    praesentation = (_Reader(pfad).load(Praesentation) if pfad.exists()
                     else standard_praesentation(lagebild, indizes))
    _pruefe_praesentation(praesentation, {i.id for i in katalog.indikatoren}, {i.id for i in indizes.indizes})
    pfad = directory / "zugang.yaml"
    zugang = _Reader(pfad).load(Zugang) if pfad.exists() else Zugang()
    if zugang.anmeldung == "oidc" and not any((zugang.oidc.planung, zugang.oidc.leitung, zugang.oidc.admin,
                                               zugang.oidc.ausschuss)):
        raise ConfigError("zugang.yaml, Schlüssel „oidc“: bitte mindestens einer Rolle (planung, leitung, admin, "
                          "ausschuss) Gruppen des Identitätsanbieters zuordnen; sonst käme niemand hinein.")
    # einrichtungen.yaml is optional: without it there is no facility register.
    pfad = directory / "einrichtungen.yaml"
    einrichtungen = (_Reader(pfad).load(Einrichtungen) if pfad.exists()
                     else Einrichtungen(kapazitaeten=(), typen=()))
    _pruefe_einrichtungen(einrichtungen, {i.id: i for i in katalog.indikatoren})
    return Config(stadt=stadt, katalog=katalog, lagebild=lagebild, verzeichnis=directory,
                  controlling=controlling, produktkritik=kritik, indizes=indizes, praesentation=praesentation,
                  zugang=zugang, einrichtungen=einrichtungen)


def _pruefe_einrichtungen(e: Einrichtungen, katalog: dict[str, Indikator]) -> None:
    kap = {k.id for k in e.kapazitaeten}
    for wo, ids in (("kapazitaeten", [k.id for k in e.kapazitaeten]), ("typen", [t.id for t in e.typen])):
        doppelt = sorted({i for i in ids if ids.count(i) > 1})
        if doppelt:
            raise ConfigError(f"einrichtungen.yaml, Schlüssel „{wo}“: Kennung doppelt vergeben: {', '.join(doppelt)}.")
    for t in e.typen:
        fremd = [k for k in t.kapazitaeten if k not in kap]
        if fremd:
            raise ConfigError(f"einrichtungen.yaml, Typ „{t.id}“: unbekannte Kapazitätsarten {', '.join(fremd)} "
                              f"(vorhanden: {', '.join(sorted(kap)) or 'keine'}).")
    typen = {t.id for t in e.typen}
    for v in e.versorgung:
        wo = f"einrichtungen.yaml, Versorgungsgrad „{v.indikator}“"
        ind = katalog.get(v.indikator)
        if ind is None or ind.aggregation != "quote":
            raise ConfigError(f"{wo}: der Indikator muss in indikatoren.yaml stehen, mit aggregation „quote“ "
                              "(Plätze ÷ Zielgruppe).")
        if v.zielgruppe not in katalog or v.zielgruppe == v.indikator:
            raise ConfigError(f"{wo}: Zielgruppe „{v.zielgruppe}“ ist kein anderer Indikator aus indikatoren.yaml.")
        fremd = [t for t in v.typen if t not in typen]
        if fremd or not v.typen:
            raise ConfigError(f"{wo}: unbekannte Einrichtungstypen {', '.join(fremd) or '(keine angegeben)'}.")
        if v.kapazitaet not in kap:
            raise ConfigError(f"{wo}: unbekannte Kapazitätsart „{v.kapazitaet}“.")
    ziele = [v.indikator for v in e.versorgung]
    if len(set(ziele)) != len(ziele):
        raise ConfigError("einrichtungen.yaml, Schlüssel „versorgung“: ein Indikator ist doppelt vergeben.")
    if any(r <= 0 for r in e.einzugsradien_m):
        raise ConfigError("einrichtungen.yaml, Schlüssel „einzugsradien_m“: nur positive Meterangaben.")


def _pruefe_praesentation(p: Praesentation, indikatoren: set[str], indizes: set[str]) -> None:
    if not p.folien:
        raise ConfigError("praesentation.yaml, Schlüssel „folien“: bitte mindestens eine Folie angeben.")
    for n, f in enumerate(p.folien, start=1):
        wo = f"praesentation.yaml, Folie {n} („{f.ansicht}“)"
        if f.ansicht in ("karte", "zeitreihe"):
            if not f.indikator:
                raise ConfigError(f"{wo}: Schlüssel „indikator“ fehlt.")
            if f.indikator not in indikatoren:
                raise ConfigError(f"{wo}: Indikator „{f.indikator}“ steht nicht in indikatoren.yaml.")
        if f.ansicht == "sozialindex":
            if not indizes:
                raise ConfigError(f"{wo}: es ist kein Index konfiguriert (indizes.yaml).")
            if f.index and f.index not in indizes:
                raise ConfigError(f"{wo}: Index „{f.index}“ steht nicht in indizes.yaml "
                                  f"(vorhanden: {', '.join(sorted(indizes))}).")
        if f.ansicht == "profil" and not f.raum:
            raise ConfigError(f"{wo}: Schlüssel „raum“ (Kennung des Sozialraums) fehlt.")


def _pruefe_indizes(indizes: Indizes, bekannt: set[str], ebenen: int) -> None:
    ids = [i.id for i in indizes.indizes]
    for ix in indizes.indizes:
        wo = f"indizes.yaml, Index „{ix.id}“"
        fehlt = [k.indikator for k in ix.komponenten if k.indikator not in bekannt]
        if fehlt:
            raise ConfigError(f"{wo}: unbekannte Indikatoren {', '.join(fehlt)}. Bitte Kennungen aus "
                              "indikatoren.yaml verwenden.")
        if not ix.komponenten:
            raise ConfigError(f"{wo}: mindestens eine Komponente ist nötig.")
        if not 1 <= ix.ebene <= ebenen:
            raise ConfigError(f"{wo}: die Ebene {ix.ebene} gibt es nicht (1 bis {ebenen}).")
        grenzen = [k.bis for k in ix.klassen]
        if ix.klassen and (grenzen[-1] is not None or None in grenzen[:-1] or grenzen[:-1] != sorted(grenzen[:-1])):
            raise ConfigError(f"{wo}: die Klassen brauchen aufsteigende Obergrenzen „bis“; nur die letzte "
                              "Klasse ist ohne Obergrenze.")
    if len(set(ids)) != len(ids):
        raise ConfigError("indizes.yaml: eine Index-Kennung ist doppelt vergeben.")
    for k in indizes.kombinationen:
        fehlt = [a for a in k.aus if a not in ids]
        if fehlt:
            raise ConfigError(f"indizes.yaml, Kombination „{k.id}“: unbekannte Indizes {', '.join(fehlt)}.")


def benutzerdatei_pfad(db: str | Path | None = None) -> Path:
    """The local user file: ``FIS_BENUTZERDATEI``, else benutzer.json next to the database (``db``, else
    the configured one): the users belong to their database, for the command line and the app alike."""
    return Path(os.environ.get("FIS_BENUTZERDATEI") or Path(db or db_path()).parent / "benutzer.json")


def aktive_stadt_datei() -> Path:
    """The file naming the city set up by the Einrichtungsassistent in the app (``FIS_AKTIVE_STADT``,
    else data/aktive_stadt.json): its config folder and database are used where FIS_CONFIG and
    FIS_DB are not set."""
    return Path(os.environ.get("FIS_AKTIVE_STADT") or DEFAULT_DB_PATH.parent / "aktive_stadt.json")


def aktive_stadt() -> dict:
    try:
        data = json.loads(aktive_stadt_datei().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def config_ordner() -> Path:
    """The configuration folder: ``FIS_CONFIG``, else the active city's, else config/."""
    return Path(os.environ.get("FIS_CONFIG") or aktive_stadt().get("config") or DEFAULT_CONFIG_DIR)


def db_path() -> Path:
    """The database file: ``FIS_DB``, else the active city's, else data/fis.duckdb."""
    return Path(os.environ.get("FIS_DB") or aktive_stadt().get("db") or DEFAULT_DB_PATH)

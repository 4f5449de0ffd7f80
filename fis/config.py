"""Configuration: YAML files in ``config/`` loaded into validated, frozen dataclasses.

Every field is declared once, with a German help text (``hilfe``) that is also used
in error messages. Unknown keys, wrong types and missing fields raise
:class:`ConfigError` naming the file, the line, the key and the fix.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field
from pathlib import Path
from typing import Any, Literal

from fis.format import fmt_euro, fmt_prozent


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
class Zielgruppenprognose:
    merkmale: tuple[str, ...] = hilfe(
        "Merkmale der Bevölkerungsvorausberechnung (Lieferart „Prognosen“), deren Summe die Zielgruppe "
        "fortschreibt, z. B. [bev_65_79, bev_80plus] für „Einwohner ab 65 Jahren“.")
    anteil: float = hilfe("Anteil der Zielgruppe an dieser Summe, eine ausgewiesene Annahme (z. B. 0,5).", 1.0)


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
    prognose: Zielgruppenprognose | None = hilfe(
        "Wie die Bevölkerungsvorausberechnung die Zielgruppe fortschreibt (bei Quoten der Nenner, bei Anzahlen "
        "der Wert): Ziele mit diesem Indikator zeigen die erwartete Zielgruppe am Zieldatum. Leer: keine.", None)


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
class ZielElastizitaet:
    ziel: str = hilfe("Kennung des Ziels.")
    wert: float = hilfe("Elastizität: wie stark eine Budgetänderung den Weg zum Ziel verändert (0 = gar nicht).")


@dataclass(frozen=True)
class Budgetvarianten:
    prozent: float = hilfe("Budgetänderung der Varianten in % (± für mehr und weniger Budget).", 10.0)
    elastizitaet: float = hilfe(
        "Standard-Elastizität: Ein um b % höheres Budget rückt die Trendprognose um Elastizität × b % des Wegs vom "
        "Basiswert bis zur Prognose auf das Ziel zu (eine ausgewiesene Annahme).", 0.5)
    elastizitaeten: tuple[ZielElastizitaet, ...] = hilfe("Abweichende Elastizitäten einzelner Ziele.", ())


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
    budgetvarianten: Budgetvarianten = hilfe("Budgetvarianten für den Eckwertebeschluss (Ziele mit Haushaltszeile).",
                                             Budgetvarianten())


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



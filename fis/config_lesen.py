"""Reading and checking a configuration folder (stadt.yaml, indikatoren.yaml, lagebild.yaml and the optional
files): every field typed as its dataclass declares it, every problem as a German ConfigError naming file and
field."""

from __future__ import annotations

import hashlib
import re
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from fis.config import (
    FILES,
    STANDARD_AMPEL,
    STANDARD_PRODUKTKRITIK,
    Config,
    ConfigError,
    Controlling,
    Einrichtungen,
    Erscheinungsbild,
    Indikator,
    Indizes,
    Katalog,
    Lagebild,
    Praesentation,
    Produktkritik,
    Stadt,
    Zugang,
    _felder,
    standard_praesentation,
)
from fis.pfade import config_ordner

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


#: Configurations already loaded, by folder and the contents of its YAML files (a few, kept per process).
_GELADEN: dict[tuple[str, str], Config] = {}


def lade_konfiguration(directory: str | Path | None = None) -> Config:
    """Load and validate all configuration files of ``directory`` (default: config/). Parsing and checking take
    about 0.2 s; a process that asks again for unchanged files (every command, every report) gets the
    configuration it already has (the dataclasses are frozen): the files are only read and compared."""
    directory = Path(directory or config_ordner())
    try:
        inhalt = hashlib.sha256()
        for datei in sorted(directory.glob("*.yaml")):
            inhalt.update(datei.name.encode() + b"\0" + datei.read_bytes() + b"\0")
        schluessel = (str(directory), inhalt.hexdigest())
    except OSError:
        return _lade(directory)                        # the error, in German, comes from reading the files
    config = _GELADEN.get(schluessel)
    if config is None:                                 # (threads of the app: every step on its own is atomic)
        config = _lade(directory)
        if len(_GELADEN) >= 8:
            _GELADEN.clear()
        _GELADEN[schluessel] = config
    return config


def _lade(directory: Path) -> Config:
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

"""A Ladeplan: the files of a city's base data in the order they are loaded, with the options each needs.

A city sets itself up (or rebuilds a test database) from dozens of files: the catalog, the boundaries of every
level and scheme, one statistics export per year. Typed as single commands, that is a shell script of
``python -m fis import`` calls, each starting Python and bringing the cube up to date again. A Ladeplan says
the same in one YAML file, checked completely before the first file is read::

    # Ladeplan Berlin-Beispiel
    quelle: Amt für Statistik Berlin-Brandenburg       # default for every entry
    lieferungen:
      - datei: "{daten}/berlin-lor-geometrie/bezirke/berlin-lor-districts.geojson"
        zuordnung: zuordnungen/bezirke.yaml
        bezeichnung: Bezirke
      - datei: "{daten}/berlin-einwohner/…/berlin-lor-population-2015-02-t1-planning-areas.csv"
        zuordnung: zuordnungen/ewr_t1.yaml
        stichtag: 31.12.2015

Paths are relative to the plan's folder; ``{daten}`` in ``datei`` stands for the data folder (``--daten``,
else the plan's folder), so one plan serves data kept elsewhere. Every other key is an option of
``python -m fis import`` (:data:`OPTIONEN`); a key on the top level is the default of every entry.
``python -m fis import --ladeplan PLAN.yaml`` loads the entries one after another, each as its own delivery,
and stops at the first that is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fis.format import fmt_anzahl
from fis.ingest.grenzen import yaml_laden
from fis.ingest.lesen import ImportFehler

#: The options an entry may set (the names of ``python -m fis import`` with "_"), with their meaning.
OPTIONEN = {
    "art": "Art der Lieferung", "zuordnung": "Spaltenzuordnung (YAML)", "stichtag": "Stichtag der Datei",
    "status": "Status der Werte", "blatt": "Tabellenblatt", "kopfzeile": "Zeile der Überschriften",
    "fuehrende_nullen": "führende Nullen ergänzen", "ebene": "Raumebene", "gueltig_von": "Beginn der Gültigkeit",
    "gueltig_bis": "Ende der Gültigkeit", "crs": "Koordinatensystem", "bezeichnung": "Bezeichnung",
    "quelle": "liefernde Stelle",
}
_GANZZAHL = {"kopfzeile", "ebene"}


@dataclass(frozen=True)
class Planeintrag:
    """One file of the plan with its options (keys of :data:`OPTIONEN`, paths resolved)."""
    nummer: int
    datei: Path
    optionen: dict


def _optionen(roh: dict, wo: str) -> dict:
    unbekannt = sorted(set(roh) - set(OPTIONEN))
    if unbekannt:
        raise ImportFehler(f"{wo}: unbekannte Angabe {', '.join(f'„{k}“' for k in unbekannt)}. Erlaubt sind "
                           f"„datei“ und {', '.join(f'„{k}“' for k in OPTIONEN)}.")
    out = {}
    for k, v in roh.items():
        if k in _GANZZAHL:
            if isinstance(v, bool) or not isinstance(v, int):
                raise ImportFehler(f"{wo}: „{k}“ muss eine ganze Zahl sein, nicht „{v}“.")
        elif k == "fuehrende_nullen":
            if not isinstance(v, bool):
                raise ImportFehler(f"{wo}: „fuehrende_nullen“ ist ja oder nein (true/false), nicht „{v}“.")
        elif v is not None:
            v = str(v)      # dates and numbers as the command line has them: text
        out[k] = v
    return out


def lade_ladeplan(pfad: Path, daten: Path | None = None) -> list[Planeintrag]:
    """The entries of the plan at ``pfad``, checked: every key known, every file and mapping present.
    Raises :class:`ImportFehler` with every missing file named before anything is loaded."""
    wo = f"Ladeplan „{pfad.name}“"
    try:
        roh = yaml_laden(pfad.read_bytes(), wo) or {}
    except OSError as exc:
        raise ImportFehler(f"{wo} lässt sich nicht lesen ({exc}).") from exc
    if not isinstance(roh, dict) or not isinstance(roh.get("lieferungen"), list) or not roh["lieferungen"]:
        raise ImportFehler(f"{wo}: erwartet wird ein Abschnitt „lieferungen:“ mit einer Liste von Dateien "
                           "(je Eintrag mindestens „datei:“).")
    ordner = pfad.parent
    daten = daten or ordner
    standard = _optionen({k: v for k, v in roh.items() if k != "lieferungen"}, wo)
    eintraege, fehlend = [], []
    for nummer, e in enumerate(roh["lieferungen"], start=1):
        stelle = f"{wo}, Eintrag {nummer}"
        if not isinstance(e, dict) or not e.get("datei"):
            raise ImportFehler(f"{stelle}: jeder Eintrag braucht „datei:“.")
        optionen = {**standard, **_optionen({k: v for k, v in e.items() if k != "datei"}, stelle)}
        name = str(e["datei"])
        datei = Path(name.replace("{daten}", str(daten))) if "{daten}" in name else ordner / name
        if optionen.get("zuordnung"):
            optionen["zuordnung"] = str(ordner / optionen["zuordnung"])
            if not Path(optionen["zuordnung"]).is_file():
                fehlend.append(f"{nummer}: Zuordnung {optionen['zuordnung']}")
        if not datei.is_file():
            fehlend.append(f"{nummer}: {datei}")
        eintraege.append(Planeintrag(nummer, datei, optionen))
    if fehlend:
        raise ImportFehler(f"{wo}: {fmt_anzahl(len(fehlend), 'Datei gibt', 'Dateien gibt')} es nicht – "
                           + "; ".join(fehlend[:5]) + (" …" if len(fehlend) > 5 else "")
                           + ". Es wurde nichts geladen.")
    return eintraege

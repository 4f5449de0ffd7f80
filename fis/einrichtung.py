"""Einrichtungsassistent: a new city from a boundary file and a few answers.

From the boundary file (any format the Raumgliederung import reads) and the answers (name,
level names, which property is id, name and parent) it writes a complete configuration folder
– stadt.yaml, an indicator catalog started from the bundled KGSt/Köln catalog (pruned to the
chosen indicators) and lagebild.yaml –, checks it with the same loader the app uses, and builds
a new database with the catalog and the Raumgliederung (parent units dissolved from the areas
when the file names them), published. The next step is uploading values.

Nothing is overwritten: config folder and database are written to temporary names and moved
into place only when everything succeeded; an existing target is refused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml

from fis.config import ConfigError
from fis.config_lesen import lade_konfiguration
from fis.ingest import katalog as katalog_import
from fis.ingest import raeume as raeume_import
from fis.ingest.lieferungen import veroeffentlichen
from fis.pfade import DEFAULT_CONFIG_DIR, aktive_stadt_datei
from fis.store import Store, datenversion_schreiben, versionsdatei

Progress = Callable[[float, str], None]
KATALOG_VORLAGE = DEFAULT_CONFIG_DIR / "indikatoren.yaml"
EINRICHTUNGEN_VORLAGE = DEFAULT_CONFIG_DIR / "einrichtungen.yaml"
# What the Lagebild shows first, if the catalog keeps these indicators (KGSt core indicators)
KENNZAHLEN = ("bev_gesamt", "sgb2_quote", "kinderarmut", "alq", "alq_u25", "alleinerziehende", "anteil_65plus")
HANDLUNGSBEDARF = ("kinderarmut", "sgb2_quote", "alq_u25", "alleinerziehende", "alq", "migration_u21")


class EinrichtungsFehler(ValueError):
    """The answers or the file do not give a working city; the message is German."""


@dataclass(frozen=True)
class Antworten:
    """The answers of the assistant."""

    name: str                                   # the city or county
    land: str
    kennung: str                                # property with the area id
    name_spalte: str                            # property with the area name
    ebene: str = "Sozialraum"                   # name of the file's level, singular
    ebene_plural: str = "Sozialräume"
    ober_spalte: str | None = None              # property with the id of the parent unit (optional)
    ober_name_spalte: str | None = None         # property with its name (optional)
    ober_ebene: str = "Stadtbezirk"
    ober_ebene_plural: str = "Stadtbezirke"
    gesamt: str = "Gesamtstadt"                 # name of the top level (Gesamtstadt, Kreis …)
    gueltig_von: date = date(2000, 1, 1)        # values can be stored from this day on
    crs: str | None = None                      # if the file names no coordinate system
    indikatoren: tuple[str, ...] | None = None  # ids kept from the bundled catalog (None: all)
    layer: str | None = None
    mindest_einwohner: int | None = None


@dataclass
class Einrichtung:
    """A checked setup, ready to be written."""

    antworten: Antworten
    stadt_yaml: str
    indikatoren_yaml: str
    lagebild_yaml: str
    gebiete: pd.DataFrame                       # id, name, parent id, parent name
    stadt_kennung: str
    hinweise: list[str] = field(default_factory=list)
    einrichtungen_yaml: str = ""                 # types of the facility register (template), supply of the catalog


def katalog_vorlage() -> pd.DataFrame:
    """The bundled catalog the new city starts from (id, name, Handlungsfeld)."""
    data = yaml.safe_load(KATALOG_VORLAGE.read_text(encoding="utf-8"))
    return pd.DataFrame([{"indikator_id": i["id"], "name": i["name"], "handlungsfeld": i.get("handlungsfeld", "")}
                         for i in data["indikatoren"]])


def kurzname(text: str) -> str:
    """A file-system friendly name for the city: lower case ASCII with hyphens."""
    text = text.strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "stadt"


def eigenschaften(data: bytes, dateiname: str, layer: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The properties of a boundary file (without geometry) and its layers, for the questions."""
    frame, layers = raeume_import.lies_geodaten(data, dateiname, layer)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), layers


def _yaml(kommentar: str, data: dict) -> str:
    return kommentar + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def vorbereiten(data: bytes, dateiname: str, a: Antworten) -> Einrichtung:
    """Check the answers against the file and build the configuration texts; nothing is written."""
    if not a.name.strip():
        raise EinrichtungsFehler("Bitte den Namen der Stadt oder des Kreises angeben.")
    for feld, wert in (("Ebene", a.ebene), ("Ebene (Mehrzahl)", a.ebene_plural), ("Gesamtebene", a.gesamt)):
        if not wert.strip():
            raise EinrichtungsFehler(f"Bitte „{feld}“ angeben.")
    frame, _ = raeume_import.lies_geodaten(data, dateiname, a.layer)
    spalten = [c for c in frame.columns if c != frame.geometry.name]
    for rolle, spalte in (("Kennung", a.kennung), ("Name", a.name_spalte), ("übergeordnete Einheit", a.ober_spalte),
                          ("Name der übergeordneten Einheit", a.ober_name_spalte)):
        if spalte and spalte not in spalten:
            raise EinrichtungsFehler(f"Die Datei hat keine Eigenschaft „{spalte}“ ({rolle}). "
                                     f"Vorhanden: {', '.join(spalten)}.")
    ids = frame[a.kennung].astype(str).str.strip()
    namen = frame[a.name_spalte].astype(str).str.strip()
    if ids.duplicated().any():
        doppelt = ids[ids.duplicated()].unique()[:5]
        raise EinrichtungsFehler(f"Die Kennungen in „{a.kennung}“ sind nicht eindeutig ({', '.join(doppelt)}). "
                                 "Ist das die richtige Eigenschaft?")
    if (ids == "").any() or (namen == "").any():
        raise EinrichtungsFehler("Einige Flächen haben keine Kennung oder keinen Namen.")
    gebiete = pd.DataFrame({"raum_id": ids, "name": namen})
    if a.ober_spalte:
        gebiete["ober_id"] = frame[a.ober_spalte].astype(str).str.strip()
        gebiete["ober_name"] = (frame[a.ober_name_spalte].astype(str).str.strip() if a.ober_name_spalte
                                else a.ober_ebene + " " + gebiete["ober_id"])
        widerspruch = gebiete.groupby("ober_id")["ober_name"].nunique()
        if (widerspruch > 1).any():
            raise EinrichtungsFehler(f"Zu einer übergeordneten Kennung stehen verschiedene Namen "
                                     f"({', '.join(widerspruch[widerspruch > 1].index[:5])}).")
        if set(gebiete["ober_id"]) & set(ids):
            raise EinrichtungsFehler("Übergeordnete Kennungen und Kennungen der Flächen überschneiden sich; "
                                     "bitte eindeutige Kennungen verwenden.")
    belegt = set(ids) | set(gebiete.get("ober_id", []))
    stadt_kennung = next(k for k in ("0", "00", "000", "gesamt") if k not in belegt)

    vorlage = yaml.safe_load(KATALOG_VORLAGE.read_text(encoding="utf-8"))
    alle = [i["id"] for i in vorlage["indikatoren"]]
    gewaehlt = list(a.indikatoren) if a.indikatoren is not None else alle
    unbekannt = [i for i in gewaehlt if i not in alle]
    if unbekannt:
        raise EinrichtungsFehler(f"Unbekannte Indikatoren: {', '.join(unbekannt)}.")
    if "bev_gesamt" not in gewaehlt:
        gewaehlt.insert(0, "bev_gesamt")      # the population is needed for shares and small-area rules
    quoten = [i["id"] for i in vorlage["indikatoren"] if i["id"] in gewaehlt and i.get("aggregation") == "quote"]
    if not quoten:
        raise EinrichtungsFehler("Bitte außer den Einwohnern mindestens einen Anteils-Indikator wählen.")
    katalog = {"indikatoren": [i for i in vorlage["indikatoren"] if i["id"] in gewaehlt]}
    ebenen = [{"ebene": 1, "name": a.ebene.strip(), "plural": a.ebene_plural.strip()}]
    if a.ober_spalte:
        ebenen.append({"ebene": 2, "name": a.ober_ebene.strip(), "plural": a.ober_ebene_plural.strip()})
    ebenen.append({"ebene": len(ebenen) + 1, "name": a.gesamt.strip(), "plural": a.gesamt.strip()})
    stadt = {"name": a.name.strip(), "land": a.land.strip(), "raumebenen": ebenen,
             "karte": {"kachel_url": None}, "geheimhaltung_standard": 3,
             "mindest_einwohner": a.mindest_einwohner, "einwohner_indikator": "bev_gesamt"}
    kennzahlen = [i for i in KENNZAHLEN if i in gewaehlt] or ["bev_gesamt", *quoten[:4]]
    bedarf = [i for i in HANDLUNGSBEDARF if i in gewaehlt][:5] or quoten[:3]
    lagebild = {"kennzahlen": kennzahlen,
                "handlungsbedarf": {"indikatoren": bedarf, "schwelle_index": 125,
                                    "mindestanzahl": min(2, len(bedarf))},
                "vergleich_jahre": 5}
    e = Einrichtung(
        antworten=a,
        stadt_yaml=_yaml(f"# {a.name.strip()}: eingerichtet mit dem Einrichtungsassistenten "
                         "(python -m fis neue-stadt).\n"
                         "# Jede Angabe ist in README.md („Konfiguration“) beschrieben.\n", stadt),
        indikatoren_yaml=_yaml("# Indikatorenkatalog, begonnen mit dem Katalog des FIS (Handlungsfelder nach KGSt,\n"
                               "# Kölner Indikatorenmodell). Felder: siehe README.md („Konfiguration“).\n", katalog),
        lagebild_yaml=_yaml("# Was die Startseite „Lagebild“ zeigt.\n", lagebild),
        gebiete=gebiete, stadt_kennung=stadt_kennung, einrichtungen_yaml=_einrichtungen_yaml(katalog))
    # Validate with the loader of the app
    with tempfile.TemporaryDirectory() as tmp:
        _schreibe_config(e, Path(tmp))
        try:
            lade_konfiguration(tmp)
        except ConfigError as exc:     # a bug of the assistant, not of the user: say what failed
            raise EinrichtungsFehler(f"Die erzeugte Konfiguration ist ungültig: {exc}") from exc
    e.hinweise.append(f"{len(gebiete)} {a.ebene_plural}"
                      + (f", {gebiete['ober_id'].nunique()} {a.ober_ebene_plural}" if a.ober_spalte else "")
                      + f", {len(katalog['indikatoren'])} Indikatoren im Katalog.")
    return e


def _einrichtungen_yaml(katalog: dict) -> str:
    """The facility types of the template; of its supply indicators those whose indicator and target group the
    new city's catalog has (Kita places need the children under 3)."""
    if not EINRICHTUNGEN_VORLAGE.exists():
        return ""
    vorlage = yaml.safe_load(EINRICHTUNGEN_VORLAGE.read_text(encoding="utf-8"))
    ids = {i["id"] for i in katalog["indikatoren"]}
    vorlage["versorgung"] = [v for v in vorlage.get("versorgung", [])
                             if v["indikator"] in ids and v["zielgruppe"] in ids]
    return _yaml("# Einrichtungsregister: Typen, Kapazitäten und Versorgungsgrade (Vorlage des FIS).\n"
                 "# Felder: siehe README.md („Einrichtungen und Versorgung“).\n", vorlage)


def _schreibe_config(e: Einrichtung, ziel: Path) -> None:
    ziel.mkdir(parents=True, exist_ok=True)
    if e.einrichtungen_yaml:
        (ziel / "einrichtungen.yaml").write_text(e.einrichtungen_yaml, encoding="utf-8")
    (ziel / "stadt.yaml").write_text(e.stadt_yaml, encoding="utf-8")
    (ziel / "indikatoren.yaml").write_text(e.indikatoren_yaml, encoding="utf-8")
    (ziel / "lagebild.yaml").write_text(e.lagebild_yaml, encoding="utf-8")


def _obere_ebene(data: bytes, dateiname: str, a: Antworten) -> bytes:
    """The parent units as GeoJSON, dissolved from the areas of the file."""
    frame, _ = raeume_import.lies_geodaten(data, dateiname, a.layer)
    if frame.crs is None and a.crs:
        frame = frame.set_crs(a.crs)
    frame = frame.assign(
        id=frame[a.ober_spalte].astype(str).str.strip(),
        name=(frame[a.ober_name_spalte].astype(str).str.strip() if a.ober_name_spalte
              else a.ober_ebene + " " + frame[a.ober_spalte].astype(str).str.strip()))
    frame["geometry"] = frame.geometry.make_valid()
    ober = frame[["id", "name", frame.geometry.name]].dissolve(by="id", aggfunc="first").reset_index()
    ober = gpd.GeoDataFrame(ober, geometry=frame.geometry.name, crs=frame.crs).to_crs(4326)
    return ober.to_json(drop_id=True).encode("utf-8")


def einrichten(data: bytes, dateiname: str, e: Einrichtung, config_ziel: str | Path, db_ziel: str | Path,
               benutzer: str, progress: Progress | None = None) -> dict:
    """Write the configuration folder and a new database with catalog and Raumgliederung (published)."""
    report = progress or (lambda f, t: None)
    config_ziel, db_ziel = Path(config_ziel), Path(db_ziel)
    if config_ziel.exists() and any(config_ziel.iterdir()):
        raise EinrichtungsFehler(f"Der Konfigurationsordner {config_ziel} existiert bereits und ist nicht leer. "
                                 "Bitte einen neuen Ordner angeben; nichts wurde geändert.")
    if db_ziel.exists():
        raise EinrichtungsFehler(f"Die Datenbank {db_ziel} existiert bereits. Bitte einen neuen Pfad angeben; "
                                 "nichts wurde geändert.")
    a = e.antworten
    config_ziel.parent.mkdir(parents=True, exist_ok=True)
    db_ziel.parent.mkdir(parents=True, exist_ok=True)
    tmp_config = Path(tempfile.mkdtemp(prefix=".einrichtung-", dir=config_ziel.parent))
    fd, tmp_db = tempfile.mkstemp(suffix=".duckdb", prefix=".einrichtung-", dir=db_ziel.parent)
    os.close(fd)
    os.unlink(tmp_db)
    try:
        report(0.05, "Konfiguration wird geschrieben …")
        _schreibe_config(e, tmp_config)
        config = lade_konfiguration(tmp_config)
        top = max(r.ebene for r in config.stadt.raumebenen)
        with Store.open(tmp_db) as store:
            report(0.15, "Indikatorenkatalog wird übernommen …")
            kv = katalog_import.vorbereiten(store, e.indikatoren_yaml.encode("utf-8"), "indikatoren.yaml",
                                            config.stadt.geheimhaltung_standard)
            if not kv.bericht.ok:
                raise EinrichtungsFehler("Der Katalog ließ sich nicht übernehmen:\n" + kv.bericht.als_text())
            lieferungen = [katalog_import.uebernehmen(store, kv, benutzer, "Indikatorenkatalog (Einrichtung)")]
            schritte = []
            if a.ober_spalte:
                schritte.append((_obere_ebene(data, dateiname, a), "obere_ebene.geojson", raeume_import.RaumZuordnung(
                    kennung="id", name="name", ebene=2, gueltig_von=a.gueltig_von, parent_fest=e.stadt_kennung),
                    f"{a.ober_ebene_plural} (gebildet aus: {a.ebene_plural})"))
                schritte.append((data, dateiname, raeume_import.RaumZuordnung(
                    kennung=a.kennung, name=a.name_spalte, ebene=1, gueltig_von=a.gueltig_von,
                    parent_spalte=a.ober_spalte, crs=a.crs, layer=a.layer), a.ebene_plural))
            else:
                schritte.append((data, dateiname, raeume_import.RaumZuordnung(
                    kennung=a.kennung, name=a.name_spalte, ebene=1, gueltig_von=a.gueltig_von,
                    parent_fest=e.stadt_kennung, crs=a.crs, layer=a.layer), a.ebene_plural))
            for n, (inhalt, name, z, bezeichnung) in enumerate(schritte):
                report(0.3 + 0.5 * n / len(schritte), f"Raumgliederung „{bezeichnung}“ wird übernommen …")
                v = raeume_import.vorbereiten(store, inhalt, name, z, top, config.stadt.name)
                if not v.uebernehmbar:
                    raise EinrichtungsFehler(f"Die Raumgliederung „{bezeichnung}“ ließ sich nicht übernehmen:\n"
                                             + v.bericht.als_text())
                lieferungen.append(raeume_import.uebernehmen(store, v, benutzer, f"Raumgliederung {bezeichnung}"))
            report(0.9, "Lieferungen werden veröffentlicht …")
            for lid in lieferungen:
                veroeffentlichen(store, lid, benutzer)
            version = store.data_version()
            raeume = len(store.lade_raeume())
        os.replace(tmp_db, db_ziel)
        Path(f"{tmp_db}.wal").unlink(missing_ok=True)
        versionsdatei(Path(tmp_db)).unlink(missing_ok=True)
        datenversion_schreiben(db_ziel, version)
        if config_ziel.exists():
            config_ziel.rmdir()
        os.replace(tmp_config, config_ziel)
    except BaseException:
        shutil.rmtree(tmp_config, ignore_errors=True)
        Path(tmp_db).unlink(missing_ok=True)
        Path(f"{tmp_db}.wal").unlink(missing_ok=True)
        raise
    report(1.0, "Eingerichtet.")
    return {"config": str(config_ziel), "db": str(db_ziel), "raeume": raeume, "lieferungen": lieferungen}


# --------------------------------------------------------------------------- the active city

def aktivieren(config_ordner: str | Path, db: str | Path) -> None:
    """Make the new city the one app and CLI open (unless FIS_CONFIG/FIS_DB say otherwise)."""
    datei = aktive_stadt_datei()     # read by fis.pfade.db_path() and config_ordner()
    datei.parent.mkdir(parents=True, exist_ok=True)
    tmp = datei.with_suffix(".tmp")
    tmp.write_text(json.dumps({"config": str(Path(config_ordner).resolve()), "db": str(Path(db).resolve())},
                              ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, datei)

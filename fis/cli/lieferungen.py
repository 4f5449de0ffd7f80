"""Commands of deliveries: import through the registry of delivery kinds, a new city, the delivery register,
rollback and its undo, publishing, the history of a value, goals."""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import zipfile
from pathlib import Path

from fis import einrichtung, ziele
from fis.cli.gemeinsam import (
    DB_HILFE,
    WARTEN,
    _bericht,
    _fortschritt,
    _lade_yaml,
)
from fis.config_lesen import lade_konfiguration
from fis.format import fmt_anzahl
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.arten import LIEFERARTEN, Auftrag, art_der_datei, lieferungen_tabelle, pruefkatalog
from fis.ingest.ladeplan import OPTIONEN, lade_ladeplan
from fis.ingest.lesen import ImportFehler, lies_tabelle
from fis.ingest.lieferungen import (
    benutzer,
    veroeffentlichen,
    wert_historie,
    zuruecknahme_aufheben,
    zuruecknehmen,
)
from fis.ingest.raeume import RaumZuordnung
from fis.ingest.zahlen import parse_stichtag
from fis.pfade import db_path
from fis.store import Store
from fis.wuerfel import nachfuehren


def _shapefile_zip(path: Path) -> bytes:
    """The parts of a Shapefile next to ``path`` (same name) packed into one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(path.parent.glob(f"{path.stem}.*")):
            archive.write(part, part.name)
    return buffer.getvalue()


def _werte_auftrag(auftrag: Auftrag, args: argparse.Namespace, path: Path) -> Auftrag:
    """The table and column mapping of a values file: --zuordnung, else the one saved for its header (as in
    the app), else the automatic one (described); --kopfzeile and --fuehrende-nullen adjust it."""
    store = auftrag.store
    spec = _lade_yaml(args.zuordnung)
    z_datei = zuordnung_import.Zuordnung.aus_dict(spec, args.zuordnung) if spec else None   # types checked first
    kopfzeile = args.kopfzeile or (z_datei.kopfzeile if z_datei else None)
    tabelle = lies_tabelle(auftrag.daten, path.name, args.blatt or (z_datei.blatt if z_datei else None), kopfzeile)
    gemerkt = None if spec else zuordnung_import.gemerkte_zuordnung(store, tabelle)
    if z_datei:
        z = z_datei
    elif gemerkt:
        z = gemerkt[1]
        print(f"Gespeicherte Zuordnung der Quelle „{gemerkt[0]}“ wird verwendet (wie in der App).")
    else:
        katalog = store.lade_indikatoren()
        z, treffer = zuordnung_import.vorschlag_mit_treffern(tabelle, katalog, store.lade_raeume())
        print(_zuordnung_beschreiben(z, treffer, katalog))
    if args.kopfzeile:
        z = dataclasses.replace(z, kopfzeile=args.kopfzeile)
    if args.fuehrende_nullen:
        z = dataclasses.replace(z, fuehrende_nullen=True)
    if args.zuordnung_speichern:
        Path(args.zuordnung_speichern).write_text(z.als_yaml(), encoding="utf-8")
        print(f"Zuordnung gespeichert: {args.zuordnung_speichern} (für --zuordnung und den Import in der App)")
    # the mapping is remembered for the source, as in the app: --quelle, else the saved one, else the file name
    return auftrag.mit(tabelle=tabelle, werte_zuordnung=z, status=args.status,
                       stichtag=parse_stichtag(args.stichtag) if args.stichtag else None,
                       zuordnung_merken=args.quelle or (gemerkt[0] if gemerkt else path.stem))


def _raum_auftrag(auftrag: Auftrag, args: argparse.Namespace) -> Auftrag:
    spec = _lade_yaml(args.zuordnung)
    for key in ("ebene", "gueltig_von", "gueltig_bis", "crs"):
        value = getattr(args, key)
        if value is not None:
            spec[key] = value
    return auftrag.mit(raum_zuordnung=RaumZuordnung.aus_dict(spec, args.zuordnung or "Kommandozeile"))


def _import_datei(store: Store, config, path: Path, args: argparse.Namespace, wuerfel: bool = True) -> bool:
    """Check and (unless refused or --nur-pruefen) take over one file; ``wuerfel``: bring the cube up to date
    right after (a Ladeplan does it once at its end)."""
    if path.suffix.lower() == ".shp":
        data, path = _shapefile_zip(path), path.with_suffix(".zip")
    else:
        data = path.read_bytes()
    art = LIEFERARTEN[args.art or art_der_datei(path.name)]
    print(f"== {path.name} ({art.id})")
    auftrag = Auftrag(store, config, data, path.name, args.benutzer or benutzer(), args.bezeichnung, args.quelle,
                      args.blatt, _fortschritt, crs=args.crs)
    if art.id == "werte":
        auftrag = _werte_auftrag(auftrag, args, path)
    elif art.id == "raeume":
        auftrag = _raum_auftrag(auftrag, args)
    v = art.pruefen(auftrag)
    _bericht(v.bericht, args, path)
    print(f"Vorschau: {art.vorschau(v)}")
    if not v.uebernehmbar or args.nur_pruefen:
        return v.bericht.ok
    lid = art.speichern(auftrag, v, wuerfel=wuerfel and not args.veroeffentlichen)
    print(f"Übernommen als Lieferung {lid}.")
    if args.veroeffentlichen:
        veroeffentlichen(store, lid, auftrag.benutzer)
        if wuerfel:
            nachfuehren(store, config)
        print(f"Lieferung {lid} veröffentlicht.")
    else:
        print(f"Sie ist vorläufig, bis sie veröffentlicht wird: python -m fis publish {lid}")
    return True


def _zuordnung_beschreiben(z, treffer, katalog) -> str:
    """What the automatic mapping did, in words: the Raum and Stichtag columns and every column matched."""
    namen = katalog.set_index("indikator_id")["name"].to_dict()
    zeilen = [f"Automatische Zuordnung ({'langes' if z.format == 'lang' else 'breites'} Format): "
              f"Raum aus „{z.raum}“" + (f", Namen geprüft gegen „{z.raum_name}“" if z.raum_name else "")
              + (f", Stichtag aus „{z.stichtag}“" if z.stichtag else ", Stichtag: nicht in der Datei")]
    rollen = {"wert": "Wert", "zaehler": "Zähler", "nenner": "Nenner"}
    for t in treffer:
        zeilen.append(f"  „{t.spalte}“ → {namen.get(t.indikator_id, t.indikator_id)} ({t.indikator_id}), "
                      f"{rollen[t.rolle]} · Sicherheit {t.sicherheit:.0%} · {t.grund}")
    return "\n".join(zeilen)


def _datei_sicher(store: Store, config, path: Path, args: argparse.Namespace, wuerfel: bool = True) -> bool:
    """:func:`_import_datei` with every error of the file as a sentence (False), never a traceback."""
    try:
        return _import_datei(store, config, path, args, wuerfel)
    except ImportFehler as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
    except Exception as exc:  # never a traceback for a user's file; nothing was written
        print(f"Fehler: „{path.name}“ ließ sich nicht verarbeiten ({type(exc).__name__}: {exc}). "
              "Es wurde nichts gespeichert. Bitte die Datei prüfen oder den Fehler melden.", file=sys.stderr)
    return False


def _ladeplan(store: Store, config, args: argparse.Namespace) -> bool:
    """Every entry of the Ladeplan in its order, each as its own delivery; stops at the first refused one.
    The cube is brought up to date once, at the end."""
    eintraege = lade_ladeplan(Path(args.ladeplan), Path(args.daten) if args.daten else None)
    args.dateien = [str(e.datei) for e in eintraege]          # the Prüfbericht gets one file per entry
    geladen = 0
    try:
        for e in eintraege:
            optionen = {k: e.optionen.get(k, getattr(args, k)) for k in OPTIONEN}
            print(f"-- Eintrag {e.nummer} von {len(eintraege)}")
            if not _datei_sicher(store, config, e.datei, argparse.Namespace(**{**vars(args), **optionen}),
                                 wuerfel=False):
                print(f"Fehler: Ladeplan bei Eintrag {e.nummer} ({e.datei.name}) angehalten. "
                      f"{fmt_anzahl(geladen, 'Eintrag davor ist', 'Einträge davor sind')} übernommen, die "
                      "folgenden nicht.", file=sys.stderr)
                return False
            geladen += 1
    finally:
        if geladen and not args.nur_pruefen:
            nachfuehren(store, config)
    print(f"Ladeplan: {fmt_anzahl(geladen, 'Datei', 'Dateien')} "
          + ("geprüft." if args.nur_pruefen else "übernommen."))
    return True


def _import(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
    if bool(args.dateien) == bool(args.ladeplan):
        print("Fehler: bitte entweder Dateien oder --ladeplan angeben.", file=sys.stderr)
        return 2
    store = Store.open(args.db, warten=WARTEN)
    ok = True
    try:
        if args.ladeplan:
            return 0 if _ladeplan(store, config, args) else 1
        for name in args.dateien:
            path = Path(name)
            if not path.is_file():
                print(f"Fehler: Datei „{name}“ gibt es nicht.", file=sys.stderr)
                ok = False
                continue
            ok &= _datei_sicher(store, config, path, args)
    finally:
        store.close()
    if not ok:
        print("Nicht alle Dateien wurden übernommen; Dateien mit Fehlern haben nichts verändert.", file=sys.stderr)
    return 0 if ok else 1


def _neue_stadt(args: argparse.Namespace) -> int:
    """Einrichtungsassistent on the command line: without --kennung it lists the file's properties."""
    path = Path(args.geodatei)
    if not path.is_file():
        print(f"Fehler: Datei „{args.geodatei}“ gibt es nicht.", file=sys.stderr)
        return 2
    data = _shapefile_zip(path) if path.suffix.lower() == ".shp" else path.read_bytes()
    name = path.with_suffix(".zip").name if path.suffix.lower() == ".shp" else path.name
    try:
        props, layers = einrichtung.eigenschaften(data, name, args.layer)
        if not args.kennung or not args.name_spalte or not args.name:
            layer_text = f" (Layer: {', '.join(layers)})" if len(layers) > 1 else ""
            print(f"{len(props)} Flächen in „{path.name}“{layer_text}. Eigenschaften mit Beispielen:")
            for spalte in props.columns:
                beispiele = ", ".join(str(v) for v in props[spalte].head(3))
                print(f"  {spalte:<24} {props[spalte].nunique():>5} verschiedene · z. B. {beispiele}")
            print("Bitte angeben: --name (Stadt), --kennung und --name-spalte (Eigenschaften der Flächen); "
                  "optional --ober-spalte (Kennung der übergeordneten Einheit) und --ober-name-spalte.")
            return 2
        antworten = einrichtung.Antworten(
            name=args.name, land=args.land or "", kennung=args.kennung, name_spalte=args.name_spalte,
            ebene=args.ebene, ebene_plural=args.ebene_plural, ober_spalte=args.ober_spalte,
            ober_name_spalte=args.ober_name_spalte, ober_ebene=args.ober_ebene,
            ober_ebene_plural=args.ober_ebene_plural, gesamt=args.gesamt,
            gueltig_von=parse_stichtag(args.gueltig_von), crs=args.crs, layer=args.layer,
            indikatoren=(tuple(i.strip() for i in args.indikatoren.split(",") if i.strip())
                         if args.indikatoren else None),
            mindest_einwohner=args.mindest_einwohner)
        e = einrichtung.vorbereiten(data, name, antworten)
        ziel = Path(args.ziel or f"staedte/{einrichtung.kurzname(args.name)}")
        config_ziel, db_ziel = ziel / "config", Path(args.db) if args.db else ziel / "fis.duckdb"
        info = einrichtung.einrichten(data, name, e, config_ziel, db_ziel, args.benutzer or benutzer(), _fortschritt)
    except (ImportFehler, einrichtung.EinrichtungsFehler) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    for hinweis in e.hinweise:
        print(hinweis)
    print(f"Eingerichtet: Konfiguration in {info['config']}, Datenbank {info['db']} ({info['raeume']} Räume, "
          f"Katalog und Raumgliederung veröffentlicht).")
    print("Nächster Schritt – Werte liefern, z. B.:\n"
          f"  python -m fis --config {info['config']} import SOZIALATLAS.xlsx --db {info['db']}\n"
          f"App starten: FIS_CONFIG={info['config']} FIS_DB={info['db']} ./scripts/start")
    return 0


def _lieferungen(args: argparse.Namespace) -> int:
    with Store.open(args.db, read_only=True) as store:
        frame = lieferungen_tabelle(store)
    if frame.empty:
        print("Keine Lieferungen.")
        return 0
    frame["Geliefert am"] = frame["Geliefert am"].dt.strftime("%d.%m.%Y %H:%M")
    frame["zurückgenommen am"] = frame["zurückgenommen am"].dt.strftime("%d.%m.%Y").fillna("")
    print(frame.drop(columns=["SHA-256"]).to_string(index=False, max_colwidth=48))
    return 0


def _rollback(args: argparse.Namespace) -> int:
    with Store.open(args.db, warten=WARTEN) as store:
        info = zuruecknehmen(store, args.id, args.benutzer or benutzer(), args.grund, args.mit_abhaengigen)
        nachfuehren(store, lade_konfiguration(args.config))
    text = f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ zurückgenommen."
    if info["abhaengige"]:
        text += f" Mit ihr zurückgenommen: Lieferung {', '.join(map(str, info['abhaengige']))}."
    if "frueherer_stand" in info:
        text += (f" {info['frueherer_stand']} Werte gelten wieder in der früheren Fassung, "
                 f"{info['entfallen']} Werte entfallen.")
    print(text)
    return 0


def _rollback_aufheben(args: argparse.Namespace) -> int:
    with Store.open(args.db, warten=WARTEN) as store:
        info = zuruecknahme_aufheben(store, args.id, args.benutzer or benutzer())
        nachfuehren(store, lade_konfiguration(args.config))
    print(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ gilt wieder (Zurücknahme aufgehoben).")
    return 0


def _publish(args: argparse.Namespace) -> int:
    with Store.open(args.db, warten=WARTEN) as store:
        for nr in args.ids:
            info = veroeffentlichen(store, nr, args.benutzer or benutzer())
            print(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ veröffentlicht.")
        nachfuehren(store, lade_konfiguration(args.config))
    return 0


def _historie(args: argparse.Namespace) -> int:
    with Store.open(args.db, read_only=True) as store:
        frame = wert_historie(store, args.raum, args.indikator, parse_stichtag(args.stichtag))
    if frame.empty:
        print("Zu diesem Schlüssel wurde nie ein Wert geliefert.")
        return 1
    frame["Geliefert am"] = frame["Geliefert am"].dt.strftime("%d.%m.%Y %H:%M")
    print(frame.to_string(index=False))
    return 0


def _ziele(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
    path = Path(args.datei)
    if not path.is_file():
        print(f"Fehler: Datei „{args.datei}“ gibt es nicht.", file=sys.stderr)
        return 1
    with Store.open(args.db, read_only=args.nur_pruefen, warten=WARTEN) as store:
        try:
            frame = ziele.pruefen(ziele.einlesen(path.read_bytes(), path.name), ziele.bezugsdaten(store, config))
        except ziele.ZielFehler as exc:
            for f in exc.fehler:
                print(f"Fehler: {f}", file=sys.stderr)
            print("Es wurde nichts gespeichert.", file=sys.stderr)
            return 1
        print(f"{len(frame)} Ziele geprüft, keine Fehler.")
        if args.nur_pruefen:
            return 0
        n = ziele.uebernehmen(store, frame, args.benutzer or benutzer(), args.bezeichnung or path.name, path.name)
    print(f"Übernommen: {n['neu']} neu, {n['geaendert']} geändert, {n['unveraendert']} unverändert.")
    return 0


def befehle(sub) -> None:
    """Add this module's commands to the parser."""
    _import_befehl(sub)
    _neue_stadt_befehl(sub)
    _register_befehle(sub)


def _import_befehl(sub) -> None:
    imp = sub.add_parser("import", help="Datenlieferungen prüfen und übernehmen (Werte, Raumgliederung, Katalog)")
    imp.add_argument("dateien", nargs="*", metavar="DATEI", help="CSV, XLSX, GeoJSON, ZIP (Shapefile), GPKG, YAML")
    imp.add_argument("--ladeplan", help="YAML-Datei mit allen Dateien in ihrer Reihenfolge und ihren Angaben "
                                        "(statt DATEI; siehe fis/ingest/ladeplan.py)")
    imp.add_argument("--daten", help="Ordner, auf den sich die Dateien des Ladeplans beziehen (Standard: sein Ordner)")
    imp.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    imp.add_argument("--art", choices=[a.id for a in LIEFERARTEN.values() if a.aus_datei],
                     help="Art der Lieferung (Standard: nach Endung; Finanzsystem-Export: haushalt; "
                          "Produkte und Texte: produkte; Einrichtungsregister: einrichtungen)")
    imp.add_argument("--zuordnung", help="YAML-Datei mit der Spaltenzuordnung")
    imp.add_argument("--stichtag", help="Stichtag der Datei, falls sie keine Stichtag-Spalte hat, z. B. 31.12.2024")
    imp.add_argument("--status", default="endgültig", choices=list(werte_import.STATUS))
    imp.add_argument("--blatt", help="Tabellenblatt einer XLSX-Datei; \"*\" liest alle gleich aufgebauten Blätter "
                                     "(je Blatt ein Jahr: der Blattname wird zum Stichtag)")
    imp.add_argument("--kopfzeile", type=int, help="Zeile der Spaltenüberschriften (Standard: automatisch erkannt)")
    imp.add_argument("--zuordnung-speichern", dest="zuordnung_speichern",
                     help="die verwendete Spaltenzuordnung als YAML hierhin schreiben")
    imp.add_argument("--fuehrende-nullen", action="store_true", help="verlorene führende Nullen ergänzen")
    imp.add_argument("--ebene", type=int, help="Raumebene (Raumgliederung)")
    imp.add_argument("--gueltig-von", dest="gueltig_von", help="Beginn der Gültigkeit (Raumgliederung)")
    imp.add_argument("--gueltig-bis", dest="gueltig_bis", help="Ende der Gültigkeit (Raumgliederung)")
    imp.add_argument("--crs", help="Koordinatensystem, falls die Datei keines nennt, z. B. EPSG:25833")
    imp.add_argument("--bezeichnung", help="Bezeichnung der Lieferung")
    imp.add_argument("--quelle", help="liefernde Stelle")
    imp.add_argument("--benutzer", help="wer liefert (Standard: FIS_BENUTZER oder Systemkonto)")
    imp.add_argument("--nur-pruefen", action="store_true", help="nur prüfen und Vorschau zeigen, nichts schreiben")
    imp.add_argument("--bericht", help="Prüfbericht als CSV hierhin schreiben")
    imp.add_argument("--veroeffentlichen", action="store_true",
                     help="die Lieferung gleich veröffentlichen (sonst bleibt sie vorläufig)")
    imp.set_defaults(func=_import)


def _neue_stadt_befehl(sub) -> None:
    ns = sub.add_parser("neue-stadt", help="Einrichtungsassistent: Konfiguration und Datenbank einer neuen Stadt "
                                           "aus einer Gebietsdatei (ohne --kennung: Eigenschaften der Datei zeigen)")
    ns.add_argument("geodatei", help="Gebiete: GeoJSON, Shapefile (.shp oder .zip), GeoPackage")
    ns.add_argument("--name", help="Name der Stadt oder des Kreises")
    ns.add_argument("--land", help="Bundesland")
    ns.add_argument("--kennung", help="Eigenschaft mit der Kennung der Gebiete")
    ns.add_argument("--name-spalte", dest="name_spalte", help="Eigenschaft mit dem Namen der Gebiete")
    ns.add_argument("--ebene", default="Sozialraum", help="Bezeichnung der Gebiete (Standard: Sozialraum)")
    ns.add_argument("--ebene-plural", dest="ebene_plural", default="Sozialräume")
    ns.add_argument("--ober-spalte", dest="ober_spalte", help="Eigenschaft mit der Kennung der übergeordneten Einheit")
    ns.add_argument("--ober-name-spalte", dest="ober_name_spalte", help="Eigenschaft mit deren Namen")
    ns.add_argument("--ober-ebene", dest="ober_ebene", default="Stadtbezirk")
    ns.add_argument("--ober-ebene-plural", dest="ober_ebene_plural", default="Stadtbezirke")
    ns.add_argument("--gesamt", default="Gesamtstadt", help="Bezeichnung der obersten Ebene (z. B. Kreis)")
    ns.add_argument("--gueltig-von", dest="gueltig_von", default="01.01.2000",
                    help="ab wann die Gebiete gelten (Standard 01.01.2000: auch ältere Werte lassen sich liefern)")
    ns.add_argument("--crs", help="Koordinatensystem, falls die Datei keines nennt")
    ns.add_argument("--layer", help="Layer einer GeoPackage-Datei")
    ns.add_argument("--indikatoren", help="Kennungen aus dem mitgelieferten Katalog, durch Komma getrennt "
                                          "(Standard: alle)")
    ns.add_argument("--mindest-einwohner", dest="mindest_einwohner", type=int,
                    help="kleinere Gebiete zeigen nur ihre Einwohnerzahl (z. B. 300)")
    ns.add_argument("--ziel", help="Ordner für Konfiguration und Datenbank (Standard: staedte/<name>)")
    ns.add_argument("--db", help="Pfad der neuen Datenbank (Standard: <ziel>/fis.duckdb)")
    ns.add_argument("--benutzer", help="wer einrichtet (Standard: FIS_BENUTZER oder Systemkonto)")
    ns.set_defaults(func=_neue_stadt)


def _pruefungen(args: argparse.Namespace) -> int:
    frame = pruefkatalog()
    if args.art:
        frame = frame[frame["Art"] == LIEFERARTEN[args.art].name]
    if args.csv:
        print(frame.to_csv(sep=";", index=False), end="")
    else:
        print(frame.to_string(index=False, max_colwidth=70))
    return 0


def _register_befehle(sub) -> None:
    pr = sub.add_parser("pruefungen", help="alle Prüfungen der Lieferarten auflisten (Schwere, Prüfung, Abhilfe)")
    pr.add_argument("--art", choices=[a.id for a in LIEFERARTEN.values() if a.regeln], help="nur diese Lieferart")
    pr.add_argument("--csv", action="store_true", help="als CSV (Semikolon) ausgeben")
    pr.set_defaults(func=_pruefungen)
    lief = sub.add_parser("lieferungen", help="alle Lieferungen auflisten")
    lief.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    lief.set_defaults(func=_lieferungen)
    rb = sub.add_parser("rollback", help="eine Lieferung zurücknehmen (frühere Werte gelten wieder)")
    rb.add_argument("id", type=int, help="Nummer der Lieferung")
    rb.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    rb.add_argument("--grund", help="Begründung für das Protokoll")
    rb.add_argument("--benutzer", help="wer zurücknimmt")
    rb.add_argument("--mit-abhaengigen", dest="mit_abhaengigen", action="store_true",
                    help="Lieferungen, deren Werte ohne diese Lieferung kein gültiges Gebiet oder keinen "
                         "Katalogeintrag hätten, mit zurücknehmen")
    rb.set_defaults(func=_rollback)
    wl = sub.add_parser("wiederherstellen-lieferung", help="eine Zurücknahme aufheben (die Lieferung gilt wieder)")
    wl.add_argument("id", type=int, help="Nummer der Lieferung")
    wl.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    wl.add_argument("--benutzer", help="wer die Zurücknahme aufhebt")
    wl.set_defaults(func=_rollback_aufheben)
    pub = sub.add_parser("publish", help="Lieferungen veröffentlichen (Ausschuss und Öffentlichkeit sehen sie dann)")
    pub.add_argument("ids", type=int, nargs="+", help="Nummern der Lieferungen")
    pub.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    pub.add_argument("--benutzer", help="wer veröffentlicht")
    pub.set_defaults(func=_publish)
    hist = sub.add_parser("historie", help="alle gelieferten Fassungen eines Werts")
    hist.add_argument("raum")
    hist.add_argument("indikator")
    hist.add_argument("stichtag")
    hist.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    hist.set_defaults(func=_historie)
    zi = sub.add_parser("ziele", help="Ziele aus YAML oder Excel prüfen und übernehmen (mit Audit)")
    zi.add_argument("datei")
    zi.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    zi.add_argument("--nur-pruefen", action="store_true", help="nur prüfen, nichts speichern")
    zi.add_argument("--bezeichnung", help="Bezeichnung der Lieferung (Standard: Dateiname)")
    zi.add_argument("--benutzer", help="wer liefert")
    zi.set_defaults(func=_ziele)

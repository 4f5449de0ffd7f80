"""Command line: ``python -m fis <befehl>``. Every command takes ``--db``."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import io
import os
import sys
import zipfile
from pathlib import Path

from fis import controlling as ctl
from fis import einrichtung, ziele
from fis.audit import protokoll, vermerken_in
from fis.config import ConfigError, benutzerdatei_pfad, db_path, load_config
from fis.datenstand import lade_stichtagsstaende, stand_hinweis, standard_stichtag
from fis.demo import build_demo
from fis.export import csv_bytes
from fis.indizes import export_tabelle, index_indikatoren, lade_indexdaten, stichtage
from fis.ingest import werte as werte_import
from fis.ingest.arten import LIEFERARTEN, Auftrag, art_der_datei, lieferungen_tabelle
from fis.ingest.grenzen import yaml_laden
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
from fis.lagebild import compute_lagebild
from fis.maps import anzeige_geometrien
from fis.monitoring import einwohner_je_jahr, lade_monitoring
from fis.produkte import lade_produkte
from fis.protokoll import fehler_protokollieren, fehlertext, protokoll_datei
from fis.sicherung import pruefen, sichern, wiederherstellen
from fis.sitzungen import sitzungen_fuer
from fis.store import Store, StoreError
from fis.versorgung import luecken, luecken_tabelle
from fis.zugang import ROLLEN, Benutzer, Benutzerdatei, BenutzerFehler, KeinZugriff

WARTEN = 120.0   # seconds a command waits while another process writes the database


def _demo(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if path.exists():
        if not args.ersetzen:
            print(f"Fehler: {path} existiert bereits. Mit --ersetzen wird die Datei "
                  "durch die Demo ersetzt.", file=sys.stderr)
            return 2
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    store = Store.open(path)
    try:
        counts = build_demo(store, load_config(args.config),
                            lambda f, text: print(f"[{f:4.0%}] {text}", flush=True))
    finally:
        store.close()
    print(f"Demo „Musterstadt“ erzeugt in {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _status(args: argparse.Namespace) -> int:
    path = Path(args.db)
    if not path.exists():
        print(f"Fehler: keine Datenbank unter {path}.", file=sys.stderr)
        return 2
    store = Store.open(path, read_only=True)
    try:
        print(f"Datenbank: {path}")
        print(f"Schema-Version: {store.schema_version()} · Datenversion: {store.data_version()}")
        for table, n in store.count_rows().items():
            print(f"  {table:<18} {n:>9}")
    finally:
        store.close()
    return 0


def _lade_yaml(path: str | None) -> dict:
    if not path:
        return {}
    try:
        data = yaml_laden(Path(path).read_bytes(), f"Zuordnung „{path}“") or {}
    except OSError as exc:
        raise ImportFehler(f"Zuordnung „{path}“ lässt sich nicht lesen ({exc}).") from exc
    if not isinstance(data, dict):
        raise ImportFehler(f"Zuordnung „{path}“: erwartet wird ein Abschnitt mit Schlüsseln.")
    return data


def _fortschritt(fraction: float, text: str) -> None:
    print(f"[{fraction:4.0%}] {text}", file=sys.stderr, flush=True)


def _bericht(bericht, args: argparse.Namespace, path: Path) -> None:
    print(bericht.als_text())
    if args.bericht:
        target = Path(args.bericht)
        if len(args.dateien) > 1:
            target = target.with_name(f"{target.stem}_{path.stem}{target.suffix}")
        target.write_bytes(bericht.als_csv())
        print(f"Prüfbericht gespeichert: {target}")


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
    z_datei = werte_import.Zuordnung.aus_dict(spec, args.zuordnung) if spec else None   # types checked first
    kopfzeile = args.kopfzeile or (z_datei.kopfzeile if z_datei else None)
    tabelle = lies_tabelle(auftrag.daten, path.name, args.blatt or (z_datei.blatt if z_datei else None), kopfzeile)
    gemerkt = None if spec else werte_import.gemerkte_zuordnung(store, tabelle)
    if z_datei:
        z = z_datei
    elif gemerkt:
        z = gemerkt[1]
        print(f"Gespeicherte Zuordnung der Quelle „{gemerkt[0]}“ wird verwendet (wie in der App).")
    else:
        katalog = store.load_indikatoren()
        z, treffer = werte_import.vorschlag_mit_treffern(tabelle, katalog, store.load_raeume())
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


def _import_datei(store: Store, config, path: Path, args: argparse.Namespace) -> bool:
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
    lid = art.speichern(auftrag, v)
    print(f"Übernommen als Lieferung {lid}.")
    if args.veroeffentlichen:
        veroeffentlichen(store, lid, auftrag.benutzer)
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


def _import(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    store = Store.open(args.db, warten=WARTEN)
    ok = True
    try:
        for name in args.dateien:
            path = Path(name)
            if not path.is_file():
                print(f"Fehler: Datei „{name}“ gibt es nicht.", file=sys.stderr)
                ok = False
                continue
            try:
                ok &= _import_datei(store, config, path, args)
            except ImportFehler as exc:
                print(f"Fehler: {exc}", file=sys.stderr)
                ok = False
            except Exception as exc:  # never a traceback for a user's file; nothing was written
                print(f"Fehler: „{path.name}“ ließ sich nicht verarbeiten ({type(exc).__name__}: {exc}). "
                      "Es wurde nichts gespeichert. Bitte die Datei prüfen oder den Fehler melden.", file=sys.stderr)
                ok = False
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
    print(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ gilt wieder (Zurücknahme aufgehoben).")
    return 0


def _publish(args: argparse.Namespace) -> int:
    with Store.open(args.db, warten=WARTEN) as store:
        for nr in args.ids:
            info = veroeffentlichen(store, nr, args.benutzer or benutzer())
            print(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ veröffentlicht.")
    return 0


def _audit(args: argparse.Namespace) -> int:
    with Store.open(args.db, read_only=True) as store:
        # whoever holds the database file reads its log (as Administration would)
        frame = protokoll(store, Benutzer(args.benutzer or benutzer(), "admin"),
                          parse_stichtag(args.von) if args.von else None,
                          parse_stichtag(args.bis) if args.bis else None, args.wer, args.aktion)
    frame["Zeitpunkt"] = frame["Zeitpunkt"].dt.strftime("%d.%m.%Y %H:%M:%S")
    if args.csv:
        Path(args.csv).write_bytes(csv_bytes(frame))
        print(f"{len(frame)} Einträge geschrieben: {args.csv}")
    else:
        print(frame.to_string(index=False, max_colwidth=60) if len(frame) else "Keine Einträge.")
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
    config = load_config(args.config)
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


def _abweichungsbericht(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(args.db, read_only=True) as store:
        c = ctl.lade_controlling(store, lade_monitoring(store, config))
        standard = _standard_stichtag(store, config)
    jahr, monat = ctl.berichtsstand(c, args.rhythmus)
    ziel_jahr = standard.year if standard else jahr       # as on the pages: the Stichtag's year
    b = ctl.bewerte_ziele(c, ziel_jahr, config.controlling)
    h = ctl.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    bericht = ctl.abweichungsbericht(c, b, h, args.rhythmus)
    print(f"Abweichungsbericht zum {ctl.berichtsdatum(jahr, monat):%d.%m.%Y} ({args.rhythmus}; "
          f"Ziele: Berichtsjahr {ziel_jahr})")
    for gruppe, teil in bericht.groupby("gruppe", sort=False):
        print(f"\n{gruppe}")
        for r in teil.itertuples():
            print(f"  {ctl.AMPEL_SYMBOL[r.ampel]:8} {r.kennung:24} {r.bezeichnung}\n  {'':8} {r.begruendung}")
    if args.csv:
        Path(args.csv).write_bytes(csv_bytes(ctl.berichtstabelle(bericht, mit_gruppen=True)))
        print(f"\nCSV geschrieben: {args.csv}")
    return 0


def _versorgung(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    v = config.einrichtungen.versorgungsgrad(args.indikator)
    if v is None:
        gibt = ", ".join(g.indikator for g in config.einrichtungen.versorgung) or "keine (einrichtungen.yaml)"
        print(f"Fehler: „{args.indikator}“ ist kein Versorgungsgrad. Vorhanden: {gibt}.", file=sys.stderr)
        return 1
    stichtag = parse_stichtag(args.stichtag)
    with Store.open(args.db, read_only=True) as store:
        store.nur_veroeffentlicht = args.nur_veroeffentlicht
        m = lade_monitoring(store, config, [v.indikator])
    tabelle = luecken_tabelle(luecken(m, config, v.indikator, stichtag, args.ebene), v,
                              str(m.indikatoren.at[v.indikator, "einheit"]), config.ebene(args.ebene).name)
    if tabelle.empty:
        print(f"Fehler: am {stichtag:%d.%m.%Y} gibt es keine Werte für „{v.indikator}“.", file=sys.stderr)
        return 1
    return _csv_ausgeben(tabelle, tabelle.to_csv(index=False, sep=";"), args.csv)


def _csv_ausgeben(tabelle, daten: str, ziel: str | None) -> int:
    """A table per area as CSV: into the file ``ziel``, else to standard output."""
    if ziel:
        Path(ziel).write_text(daten, encoding="utf-8")
        print(f"{len(tabelle)} Gebiete geschrieben: {ziel}")
    else:
        print(daten, end="")
    return 0


def _index(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if not config.indizes.indizes:
        print("Fehler: in indizes.yaml ist kein Index konfiguriert.", file=sys.stderr)
        return 1
    stichtag = parse_stichtag(args.stichtag)
    with Store.open(args.db, read_only=True) as store:
        store.nur_veroeffentlicht = args.nur_veroeffentlicht
        daten = lade_indexdaten(store, config)
        m = lade_monitoring(store, config, index_indikatoren(config)) if args.nur_veroeffentlicht else None
    try:
        tabelle = export_tabelle(config, daten, stichtag, m)
    except KeyError:
        print(f"Fehler: für den {stichtag:%d.%m.%Y} lässt sich kein konfigurierter Index berechnen "
              "(es fehlen Werte der Komponenten).", file=sys.stderr)
        return 1
    if args.index:
        namen = {args.index, f"{args.index}_wert", f"{args.index}_klasse"}
        behalten = ["raum_id", *[c for c in tabelle.columns if c in namen]]
        if len(behalten) == 1:
            print(f"Fehler: Index „{args.index}“ ist nicht konfiguriert oder am Stichtag nicht berechenbar.",
                  file=sys.stderr)
            return 1
        tabelle = tabelle[behalten]
    return _csv_ausgeben(tabelle, tabelle.to_csv(index=False, sep=";", decimal=",", float_format="%.5f"), args.csv)


def _standard_stichtag(store: Store, config):
    return standard_stichtag(lade_stichtagsstaende(store, config))


def _report_stichtag(store: Store, config, args: argparse.Namespace, vorhanden):
    """The report's Stichtag: the one given, else the newest complete, published one; None (with a
    German message) if there are no values at it. A provisional or incomplete one is named."""
    staende = lade_stichtagsstaende(store, config)
    stichtag = parse_stichtag(args.stichtag) if args.stichtag else standard_stichtag(staende)
    if not len(vorhanden):
        print("Fehler: Die Datenbank enthält noch keine Indikatorwerte. Bitte zuerst Raumgliederung, Katalog und "
              "Werte liefern (python -m fis import …).", file=sys.stderr)
        return None
    if stichtag is None or stichtag not in vorhanden:
        tage = ", ".join(f"{t:%d.%m.%Y}" for t in list(vorhanden)[-5:])
        print(f"Fehler: Für den {stichtag:%d.%m.%Y} gibt es keine Werte (zuletzt: {tage}).", file=sys.stderr)
        return None
    stand = next((s for s in staende if s.stichtag == stichtag), None)
    if stand is not None and stand.zustand:
        print(f"Hinweis: {stand_hinweis(stand, config)}", file=sys.stderr)
    return stichtag


def _report(args: argparse.Namespace) -> int:
    # here, not at the top: reports bring Altair and vl-convert (0,7 s), which every other command would wait for
    from fis.berichte import inhalte, pdf
    config = load_config(args.config)
    with Store.open(args.db, read_only=True) as store:
        store.nur_veroeffentlicht = args.nur_veroeffentlicht
        m = lade_monitoring(store, config)
        if args.art == "abweichungsbericht":
            c = ctl.lade_controlling(store, m)
            jahr, monat = ctl.berichtsstand(c, args.rhythmus)
            standard = _standard_stichtag(store, config)
            ziel_jahr = args.jahr or (standard.year if standard else jahr)   # as on the pages: the Stichtag's year
            b = inhalte.abweichungsbericht(store, config, c, ctl.bewerte_ziele(c, ziel_jahr, config.controlling),
                                           ctl.haushaltszeilen(c, jahr, monat, config.controlling.haushalt),
                                           args.rhythmus, ziel_jahr,
                                           compute_lagebild(store, config, standard, 1, m) if standard else None,
                                           standard)
        elif args.art == "monitoring":
            stichtag = _report_stichtag(store, config, args, m.stichtage)
            if stichtag is None:
                return 1
            b = inhalte.monitoringbericht(store, config, m, anzeige_geometrien(store, stichtag, 1), stichtag)
        elif args.art == "sozialindex":
            indizes = {ix.id: ix for ix in config.indizes.indizes}
            ix = indizes.get(args.index or next(iter(indizes), ""))
            if ix is None:
                print(f"Fehler: Index „{args.index}“ ist nicht konfiguriert (vorhanden: "
                      f"{', '.join(indizes) or 'keiner'}).", file=sys.stderr)
                return 1
            daten = lade_indexdaten(store, config)
            tage = stichtage(daten, ix)
            standard = _standard_stichtag(store, config)
            frueher = [t for t in tage if standard is None or t <= standard]
            stichtag = parse_stichtag(args.stichtag) if args.stichtag else (frueher or tage or [None])[-1]
            if stichtag not in tage:
                print(f"Fehler: Der Index „{ix.name}“ lässt sich am {args.stichtag or '–'} nicht berechnen "
                      f"(Stichtage: {', '.join(f'{t:%d.%m.%Y}' for t in tage) or 'keine'}).", file=sys.stderr)
                return 1
            b = inhalte.indexbericht(store, config, daten, m, anzeige_geometrien(store, stichtag, ix.ebene),
                                     ix.id, stichtag)
        elif args.art == "produktdatenblatt":
            p = lade_produkte(store)
            if args.produkt not in p.auswahl():
                if not p.auswahl():
                    print("Fehler: Es ist noch kein Produkthaushalt geliefert (python -m fis import … --art "
                          "produkte).", file=sys.stderr)
                    return 1
                fehler = (f"Produkt oder Produktgruppe „{args.produkt}“ gibt es nicht" if args.produkt
                          else "Bitte mit --produkt ein Produkt oder eine Produktgruppe nennen")
                beispiele = ", ".join(list(p.auswahl())[:3])
                print(f"Fehler: {fehler} (z. B. {beispiele}).", file=sys.stderr)
                return 1
            c = ctl.lade_controlling(store, m)
            jahr, _ = ctl.berichtsstand(c)
            b = inhalte.produktdatenblatt(store, config, p, c, ctl.bewerte_ziele(c, jahr, config.controlling),
                                          args.produkt, args.jahr or p.haushaltsjahr(),
                                          einwohner_je_jahr(m, config.stadt.einwohner_indikator))
        else:
            stichtag = _report_stichtag(store, config, args, m.stichtage)
            if stichtag is None:
                return 1
            gueltig = m.raeume[m.raeume["stichtag"] == stichtag]
            if not args.raum or args.raum not in set(gueltig["raum_id"]):
                print(f"Fehler: Raum „{args.raum}“ gibt es am {stichtag:%d.%m.%Y} nicht.", file=sys.stderr)
                return 1
            ebene = int(gueltig.loc[gueltig["raum_id"] == args.raum, "ebene"].iloc[0])
            raeume = [args.raum] if ebene == 1 else sorted(
                gueltig[(gueltig["ebene"] == 1) & (gueltig["parent_id"] == args.raum)]["raum_id"])
            b = inhalte.steckbrief(store, config, m, raeume, stichtag)
    Path(args.out).write_bytes(pdf(b))
    print(f"„{b.titel}“ geschrieben: {args.out}")
    return 0


def _sicherung(args: argparse.Namespace) -> int:
    s = sichern(args.db, args.ziel, args.behalten, warten=WARTEN)
    print(f"Gesichert: {s.datei} (Schema {s.schema_version}, Datenversion {s.datenversion.split('-')[0]}, "
          f"{s.datei.stat().st_size / 1e6:.1f} MB).")
    return 0


def _wiederherstellen(args: argparse.Namespace) -> int:
    info = pruefen(args.sicherung)
    if args.nur_pruefen:
        print(f"Sicherung in Ordnung: {info['datei']} vom {info['zeitpunkt']}, Schema {info['schema_version']}.")
        return 0
    alt = wiederherstellen(args.sicherung, args.db, warten=WARTEN)
    print(f"Wiederhergestellt: {args.db} aus {info['datei']} vom {info['zeitpunkt']}."
          + (f" Der bisherige Stand liegt unter {alt}." if alt else ""))
    return 0


def _user(args: argparse.Namespace) -> int:

    datei = Benutzerdatei(args.datei or benutzerdatei_pfad(args.db))

    def passwort() -> str:
        if args.passwort_stdin:
            return sys.stdin.readline().rstrip("\n")
        erstes = getpass.getpass("Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != erstes:
            raise BenutzerFehler("Die beiden Eingaben stimmen nicht überein.")
        return erstes

    if args.aktion != "list" and not args.name:
        print("Fehler: bitte den Benutzernamen angeben.", file=sys.stderr)
        return 1
    if args.aktion == "add" and not args.rolle:
        print("Fehler: bitte die Rolle angeben (--rolle leitung|planung|admin|ausschuss).", file=sys.stderr)
        return 1
    try:
        if args.aktion == "add":
            b = datei.hinzufuegen(args.name, args.rolle, passwort())
            print(f"Benutzer „{b.name}“ mit der Rolle {ROLLEN[b.rolle]} angelegt ({datei.pfad}).")
            _vermerk_benutzer(args, "benutzer_angelegt", {"rolle": b.rolle})
        elif args.aktion == "remove":
            datei.entfernen(args.name)
            sitzungen_fuer(datei.pfad, 1).beenden_fuer(args.name)      # signed out everywhere at once
            print(f"Benutzer „{args.name}“ entfernt.")
            _vermerk_benutzer(args, "benutzer_entfernt", None)
        elif args.aktion == "passwd":
            datei.passwort_setzen(args.name, passwort())
            sitzungen_fuer(datei.pfad, 1).beenden_fuer(args.name)
            print(f"Passwort von „{args.name}“ geändert; bestehende Anmeldungen sind beendet.")
            _vermerk_benutzer(args, "passwort_gesetzt", None)
        else:
            for b in datei.liste():
                print(f"{b.name}\t{ROLLEN[b.rolle]}")
    except BenutzerFehler as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    return 0


def _vermerk_benutzer(args: argparse.Namespace, aktion: str, details: dict | None) -> None:
    """User administration goes into the database's audit log when there is one (spooled while the
    database is busy, added by the next writer)."""
    if not Path(args.db).exists():
        return
    if not vermerken_in(args.db, benutzer(), aktion, "benutzer", args.name, details):
        print("Hinweis: der Eintrag ins Audit-Log war nicht möglich (Datenbankordner schreibgeschützt).",
              file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fis",
                                     description="FIS Sozialplanung – Befehle für die Kommandozeile")
    parser.add_argument("--config", default=None, help="Konfigurationsordner (Standard: config/)")
    sub = parser.add_subparsers(dest="befehl", required=True)
    demo = sub.add_parser("demo", help="Demo-Stadt „Musterstadt“ in eine neue Datenbank schreiben")
    demo.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    demo.add_argument("--ersetzen", action="store_true", help="eine vorhandene Datei ersetzen")
    demo.set_defaults(func=_demo)
    status = sub.add_parser("status", help="Schema, Datenversion und Zeilenzahlen anzeigen")
    status.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    status.set_defaults(func=_status)
    db_help = "Pfad der DuckDB-Datei (Standard: FIS_DB)"
    imp = sub.add_parser("import", help="Datenlieferungen prüfen und übernehmen (Werte, Raumgliederung, Katalog)")
    imp.add_argument("dateien", nargs="+", metavar="DATEI", help="CSV, XLSX, GeoJSON, ZIP (Shapefile), GPKG, YAML")
    imp.add_argument("--db", default=str(db_path()), help=db_help)
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
    lief = sub.add_parser("lieferungen", help="alle Lieferungen auflisten")
    lief.add_argument("--db", default=str(db_path()), help=db_help)
    lief.set_defaults(func=_lieferungen)
    rb = sub.add_parser("rollback", help="eine Lieferung zurücknehmen (frühere Werte gelten wieder)")
    rb.add_argument("id", type=int, help="Nummer der Lieferung")
    rb.add_argument("--db", default=str(db_path()), help=db_help)
    rb.add_argument("--grund", help="Begründung für das Protokoll")
    rb.add_argument("--benutzer", help="wer zurücknimmt")
    rb.add_argument("--mit-abhaengigen", dest="mit_abhaengigen", action="store_true",
                    help="Lieferungen, deren Werte ohne diese Lieferung kein gültiges Gebiet oder keinen "
                         "Katalogeintrag hätten, mit zurücknehmen")
    rb.set_defaults(func=_rollback)
    wl = sub.add_parser("wiederherstellen-lieferung", help="eine Zurücknahme aufheben (die Lieferung gilt wieder)")
    wl.add_argument("id", type=int, help="Nummer der Lieferung")
    wl.add_argument("--db", default=str(db_path()), help=db_help)
    wl.add_argument("--benutzer", help="wer die Zurücknahme aufhebt")
    wl.set_defaults(func=_rollback_aufheben)
    pub = sub.add_parser("publish", help="Lieferungen veröffentlichen (Ausschuss und Öffentlichkeit sehen sie dann)")
    pub.add_argument("ids", type=int, nargs="+", help="Nummern der Lieferungen")
    pub.add_argument("--db", default=str(db_path()), help=db_help)
    pub.add_argument("--benutzer", help="wer veröffentlicht")
    pub.set_defaults(func=_publish)
    au = sub.add_parser("audit", help="Audit-Log anzeigen oder als CSV schreiben")
    au.add_argument("--von", help="ab diesem Tag, z. B. 01.01.2026")
    au.add_argument("--bis", help="bis zu diesem Tag")
    au.add_argument("--wer", help="nur Einträge dieses Benutzers")
    au.add_argument("--aktion", help="nur diese Aktion (import, veroeffentlicht, rollback, ziel_geaendert, …)")
    au.add_argument("--csv", help="als CSV in diese Datei schreiben")
    au.add_argument("--benutzer", help="wer liest (für das Protokoll)")
    au.add_argument("--db", default=str(db_path()), help=db_help)
    au.set_defaults(func=_audit)
    hist = sub.add_parser("historie", help="alle gelieferten Fassungen eines Werts")
    hist.add_argument("raum")
    hist.add_argument("indikator")
    hist.add_argument("stichtag")
    hist.add_argument("--db", default=str(db_path()), help=db_help)
    hist.set_defaults(func=_historie)
    zi = sub.add_parser("ziele", help="Ziele aus YAML oder Excel prüfen und übernehmen (mit Audit)")
    zi.add_argument("datei")
    zi.add_argument("--db", default=str(db_path()), help=db_help)
    zi.add_argument("--nur-pruefen", action="store_true", help="nur prüfen, nichts speichern")
    zi.add_argument("--bezeichnung", help="Bezeichnung der Lieferung (Standard: Dateiname)")
    zi.add_argument("--benutzer", help="wer liefert")
    zi.set_defaults(func=_ziele)
    ix = sub.add_parser("index", help="konfigurierte Indizes für einen Stichtag als CSV (je Gebiet eine Zeile)")
    ix.add_argument("--stichtag", required=True, help="z. B. 31.12.2018")
    ix.add_argument("--index", help="nur dieser Index (Kennung aus indizes.yaml) oder diese Kombination")
    ix.add_argument("--csv", help="in diese Datei schreiben (sonst auf die Standardausgabe)")
    ix.add_argument("--nur-veroeffentlicht", action="store_true",
                    help="nur veröffentlichte Lieferungen und nur, was Ausschuss und Öffentlichkeit sehen dürfen "
                         "(Klassen, keine Indexwerte, wo diese gesperrte Werte verrieten)")
    ix.add_argument("--db", default=str(db_path()), help=db_help)
    ix.set_defaults(func=_index)
    vg = sub.add_parser("versorgung", help="Versorgungsgrad und fehlende Plätze je Gebiet als CSV (größte Lücke "
                                           "zuerst)")
    vg.add_argument("indikator", help="Kennung des Versorgungsgrads aus einrichtungen.yaml, z. B. versorgung_u3")
    vg.add_argument("--stichtag", required=True, help="z. B. 31.12.2024")
    vg.add_argument("--ebene", type=int, default=1, help="Raumebene (Standard: 1, Sozialräume)")
    vg.add_argument("--csv", help="in diese Datei schreiben (sonst auf die Standardausgabe)")
    vg.add_argument("--nur-veroeffentlicht", action="store_true", help="nur veröffentlichte Lieferungen")
    vg.add_argument("--db", default=str(db_path()), help=db_help)
    vg.set_defaults(func=_versorgung)
    rp = sub.add_parser("report", help="PDF-Bericht erzeugen (für regelmäßige Läufe)")
    rp.add_argument("art", choices=["abweichungsbericht", "steckbrief", "monitoring", "sozialindex",
                                    "produktdatenblatt"])
    rp.add_argument("--out", required=True, help="Zieldatei (.pdf)")
    rp.add_argument("--rhythmus", choices=["Quartal", "Monat"], default="Quartal")
    rp.add_argument("--raum", help="Steckbrief: Kennung eines Sozialraums oder eines Bezirks (alle seine Sozialräume)")
    rp.add_argument("--stichtag", help="Steckbrief, Monitoring, Sozialindex: Stichtag (Standard: der neueste "
                                       "vollständige, veröffentlichte)")
    rp.add_argument("--index", help="Sozialindex: Kennung aus indizes.yaml (Standard: der erste)")
    rp.add_argument("--produkt", help="Produktdatenblatt: Nummer eines Produkts oder einer Produktgruppe")
    rp.add_argument("--jahr", type=int, help="Produktdatenblatt: Haushaltsjahr (Standard: das aktuelle); "
                                             "Abweichungsbericht: Berichtsjahr der Ziele (Standard: Jahr des "
                                             "neuesten vollständigen, veröffentlichten Stichtags)")
    rp.add_argument("--nur-veroeffentlicht", action="store_true",
                    help="nur veröffentlichte Lieferungen (für Ausschuss und Öffentlichkeit)")
    rp.add_argument("--db", default=str(db_path()), help=db_help)
    rp.set_defaults(func=_report)
    us = sub.add_parser("user", help="lokale Benutzer verwalten (Passwörter als argon2id-Hash)")
    us.add_argument("aktion", choices=["add", "remove", "passwd", "list"])
    us.add_argument("name", nargs="?", help="Benutzername (für add, remove, passwd)")
    us.add_argument("--rolle", choices=["leitung", "planung", "admin", "ausschuss"], help="Rolle (für add)")
    us.add_argument("--datei", default=None,
                    help="Benutzerdatei (Standard: FIS_BENUTZERDATEI oder benutzer.json neben der Datenbank)")
    us.add_argument("--passwort-stdin", action="store_true", help="Passwort aus der Standardeingabe lesen")
    us.add_argument("--db", default=str(db_path()), help=db_help + " (die Benutzerdatei liegt daneben; auch für das "
                                                               "Audit-Log)")
    us.set_defaults(func=_user)
    si = sub.add_parser("sicherung", help="die Datenbank sichern (auch während die App läuft)")
    si.add_argument("--ziel", required=True, help="Ordner der Sicherungen")
    si.add_argument("--behalten", type=int, help="nur so viele neueste Sicherungen behalten")
    si.add_argument("--db", default=str(db_path()), help=db_help)
    si.set_defaults(func=_sicherung)
    wh = sub.add_parser("wiederherstellen", help="eine Sicherung prüfen und an die Stelle der Datenbank setzen")
    wh.add_argument("sicherung", help="Datei fis-….duckdb aus dem Sicherungsordner (mit ihrer .json daneben)")
    wh.add_argument("--nur-pruefen", action="store_true", help="nur prüfen (Prüfsumme, Schema, Inhalt)")
    wh.add_argument("--db", default=str(db_path()), help=db_help)
    wh.set_defaults(func=_wiederherstellen)
    ab = sub.add_parser("abweichungsbericht", help="Abweichungsbericht (Ziele und Haushalt) ausgeben")
    ab.add_argument("--rhythmus", choices=["Quartal", "Monat"], default="Quartal")
    ab.add_argument("--csv", help="zusätzlich als CSV in diese Datei schreiben")
    ab.add_argument("--db", default=str(db_path()), help=db_help)
    ab.set_defaults(func=_abweichungsbericht)
    args = parser.parse_args(argv)
    if getattr(args, "db", None) and not os.environ.get("FIS_LOG"):
        os.environ["FIS_LOG"] = str(Path(args.db).resolve().parent / "fis.log")   # the log lies beside --db
    try:
        return args.func(args)
    except (ConfigError, StoreError, ImportFehler, KeinZugriff) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user: a sentence, a reference, the details in the log
        ref = fehler_protokollieren(exc, f"python -m fis {args.befehl}")
        print(f"Fehler: {fehlertext(ref, 'Der Befehl')} Protokoll: {protokoll_datei()}", file=sys.stderr)
        return 1

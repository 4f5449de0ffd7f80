"""Commands of operation: demo, status, users, backup and restore, audit log."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from fis.audit import protokoll, vermerken_in
from fis.cli.gemeinsam import (
    DB_HILFE,
    WARTEN,
)
from fis.config_lesen import lade_konfiguration
from fis.demo import build_demo
from fis.export import csv_bytes
from fis.format import fmt_anzahl, fmt_zahl
from fis.ingest.lieferungen import (
    benutzer,
)
from fis.ingest.zahlen import parse_stichtag
from fis.pfade import benutzerdatei_pfad, db_path
from fis.sicherung import pruefen, sichern, wiederherstellen
from fis.sitzungen import sitzungen_fuer
from fis.store import Store
from fis.wuerfel import nachfuehren
from fis.zugang import ROLLEN, Benutzer, Benutzerdatei, BenutzerFehler


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
        counts = build_demo(store, lade_konfiguration(args.config),
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


def _wuerfel(args: argparse.Namespace) -> int:
    """Bring the aggregate cube up to date (after a change of the suppression rules in the configuration, so that
    the first visitor need not wait)."""
    with Store.open(args.db, warten=WARTEN) as store:
        t = time.perf_counter()
        berechnet = nachfuehren(store, lade_konfiguration(args.config))
        dauer = time.perf_counter() - t
    if not any(berechnet.values()):
        print("Der Aggregatwürfel ist aktuell; nichts neu berechnet.")
    else:
        print("Aggregatwürfel nachgeführt: " + ", ".join(
            f"{'alle Lieferungen' if sicht == 'alle' else 'veröffentlichte'} {fmt_anzahl(n, 'Stichtag', 'Stichtage')}"
            for sicht, n in berechnet.items()) + f" ({fmt_zahl(dauer, 1)} s).")
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


def befehle(sub) -> None:
    """Add this module's commands to the parser."""
    demo = sub.add_parser("demo", help="Demo-Stadt „Musterstadt“ in eine neue Datenbank schreiben")
    demo.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    demo.add_argument("--ersetzen", action="store_true", help="eine vorhandene Datei ersetzen")
    demo.set_defaults(func=_demo)
    status = sub.add_parser("status", help="Schema, Datenversion und Zeilenzahlen anzeigen")
    status.add_argument("--db", default=str(db_path()), help="Pfad der DuckDB-Datei (Standard: FIS_DB)")
    status.set_defaults(func=_status)
    wu = sub.add_parser("wuerfel", help="den Aggregatwürfel nachführen (nach einer Änderung der Geheimhaltung "
                        "in der Konfiguration)")
    wu.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    wu.set_defaults(func=_wuerfel)
    au = sub.add_parser("audit", help="Audit-Log anzeigen oder als CSV schreiben")
    au.add_argument("--von", help="ab diesem Tag, z. B. 01.01.2026")
    au.add_argument("--bis", help="bis zu diesem Tag")
    au.add_argument("--wer", help="nur Einträge dieses Benutzers")
    au.add_argument("--aktion", help="nur diese Aktion (import, veroeffentlicht, rollback, ziel_geaendert, …)")
    au.add_argument("--csv", help="als CSV in diese Datei schreiben")
    au.add_argument("--benutzer", help="wer liest (für das Protokoll)")
    au.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    au.set_defaults(func=_audit)
    us = sub.add_parser("user", help="lokale Benutzer verwalten (Passwörter als argon2id-Hash)")
    us.add_argument("aktion", choices=["add", "remove", "passwd", "list"])
    us.add_argument("name", nargs="?", help="Benutzername (für add, remove, passwd)")
    us.add_argument("--rolle", choices=["leitung", "planung", "admin", "ausschuss"], help="Rolle (für add)")
    us.add_argument("--datei", default=None,
                    help="Benutzerdatei (Standard: FIS_BENUTZERDATEI oder benutzer.json neben der Datenbank)")
    us.add_argument("--passwort-stdin", action="store_true", help="Passwort aus der Standardeingabe lesen")
    us.add_argument("--db", default=str(db_path()), help=DB_HILFE + " (die Benutzerdatei liegt daneben; auch für das "
                                                               "Audit-Log)")
    us.set_defaults(func=_user)
    si = sub.add_parser("sicherung", help="die Datenbank sichern (auch während die App läuft)")
    si.add_argument("--ziel", required=True, help="Ordner der Sicherungen")
    si.add_argument("--behalten", type=int, help="nur so viele neueste Sicherungen behalten")
    si.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    si.set_defaults(func=_sicherung)
    wh = sub.add_parser("wiederherstellen", help="eine Sicherung prüfen und an die Stelle der Datenbank setzen")
    wh.add_argument("sicherung", help="Datei fis-….duckdb aus dem Sicherungsordner (mit ihrer .json daneben)")
    wh.add_argument("--nur-pruefen", action="store_true", help="nur prüfen (Prüfsumme, Schema, Inhalt)")
    wh.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    wh.set_defaults(func=_wiederherstellen)

"""Commands of results: index and supply tables, PDF reports through the registry of report kinds, the
Abweichungsbericht as text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fis import controlling as ctl
from fis import gegensteuerung, hochrechnung
from fis import mittelverteilung as mv
from fis.berichte import pdf
from fis.berichte.arten import BERICHTSARTEN, Berichtsauftrag, DirekteQuelle, steckbrief_gebiete
from fis.cli.gemeinsam import (
    DB_HILFE,
    _csv_ausgeben,
    _fehler,
    _standard_stichtag,
)
from fis.config_lesen import lade_konfiguration
from fis.datenstand import lade_stichtagsstaende, stand_hinweis, standard_stichtag
from fis.export import csv_bytes
from fis.indizes import export_tabelle, index_indikatoren, lade_indexdaten, stichtage
from fis.ingest.lieferungen import benutzer
from fis.ingest.zahlen import parse_stichtag
from fis.palette import AMPEL_SYMBOL
from fis.pfade import db_path
from fis.store import Store
from fis.versorgung import luecken, luecken_tabelle
from fis.wuerfel import lade_monitoring


def _abweichungsbericht(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
    with Store.open(args.db, read_only=True) as store:
        c = ctl.lade_controlling_aus_wuerfel(store, config)
        standard = _standard_stichtag(store, config)
        jahr, monat = hochrechnung.berichtsstand(c, args.rhythmus)
        ziel_jahr = standard.year if standard else jahr       # as on the pages: the Stichtag's year
        zusatz = gegensteuerung.fuer_bericht(store, ziel_jahr)
    b = ctl.bewerte_ziele(c, ziel_jahr, config.controlling)
    h = hochrechnung.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    bericht = ctl.abweichungsbericht(c, b, h, args.rhythmus, *zusatz)
    print(f"Abweichungsbericht zum {hochrechnung.berichtsdatum(jahr, monat):%d.%m.%Y} ({args.rhythmus}; "
          f"Ziele: Berichtsjahr {ziel_jahr})")
    for gruppe, teil in bericht.groupby("gruppe", sort=False):
        print(f"\n{gruppe}")
        for r in teil.itertuples():
            print(f"  {AMPEL_SYMBOL[r.ampel]:8} {r.kennung:24} {r.bezeichnung}\n  {'':8} {r.begruendung}")
            if r.art == "Ziel":
                print(f"  {'':8} Maßnahmen: {r.massnahmen}" + (f" · Gegensteuerung: {r.gegensteuerung}"
                                                               if r.gegensteuerung else ""))
    if args.csv:
        Path(args.csv).write_bytes(csv_bytes(ctl.berichtstabelle(bericht, mit_gruppen=True)))
        print(f"\nCSV geschrieben: {args.csv}")
    return 0


def _versorgung(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
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


def _index(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
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


def _gewichte(text: str | None) -> tuple[tuple[str, float], ...]:
    """'A=0,B=0.5,C=1,D=2' → (('A', 0.0), ('B', 0.5), …)."""
    paare = []
    for teil in (text or "").split(","):
        if teil.strip():
            klasse, _, gewicht = teil.partition("=")
            paare.append((klasse.strip(), float(gewicht)))
    return tuple(paare)


def _mittelverteilung(args: argparse.Namespace) -> int:
    config = lade_konfiguration(args.config)
    if bool(args.index) == bool(args.indikator):
        _fehler("Bitte genau eines nennen: --index (Kennung aus indizes.yaml) oder --indikator.")
        return 1
    try:
        gewichte = _gewichte(args.gewichte)
    except ValueError:
        _fehler(f"--gewichte „{args.gewichte}“ ist nicht lesbar (Beispiel: A=0,B=0.5,C=1,D=2).")
        return 1
    ebene = next((ix.ebene for ix in config.indizes.indizes if ix.id == args.index), 1) if args.index else args.ebene
    regel = mv.Verteilungsregel(
        betrag=args.betrag, grundlage=f"index:{args.index}" if args.index else f"indikator:{args.indikator}",
        stichtag=parse_stichtag(args.stichtag), verfahren=args.verfahren, einheit=args.einheit,
        schritt=args.rundung or (100.0 if args.einheit == "€" else 1.0), schwelle=args.schwelle,
        klassengewichte=gewichte, bezug=args.bezug or config.stadt.einwohner_indikator, mindest=args.mindest,
        hoechst=args.hoechst, ebene=ebene)
    with Store.open(args.db, read_only=not args.speichern) as store:
        store.nur_veroeffentlicht = args.nur_veroeffentlicht
        noetig = [*index_indikatoren(config), *[i for i in (args.indikator, regel.bezug) if i]]
        m = lade_monitoring(store, config, noetig)
        if args.index and args.index not in {ix.id for ix in config.indizes.indizes}:
            _fehler(f"Index „{args.index}“ ist nicht konfiguriert.")
            return 1
        if regel.stichtag not in m.stichtage:
            _fehler(f"Für den {regel.stichtag:%d.%m.%Y} gibt es keine Werte.")
            return 1
        daten = lade_indexdaten(store, config) if args.index else None
        try:
            v = mv.verteilung(regel, mv.grundlage_fuer(regel, config, m, daten, args.nur_veroeffentlicht))
        except mv.VerteilungsFehler as exc:
            _fehler(str(exc))
            return 1
        if args.speichern:
            mv.szenario_speichern(store, args.speichern, v, args.benutzer or benutzer())
    print(mv.regel_satz(regel, v.grundlage, m.ebenen[ebene][1]), file=sys.stderr)
    for hinweis in v.hinweise:
        print(f"Hinweis: {hinweis}", file=sys.stderr)
    if args.speichern:
        print(f"Szenario „{args.speichern}“ gespeichert.", file=sys.stderr)
    tabelle = mv.anzeige_tabelle(v, m.ebenen[ebene][0])
    return _csv_ausgeben(tabelle, csv_bytes(tabelle).decode("utf-8"), args.csv)


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
    from fis.berichte.arten import BERICHTSARTEN, DirekteQuelle
    config = lade_konfiguration(args.config)
    art = BERICHTSARTEN[args.art]
    with Store.open(args.db, read_only=True) as store:
        store.nur_veroeffentlicht = args.nur_veroeffentlicht
        q = DirekteQuelle(store, config)
        auftrag = _berichtsauftrag(q, args)
        if auftrag is None:
            return 1
        b = art.erstellen(q, auftrag)
    Path(args.out).write_bytes(pdf(b))
    print(f"„{b.titel}“ geschrieben: {args.out}")
    return 0


def _berichtsauftrag(q: DirekteQuelle, args: argparse.Namespace) -> Berichtsauftrag | None:
    """The report's choices from the arguments, with the defaults of the pages; None (and a German error on
    stderr) if a named area, index or product does not exist."""
    store, config = q.store, q.config
    if args.art == "abweichungsbericht":
        return Berichtsauftrag(stichtag=_standard_stichtag(store, config), rhythmus=args.rhythmus, jahr=args.jahr)
    if args.art == "sozialindex":
        indizes = {ix.id: ix for ix in config.indizes.indizes}
        ix = indizes.get(args.index or next(iter(indizes), ""))
        if ix is None:
            _fehler(f"Index „{args.index}“ ist nicht konfiguriert (vorhanden: {', '.join(indizes) or 'keiner'}).")
            return None
        tage = stichtage(q.indexdaten(), ix)
        standard = _standard_stichtag(store, config)
        frueher = [t for t in tage if standard is None or t <= standard]
        stichtag = parse_stichtag(args.stichtag) if args.stichtag else (frueher or tage or [None])[-1]
        if stichtag not in tage:
            _fehler(f"Der Index „{ix.name}“ lässt sich am {args.stichtag or '–'} nicht berechnen "
                    f"(Stichtage: {', '.join(f'{t:%d.%m.%Y}' for t in tage) or 'keine'}).")
            return None
        return Berichtsauftrag(stichtag=stichtag, index=ix.id)
    if args.art == "mittelverteilung":
        gespeichert = {sz.name: sz for sz in mv.szenarien(store)}
        if args.szenario not in gespeichert:
            _fehler(f"Szenario „{args.szenario or ''}“ gibt es nicht (gespeichert: {', '.join(gespeichert) or 'keines'}"
                    "; python -m fis mittelverteilung … --speichern NAME).")
            return None
        return Berichtsauftrag(verteilung=gespeichert[args.szenario].regel.als_json(), szenario=args.szenario)
    if args.art == "massnahmenbericht":
        felder = sorted(set(store.lade_massnahmen()["handlungsfeld"]))
        if args.handlungsfeld and args.handlungsfeld not in felder:
            _fehler(f"Handlungsfeld „{args.handlungsfeld}“ hat keine Maßnahme (vorhanden: "
                    f"{', '.join(felder) or 'keines'}).")
            return None
        stichtag = _standard_stichtag(store, config)
        if not args.handlungsfeld and (not args.raum or not steckbrief_gebiete(q.monitoring([]), args.raum, stichtag)):
            _fehler("Bitte mit --handlungsfeld ein Handlungsfeld oder mit --raum ein Gebiet nennen, das es gibt.")
            return None
        return Berichtsauftrag(stichtag=stichtag, jahr=args.jahr, handlungsfeld=args.handlungsfeld, raum=args.raum)
    if args.art == "produktdatenblatt":
        auswahl = q.produkte().auswahl()
        if args.produkt not in auswahl:
            if not auswahl:
                _fehler("Es ist noch kein Produkthaushalt geliefert (python -m fis import … --art produkte).")
                return None
            fehler = (f"Produkt oder Produktgruppe „{args.produkt}“ gibt es nicht" if args.produkt
                      else "Bitte mit --produkt ein Produkt oder eine Produktgruppe nennen")
            _fehler(f"{fehler} (z. B. {', '.join(list(auswahl)[:3])}).")
            return None
        return Berichtsauftrag(produkt=args.produkt, jahr=args.jahr)
    # the Stichtage with current values of the store's view: those the cube holds (no read of every value)
    stichtag = _report_stichtag(store, config, args, store.lade_stichtage())
    if stichtag is None:
        return None
    if args.art == "monitoring":
        return Berichtsauftrag(stichtag=stichtag)
    if not args.raum or not steckbrief_gebiete(q.monitoring([]), args.raum, stichtag):
        _fehler(f"Raum „{args.raum}“ gibt es am {stichtag:%d.%m.%Y} nicht.")
        return None
    return Berichtsauftrag(stichtag=stichtag, raum=args.raum)


def befehle(sub) -> None:
    """Add this module's commands to the parser."""
    ix = sub.add_parser("index", help="konfigurierte Indizes für einen Stichtag als CSV (je Gebiet eine Zeile)")
    ix.add_argument("--stichtag", required=True, help="z. B. 31.12.2018")
    ix.add_argument("--index", help="nur dieser Index (Kennung aus indizes.yaml) oder diese Kombination")
    ix.add_argument("--csv", help="in diese Datei schreiben (sonst auf die Standardausgabe)")
    ix.add_argument("--nur-veroeffentlicht", action="store_true",
                    help="nur veröffentlichte Lieferungen und nur, was Ausschuss und Öffentlichkeit sehen dürfen "
                         "(Klassen, keine Indexwerte, wo diese gesperrte Werte verrieten)")
    ix.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    ix.set_defaults(func=_index)
    vg = sub.add_parser("versorgung", help="Versorgungsgrad und fehlende Plätze je Gebiet als CSV (größte Lücke "
                                           "zuerst)")
    vg.add_argument("indikator", help="Kennung des Versorgungsgrads aus einrichtungen.yaml, z. B. versorgung_u3")
    vg.add_argument("--stichtag", required=True, help="z. B. 31.12.2024")
    vg.add_argument("--ebene", type=int, default=1, help="Raumebene (Standard: 1, Sozialräume)")
    vg.add_argument("--csv", help="in diese Datei schreiben (sonst auf die Standardausgabe)")
    vg.add_argument("--nur-veroeffentlicht", action="store_true", help="nur veröffentlichte Lieferungen")
    vg.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    vg.set_defaults(func=_versorgung)
    rp = sub.add_parser("report", help="PDF-Bericht erzeugen (für regelmäßige Läufe)")
    rp.add_argument("art", choices=list(BERICHTSARTEN), help="Berichtsart")
    rp.add_argument("--out", required=True, help="Zieldatei (.pdf)")
    rp.add_argument("--rhythmus", choices=["Quartal", "Monat"], default="Quartal")
    rp.add_argument("--raum", help="Steckbrief, Maßnahmenbericht: Kennung eines Sozialraums oder eines Bezirks (alle "
                                   "seine Sozialräume)")
    rp.add_argument("--handlungsfeld", help="Maßnahmenbericht: ein Handlungsfeld, z. B. „Kinder und Jugend“")
    rp.add_argument("--stichtag", help="Steckbrief, Monitoring, Sozialindex: Stichtag (Standard: der neueste "
                                       "vollständige, veröffentlichte)")
    rp.add_argument("--index", help="Sozialindex: Kennung aus indizes.yaml (Standard: der erste)")
    rp.add_argument("--szenario", help="Mittelverteilung: Name eines gespeicherten Szenarios")
    rp.add_argument("--produkt", help="Produktdatenblatt: Nummer eines Produkts oder einer Produktgruppe")
    rp.add_argument("--jahr", type=int, help="Produktdatenblatt: Haushaltsjahr (Standard: das aktuelle); "
                                             "Abweichungsbericht: Berichtsjahr der Ziele (Standard: Jahr des "
                                             "neuesten vollständigen, veröffentlichten Stichtags)")
    rp.add_argument("--nur-veroeffentlicht", action="store_true",
                    help="nur veröffentlichte Lieferungen (für Ausschuss und Öffentlichkeit)")
    rp.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    rp.set_defaults(func=_report)
    mvp = sub.add_parser("mittelverteilung", help="einen Betrag (Euro oder Stellen) nach Index oder Indikator auf die "
                                                  "Gebiete verteilen, als CSV (Summe genau, größte Reste)")
    mvp.add_argument("--betrag", type=float, required=True, help="z. B. 500000 (Euro) oder 12 (Stellen)")
    mvp.add_argument("--einheit", choices=list(mv.EINHEITEN), default="€")
    mvp.add_argument("--rundung", type=float, help="Schritt der Rundung (Standard: 100 € bzw. 1 Stelle)")
    mvp.add_argument("--index", help="Kennung eines Index aus indizes.yaml")
    mvp.add_argument("--indikator", help="oder: Kennung eines Indikators")
    mvp.add_argument("--ebene", type=int, default=1, help="Raumebene beim Indikator (Standard: 1)")
    mvp.add_argument("--stichtag", required=True, help="z. B. 31.12.2024")
    mvp.add_argument("--verfahren", choices=list(mv.VERFAHREN), default="schwelle",
                     help="; ".join(f"{k}: {v}" for k, v in mv.VERFAHREN.items()))
    mvp.add_argument("--schwelle", type=float, default=0.0, help="schwelle: Punkte über diesem Wert zählen")
    mvp.add_argument("--gewichte", help="klassen, kopf (Index): Gewicht je Klasse, z. B. A=0,B=0.5,C=1,D=2")
    mvp.add_argument("--bezug", help="kopf: Bezugsgröße (Indikator mit Summe, Standard: Einwohner)")
    mvp.add_argument("--mindest", type=float, help="Mindestbetrag je bedachtem Gebiet")
    mvp.add_argument("--hoechst", type=float, help="Höchstbetrag je Gebiet")
    mvp.add_argument("--speichern", metavar="NAME", help="als Szenario unter diesem Namen speichern")
    mvp.add_argument("--benutzer", help="wer speichert (Standard: FIS_BENUTZER oder Systemkonto)")
    mvp.add_argument("--nur-veroeffentlicht", action="store_true", help="nur veröffentlichte Lieferungen")
    mvp.add_argument("--csv", help="in diese Datei schreiben (sonst auf die Standardausgabe)")
    mvp.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    mvp.set_defaults(func=_mittelverteilung)
    ab = sub.add_parser("abweichungsbericht", help="Abweichungsbericht (Ziele und Haushalt) ausgeben")
    ab.add_argument("--rhythmus", choices=["Quartal", "Monat"], default="Quartal")
    ab.add_argument("--csv", help="zusätzlich als CSV in diese Datei schreiben")
    ab.add_argument("--db", default=str(db_path()), help=DB_HILFE)
    ab.set_defaults(func=_abweichungsbericht)

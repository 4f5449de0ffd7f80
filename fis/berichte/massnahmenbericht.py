"""The Maßnahmenbericht: what the city does in one Handlungsfeld or one area — each measure with its goals, status
history, budget and outputs per year and its evaluations — and where it stands in the planning cycle, with the
participation that shaped it. Also the Steckbrief's section „Maßnahmen in diesem Gebiet“."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis import massnahmen as mn
from fis import planung as pl
from fis.berichte import GEHEIMHALTUNG, Abschnitt, Bericht, Tabelle, Zusammenfassung
from fis.berichte.inhalte import lieferstand
from fis.berichte.massnahmenteil import register_fuer, uebersicht_tabelle
from fis.format import fmt_anzahl, fmt_datum, fmt_euro
from fis.palette import gestaltung
from fis.versorgung import sozialraeume_unter


def _massnahme(reg: mn.Register, mid: str, namen: dict[str, str], ziele: dict[str, str]) -> Abschnitt:
    m = reg.massnahme(mid)
    verlauf = reg.status[reg.status["massnahme_id"] == mid]
    absaetze = [t for t in (
        m.get("beschreibung") or "",
        f"Status: {m['status']} ({mn.laufzeit(m['beginn'], m['ende']) or 'ohne Laufzeit'}); Verlauf: "
        + " → ".join(f"{s} ({fmt_datum(t)})" for s, t in zip(verlauf["status"], verlauf["seit"], strict=True)) + ".",
        f"Gebiet: {mn.gebiete_text(m['raeume'], namen, 99)}. Träger: {m.get('traeger') or '–'}; verantwortlich: "
        f"{m.get('verantwortlich') or '–'}.",
        ("Ziele: " + "; ".join(f"{z} – {ziele.get(z, '')}".rstrip(" –") for z in m["ziele"]) + ".") if m["ziele"]
        else "Keinem Ziel zugeordnet.") if t]
    tabellen = [Tabelle("Budget und Leistungen je Jahr", mn.jahrestabelle(reg, mid))]
    ev = mn.evaluationstabelle(reg, mid)
    if len(ev):
        tabellen.append(Tabelle("Evaluation", ev.drop(columns=["Dokument"]), ["auto", "auto", "auto", "1fr", "2fr"]))
    else:
        absaetze.append("Noch nicht evaluiert.")
    return Abschnitt(f"{mid}: {m['titel']}", ebene=2, absaetze=absaetze, tabellen=tabellen)


def massnahmenbericht(store, config, m, jahr: int, handlungsfeld: str | None = None, raum: str | None = None,
                      stichtag: date | None = None, bewertung: pd.DataFrame | None = None) -> Bericht:
    """The report for one Handlungsfeld or one area (a Sozialraum or a parent unit with all its Sozialräume:
    the measures lying there, without the city-wide ones). ``jahr``: the year of the budget and outputs;
    ``bewertung`` (goals judged for ``jahr``) adds the red goals without a running measure."""
    reg = register_fuer(store, config)
    namen = dict(m.namen())
    zf = store.lade_ziele()
    ziele = dict(zip(zf["ziel_id"], zf["titel"], strict=True))
    p = pl.lade(store)
    if handlungsfeld:
        auswahl = mn.filtern(reg, handlungsfelder=[handlungsfeld])
        gegenstand, beteiligung = handlungsfeld, pd.DataFrame()
        bereiche = p.zyklus[p.zyklus["handlungsfeld"] == handlungsfeld]
    else:
        gebiet = set(sozialraeume_unter(m.raeume, raum, stichtag or m.stichtage[-1]))
        auswahl = mn.im_gebiet(reg, gebiet)
        gegenstand = f"{namen.get(raum, raum)} ({raum})"
        beteiligung = pl.beteiligungen(p, sozialraeume=gebiet, stadtweit=False)
        bereiche = p.zyklus.iloc[0:0]
    s = mn.summen(reg, auswahl, jahr)
    saetze = [f"{fmt_anzahl(s['anzahl'], 'Maßnahme', 'Maßnahmen')}, davon {s['laufend']} laufend.",
              f"Budget {jahr}: Plan {fmt_euro(s['plan']) if s['plan'] == s['plan'] else '–'}, Ist "
              f"{fmt_euro(s['ist']) if s['ist'] == s['ist'] else '–'}.",
              f"{fmt_anzahl(s['evaluiert'], 'Maßnahme ist', 'Maßnahmen sind')} evaluiert, davon "
              f"{s['wirksam']} als wirksam."]
    if len(beteiligung):
        letzte = beteiligung.iloc[0]
        saetze.append(f"{fmt_anzahl(len(beteiligung), 'Beteiligung', 'Beteiligungen')} im Gebiet, zuletzt "
                      f"„{letzte['titel']}“ am {fmt_datum(letzte['datum'])}.")
    if bewertung is not None and handlungsfeld:
        # goals of the field: measured on one of its indicators, served by one of its measures, or belonging to a
        # product one of its measures works for
        feld = m.indikatoren["handlungsfeld"]
        produkte = {x for ps in auswahl["produkte"] for x in ps}
        im_feld = {r.ziel_id for r in zf.itertuples() if feld.get(r.indikator_id) == handlungsfeld
                   or r.produkt_nr in produkte} | {z for zs in auswahl["ziele"] for z in zs}
        rot = [z for z in mn.rot_ohne_laufende(bewertung, reg) if z in im_feld]
        if rot:
            saetze.append("Rot, keine laufende Maßnahme: " + "; ".join(f"{z} – {ziele.get(z, '')}" for z in rot) + ".")
    abschnitte = [Abschnitt("Übersicht", tabellen=[uebersicht_tabelle(reg, auswahl, jahr, namen)] if len(auswahl)
                            else [], absaetze=[] if len(auswahl) else ["Keine Maßnahme im Register."])]
    for mid in auswahl["massnahme_id"]:
        abschnitte.append(_massnahme(reg, mid, namen, ziele))
    if len(bereiche):
        z = pl.zyklustabelle(p, date.today())
        z = z[z["Bereich"].isin(bereiche["bereich"])]
        z = z.assign(Phase=z["Bereich"].map(bereiche.set_index("bereich")["phase"]))
        abschnitte.append(Abschnitt("Stand im Planungszyklus", tabellen=[Tabelle(
            "", z[["Bereich", "Phase", "Beschluss", "Fortschreibung fällig"]], ["auto", "auto", "1fr", "auto"])]))
    if len(beteiligung):
        abschnitte.append(Abschnitt("Beteiligung", tabellen=[Tabelle("", pl.beteiligungstabelle(
            p, beteiligung, namen).drop(columns=["Gebiet", "Themen"]), ["auto", "auto", "1.2fr", "1fr", "1.5fr",
                                                                         "auto"])]))
    _, lieferung = lieferstand(store, "massnahmen")
    return Bericht(
        gestaltung=gestaltung(config), titel=f"Maßnahmenbericht {gegenstand}",
        untertitel=f"Maßnahmen, Budget und Wirkung {jahr}", stadt=config.stadt.name,
        stichtag=stichtag or date(jahr, 12, 31), datenstand=f"Budget und Leistungen {jahr} laut Maßnahmenregister",
        lieferung=lieferung,
        abschnitte=abschnitte, quellen=["Maßnahmenregister der Stadt (Sozialplanung und Fachämter)"],
        hinweise=[GEHEIMHALTUNG, "Budget in Euro; Plan = Ansatz, Ist = Rechnungsergebnis. Stadtweite Maßnahmen "
                  "erscheinen im Gebietsbericht nicht."],
        zusammenfassung=Zusammenfassung(saetze=saetze))

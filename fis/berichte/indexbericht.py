"""The Sozialindex report: method, class map, class counts and changes against the previous edition, and the
full table (most Belastung first)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis.berichte import GEHEIMHALTUNG, Abschnitt, Bericht, Bild, Tabelle, Zusammenfassung
from fis.berichte.grafik import karte_mit_namen, png
from fis.berichte.inhalte import HOECHSTENS_ABWEICHUNGEN, einordnung_abschnitt, lieferstand
from fis.format import fmt_datum, fmt_zahl
from fis.indizes import (
    HINWEIS_NUR_KLASSEN,
    ergebnis,
    index_nach_id,
    indextabelle,
    kartendaten,
    methode_text,
    vorheriger_stichtag,
)
from fis.maps import anzeige_geometrien
from fis.palette import gestaltung


def indexbericht(store, config, daten, m, geometrien: pd.Series, index_id: str, stichtag: date) -> Bericht:
    """The Sozialindex report: method, class map, class counts and changes against the
    previous edition, and the full table (most Belastung first)."""

    ix = index_nach_id(config, index_id)
    oeffentlich = bool(getattr(store, "nur_veroeffentlicht", False))
    e = ergebnis(daten, m, config, ix, stichtag, oeffentlich)
    vor = vorheriger_stichtag(daten, ix, stichtag)
    e_vor = ergebnis(daten, m, config, ix, vor, oeffentlich) if vor else None
    vergleich_satz = ""
    if e_vor is not None and not set(e_vor.werte["raum_id"]) & set(e.werte["raum_id"]):
        vergleich_satz = (f"Die vorige Ausgabe ({fmt_datum(vor)}) hat einen anderen Gebietszuschnitt: "
                          "kein Klassenvergleich.")
        e_vor = None
    namen = m.namen()
    tabelle = indextabelle(e, namen, e_vor)
    plan, legende = kartendaten(e, geometrien, namen)
    komponenten = pd.DataFrame({
        "Indikator": [m.indikatoren.at[k.indikator, "name"] if k.indikator in m.indikatoren.index else k.indikator
                      for k in ix.komponenten],
        "Gewicht": [fmt_zahl(k.gewicht, 2) for k in ix.komponenten],
        "Richtung": ["hoher Wert = geringe Belastung" if (k.polaritaet or m.indikatoren["polaritaet"].get(
            k.indikator)) == "hoch_gut" else "hoher Wert = hohe Belastung" for k in ix.komponenten]})
    klassen = pd.DataFrame({"Klasse": [f"{k.label} {k.name}" for k in ix.klassen],
                            "Gebiete": [str(int((e.werte["klasse"] == k.label).sum())) for k in ix.klassen]})
    absaetze = [methode_text(ix, m.indikatoren["kurzname"].to_dict()) + "."]
    if e_vor is not None:
        w = tabelle["Veränderung"].value_counts()
        absaetze.append(f"Gegenüber {fmt_datum(vor)}: " + ", ".join(
            f"{int(w.get(n, 0))} {n}" for n in ("besser", "gleich", "schlechter", "neu")) + ".")
    elif vergleich_satz:
        absaetze.append(vergleich_satz)
    ausgeschlossen = int((~e.werte["einbezogen"]).sum())
    absaetze.append(f"{int(e.werte['einbezogen'].sum())} Gebiete bewertet, {ausgeschlossen} nicht bewertet "
                    "(Gründe in der Tabelle).")
    if e.nur_klassen:
        absaetze.append(HINWEIS_NUR_KLASSEN)
    zusammenfassung = _index_zusammenfassung(store, config, ix, e, e_vor, vor, tabelle, stichtag, absaetze)
    ober = m.top - 1 if m.top - 1 > ix.ebene else None
    obergeometrien = anzeige_geometrien(store, stichtag, ober) if ober else None
    bild, schluessel = karte_mit_namen(plan, legende, m, stichtag, obergeometrien, breite=380, hoehe=350,
                                       ober_plural=m.ebenen[ober][1] if ober else "")
    spalten = (["1.5fr", "1fr", "auto", "auto", "1fr"] if e.nur_klassen
               else ["1.5fr", "auto", "1fr", "auto", "auto", "1fr"])
    abschnitte = [
        Abschnitt("Methode und Ergebnis", absaetze=absaetze, tabellen=[
            Tabelle("Komponenten", komponenten, ["1fr", "auto", "auto"], rechts=[1]),
            Tabelle("Klassen", klassen, ["1fr", "auto"], rechts=[1])],
            bilder=[Bild(f"{ix.name}, {fmt_datum(stichtag)}", png(bild), legende=schluessel)]),
        Abschnitt(f"{ix.name} je {m.ebenen[ix.ebene][0]}", tabellen=[Tabelle(
            "", tabelle, spalten, rechts=[] if e.nur_klassen else [1])])]
    _, lieferung = lieferstand(store)
    return Bericht(
        zusammenfassung=zusammenfassung, gestaltung=gestaltung(config),
        titel=f"{ix.name} {fmt_datum(stichtag)}", untertitel="Sozialindex und Klassenwechsel",
        stadt=config.stadt.name, stichtag=stichtag, datenstand="berechnet aus den gelieferten Indikatorwerten",
        lieferung=lieferung, abschnitte=abschnitte,
        quellen=sorted({str(m.indikatoren.at[k.indikator, "quelle"]) for k in ix.komponenten
                        if k.indikator in m.indikatoren.index
                        and isinstance(m.indikatoren.at[k.indikator, "quelle"], str)})
        + ([f"Methode nach: {ix.quelle}"] if ix.quelle else []),
        hinweise=[("Der Index wird aus allen Werten berechnet, auch aus gesperrten; ausgewiesen werden nur Klassen, "
                   "weil sich aus Indexwerten gesperrte kleine Fallzahlen zurückrechnen ließen."
                   if e.nur_klassen else
                   "Keine Komponente eines bewerteten Gebiets ist gesperrt: die Indexwerte verraten keine kleine "
                   "Fallzahl." if oeffentlich else
                   "Interne Fassung: Indexwerte und Klassen aus allen, auch gesperrten Werten – nicht zur "
                   "Veröffentlichung. Die veröffentlichte Fassung (Rolle Ausschuss, --nur-veroeffentlicht) zeigt "
                   "Klassen ohne Werte."), GEHEIMHALTUNG])


def _index_zusammenfassung(store, config, ix, e, e_vor, vor, tabelle: pd.DataFrame, stichtag: date,
                           absaetze: list[str]) -> Zusammenfassung:
    """„Auf einen Blick“ of an index edition: areas per class against the previous edition, the areas
    that moved into a class of more Belastung, the Einordnung of the index."""
    jetzt = e.werte["klasse"].value_counts()
    frame = pd.DataFrame({"Klasse": [f"{k.label} {k.name}" for k in ix.klassen],
                          "Gebiete": [str(int(jetzt.get(k.label, 0))) for k in ix.klassen]})
    rechts = [1]
    if e_vor is not None:
        vorher = e_vor.werte["klasse"].value_counts()
        frame[f"am {fmt_datum(vor)}"] = [str(int(vorher.get(k.label, 0))) for k in ix.klassen]
        frame["Veränderung"] = [f"{int(jetzt.get(k.label, 0)) - int(vorher.get(k.label, 0)):+d}".replace("+0", "±0")
                                for k in ix.klassen]
        rechts = [1, 2, 3]
    schlechter = tabelle[tabelle["Veränderung"] == "schlechter"].head(HOECHSTENS_ABWEICHUNGEN)
    return Zusammenfassung(
        saetze=absaetze[1:], kennzahlen=Tabelle(f"Gebiete je Klasse am {fmt_datum(stichtag)}", frame,
                                                ["1fr", "auto", *(["auto", "auto"] if e_vor is not None else [])],
                                                rechts=rechts),
        abweichungen=Tabelle("In eine Klasse höherer Belastung gewechselt", schlechter[
            [c for c in ("Gebiet", "Indexwert", "Klasse", "Klasse zuvor") if c in schlechter]],
            ["1.5fr", "1fr", "auto"] if e.nur_klassen else ["1.5fr", "auto", "1fr", "auto"],
            rechts=[] if e.nur_klassen else [1])
        if len(schlechter) else None,
        einordnung=einordnung_abschnitt(store, config, stichtag, [f"index:{ix.id}"]))

"""The Mittelverteilung report: the rule as a sentence, the key figures, the map of the amounts and the table per
area – the annex a Beschlussvorlage needs."""

from __future__ import annotations

import pandas as pd

from fis.berichte import GEHEIMHALTUNG, Abschnitt, Bericht, Bild, Tabelle, Zusammenfassung
from fis.berichte.grafik import karte_mit_namen, png
from fis.berichte.inhalte import lieferstand
from fis.format import fmt_datum
from fis.mittelverteilung import Verteilung, fmt_betrag, kartendaten, regel_satz, text_tabelle, zusammenfassung
from fis.palette import gestaltung


def verteilungsbericht(store, config, v: Verteilung, m, geometrien: pd.Series, titel: str | None = None) -> Bericht:
    """The report of one allocation (``titel``: the scenario's name, if it has one)."""
    r = v.regel
    ebene_name, ebene_plural = m.ebenen[r.ebene]
    satz = regel_satz(r, v.grundlage, ebene_plural)
    plan, legende = kartendaten(v, geometrien)
    bild, schluessel = karte_mit_namen(plan, legende, m, r.stichtag, breite=380, hoehe=350)
    bedacht = v.tabelle[v.tabelle["betrag"] > 0]
    kennzahlen = pd.DataFrame({"Kennzahl": ["verteilt", f"bedachte {ebene_plural}", "größter Betrag",
                                            "kleinster Betrag (bedachte)", "Gebiete an einer Grenze"],
                               "Wert": [fmt_betrag(v.summe, r.einheit), f"{len(bedacht)} von {len(v.tabelle)}",
                                        fmt_betrag(bedacht["betrag"].max(), r.einheit),
                                        fmt_betrag(bedacht["betrag"].min(), r.einheit),
                                        str(int((v.tabelle["begrenzung"] != "").sum()))]})
    tabelle = text_tabelle(v, ebene_name)
    rechts = [i for i, c in enumerate(tabelle.columns) if i > 0 and c not in ("Klasse", "Hinweis")]
    _, lieferung = lieferstand(store)
    name = titel or f"Mittelverteilung nach {v.grundlage.name}"
    return Bericht(
        titel=name, untertitel=f"Verteilung von {fmt_betrag(r.betrag, r.einheit)} auf die {ebene_plural}",
        stadt=config.stadt.name, stichtag=r.stichtag, datenstand=f"Grundlage: {v.grundlage.name} am "
        f"{fmt_datum(r.stichtag)}", lieferung=lieferung, gestaltung=gestaltung(config),
        zusammenfassung=Zusammenfassung(
            saetze=[satz, zusammenfassung(v, ebene_plural), *v.hinweise],
            kennzahlen=Tabelle("Kennzahlen der Verteilung", kennzahlen, ["1fr", "auto"], rechts=[1])),
        abschnitte=[
            Abschnitt("Verteilung auf einen Blick", absaetze=[satz], bilder=[
                Bild(f"{name}: Betrag je {ebene_name}", png(bild), legende=schluessel)]),
            Abschnitt(f"Betrag je {ebene_name}", tabellen=[Tabelle("", tabelle, ["1.5fr", *["auto"] * (
                len(tabelle.columns) - 2), "1.3fr"], rechts=rechts)])],
        quellen=[f"Grundlage: {v.grundlage.name}"] + ([f"Bezugsgröße: {v.grundlage.bezug_name}"]
                                                      if v.grundlage.bezug_name else []),
        hinweise=["Die Beträge sind ein Vorschlag nach der genannten Regel; gerundet nach dem Verfahren der "
                  "größten Reste (Hare/Niemeyer), ihre Summe ist genau der verteilte Betrag.", GEHEIMHALTUNG])

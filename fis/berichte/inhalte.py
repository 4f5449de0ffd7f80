"""The contents of the reports, from the same fis functions as the pages."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis.berichte import GEHEIMHALTUNG, Abschnitt, Bericht, Tabelle
from fis.format import fmt_datum


def _stand(store, art: str = "werte") -> tuple[str, str]:
    """(data status sentence, newest delivery) for the title page."""
    lief = store.load_lieferungen()
    aktiv = lief[(lief["status"] == "aktiv") & (lief["art"] == art)]
    if aktiv.empty:
        return "keine Lieferung", "–"
    letzte = aktiv.iloc[-1]
    return "", f"{letzte['bezeichnung']} ({fmt_datum(letzte['zeitpunkt'].date())})"


def abweichungsbericht(store, config, c, bewertung: pd.DataFrame, zeilen: pd.DataFrame, rhythmus: str) -> Bericht:
    """The Abweichungsbericht as on the Controlling page: only deviations, red first,
    grouped by organisation, with the explaining sentence of every Ampel."""
    from fis.controlling import MONATE, berichtsdatum, berichtsstand
    from fis.controlling import abweichungsbericht as bericht_daten

    jahr, monat = berichtsstand(c, rhythmus)
    b = bericht_daten(c, bewertung, zeilen, rhythmus)
    abw = b[b["ampel"].isin(["rot", "gelb"])]
    regel = config.controlling.haushalt
    abschnitte = [Abschnitt("Überblick", absaetze=[
        f"Ziele: Soll-Ist des Berichtsjahres {jahr} nach der Ampel-Regeltabelle. Haushalt: Hochrechnung des "
        f"Monats-Ist Januar–{MONATE[monat - 1]} auf das Jahresende "
        f"({'saisonal nach dem Vorjahresprofil' if regel.methode == 'saisonal' else 'linear'}) gegen den Ansatz.",
        f"{int(((abw['art'] == 'Ziel') & (abw['ampel'] == 'rot')).sum())} Ziele rot, "
        f"{int(((abw['art'] == 'Ziel') & (abw['ampel'] == 'gelb')).sum())} Ziele gelb, "
        f"{int((abw['art'] == 'Haushalt').sum())} Haushaltszeilen mit Abweichung, "
        f"{int((b['ampel'] == 'grau').sum())} Ziele ohne aktuellen Ist-Wert."],
        tabellen=[Tabelle("Ampel-Regeln", pd.DataFrame({"Ampel": [r.farbe for r in config.controlling.ampel],
                                                         "Regel": [r.wenn for r in config.controlling.ampel]}),
                          ["auto", "1fr"], ampel_spalte=0)])]
    for gruppe, teil in abw.groupby("gruppe", sort=False):
        abschnitte.append(Abschnitt(str(gruppe), ebene=1))
        for untergruppe, z in teil.groupby("untergruppe", sort=False):
            abschnitte.append(Abschnitt(str(untergruppe), ebene=2, tabellen=[Tabelle("", pd.DataFrame({
                "Ampel": z["ampel"], "Kennung": z["kennung"], "Bezeichnung": z["bezeichnung"],
                "Begründung": z["begruendung"], "Verantwortlich": z["verantwortlich"].fillna("–")}),
                ["auto", "auto", "1.3fr", "2fr", "auto"], ampel_spalte=0)]))
    grau = b[b["ampel"] == "grau"]
    if len(grau):
        abschnitte.append(Abschnitt("Ziele ohne aktuellen Ist-Wert", tabellen=[Tabelle("", pd.DataFrame({
            "Kennung": grau["kennung"], "Bezeichnung": grau["bezeichnung"], "Hinweis": grau["begruendung"]}),
            ["auto", "1fr", "1.5fr"])]))
    _, lieferung = _stand(store, "haushalt")
    return Bericht(
        titel=f"Abweichungsbericht zum {fmt_datum(berichtsdatum(jahr, monat))}",
        untertitel=("Quartalsbericht für Verwaltungsvorstand und Ausschuss" if rhythmus == "Quartal"
                    else "Monatsbericht für die Fachbereichsleitung"),
        stadt=config.stadt.name, stichtag=berichtsdatum(jahr, monat),
        datenstand=f"Ist-Werte bis {MONATE[monat - 1]} {jahr}; Kennzahlen und Indikatoren jeweils letzter Stand",
        lieferung=lieferung, abschnitte=abschnitte,
        quellen=["Zielsystem (Datenpflege „Ziele“)", "Finanzsystem: Teilergebnispläne und Monats-Ist",
                 "Sozialmonitoring (Indikatoren der Ziele)"],
        hinweise=[GEHEIMHALTUNG, "Die Ampel folgt der Regeltabelle in controlling.yaml; jede Ampel nennt ihre "
                                 "Regel und die Zahlen, auf denen sie beruht."])


def steckbrief(store, config, m, raum_ids: list[str], stichtag: date, jahre: int = 5) -> Bericht:
    """Sozialraum-Steckbriefe: all indicators by Handlungsfeld (published, suppressed values),
    the Handlungsbedarf and the most similar areas; one chapter per area."""
    from fis.monitoring import aehnliche, handlungsbedarf_profil, profil, profil_tabelle

    namen = m.namen()
    abschnitte = []
    status = set()
    for raum in raum_ids:
        d = profil(m, raum, stichtag, jahre)
        status |= set(d["status"].dropna())
        t = profil_tabelle(d, jahre, name="Wert").drop(columns=["Verlauf"])
        ebene = int(m.raeume[(m.raeume["raum_id"] == raum) & (m.raeume["stichtag"] == stichtag)]["ebene"].iloc[0])
        absaetze = []
        ampel = None
        if ebene == 1:
            f = handlungsbedarf_profil(m, config.lagebild.handlungsbedarf, raum, stichtag)
            ampel = {"farbe": "rot" if f.handlungsbedarf else ("grau" if not f.beurteilbar else "grün"),
                     "wort": "Handlungsbedarf" if f.handlungsbedarf else "Kein Handlungsbedarf" if f.beurteilbar
                     else "Nicht beurteilbar", "text": f.text}
        nah = aehnliche(m, raum, stichtag, k=5)
        if len(nah):
            absaetze.append("Ähnliche Gebiete (standardisierte Quoten-Indikatoren): "
                            + ", ".join(f"{namen.get(r, r)} ({r})" for r in nah["raum_id"]) + ".")
        abschnitte.append(Abschnitt(f"{namen.get(raum, raum)} ({raum})", ampel=ampel, absaetze=absaetze))
        for feld, teil in t.groupby("Handlungsfeld", sort=False):
            abschnitte.append(Abschnitt(str(feld), ebene=2, tabellen=[Tabelle("", teil.drop(columns="Handlungsfeld"),
                                                                              ["1.6fr"] + ["auto"] * 7,
                                                                              rechts=[1, 2, 3, 4, 5, 6, 7])]))
    datenstand = "enthält vorläufige Werte (v)" if "vorläufig" in status else "endgültig"
    _, lieferung = _stand(store)
    einheit = m.ebenen[1][0]
    titel = (f"{einheit}-Steckbrief {namen.get(raum_ids[0], raum_ids[0])}" if len(raum_ids) == 1
             else f"{einheit}-Steckbriefe ({len(raum_ids)} Gebiete)")
    return Bericht(
        titel=titel, untertitel=f"Sozialmonitoring, Stichtag {fmt_datum(stichtag)}", stadt=config.stadt.name,
        stichtag=stichtag, datenstand=datenstand, lieferung=lieferung, abschnitte=abschnitte,
        quellen=sorted({str(q) for q in m.indikatoren["quelle"].dropna()}),
        hinweise=[GEHEIMHALTUNG, "Rang 1 = ungünstigster Wert unter allen Gebieten der Ebene; Index: "
                                 "Gesamtstadt = 100; (v) = vorläufig."])

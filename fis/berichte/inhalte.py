"""The contents of the reports, from the same fis functions as the pages."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis import budgetvarianten, gegensteuerung
from fis import planung as pl
from fis import vergleichswerte as vgl
from fis import versorgung as vs
from fis.ampel import ABWEICHEND, REIHENFOLGE, Ampel
from fis.analysen import aehnliche, gebietsreformen, handlungsbedarf_profil, profil, profil_tabelle, zeitreihe_werte
from fis.berichte import GEHEIMHALTUNG, Abschnitt, Bericht, Bild, Tabelle, Zusammenfassung
from fis.berichte.grafik import karte_mit_namen, lagekarte, png
from fis.berichte.massnahmenteil import beteiligung_abschnitt, register_fuer
from fis.berichte.massnahmenteil import steckbrief_abschnitt as massnahmen_abschnitt
from fis.charts import ertrag_aufwand, indexbalken, zeitreihe
from fis.controlling import abweichungsbericht as bericht_daten
from fis.controlling import bewerte_ziele, lade_controlling, schlechteste_ziele
from fis.datenstand import lade_stichtagsstaende, stand_hinweis, standard_stichtag
from fis.einordnung import bezug_name, einordnungen, zeile
from fis.format import dativ, fmt_anzeige, fmt_datum, fmt_differenz, fmt_wert
from fis.hochrechnung import MONATE, berichtsdatum, berichtsstand
from fis.kartenansicht import kartenansicht
from fis.lagebild import berechne_lagebild
from fis.maps import anzeige_geometrien
from fis.palette import gestaltung
from fis.produkte import datenblatt, datenblatt_tabellen, gesamtaufwand_satz, ziele_tabelle

HOECHSTENS_ABWEICHUNGEN = 5          # on the summary page


def lieferstand(store, art: str = "werte") -> tuple[str, str]:
    """(data status sentence, newest delivery) for the title page."""
    lief = store.lade_lieferungen()
    aktiv = lief[(lief["status"] == "aktiv") & (lief["art"] == art)]
    if aktiv.empty:
        return "keine Lieferung", "–"
    letzte = aktiv.iloc[-1]
    return "", f"{letzte['bezeichnung']} ({fmt_datum(letzte['zeitpunkt'].date())})"


def _datenstand(store, config, stichtag: date, status: set) -> tuple[str, list[str]]:
    """The title page's data state of ``stichtag`` (published? complete?) and the notes it needs."""

    stand = next((s for s in lade_stichtagsstaende(store, config) if s.stichtag == stichtag), None)
    teile = []
    if stand is not None and not stand.vollstaendig:
        teile.append(f"unvollständig (Werte für {stand.geliefert} von {stand.erwartet} {_sozialraeume_dativ(config)})")
    if stand is not None and stand.vorlaeufig:
        teile.append("vorläufig, nicht veröffentlicht")
    elif "vorläufig" in status:
        teile.append("enthält vorläufige Werte (v)")
    hinweis = [] if stand is None or not stand_hinweis(stand, config) else [stand_hinweis(stand, config)]
    return ("; ".join(teile) or "endgültig"), hinweis


def _sozialraeume_dativ(config) -> str:
    return dativ(config.ebene(1).plural)


def einordnung_abschnitt(store, config, stichtag: date | None, bezuege: list[str], katalog=None) -> list[dict]:
    """The Einordnungen of ``bezuege`` at ``stichtag`` (published ones only for a public store) as the
    template sets them; the title names the reference when there is more than one."""

    if stichtag is None:
        return []
    e = einordnungen(store, stichtag)
    namen = {ix.id: ix.name for ix in config.indizes.indizes}
    da = [b for b in bezuege if b in e]
    return [{"titel": bezug_name(b, katalog, namen) if len(da) > 1 else "", "text": e[b]["text"],
             "zeile": zeile(e[b])} for b in da]


def _eckwerte(lage) -> Tabelle:
    frame = pd.DataFrame({
        "Kennzahl": [e.name for e in lage.eckwerte],
        "Wert": [fmt_anzeige(e.wert, e.einheit, e.nachkommastellen, abdeckung=e.abdeckung, status=e.status)
                 for e in lage.eckwerte],
        "ggü. Vorjahr": [fmt_differenz(e.veraenderung_vorjahr, e.einheit, e.nachkommastellen) for e in lage.eckwerte],
        "ggü. Vergleichsjahr": [f"{fmt_differenz(e.veraenderung_vergleich, e.einheit, e.nachkommastellen)} "
                                f"(seit {e.vergleichsjahr})" for e in lage.eckwerte]})
    return Tabelle(f"Eckwerte der Gesamtstadt am {fmt_datum(lage.stichtag)}", frame, ["1.6fr", "auto", "auto", "auto"],
                   rechts=[1, 2, 3])


def _handlungsbedarf_satz(lage, config) -> str:
    plural = config.ebene(1).plural
    if lage.nicht_beurteilbar:
        return f"Handlungsbedarf am {fmt_datum(lage.stichtag)}: {lage.nicht_beurteilbar}."
    return (f"Handlungsbedarf: {len(lage.handlungsbedarf)} von {lage.anzahl_sozialraeume} {_dativ(plural)} "
            f"erfüllen am {fmt_datum(lage.stichtag)} die Regel des Lagebilds.")


def _dativ(wort: str) -> str:
    return dativ(wort)


def _ampelzahlen(bewertung: pd.DataFrame | None) -> dict[str, int] | None:
    """Goals with their own Kennzahl per Ampel, red first (all four colours, also the zeros)."""
    if bewertung is None or bewertung.empty:
        return None
    n = bewertung["ampel_eigen"].value_counts()
    return {f: int(n.get(f, 0)) for f in REIHENFOLGE}


def _ampel_satz(zahlen: dict[str, int]) -> str:
    gesamt = sum(zahlen.values())
    return (f"Von {gesamt} Zielen mit eigener Kennzahl sind {zahlen[Ampel.ROT]} rot, {zahlen[Ampel.GELB]} gelb und "
            f"{zahlen[Ampel.GRUEN]} grün; {zahlen[Ampel.GRAU]} ohne aktuellen Ist-Wert.")


def _ziel_bewertung(store, config, m, jahr: int) -> pd.DataFrame | None:
    """The goals judged for ``jahr`` (None without goals)."""
    c = lade_controlling(store, m)
    return bewerte_ziele(c, jahr, config.controlling) if len(c.ziele) else None


def abweichungsbericht(store, config, c, bewertung: pd.DataFrame, zeilen: pd.DataFrame, rhythmus: str,
                       ziel_jahr: int | None = None, lage=None, stichtag: date | None = None) -> Bericht:
    """The Abweichungsbericht as on the Controlling page: only deviations, red first,
    grouped by organisation, with the explaining sentence of every Ampel. ``ziel_jahr``: the year
    the goals in ``bewertung`` were judged for (default: the budget's reporting year). It opens with
    „Auf einen Blick“: goals per Ampel, the largest deviations, the key figures and Handlungsbedarf of
    the Lagebild ``lage`` (computed for ``stichtag``, default the standard Stichtag, if not given) and
    the Einordnung der Sozialplanung of the goals and the Lagebild at that Stichtag."""

    jahr, monat = berichtsstand(c, rhythmus)
    b = bericht_daten(c, bewertung, zeilen, rhythmus, *gegensteuerung.fuer_bericht(store, ziel_jahr or jahr))
    abw = b[b["ampel"].isin(ABWEICHEND)]
    regel = config.controlling.haushalt
    abschnitte = [Abschnitt("Überblick", absaetze=[
        f"Ziele: Soll-Ist des Berichtsjahres {ziel_jahr or jahr} nach der Ampel-Regeltabelle; Ziele mit früherem "
        f"Zieldatum sind zum Zieldatum endgültig beurteilt. Haushalt: Hochrechnung des "
        f"Monats-Ist Januar–{MONATE[monat - 1]} {jahr} auf das Jahresende "
        f"({'saisonal nach dem Vorjahresprofil' if regel.methode == 'saisonal' else 'linear'}) gegen den Ansatz.",
        f"{int(((abw['art'] == 'Ziel') & (abw['ampel'] == Ampel.ROT)).sum())} Ziele rot, "
        f"{int(((abw['art'] == 'Ziel') & (abw['ampel'] == Ampel.GELB)).sum())} Ziele gelb, "
        f"{int((abw['art'] == 'Haushalt').sum())} "
        f"{'Haushaltszeile' if (abw['art'] == 'Haushalt').sum() == 1 else 'Haushaltszeilen'} mit Abweichung, "
        f"{int((b['ampel'] == Ampel.GRAU).sum())} Ziele ohne aktuellen Ist-Wert."],
        tabellen=[Tabelle("Ampel-Regeln", pd.DataFrame({"Ampel": [r.farbe for r in config.controlling.ampel],
                                                         "Regel": [r.wenn for r in config.controlling.ampel]}),
                          ["auto", "1fr"], ampel_spalte=0)])]
    for gruppe, teil in abw.groupby("gruppe", sort=False):
        abschnitte.append(Abschnitt(str(gruppe), ebene=1))
        for untergruppe, z in teil.groupby("untergruppe", sort=False):
            abschnitte.append(Abschnitt(str(untergruppe), ebene=2, tabellen=[Tabelle("", pd.DataFrame({
                "Ampel": z["ampel"], "Kennung": z["kennung"], "Bezeichnung": z["bezeichnung"],
                "Begründung und Gegensteuerung": [b + (f" Gegensteuerung: {g}" if g else "") for b, g in
                                                  zip(z["begruendung"], z["gegensteuerung"], strict=True)],
                "Maßnahmen": z["massnahmen"].where(z["art"] == "Ziel", "–"),
                "Verantwortlich": z["verantwortlich"].fillna("–")}),
                ["auto", "auto", "1.1fr", "2.2fr", "0.75fr", "0.9fr"], ampel_spalte=0)]))
    grau = b[b["ampel"] == Ampel.GRAU]
    if len(grau):
        abschnitte.append(Abschnitt("Ziele ohne aktuellen Ist-Wert", tabellen=[Tabelle("", pd.DataFrame({
            "Kennung": grau["kennung"], "Bezeichnung": grau["bezeichnung"], "Hinweis": grau["begruendung"]}),
            ["auto", "1fr", "1.5fr"])]))
    bv_cfg = config.controlling.budgetvarianten
    alle_varianten = budgetvarianten.budgetvarianten(c.ziele, bewertung, bv_cfg, c.nachkommastellen)
    if len(alle_varianten):
        # the annex names the goals whose attainment depends on the budget; the others in one sentence
        kippt = budgetvarianten.entscheidend(alle_varianten)
        varianten = budgetvarianten.tabelle(alle_varianten[kippt], bv_cfg)
        # a sub-section of the overview (no page of its own: the quarterly report stays within six pages)
        abschnitte.insert(1, Abschnitt("Budgetvarianten für den Eckwertebeschluss", ebene=2, absaetze=[
            budgetvarianten.anhang_satz(alle_varianten, kippt, bv_cfg), budgetvarianten.annahme_text(bv_cfg)],
            tabellen=[Tabelle("", varianten.drop(columns="Produkt"), ["1.6fr", "auto", "auto", "auto", "auto", "auto"],
                              rechts=[1, 2, 3, 4, 5])] if len(varianten) else []))
    _, lieferung = lieferstand(store, "haushalt")
    if lage is None:
        stichtag = stichtag or standard_stichtag(lade_stichtagsstaende(store, config))
        lage = berechne_lagebild(store, config, stichtag, 1) if stichtag else None
    stichtag = stichtag or (lage.stichtag if lage is not None else None)
    zahlen = _ampelzahlen(bewertung)
    groesste = b[b["ampel"].isin(ABWEICHEND)].assign(_r=lambda f: -f["ampel"].map(lambda a: Ampel(a).rang)) \
        .sort_values(["_r", "schwere"], ascending=[True, False]).head(HOECHSTENS_ABWEICHUNGEN)
    haushalt = abw[abw["art"] == "Haushalt"]
    saetze = [_ampel_satz(zahlen)] if zahlen else []
    saetze.append(("Haushalt: keine Zeile weicht in der Hochrechnung ab." if haushalt.empty else
                   f"Haushalt: {len(haushalt)} {'Zeile weicht' if len(haushalt) == 1 else 'Zeilen weichen'} in der "
                   f"Hochrechnung ab, davon {int((haushalt['ampel'] == Ampel.ROT).sum())} rot.") if len(zeilen) else
                  "Haushalt: keine Monats-Ist-Werte geliefert, keine Hochrechnung.")
    if lage is not None:
        saetze.append(_handlungsbedarf_satz(lage, config))
    zusammenfassung = Zusammenfassung(
        saetze=saetze, ampel=zahlen, ampel_titel=f"Ziele nach Ampel (Berichtsjahr {ziel_jahr or jahr})",
        abweichungen=Tabelle("Die größten Abweichungen", pd.DataFrame({
            "Ampel": groesste["ampel"], "Art": groesste["art"], "Bezeichnung": groesste["bezeichnung"],
            "Begründung": groesste["begruendung"]}), ["auto", "auto", "1.2fr", "2fr"], ampel_spalte=0)
        if len(groesste) else None,
        kennzahlen=_eckwerte(lage) if lage is not None and lage.eckwerte else None,
        einordnung=einordnung_abschnitt(store, config, stichtag, ["ziele", "lagebild"]))
    return Bericht(
        zusammenfassung=zusammenfassung, gestaltung=gestaltung(config),
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
    """Sozialraum-Steckbriefe: all indicators by Handlungsfeld (published, suppressed values) with a
    small chart of the area against the city per Handlungsfeld, a locator map, the Handlungsbedarf,
    the most similar areas and the Einordnung der Sozialplanung; one chapter per area."""

    namen = m.namen()
    abschnitte = []
    status = set()
    farbe = gestaltung(config).farbe
    register, planungsstand = register_fuer(store, config), pl.lade(store)
    geometrien = {}
    for raum in raum_ids:
        d = profil(m, raum, stichtag, jahre)
        status |= set(d["status"].dropna())
        t = profil_tabelle(d, jahre, name="Wert").drop(columns=["Verlauf"])
        if d.empty:
            abschnitte.append(Abschnitt(f"{namen.get(raum, raum)} ({raum})", absaetze=[
                f"Für dieses Gebiet gibt es am {fmt_datum(stichtag)} keine Werte."]))
            continue
        ebene = int(m.raeume[(m.raeume["raum_id"] == raum) & (m.raeume["stichtag"] == stichtag)]["ebene"].iloc[0])
        absaetze = []
        ampel = None
        if ebene == 1:
            f = handlungsbedarf_profil(m, config.lagebild.handlungsbedarf, raum, stichtag)
            ampel = {"farbe": Ampel.ROT if f.handlungsbedarf else (Ampel.GRAU if not f.beurteilbar else Ampel.GRUEN),
                     "wort": "Handlungsbedarf" if f.handlungsbedarf else "Kein Handlungsbedarf" if f.beurteilbar
                     else "Nicht beurteilbar", "text": f.text}
        nah = aehnliche(m, raum, stichtag, k=5)
        if len(nah):
            absaetze.append("Ähnliche Gebiete (standardisierte Quoten-Indikatoren): "
                            + ", ".join(f"{namen.get(r, r)} ({r})" for r in nah["raum_id"]) + ".")
        ober = m.top - 1 if m.top - 1 > ebene else None        # the Bezirke outlined on the locator map
        for e in (ebene, ober):
            if e and e not in geometrien:
                geometrien[e] = anzeige_geometrien(store, stichtag, e)
        bilder = []
        if raum in geometrien[ebene].index and geometrien[ebene].get(raum) is not None:
            bilder.append(Bild(f"Lage von {namen.get(raum, raum)} im Stadtgebiet", png(lagekarte(
                geometrien[ebene], raum, farbe, m, stichtag, geometrien.get(ober))), "40%"))
        abschnitte.append(Abschnitt(f"{namen.get(raum, raum)} ({raum})", ampel=ampel, absaetze=absaetze, bilder=bilder,
                                    einordnung=einordnung_abschnitt(store, config, stichtag, [f"raum:{raum}"])))
        for feld, teil in t.groupby("Handlungsfeld", sort=False):
            roh = d[d["handlungsfeld"] == feld]
            balken = [Bild(f"{feld}: {namen.get(raum, raum)} im Vergleich zur Gesamtstadt (Index, Gesamtstadt = 100)",
                           png(indexbalken(roh, breite=260)), "62%")] \
                if (~roh["unterdrueckt"].astype(bool) & roh["index"].notna()).any() else []
            abschnitte.append(Abschnitt(str(feld), ebene=2, tabellen=[Tabelle("", teil.drop(columns="Handlungsfeld"),
                                                                              ["1.6fr"] + ["auto"] * 7,
                                                                              rechts=[1, 2, 3, 4, 5, 6, 7])],
                                        bilder=balken, einordnung=einordnung_abschnitt(
                                            store, config, stichtag, [f"indikator:{i}" for i in roh["indikator_id"]],
                                            m.indikatoren)))
        versorgung = _versorgung(store, config, m, raum, stichtag)
        if versorgung is not None:
            abschnitte.append(versorgung)
        for teil in (massnahmen_abschnitt(register, raum, m, stichtag),
                     beteiligung_abschnitt(planungsstand, raum, m, stichtag)):
            if teil is not None:
                abschnitte.append(teil)
    datenstand, stand_hinweise = _datenstand(store, config, stichtag, status)
    _, lieferung = lieferstand(store)
    einheit = m.ebenen[1][0]
    titel = (f"{einheit}-Steckbrief {namen.get(raum_ids[0], raum_ids[0])}" if len(raum_ids) == 1
             else f"{einheit}-Steckbriefe ({len(raum_ids)} Gebiete)")
    return Bericht(
        gestaltung=gestaltung(config),
        titel=titel, untertitel=f"Sozialmonitoring, Stichtag {fmt_datum(stichtag)}", stadt=config.stadt.name,
        stichtag=stichtag, datenstand=datenstand, lieferung=lieferung, abschnitte=abschnitte,
        quellen=sorted({str(q) for q in m.indikatoren["quelle"].dropna()}),
        hinweise=[*stand_hinweise, GEHEIMHALTUNG,
                  "Rang 1 = ungünstigster Wert unter allen Gebieten der Ebene (gleiche Werte teilen sich eine "
                  "Spanne); Index: Gesamtstadt = 100; (v) = vorläufig."])


def _versorgung(store, config, m, raum: str, stichtag: date) -> Abschnitt | None:
    """„Einrichtungen und Versorgung“ of one area: Versorgungsgrade against city and Richtwert with the gap
    in places, and the facilities open at the Stichtag (None without a register)."""

    if not config.einrichtungen.typen:
        return None
    zeilen = vs.versorgung_im_gebiet(m, config, raum, stichtag)
    e = vs.im_gebiet(vs.einrichtungen(store, config, stichtag), vs.sozialraeume_unter(m.raeume, raum, stichtag))
    if not zeilen and e.empty:
        return None
    tabellen = []
    if zeilen:
        tabellen.append(Tabelle("Versorgungsgrade", vs.versorgung_tabelle(zeilen), ["1.4fr"] + ["auto"] * 6,
                                rechts=[1, 2, 3, 5]))
    if len(e):
        t = vs.tabelle(e, config)
        tabellen.append(Tabelle(f"Einrichtungen im Gebiet ({len(e)}, am Stichtag geöffnet)", t,
                                ["auto"] * len(t.columns), rechts=list(range(4, len(t.columns) - 1))))
    quellen = "; ".join(f"{z.name}: {z.richtwert_quelle}" for z in zeilen if z.richtwert_quelle)
    return Abschnitt("Einrichtungen und Versorgung", ebene=2, tabellen=tabellen, absaetze=[
        "Versorgungsgrad = Plätze der am Stichtag geöffneten Einrichtungen im Gebiet ÷ Zielgruppe; Lücke = fehlende "
        "Plätze bis zum Richtwert." + (f" Richtwerte: {quellen}." if quellen else "")] if zeilen else [])


def _ampel_wort(farbe: str) -> str:
    return farbe if farbe in list(Ampel) else "–"


def monitoringbericht(store, config, m, geometrien: pd.Series, stichtag: date,
                      indikatoren: list[str] | None = None, lage=None, fortschritt=None,
                      bewertung: pd.DataFrame | None = None) -> Bericht:
    """The monitoring report of a Stichtag: Eckwerte, Sozialräume with Handlungsbedarf, and
    per key indicator a static map (published, suppressed values) and the trend of the
    Gesamtstadt and its second-level units. ``geometrien``: display geometries of the
    Sozialräume at ``stichtag``; ``indikatoren``: default the Lagebild's core indicators
    and Kennzahlen. „Auf einen Blick“: the key figures, Handlungsbedarf, the goals per Ampel
    (``bewertung`` for the Stichtag's year; judged from ``m`` if not given) with the worst ones, and the
    Einordnung of the Lagebild; every indicator chapter carries its own Einordnung."""

    lage = lage or berechne_lagebild(store, config, stichtag, 1, m)
    einheit, plural = m.ebenen[1]
    # trends and map outlines by the units just below the city (Bezirke: 8 in Musterstadt, 12 in Berlin)
    bezirk_ebene = m.top - 1 if m.top - 1 > 1 else None
    bezirk_plural = m.ebenen[bezirk_ebene][1] if bezirk_ebene else None
    if bewertung is None:
        bewertung = _ziel_bewertung(store, config, m, stichtag.year)
    zahlen = _ampelzahlen(bewertung)
    schlecht = schlechteste_ziele(bewertung, HOECHSTENS_ABWEICHUNGEN) if zahlen else pd.DataFrame()
    zusammenfassung = Zusammenfassung(
        saetze=[_handlungsbedarf_satz(lage, config), *([_ampel_satz(zahlen)] if zahlen else [])],
        kennzahlen=_eckwerte(lage) if lage.eckwerte else None, ampel=zahlen,
        ampel_titel=f"Ziele nach Ampel (Berichtsjahr {stichtag.year})",
        abweichungen=Tabelle("Die größten Abweichungen von den Zielen", pd.DataFrame({
            "Ampel": schlecht["ampel"], "Ziel": schlecht["titel"], "Begründung": schlecht["text"]}),
            ["auto", "1.2fr", "2fr"], ampel_spalte=0) if len(schlecht) else None,
        einordnung=einordnung_abschnitt(store, config, stichtag, ["lagebild", "ziele"]))
    bedarf = lage.handlungsbedarf.drop(columns="raum_id")
    abschnitte = [
        Abschnitt(f"{plural} mit Handlungsbedarf", absaetze=[
            f"Stichtag {fmt_datum(stichtag)}: {lage.anzahl_sozialraeume} {plural}"
            + (f"; Handlungsbedarf {lage.nicht_beurteilbar}" if lage.nicht_beurteilbar else
               f", davon {len(lage.handlungsbedarf)} mit Handlungsbedarf") + f". Regel: {lage.regel}"],
                  tabellen=[Tabelle(
            # the values' columns as wide as their values (their headers are set upright when the table
            # would not fit otherwise), the names get the rest
            "", bedarf, ["1fr", "2.2cm"] + ["auto"] * (len(bedarf.columns) - 2),
            rechts=[i for i, c in enumerate(bedarf.columns) if c == "auffällig"])] if len(bedarf) else [],
        )]
    if not len(bedarf):
        abschnitte[0].absaetze.append(f"Kein {einheit} erfüllt die Regel am {fmt_datum(stichtag)}.")
    vergleich = vgl.vergleichstabelle(store.lade_vergleichswerte(), lage.eckwerte, stichtag, config.stadt.name)
    if len(vergleich):
        abschnitte.append(Abschnitt("Im Vergleich mit Land, Bund und Vergleichsring", absaetze=[
            "Werte von Land, Bund und Vergleichskommunen im Jahr des Stichtags; Rang 1 = geringste Belastung unter "
            "den Kommunen des Vergleichsrings."], tabellen=[Tabelle(
                "", vergleich, ["1.6fr"] + ["auto"] * (len(vergleich.columns) - 1),
                rechts=list(range(1, len(vergleich.columns))))]))
    kandidaten = indikatoren or list(dict.fromkeys([*config.lagebild.handlungsbedarf.indikatoren,
                                                    *config.lagebild.kennzahlen]))
    am_tag = set(m.auswahl(stichtag=stichtag, ebene=1).dropna(subset=["wert"])["indikator_id"])
    gewaehlt = [i for i in kandidaten if i in m.indikatoren.index and i in am_tag]
    oben = sorted(m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == bezirk_ebene)]["raum_id"]) \
        if bezirk_plural else [lage.stadt_id]
    reformen = gebietsreformen(m)
    obergeometrien = anzeige_geometrien(store, stichtag, bezirk_ebene) if bezirk_ebene else None
    for n, ind in enumerate(gewaehlt):
        if fortschritt:
            fortschritt(n / max(len(gewaehlt), 1), m.indikatoren.at[ind, "name"])
        meta = m.meta(ind)
        ansicht = kartenansicht(m, geometrien, ind, stichtag, 1)
        d = ansicht.daten
        sichtbar = d[~d["unterdrueckt"] & d["wert"].notna()]
        richtung = sichtbar["wert"] if meta["polaritaet"] != "hoch_gut" else -sichtbar["wert"]
        hoch = sichtbar.loc[richtung.sort_values(ascending=False).index[:3]]
        stadt = fmt_wert(d["stadtwert"].iloc[0] if len(d) else None, meta["einheit"], int(meta["nachkommastellen"]))
        absaetze = [f"{m.ebenen[m.top][0]}: {stadt}. "
                    + ("Ungünstigste Werte: " if meta["polaritaet"] != "neutral" else "Höchste Werte: ")
                    + ", ".join(f"{r.name} ({r.anzeige})" for r in hoch.itertuples()) + ". "
                    + f"{int(d['unterdrueckt'].sum())} {plural} mit geschütztem Wert."]
        reihe = zeitreihe_werte(m, ind, oben)
        verlauf = zeitreihe(reihe, meta, reformen, hoehe=190, jahresschritt=2).properties(width=460)
        einordnung = einordnung_abschnitt(store, config, stichtag, [f"indikator:{ind}"])
        # map, key and trend on one page; an Einordnung takes the room of a smaller map
        bild, schluessel = karte_mit_namen(d, ansicht.legende, m, stichtag, obergeometrien, breite=340,
                                           hoehe=250 if einordnung else 300, ober_plural=bezirk_plural or "")
        bilder = [Bild(ansicht.titel, png(bild), legende=schluessel),
                  Bild(f"Zeitreihe {meta['name']}: {m.ebenen[m.top][0]}"
                       + (f" und {bezirk_plural}" if bezirk_plural else ""), png(verlauf), "85%")]
        abschnitte.append(Abschnitt(f"{meta['handlungsfeld']}: {meta['name']}", absaetze=absaetze, bilder=bilder,
                                    einordnung=einordnung))
    _, lieferung = lieferstand(store)
    status = set(m.auswahl(stichtag=stichtag)["status"].dropna())
    datenstand, stand_hinweise = _datenstand(store, config, stichtag, status)
    return Bericht(
        zusammenfassung=zusammenfassung, gestaltung=gestaltung(config),
        titel=f"Sozialmonitoring {fmt_datum(stichtag)}", untertitel=f"Bericht über {len(gewaehlt)} Kernindikatoren "
        f"je {einheit}", stadt=config.stadt.name, stichtag=stichtag,
        datenstand=datenstand, lieferung=lieferung,
        abschnitte=abschnitte, quellen=sorted({str(m.indikatoren.at[i, "quelle"]) for i in gewaehlt
                                               if isinstance(m.indikatoren.at[i, "quelle"], str)}),
        hinweise=[*stand_hinweise, GEHEIMHALTUNG,
                  "Karten: Klassen nach natürlichen Brüchen (Fisher-Jenks) bzw. der Voreinstellung "
                  "der Seite „Karte“; graue Flächen = geschützter Wert, weiß = kein Wert."])


def produktdatenblatt(store, config, p, c, bewertung: pd.DataFrame, nr: str, haushaltsjahr: int,
                      einwohner: dict[int, float]) -> Bericht:
    """Produktdatenblätter as in the handbook (Abb. 20): for a product one chapter; for a
    Produktgruppe the group first, then every product of the group."""

    auswahl = p.auswahl()
    nrs = [nr] + (p.teile(nr) if nr not in set(p.produkte["nr"]) else [])
    abschnitte = []
    for teil in nrs:
        d = datenblatt(p, teil, haushaltsjahr, einwohner, config.gesamtaufwand())
        name = auswahl.get(teil, teil)
        kopf = pd.DataFrame({"Feld": list(d.kopf), "Angabe": [str(v) for v in d.kopf.values()]})
        abschnitte.append(Abschnitt(name, tabellen=[Tabelle("", kopf, ["auto", "1fr"])]))
        for titel, text in d.texte.items():
            abschnitte.append(Abschnitt(titel, ebene=2, absaetze=[t for t in str(text).split("\n") if t.strip()]))
        ziele = c.ziele[c.ziele["org_produkt"].isin(p.teile(teil))]
        if len(ziele):
            abschnitte.append(Abschnitt("Ziele und Zielerreichung", ebene=2, tabellen=[Tabelle(
                "", ziele_tabelle(ziele, bewertung), ["auto", "1.2fr", "auto", "2fr"], ampel_spalte=0)]))
        kz, tep = datenblatt_tabellen(d)
        zahlen = list(range(1, len(kz.columns)))
        summen = [i for i, art in enumerate(d.teilergebnisplan["art"]) if art == "Summe"]
        abschnitte.append(Abschnitt("Kennzahlen", ebene=2, tabellen=[
            Tabelle("", kz, ["1.5fr"] + ["auto"] * (len(kz.columns) - 1), rechts=zahlen)]))
        abschnitte.append(Abschnitt("Teilergebnisplan", ebene=2, absaetze=[
            "Beträge in Euro; Erträge positiv, Aufwendungen negativ; Summenzeilen fett."], tabellen=[
            Tabelle("", tep, ["auto", "1.6fr"] + ["auto"] * (len(tep.columns) - 2),
                    rechts=[0, *range(2, len(tep.columns))], fett=summen)],
            bilder=[Bild("Ordentliche Erträge und Aufwendungen", png(ertrag_aufwand(d, hoehe=200)
                                                                      .properties(width=420)), "80%")]))
    _, lieferung = lieferstand(store, "haushalt")
    gruppe = len(nrs) > 1
    return Bericht(
        gestaltung=gestaltung(config),
        titel=("Produktdatenblätter " if gruppe else "Produktdatenblatt ") + auswahl.get(nr, nr).removesuffix(
            " (Produktgruppe)"),
        untertitel=f"Haushaltsjahr {haushaltsjahr}" + (f" · Produktgruppe mit {len(nrs) - 1} Produkten" if gruppe
                                                       else ""),
        stadt=config.stadt.name, stichtag=date(haushaltsjahr, 12, 31),
        datenstand=f"Ansätze und Planung {haushaltsjahr}; Ist bis {haushaltsjahr - 1}", lieferung=lieferung,
        abschnitte=abschnitte, quellen=["Finanzsystem: Teilergebnispläne", "Produktbuch (Datenpflege „Haushalt“)",
                                        "Zielsystem und Kennzahlen"],
        hinweise=[f"Aufwand = ordentliche Aufwendungen (Zeile 17); {gesamtaufwand_satz(config)} "
                  "Einwohner: letzter Stichtag des Jahres oder davor.", GEHEIMHALTUNG], inhalt_tiefe=1)

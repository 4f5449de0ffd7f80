"""The checks of a Maßnahmen delivery (file or form) as tables (see :mod:`fis.ingest.pruefregeln`): the columns,
each measure, each year's figure, each evaluation and the result against the register.
:mod:`fis.ingest.massnahmen` computes the flag columns they read (``_…``) and the ``felder`` of the context.
"""

from __future__ import annotations

import pandas as pd

from fis.ingest.pruefregeln import KEINE_AENDERUNG, Kontext, Pruefregel, eine_zeile, liste, ohne_detail, zeilen

STATUS = ("geplant", "beschlossen", "laufend", "abgeschlossen", "eingestellt")
METHODEN = ("Selbstevaluation", "Fremdevaluation")
ERGEBNISSE = ("wirksam", "teilweise wirksam", "nicht wirksam", "offen")


def _maske(spalte: str, feld: str = "", wert: str | None = None, hinweis: str | None = None):
    """``finden`` of the rows where the flag column ``spalte`` holds (``hinweis``: a column or a text)."""
    def finden(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
        h = d[hinweis] if hinweis in d else (hinweis or "")
        return zeilen(d, d[spalte], feld, wert, h)
    return finden


def _fremde(spalte: str, was: str):
    """Message for unknown references: „3 Maßnahmen nennen unbekannte Sozialräume: 0199, 0777.“"""
    def meldung(u: pd.DataFrame, funde, k: Kontext) -> str:
        werte = sorted({w for t in u["wert"] for w in str(t).split(", ") if w})
        n = len(u)
        return (f"{n} {'Maßnahme nennt' if n == 1 else 'Maßnahmen nennen'} {was}, die es nicht gibt: "
                f"{liste(werte)}.")
    return meldung


MASSNAHME_KOPF: tuple[Pruefregel, ...] = (
    Pruefregel("massnahme_spalte_fehlt", "Fehler", "Spalte fehlt",
               "Die Spalte mit der Kennung der Maßnahme fehlt (erkannt werden: id, kennung, nr, massnahme). "
               "Vorhanden: {vorhanden}.", ohne_detail, finden=lambda d, k: eine_zeile(not (d["art"] == "id").any())),
    Pruefregel("massnahme_spalte_unbenutzt", "Hinweis", "Spalten nicht verwendet", "Nicht verwendet: {werte}.",
               ohne_detail, finden=lambda d, k: d[d["art"] == ""]),
)

MASSNAHME_ZEILEN: tuple[Pruefregel, ...] = (
    Pruefregel("massnahme_pflicht", "Fehler", "Pflichtangabe fehlt",
               "{n:Maßnahme hat|Maßnahmen haben} keine Kennung, keinen Titel, kein Handlungsfeld oder keinen Status.",
               abhilfe="Jede neue Maßnahme braucht Kennung, Titel, Handlungsfeld und Status.",
               finden=_maske("_pflicht", "", "massnahme_id", "_pflicht_text")),
    Pruefregel("massnahme_doppelt", "Fehler", "Kennung doppelt",
               "{n:Zeile hat|Zeilen haben} eine Kennung, die in der Lieferung mehrfach vorkommt ({werte}).",
               finden=_maske("_doppelt", "id", "massnahme_id", "doppelt")),
    Pruefregel("massnahme_status", "Fehler", "Unbekannter Status",
               "{n:Maßnahme hat|Maßnahmen haben} einen unbekannten Status (z. B. „{beispiel}“). Erlaubt: "
               + ", ".join(STATUS) + ".", finden=_maske("_status_falsch", "status", "_status_text", "unbekannt")),
    Pruefregel("massnahme_datum", "Fehler", "Ungültiges Datum",
               "{n:Maßnahme hat|Maßnahmen haben} ein Datum, das keines ist (z. B. „{beispiel}“; erwartet TT.MM.JJJJ).",
               finden=_maske("_datum_falsch", "beginn/ende/seit", "_datum_text", "kein Datum")),
    Pruefregel("massnahme_verkehrt", "Fehler", "Ende vor Beginn",
               "Bei {n:Maßnahme|Maßnahmen} liegt das Ende vor dem Beginn ({werte}).",
               finden=_maske("_verkehrt", "ende", "massnahme_id", "Ende vor Beginn")),
    Pruefregel("massnahme_raum", "Fehler", "Unbekannter Sozialraum", _fremde("raum", "Sozialräume"),
               abhilfe="Sozialräume werden mit Kennung oder Namen genannt, mehrere durch Komma getrennt; "
                       "„stadtweit“ für die ganze Stadt.",
               finden=_maske("_raum_fremd", "sozialraeume", "_raum_fremd_text", "unbekannt")),
    Pruefregel("massnahme_ziel", "Fehler", "Unbekanntes Ziel", _fremde("ziel", "Ziele"),
               abhilfe="Ziele werden mit ihrer Kennung aus dem Zielsystem genannt (z. B. H1).",
               finden=_maske("_ziel_fremd", "ziele", "_ziel_fremd_text", "unbekannt")),
    Pruefregel("massnahme_produkt", "Fehler", "Unbekanntes Produkt", _fremde("produkt", "Produkte"),
               abhilfe="Produkte werden mit ihrer Nummer aus dem Produkthaushalt genannt (z. B. 11.06.03.02).",
               finden=_maske("_produkt_fremd", "produkte", "_produkt_fremd_text", "unbekannt")),
    Pruefregel("massnahme_position", "Fehler", "Haushaltsposition ungültig",
               "{n:Maßnahme nennt|Maßnahmen nennen} eine Position des Teilergebnisplans, die keine ganze Zahl ist "
               "oder zu keinem Produkt gehört (z. B. „{beispiel}“).",
               finden=_maske("_position_falsch", "haushalt_position", "_position_text", "ungültig")),
    Pruefregel("massnahme_handlungsfeld", "Warnung", "Handlungsfeld nicht im Katalog",
               "{n:Maßnahme hat|Maßnahmen haben} ein Handlungsfeld, das der Indikatorenkatalog nicht kennt "
               "({werte}). Bekannt: {handlungsfelder}.",
               finden=_maske("_hf_fremd", "handlungsfeld", "handlungsfeld", "nicht im Katalog")),
    Pruefregel("massnahme_kontakt", "Warnung", "Persönliche Kontaktdaten",
               "{n:Maßnahme enthält|Maßnahmen enthalten} eine E-Mail-Adresse oder Telefonnummer ({werte}).",
               abhilfe="Das Register ist für Ausschuss und Öffentlichkeit bestimmt: bitte Stellen nennen, keine "
                       "persönlichen Kontaktdaten.",
               finden=_maske("_kontakt", "Freitext", "massnahme_id", "Kontaktdaten")),
)

MASSNAHME_JAHRE: tuple[Pruefregel, ...] = (
    Pruefregel("massnahme_jahr", "Fehler", "Ungültiges Jahr",
               "{n:Angabe hat|Angaben haben} kein gültiges Jahr (z. B. „{beispiel}“; erwartet 1990 bis 2100).",
               finden=lambda d, k: zeilen(d, d["_jahr_falsch"], "jahr", "jahr_text", "kein Jahr")),
    Pruefregel("massnahme_zahl", "Fehler", "Keine Zahl",
               "{n:Angabe ist|Angaben sind} keine Zahl oder negativ (z. B. „{beispiel}“).",
               finden=lambda d, k: zeilen(d, d["_zahl_falsch"], "", "text", d["spalte"])),
)

MASSNAHME_EVALUATIONEN: tuple[Pruefregel, ...] = (
    Pruefregel("massnahme_eval_datum", "Fehler", "Evaluation ohne gültiges Datum",
               "{n:Evaluation hat|Evaluationen haben} kein gültiges Datum (z. B. „{beispiel}“).",
               finden=lambda d, k: zeilen(d, d["_datum_falsch"], "evaluation_datum", "datum_text", "kein Datum")),
    Pruefregel("massnahme_eval_methode", "Fehler", "Unbekannte Evaluationsmethode",
               "{n:Evaluation hat|Evaluationen haben} eine unbekannte Methode (z. B. „{beispiel}“). Erlaubt: "
               + ", ".join(METHODEN) + ".",
               finden=lambda d, k: zeilen(d, d["_methode_falsch"], "evaluation_methode", "methode_text", "unbekannt")),
    Pruefregel("massnahme_eval_ergebnis", "Fehler", "Unbekanntes Evaluationsergebnis",
               "{n:Evaluation hat|Evaluationen haben} ein unbekanntes Ergebnis (z. B. „{beispiel}“). Erlaubt: "
               + ", ".join(ERGEBNISSE) + ".",
               finden=lambda d, k: zeilen(d, d["_ergebnis_falsch"], "evaluation_ergebnis", "ergebnis_text",
                                          "unbekannt")),
    Pruefregel("massnahme_eval_doppelt", "Fehler", "Zwei Evaluationen am selben Tag",
               "{n:Maßnahme hat|Maßnahmen haben} zwei Evaluationen mit demselben Datum ({werte}).",
               finden=lambda d, k: zeilen(d, d["_doppelt"], "evaluation_datum", "massnahme_id", "doppelt")),
)

MASSNAHME_ERGEBNIS: tuple[Pruefregel, ...] = (
    KEINE_AENDERUNG["massnahmen"],
    Pruefregel("massnahme_teillieferung", "Hinweis", "Nicht genannte Maßnahmen bleiben",
               "{n:Maßnahme des Registers steht|Maßnahmen des Registers stehen} nicht in der Lieferung ({werte}); "
               "sie bleiben unverändert.", ohne_detail),
)

#: Every check of a Maßnahmen delivery, in the order applied (for the registry and ``python -m fis pruefungen``).
MASSNAHME_REGELN = MASSNAHME_KOPF + MASSNAHME_ZEILEN + MASSNAHME_JAHRE + MASSNAHME_EVALUATIONEN + MASSNAHME_ERGEBNIS

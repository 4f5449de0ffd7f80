"""The checks of a values delivery as tables (see :mod:`fis.ingest.pruefregeln`): :data:`WERTE_LESEN` while the
file is read (formulas, numbers, Stichtage, status, areas by name — found by the steps of
:mod:`fis.ingest.werte` and :mod:`fis.ingest.gebiete` under the rule's id) and :data:`WERTE_REGELN` against the
store (queries of :data:`fis.store.pruefung.PRUEFABFRAGEN`, same id) and the delivered rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from fis.format import fmt_anzahl, fmt_zahl
from fis.ingest.pruefregeln import Funde, Kontext, Pruefregel, eine_zeile, liste, ohne_detail


def _tag(d) -> str:
    return "heute" if pd.isna(d) else f"{pd.Timestamp(d):%d.%m.%Y}"


# ---------------------------------------------------------------- unknown or invalid areas

def _raum_hinweis(funde: Funde) -> Callable[[str], str]:
    hints = funde["raum_vorschlag"].set_index("id")

    def hinweis(raum_id: str) -> str:
        if raum_id not in hints.index:
            return ""
        h = hints.loc[raum_id]
        if h["nullen"]:
            return f"führende Nullen verloren? gemeint ist wohl {h['vorschlag']} ({h['name']})"
        if h["ist_name"]:
            return f"das ist ein Name; die Kennung ist {h['vorschlag']}"
        return f"meinten Sie {h['vorschlag']} ({h['name']})?" if h["aehnlichkeit"] >= 0.75 else ""
    return hinweis


def _raum_unbekannt_meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    hints = funde["raum_vorschlag"].set_index("id")
    einmal = u.drop_duplicates("raum_id")
    zeilen = u["zeile"].nunique() if "zeile" in u else len(u)
    text = (f"{fmt_anzahl(zeilen, 'Zeile', 'Zeilen')} mit "
            f"{fmt_anzahl(u['raum_id'].nunique(), 'unbekannter Raum-Kennung', 'unbekannten Raum-Kennungen')}: "
            f"{liste(u['raum_id'].unique())}.")
    namen = [f"„{r}“ ist ein Name; die Kennung ist {hints.loc[r, 'vorschlag']}"
             for r in einmal["raum_id"] if r in hints.index and hints.loc[r, "ist_name"]]
    if namen:
        text += " " + "; ".join(namen[:3]) + "."
    if len(hints) and bool(hints["nullen"].any()):
        return text + (" Einige Kennungen haben ihre führenden Nullen verloren (typisch nach Excel). "
                       "Die Option „führende Nullen ergänzen“ repariert das.")
    return text + " Bitte die Kennungen prüfen oder zuerst die Raumgliederung liefern."


def _raum_unbekannt_detail(u: pd.DataFrame, funde: Funde, k: Kontext) -> pd.DataFrame:
    # once per value: in a wide file every indicator column would repeat the same area
    einmal = u.drop_duplicates("raum_id")
    return einmal.assign(spalte=k.spalte("raum"), wert=einmal["raum_id"], hinweis=einmal["raum_id"].map(
        _raum_hinweis(funde)))


def _raum_ungueltig_detail(u: pd.DataFrame, funde: Funde, k: Kontext) -> pd.DataFrame:
    return u.assign(spalte=k.spalte("raum"), wert=u["raum_id"],
                    hinweis=[f"gilt von {_tag(v)} bis {_tag(b)}, Stichtag {pd.Timestamp(s):%d.%m.%Y}"
                             for v, b, s in zip(u["von"], u["bis"], u["stichtag"], strict=True)])


def _raum_ungueltig_meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    first = _raum_ungueltig_detail(u.head(1), funde, k).iloc[0]
    return (fmt_anzahl(len(u), "Zeile nennt einen Raum, der am Stichtag nicht gilt",
                       "Zeilen nennen Räume, die am Stichtag nicht gelten")
            + f" (z. B. {first['raum_id']}: {first['hinweis']}).")


# ---------------------------------------------------------------- indicators

def _indikator_detail(u: pd.DataFrame, funde: Funde, k: Kontext) -> pd.DataFrame:
    hints = funde["indikator_vorschlag"].set_index("id")["vorschlag"]
    return u.assign(spalte=k.spalte("indikator"), wert=u["indikator_id"],
                    hinweis=u["indikator_id"].map(lambda i: f"meinten Sie {hints[i]}?" if i in hints else ""))


# ---------------------------------------------------------------- values

def _unmoeglich_meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    gruende = u["grund"].value_counts()
    return (f"{fmt_anzahl(len(u), 'unmöglicher Wert', 'unmögliche Werte')}: "
            + ", ".join(f"{n}× {g}" for g, n in gruende.items()) + ".")


def _fehlende_meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    per = u.groupby("indikator_id")["raum_id"].agg(list)
    text = "; ".join(f"{i}: {len(r)} ({liste(r, 3)})" for i, r in per.head(5).items())
    return f"Für {fmt_anzahl(u['raum_id'].nunique(), 'Sozialraum', 'Sozialräume')} fehlen Werte ({text})."


def _zukunft(werte: pd.DataFrame, k: Kontext) -> pd.DataFrame:
    return werte[pd.to_datetime(werte["stichtag"]) > pd.Timestamp(k.heute)]


WERTE_REGELN: tuple[Pruefregel, ...] = (
    Pruefregel(
        "raum_unbekannt", "Fehler", "Unbekannter Raum", _raum_unbekannt_meldung, _raum_unbekannt_detail),
    Pruefregel(
        "raum_ungueltig", "Fehler", "Raum gilt nicht am Stichtag", _raum_ungueltig_meldung, _raum_ungueltig_detail,
        "Gehört die Datei zu einem anderen Zuschnitt?"),
    Pruefregel(
        "indikator_unbekannt", "Fehler", "Unbekannter Indikator",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Zeile', 'Zeilen')} mit unbekannten Indikatoren: "
                        f"{liste(u['indikator_id'].unique())}.",
        _indikator_detail, "Bitte die Kennung korrigieren oder den Indikator zuerst im Katalog anlegen."),
    Pruefregel(
        "berechnet", "Fehler", "Berechneter Indikator",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Zeile liefert', 'Zeilen liefern')} Werte für Versorgungsgrade "
                        f"({liste(u['indikator_id'].unique())}), die aus dem Einrichtungsregister und der "
                        "Zielgruppe berechnet werden.",
        lambda u, f, k: u.assign(spalte=k.spalte("indikator"), wert=u["indikator_id"], hinweis="berechnet"),
        "Bitte diese Spalten weglassen; Plätze kommen mit dem Einrichtungsregister (Datenpflege › Einrichtungen)."),
    Pruefregel(
        "doppelt", "Fehler", "Doppelter Schlüssel",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Zeile liefert', 'Zeilen liefern')} denselben Raum, Indikator und "
                        "Stichtag mehrfach.",
        lambda u, f, k: u.assign(wert=u["raum_id"] + " / " + u["indikator_id"],
                                 hinweis=u["erste"].map(lambda e: f"wie Zeile {e}")),
        "Bitte Dubletten entfernen."),
    Pruefregel(
        "unmoeglich", "Fehler", "Unmöglicher Wert", _unmoeglich_meldung,
        lambda u, f, k: u.assign(wert=u["wert"].map(lambda w: f"{w:g}" if pd.notna(w) else ""),
                                 spalte=u["indikator_id"], hinweis=u["grund"])),
    Pruefregel(
        "widerspruch", "Warnung", "Wert passt nicht zu Zähler/Nenner",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Wert weicht', 'Werte weichen')} vom Quotienten aus Zähler und "
                        "Nenner ab. Gespeichert wird der gelieferte Wert.",
        lambda u, f, k: u.assign(spalte=u["indikator_id"], wert=u["wert"].map(lambda w: f"{w:g}"),
                                 hinweis=u["berechnet"].map(lambda b: f"Zähler/Nenner ergibt {b:.4g}")),
        "Bitte die Berechnung in der Quelle prüfen."),
    Pruefregel(
        "sprung", "Warnung", "Unplausibler Sprung",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Wert hat', 'Werte haben')} sich gegenüber dem letzten Stichtag mehr "
                        "als verdoppelt oder mehr als halbiert.",
        lambda u, f, k: u.assign(spalte=u["indikator_id"], wert=u["wert"].map(lambda w: f"{w:g}"),
                                 hinweis=[f"vorher {a:g} am {pd.Timestamp(s):%d.%m.%Y}"
                                          for a, s in zip(u["alt"], u["alt_stichtag"], strict=True)]),
        "Bitte prüfen, ob Einheit und Abgrenzung gleich geblieben sind."),
    Pruefregel(
        "fehlende_raeume", "Warnung", "Fehlende Sozialräume", _fehlende_meldung,
        lambda u, f, k: pd.DataFrame({"zeile": pd.NA, "spalte": u["indikator_id"], "wert": u["raum_id"],
                                      "hinweis": "fehlt: " + u["name"]}),
        "Die Gesamtwerte höherer Ebenen gelten dann als unvollständig.", anzahl=len),
    Pruefregel(
        "zukunft", "Fehler", "Stichtag in der Zukunft",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Zeile hat', 'Zeilen haben')} einen Stichtag nach dem heutigen Tag "
                        f"({k.heute:%d.%m.%Y}).",
        lambda u, f, k: pd.DataFrame({"zeile": u["zeile"], "wert": u["stichtag"].map(lambda d: f"{d:%d.%m.%Y}"),
                                      "hinweis": "Zukunft"}),
        finden=_zukunft),
)




# ---------------------------------------------------------------- reading the file

def _keine_zahl(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    teile = [f"Spalte „{s}“: {fmt_anzahl(n, 'Zelle ist', 'Zellen sind')} keine Zahl"
             for s, n in u["spalte"].value_counts(sort=False).items()]
    return (liste(teile, 4) + f" (erwartet z. B. {k.felder['zahl_beispiel']}). Fehlwerte wie „k.A.“ oder „-“ sind "
            "erlaubt; andere Kennungen in der Zuordnung unter „fehlwerte“ eintragen.")


def _stichtag_ungueltig(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    text = f"{fmt_anzahl(len(u), 'Stichtag ist', 'Stichtage sind')} kein Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)."
    if u["hinweis"].str.startswith("Excel").any():
        text += " Einige sehen aus wie Excel-Seriennummern; bitte die Spalte als Datum formatieren."
    return text


def _stichtag_widerspruch(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    return " ".join(f"Die Spalten „{k.spalte('stichtag')}“ und „{s}“ nennen in "
                    f"{fmt_anzahl(n, 'Zeile', 'Zeilen')} verschiedene Stichtage."
                    for s, n in u["spalte"].value_counts(sort=False).items())


def _unbenutzt(schwere) -> Pruefregel:
    return Pruefregel(
        "werte_spalte_unbenutzt" + ("_breit" if schwere == "Warnung" else ""), schwere, "Spalte nicht verwendet",
        lambda u, f, k: f"{fmt_anzahl(len(u), 'Spalte wird', 'Spalten werden')} nicht übernommen: "
                        f"{liste([f'„{s}“' for s in u['spalte']], 6)}.",
        abhilfe="Falls sie Indikatoren enthalten, bitte in der Zuordnung einem Indikator zuweisen (oder den "
                "Indikator im Katalog anlegen).")


def _beispiele(u: pd.DataFrame, n: int = 3) -> str:
    return liste(list(u["beispiel"]), n)


#: The checks while a values file is read: each step of :mod:`fis.ingest.werte` and :mod:`fis.ingest.gebiete`
#: hands its findings over under the rule's id (rows in the detail columns zeile, spalte, wert, hinweis).
WERTE_LESEN: tuple[Pruefregel, ...] = (
    Pruefregel("werte_tabelle", "Hinweis", "Tabelle gelesen", lambda u, f, k: " ".join(u["hinweis"]),
               ohne_detail),
    Pruefregel("werte_formel", "Fehler", "Formel statt Wert",
               "{n:Zeile enthält eine Formel|Zeilen enthalten Formeln} (beginnend mit = + - @).",
               abhilfe="Bitte in der Tabellenkalkulation „Werte einfügen“ verwenden und erneut exportieren."),
    Pruefregel("werte_raum_fehlt", "Fehler", "Raum fehlt", "{n:Zeile|Zeilen} ohne Raum-Kennung."),
    Pruefregel("werte_dezimal_gemischt", "Fehler", "Gemischte Dezimalschreibweise",
               "{komma_anzahl} mit Dezimalkomma und {punkt_anzahl} mit Dezimalpunkt.",
               lambda u, f, k: u.head(200), "Bitte einheitlich schreiben oder die Schreibweise in der Zuordnung "
               "festlegen („dezimal“)."),
    Pruefregel("werte_keine_zahl", "Fehler", "Keine Zahl", _keine_zahl),
    Pruefregel("werte_nullzeilen", "Hinweis", "Nullzeilen als fehlend",
               "{n:Zeile enthält nur Nullen und wird|Zeilen enthalten nur Nullen und werden} wie vereinbart als "
               "fehlend behandelt (nicht übernommen)."),
    Pruefregel("werte_stichtag_ungueltig", "Fehler", "Ungültiger Stichtag", _stichtag_ungueltig),
    Pruefregel("werte_stichtag_aus_datei", "Hinweis", "Stichtag aus der Datei",
               "Die Stichtage stehen in der Spalte „{stichtag_spalte}“; der für die Datei angegebene Stichtag "
               "{stichtag_datei} wird nicht verwendet.", ohne_detail,
               finden=lambda d, k: eine_zeile(bool(k.felder.get("stichtag_datei")) and bool(k.spalte("stichtag")))),
    Pruefregel("werte_status", "Fehler", "Ungültiger Status",
               "{n:Zeile hat|Zeilen haben} einen Status außer „endgültig“/„vorläufig“."),
    Pruefregel("werte_leer", "Hinweis", "Leere Werte",
               "{n:Wert ist leer oder als fehlend gekennzeichnet und wird|Werte sind leer oder als fehlend "
               "gekennzeichnet und werden} nicht übernommen.", lambda u, f, k: u.head(1000)),
    Pruefregel("werte_stichtag_widerspruch", "Fehler", "Zwei Stichtag-Spalten widersprechen sich",
               _stichtag_widerspruch, abhilfe="Bitte klären, welche gilt, und die andere Spalte entfernen."),
    Pruefregel("werte_spalte_vertippt", "Fehler", "Spalte wie ein Indikator, aber nicht zugeordnet",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Spalte sieht', 'Spalten sehen')} aus wie Indikatoren des "
                               "Katalogs, sind aber keinem zugeordnet: "
                               + liste([f"„{s}“ ({h})" for s, h in zip(u["spalte"], u["hinweis"], strict=True)], 6)
                               + ". Ihre Werte gingen sonst verloren.",
               abhilfe="Bitte in der Zuordnung dem Indikator zuweisen oder die Spalte aus der Datei entfernen."),
    _unbenutzt("Warnung"),
    _unbenutzt("Hinweis"),
    Pruefregel("werte_nullen_ergaenzt", "Hinweis", "Führende Nullen ergänzt",
               lambda u, f, k: fmt_anzahl(int(u["anzahl"].sum()), "Raum-Kennung hatte ihre führenden Nullen verloren "
                                          "und wurde", "Raum-Kennungen hatten ihre führenden Nullen verloren und "
                                          "wurden") + f" ergänzt (z. B. {_beispiele(u)}).",
               ohne_detail, anzahl=lambda u: int(u["anzahl"].sum())),
    Pruefregel("werte_gebiet_name", "Hinweis", "Gebiete über den Namen zugeordnet",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Gebiet', 'Gebiete')} über den Namen zugeordnet "
                               f"(z. B. {_beispiele(u)})."),
    Pruefregel("werte_gesamt", "Hinweis", "Gesamtwerte erkannt",
               lambda u, f, k: f"Die Zeilen {liste([f'„{w}“' for w in u['wert']], 3)} sind Werte der Gesamtstadt "
                               f"({u['hinweis'].iloc[0]}) und werden als gelieferte Gesamtwerte gespeichert.",
               ohne_detail),
    Pruefregel("werte_gebiet_widerspruch", "Fehler", "Kennung und Name widersprechen sich",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Gebietsangabe nennt', 'Gebietsangaben nennen')} eine Kennung "
                               f"mit dem Namen eines anderen Gebiets (z. B. {_beispiele(u)}).",
               abhilfe="Bitte Kennung oder Name in der Datei korrigieren."),
    Pruefregel("werte_gebiet_mehrdeutig", "Fehler", "Gebietsname mehrdeutig",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Gebietsname passt', 'Gebietsnamen passen')} auf mehrere "
                               f"Gebiete ({_beispiele(u)}).", abhilfe="Bitte die Kennung angeben."),
    Pruefregel("werte_name_falsch", "Fehler", "Kennung und Name widersprechen sich",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Zeile nennt', 'Zeilen nennen')} zu einer Kennung einen anderen "
                               f"Namen als die Raumgliederung (z. B. {_beispiele(u)}).",
               abhilfe="Ist die Datei verrutscht, oder gehört sie zu einem anderen Zuschnitt?"),
    Pruefregel("werte_keine", "Fehler", "Keine Werte",
               "Die Datei enthält nach der Zuordnung keine übernehmbaren Werte.", ohne_detail),
    Pruefregel("werte_quote_ungeprueft", "Warnung", "Quote ohne Zähler/Nenner",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Anteilswert kommt', 'Anteilswerte kommen')} ohne Nenner: "
                               "gespeichert, aber nicht zu höheren Raumebenen zusammenzufassen. Bei "
                               f"{fmt_zahl(int(u['ungeprueft'].sum()), 0)} ohne Zähler und Nenner lässt sich auch "
                               "nicht prüfen, ob eine kleine Fallzahl dahintersteht (Geheimhaltung): diese Werte "
                               "werden ungeschützt gezeigt.", ohne_detail,
               "Bitte Zähler und Nenner mitliefern."),
    Pruefregel("werte_quote_ohne_nenner", "Hinweis", "Quote ohne Zähler/Nenner",
               "{n:Anteilswert kommt|Anteilswerte kommen} ohne Nenner: gespeichert, aber nicht zu höheren "
               "Raumebenen zusammenzufassen.", ohne_detail),
)

"""The checks of a facility delivery (Einrichtungsregister) as tables (see :mod:`fis.ingest.pruefregeln`):
the header, each row, each capacity cell, and the result against the register. :mod:`fis.ingest.einrichtungen`
computes the columns they read — the type understood, the dates and coordinates parsed (``_…_falsch``), where
a facility lies (``_aussen``, ``_ohne``) — and the ``felder`` of the context: ``erlaubt`` (the configured types),
``erwartet`` (the capacity columns), ``crs_erkannt`` and the examples of possible duplicates.
"""

from __future__ import annotations

import pandas as pd

from fis.format import fmt_anzahl
from fis.ingest.pruefregeln import KEINE_AENDERUNG, Funde, Kontext, Pruefregel, eine_zeile, liste, ohne_detail, zeilen

PFLICHT = ("einrichtung_id", "typ", "name")
DUBLETTEN = {"adresse": "Name und Adresse", "standort": "Standort"}



def _maske(spalte: str, feld: str = "", wert: str | None = None, hinweis: str = ""):
    """``finden`` of the rows where the flag column ``spalte`` holds."""
    return lambda d, k: zeilen(d, d[spalte], feld, wert, hinweis)


def _zellen(spalte: str, hinweis: str = "", hinweis_aus: str | None = None):
    """``finden`` of the capacity cells where the flag column ``spalte`` holds."""
    def finden(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
        t = d[d[spalte]]
        return pd.DataFrame({"zeile": t["zeile"], "spalte": t["spalte"], "wert": t["wert"],
                             "hinweis": t[hinweis_aus] if hinweis_aus else hinweis})
    return finden


def _je_spalte(einzahl: str, mehrzahl: str, satz: str = "{anzahl}"):
    """„Spalte „x“: 2 Angaben sind keine Zahl; Spalte „y“: …“ for findings in capacity cells."""
    def meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
        return "; ".join(f"Spalte „{s}“: " + satz.format(anzahl=fmt_anzahl(n, einzahl, mehrzahl))
                         for s, n in u["spalte"].value_counts(sort=False).items()) + "."
    return meldung


EINRICHTUNG_KOPF: tuple[Pruefregel, ...] = (
    Pruefregel("einrichtung_keine_kapazitaet", "Warnung", "Keine Kapazitäten",
               "Die Datei hat keine Spalte mit einer Kapazitätsart (erwartet: {erwartet}); Versorgungsgrade zählen "
               "dann 0 Plätze.", ohne_detail, finden=lambda d, k: eine_zeile(not (d["art"] == "kapazitaet").any())),
    Pruefregel("einrichtung_spalte_unbenutzt", "Hinweis", "Spalten nicht verwendet", "Nicht verwendet: {werte}.",
               ohne_detail, finden=lambda d, k: d[d["art"] == ""]),
)

EINRICHTUNG_ZEILEN: tuple[Pruefregel, ...] = (
    Pruefregel("einrichtung_pflicht", "Fehler", "Pflichtangabe fehlt", "{n:Zeile|Zeilen} ohne Kennung, Typ oder Name.",
               finden=lambda d, k: zeilen(d, d[list(PFLICHT)].eq("").any(axis=1), "", None, "leer")),
    Pruefregel("einrichtung_typ", "Fehler", "Unbekannter Typ",
               "{n:Einrichtung hat|Einrichtungen haben} einen Typ, den einrichtungen.yaml nicht kennt (z. B. "
               "„{beispiel}“). Erlaubt: {erlaubt}.", finden=_maske("_typ_unbekannt", "typ", "typ", "unbekannt")),
    *(Pruefregel(f"einrichtung_datum_{feld}", "Fehler", "Ungültiges Datum",
                 f"„{feld}“: {{n:Angabe ist|Angaben sind}} kein Datum (erwartet TT.MM.JJJJ oder ein Jahr).",
                 finden=_maske(f"_{feld}_falsch", feld, f"_{feld}_text", "kein Datum"))
      for feld in ("eroeffnet", "geschlossen")),
    Pruefregel("einrichtung_verkehrt", "Fehler", "Geschlossen vor Eröffnung",
               "{n:Einrichtung schließt|Einrichtungen schließen} vor oder an ihrem Eröffnungsdatum.",
               finden=_maske("_verkehrt", "geschlossen", "_geschlossen_text", "vor der Eröffnung")),
    Pruefregel("einrichtung_koordinate_zahl", "Fehler", "Koordinate keine Zahl",
               "{n:Koordinate ist|Koordinaten sind} keine Zahl.",
               finden=_maske("_koordinate_falsch", "lon/lat", "_koordinate_text", "keine Zahl")),
    Pruefregel("einrichtung_koordinate_halb", "Fehler", "Koordinate unvollständig",
               "{n:Einrichtung hat|Einrichtungen haben} nur eine Koordinate.",
               finden=_maske("_halb", "lon/lat", None, "nur eine Angabe")),
    Pruefregel("einrichtung_crs", "Hinweis", "Koordinatensystem erkannt",
               "Die Koordinaten sind Rechts-/Hochwerte; gelesen als {crs_erkannt}.", ohne_detail,
               "Falls das nicht stimmt, bitte das Koordinatensystem angeben.",
               finden=lambda d, k: eine_zeile(bool(k.felder.get("crs_erkannt")))),
    Pruefregel("einrichtung_ausserhalb", "Fehler", "Außerhalb der Stadt",
               "{n:Einrichtung liegt|Einrichtungen liegen} außerhalb des Stadtgebiets (keine Fläche der "
               "Raumgliederung enthält sie).", abhilfe="Stimmen Koordinaten und Koordinatensystem?",
               finden=_maske("_aussen", "lon/lat", "_lonlat_text", "außerhalb")),
    Pruefregel("einrichtung_ohne_standort", "Fehler", "Ohne Standort",
               "{n:Einrichtung hat|Einrichtungen haben} weder Koordinaten noch einen Sozialraum (Spalte „raum_id“).",
               finden=_maske("_ohne", "", None, "kein Standort")),
    Pruefregel("einrichtung_raum", "Fehler", "Unbekannter Sozialraum",
               "{n:Einrichtung nennt|Einrichtungen nennen} einen Sozialraum, den die Raumgliederung nicht kennt.",
               finden=_maske("_raum_fremd", "raum_id", "raum_id", "unbekannt")),
    Pruefregel("einrichtung_lage", "Hinweis", "Lage aus Koordinaten",
               "Wo Koordinaten vorliegen, bestimmen sie den Sozialraum (zu jedem Stichtag nach der dann gültigen "
               "Raumgliederung); die Spalte „raum_id“ gilt nur ohne.", ohne_detail,
               finden=_maske("_raum_ueberschrieben")),
    Pruefregel("einrichtung_doppelt", "Fehler", "Kennung doppelt",
               "{n:Kennung steht|Kennungen stehen} mehrfach in der Datei.",
               finden=_maske("_doppelt", "einrichtung_id", "einrichtung_id", "mehrfach"),
               anzahl=lambda u: u["wert"].nunique()),
    *(Pruefregel(f"einrichtung_dublette_{art}", "Warnung", "Mögliche Dublette",
                 f"{{n:Einrichtung|Einrichtungen}} gleichen Typs mit gleichem {merkmal} wie eine andere unter anderer "
                 f"Kennung (z. B. {{dublette_{art}}}).", abhilfe="Bitte prüfen, ob dieselbe Einrichtung zweimal "
                 "geliefert wird.", finden=_maske(f"_dublette_{art}", "einrichtung_id", "einrichtung_id", merkmal))
      for art, merkmal in DUBLETTEN.items()),
)

EINRICHTUNG_KAPAZITAETEN: tuple[Pruefregel, ...] = (
    Pruefregel("einrichtung_kapazitaet_zahl", "Fehler", "Kapazität keine Zahl",
               _je_spalte("Angabe ist", "Angaben sind", "{anzahl} keine Zahl"),
               finden=_zellen("_keine_zahl", "keine Zahl")),
    Pruefregel("einrichtung_kapazitaet_negativ", "Fehler", "Kapazität negativ",
               _je_spalte("negative Angabe", "negative Angaben"),
               finden=_zellen("_negativ", "negativ")),
    Pruefregel("einrichtung_kapazitaet_typ", "Warnung", "Kapazität passt nicht zum Typ",
               lambda u, f, k: f"{fmt_anzahl(u['zeile'].nunique(), 'Einrichtung hat', 'Einrichtungen haben')} "
                               f"„{liste(u['spalte'].unique())}“, obwohl ihr Typ diese Kapazität nicht vorsieht; sie "
                               "wird gespeichert, zählt aber in keinem Versorgungsgrad dieses Typs.",
               finden=_zellen("_fremd", hinweis_aus="typ")),
)

EINRICHTUNG_ERGEBNIS: tuple[Pruefregel, ...] = (
    Pruefregel("einrichtung_teillieferung", "Hinweis", "Teillieferung",
               "{n:Einrichtung des Registers steht|Einrichtungen des Registers stehen} nicht in der Datei; sie bleiben "
               "unverändert. Eine geschlossene Einrichtung bitte mit Datum in „geschlossen“ liefern.", ohne_detail),
    KEINE_AENDERUNG["einrichtungen"],
)

#: Every check of a facility delivery, in the order they are applied.
EINRICHTUNG_REGELN = EINRICHTUNG_KOPF + EINRICHTUNG_ZEILEN + EINRICHTUNG_KAPAZITAETEN + EINRICHTUNG_ERGEBNIS

"""The checks of a boundary delivery (Raumgliederung) as tables (see :mod:`fis.ingest.pruefregeln`): one row per
delivered object (``zeile`` = object number), with the flags :mod:`fis.ingest.raeume` computes while it reads,
reprojects and repairs the geometries (``_leer``, ``_keine_flaeche``, ``_repariert``, ``_ungueltig`` with the
reason in ``_grund``; ``_doppelt``; ``_eltern_fehlt``), then the result against the stored scheme.
"""

from __future__ import annotations

import pandas as pd

from fis.format import fmt_anzahl
from fis.ingest.pruefregeln import Funde, Kontext, Pruefregel, eine_zeile, liste, ohne_detail, zeilen


def _doppelt_meldung(u: pd.DataFrame, funde: Funde, k: Kontext) -> str:
    return (f"{fmt_anzahl(len(u), 'Objekt teilt', 'Objekte teilen')} sich "
            f"{fmt_anzahl(u['wert'].nunique(), 'Kennung', 'Kennungen')} ({liste(u['wert'].unique())}).")


#: The checks of each delivered object.
RAUM_OBJEKTE: tuple[Pruefregel, ...] = (
    Pruefregel("grenze_numerisch", "Warnung", "Numerische Kennungen",
               lambda u, f, k: f"Die Spalte „{k.spalte('kennung')}“ ist als Zahl gespeichert; führende Nullen können "
                               "verloren sein.", ohne_detail,
               "Bitte prüfen, ob die Kennungen zu den Datenlieferungen passen.",
               finden=lambda d, k: eine_zeile(bool(k.felder["numerisch"]))),
    Pruefregel("grenze_kennung_ersetzt", "Hinweis", "Kennung ersetzt",
               lambda u, f, k: "; ".join(u["hinweis"]) + " (laut Zuordnung)."),
    Pruefregel("grenze_leer", "Fehler", "Leere Geometrie", "{n:Objekt hat|Objekte haben} keine Geometrie.",
               finden=lambda d, k: zeilen(d, d["_leer"], "", None, "keine Geometrie")),
    Pruefregel("grenze_keine_flaeche", "Fehler", "Keine Fläche",
               "{n:Objekt ist keine Fläche|Objekte sind keine Flächen} (z. B. {beispiel}). Räume brauchen Polygone.",
               finden=lambda d, k: zeilen(d, d["_keine_flaeche"], "", "_grund", d["_grund"])),
    Pruefregel("grenze_repariert", "Warnung", "Geometrie repariert",
               "{n:ungültige Geometrie wurde|ungültige Geometrien wurden} repariert (Fläche unverändert).",
               finden=lambda d, k: zeilen(d, d["_repariert"], "", None, d["_grund"])),
    Pruefregel("grenze_ungueltig", "Fehler", "Ungültige Geometrie",
               "{n:Geometrie ist ungültig und lässt|Geometrien sind ungültig und lassen} sich nicht ohne "
               "Flächenänderung reparieren (z. B. selbstüberschneidende Ränder).", abhilfe="Bitte im GIS korrigieren.",
               finden=lambda d, k: zeilen(d, d["_ungueltig"], "", None, d["_grund"])),
    Pruefregel("grenze_ausserhalb", "Warnung", "Lage außerhalb Deutschlands",
               "Die Flächen liegen (teilweise) außerhalb Deutschlands ({lage}).", ohne_detail,
               "Stimmt das Koordinatensystem?", finden=lambda d, k: eine_zeile(bool(k.felder["lage"]))),
    Pruefregel("grenze_pflicht", "Fehler", "Kennung oder Name fehlt", "{n:Objekt|Objekte} ohne Kennung oder Name.",
               finden=lambda d, k: zeilen(d, (d["raum_id"] == "") | (d["name"] == ""), "", None, "leer")),
    Pruefregel("grenze_doppelt", "Fehler", "Doppelte Kennung", _doppelt_meldung,
               abhilfe="Bitte in der Quelle bereinigen oder in der Zuordnung unter „kennung_ersetzen“ je "
                       "Objektnummer die richtige Kennung angeben.",
               finden=lambda d, k: zeilen(d, d["_doppelt"], k.spalte("kennung"), "raum_id", d["_lage"])),
    Pruefregel("grenze_stadt_angelegt", "Hinweis", "Gesamtstadt angelegt",
               "Die Gesamtstadt „{stadtname}“ (Kennung {neue_stadt}) wird aus den Flächen gebildet.", ohne_detail,
               finden=lambda d, k: eine_zeile(bool(k.felder["neue_stadt"]))),
    Pruefregel("grenze_eltern", "Fehler", "Übergeordnete Einheit unbekannt",
               lambda u, f, k: f"{fmt_anzahl(len(u), 'Objekt verweist', 'Objekte verweisen')} auf übergeordnete "
                               f"Einheiten, die am {k.felder['gueltig_von']} auf Ebene {k.felder['ebene_oben']} nicht "
                               f"existieren ({liste(u['wert'].unique())}).",
               abhilfe="Bitte zuerst die höhere Ebene liefern.",
               finden=lambda d, k: zeilen(d, d["_eltern_fehlt"], "", "parent_id", "übergeordnete Einheit fehlt")),
    Pruefregel("grenze_andere_ebene", "Fehler", "Kennung auf anderer Ebene",
               "{n:Kennung gibt|Kennungen gibt} es bereits auf einer anderen Ebene ({werte}).", ohne_detail),
)

#: What the delivery does to the stored scheme (found in the store).
RAUM_FASSUNG: tuple[Pruefregel, ...] = (
    Pruefregel("grenze_korrektur", "Hinweis", "Korrektur",
               "{n:Raum gibt|Räume gibt} es mit diesem Beginn schon; die neue Fassung ersetzt die bisherige (die "
               "bisherige bleibt in ihrer Lieferung gespeichert).", ohne_detail),
    Pruefregel("grenze_zuschnitt_endet", "Hinweis", "Bisheriger Zuschnitt endet",
               "{n:bisheriger Raum der Ebene {ebene} gilt|bisherige Räume der Ebene {ebene} gelten} bis {vortag}; "
               "für frühere Stichtage bleibt der bisherige Zuschnitt erhalten.", ohne_detail),
)

RAUM_REGELN = RAUM_OBJEKTE + RAUM_FASSUNG

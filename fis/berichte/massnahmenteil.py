"""The measures' share of other reports: the register as the reader may see it and the overview table (the
Steckbrief's „Maßnahmen in diesem Gebiet“ and the Maßnahmenbericht)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis import massnahmen as mn
from fis import planung as pl
from fis.berichte import Abschnitt, Tabelle
from fis.versorgung import sozialraeume_unter


def register_fuer(store, config) -> mn.Register:
    """The register as the store's reader may see it (public: people counts below the threshold withheld)."""
    oeffentlich = bool(getattr(store, "nur_veroeffentlicht", False))
    return mn.lade(store, config.stadt.geheimhaltung_standard if oeffentlich else None)


def uebersicht_tabelle(reg: mn.Register, auswahl: pd.DataFrame, jahr: int, namen: dict[str, str]) -> Tabelle:
    t = mn.uebersicht(reg, auswahl, jahr, namen)[["Kennung", "Maßnahme", "Status", f"Budget {jahr} Plan",
                                                  f"Budget {jahr} Ist", "Evaluation", "Gebiet"]]
    return Tabelle("", t, ["auto", "1.5fr", "auto", "auto", "auto", "1fr", "1fr"], rechts=[3, 4])


def steckbrief_abschnitt(reg: mn.Register, raum: str, m, stichtag: date) -> Abschnitt | None:
    """„Maßnahmen in diesem Gebiet“ for the Steckbrief of ``raum`` (None when none lies there)."""
    hier = mn.im_gebiet(reg, set(sozialraeume_unter(m.raeume, raum, stichtag)))
    hier = hier[hier["status"].isin(mn.OFFEN)]
    if hier.empty:
        return None
    return Abschnitt("Maßnahmen in diesem Gebiet", ebene=2, absaetze=[
        "Geplante und laufende Maßnahmen des Registers in diesem Gebiet (ohne stadtweite)."],
        tabellen=[uebersicht_tabelle(reg, hier, stichtag.year, dict(m.namen()))])


def beteiligung_abschnitt(p: pl.Planungsstand, raum: str, m, stichtag: date) -> Abschnitt | None:
    """„Beteiligung in diesem Gebiet“ for the Steckbrief of ``raum``: the events held for its Sozialräume (None when
    there are none)."""
    hier = pl.beteiligungen(p, sozialraeume=set(sozialraeume_unter(m.raeume, raum, stichtag)), stadtweit=False)
    if hier.empty:
        return None
    t = pl.beteiligungstabelle(p, hier, dict(m.namen())).drop(columns=["Gebiet", "Themen"])
    return Abschnitt("Beteiligung in diesem Gebiet", ebene=2, tabellen=[
        Tabelle("", t, ["auto", "auto", "1.2fr", "1fr", "1.5fr", "auto"])])

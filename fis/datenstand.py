"""Which Stichtag leadership sees first, and how every Stichtag's data state is named.

A Stichtag is **vollständig** when every Sozialraum valid at that date has a value (or is too small
to show one anyway) for each of the Lagebild's core indicators that have values at that date. An
indicator not delivered at all for a date (another rhythm, a series that ended) does not make it
incomplete; five of 51 Sozialräume do. It is **vorläufig** while some of its values come from
deliveries nobody has published yet.

The default Stichtag of every page, role, report and command is the newest one that is complete
among the *published* values — so a partial or unpublished delivery never moves leadership's view.
Newer Stichtage stay selectable and are labelled with their state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fis.format import dativ, fmt_datum, fmt_zahl


@dataclass(frozen=True)
class Stichtagsstand:
    """The data state of one Stichtag in one view (all deliveries, or published ones only)."""

    stichtag: date
    geliefert: int          # Sozialräume with values of every core indicator that has values (the fewest)
    erwartet: int           # Sozialräume valid at the Stichtag
    kernindikatoren: int    # core indicators with values at the Stichtag
    offen: int              # current values from unpublished deliveries (0 in the published view)
    veroeffentlicht_vollstaendig: bool   # complete among the published values

    @property
    def vollstaendig(self) -> bool:
        return self.kernindikatoren > 0 and self.geliefert >= self.erwartet

    @property
    def vorlaeufig(self) -> bool:
        return self.offen > 0

    @property
    def zustand(self) -> str:
        """'' for a complete, published Stichtag; else e.g. 'unvollständig, vorläufig'."""
        teile = []
        if not self.vollstaendig:
            teile.append("unvollständig" if self.kernindikatoren else "ohne Kernindikatoren")
        if self.vorlaeufig:
            teile.append("vorläufig")
        return ", ".join(teile)

    def label(self) -> str:
        """For the Stichtag choice: '31.12.2025 – unvollständig, vorläufig'."""
        return fmt_datum(self.stichtag) + (f" – {self.zustand}" if self.zustand else "")

    def hinweis(self, plural: str = "Sozialräume", mindest_abdeckung: float = 100.0,
                oberebenen: str = "höhere Raumebenen") -> str:
        """The banner every page shows while this Stichtag is chosen ('' when there is nothing to say);
        ``oberebenen``: the higher levels by name ('Stadtbezirke und Gesamtstadt')."""
        saetze = []
        if self.vorlaeufig:
            saetze.append(f"Stichtag {fmt_datum(self.stichtag)}: vorläufig, nicht veröffentlicht – "
                          f"{fmt_zahl(self.offen, 0)} {'Wert stammt' if self.offen == 1 else 'Werte stammen'} "
                          "aus Lieferungen, die noch niemand veröffentlicht hat. Ausschuss und Öffentlichkeit "
                          "sehen sie nicht.")
        if not self.vollstaendig and self.kernindikatoren:
            summen = (f"Summen für {oberebenen} fehlen, solange {plural} fehlen"
                      if mindest_abdeckung >= 100 else
                      f"Summen für {oberebenen} erscheinen erst ab {fmt_zahl(mindest_abdeckung, 0)} % "
                      "Abdeckung, dann mit ihrer Abdeckung")
            anfang = "Unvollständig" if self.vorlaeufig else f"Stichtag {fmt_datum(self.stichtag)}: unvollständig"
            saetze.append(f"{anfang} – Werte für {fmt_zahl(self.geliefert, 0)} von {fmt_zahl(self.erwartet, 0)} "
                          f"{dativ(plural)}; {summen}.")
        elif not self.kernindikatoren:
            saetze.append(f"Stichtag {fmt_datum(self.stichtag)}: für die Kernindikatoren des Lagebilds gibt "
                          "es an diesem Stichtag keine Werte.")
        return " ".join(saetze)


def _stand_je_tag(abdeckung: pd.DataFrame) -> pd.DataFrame:
    """Per Stichtag: geliefert (fewest covered areas over the core indicators with values),
    erwartet, kern (core indicators with values), offen."""
    if abdeckung.empty:
        return pd.DataFrame(columns=["stichtag", "geliefert", "erwartet", "kern", "offen"])
    a = abdeckung.assign(abgedeckt=(abdeckung["geliefert"] + abdeckung["klein"]).clip(
        upper=abdeckung["erwartet"]))
    mit = a[a["geliefert"] > 0]
    je = mit.groupby("stichtag").agg(geliefert=("abgedeckt", "min"), kern=("indikator_id", "nunique"))
    tage = a.groupby("stichtag").agg(erwartet=("erwartet", "max"), offen=("offen", "max"))
    out = tage.join(je, how="left").reset_index()
    out["geliefert"] = out["geliefert"].fillna(0).astype(int)
    out["kern"] = out["kern"].fillna(0).astype(int)
    return out


def stichtagsstaende(abdeckung: pd.DataFrame, abdeckung_veroeffentlicht: pd.DataFrame) -> list[Stichtagsstand]:
    """The state of every Stichtag of a view (``abdeckung``: store.lade_abdeckung of that view),
    with whether it is complete among the published values (``abdeckung_veroeffentlicht``)."""
    eigen = _stand_je_tag(abdeckung)
    pub = _stand_je_tag(abdeckung_veroeffentlicht)
    pub_ok = {r.stichtag for r in pub.itertuples() if r.kern > 0 and r.geliefert >= r.erwartet}
    return [Stichtagsstand(r.stichtag, int(r.geliefert), int(r.erwartet), int(r.kern), int(r.offen),
                           r.stichtag in pub_ok)
            for r in eigen.sort_values("stichtag").itertuples()]


def standard_stichtag(staende: list[Stichtagsstand]) -> date | None:
    """The newest Stichtag complete among the published values; else the newest complete one of this
    view; else the newest published one; else the newest (None without any)."""
    for bedingung in (lambda s: s.veroeffentlicht_vollstaendig,
                      lambda s: s.vollstaendig and not s.vorlaeufig,
                      lambda s: s.vollstaendig,
                      lambda s: True):
        passend = [s.stichtag for s in staende if bedingung(s)]
        if passend:
            return passend[-1]
    return None


def neuere_hinweis(staende: list[Stichtagsstand], standard: date | None) -> str:
    """A note that newer, not yet final Stichtage exist ('' if none)."""
    neuer = [s for s in staende if standard is not None and s.stichtag > standard]
    if not neuer:
        return ""
    teile = ", ".join(f"{fmt_datum(s.stichtag)} ({s.zustand or 'nicht veröffentlicht'})" for s in neuer)
    return (f"Gezeigt wird der letzte vollständige, veröffentlichte Stichtag {fmt_datum(standard)}. "
            f"Neuere Lieferungen: {teile} – in der Stichtagswahl auswählbar.")


def oberebenen_text(config) -> str:
    """The levels above the Sozialraum by name: 'Stadtbezirke und Gesamtstadt'."""
    namen = [e.plural for e in sorted(config.stadt.raumebenen, key=lambda e: e.ebene) if e.ebene > 1]
    return " und ".join([", ".join(namen[:-1]), namen[-1]] if len(namen) > 1 else namen)


def stand_hinweis(stand: Stichtagsstand, config) -> str:
    """:meth:`Stichtagsstand.hinweis` in the words of ``config`` (level names, minimum coverage)."""
    return stand.hinweis(config.ebene(1).plural, config.stadt.mindest_abdeckung, oberebenen_text(config))


def kernindikatoren(config) -> list[str]:
    """The Lagebild's Eckwerte and Handlungsbedarf indicators: what completeness is judged on."""
    lage = config.lagebild
    return list(dict.fromkeys([*lage.kennzahlen, *lage.handlungsbedarf.indikatoren]))


def lade_stichtagsstaende(store, config) -> list[Stichtagsstand]:
    """:func:`stichtagsstaende` for the view of ``store`` (all deliveries or published only)."""
    stadt = config.stadt
    args = (kernindikatoren(config), stadt.einwohner_indikator, stadt.mindest_einwohner)
    eigen = store.lade_abdeckung(*args)
    lief = store.lade_lieferungen()
    # every active delivery published: both views hold the same values (half the time of a large city's first page)
    alle_veroeffentlicht = not ((lief["status"] == "aktiv") & lief["veroeffentlicht_am"].isna()).any()
    pub = eigen if store.nur_veroeffentlicht or alle_veroeffentlicht \
        else store.cursor(nur_veroeffentlicht=True).lade_abdeckung(*args)
    return stichtagsstaende(eigen, pub)

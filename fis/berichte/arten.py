"""The registry of report kinds: one entry per kind, used by the command line (``python -m fis report``), the
Berichte page and the tests. Adding a kind is one entry in :data:`BERICHTSARTEN`.

A report is built from a :class:`Quelle` (where the data come from: loaded directly by the command line,
from the caches of the app) and a :class:`Berichtsauftrag` (what the user chose), so that the page and the
command line produce the same PDF from the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

import pandas as pd

from fis import controlling as ctl
from fis import hochrechnung
from fis import mittelverteilung as mv
from fis.berichte import Bericht, indexbericht, inhalte
from fis.berichte.massnahmenbericht import massnahmenbericht
from fis.berichte.verteilungsbericht import verteilungsbericht
from fis.config import Config
from fis.format import dateiname_sicher
from fis.indizes import index_indikatoren, lade_indexdaten
from fis.lagebild import berechne_lagebild
from fis.maps import anzeige_geometrien
from fis.monitoring import einwohner_je_jahr
from fis.produkte import lade_produkte
from fis.store import Store
from fis.wuerfel import lade_ausschnitt, lade_monitoring


class Quelle(Protocol):
    """Where a report takes its data from (results for the store's view: all or published only)."""

    store: Store
    config: Config

    def monitoring(self, indikatoren: list[str] | None = None): ...
    def ausschnitt(self, stichtag: date, raeume: list[str]): ...
    def controlling(self): ...
    def bewertung(self, jahr: int) -> pd.DataFrame: ...
    def haushaltszeilen(self, jahr: int, monat: int) -> pd.DataFrame: ...
    def lagebild(self, stichtag: date, ebene: int): ...
    def geometrien(self, stichtag: date, ebene: int) -> pd.Series: ...
    def indexdaten(self): ...
    def produkte(self): ...


class DirekteQuelle:
    """The data loaded from the store once per report (command line, scheduled runs)."""

    def __init__(self, store: Store, config: Config):
        self.store, self.config = store, config

    def monitoring(self, indikatoren: list[str] | None = None):
        """Every indicator (None) or the given ones (with the population indicator; none: that one only), each
        selection loaded once: reading a few indicators from the cube is cheap, all of a large city is not."""
        return self._monitoring(None if indikatoren is None else tuple(sorted({str(i) for i in indikatoren})))

    @cache  # noqa: B019 – one report per object; the object lives as long as the report
    def _monitoring(self, indikatoren: tuple[str, ...] | None):
        return lade_monitoring(self.store, self.config, None if indikatoren is None else list(indikatoren))

    def ausschnitt(self, stichtag: date, raeume: list[str]):
        """Every value at ``stichtag`` and the series of ``raeume`` (fis.wuerfel.lade_ausschnitt)."""
        return lade_ausschnitt(self.store, self.config, stichtag, raeume)

    @cache  # noqa: B019
    def controlling(self):
        return ctl.lade_controlling_aus_wuerfel(self.store, self.config)

    def bewertung(self, jahr: int) -> pd.DataFrame:
        return ctl.bewerte_ziele(self.controlling(), jahr, self.config.controlling)

    def haushaltszeilen(self, jahr: int, monat: int) -> pd.DataFrame:
        return hochrechnung.haushaltszeilen(self.controlling(), jahr, monat, self.config.controlling.haushalt)

    def lagebild(self, stichtag: date, ebene: int):
        return berechne_lagebild(self.store, self.config, stichtag, ebene, self.monitoring())

    def geometrien(self, stichtag: date, ebene: int) -> pd.Series:
        return anzeige_geometrien(self.store, stichtag, ebene)

    @cache  # noqa: B019
    def indexdaten(self):
        return lade_indexdaten(self.store, self.config)

    @cache  # noqa: B019
    def produkte(self):
        return lade_produkte(self.store)


@dataclass(frozen=True)
class Berichtsauftrag:
    """What the user chose; each kind reads the fields it needs."""

    stichtag: date | None = None                  # Steckbrief, Monitoring, Sozialindex; Abweichungsbericht: Lagebild
    rhythmus: str = "Quartal"                     # Abweichungsbericht: Berichtsstand des Haushalts
    jahr: int | None = None                       # Abweichungsbericht: Berichtsjahr der Ziele; Produkt: Haushaltsjahr
    raum: str | None = None                       # Steckbrief: one area, or a parent unit for all its areas
    indikatoren: tuple[str, ...] | None = None    # Monitoring: default the Lagebild's
    index: str | None = None                      # Sozialindex
    produkt: str | None = None                    # Produktdatenblatt: product or Produktgruppe
    verteilung: str | None = None                 # Mittelverteilung: the rule (Verteilungsregel.als_json)
    szenario: str | None = None                   # Mittelverteilung: the scenario's name, if saved
    handlungsfeld: str | None = None              # Maßnahmenbericht: one Handlungsfeld (else ``raum``)
    fortschritt: Callable[[float, str], None] | None = None


@dataclass(frozen=True)
class Berichtsart:
    """A kind of PDF report. ``id`` is what ``python -m fis report`` names."""

    id: str
    titel: str
    erstellen: Callable[[Quelle, Berichtsauftrag], Bericht]
    dateiname: Callable[[Quelle, Berichtsauftrag], str]


def _abweichungsbericht(q: Quelle, a: Berichtsauftrag) -> Bericht:
    c = q.controlling()
    jahr, monat = hochrechnung.berichtsstand(c, a.rhythmus)
    ziel_jahr = a.jahr or (a.stichtag.year if a.stichtag else jahr)      # as on the pages: the Stichtag's year
    return inhalte.abweichungsbericht(q.store, q.config, c, q.bewertung(ziel_jahr), q.haushaltszeilen(jahr, monat),
                                      a.rhythmus, ziel_jahr, q.lagebild(a.stichtag, 1) if a.stichtag else None,
                                      a.stichtag)


def _monitoringbericht(q: Quelle, a: Berichtsauftrag) -> Bericht:
    lage = q.config.lagebild
    kern = list(dict.fromkeys([*lage.handlungsbedarf.indikatoren, *lage.kennzahlen]))
    gewaehlt = list(a.indikatoren) if a.indikatoren is not None else None
    fortschritt = (lambda anteil, name: a.fortschritt(0.8 * anteil, f"Karte und Zeitreihe: {name} …")) \
        if a.fortschritt else None
    return inhalte.monitoringbericht(q.store, q.config, q.monitoring([*(gewaehlt or []), *kern]),
                                     q.geometrien(a.stichtag, 1), a.stichtag, gewaehlt, q.lagebild(a.stichtag, 1),
                                     fortschritt, q.bewertung(a.stichtag.year))


def _indexbericht(q: Quelle, a: Berichtsauftrag) -> Bericht:
    ix = next(i for i in q.config.indizes.indizes if i.id == a.index)
    return indexbericht.indexbericht(q.store, q.config, q.indexdaten(), q.monitoring(index_indikatoren(q.config)),
                                q.geometrien(a.stichtag, ix.ebene), ix.id, a.stichtag)


def _produktdatenblatt(q: Quelle, a: Berichtsauftrag) -> Bericht:
    c, p = q.controlling(), q.produkte()
    return inhalte.produktdatenblatt(q.store, q.config, p, c, q.bewertung(hochrechnung.berichtsstand(c)[0]), a.produkt,
                                     a.jahr or p.haushaltsjahr(),
                                     einwohner_je_jahr(q.monitoring([]), q.config.stadt.einwohner_indikator))


def _verteilungsbericht(q: Quelle, a: Berichtsauftrag) -> Bericht:
    regel = mv.Verteilungsregel.aus_json(a.verteilung)
    m = q.monitoring([*index_indikatoren(q.config), *[i for i in (regel.kennung, regel.bezug) if i]])
    oeffentlich = bool(getattr(q.store, "nur_veroeffentlicht", False))
    g = mv.grundlage_fuer(regel, q.config, m, q.indexdaten() if regel.art == "index" else None, oeffentlich)
    return verteilungsbericht(q.store, q.config, mv.verteilung(regel, g), m, q.geometrien(regel.stichtag, regel.ebene),
                              a.szenario)


def steckbrief_gebiete(m, raum: str, stichtag: date) -> list[str]:
    """The areas of a Steckbrief: ``raum`` itself if it is a Sozialraum, else every Sozialraum in it (at
    ``stichtag``); [] if there is no such unit then."""
    gueltig = m.raeume[m.raeume["stichtag"] == stichtag]
    treffer = gueltig[gueltig["raum_id"] == raum]
    if treffer.empty:
        return []
    if int(treffer["ebene"].iloc[0]) == 1:
        return [raum]
    return sorted(gueltig[(gueltig["ebene"] == 1) & (gueltig["parent_id"] == raum)]["raum_id"])


def _steckbrief(q: Quelle, a: Berichtsauftrag) -> Bericht:
    gebiete = steckbrief_gebiete(q.monitoring([]), a.raum, a.stichtag)
    # the Stichtag for every area and the areas' series: what the profile of each needs, not the whole city
    return inhalte.steckbrief(q.store, q.config, q.ausschnitt(a.stichtag, gebiete), gebiete, a.stichtag)


def _massnahmenbericht(q: Quelle, a: Berichtsauftrag) -> Bericht:
    jahr = a.jahr or (a.stichtag.year if a.stichtag else date.today().year)
    return massnahmenbericht(q.store, q.config, q.monitoring([]), jahr, a.handlungsfeld, a.raum, a.stichtag,
                             q.bewertung(jahr) if a.handlungsfeld and len(q.controlling().ziele) else None)


def _abweichung_datei(q: Quelle, a: Berichtsauftrag) -> str:
    jahr, monat = hochrechnung.berichtsstand(q.controlling(), a.rhythmus)
    return f"abweichungsbericht_{hochrechnung.berichtsdatum(jahr, monat):%Y%m%d}.pdf"


BERICHTSARTEN: dict[str, Berichtsart] = {art.id: art for art in (
    Berichtsart("abweichungsbericht", "Abweichungsbericht (Controlling)", _abweichungsbericht, _abweichung_datei),
    Berichtsart("steckbrief", "Sozialraum-Steckbrief",
                _steckbrief, lambda q, a: f"steckbrief_{a.raum}_{a.stichtag:%Y%m%d}.pdf"),
    Berichtsart("monitoring", "Monitoringbericht (Karten und Zeitreihen)", _monitoringbericht,
                lambda q, a: f"monitoring_{a.stichtag:%Y%m%d}.pdf"),
    Berichtsart("sozialindex", "Sozialindex", _indexbericht, lambda q, a: f"{a.index}_{a.stichtag:%Y%m%d}.pdf"),
    Berichtsart("mittelverteilung", "Mittelverteilung nach Index", _verteilungsbericht,
                lambda q, a: dateiname_sicher(f"mittelverteilung_{a.szenario or 'entwurf'}") + ".pdf"),
    Berichtsart("massnahmenbericht", "Maßnahmenbericht", _massnahmenbericht,
                lambda q, a: dateiname_sicher(f"massnahmenbericht_{a.handlungsfeld or a.raum}") + ".pdf"),
    Berichtsart("produktdatenblatt", "Produktdatenblatt", _produktdatenblatt,
                lambda q, a: f"produktdatenblatt_{a.produkt}_{a.jahr or q.produkte().haushaltsjahr()}.pdf"),
)}

"""The data of a report from the app's caches (:class:`fis.berichte.arten.Quelle`): a PDF built on the
Berichte page uses what the pages have already computed for this data version and role."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ui import cache


class CacheQuelle:
    """The cached results of one data version (its key includes what the role may see)."""

    def __init__(self, version: str):
        self.version = version
        self.store = cache.store()
        self.config = cache.config()

    def monitoring(self, indikatoren: list[str] | None = None):
        return cache.monitoring(self.version, indikatoren)

    def ausschnitt(self, stichtag: date, raeume: list[str]):
        return cache.profil_monitoring(self.version, stichtag, tuple(sorted(raeume)))

    def controlling(self):
        return cache.controlling(self.version)

    def bewertung(self, jahr: int) -> pd.DataFrame:
        return cache.bewertung(self.version, jahr)

    def haushaltszeilen(self, jahr: int, monat: int) -> pd.DataFrame:
        return cache.haushaltszeilen(self.version, jahr, monat)

    def lagebild(self, stichtag: date, ebene: int):
        return cache.lagebild(self.version, stichtag, ebene)

    def geometrien(self, stichtag: date, ebene: int) -> pd.Series:
        return cache.geometrien(self.version, stichtag, ebene)

    def indexdaten(self):
        return cache.indexdaten(self.version, cache.index_indikatoren())

    def produkte(self):
        return cache.produkte(self.version)

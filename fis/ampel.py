"""The Ampel: one type for the judgement of goals, budget lines and Handlungsbedarf in app, PDF and exports,
and the one rule engine both goals and budget lines are judged by (the first rule of a table that applies).

``Ampel`` is a ``StrEnum``: its members are the German words („grün“ …), so tables, CSV exports and the
report template carry the word while the code names the state.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Ampel(StrEnum):
    GRUEN = "grün"
    GELB = "gelb"
    ROT = "rot"
    GRAU = "grau"        # not judgeable (no current Ist, no Ansatz)

    @property
    def rang(self) -> int:
        """For roll-up and sorting: worse is higher (grey, not judgeable, ranks between green and yellow)."""
        return _RANG[self]

    @property
    def symbol(self) -> str:
        """Symbol and word, so that the state never depends on colour alone."""
        return _SYMBOL[self]

    @classmethod
    def aus(cls, wert) -> Ampel | None:
        """The Ampel of a cell value (a word or a member), None for anything else (NaN, None, '')."""
        try:
            return cls(wert)
        except ValueError:
            return None


_RANG = {Ampel.GRUEN: 0, Ampel.GRAU: 1, Ampel.GELB: 2, Ampel.ROT: 3}
_SYMBOL = {Ampel.GRUEN: "● grün", Ampel.GELB: "▲ gelb", Ampel.ROT: "■ rot", Ampel.GRAU: "○ grau"}

#: Display order of counts and lists: the deviations first, grey last.
REIHENFOLGE: tuple[Ampel, ...] = (Ampel.ROT, Ampel.GELB, Ampel.GRUEN, Ampel.GRAU)
#: What a deviation report lists.
ABWEICHEND: tuple[Ampel, ...] = (Ampel.ROT, Ampel.GELB)


def schlechteste(ampeln: Iterable[Ampel]) -> Ampel | None:
    """The worst of ``ampeln`` (None if there is none)."""
    return max(ampeln, key=lambda a: a.rang, default=None)


def erste_regel(regeln, ist_fehlt: bool, abweichung: float, erreichbar: bool | None):
    """The first rule of the table that applies (fields of :class:`fis.config.AmpelRegel`): goals measure the
    unfavourable deviation in tolerances, budget lines in percent of the Ansatz."""
    for regel in regeln:
        if regel.ist_fehlt is not None and regel.ist_fehlt != ist_fehlt:
            continue
        if regel.abweichung_bis is not None and (ist_fehlt or abweichung > regel.abweichung_bis + 1e-9):
            continue
        if regel.abweichung_unter is not None and (ist_fehlt or abweichung >= regel.abweichung_unter):
            continue
        if regel.prognose_erreichbar is True and erreichbar is False:
            continue
        if regel.prognose_erreichbar is False and erreichbar is not False:
            continue
        return regel
    raise ValueError("Die Ampel-Regeltabelle hat keine Regel für diesen Fall.")

"""The checks of every delivery kind as declarative tables (as datasette keeps its filters): per check its
id, severity, title, the German message (a template with singular and plural, or a function), the fix the
user can make, and how the rows concerned are found — by a query of the store
(:data:`fis.store.pruefung.PRUEFABFRAGEN`, same id) or by a vectorised function of the delivered rows.
:func:`anwenden` turns the findings into the Prüfbericht; adding a check is one entry (and for a store
check one query). The tables live beside their delivery kind
(``fis.ingest.werteregeln``, ``haushalt``, ``produkte``, ``einrichtungsregeln``, ``katalog``, ``raumregeln``), and
:data:`DATEI_REGELN` for every kind; the registry of delivery kinds (:mod:`fis.ingest.arten`) names each kind's
tables.

A message template is formatted with ``n`` (the count), ``werte`` (the delivered values concerned, listed),
``beispiel`` (the first of them) and the context's ``felder``; ``{n:Zeile hat|Zeilen haben}`` writes the
count with the fitting singular or plural („1 Zeile hat“, „1.204 Zeilen haben“).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from fis.format import fmt_anzahl
from fis.ingest.bericht import Pruefbericht

Funde = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Kontext:
    """What the messages need besides the findings: the user's columns per field, today, and further
    names for the templates."""

    spalten: Mapping[str, str] = field(default_factory=dict)
    heute: date = field(default_factory=date.today)
    felder: Mapping[str, object] = field(default_factory=dict)

    def spalte(self, feld: str) -> str:
        """The delivered column of ``feld`` (the field's own name when not mapped)."""
        return self.spalten.get(feld, feld)


class _Vorlage(string.Formatter):
    """``{n:Einzahl|Mehrzahl}`` → :func:`fis.format.fmt_anzahl`; everything else as str.format."""

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            einzahl, mehrzahl = format_spec.split("|", 1)
            return fmt_anzahl(int(value), einzahl, mehrzahl)
        return super().format_field(value, format_spec)


_VORLAGE = _Vorlage()


@dataclass(frozen=True)
class Pruefregel:
    """One check. ``finden``: the rows concerned (None: the findings of the same id, e.g. the store's query);
    ``meldung``: a template (see the module) or a function of (rows, findings, context); ``detail``: the
    rows for the Prüfbericht's detail table (None: the rows as found, columns zeile/spalte/wert/hinweis);
    ``anzahl``: what the count counts (None: rows)."""

    id: str
    schwere: Literal["Fehler", "Warnung", "Hinweis"]
    titel: str
    meldung: str | Callable[[pd.DataFrame, Funde, Kontext], str]
    detail: Callable[[pd.DataFrame, Funde, Kontext], pd.DataFrame] | None = None
    abhilfe: str = ""
    finden: Callable[[pd.DataFrame, Kontext], pd.DataFrame] | None = None
    anzahl: Callable[[pd.DataFrame], int] | None = None

    def text(self, zeilen: pd.DataFrame, funde: Funde, kontext: Kontext) -> str:
        """The German message for ``zeilen`` with the fix hint."""
        if callable(self.meldung):
            text = self.meldung(zeilen, funde, kontext)
        else:
            werte = zeilen["wert"].astype(str).unique() if "wert" in zeilen else []
            text = _VORLAGE.format(self.meldung, **{**kontext.felder, "n": self._anzahl(zeilen),
                                                    "werte": liste(werte), "beispiel": werte[0] if len(werte) else ""})
        return f"{text} {self.abhilfe}" if self.abhilfe else text

    def _anzahl(self, zeilen: pd.DataFrame) -> int:
        return self.anzahl(zeilen) if self.anzahl else len(zeilen)

    def anwenden(self, funde: Funde, daten: pd.DataFrame, kontext: Kontext, bericht: Pruefbericht
                 ) -> pd.DataFrame | None:
        """Add this check's finding (if any) to ``bericht``; returns the rows found."""
        zeilen = self.finden(daten, kontext) if self.finden else funde.get(self.id)
        if zeilen is None or not len(zeilen):
            return None
        detail = self.detail(zeilen, funde, kontext) if self.detail else zeilen
        bericht.add(self.schwere, self.titel, self.text(zeilen, funde, kontext), detail,
                    anzahl=self._anzahl(zeilen))
        return zeilen


def zeilen(daten: pd.DataFrame, maske, spalte: str = "", wert=None, hinweis="") -> pd.DataFrame:
    """The rows of ``daten`` (with its column ``zeile``) where ``maske`` holds, in the Prüfbericht's detail
    columns; ``wert``: a column name of ``daten`` or values; ``hinweis``: a text or a Series of ``daten``."""
    maske = pd.Series(maske, index=daten.index).fillna(False).astype(bool)
    teil = daten[maske]
    werte = teil[wert] if isinstance(wert, str) and wert in daten else (
        "" if wert is None else pd.Series(wert, index=daten.index)[maske])
    return pd.DataFrame({"zeile": teil["zeile"] if "zeile" in teil else pd.NA, "spalte": spalte,
                         "wert": werte, "hinweis": hinweis}, index=teil.index)


def ohne_detail(zeilen: pd.DataFrame, funde: Funde, kontext: Kontext) -> pd.DataFrame:
    """``detail`` of a check whose message says it all (no rows in the detail table)."""
    return zeilen.iloc[0:0]


def eine_zeile(gefunden: bool) -> pd.DataFrame:
    """The finding of a check about the delivery as a whole (not about rows): one row or none."""
    return pd.DataFrame({"zeile": [pd.NA] if gefunden else []})


def _keine_aenderung(art: str, text: str) -> Pruefregel:
    """„Keine Änderung“: found when the delivery changes nothing (its frame of changes is empty)."""
    return Pruefregel(f"{art}_keine_aenderung", "Hinweis", "Keine Änderung", text, ohne_detail,
                      finden=lambda d, k: eine_zeile(d.empty))


#: „Keine Änderung“ per delivery kind that updates master data in place.
KEINE_AENDERUNG = {
    "produkte": _keine_aenderung("produkte", "Alle Angaben stimmen mit dem Produkthaushalt überein."),
    "einrichtungen": _keine_aenderung("einrichtungen", "Alle Einrichtungen stimmen mit dem Register überein."),
    "katalog": _keine_aenderung("katalog", "Alle Einträge stimmen mit dem aktuellen Katalog überein."),
    "massnahmen": _keine_aenderung("massnahmen", "Alle Maßnahmen stimmen mit dem Register überein."),
    "planung": _keine_aenderung("planung", "Planungszyklus und Beteiligung stimmen mit dem Stand überein."),
}


#: An e-mail address or a German telephone number (+49 …, 0209 …) in a free text: personal data where a record is
#: meant for the public (Maßnahmenregister, Beteiligung).
KONTAKTDATEN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+49|\b0)[\s/-]?\(?\d[\d ()/-]{5,}\d")


def normiert(text: str) -> str:
    """A column name or code as compared: lower case, „_“ and „-“ as spaces, single spaces."""
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


def spalten_zuordnen(spalten, rollen: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Per role (a field of a delivery kind) the delivered column whose name is one of the role's names (compared
    :func:`normiert`; '' if none): columns rolle, spalte – what :func:`spalte_fehlt` checks."""
    gefunden = {rolle: next((c for c in spalten if normiert(c) in {normiert(n) for n in namen}), "")
                for rolle, namen in rollen.items()}
    return pd.DataFrame({"rolle": list(gefunden), "spalte": list(gefunden.values())})


def spalte_fehlt(art: str, rollen: dict[str, tuple[str, ...]], pflicht) -> Pruefregel:
    """„Spalte fehlt“ of a delivery kind with fixed roles: names every missing required role with the names that
    are recognised and the columns the file has (``Kontext.felder['vorhanden']``)."""
    def meldung(u: pd.DataFrame, funde, k: Kontext) -> str:
        return " ".join(f"Die Spalte „{r.rolle}“ fehlt (erkannt werden: " + ", ".join(f"„{n}“" for n in rollen[r.rolle])
                        + ")." for r in u.itertuples()) + f" Vorhanden: {k.felder['vorhanden']}."
    return Pruefregel(f"{art}_spalte_fehlt", "Fehler", "Spalte fehlt", meldung,
                      finden=lambda d, k: d[(d["spalte"] == "") & d["rolle"].isin(list(pflicht))])


def liste(werte, n: int = 5) -> str:
    """„a, b, c, d, e und 7 weitere“."""
    werte = [str(w) for w in werte]
    if len(werte) <= n:
        return ", ".join(werte)
    return ", ".join(werte[:n]) + f" und {len(werte) - n} weitere"


def _frueher_geliefert(d: pd.DataFrame, k: Kontext) -> pd.DataFrame:
    return d[d["status"] == "aktiv"].head(1)


#: The checks of the file itself, for every delivery kind (``daten``: the earlier deliveries of the same content).
DATEI_REGELN: tuple[Pruefregel, ...] = (
    Pruefregel("datei_geliefert", "Fehler", "Datei bereits geliefert",
               lambda u, f, k: f"Diese Datei (gleicher Inhalt) wurde bereits am "
                               f"{u['zeitpunkt'].iloc[0]:%d.%m.%Y um %H:%M} als Lieferung {u['lieferung_id'].iloc[0]} "
                               f"„{u['bezeichnung'].iloc[0]}“ übernommen.", ohne_detail,
               finden=_frueher_geliefert, anzahl=lambda u: 1),
    Pruefregel("datei_zurueckgenommen", "Hinweis", "Datei schon einmal geliefert",
               lambda u, f, k: f"Dieselbe Datei war Lieferung {u['lieferung_id'].iloc[-1]}, die zurückgenommen wurde.",
               ohne_detail, anzahl=lambda u: 1,
               finden=lambda d, k: d if len(d) and not (d["status"] == "aktiv").any() else d.iloc[0:0]),
)


def anwenden(regeln: tuple[Pruefregel, ...], daten: pd.DataFrame, kontext: Kontext, bericht: Pruefbericht,
             funde: Funde | None = None) -> set:
    """Every rule in order: its findings become entries of the Prüfbericht. Returns the index labels of the rows
    of ``daten`` an error was found in (rules that find rows of ``daten``)."""
    fehlerhaft: set = set()
    for regel in regeln:
        gefunden = regel.anwenden(funde or {}, daten, kontext, bericht)
        if gefunden is not None and regel.schwere == "Fehler" and regel.finden is not None:
            fehlerhaft |= set(gefunden.index)
    return fehlerhaft

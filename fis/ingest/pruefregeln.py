"""The checks of a values delivery as one declarative table (as datasette keeps its filters): per check its
id, severity, title, the German message (with singular and plural), the fix the user can make, and how
the rows concerned are found — by a query of the store (:data:`fis.store.pruefung.PRUEFABFRAGEN`, same id)
or by a vectorised function of the delivered rows. :func:`anwenden` turns the findings into the
Prüfbericht; adding a check is one query and one rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from fis.format import fmt_anzahl
from fis.ingest.bericht import Pruefbericht

Funde = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Kontext:
    """What the messages need besides the findings: the columns the user mapped, today."""

    raum_spalte: str
    indikator_spalte: str
    heute: date


@dataclass(frozen=True)
class Pruefregel:
    """One check. ``finden``: the rows concerned (None: the store's query of the same id)."""

    id: str
    schwere: Literal["Fehler", "Warnung", "Hinweis"]
    titel: str
    meldung: Callable[[pd.DataFrame, Funde, Kontext], str]
    detail: Callable[[pd.DataFrame, Funde, Kontext], pd.DataFrame]
    abhilfe: str = ""
    finden: Callable[[pd.DataFrame, Kontext], pd.DataFrame] | None = None
    anzahl: Callable[[pd.DataFrame], int] | None = None

    def anwenden(self, funde: Funde, werte: pd.DataFrame, kontext: Kontext, bericht: Pruefbericht) -> None:
        """Add this check's finding (if any) to ``bericht``."""
        zeilen = self.finden(werte, kontext) if self.finden else funde[self.id]
        if not len(zeilen):
            return
        text = self.meldung(zeilen, funde, kontext)
        if self.abhilfe:
            text = f"{text} {self.abhilfe}"
        bericht.add(self.schwere, self.titel, text, self.detail(zeilen, funde, kontext),
                    anzahl=self.anzahl(zeilen) if self.anzahl else None)


def liste(werte, n: int = 5) -> str:
    """„a, b, c, d, e und 7 weitere“."""
    werte = [str(w) for w in werte]
    if len(werte) <= n:
        return ", ".join(werte)
    return ", ".join(werte[:n]) + f" und {len(werte) - n} weitere"


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
    return einmal.assign(spalte=k.raum_spalte, wert=einmal["raum_id"], hinweis=einmal["raum_id"].map(
        _raum_hinweis(funde)))


def _raum_ungueltig_detail(u: pd.DataFrame, funde: Funde, k: Kontext) -> pd.DataFrame:
    return u.assign(spalte=k.raum_spalte, wert=u["raum_id"],
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
    return u.assign(spalte=k.indikator_spalte, wert=u["indikator_id"],
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
        lambda u, f, k: u.assign(spalte=k.indikator_spalte, wert=u["indikator_id"], hinweis="berechnet"),
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


def anwenden(regeln: tuple[Pruefregel, ...], funde: Funde, werte: pd.DataFrame, kontext: Kontext,
             bericht: Pruefbericht) -> None:
    """Every rule in order: its findings become entries of the Prüfbericht."""
    for regel in regeln:
        regel.anwenden(funde, werte, kontext, bericht)

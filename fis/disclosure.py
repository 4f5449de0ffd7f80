"""Statistical disclosure control: small counts are never shown, nor recoverable.

Primary suppression
    * **Fallzahl**: a value whose case count (numerator; for counts the value itself)
      is greater than 0 and below the indicator's threshold. Shown as "< n", never 0.
    * **Einwohner**: every indicator of an area with fewer inhabitants than the
      configured minimum (e.g. 300 as in Berlin and Hamburg), except the population
      figure itself.
    * **Quote ohne Zähler**: a rate delivered without its numerator counts as
      ``wert × Nenner / Faktor`` cases (rounded), so a small count hidden in a rate is
      suppressed like any other. A rate with neither numerator nor denominator cannot be
      checked; the import says so (:func:`nicht_pruefbar`).

Secondary suppression
    The hierarchy makes sums public: a Bezirk's numerator is the sum of its
    Sozialräume' numerators, the city's the sum of its Bezirke'. If exactly one cell of
    such an equation (parent and children) is hidden, it follows by differencing. So
    every equation with one hidden cell gets a second one hidden — the child with the
    smallest positive case count, else a child with 0 cases, else the parent — and this
    repeats until no equation has exactly one hidden cell. Secondary cells are shown as
    "gesperrt", not "< n" (their counts are not small).

:func:`suppress` works on published values of all levels at once (from
``fis.monitoring.aggregate_levels``); every page, table, tooltip and export uses its
result, so nothing is shown that it hid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HINWEIS_GEHEIMHALTUNG = (
    "Kleine Fallzahlen sind zum Schutz der Betroffenen nicht ausgewiesen: „< n Fälle“ = Zähler unter der "
    "Mindestfallzahl, „zu wenige Einwohner“ = Gebiet unter der Mindestbevölkerung, „gesperrt“ = ein weiterer "
    "Wert, der sonst die Rückrechnung erlaubte.")

GRUND_FALLZAHL = "fallzahl"
GRUND_EINWOHNER = "einwohner"
GRUND_SEKUNDAER = "sekundaer"

GRUENDE = {
    GRUND_FALLZAHL: "weniger als {schwelle} Fälle",
    GRUND_EINWOHNER: "weniger als {mindest} Einwohner",
    GRUND_SEKUNDAER: "gesperrt, damit unterdrückte Werte nicht zurückgerechnet werden können",
}


@dataclass(frozen=True)
class Regeln:
    """The suppression rules of one installation."""

    schwellen: pd.Series                    # minimum case count per indicator id
    summe: frozenset[str] = frozenset()     # indicators aggregated as sums (value = cases)
    mindest_einwohner: int | None = None
    einwohner_indikator: str | None = None
    faktoren: pd.Series | None = None       # rate factor per indicator id (100 for percent)


def thresholds(indikatoren: pd.DataFrame, standard: int) -> pd.Series:
    """Threshold per indicator id (catalog value, else ``standard``)."""
    t = indikatoren.set_index("indikator_id")["geheimhaltung"]
    return t.fillna(standard).astype(int)


def regeln(indikatoren: pd.DataFrame, standard: int, mindest_einwohner: int | None = None,
           einwohner_indikator: str | None = None) -> Regeln:
    summe = frozenset(indikatoren.loc[indikatoren["aggregation"] == "summe", "indikator_id"])
    faktoren = indikatoren.set_index("indikator_id")["faktor"] if "faktor" in indikatoren else None
    return Regeln(thresholds(indikatoren, standard), summe, mindest_einwohner, einwohner_indikator, faktoren)


def _cases(werte: pd.DataFrame, summe: frozenset[str] = frozenset(),
           faktoren: pd.Series | None = None) -> np.ndarray:
    """Case count per row: the numerator; for counts without numerator the value; for rates
    without numerator the count the rate implies (value × denominator / factor, rounded)."""
    cases = werte["zaehler"].to_numpy(dtype=float, na_value=np.nan).copy()
    if "wert" not in werte:
        return cases
    wert = werte["wert"].to_numpy(dtype=float, na_value=np.nan)
    if summe:
        is_sum = werte["indikator_id"].isin(summe).to_numpy()
        fill = is_sum & np.isnan(cases)
        cases[fill] = wert[fill]
    if faktoren is not None and "nenner" in werte:
        nenner = werte["nenner"].to_numpy(dtype=float, na_value=np.nan)
        faktor = je_indikator(werte["indikator_id"], faktoren.astype(float))
        faktor[faktor == 0] = 1.0
        fill = np.isnan(cases) & ~np.isnan(nenner) & ~np.isnan(wert)
        cases[fill] = np.round(wert[fill] * nenner[fill] / faktor[fill])
    return cases


def nicht_pruefbar(werte: pd.DataFrame, summe: frozenset[str] = frozenset()) -> pd.Series:
    """True for rates delivered with neither numerator nor denominator: whether they hide a
    small count cannot be checked (the import reports them)."""
    zaehler = werte["zaehler"].isna() if "zaehler" in werte else pd.Series(True, index=werte.index)
    nenner = werte["nenner"].isna() if "nenner" in werte else pd.Series(True, index=werte.index)
    return zaehler & nenner & werte["wert"].notna() & ~werte["indikator_id"].isin(summe)


def je_indikator(ids: pd.Series, werte: pd.Series) -> np.ndarray:
    """``werte`` (by indikator_id) for every row of ``ids``, 0 where none is given: one lookup
    per distinct indicator instead of one per row (millions of rows in a large city)."""
    codes, eindeutig = pd.factorize(ids)                # a missing id gets code −1: the appended 0
    return np.append(werte.reindex(eindeutig).fillna(0).to_numpy(), 0)[codes]


def flag_suppressed(werte: pd.DataFrame, schwellen: pd.Series,
                    summe: frozenset[str] = frozenset(), faktoren: pd.Series | None = None) -> pd.Series:
    """Boolean Series aligned with ``werte``: True where the case count is small.

    ``werte`` needs columns indikator_id and zaehler (for counts, zaehler = value).
    """
    limit = je_indikator(werte["indikator_id"], schwellen)
    # Negative numerators (migration balances) are not case counts: their magnitude decides.
    cases = np.abs(_cases(werte, summe, faktoren))
    return pd.Series((cases > 0) & (cases < limit), index=werte.index)


def apply_suppression(werte: pd.DataFrame, schwellen: pd.Series) -> pd.DataFrame:
    """Primary suppression of single areas only (no totals shown beside them): a copy
    of ``werte`` with small counts blanked, ``unterdrueckt`` and ``schwelle``."""
    out = werte.copy()
    mask = flag_suppressed(out, schwellen)
    out["unterdrueckt"] = mask
    out["schwelle"] = out["indikator_id"].map(schwellen).fillna(0).astype(int)
    for col in ("wert", "zaehler", "nenner"):
        if col in out:
            out.loc[mask, col] = np.nan
    return out


def suppress(werte: pd.DataFrame, regeln: Regeln) -> pd.DataFrame:
    """Primary and secondary suppression of values of all Raum levels.

    ``werte`` has one row per (raum_id, indikator_id, stichtag) with ebene, parent_id
    (the parent valid at the Stichtag), wert, zaehler, nenner. Returns a copy with
    wert/zaehler/nenner blanked where suppressed and the columns ``unterdrueckt``,
    ``grund`` (fallzahl / einwohner / sekundaer / "") and ``schwelle``.
    """
    out = werte.reset_index(drop=True).copy()
    cases = _cases(out, regeln.summe, regeln.faktoren)
    grund = np.full(len(out), "", dtype=object)
    grund[flag_suppressed(out, regeln.schwellen, regeln.summe, regeln.faktoren).to_numpy()] = GRUND_FALLZAHL

    if regeln.mindest_einwohner and regeln.einwohner_indikator:
        ew = out.loc[out["indikator_id"] == regeln.einwohner_indikator,
                     ["raum_id", "stichtag", "wert"]].rename(columns={"wert": "_ew"})
        pop = out[["raum_id", "stichtag"]].merge(ew, on=["raum_id", "stichtag"], how="left")["_ew"]
        pop = pop.to_numpy(dtype=float, na_value=np.nan)
        klein = (pop < regeln.mindest_einwohner) & (out["indikator_id"] != regeln.einwohner_indikator)
        grund[klein.to_numpy() & (grund == "")] = GRUND_EINWOHNER

    hidden = grund != ""
    hidden = _secondary(out, cases, hidden)
    grund[hidden & (grund == "")] = GRUND_SEKUNDAER

    out["unterdrueckt"] = hidden
    out["grund"] = grund
    out["schwelle"] = je_indikator(out["indikator_id"], regeln.schwellen).astype(int)
    for col in ("wert", "zaehler", "nenner"):
        if col in out:
            out.loc[hidden, col] = np.nan
    return out


#: The largest key range secondary suppression looks up in a table (one byte per key; above: sorting).
TABELLE_MAX = 50_000_000


def _secondary(werte: pd.DataFrame, cases: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Extend ``hidden`` until no parent–children equation has exactly one hidden cell."""
    hidden = hidden.copy()
    # integer codes instead of the text columns, one number per (Raum, indicator, Stichtag), numpy instead of
    # pandas merges and sorts; the numbers index lookup tables directly (no sort, no factorize), and only the
    # candidates of equations with one hidden cell are sorted by preference: for a large city (5 million rows)
    # 5.3 s became 3.4 s and then 1.7 s. Raum and parent share one sorted code, so the code orders Räume as
    # their ids do.
    n = len(werte)
    raum_codes = pd.factorize(pd.concat([werte["raum_id"], werte["parent_id"]], ignore_index=True), sort=True)[0]
    ind, n_ind = _codes(werte["indikator_id"])
    tag, n_tag = _codes(werte["stichtag"])
    known = ~np.isnan(cases)
    row = np.flatnonzero(known)
    raum, parent, ind, tag = raum_codes[:n][known], raum_codes[n:][known], ind[known], tag[known]
    umfang = (int(raum_codes.max(initial=0)) + 1) * n_ind * n_tag

    def schluessel(r: np.ndarray, i: np.ndarray, t: np.ndarray) -> np.ndarray:
        return (r.astype(np.int64) * n_ind + i) * n_tag + t

    def enthalten(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """np.isin for keys below ``umfang``: a table lookup instead of sorting both."""
        if umfang > TABELLE_MAX:                      # a table that large: sort instead
            return np.isin(a, b)
        tabelle = np.zeros(umfang, dtype=bool)
        tabelle[b] = True
        return tabelle[a]
    # Equation members: every cell as child of its parent's equation (−1: no parent), every parent of its own.
    kind = parent >= 0
    eq_kinder = schluessel(parent[kind], ind[kind], tag[kind])
    ist_eltern = enthalten(schluessel(raum, ind, tag), eq_kinder)
    eq_eltern = schluessel(raum[ist_eltern], ind[ist_eltern], tag[ist_eltern])
    # Only equations whose parent is published (known) are known to a reader.
    bekannt = enthalten(eq_kinder, eq_eltern)
    eq = np.concatenate([eq_kinder[bekannt], eq_eltern])
    if not len(eq):
        return hidden
    rows = np.concatenate([row[kind][bekannt], row[ist_eltern]])
    ist_kind = np.concatenate([np.ones(bekannt.sum(), dtype=bool), np.zeros(len(eq_eltern), dtype=bool)])
    raeume = np.concatenate([raum[kind][bekannt], raum[ist_eltern]])
    betrag = np.abs(cases[rows])
    # Candidates in order of preference: smallest positive case count, then zeros, then parent; then by Raum.
    rang = np.select([ist_kind & (betrag > 0), ist_kind], [0, 1], 2)
    if umfang <= TABELLE_MAX:
        n_eq = umfang
    else:                                             # keys too large to count in a table: number them
        eq = pd.factorize(eq)[0]
        n_eq = int(eq.max()) + 1
    while True:
        h = hidden[rows]
        count = np.bincount(eq, weights=h, minlength=n_eq)
        kandidat = np.flatnonzero((count[eq] == 1) & ~h)
        if not len(kandidat):
            return hidden
        # First unhidden member (in preference order) of each equation with one hidden cell.
        ordnung = kandidat[np.lexsort([raeume[kandidat], betrag[kandidat], rang[kandidat], eq[kandidat]])]
        _, erste = np.unique(eq[ordnung], return_index=True)
        hidden[rows[ordnung[erste]]] = True


def _codes(spalte: pd.Series) -> tuple[np.ndarray, int]:
    codes, werte = pd.factorize(spalte)
    return codes.astype(np.int64), max(len(werte), 1)


def anzeige(row_unterdrueckt: bool, grund: str, schwelle: int) -> str:
    """The mark shown in place of a suppressed value."""
    if not row_unterdrueckt:
        return ""
    if grund == GRUND_FALLZAHL:
        return f"< {schwelle} Fälle"
    if grund == GRUND_EINWOHNER:
        return "zu wenige Einwohner"
    return "gesperrt"

"""Budgetvarianten for the Eckwertebeschluss (handbook Kap. 5.5): what each goal linked to a budget line is
forecast to reach at its Zieldatum with a constant, an increased and a reduced budget.

The assumption is stated, not hidden: a budget changed by b % moves the trend forecast at the Zieldatum towards
the goal (or, with less money, away from it) by ε · b % of the way the Kennzahl travels from its Basiswert to that
forecast, with ε the goal's elasticity (``controlling.yaml``, ``budgetvarianten``: a default and one per goal).
ε = 0,5 and +10 % budget: 5 % of that way; ε = 0 for a goal the money does not move. A forecast beyond the target
is not capped: it says the target is reached.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fis.format import fmt_prozent, fmt_wert, fmt_zahl_genau
from fis.zielbewertung import Ziel, bereich_text, unguenstige_abweichung


def richtung(ziel: Ziel, prognose: float) -> int:
    """+1 where more of the Kennzahl serves the goal, −1 where less does, 0 inside a kept band."""
    if ziel.band:
        if ziel.band_oben is not None and prognose > ziel.band_oben:
            return -1
        if ziel.band_unten is not None and prognose < ziel.band_unten:
            return 1
        return 0
    return {"steigern": 1, "senken": -1}.get(ziel.richtung or "", 0)


def variante(basiswert: float, prognose: float, elastizitaet: float, aenderung_prozent: float, zu: int) -> float:
    """The forecast with a budget changed by ``aenderung_prozent``: the trend forecast moved towards the goal
    (``zu`` = ±1, see :func:`richtung`) by ε · b % of the way the Kennzahl travels from its Basiswert to it."""
    return prognose + zu * elastizitaet * aenderung_prozent / 100 * abs(prognose - basiswert)


def erreicht(wert: float, ziel: Ziel) -> bool | None:
    """Whether ``wert`` at the Zieldatum meets the goal (within its tolerance); None without a target."""
    if ziel.band:
        return unguenstige_abweichung(wert, wert, "halten", ziel.band_unten, ziel.band_oben) <= ziel.toleranz
    if ziel.zielwert is None or ziel.richtung is None:
        return None
    return unguenstige_abweichung(wert, ziel.zielwert, ziel.richtung) <= ziel.toleranz


def _betrag(z: dict) -> bool:
    """A goal whose Kennzahl is itself an amount of money (a budget line, a cost figure): another budget changes
    it by definition, not by effect – such goals are left out."""
    einheit = z.get("einheit") if isinstance(z.get("einheit"), str) else ""
    return z.get("kennzahl_art") == "haushalt" or "EUR" in einheit or "€" in einheit


def budgetvarianten(ziele: pd.DataFrame, bewertung: pd.DataFrame, cfg, nachkommastellen: dict[str, int]
                    ) -> pd.DataFrame:
    """One row per goal with a budget line (Produkt) and a trend forecast: ziel_id, titel, produkt_nr,
    elastizitaet, zielwert, and per variant (−b %, konstant, +b %) the forecast and whether it meets the goal."""
    b = cfg.prozent
    je_ziel = {e.ziel: e.wert for e in cfg.elastizitaeten}
    prognosen = bewertung.set_index("ziel_id")["prognose_wert"] if "prognose_wert" in bewertung else pd.Series()
    zeilen = []
    for z in ziele.to_dict("records"):
        p = prognosen.get(z["ziel_id"], np.nan)
        if not isinstance(z.get("produkt_nr"), str) or pd.isna(p) or pd.isna(z.get("basiswert")) or _betrag(z):
            continue
        ziel = Ziel.aus(z)
        eps = je_ziel.get(z["ziel_id"], cfg.elastizitaet)
        zeile = {**{k: z.get(k) for k in ("band_unten", "band_oben", "band_unten_strikt", "band_oben_strikt",
                                          "toleranz", "basisjahr", "zieldatum")},
                 "ziel_id": z["ziel_id"], "titel": z["titel"], "produkt_nr": z["produkt_nr"],
                 "position_nr": z.get("position_nr"), "einheit": ziel.einheit, "zielwert": ziel.zielwert,
                 "zieljahr": ziel.zieljahr, "richtung": ziel.richtung, "elastizitaet": eps,
                 "stellen": nachkommastellen.get(z["ziel_id"], 1)}
        for name, aenderung in (("weniger", -b), ("konstant", 0.0), ("mehr", b)):
            wert = variante(float(z["basiswert"]), float(p), eps, aenderung, richtung(ziel, float(p)))
            zeile[name] = wert
            zeile[f"{name}_erreicht"] = erreicht(wert, ziel)
        zeilen.append(zeile)
    return pd.DataFrame(zeilen)


def entscheidend(v: pd.DataFrame) -> pd.Series:
    """The goals whose attainment differs between the variants: where the budget decides."""
    if v.empty:
        return pd.Series(dtype=bool)
    ergebnis = v[["weniger_erreicht", "konstant_erreicht", "mehr_erreicht"]].astype(object)
    return ergebnis.nunique(axis=1, dropna=False) > 1


def anhang_satz(v: pd.DataFrame, kippt: pd.Series, cfg) -> str:
    """„Bei 3 von 16 Zielen mit Haushaltszeile entscheidet das Budget (± 10 %) über die Zielerreichung; bei den
    übrigen 13 nicht (9 erreicht, 4 verfehlt in jeder Variante).“"""
    b = fmt_prozent(cfg.prozent, 0)
    rest = v[~kippt]
    erreicht = int(rest["konstant_erreicht"].eq(True).sum())
    return (f"Bei {int(kippt.sum())} von {len(v)} Zielen mit Haushaltszeile entscheidet das Budget (± {b}) über die "
            f"Zielerreichung (Tabelle); bei den übrigen {len(rest)} nicht ({erreicht} erreicht, "
            f"{len(rest) - erreicht} verfehlt oder ohne Urteil in jeder Variante). Alle Ziele: Seite „Ziele“.")


def _ja(e) -> str:
    return "–" if e is None or (isinstance(e, float) and np.isnan(e)) else ("erreicht" if e else "verfehlt")


def tabelle(v: pd.DataFrame, cfg) -> pd.DataFrame:
    """The variants as a German display table."""
    b = fmt_zahl_genau(cfg.prozent, 1)
    if v.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Ziel": v["ziel_id"] + " " + v["titel"],
        "Produkt": v["produkt_nr"],
        "Ziel am Zieldatum": [(bereich_text(z, z["einheit"], z["stellen"]) if z["richtung"] == "halten"
                               else fmt_wert(z["zielwert"], z["einheit"], z["stellen"]))
                              + (f" ({int(z['zieljahr'])})" if pd.notna(z["zieljahr"]) else "")
                              for z in v.to_dict("records")],
        f"Budget −{b} %": [f"{fmt_wert(w, e, s)} ({_ja(r)})" for w, e, s, r in
                           zip(v["weniger"], v["einheit"], v["stellen"], v["weniger_erreicht"], strict=True)],
        "Budget konstant": [f"{fmt_wert(w, e, s)} ({_ja(r)})" for w, e, s, r in
                            zip(v["konstant"], v["einheit"], v["stellen"], v["konstant_erreicht"], strict=True)],
        f"Budget +{b} %": [f"{fmt_wert(w, e, s)} ({_ja(r)})" for w, e, s, r in
                           zip(v["mehr"], v["einheit"], v["stellen"], v["mehr_erreicht"], strict=True)],
        "Elastizität": [fmt_zahl_genau(e, 2) for e in v["elastizitaet"]],
    })


def annahme_text(cfg) -> str:
    """The assumption as one sentence (under every table of variants)."""
    b = fmt_prozent(cfg.prozent, 0)
    return (f"Annahme: Ein um {b} höheres (niedrigeres) Budget rückt die Trendprognose am Zieldatum um Elastizität × "
            f"{b} des Wegs vom Basiswert bis zur Prognose auf das Ziel zu (davon weg; Standard-Elastizität "
            f"{fmt_zahl_genau(cfg.elastizitaet, 2)}, je Ziel in controlling.yaml „budgetvarianten“). Eine "
            "Schätzung für den Eckwertebeschluss, keine Wirkungsmessung. Ziele, deren Kennzahl selbst ein Betrag ist, "
            "fehlen: ein anderes Budget ändert sie per Definition.")

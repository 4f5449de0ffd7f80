"""Soll-Ist of one goal: the Soll path, the unfavourable deviation, the forecast on the trend, the Ampel from
the rule table and the German sentence that explains it; a goal past its Zieldatum is judged once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from fis.ampel import Ampel, erste_regel
from fis.format import fmt_datum, fmt_differenz, fmt_wert


def _zahl(v) -> float | None:
    """A cell as a number, None for empty (None, NaN, NaT, '')."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        return None if pd.isna(v) else float(v)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Ziel:
    """The fields of a goal that its judgement needs, typed once: numbers are float or None (never NaN), the
    strictness of the band limits is bool. Built from a row of the goal table with :meth:`aus`."""

    ziel_id: str
    richtung: str | None          # steigern, senken, halten
    einheit: str
    basiswert: float | None
    basisjahr: int | None
    zielwert: float | None
    zieljahr: int | None
    zieldatum: date | None
    toleranz: float               # 0 when none is declared
    band_unten: float | None
    band_oben: float | None
    band_unten_strikt: bool
    band_oben_strikt: bool

    @classmethod
    def aus(cls, z) -> Ziel:
        """From a goal row (dict or Series); a ``Ziel`` is returned as it is."""
        if isinstance(z, Ziel):
            return z
        datum = z.get("zieldatum")
        datum = None if datum is None or pd.isna(datum) else pd.Timestamp(datum).date()
        basisjahr = _zahl(z.get("basisjahr"))
        richtung = z.get("richtung")
        return cls(str(z.get("ziel_id", "")), richtung if isinstance(richtung, str) else None,
                   (z.get("einheit") or "").replace("EUR", "€") if isinstance(z.get("einheit"), str) else "",
                   _zahl(z.get("basiswert")), None if basisjahr is None else int(basisjahr), _zahl(z.get("zielwert")),
                   None if datum is None else datum.year, datum, _zahl(z.get("toleranz")) or 0.0,
                   _zahl(z.get("band_unten")), _zahl(z.get("band_oben")),
                   z.get("band_unten_strikt") is True, z.get("band_oben_strikt") is True)

    @property
    def band(self) -> bool:
        """A goal that keeps a value within limits („halten“)."""
        return self.richtung == "halten"


@lru_cache(maxsize=256)
def _t_quantil(konfidenz: float, freiheitsgrade: int) -> float:
    # the inverse of Student's t distribution from scipy.special (0,1 s to import; scipy.stats took 0,6–0,9 s, paid
    # by the first visitor of a new server on the start page); only a forecast interval needs it
    from scipy.special import stdtrit
    return float(stdtrit(freiheitsgrade, (1 + konfidenz) / 2))


def soll_pfad(basiswert: float, basisjahr: int, zielwert: float, zieljahr: int, jahr: int,
              explizit: dict[int, float] | None = None) -> float:
    """The Soll for ``jahr``: an explicit annual Soll if given, otherwise the straight path
    from the base value (base year) to the target value (target year), constant after it."""
    if explizit and jahr in explizit:
        return float(explizit[jahr])
    if zieljahr <= basisjahr or jahr >= zieljahr:
        return float(zielwert)
    if jahr <= basisjahr:
        return float(basiswert)
    return basiswert + (zielwert - basiswert) * (jahr - basisjahr) / (zieljahr - basisjahr)


def unguenstige_abweichung(ist: float, soll: float, richtung: str,
                           band_unten: float | None = None, band_oben: float | None = None) -> float:
    """How far Ist lies on the wrong side: senken → Ist above Soll, steigern → below,
    halten → outside the band. 0 when on track or better."""
    if richtung == "halten":
        unten = -np.inf if band_unten is None or pd.isna(band_unten) else band_unten
        oben = np.inf if band_oben is None or pd.isna(band_oben) else band_oben
        return float(max(unten - ist, ist - oben, 0.0))
    d = ist - soll if richtung == "senken" else soll - ist
    return float(max(d, 0.0))


def grenze_verletzt(ist: float, ziel) -> bool:
    """True when Ist sits exactly on a strict band limit: 3 % misses „unter 3 %“ (but not „höchstens 3 %“)."""
    z = Ziel.aus(ziel)
    if not z.band:
        return False
    return bool((z.band_oben_strikt and z.band_oben is not None and ist >= z.band_oben)
                or (z.band_unten_strikt and z.band_unten is not None and ist <= z.band_unten))


def bereich_text(ziel, einheit: str, nk: int) -> str:
    """The band in the decision's words: 'unter 3,0 %', 'mindestens 10 und höchstens 20'."""
    z = Ziel.aus(ziel)
    grenzen = []
    if z.band_unten is not None:
        grenzen.append(f"{'über' if z.band_unten_strikt else 'mindestens'} {fmt_wert(z.band_unten, einheit, nk)}")
    if z.band_oben is not None:
        grenzen.append(f"{'unter' if z.band_oben_strikt else 'höchstens'} {fmt_wert(z.band_oben, einheit, nk)}")
    return " und ".join(grenzen)


def zielerreichungsgrad(ist: float, basiswert: float, zielwert: float) -> float:
    """Share of the planned change achieved, in % (100 = target reached)."""
    if pd.isna(zielwert) or zielwert == basiswert:
        return np.nan
    return (ist - basiswert) / (zielwert - basiswert) * 100


@dataclass(frozen=True)
class Prognose:
    methode: str
    jahre: tuple[int, ...]
    zieljahr: int
    wert: float
    unten: float
    oben: float
    steigung: float
    erreichbar: bool
    punkte: tuple[tuple[int, float, float, float], ...]   # (jahr, wert, unten, oben) up to the target


def prognose(reihe: pd.Series, zieljahr: int, ziel: dict, konfidenz: float = 0.8,
             min_jahre: int = 3, ab_jahr: int | None = None) -> Prognose | None:
    """Linear trend projection of annual Ist values (index = year) to ``zieljahr`` with a
    prediction band (t distribution). Uses the years from ``ab_jahr`` on (the base year),
    at least ``min_jahre``; None if there are too few years or the target year has passed."""
    jahre, werte = _jahre_werte(reihe)
    return _prognose(jahre, werte, zieljahr, ziel, konfidenz, min_jahre, ab_jahr)


def _jahre_werte(reihe: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Years and values of an annual series, missing values dropped, sorted by year."""
    jahre = reihe.index.to_numpy(dtype=float)
    werte = reihe.to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(werte)
    reihenfolge = np.argsort(jahre[ok], kind="stable")
    return jahre[ok][reihenfolge], werte[ok][reihenfolge]


def _prognose(jahre: np.ndarray, werte: np.ndarray, zieljahr: int, ziel: dict, konfidenz: float,
              min_jahre: int, ab_jahr: int | None) -> Prognose | None:
    """:func:`prognose` on sorted years and values without gaps (numpy: thousands of goals per second)."""
    if not len(jahre) or zieljahr <= int(jahre[-1]):
        return None
    if ab_jahr is not None:
        nutz = jahre >= ab_jahr
        x, y = jahre[nutz], werte[nutz]
    else:
        x, y = jahre, werte
    if len(x) < min_jahre:
        x, y = jahre[-min_jahre:], werte[-min_jahre:]
    if len(x) < min_jahre or len(x) < 3:
        return None
    n = len(x)
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    steigung = float(((x - xm) * (y - ym)).sum() / sxx)
    achse = float(ym - steigung * xm)
    resid = y - (achse + steigung * x)
    s = float(np.sqrt((resid ** 2).sum() / (n - 2)))
    t = _t_quantil(konfidenz, n - 2)
    punkte = []
    for jahr in range(int(x.max()), zieljahr + 1):
        yhat = achse + steigung * jahr
        halb = t * s * np.sqrt(1 + 1 / n + (jahr - xm) ** 2 / sxx)
        punkte.append((jahr, float(yhat), float(yhat - halb), float(yhat + halb)))
    _, wert, unten, oben = punkte[-1]
    z = Ziel.aus(ziel)
    if z.band:
        erreichbar = unguenstige_abweichung(wert, wert, "halten", z.band_unten, z.band_oben) <= z.toleranz
    elif z.zielwert is None:
        erreichbar = False
    else:
        erreichbar = unguenstige_abweichung(wert, z.zielwert, z.richtung) <= z.toleranz
    methode = (f"lineare Regression über die Ist-Werte {int(x.min())}–{int(x.max())} ({n} Jahre); "
               f"Band: {konfidenz * 100:.0f}-%-Prognoseintervall")
    return Prognose(methode, tuple(int(v) for v in x), zieljahr, float(wert), float(unten), float(oben),
                    steigung, bool(erreichbar), tuple(punkte))


@dataclass(frozen=True)
class SollIst:
    ziel_id: str
    jahr: int | None                 # Ist year used
    ist: float
    soll: float
    abweichung: float                # Ist − Soll
    abweichung_prozent: float        # (Ist − Soll) / |Soll| × 100
    unguenstig: float                # unfavourable deviation, ≥ 0
    zielerreichung: float            # %
    ampel: Ampel
    regel: str
    text: str
    prognose: Prognose | None
    status: str | None               # vorläufig / endgültig of the Ist


def _stellen(einheit: str, nk: int, *werte) -> int:
    """Enough decimals to show the tolerance (0,01 Pp needs two)."""
    for w in werte:
        if w is None or pd.isna(w) or w == 0:
            continue
        text = f"{abs(float(w)):.6f}".rstrip("0")
        nk = max(nk, len(text.split(".")[1]) if "." in text else 0)
    return min(nk, 4)


def _betrag(x: float, einheit: str, nk: int) -> str:
    """An unsigned difference; one more decimal where the shown one would read 0."""
    while x and round(abs(x), nk) == 0 and nk < 4:
        nk += 1
    return fmt_differenz(abs(x), einheit, nk).lstrip("+±")


IST_MAX_ALTER = 2    # years an Ist may lag behind the report year before it counts as missing


def soll_ist(ziel: dict, reihe: pd.Series, berichtsjahr: int, regeln, explizit: dict[int, float] | None = None,
             status: pd.Series | None = None, nachkommastellen: int = 1, konfidenz: float = 0.8,
             min_jahre: int = 3, max_alter: int = IST_MAX_ALTER) -> SollIst:
    """Soll-Ist of one goal for ``berichtsjahr``: the latest Ist up to that year against the
    Soll of the same year, the Ampel from the rule table and a German sentence explaining it.
    An Ist older than ``max_alter`` years (and not from the target year) counts as missing."""
    jahre, werte = _jahre_werte(reihe)
    return soll_ist_jahre(ziel, jahre, werte, berichtsjahr, regeln, explizit,
                     None if status is None else status.to_dict(), nachkommastellen, konfidenz, min_jahre, max_alter)


@dataclass(frozen=True)
class Bewertung:
    """The numbers of a goal's judgement for a report year (no words: :func:`begruendung` says them)."""

    jahr: int                        # Ist year used
    ist: float
    soll: float                      # NaN for a band goal
    unguenstig: float                # unfavourable deviation, ≥ 0
    vielfache: float                 # unfavourable deviation in tolerances (inf without tolerance)
    an_grenze: bool                  # on a strict band limit
    prognose: Prognose | None
    regel: object                    # the rule of the table that applied (fis.config.AmpelRegel)


def bewerten(ziel: Ziel, jahre: np.ndarray, werte: np.ndarray, regeln, explizit: dict[int, float] | None,
             konfidenz: float, min_jahre: int) -> Bewertung:
    """The numbers of Soll-Ist for the latest Ist in ``jahre`` (current enough, checked by the caller)."""
    jahr, ist = int(jahre[-1]), float(werte[-1])
    if ziel.band:
        soll = np.nan
        unguenstig = unguenstige_abweichung(ist, ist, "halten", ziel.band_unten, ziel.band_oben)
    else:
        soll = soll_pfad(ziel.basiswert, ziel.basisjahr, ziel.zielwert, ziel.zieljahr, jahr, explizit)
        unguenstig = unguenstige_abweichung(ist, soll, ziel.richtung)
    an_grenze = unguenstig <= 1e-12 and grenze_verletzt(ist, ziel)
    tol = ziel.toleranz
    if an_grenze:
        vielfache = 0.0 if tol > 0 else np.inf     # on a strict limit: a miss by nothing, judged by the tolerance
    else:
        vielfache = 0.0 if unguenstig <= 1e-12 else (unguenstig / tol if tol > 0 else np.inf)
    prog = _prognose(jahre, werte, ziel.zieljahr, ziel, konfidenz, min_jahre, ziel.basisjahr)
    regel = erste_regel(regeln, False, vielfache, None if prog is None else prog.erreichbar)
    return Bewertung(jahr, ist, soll, unguenstig, vielfache, an_grenze, prog, regel)


def begruendung(ziel: Ziel, b: Bewertung, nk: int) -> str:
    """The judgement in one German sentence: where Ist lies against the Soll path or the band, the tolerance,
    the trend to the target year."""
    einheit, tol = ziel.einheit, ziel.toleranz
    ist_text = fmt_wert(b.ist, einheit, nk)
    if ziel.band:
        bereich = bereich_text(ziel, einheit, nk)
        if b.an_grenze:
            satz = f"Ist {ist_text} ({b.jahr}) liegt auf der Grenze und damit nicht im Zielbereich ({bereich})"
        elif b.unguenstig == 0:
            satz = f"Ist {ist_text} ({b.jahr}) liegt im Zielbereich ({bereich})"
        else:
            satz = (f"Ist {ist_text} ({b.jahr}) liegt {_betrag(b.unguenstig, einheit, nk)} außerhalb des "
                    f"Zielbereichs ({bereich})")
    else:
        seite = "über" if b.ist > b.soll else ("unter" if b.ist < b.soll else "auf")
        abstand = "" if seite == "auf" else f"{_betrag(b.ist - b.soll, einheit, nk)} "
        pfad = "dem Zielwert" if b.jahr >= ziel.zieljahr else "dem Soll-Pfad"
        satz = f"Ist {ist_text} liegt {abstand}{seite} {pfad} ({fmt_wert(b.soll, einheit, nk)} für {b.jahr})"
    if b.unguenstig > 0 or b.an_grenze:
        satz += ("; ohne Toleranz" if tol == 0 else
                 f"; Toleranz {_betrag(tol, einheit, nk)} überschritten" if b.vielfache > 1 else
                 f"; innerhalb der Toleranz von {_betrag(tol, einheit, nk)}")
    elif not ziel.band:
        satz += " – im Soll"
    if b.prognose is not None:
        satz += (f"; Trend bis {b.prognose.zieljahr}: {fmt_wert(b.prognose.wert, einheit, nk)}"
                 + ("" if b.prognose.erreichbar else " – Ziel auf aktuellem Trend nicht erreichbar"))
    return satz + "."


def soll_ist_jahre(ziel, jahre: np.ndarray, werte: np.ndarray, berichtsjahr: int, regeln,
                   explizit: dict[int, float] | None, status: dict | None, nachkommastellen: int, konfidenz: float,
                   min_jahre: int, max_alter: int) -> SollIst:
    """:func:`soll_ist` on sorted years and values without gaps: the judgement (:func:`bewerten`) and its
    sentence (:func:`begruendung`); a goal past its Zieldatum by :func:`_endstand`."""
    z = Ziel.aus(ziel)
    if berichtsjahr > z.zieljahr:
        return _endstand(z, jahre, werte, berichtsjahr, z.zieljahr, status, nachkommastellen, max_alter)
    bis = jahre <= berichtsjahr
    jahre, werte = jahre[bis], werte[bis]
    nk = _stellen(z.einheit, nachkommastellen, z.toleranz, z.basiswert, z.zielwert)
    if not len(jahre) or int(jahre[-1]) < min(berichtsjahr - max_alter, z.zieljahr):
        jahr = None if not len(jahre) else int(jahre[-1])
        regel = erste_regel(regeln, True, np.nan, None)
        letzter = "" if jahr is None else f" (letzter Wert {fmt_wert(float(werte[-1]), z.einheit, nk)} für {jahr})"
        return SollIst(z.ziel_id, jahr, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, Ampel(regel.farbe),
                       regel.wenn, f"Kein aktueller Ist-Wert{letzter}; {regel.wenn}.", None, None)
    b = bewerten(z, jahre, werte, regeln, explizit, konfidenz, min_jahre)
    abw = b.ist - b.soll
    erreicht = np.nan if z.band or z.zielwert is None else zielerreichungsgrad(b.ist, z.basiswert, z.zielwert)
    return SollIst(z.ziel_id, b.jahr, b.ist, b.soll, abw, abw / abs(b.soll) * 100 if b.soll else np.nan,
                   b.unguenstig, erreicht, Ampel(b.regel.farbe), b.regel.wenn, begruendung(z, b, nk), b.prognose,
                   None if status is None else status.get(b.jahr))


def _endstand(ziel: Ziel, jahre: np.ndarray, werte: np.ndarray, berichtsjahr: int, zieljahr: int,
              status: dict | None, nachkommastellen: int, max_alter: int) -> SollIst:
    """A goal past its Zieldatum is judged once, at the Zieldatum, and that judgement stands: the Ist
    of the target year (or the latest before it, at most ``max_alter`` years older) against the target,
    within the tolerance → „erreicht“ (grün), else „verfehlt“ (rot). Later Ist values are named for
    information only; they cannot turn a missed goal green."""

    z, einheit = ziel, ziel.einheit
    nk = _stellen(einheit, nachkommastellen, z.toleranz, z.basiswert, z.zielwert)
    datum = fmt_datum(z.zieldatum)
    spaeter = [(int(j), float(w)) for j, w in zip(jahre, werte, strict=True) if zieljahr < j <= berichtsjahr]
    info = (f" Später (nur zur Information): {fmt_wert(spaeter[-1][1], einheit, nk)} ({spaeter[-1][0]})."
            if spaeter else "")
    bis = jahre <= zieljahr
    jahre, werte = jahre[bis], werte[bis]
    if not len(jahre) or int(jahre[-1]) < zieljahr - max_alter:
        return SollIst(z.ziel_id, None, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, Ampel.GRAU,
                       "Zieldatum abgelaufen, kein Ist-Wert dazu",
                       f"Zieldatum {datum} abgelaufen; zum Zieldatum gibt es keinen Ist-Wert, die Zielerreichung "
                       f"lässt sich nicht feststellen.{info}", None, None)
    jahr, ist = int(jahre[-1]), float(werte[-1])
    tol = z.toleranz
    if z.band:
        soll = np.nan
        unguenstig = unguenstige_abweichung(ist, ist, "halten", z.band_unten, z.band_oben)
        gegen = f"Zielbereich {bereich_text(z, einheit, nk)}"
    else:
        soll = np.nan if z.zielwert is None else z.zielwert
        unguenstig = unguenstige_abweichung(ist, soll, z.richtung)
        gegen = f"Zielwert {fmt_wert(soll, einheit, nk)}"
    an_grenze = unguenstig <= 1e-12 and grenze_verletzt(ist, z)
    erreicht = (unguenstig <= tol + 1e-12) and not (an_grenze and tol == 0)
    wort = "erreicht" if erreicht else "verfehlt"
    wie = ("" if unguenstig <= 1e-12 and not an_grenze else
           " (auf der Grenze)" if an_grenze else
           f" ({_betrag(unguenstig, einheit, nk)} daneben"
           + (", innerhalb der Toleranz)" if erreicht else f", Toleranz {_betrag(tol, einheit, nk)})"))
    text = (f"Zieldatum {datum} abgelaufen: Ziel {wort}{wie} – Ist {fmt_wert(ist, einheit, nk)} ({jahr}) gegen "
            f"{gegen}. Dieses Urteil gilt endgültig.{info}")
    abw = ist - soll
    st = None if status is None else status.get(jahr)
    return SollIst(z.ziel_id, jahr, ist, soll, abw, abw / abs(soll) * 100 if soll else np.nan,
                   unguenstig, np.nan if z.band else zielerreichungsgrad(ist, z.basiswert, soll),
                   Ampel.GRUEN if erreicht else Ampel.ROT, f"Zieldatum abgelaufen: Ziel {wort}", text, None, st)

"""Indicator values of the demo city, generated from a small population model.

Every Sozialraum ("atom": the units valid after the 2019 split) has a latent
deprivation score ``z`` that is spatially clustered (a poorer north, a hotspot
north of the centre, a large housing estate in the east, an affluent south-west)
and drifts over time (the estate worsens, the centre gentrifies). Population by
age band follows from a density model; every ratio indicator is drawn as a
binomial numerator over its denominator with a logit model in ``z``, so that
indicators correlate as in real cities and every value is exactly
numerator / denominator × factor. The Sozialraum that was split in 2019 gets,
before the split, the sums of its two parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from fis.demo.raeume import RADIUS_M

YEARS = np.arange(2011, 2025)  # 2011 only to compute the first migration balance
STICHTAGE = YEARS[1:]
TOTAL_POPULATION_2012 = 246_000

# Ten age bands: 0–3, 3–6, 6–10, 10–15, 15–18, 18–21, 21–25, 25–65, 65–80, 80+ (years, "unter")
AGE_SHARES = np.array([2.9, 2.9, 3.7, 4.5, 2.8, 3.0, 4.6, 53.4, 15.2, 7.0]) / 100

# Sozialräume with very few inhabitants (harbour, industrial estate): density factor.
SPARSE = {"Hafen": 0.05, "Zum Gewerbepark": 0.06, "Am Kanalhafen": 0.05}
BA_INDICATORS = ("sgb2_quote", "kinderarmut", "alq", "alq_u25", "langzeitarbeitslose", "svb_quote")


def _covid(a: float, b: float) -> dict[int, float]:
    return {2020: a, 2021: b, 2022: b / 3}


def _fluecht(f: float) -> dict[int, float]:
    return {y: f * w for y, w in zip(range(2015, 2025),
                                     (0.3, 0.8, 1.0, 1.0, 0.95, 0.9, 0.85, 1.1, 1.2, 1.2), strict=True)}


def _merge(*effects: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for e in effects:
        for y, v in e.items():
            out[y] = out.get(y, 0.0) + v
    return out


@dataclass(frozen=True)
class Modell:
    """How one ratio indicator is drawn: city share in 2012 (before effects), loading
    on deprivation, yearly logit trend, area-specific noise, extra year effects."""

    basis: str
    p2012: float
    beta: float
    trend: float
    streuung: float
    effekte: dict[int, float] = field(default_factory=dict)
    zentralitaet: float = 0.0  # extra loading on closeness to the centre


MODELLE: dict[str, Modell] = {
    "sgb2_quote": Modell("u65", 0.115, 0.75, -0.015, 0.12, _merge(_covid(0.04, 0.03), _fluecht(0.07))),
    "alq": Modell("b15_65", 0.072, 0.60, -0.030, 0.10, _covid(0.18, 0.12)),
    "alq_u25": Modell("b15_25", 0.065, 0.55, -0.030, 0.15, _covid(0.20, 0.10)),
    "langzeitarbeitslose": Modell("arbeitslose", 0.38, 0.25, -0.010, 0.10, _covid(-0.10, 0.15)),
    "grundsicherung_alter": Modell("b65p", 0.045, 0.70, 0.040, 0.15),
    "svb_quote": Modell("b15_65", 0.55, -0.35, 0.015, 0.05, _covid(-0.02, -0.01)),
    "wohngeld": Modell("haushalte", 0.018, 0.60, -0.020, 0.15, {2023: 0.55, 2024: 0.62}),
    "gefoerderte_wohnungen": Modell("wohnungen", 0.07, 0.70, -0.040, 0.40),
    "einpersonenhh": Modell("haushalte", 0.44, 0.20, 0.010, 0.08, zentralitaet=0.5),
    "wohndauer": Modell("P", 0.62, -0.25, -0.005, 0.06, zentralitaet=-0.2),
    "kita_u3": Modell("u3", 0.24, -0.35, 0.075, 0.12),
    "kita_3_6": Modell("b3_6", 0.93, -0.45, 0.010, 0.15),
    "ogs_quote": Modell("b6_10", 0.30, 0.10, 0.060, 0.15),
    "haupt_foerderschueler": Modell("schueler79", 0.18, 0.55, -0.050, 0.12),
    "gymnasialuebergang": Modell("klasse4", 0.42, -0.50, 0.005, 0.10),
    "sprachfoerderbedarf": Modell("seu", 0.22, 0.60, 0.020, 0.12,
                                  _merge(_fluecht(0.10), {2021: 0.10, 2022: 0.12, 2023: 0.06})),
    "uebergewicht_seu": Modell("seu", 0.10, 0.45, 0.010, 0.12, {2021: 0.10, 2022: 0.08}),
    "u_untersuchung": Modell("seu", 0.88, -0.35, 0.005, 0.10),
    "motorik_seu": Modell("seu", 0.16, 0.35, 0.015, 0.12, {2021: 0.12, 2022: 0.10}),
    "hilfe_zur_pflege": Modell("b65p", 0.012, 0.50, 0.030, 0.20),
    "kinderarmut": Modell("u15", 0.19, 0.80, -0.020, 0.10, _merge(_covid(0.03, 0.03), _fluecht(0.08))),
    "kita_beitragsfrei": Modell("kita_kinder", 0.28, 0.75, -0.010, 0.12),
    "alleinerziehende": Modell("hh_kinder", 0.21, 0.45, 0.005, 0.10),
    "hze_quote": Modell("u21", 0.024, 0.55, 0.010, 0.15),
    "heimerziehung": Modell("u21", 0.00315, 0.55, -0.0055, 0.15),
    "hilfen_19": Modell("geburten", 0.008, 0.50, -0.020, 0.20),
    "kinderschutz": Modell("u18", 0.009, 0.50, 0.050, 0.20),
    "migration_u21": Modell("u21", 0.42, 0.65, 0.020, 0.10, _fluecht(0.10)),
    "migration_gesamt": Modell("P", 0.27, 0.65, 0.020, 0.10, _fluecht(0.08)),
    "auslaender": Modell("P", 0.13, 0.65, 0.020, 0.12, _fluecht(0.25)),
    "einbuergerungen": Modell("auslaender", 0.018, -0.10, 0.020, 0.15, {2024: 0.40}),
}

# Indicators computed directly from the population model: (numerator, denominator).
DEMOGRAFIE = {
    "anteil_u18": ("u18", "P"),
    "anteil_65plus": ("b65p", "P"),
    "anteil_80plus": ("b80p", "P"),
    "wanderungssaldo": ("saldo", "P"),
}


def _gauss(x: np.ndarray, y: np.ndarray, cx: float, cy: float, s: float) -> np.ndarray:
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s**2))


def _logit(p: float | np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def _expit(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


@dataclass
class Bevoelkerung:
    """Counts per atom (rows) and year (columns, YEARS)."""

    ids: list[str]
    z: np.ndarray            # latent deprivation, atoms × years
    zentral: np.ndarray      # closeness to the centre, 0 (edge) … 1 (centre), per atom
    bases: dict[str, np.ndarray]


def population(atoms: dict[str, Polygon], names: dict[str, str], growth_area: str,
               rng: np.random.Generator) -> Bevoelkerung:
    ids = list(atoms)
    cx = np.array([atoms[i].centroid.x for i in ids])
    cy = np.array([atoms[i].centroid.y for i in ids])
    area = np.array([atoms[i].area / 1e6 for i in ids])
    r = np.hypot(cx, cy)
    zentral = np.clip(1 - r / RADIUS_M, 0, 1)
    n, t = len(ids), len(YEARS)
    years_since = (YEARS - 2012)[None, :]

    z0 = (0.9 * cy / RADIUS_M + 1.3 * _gauss(cx, cy, 0, 1500, 1800)
          + 1.0 * _gauss(cx, cy, 4300, 1200, 1600) - 0.9 * _gauss(cx, cy, -3500, -3500, 2500)
          + rng.normal(0, 0.35, n))
    z0 = (z0 - z0.mean()) / z0.std()
    drift = (0.045 * _gauss(cx, cy, 4300, 1200, 2200) - 0.04 * _gauss(cx, cy, 0, 0, 1600)
             + rng.normal(0, 0.008, n))
    z = z0[:, None] + drift[:, None] * years_since + rng.normal(0, 0.05, (n, t))

    density = (5200 * np.exp(-r / 3500) + 600) * rng.lognormal(0, 0.25, n)
    density *= np.array([SPARSE.get(names[i], 1.0) for i in ids])
    p2012 = area * density
    p2012 *= TOTAL_POPULATION_2012 / p2012.sum()
    growth = rng.normal(-0.001, 0.004, n) + 0.002 * np.clip(z0, 0, None)
    pop = p2012[:, None] * np.exp(growth[:, None] * years_since)
    # Refugee arrivals 2015/16 settle mostly in poorer areas.
    pop *= 1 + np.where(YEARS >= 2015, 0.004, 0) + np.where(YEARS >= 2016, 0.008, 0) * (
        1 + np.clip(z0, 0, None))[:, None]
    # A new housing area is built from 2016 on.
    g = ids.index(growth_area)
    pop[g] = np.where(YEARS < 2016, 250, 250 + 750 * (YEARS - 2015))
    pop = np.rint(pop).astype(np.int64)

    # Age structure: younger in deprived areas, students near the centre, ageing over time.
    shares = np.broadcast_to(AGE_SHARES, (n, t, 10)).copy()
    child = np.exp(0.12 * z + rng.normal(0, 0.08, (n, 1)))
    shares[..., :6] *= child[..., None]
    shares[..., 8:] *= np.exp(-0.18 * z + rng.normal(0, 0.12, (n, 1)))[..., None]
    shares[..., 8:] *= (1 + 0.005 * years_since)[..., None]
    shares[..., 6] *= np.exp(0.6 * zentral)[:, None]
    shares[g, :, :4] *= 1.6  # young families in the new area
    shares /= shares.sum(axis=2, keepdims=True)
    bands = rng.multinomial(pop, shares)  # atoms × years × 10, sums exactly to pop

    b = {f"b{k}": bands[..., k] for k in range(10)}
    u15 = b["b0"] + b["b1"] + b["b2"] + b["b3"]
    bases = {
        "P": pop, "u3": b["b0"], "b3_6": b["b1"], "b6_10": b["b2"], "u15": u15,
        "u18": u15 + b["b4"], "u21": u15 + b["b4"] + b["b5"],
        "b15_25": b["b4"] + b["b5"] + b["b6"], "b15_65": b["b4"] + b["b5"] + b["b6"] + b["b7"],
        "b65p": b["b8"] + b["b9"], "b80p": b["b9"],
    }
    bases["u65"] = pop - bases["b65p"]
    bases["geburten"] = rng.binomial(b["b0"], 0.345)
    hh_size = 1.85 + 0.30 * (1 - zentral)[:, None] + 0.06 * z
    bases["haushalte"] = np.rint(pop / hh_size).astype(np.int64)
    bases["hh_kinder"] = np.rint(bases["u18"] / 1.75).astype(np.int64)
    bases["wohnungen"] = np.rint(bases["haushalte"] * 1.04).astype(np.int64)
    bases["schueler79"] = np.rint(b["b3"] * 0.6).astype(np.int64)
    bases["klasse4"] = np.rint(b["b2"] / 4).astype(np.int64)
    bases["seu"] = np.rint(b["b1"] / 3).astype(np.int64)
    deaths = rng.binomial(bases["b65p"], 0.045) + rng.binomial(pop - bases["b65p"], 0.0015)
    saldo = np.zeros_like(pop)
    saldo[:, 1:] = np.diff(pop, axis=1) - (bases["geburten"][:, 1:] - deaths[:, 1:])
    bases["saldo"] = saldo
    return Bevoelkerung(ids=ids, z=z, zentral=zentral, bases=bases)


def _calibrated_intercept(m: Modell, z: np.ndarray, zentral: np.ndarray, den: np.ndarray,
                          persistent: np.ndarray) -> float:
    """Intercept that makes the expected city value of 2012 equal ``m.p2012``."""
    lo, hi = -12.0, 12.0
    lin = m.beta * z + m.zentralitaet * zentral + persistent
    for _ in range(60):
        mid = (lo + hi) / 2
        city = (den * _expit(mid + lin)).sum() / den.sum()
        lo, hi = (mid, hi) if city < m.p2012 else (lo, mid)
    return (lo + hi) / 2


def draw_numerators(bev: Bevoelkerung, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(numerator, denominator) per indicator, atoms × years."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    bases = dict(bev.bases)
    i2012 = list(YEARS).index(2012)
    for ind, m in MODELLE.items():
        if m.basis == "kita_kinder":
            bases["kita_kinder"] = out["kita_u3"][0] + out["kita_3_6"][0]
        den = bases[m.basis]
        persistent = rng.normal(0, m.streuung, (len(bev.ids), 1))
        a = _calibrated_intercept(m, bev.z[:, i2012], bev.zentral, den[:, i2012], persistent[:, 0])
        effect = np.array([m.effekte.get(int(y), 0.0) for y in YEARS])[None, :]
        lin = (a + m.beta * bev.z + m.zentralitaet * bev.zentral[:, None] + persistent
               + m.trend * (YEARS - 2012)[None, :] + effect + rng.normal(0, 0.03, den.shape))
        num = rng.binomial(den, _expit(lin))
        out[ind] = (num, den)
        if ind == "alq":
            bases["arbeitslose"] = num
        if ind == "auslaender":
            bases["auslaender"] = num
    for ind, (num_key, den_key) in DEMOGRAFIE.items():
        out[ind] = (bases[num_key], bases[den_key])
    out["bev_gesamt"] = (bases["P"], None)
    return out


def werte_frame(bev: Bevoelkerung, draws: dict[str, tuple[np.ndarray, np.ndarray | None]],
                faktoren: dict[str, float], split: tuple[str, tuple[str, str]],
                split_year: int) -> pd.DataFrame:
    """Long table raum_id, indikator_id, stichtag, wert, zaehler, nenner for 2012–2024.

    Before ``split_year`` the two parts of the split Sozialraum are summed into the
    old unit; from then on they appear separately.
    """
    old_id, (part_a, part_b) = split
    ia, ib = bev.ids.index(part_a), bev.ids.index(part_b)
    keep = [k for k in range(len(bev.ids)) if k not in (ia, ib)]
    frames = []
    for ind, (num, den) in draws.items():
        for j, year in enumerate(YEARS):
            if year < STICHTAGE[0]:
                continue
            if year < split_year:
                ids = [bev.ids[k] for k in keep] + [old_id]
                nums = np.append(num[keep, j], num[ia, j] + num[ib, j])
                dens = None if den is None else np.append(den[keep, j], den[ia, j] + den[ib, j])
            else:
                ids = bev.ids
                nums = num[:, j]
                dens = None if den is None else den[:, j]
            nums = nums.astype(float)
            if dens is None:
                frame = pd.DataFrame({"raum_id": ids, "wert": nums, "zaehler": nums, "nenner": np.nan})
            else:
                dens = dens.astype(float)
                with np.errstate(divide="ignore", invalid="ignore"):
                    wert = np.where(dens > 0, nums / dens * faktoren[ind], np.nan)
                frame = pd.DataFrame({"raum_id": ids, "wert": wert, "zaehler": nums, "nenner": dens})
            frame["indikator_id"] = ind
            frame["stichtag"] = pd.Timestamp(year=int(year), month=12, day=31).date()
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)[
        ["raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner"]]

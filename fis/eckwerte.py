"""The Eckwerte of the Lagebild: the city's key figures with their change against earlier Stichtage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fis.format import jahre_vorher


@dataclass(frozen=True)
class Eckwert:
    """One headline figure of a Raum: value and its changes (in the indicator's unit)."""

    indikator_id: str
    name: str
    einheit: str
    nachkommastellen: int
    polaritaet: str
    wert: float | None
    status: str | None
    vorjahr: float | None
    veraenderung_vorjahr: float | None
    vergleichsjahr: int
    veraenderung_vergleich: float | None
    verlauf: tuple[float, ...] = ()   # values of all Stichtage up to this one, oldest first
    abdeckung: str = ""               # "5 von 51 Sozialräumen" when not every area delivered

    @property
    def unvollstaendig(self) -> bool:
        return bool(self.abdeckung)


def berechne_eckwerte(werte: pd.DataFrame, indikatoren: pd.DataFrame, raum_id: str,
                     stichtag: date, indikator_ids: list[str], jahre: int) -> list[Eckwert]:
    """Headline values of ``raum_id`` at ``stichtag`` with the change against the
    previous year and against ``jahre`` years before (same day of year)."""
    meta = indikatoren.set_index("indikator_id")
    mine = werte[werte["raum_id"] == raum_id].copy()
    mine["stichtag"] = pd.to_datetime(mine["stichtag"]).dt.date
    lookup = mine.set_index(["indikator_id", "stichtag"])
    vorjahr_tag, vergleich_tag = jahre_vorher(stichtag, 1), jahre_vorher(stichtag, jahre)

    def get(ind: str, day: date, col: str = "wert"):
        try:
            v = lookup.at[(ind, day), col]
        except KeyError:
            return None
        return None if pd.isna(v) else (v if col in ("status", "abdeckung") else float(v))

    def vollstaendig(ind: str, day: date) -> bool:
        return not get(ind, day, "abdeckung") if "abdeckung" in lookup else True

    past_rows = mine[mine["stichtag"] <= stichtag].sort_values("stichtag")
    if "abdeckung" in past_rows:   # an incomplete sum is no point of the trend
        past_rows = past_rows[past_rows["abdeckung"].fillna("") == ""]
    series = {ind: grp["wert"] for ind, grp in past_rows.groupby("indikator_id")}
    out = []
    for ind in indikator_ids:
        m = meta.loc[ind]
        now, prev, past = get(ind, stichtag), get(ind, vorjahr_tag), get(ind, vergleich_tag)
        # A change is only stated between two complete values.
        ok = vollstaendig(ind, stichtag)
        prev = prev if ok and vollstaendig(ind, vorjahr_tag) else None
        past = past if ok and vollstaendig(ind, vergleich_tag) else None
        out.append(Eckwert(
            indikator_id=ind, name=m["name"], einheit=m["einheit"],
            nachkommastellen=int(m["nachkommastellen"]), polaritaet=m["polaritaet"],
            wert=now, status=get(ind, stichtag, "status"), vorjahr=prev,
            veraenderung_vorjahr=None if now is None or prev is None else now - prev,
            vergleichsjahr=vergleich_tag.year,
            veraenderung_vergleich=None if now is None or past is None else now - past,
            verlauf=tuple(float(v) for v in series.get(ind, pd.Series(dtype=float)).dropna()),
            abdeckung=get(ind, stichtag, "abdeckung") or "",
        ))
    return out

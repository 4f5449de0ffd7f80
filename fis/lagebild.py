"""The Lagebild: the city's situation at one Stichtag, on one screen.

Composes monitoring and controlling results for the start page and for reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from fis.config import Config
from fis.controlling import count_ziele
from fis.eckwerte import Eckwert, berechne_eckwerte
from fis.format import fmt_anzeige
from fis.indizes import handlungsbedarf_klassen, index_indikatoren, lade_indexdaten
from fis.monitoring import Monitoringdaten, beschreibe_handlungsbedarf, flag_handlungsbedarf
from fis.store import Store
from fis.wuerfel import lade_monitoring


@dataclass(frozen=True)
class Lagebild:
    stichtag: date
    stadt_id: str
    eckwerte: tuple[Eckwert, ...]
    handlungsbedarf: pd.DataFrame     # one row per Sozialraum with Handlungsbedarf
    regel: str                        # the rule as a German sentence
    anzahl_sozialraeume: int
    ziele: pd.DataFrame               # counts per Zielfeld
    raumtabelle: pd.DataFrame         # key indicators for every unit of the chosen level
    stand: str                        # newest delivery with values at the Stichtag, for the status line
    nicht_beurteilbar: str = ""       # why Handlungsbedarf cannot be judged at this Stichtag ('' if it can)


def berechne_lagebild(store: Store, config: Config, stichtag: date, ebene: int,
                     m: Monitoringdaten | None = None, indexklassen: pd.Series | None = None) -> Lagebild:
    """Everything the Lagebild shows for ``stichtag``; ``ebene`` selects the Raum
    level of the comparison table. Values come from the published
    :class:`Monitoringdaten` (primary and secondary suppression applied). With an index
    rule in lagebild.yaml, ``indexklassen`` (raum_id → class, fis.indizes.handlungsbedarf_klassen)
    marks areas too; computed here if not given."""
    m = m or lade_monitoring(store, config)
    indikatoren = m.indikatoren.reset_index()
    lage = config.lagebild
    stadt_id = m.stadt_id(stichtag)
    bis = m.werte[m.werte["stichtag"] <= stichtag]
    stadt = bis[bis["ebene"] == m.top]
    eckwerte = berechne_eckwerte(stadt, indikatoren, stadt_id, stichtag, list(lage.kennzahlen),
                                lage.vergleich_jahre)
    sozialraum = m.auswahl(stichtag=stichtag, ebene=1)
    gueltig = m.raeume[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == 1)]["raum_id"]
    anzahl_sozialraeume = int(gueltig.nunique()) or int(sozialraum["raum_id"].nunique())
    regel = lage.handlungsbedarf
    nicht_beurteilbar = _nicht_beurteilbar(m.auswahl(stichtag=stichtag, ebene=m.top), regel.indikatoren,
                                           indikatoren, 0 if regel.index else regel.mindestanzahl)
    if nicht_beurteilbar:
        # against an incomplete city value no area is conspicuous; nor is an index of some areas a ranking
        sozialraum = sozialraum.iloc[0:0]
        indexklassen = pd.Series(dtype=object)
    flags = flag_handlungsbedarf(sozialraum, stadt, indikatoren, lage.handlungsbedarf, pd.Series(dtype=float))
    if regel.index and indexklassen is None:
        oeffentlich = lade_monitoring(store, config, index_indikatoren(config)) \
            if getattr(store, "nur_veroeffentlicht", False) else None
        indexklassen = handlungsbedarf_klassen(lade_indexdaten(store, config), config, stichtag, oeffentlich)
    if regel.index and indexklassen is not None:
        markiert = set(indexklassen[indexklassen.isin(regel.index_klassen)].index)
        nach_regel = set(flags.loc[flags["handlungsbedarf"], "raum_id"])
        gesamt = nach_regel | markiert if regel.verknuepfung == "oder" else nach_regel & markiert
        flags = flags.assign(handlungsbedarf=flags["raum_id"].isin(gesamt))
    handlungsbedarf = _handlungsbedarf_tabelle(flags, m.raeume, indikatoren,
                                               config.ebene(1).name, config.ebene(2).name)
    if regel.index and indexklassen is not None:
        # areas marked by the index alone, without any core-indicator value, still appear
        fehlen = sorted(gesamt - set(handlungsbedarf["raum_id"]))
        if fehlen:
            namen = _names(m.raeume)
            eltern = m.raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["parent_id"]
            handlungsbedarf = pd.concat([handlungsbedarf, pd.DataFrame({
                "raum_id": fehlen, config.ebene(1).name: [namen.get(r) for r in fehlen],
                config.ebene(2).name: [namen.get(eltern.get(r)) for r in fehlen], "auffällig": 0})],
                ignore_index=True)
        klasse = handlungsbedarf["raum_id"].map(indexklassen).astype(object).fillna("–")
        handlungsbedarf.insert(4, "Indexklasse", klasse)
    einheiten = m.raeume.loc[(m.raeume["stichtag"] == stichtag) & (m.raeume["ebene"] == ebene), "raum_id"]
    raumtabelle = _raumtabelle(m.auswahl(stichtag=stichtag, ebene=ebene), m.raeume, indikatoren,
                               list(lage.kennzahlen), sorted(einheiten))
    ziele = count_ziele(store.lade_ziele(), stichtag)
    last = store.lade_letzte_lieferung(stichtag)
    stand = "" if last is None else f"{last['bezeichnung']}, geliefert am {last['zeitpunkt']:%d.%m.%Y}"
    return Lagebild(
        stichtag=stichtag, stadt_id=stadt_id, eckwerte=tuple(eckwerte),
        handlungsbedarf=handlungsbedarf,
        regel=beschreibe_handlungsbedarf(lage.handlungsbedarf, indikatoren, config.ebene(1).name),
        anzahl_sozialraeume=anzahl_sozialraeume, ziele=ziele,
        raumtabelle=raumtabelle, stand=stand, nicht_beurteilbar=nicht_beurteilbar,
    )


def _nicht_beurteilbar(stadt: pd.DataFrame, kern: tuple[str, ...], indikatoren: pd.DataFrame,
                       mindestanzahl: int = 0) -> str:
    """Why the Handlungsbedarf rule cannot be applied at this Stichtag: a core indicator's city value
    rests on some Sozialräume only, or fewer core indicators than the rule needs have a city value at
    all (a new city delivering its first indicators) – '' if it can be applied."""
    namen = indikatoren.set_index("indikator_id")["kurzname"]
    mit_wert = stadt[stadt["indikator_id"].isin(kern) & stadt["wert"].notna()]["indikator_id"].unique()
    if mindestanzahl and len(mit_wert) < mindestanzahl:
        vorhanden = ", ".join(str(namen.get(i, i)) for i in mit_wert) or "keiner"
        return (f"nicht beurteilbar: Die Regel braucht Stadtwerte von mindestens {mindestanzahl} der "
                f"{len(kern)} Kernindikatoren; vorhanden: {vorhanden}. Bitte diese Indikatoren liefern "
                "(mit Zähler und Nenner) oder die Kernindikatoren in lagebild.yaml anpassen")
    teil = stadt[stadt["indikator_id"].isin(kern) & stadt.get("unvollstaendig", False)]
    if teil.empty:
        return ""
    beispiel = teil.iloc[0]
    return (f"nicht beurteilbar: Der Stadtwert von {namen.get(beispiel['indikator_id'], beispiel['indikator_id'])} "
            f"beruht nur auf {beispiel['abdeckung']}; ohne vollständigen Vergleichswert ist kein Gebiet auffällig")


def _names(raeume: pd.DataFrame) -> pd.Series:
    return raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"]


def _shown(rows: pd.DataFrame, meta: pd.DataFrame) -> list[str]:
    """Each row's value as text: the actual suppression reason, the coverage of an incomplete sum (a loop over
    columns: pandas rows cost a large city's Lagebild a second)."""
    einheit, stellen = meta["einheit"].to_dict(), meta["nachkommastellen"].astype(int).to_dict()
    n = len(rows)

    def spalte(name, leer):
        return rows[name].tolist() if name in rows else [leer] * n

    return [fmt_anzeige(wert, einheit[ind], stellen[ind], unterdrueckt=bool(u), grund=grund,
                        schwelle=int(schwelle or 0) if pd.notna(schwelle) else 0,
                        abdeckung=abdeckung if isinstance(abdeckung, str) else "")
            for ind, wert, u, grund, schwelle, abdeckung in zip(
                rows["indikator_id"].tolist(), rows["wert"].tolist(), spalte("unterdrueckt", False),
                spalte("grund", ""), spalte("schwelle", 0), spalte("abdeckung", ""), strict=True)]


def _handlungsbedarf_tabelle(flags: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame,
                             einheit: str, oberebene: str) -> pd.DataFrame:
    """Areas with Handlungsbedarf, most conspicuous first; values as display text
    (suppressed values were already blanked by flag_handlungsbedarf)."""
    meta = indikatoren.set_index("indikator_id")
    names = _names(raeume)
    parents = raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["parent_id"]
    hits = flags[flags["handlungsbedarf"]].copy()
    if hits.empty:
        return pd.DataFrame(columns=["raum_id", einheit, oberebene, "auffällig"])
    hits["anzeige"] = _shown(hits, meta)
    hits["anzeige"] = hits["anzeige"].where(~hits["auffaellig"], hits["anzeige"] + " ▲")
    wide = hits.pivot(index="raum_id", columns="indikator_id", values="anzeige")
    wide.columns = [meta.at[c, "kurzname"] for c in wide.columns]
    count = hits.groupby("raum_id")["anzahl_auffaellig"].first()
    out = wide.reset_index()
    out.insert(1, einheit, out["raum_id"].map(names))
    out.insert(2, oberebene, out["raum_id"].map(parents).map(names))
    out.insert(3, "auffällig", out["raum_id"].map(count))
    return out.sort_values(["auffällig", "raum_id"], ascending=[False, True]).reset_index(drop=True)


def _raumtabelle(level: pd.DataFrame, raeume: pd.DataFrame, indikatoren: pd.DataFrame,
                 kennzahlen: list[str], einheiten: list[str]) -> pd.DataFrame:
    """Key indicators (columns) for every unit of one level valid at the Stichtag (rows, „–“ where
    a unit has no value), as display text."""
    meta = indikatoren.set_index("indikator_id")
    rows = level[level["indikator_id"].isin(kennzahlen)].copy()
    rows["anzeige"] = _shown(rows, meta)
    ohne_hinweis = rows["abdeckung"].fillna("") == "" if "abdeckung" in rows else True
    rows.loc[(rows["status"] == "vorläufig") & ~rows["unterdrueckt"] & ohne_hinweis & rows["wert"].notna(),
             "anzeige"] += " (v)"
    wide = rows.pivot(index="raum_id", columns="indikator_id", values="anzeige")
    wide = wide.reindex(index=sorted(set(einheiten) | set(wide.index)),
                        columns=[k for k in kennzahlen if k in meta.index]).astype(object).fillna("–")
    wide.columns = [meta.at[c, "kurzname"] for c in wide.columns]
    wide.index.name = "raum_id"
    out = wide.reset_index()
    out.insert(1, "Name", out["raum_id"].map(_names(raeume)))
    return out.rename(columns={"raum_id": "Nr."})

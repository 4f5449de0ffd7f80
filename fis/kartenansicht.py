"""The map as a page and a slide show it: one indicator at one Stichtag and level, classed and coloured, with
its legend, the table beside it and the layers of facilities."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from fis.analysen import fmt_rang, karte_werte, veraenderung
from fis.format import fmt_anzeige, fmt_datum, fmt_wert, fmt_zahl
from fis.maps import (
    METHODEN,
    STANDARD_METHODE,
    Klassen,
    Legendeneintrag,
    anzeigewert,
    einfaerben,
    klassen,
    klassen_veraenderung,
    palette,
    palette_veraenderung,
)
from fis.palette import (
    OHNE_WERT,
    RAHMEN,
    REFERENZ,
)


def legende_html(titel: str, eintraege: list[Legendeneintrag]) -> str:
    """The legend as an HTML list; every text is escaped (units come from the catalog)."""
    zeilen = "".join(
        f'<li style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
        f'<span style="display:inline-block;width:1.4em;height:1em;background:{e.farbe};'
        f'border:1px solid {RAHMEN}"></span><span>{escape(e.text)}</span>'
        f'<span style="margin-left:auto;color:{REFERENZ}">{fmt_zahl(e.anzahl, 0)}</span></li>'
        for e in eintraege)
    return (f'<div role="list" aria-label="Legende"><strong>{escape(titel)}</strong>'
            f'<ul style="list-style:none;padding:0;margin:.3em 0">{zeilen}</ul></div>')


@dataclass(frozen=True)
class Kartenansicht:
    daten: pd.DataFrame          # one row per unit: raum_id, name, geometrie, farbe, texts …
    legende: list[Legendeneintrag]
    klassen: Klassen
    titel: str
    untertitel: str
    tooltip: str


def kartenansicht(m, geometrien: pd.Series, indikator_id: str, stichtag, ebene: int,
                  methode: str = STANDARD_METHODE, k: int = 5, vergleich=None) -> Kartenansicht:
    """Everything the map of one indicator shows. ``geometrien``: simplified shapely
    geometries by raum_id. With ``vergleich`` (an earlier Stichtag) it is a change map."""

    meta = m.meta(indikator_id)
    einheit, stellen, pol = meta["einheit"], int(meta["nachkommastellen"]), meta["polaritaet"]
    werte = karte_werte(m, indikator_id, stichtag, ebene)
    werte["anzeige"] = [fmt_anzeige(w, einheit, stellen, unterdrueckt=u, grund=g, schwelle=s, abdeckung=a)
                        for w, u, g, s, a in zip(werte["wert"], werte["unterdrueckt"], werte["grund"],
                                                 werte["schwelle"], werte["abdeckung"], strict=True)]
    stadt = fmt_wert(werte["stadtwert"].iloc[0] if len(werte) else np.nan, einheit, stellen)
    stadt_name = m.ebenen[m.top][0]
    werte["stadt_text"] = f"{stadt_name}: {stadt}"
    ebene_name = m.ebenen[ebene][0]
    schwelle = int(werte["schwelle"].max()) if len(werte) else 0
    if vergleich is None:
        werte["rang_text"] = ["Rang " + fmt_rang(r, b, n) if pd.notna(r) else "ohne Rang"
                              for r, b, n in zip(werte["rang"], werte["rang_bis"], werte["n"], strict=True)]
        kl = klassen(werte["wert"], methode, k, werte["stadtwert"].iloc[0] if len(werte) else None,
                     einheit, stellen)
        daten, legende = einfaerben(werte, "wert", kl, palette(pol, len(kl.grenzen) or k),
                                    f"< {schwelle} Fälle")
        titel = f"{meta['name']} ({einheit}) je {ebene_name}, {fmt_datum(stichtag)}"
        unter = (f"Klassen: {METHODEN[methode]} · {stadt_name} {stadt} · Rang 1 = "
                 + ("niedrigster Wert" if pol == "hoch_gut" else "höchster Wert")
                 + f" · Quelle: {meta['quelle']}")
        tooltip = "{name} ({raum_id})\n{anzeige}\n{rang_text}\n{stadt_text}"
    else:
        d = veraenderung(m, indikator_id, vergleich, stichtag, ebene)
        werte = werte.merge(d[["raum_id", "differenz", "vergleichbar", "hinweis", "rang"]].rename(
            columns={"rang": "rang_diff"}), on="raum_id", how="left")
        werte["unterdrueckt"] = werte["unterdrueckt"] | d.set_index("raum_id")["unterdrueckt"].reindex(
            werte["raum_id"]).fillna(False).to_numpy(dtype=bool)
        werte["diff_text"] = [
            h if pd.isna(x) and h else anzeigewert(x, u, g, s, einheit, stellen, differenz=True)
            for x, u, g, s, h in zip(werte["differenz"], werte["unterdrueckt"], werte["grund"],
                                     werte["schwelle"], werte["hinweis"].fillna(""), strict=True)]
        werte["diff_text"] = f"Veränderung seit {fmt_datum(vergleich)}: " + werte["diff_text"]
        kl = klassen_veraenderung(werte["differenz"], einheit, stellen)
        daten, legende = einfaerben(werte, "differenz", kl, palette_veraenderung(pol), f"< {schwelle} Fälle")
        nicht = int((~werte["vergleichbar"].fillna(False).astype(bool)).sum())
        if nicht:
            legende = [e for e in legende if e.text != "kein Wert"]
            ohne = int((daten["differenz"].isna() & ~daten["unterdrueckt"]).sum())
            legende.append(Legendeneintrag(OHNE_WERT, "nicht vergleichbar (neuer Zuschnitt) oder kein Wert", ohne))
        titel = (f"Veränderung {meta['name']} je {ebene_name}, "
                 f"{fmt_datum(vergleich)} → {fmt_datum(stichtag)}")
        unter = ("Rot = ungünstige Entwicklung, Blau = günstige" if pol != "neutral" else
                 "Orange = Abnahme, Violett = Zunahme (ohne Wertung)") + f" · Quelle: {meta['quelle']}"
        tooltip = "{name} ({raum_id})\n{anzeige}\n{diff_text}\n{stadt_text}"
    daten = daten.merge(geometrien.rename("geometrie"), left_on="raum_id", right_index=True, how="left")
    return Kartenansicht(daten, legende, kl, titel, unter, tooltip)


def kartentabelle(ansicht: Kartenansicht, ebene_name: str) -> pd.DataFrame:
    """The map's values as a table (display text, suppression marks, no geometry)."""
    d = ansicht.daten
    out = pd.DataFrame({"Nr.": d["raum_id"], ebene_name: d["name"], "Wert": d["anzeige"]})
    if "diff_text" in d:
        out["Veränderung"] = d["diff_text"].str.replace(r"^Veränderung seit [0-9.]+: ", "", regex=True)
    else:
        out["Rang"] = [fmt_rang(r, b, n) for r, b, n in zip(d["rang"], d["rang_bis"], d["n"], strict=True)]
        idx = d["index"].where(~d["unterdrueckt"])
        out["Index (Stadt = 100)"] = [fmt_zahl(v, 0) if pd.notna(v) else "–" for v in idx]
    return out.sort_values("Nr.").reset_index(drop=True)

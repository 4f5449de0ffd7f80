"""The area cells of a values delivery turned into Kennungen: ids stay, „01 Altstadt“ becomes 01, unique names
and totals are matched and reported, lost leading zeros restored when the mapping says so."""

from __future__ import annotations

import re

import pandas as pd

from fis.ingest.pruefregeln import Funde
from fis.ingest.zuordnung import (
    GESAMT_NAMEN,
    Zuordnung,
    aehnlichkeit,
    namensschluessel,
)
from fis.store import Store


def fuehrende_nullen(frame: pd.DataFrame, found: Funde, z: Zuordnung, funde: Funde) -> pd.DataFrame:
    """Area ids that lost their leading zeros restored (when the mapping says so; „werte_nullen_ergaenzt“)."""
    vorschlag = found["raum_vorschlag"]
    zeros = vorschlag[vorschlag["nullen"]]
    if zeros.empty or not z.fuehrende_nullen:
        return frame
    mapping = dict(zip(zeros["id"], zeros["vorschlag"], strict=True))
    funde["werte_nullen_ergaenzt"] = pd.DataFrame({"beispiel": [f"{k} → {v}" for k, v in mapping.items()],
                                                   "anzahl": [int((frame["raum_id"] == k).sum()) for k in mapping]})
    return frame.assign(raum_id=frame["raum_id"].replace(mapping))


def raeume_zuordnen(store: Store, frame: pd.DataFrame, z: Zuordnung, funde: Funde) -> pd.DataFrame:
    """Area cells to ids: ids stay, „01 Altstadt“ becomes 01 (if the name fits), unique names
    (normalised) and totals („Gesamt“, „Stadt insgesamt“, the city's name) are matched and reported.
    A name column that disagrees with the Raumgliederung is an error with both names (findings under the ids
    of :data:`fis.ingest.werteregeln.WERTE_LESEN`)."""
    raeume = store.lade_raeume()
    if raeume.empty:
        return frame.drop(columns=["raum_name"])
    raeume = raeume.assign(raum_id=raeume["raum_id"].astype(str), schluessel=raeume["name"].map(namensschluessel))
    ids = set(raeume["raum_id"])
    namen_je_id = raeume.groupby("raum_id")["schluessel"].agg(set).to_dict()
    anzeige = raeume.drop_duplicates("raum_id", keep="last").set_index("raum_id")["name"].to_dict()
    ids_je_name = raeume.groupby("schluessel")["raum_id"].agg(lambda r: sorted(set(r))).to_dict()
    top = int(raeume["ebene"].max())
    stadt = raeume[raeume["ebene"] == top]
    gesamt = set(GESAMT_NAMEN) | set(stadt["schluessel"]) | {f"{k} insgesamt" for k in stadt["schluessel"]}
    ebene_je_id = raeume.drop_duplicates("raum_id").set_index("raum_id")["ebene"].to_dict()
    werte = pd.Series(frame["raum_id"].unique())
    direkt = werte[werte.isin(ids)]
    ebenen = pd.Series([ebene_je_id[i] for i in direkt], dtype=float)
    haupt_ebene = int(ebenen.mode().iloc[0]) if len(ebenen) else None

    zuordnung: dict[str, str] = {}
    ueber_namen, summen, widerspruch, mehrdeutig = [], [], [], []
    for wert in werte:
        if wert in ids or wert == "":
            continue
        schluessel = namensschluessel(wert)
        teile = re.match(r"^(\S+?)\s*[-–:]?\s+(.+)$", wert)
        if teile and teile.group(1) in ids:
            kennung, name = teile.group(1), teile.group(2)
            if namensschluessel(name) in namen_je_id[kennung] or max(
                    aehnlichkeit(name, n) for n in namen_je_id[kennung]) >= 0.85:
                zuordnung[wert] = kennung
            else:
                widerspruch.append((wert, kennung, name, anzeige[kennung]))
            continue
        if schluessel in gesamt and len(stadt):
            zuordnung[wert] = str(stadt["raum_id"].iloc[-1])
            summen.append(wert)
            continue
        kandidaten = ids_je_name.get(schluessel, [])
        if len(kandidaten) > 1 and haupt_ebene is not None:
            gleiche_ebene = [k for k in kandidaten if ebene_je_id[k] == haupt_ebene]
            kandidaten = gleiche_ebene or kandidaten
        if len(kandidaten) == 1:
            zuordnung[wert] = kandidaten[0]
            ueber_namen.append((wert, kandidaten[0]))
        elif len(kandidaten) > 1:
            mehrdeutig.append((wert, kandidaten))
    erste_zeile = frame.drop_duplicates("raum_id").set_index("raum_id")["zeile"]
    funde["werte_gebiet_name"] = pd.DataFrame({
        "zeile": pd.NA, "spalte": z.raum, "wert": [w for w, _ in ueber_namen],
        "hinweis": [f"Kennung {k} ({anzeige[k]})" for _, k in ueber_namen],
        "beispiel": [f"„{w}“ → {k}" for w, k in ueber_namen]})
    funde["werte_gesamt"] = pd.DataFrame({"wert": summen, "hinweis": [anzeige[zuordnung[w]] for w in summen]})
    funde["werte_gebiet_widerspruch"] = pd.DataFrame({
        "zeile": [erste_zeile[w] for w, *_ in widerspruch], "spalte": z.raum, "wert": [w for w, *_ in widerspruch],
        "hinweis": [f"{k} heißt laut Raumgliederung „{a}“" for _, k, _, a in widerspruch],
        "beispiel": [f"{k} „{n}“, laut Raumgliederung „{a}“" for _, k, n, a in widerspruch]})
    funde["werte_gebiet_mehrdeutig"] = pd.DataFrame({
        "zeile": [erste_zeile[w] for w, _ in mehrdeutig], "spalte": z.raum, "wert": [w for w, _ in mehrdeutig],
        "hinweis": [f"möglich: {', '.join(f'{i} ({anzeige[i]})' for i in k)}" for _, k in mehrdeutig],
        "beispiel": ["„" + w + "“: " + ", ".join(k) for w, k in mehrdeutig]})
    if mehrdeutig:
        frame = frame[~frame["raum_id"].isin([w for w, _ in mehrdeutig])]
    if widerspruch:
        frame = frame[~frame["raum_id"].isin([w for w, *_ in widerspruch])]
    frame = frame.assign(raum_id=frame["raum_id"].replace(zuordnung))

    # A separate name column must agree with the id
    if z.raum_name:
        paare = frame[(frame["raum_name"].astype(str).str.strip() != "") & frame["raum_id"].isin(ids)] \
            .drop_duplicates(["raum_id", "raum_name"])
        falsch = [(r.zeile, r.raum_id, r.raum_name) for r in paare.itertuples(index=False)
                  if namensschluessel(r.raum_name) not in namen_je_id[r.raum_id]
                  and max(aehnlichkeit(r.raum_name, n) for n in namen_je_id[r.raum_id]) < 0.85]
        funde["werte_name_falsch"] = pd.DataFrame({
            "zeile": [f[0] for f in falsch], "spalte": z.raum_name, "wert": [f"{k} „{n}“" for _, k, n in falsch],
            "hinweis": [f"laut Raumgliederung „{anzeige[k]}“" for _, k, _ in falsch],
            "beispiel": [f"{k}: „{n}“ in der Datei, „{anzeige[k]}“ laut Raumgliederung" for _, k, n in falsch]})
    return frame.drop(columns=["raum_name"])

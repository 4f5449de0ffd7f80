"""The area cells of a values delivery turned into Kennungen: ids stay, „01 Altstadt“ becomes 01, unique names
and totals are matched and reported, lost leading zeros restored when the mapping says so."""

from __future__ import annotations

import re

import pandas as pd

from fis.ingest.bericht import Pruefbericht
from fis.ingest.pruefregeln import liste
from fis.ingest.zuordnung import (
    GESAMT_NAMEN,
    Zuordnung,
    aehnlichkeit,
    namensschluessel,
)
from fis.store import Store


def fuehrende_nullen(frame: pd.DataFrame, found: dict[str, pd.DataFrame], z: Zuordnung,
                      bericht: Pruefbericht) -> pd.DataFrame:
    vorschlag = found["raum_vorschlag"]
    zeros = vorschlag[vorschlag["nullen"]]
    if zeros.empty or not z.fuehrende_nullen:
        return frame
    mapping = dict(zip(zeros["id"], zeros["vorschlag"], strict=True))
    hit = frame["raum_id"].isin(mapping)
    bericht.add("Hinweis", "Führende Nullen ergänzt",
                f"{int(hit.sum())} Raum-Kennungen hatten ihre führenden Nullen verloren und wurden ergänzt "
                f"(z. B. {liste([f'{k} → {v}' for k, v in list(mapping.items())[:3]], 3)}).",
                anzahl=int(hit.sum()))
    return frame.assign(raum_id=frame["raum_id"].replace(mapping))


def raeume_zuordnen(store: Store, frame: pd.DataFrame, z: Zuordnung, bericht: Pruefbericht) -> pd.DataFrame:
    """Area cells to ids: ids stay, „01 Altstadt“ becomes 01 (if the name fits), unique names
    (normalised) and totals („Gesamt“, „Stadt insgesamt“, the city's name) are matched and reported.
    A name column that disagrees with the Raumgliederung is an error with both names."""
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
    if ueber_namen:
        bericht.add("Hinweis", "Gebiete über den Namen zugeordnet",
                    f"{len(ueber_namen)} {'Gebiet' if len(ueber_namen) == 1 else 'Gebiete'} über den Namen "
                    f"zugeordnet (z. B. {liste([f'„{w}“ → {k}' for w, k in ueber_namen], 3)}).",
                    pd.DataFrame({"zeile": pd.NA, "spalte": z.raum, "wert": [w for w, _ in ueber_namen],
                                  "hinweis": [f"Kennung {k} ({anzeige[k]})" for _, k in ueber_namen]}),
                    anzahl=len(ueber_namen))
    if summen:
        bericht.add("Hinweis", "Gesamtwerte erkannt",
                    f"Die Zeilen „{'“, „'.join(summen[:3])}“ sind Werte der Gesamtstadt "
                    f"({anzeige[zuordnung[summen[0]]]}) "
                    "und werden als gelieferte Gesamtwerte gespeichert.", anzahl=len(summen))
    erste_zeile = frame.drop_duplicates("raum_id").set_index("raum_id")["zeile"]
    if widerspruch:
        bericht.add("Fehler", "Kennung und Name widersprechen sich",
                    f"{len(widerspruch)} Gebietsangaben nennen eine Kennung mit dem Namen eines anderen Gebiets "
                    f"(z. B. {liste([f'{k} „{n}“, laut Raumgliederung „{a}“' for _, k, n, a in widerspruch], 3)}). "
                    "Bitte Kennung oder Name in der Datei korrigieren.",
                    pd.DataFrame({"zeile": [erste_zeile[w] for w, *_ in widerspruch], "spalte": z.raum,
                                  "wert": [w for w, *_ in widerspruch],
                                  "hinweis": [f"{k} heißt laut Raumgliederung „{a}“" for _, k, _, a in widerspruch]}))
    if mehrdeutig:
        bericht.add("Fehler", "Gebietsname mehrdeutig",
                    f"{len(mehrdeutig)} Gebietsnamen passen auf mehrere Gebiete "
                    "(" + liste(["„" + w + "“: " + ", ".join(k) for w, k in mehrdeutig], 3)
                    + "). Bitte die Kennung angeben.",
                    pd.DataFrame({"zeile": [erste_zeile[w] for w, _ in mehrdeutig], "spalte": z.raum,
                                  "wert": [w for w, _ in mehrdeutig],
                                  "hinweis": [f"möglich: {', '.join(f'{i} ({anzeige[i]})' for i in k)}"
                                              for _, k in mehrdeutig]}))
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
        if falsch:
            bericht.add("Fehler", "Kennung und Name widersprechen sich",
                        f"{len(falsch)} Zeilen nennen zu einer Kennung einen anderen Namen als die Raumgliederung "
                        "(z. B. " + liste([f"{k}: „{n}“ in der Datei, „{anzeige[k]}“ laut Raumgliederung"
                                            for _, k, n in falsch], 3) + "). "
                        "Ist die Datei verrutscht, oder gehört sie zu einem anderen Zuschnitt?",
                        pd.DataFrame({"zeile": [f[0] for f in falsch], "spalte": z.raum_name,
                                      "wert": [f"{k} „{n}“" for _, k, n in falsch],
                                      "hinweis": [f"laut Raumgliederung „{anzeige[k]}“" for _, k, _ in falsch]}))
    return frame.drop(columns=["raum_name"])

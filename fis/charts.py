"""Altair chart builders shared by pages and reports: German number and date labels,
suppressed values marked (never drawn as 0), provisional values and scheme changes
visible."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from fis import palette as P
from fis.format import fmt_anzeige, fmt_datum, fmt_euro, fmt_wert, fmt_zahl
from fis.produkte import spaltenname


def zahl_label(nachkommastellen: int = 1) -> str:
    """A Vega label expression that prints numbers the German way (1.234,5)."""
    f = f",.{nachkommastellen}f"
    return ("replace(replace(replace(format(datum.value, '" + f + "'), regexp(',', 'g'), '#'), "
            "regexp('[.]', 'g'), ','), regexp('#', 'g'), '.')")


def _achse(titel: str, nachkommastellen: int) -> alt.Axis:
    return alt.Axis(title=titel, labelExpr=zahl_label(max(0, min(nachkommastellen, 2))))


def zeitreihe(reihe: pd.DataFrame, meta: pd.Series, reformen: list = (), hoehe: int = 360,
              titel: str | None = None, jahresschritt: int = 1, prognose: pd.DataFrame | None = None
              ) -> alt.LayerChart:
    """Lines of ``reihe`` (from fis.monitoring.zeitreihe): selected units solid, parent levels dashed, external
    references (rolle „Vergleich“, fis.vergleichswerte.reihen) dotted; provisional values as hollow points,
    suppressed Stichtage as gaps with a grey mark at the axis; dates of new Raum schemes as vertical rules."""
    einheit, stellen = meta["einheit"], int(meta["nachkommastellen"])
    d = reihe.copy()
    d["datum"] = pd.to_datetime(d["stichtag"])
    d["Stichtag"] = [fmt_datum(x.date()) for x in d["datum"]]
    abdeckung = d["abdeckung"].fillna("") if "abdeckung" in d else pd.Series("", index=d.index)
    d["Wert"] = [fmt_anzeige(w, einheit, stellen, unterdrueckt=u, grund=g, schwelle=s, abdeckung=a)
                 for w, u, g, s, a in zip(d["wert"], d["unterdrueckt"], d["grund"], d["schwelle"], abdeckung,
                                          strict=True)]
    d["Status"] = d["status"].fillna("").where(abdeckung == "", "unvollständig")
    # an incomplete sum is a hollow point of its own: no line leads to it
    d["linie"] = d["wert"].where(abdeckung == "")
    d["Gebiet"] = d["name"] + np.where(d["rolle"].isin(["Auswahl", "Vergleich"]), "", " (" + d["rolle"] + ")")
    reihenfolge = list(dict.fromkeys(d.sort_values(["ebene", "name"])["Gebiet"]))
    # the chosen areas in colours, their parents and the city in neutral greys (a reference, no judgement)
    art = d.drop_duplicates("Gebiet").set_index("Gebiet")
    oben = int(d.loc[d["rolle"] != "Vergleich", "ebene"].max()) if (d["rolle"] != "Vergleich").any() else 0
    farben, gewaehlt, eltern = [], 0, 0
    vergleiche = 0
    for g in reihenfolge:
        if art.at[g, "rolle"] == "Vergleich":          # Land, Bund …: fis.vergleichswerte.reihen
            farben.append(P.VERGLEICH[vergleiche % len(P.VERGLEICH)])
            vergleiche += 1
        elif art.at[g, "rolle"] == "Auswahl":
            reihe = P.AUSWAHL + P.AUSWAHL_WEITERE
            farben.append(reihe[gewaehlt % len(reihe)])
            gewaehlt += 1
        elif int(art.at[g, "ebene"]) == oben:
            farben.append(P.REFERENZ)
        else:
            farben.append(P.REFERENZ_STUFEN[eltern % len(P.REFERENZ_STUFEN)])
            eltern += 1
    farbe = alt.Color("Gebiet:N", sort=reihenfolge, scale=alt.Scale(domain=reihenfolge, range=farben),
                      legend=alt.Legend(title=None, orient="bottom", columns=3, labelLimit=280))
    strich = alt.StrokeDash("Ebene:N", legend=None, scale=alt.Scale(
        domain=["Auswahl", "Oberebene", "Vergleich"], range=[[1, 0], [6, 3], [2, 2]]))
    d["Ebene"] = np.select([d["rolle"] == "Auswahl", d["rolle"] == "Vergleich"], ["Auswahl", "Vergleich"],
                           "Oberebene")
    d = d.drop(columns=["stichtag", "gueltig_von"], errors="ignore")   # plain dates are not JSON; datum is
    if prognose is not None and len(prognose):
        prognose = _prognose_zeilen(prognose, d, einheit, stellen)
        jahresschritt = max(jahresschritt, int(np.ceil((d["datum"].nunique() + prognose["datum"].nunique()) / 16)))
    alle_tage = pd.concat([d["datum"], prognose["datum"]]) if prognose is not None and len(prognose) else d["datum"]
    tage = sorted(alle_tage.unique())[::-1][::jahresschritt][::-1]     # ticks at the Stichtage themselves
    jahresende = all(t.month == 12 and t.day == 31 for t in pd.to_datetime(tage))
    x = alt.X("datum:T", title="Stichtag", axis=alt.Axis(
        values=[alt.DateTime(year=t.year, month=t.month, date=t.day) for t in pd.to_datetime(tage)],
        labelExpr="timeFormat(datum.value, '" + ("%Y" if jahresende else "%m/%Y") + "')", grid=False))
    def y(feld: str) -> alt.Y:
        return alt.Y(f"{feld}:Q", title=f"{meta['kurzname']} ({einheit})", axis=_achse("", stellen),
                     scale=alt.Scale(zero=False))

    base = alt.Chart(d).encode(x=x, y=y("wert"), color=farbe, tooltip=["Gebiet:N", "Stichtag:N", "Wert:N", "Status:N"])
    linien = base.mark_line(strokeWidth=2.5).encode(y=y("linie"), strokeDash=strich)
    endgueltig = base.transform_filter("datum.Status == 'endgültig'").mark_point(filled=True, size=45)
    vorlaeufig = base.transform_filter("datum.Status == 'vorläufig'").mark_point(
        shape="triangle-up", filled=False, size=80, strokeWidth=2, fill="white", fillOpacity=1)
    unvollstaendig = base.transform_filter("datum.Status == 'unvollständig'").mark_point(
        shape="circle", filled=False, size=90, strokeWidth=2, strokeDash=[2, 2], fill="white", fillOpacity=1)
    punkte = endgueltig + vorlaeufig + unvollstaendig
    layers = [linien, punkte]
    if prognose is not None and len(prognose):
        vor = alt.Chart(prognose).encode(x=x, color=farbe)
        layers = [vor.mark_area(opacity=0.15).encode(y=y("unten"), y2="oben"), *layers,
                  vor.mark_line(strokeDash=[6, 4], strokeWidth=2).encode(
                      y=y("wert"), tooltip=["Gebiet:N", "Stichtag:N", "Wert:N"])]
    unter = d[d["unterdrueckt"]]
    if len(unter):
        layers.append(alt.Chart(unter).mark_tick(color=P.GRAU_GESPERRT, thickness=3, size=14).encode(
            x="datum:T", y=alt.value(hoehe - 6), tooltip=["Gebiet:N", "Stichtag:N", "Wert:N"]))
    if reformen:
        r = pd.DataFrame({"datum": pd.to_datetime(list(reformen)),
                          "Hinweis": [f"Neuer Gebietszuschnitt ab {fmt_datum(x)}" for x in reformen]})
        layers.append(alt.Chart(r).mark_rule(color=P.HILFSLINIE, strokeDash=[4, 4]).encode(
            x="datum:T", tooltip=["Hinweis:N"]))
        layers.append(alt.Chart(r).mark_text(align="left", dx=4, dy=-hoehe / 2 + 10, fontSize=11,
                                             color=P.HILFSLINIE).encode(x="datum:T", text=alt.value("neuer Zuschnitt")))
    chart = alt.layer(*layers).properties(height=hoehe)
    if titel:
        chart = chart.properties(title=titel)
    return chart


def _prognose_zeilen(prognose: pd.DataFrame, d: pd.DataFrame, einheit: str, stellen: int) -> pd.DataFrame:
    """A projection of chosen areas (raum_id, stichtag, wert, unten, oben) as rows of the time series chart: named
    and coloured like the area's observed line, drawn dashed with its variant band."""
    p = prognose[prognose["raum_id"].isin(set(d.loc[d["rolle"] != "Vergleich", "raum_id"]))].copy()
    p["Gebiet"] = p["raum_id"].map(d.drop_duplicates("raum_id").set_index("raum_id")["Gebiet"])
    p["datum"] = pd.to_datetime(p["stichtag"])
    p["Stichtag"] = [fmt_datum(t.date()) for t in p["datum"]]
    p["Wert"] = [f"{fmt_wert(w, einheit, stellen)} (Prognose, Spanne {fmt_wert(u, einheit, stellen)}–"
                 f"{fmt_wert(o, einheit, stellen)})" for w, u, o in zip(p["wert"], p["unten"], p["oben"], strict=True)]
    return p.drop(columns=["stichtag"])


def kleine_vielfache(reihen: dict[str, pd.DataFrame], metas: dict[str, pd.Series],
                     spalten: int = 2, hoehe: int = 170) -> dict:
    """One small chart per indicator (own y-scale), all with the same areas and colours, as a Vega-Lite spec; two
    per row fit the main area beside the sidebar at 1280 px (three were cut off).

    Put together from the charts' own specs: Altair's ``vconcat``/``hconcat`` copy every subchart while
    combining them (1,0–1,4 s for four), this takes a third of that. The result equals Altair's (the charts
    have no parameters to lift; ``tests/unit/test_charts.py``)."""
    teile = [zeitreihe(reihen[i], metas[i], hoehe=hoehe, titel=metas[i]["kurzname"], jahresschritt=2)
             .properties(width=300).to_dict() for i in reihen]
    kopf = {k: teile[0][k] for k in ("$schema", "config") if teile and k in teile[0]}
    datensaetze = {name: werte for t in teile for name, werte in t.pop("datasets", {}).items()}
    teile = [{k: v for k, v in t.items() if k not in ("$schema", "config")} for t in teile]
    zeilen = [{"hconcat": teile[i:i + spalten]} for i in range(0, len(teile), spalten)]
    return {**kopf, "vconcat": zeilen, "resolve": {"scale": {"color": "shared", "shape": "shared"}},
            "datasets": datensaetze}


def streudiagramm(daten: pd.DataFrame, meta_x: pd.Series, meta_y: pd.Series,
                  steigung: float, achsenabschnitt: float, markiert: list[str] = (),
                  hoehe: int = 480) -> alt.LayerChart:
    """Scatter of units with the regression line; ``markiert`` units highlighted and named."""
    d = daten.copy()
    d["X"] = [fmt_wert(v, meta_x["einheit"], int(meta_x["nachkommastellen"])) for v in d["x"]]
    d["Y"] = [fmt_wert(v, meta_y["einheit"], int(meta_y["nachkommastellen"])) for v in d["y"]]
    d["Auswahl"] = np.where(d["raum_id"].isin(list(markiert)), "markiert", "übrige")
    x = alt.X("x:Q", title=f"{meta_x['kurzname']} ({meta_x['einheit']})",
              axis=_achse(f"{meta_x['kurzname']} ({meta_x['einheit']})", int(meta_x["nachkommastellen"])),
              scale=alt.Scale(zero=False))
    y = alt.Y("y:Q", title=f"{meta_y['kurzname']} ({meta_y['einheit']})",
              axis=_achse(f"{meta_y['kurzname']} ({meta_y['einheit']})", int(meta_y["nachkommastellen"])),
              scale=alt.Scale(zero=False))
    punkte = alt.Chart(d).mark_circle(opacity=0.8).encode(
        x=x, y=y,
        color=alt.Color("Auswahl:N", scale=alt.Scale(domain=["übrige", "markiert"], range=[P.UEBRIGE, P.MARKIERT]),
                        legend=None),
        size=alt.condition("datum.Auswahl == 'markiert'", alt.value(160), alt.value(55)),
        tooltip=[alt.Tooltip("name:N", title="Gebiet"), alt.Tooltip("X:N", title=meta_x["kurzname"]),
                 alt.Tooltip("Y:N", title=meta_y["kurzname"])])
    layers = [punkte]
    if not np.isnan(steigung) and len(d):
        xs = np.linspace(d["x"].min(), d["x"].max(), 2)
        linie = pd.DataFrame({"x": xs, "y": achsenabschnitt + steigung * xs})
        layers.insert(0, alt.Chart(linie).mark_line(color=P.REFERENZ, strokeDash=[6, 3]).encode(x="x:Q", y="y:Q"))
    namen = d[d["Auswahl"] == "markiert"]
    if len(namen):
        layers.append(alt.Chart(namen).mark_text(align="left", dx=8, fontSize=13, fontWeight="bold").encode(
            x="x:Q", y="y:Q", text="name:N"))
    return alt.layer(*layers).properties(height=hoehe)


def zielverlauf(ist: pd.Series, soll: pd.Series, einheit: str, stellen: int, prognose=None,
                szenarien: pd.DataFrame | None = None, band: tuple[float | None, float | None] = (None, None),
                zielwert: float | None = None, zieljahr: int | None = None, hoehe: int = 340) -> alt.LayerChart:
    """A goal over the years: Ist (solid, points), Soll path (dashed), target (diamond),
    trend forecast with its band (shaded) and scenarios (thin lines), target band for „halten“."""
    teile = []
    if len(soll):
        teile.append(pd.DataFrame({"jahr": soll.index, "wert": soll.values, "Reihe": "Soll-Pfad"}))
    teile.append(pd.DataFrame({"jahr": ist.index, "wert": ist.values, "Reihe": "Ist"}))
    if prognose is not None:
        teile.append(pd.DataFrame({"jahr": [p[0] for p in prognose.punkte], "wert": [p[1] for p in prognose.punkte],
                                   "Reihe": "Trend"}))
    if szenarien is not None and len(szenarien):
        teile.append(szenarien.rename(columns={"szenario": "Reihe"})[["jahr", "wert", "Reihe"]])
    d = pd.concat(teile, ignore_index=True).dropna(subset=["wert"])
    d["jahr"] = d["jahr"].astype(int)
    d["Wert"] = [fmt_wert(v, einheit, stellen) for v in d["wert"]]
    reihen = list(dict.fromkeys(d["Reihe"]))
    palette = {"Ist": P.IST, "Soll-Pfad": P.REFERENZ_HELL, "Trend": P.AUSWAHL[1],
               "best case": P.GUENSTIG, "status quo": P.HILFSLINIE, "worst case": P.UNGUENSTIG}
    striche = {"Ist": [1, 0], "Soll-Pfad": [6, 4], "Trend": [2, 2]}
    x = alt.X("jahr:Q", title="Jahr", axis=alt.Axis(format="d", tickMinStep=1))
    y = alt.Y("wert:Q", title=einheit, axis=_achse(einheit, stellen), scale=alt.Scale(zero=False))
    farbe = alt.Color("Reihe:N", legend=alt.Legend(title=None, orient="bottom"),
                      scale=alt.Scale(domain=reihen, range=[palette.get(r, P.REFERENZ_HELL) for r in reihen]))
    strich = alt.StrokeDash("Reihe:N", scale=alt.Scale(domain=reihen, range=[striche.get(r, [4, 2]) for r in reihen]),
                            legend=None)
    layers = []
    if prognose is not None:
        b = pd.DataFrame(prognose.punkte, columns=["jahr", "wert", "unten", "oben"])
        layers.append(alt.Chart(b).mark_area(opacity=0.15, color=P.AUSWAHL[1]).encode(
            x="jahr:Q", y="unten:Q", y2="oben:Q"))
    unten, oben = band
    if unten is not None or oben is not None:
        jahre = [int(d["jahr"].min()), int(max(d["jahr"].max(), zieljahr or 0))]
        g = pd.DataFrame({"jahr": jahre, "unten": [unten if unten is not None else np.nan] * 2,
                          "oben": [oben if oben is not None else np.nan] * 2})
        for spalte in ("unten", "oben"):
            if g[spalte].notna().all():
                layers.append(alt.Chart(g).mark_line(color=P.REFERENZ, strokeDash=[8, 3]).encode(
                    x="jahr:Q", y=f"{spalte}:Q"))
    layers.append(alt.Chart(d).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=farbe, strokeDash=strich, tooltip=["Reihe:N", "jahr:Q", "Wert:N"]))
    layers.append(alt.Chart(d[d["Reihe"] == "Ist"]).mark_point(filled=True, size=60, color=P.IST).encode(
        x="jahr:Q", y="wert:Q", tooltip=["Reihe:N", "jahr:Q", "Wert:N"]))
    if zielwert is not None and not pd.isna(zielwert) and zieljahr:
        z = pd.DataFrame({"jahr": [zieljahr], "wert": [zielwert], "Wert": [fmt_wert(zielwert, einheit, stellen)]})
        layers.append(alt.Chart(z).mark_point(shape="diamond", size=220, filled=True, color=P.PRIMAER).encode(
            x="jahr:Q", y="wert:Q", tooltip=[alt.Tooltip("Wert:N", title="Zielwert")]))
        layers.append(alt.Chart(z).mark_text(dx=12, align="left", fontWeight="bold", color=P.PRIMAER).encode(
            x="jahr:Q", y="wert:Q", text=alt.value("Ziel")))
    return alt.layer(*layers).properties(height=hoehe)


def pareto(abc: pd.DataFrame, namen: dict[str, str], grenzen: tuple[float, float], hoehe: int = 320) -> alt.LayerChart:
    """ABC analysis as a Pareto chart: Aufwand per product (bars, by class) and the
    cumulative share (line) with the class thresholds."""
    d = abc.copy()
    d["Produkt"] = [f"{nr} {kurzname(namen.get(nr, ''), 22)}" for nr in d["nr"]]
    d["Aufwand"] = [fmt_wert(v, "€", 0) for v in d["aufwand"]]
    d["Kumuliert"] = [fmt_wert(v, "%", 1) for v in d["kumuliert"]]
    x = alt.X("Produkt:N", sort=list(d["Produkt"]), title=None, axis=alt.Axis(labelAngle=-40, labelLimit=160))
    balken = alt.Chart(d).mark_bar().encode(
        x=x, y=alt.Y("aufwand:Q", title="Aufwand (€)", axis=alt.Axis(labelExpr=zahl_label(0))),
        color=alt.Color("klasse:N", title="Klasse", scale=alt.Scale(domain=["A", "B", "C"],
                                                                     range=[P.ABC["A"], P.ABC["B"], P.ABC["C"]])),
        tooltip=["Produkt:N", "Aufwand:N", "klasse:N", "Kumuliert:N"])
    linie = alt.Chart(d).mark_line(point=True, color=P.REFERENZ).encode(
        x=x, y=alt.Y("kumuliert:Q", title="kumulierter Anteil (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=["Produkt:N", "Kumuliert:N"])
    regeln = alt.Chart(pd.DataFrame({"g": list(grenzen)})).mark_rule(strokeDash=[4, 4], color=P.HILFSLINIE).encode(
        y=alt.Y("g:Q", scale=alt.Scale(domain=[0, 100])))
    return alt.layer(balken, alt.layer(linie, regeln)).resolve_scale(y="independent").properties(height=hoehe)


def portfoliomatrix(pf: pd.DataFrame, namen: dict[str, str], grenzen_x: list[float], grenzen_y: list[float],
                    felder, soll: pd.DataFrame | None = None, hoehe: int = 480, breite: int = 900) -> alt.LayerChart:
    """Portfolio: Ressourcenverbrauch (log scale) × Wirkungsbeitrag with the field
    boundaries and names; with ``soll`` (nr, x, y) arrows from today to the intended position.
    Points carry shortened product names where they fit without overlap (largest Aufwand first)."""
    d = pf.sort_values("x", ascending=False).reset_index(drop=True)
    d["Produkt"] = [f"{nr} {namen.get(nr, '')}" for nr in d["nr"]]
    d["Aufwand"] = [fmt_wert(v, "€", 0) for v in d["x"]]
    d["Wirkung"] = [fmt_wert(v, "Punkte", 0) for v in d["y"]]
    xmin, xmax = float(d["x"].min()) * 0.7, float(d["x"].max()) * 1.4
    x = alt.X("x:Q", title="Ressourcenverbrauch: Aufwand (€, logarithmisch)",
              scale=alt.Scale(type="log", domain=[xmin, xmax]), axis=alt.Axis(labelExpr=zahl_label(0)))
    y = alt.Y("y:Q", title="Wirkungsbeitrag (Punkte von 100)", scale=alt.Scale(domain=[0, 100]))
    layers = []
    for g in grenzen_x:
        layers.append(alt.Chart(pd.DataFrame({"x": [g]})).mark_rule(color=P.REFERENZ_HELL, strokeDash=[5, 4])
                      .encode(x=x))
    for g in grenzen_y:
        layers.append(alt.Chart(pd.DataFrame({"y": [g]})).mark_rule(color=P.REFERENZ_HELL, strokeDash=[5, 4])
                      .encode(y=y))
    n = len(grenzen_x) + 1
    xs = [xmin, *grenzen_x, xmax]
    ys = [0, *grenzen_y, 100]
    beschriftung = pd.DataFrame([{"x": float(np.sqrt(xs[f.spalte] * xs[f.spalte + 1])), "y": ys[f.zeile + 1] - 3,
                                  "text": f"{f.name}: {f.strategie}"} for f in felder if f.spalte < n and f.zeile < n])
    if len(beschriftung):
        layers.append(alt.Chart(beschriftung).mark_text(fontSize=11, color=P.TEXT_LEISE, fontStyle="italic").encode(
            x=x, y=y, text="text:N"))
    if soll is not None and len(soll):
        pfeile = d[["nr", "x", "y"]].merge(soll.rename(columns={"x": "x2", "y": "y2"}), on="nr")
        pfeile = pfeile[(pfeile["x"] != pfeile["x2"]) | (pfeile["y"] != pfeile["y2"])]
        layers.append(alt.Chart(pfeile).mark_rule(color=P.MARKIERT, strokeWidth=1.5).encode(
            x=x, y=y, x2="x2:Q", y2="y2:Q"))
        layers.append(alt.Chart(pfeile).mark_point(shape="triangle", color=P.MARKIERT, filled=True, size=50).encode(
            x=alt.X("x2:Q", scale=alt.Scale(type="log", domain=[xmin, xmax])),
            y=alt.Y("y2:Q", scale=alt.Scale(domain=[0, 100]))))
    layers.append(alt.Chart(d).mark_circle(size=110, color=P.IST, opacity=0.85).encode(
        x=x, y=y, tooltip=["Produkt:N", "Aufwand:N", "Wirkung:N", "feld:N", "strategie:N"]))
    d["Kurz"] = [kurzname(namen.get(nr, nr)) for nr in d["nr"]]
    passt = beschriftungen_ohne_ueberlappung(np.log(d["x"].to_numpy(float)), d["y"].to_numpy(float), d["Kurz"],
                                             (np.log(xmin), np.log(xmax)), (0, 100), breite, hoehe, 11)
    layers.append(alt.Chart(d[passt]).mark_text(align="left", dx=7, dy=-8, fontSize=11, color=P.TEXT).encode(
        x=x, y=y, text="Kurz:N"))
    return alt.layer(*layers).properties(height=hoehe, width=breite)


def kurzname(name: str, laenge: int = 24) -> str:
    """A name short enough for a chart label, cut at a word: 'Hilfe zur Erziehung in Vollzeitpflege' →
    'Hilfe zur Erziehung in…'."""
    name = str(name)
    return name if len(name) <= laenge else name[:laenge - 1].rsplit(" ", 1)[0] + "…"


def beschriftungen_ohne_ueberlappung(x, y, texte, xbereich, ybereich, breite: int, hoehe: int,
                                     schrift: int) -> np.ndarray:
    """Which points get their label: placed right of the point in the order given, a label that would
    overlap one placed before (or leave the chart) is left out – its name stays in the tooltip."""
    px = (np.asarray(x) - xbereich[0]) / (xbereich[1] - xbereich[0]) * breite
    py = (1 - (np.asarray(y) - ybereich[0]) / (ybereich[1] - ybereich[0])) * hoehe
    belegt: list[tuple[float, float, float, float]] = []
    passt = np.zeros(len(px), dtype=bool)
    for i, text in enumerate(texte):
        w = 0.55 * schrift * len(str(text))
        k = (px[i] + 7, py[i] - 8 - schrift, px[i] + 7 + w, py[i] - 8 + 2)
        if k[2] > breite or k[1] < 0:
            continue
        if any(k[0] < b[2] and b[0] < k[2] and k[1] < b[3] and b[1] < k[3] for b in belegt):
            continue
        belegt.append(k)
        passt[i] = True
    return passt


def tornado(sens: pd.DataFrame, n: int = 10, hoehe: int = 300) -> alt.LayerChart:
    """Sensitivity of the SROI ratio: for the ``n`` assumptions that move it most, the range
    between the low and the high variant around the base ratio."""
    d = sens.head(n).copy()
    d["links"] = d[["quote_tief", "quote_hoch"]].min(axis=1)
    d["rechts"] = d[["quote_tief", "quote_hoch"]].max(axis=1)
    d["Spanne"] = [f"{fmt_wert(a, 'Anzahl', 2)} bis {fmt_wert(b, 'Anzahl', 2)}"
                   for a, b in zip(d["links"], d["rechts"], strict=True)]
    y = alt.Y("annahme:N", sort=list(d["annahme"]), title=None, axis=alt.Axis(labelLimit=420))
    balken = alt.Chart(d).mark_bar(color=P.UEBRIGE).encode(
        x=alt.X("links:Q", title="SROI-Quote (€ je eingesetztem €)", axis=alt.Axis(labelExpr=zahl_label(2)),
                scale=alt.Scale(zero=False)),
        x2="rechts:Q", y=y, tooltip=["annahme:N", "Spanne:N"])
    basis = alt.Chart(pd.DataFrame({"b": [float(sens["basis"].iloc[0])]})).mark_rule(color=P.REFERENZ).encode(x="b:Q")
    return alt.layer(balken, basis).properties(height=hoehe)


def ertrag_aufwand(d, hoehe: int = 280) -> alt.Chart:
    """Ordentliche Erträge (line 10) and Aufwendungen (line 17) of a Produktdatenblatt
    (fis.produkte.Datenblatt) per column, side by side."""
    zeilen = d.teilergebnisplan.set_index("position_nr")
    grafik = pd.DataFrame([{"Spalte": spaltenname(j, a), "Art": art,
                            "Betrag": abs(float(zeilen.at[pos, spaltenname(j, a)]))}
                           for j, a in d.spalten
                           for pos, art in ((10, "Ordentliche Erträge"), (17, "Ordentliche Aufwendungen"))])
    grafik["Euro"] = grafik["Betrag"].map(fmt_euro)
    return alt.Chart(grafik).mark_bar().encode(
        x=alt.X("Spalte:N", sort=None, title=None), xOffset="Art:N",
        y=alt.Y("Betrag:Q", title="Euro", axis=alt.Axis(labelExpr=zahl_label(0))),
        color=alt.Color("Art:N", scale=alt.Scale(domain=["Ordentliche Erträge", "Ordentliche Aufwendungen"],
                                                 range=[P.ERTRAG, P.AUFWAND]), legend=alt.Legend(orient="bottom")),
        tooltip=["Spalte:N", "Art:N", "Euro:N"]).properties(height=hoehe)


def indexbalken(teil: pd.DataFrame, breite: int = 300) -> alt.LayerChart:
    """The profile of one Handlungsfeld at a glance: per indicator a bar from the city (index 100) to
    the area's index, unfavourable in red and favourable in green by the indicator's polarity (grey
    without one). Suppressed values have no index and are left out (no bar hints at them)."""
    d = teil[~teil["unterdrueckt"].astype(bool) & teil["index"].notna()].copy()
    d["Indikator"] = [kurzname(n, 28) for n in d["name"]]
    d["ungünstig"] = np.where(d["polaritaet"] == "hoch_gut", d["index"] < 100, d["index"] > 100)
    d["farbe"] = np.where(d["polaritaet"] == "neutral", P.REFERENZ_HELL,
                          np.where(d["ungünstig"], P.UNGUENSTIG, P.GUENSTIG))
    d["null"] = 100.0
    d["text"] = [f"{v:.0f}" for v in d["index"]]
    unten = float(min(50.0, d["index"].min() - 10)) if len(d) else 50.0
    oben = float(max(150.0, d["index"].max() + 10)) if len(d) else 150.0
    y = alt.Y("Indikator:N", sort=list(d["Indikator"]), title=None, axis=alt.Axis(labelLimit=180))
    x = alt.X("index:Q", title="Index (Gesamtstadt = 100)", scale=alt.Scale(domain=[unten, oben], clamp=True))
    balken = alt.Chart(d).mark_bar(height=9).encode(y=y, x=x, x2="null:Q", color=alt.Color("farbe:N", scale=None))
    werte = alt.Chart(d).mark_text(align="left", dx=3, fontSize=9, color=P.BESCHRIFTUNG).encode(
        y=y, x=alt.X("index:Q", scale=alt.Scale(domain=[unten, oben], clamp=True)), text="text:N")
    linie = alt.Chart(pd.DataFrame({"x": [100.0]})).mark_rule(color=P.REFERENZ, strokeWidth=1).encode(x="x:Q")
    return alt.layer(balken, werte, linie).properties(width=breite, height=16 * max(len(d), 1))


def prognoseband(reihe: pd.DataFrame, titel: str, hoehe: int = 220) -> alt.LayerChart:
    """A projection: the Basis variant dashed, the other variants as a band (columns jahr, wert, unten, oben)."""
    d = reihe.assign(Jahr=reihe["jahr"].astype(str), Wert=[fmt_zahl(v, 0) for v in reihe["wert"]],
                     Spanne=[f"{fmt_zahl(u, 0)}–{fmt_zahl(o, 0)}" for u, o in zip(reihe["unten"], reihe["oben"],
                                                                                     strict=True)])
    x = alt.X("jahr:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1))
    y = alt.Y("wert:Q", title=titel, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=zahl_label(0)))
    band = alt.Chart(d).mark_area(opacity=0.25, color=P.AUSWAHL[0]).encode(x=x, y=alt.Y("unten:Q", title=titel),
                                                                           y2="oben:Q")
    linie = alt.Chart(d).mark_line(strokeDash=[6, 4], strokeWidth=2.5, color=P.AUSWAHL[0], point=True).encode(
        x=x, y=y, tooltip=["Jahr:N", "Wert:N", "Spanne:N"])
    return alt.layer(band, linie).properties(height=hoehe)

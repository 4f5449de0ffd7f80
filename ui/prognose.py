"""The Bevölkerungsvorausberechnung in the Sozialraumprofil: the chosen year's projection per age band with its
variant band and the change against the base year, and the course of one band."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fis import prognose
from fis.charts import prognoseband
from fis.format import md
from fis.versorgung import sozialraeume_unter
from ui import cache


def profil_abschnitt(m, raum: str, stichtag, ebene: int) -> None:
    """Below the profile table; nothing when no projection is delivered (or, for public roles, shown) here."""
    alle = cache.prognosen(cache.data_version())
    if ebene == 1:
        p = alle[alle["raum_id"] == raum]
    elif cache.data_version().endswith("|veroeffentlicht"):
        return                          # sums over areas would give back the ones withheld (fis.prognose)
    else:
        p = prognose.fuer_gebiet(alle, sozialraeume_unter(m.raeume, raum, stichtag))
    if p.empty:
        return
    jahre = prognose.prognosejahre(p)
    if not jahre:
        return
    st.subheader("Bevölkerungsvorausberechnung")
    vorgabe = 2030 if 2030 in jahre else jahre[min(5, len(jahre) - 1)]
    jahr = st.columns([1, 3])[0].selectbox("Prognosejahr", jahre, index=jahre.index(vorgabe), key="profil_prognosejahr")
    a = prognose.ausblick(p, p["raum_id"].iloc[0], jahr)
    kinder = a[a["merkmal"] == "bev_u6"]
    if len(kinder):
        st.markdown(f"**{md(prognose.ausblick_satz(kinder.iloc[0].to_dict(), jahr))}**")
    st.dataframe(prognose.ausblick_tabelle(a, jahr), hide_index=True, key="profil_prognose")
    merkmale = dict(zip(a["merkmal"], a["Merkmal"], strict=True))
    wahl = st.columns([2, 3])[0].selectbox("Verlauf", list(merkmale), format_func=merkmale.get,
                                           key="profil_prognose_merkmal",
                                           index=list(merkmale).index("bev_u6") if "bev_u6" in merkmale else 0)
    reihe = _reihe(p, wahl)
    if len(reihe) and reihe["wert"].notna().all():
        st.altair_chart(prognoseband(reihe, merkmale[wahl]), key="profil_prognose_chart")
    lieferung = p["basisjahr"].dropna()
    st.caption(f"Prognose, keine beobachteten Werte: Ausgangswert {int(lieferung.iloc[0]) if len(lieferung) else '–'}, "
               f"Varianten {', '.join(sorted(p['variante'].unique()))}; gestrichelt die Basisvariante, die Fläche "
               "die Spanne der Varianten (Datenpflege › Prognosen). „–“ = zum Schutz kleiner Zahlen nicht "
               "ausgewiesen.")


def _reihe(p: pd.DataFrame, merkmal: str) -> pd.DataFrame:
    g = p[p["merkmal"] == merkmal].assign(jahr=lambda d: pd.to_datetime(d["stichtag"]).dt.year)
    haupt = "Basis" if (g["variante"] == "Basis").any() else g["variante"].iloc[0]
    basis = g[g["variante"] == haupt]
    spanne = g.groupby("jahr")["wert"].agg(["min", "max"])
    return basis.set_index("jahr")[["wert"]].join(spanne).rename(columns={"min": "unten", "max": "oben"}) \
        .reset_index().sort_values("jahr")

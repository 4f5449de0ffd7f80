"""Produktkritik: ABC analysis, Wirkungsbeitragsanalyse and portfolio of all products."""

import pandas as pd
import streamlit as st

from fis.charts import pareto, portfoliomatrix
from fis.format import fmt_wert, fmt_zahl
from fis.produkte import abc_analyse, abc_beschreibung, perioden, portfolio, produktkritik, spaltenname, wirkungsmatrix
from ui import cache, controlling
from ui import produktkritik as editor
from ui.zugang import darf_aktuell

config = cache.config()
version = cache.data_version()
p = cache.produkte(version)
st.title("Produktkritik")
if p.produkte.empty:
    st.info("Es ist noch kein Produkthaushalt geliefert.")
    st.stop()

ziele = cache.ziele(version)                   # the goals only: no Ist series are needed here
spalten = perioden(p.tep, p.haushaltsjahr())
ist_spalten = [s for s in spalten if s[1] == "Ist"] or spalten[:1]
oben = st.columns(4)
basis = oben[0].selectbox("Ressourcen heute", ist_spalten + [s for s in spalten if s not in ist_spalten],
                          format_func=lambda s: spaltenname(*s), key="pk_basis")
ziel = oben[1].selectbox("Ressourcen Soll", spalten, index=len(spalten) - 1,
                         format_func=lambda s: spaltenname(*s), key="pk_ziel")
a_grenze = oben[2].number_input("Klasse A bis (% des Aufwands)", 50.0, 95.0, config.produktkritik.abc_a, 5.0,
                                format="%.0f", key="pk_a")
b_grenze = oben[3].number_input("Klasse B bis (%)", a_grenze + 1, 99.0, max(config.produktkritik.abc_b, a_grenze + 1),
                                1.0, format="%.0f", key="pk_b")
gewichte, ist, soll = wirkungsmatrix(cache.store(), p, ziele)
k = produktkritik(p, gewichte, ist, soll, basis, ziel, (a_grenze, b_grenze))
namen = p.produkte.set_index("nr")["name"].to_dict()

st.subheader(f"ABC-Analyse nach Aufwand ({spaltenname(*basis)})")
abc = abc_analyse(k.set_index("nr")["aufwand"], (a_grenze, b_grenze))
st.altair_chart(pareto(abc, namen, (a_grenze, b_grenze)), key="pk_pareto")
st.caption(abc_beschreibung(abc, (a_grenze, b_grenze), namen))
abc_tabelle = pd.DataFrame({"Rang": abc["rang"], "Produkt": [f"{n} {namen[n]}" for n in abc["nr"]],
                            "Aufwand": [fmt_wert(v, "€", 0) for v in abc["aufwand"]],
                            "Anteil": [fmt_wert(v, "%", 1) for v in abc["anteil"]],
                            "Kumuliert": [fmt_wert(v, "%", 1) for v in abc["kumuliert"]], "Klasse": abc["klasse"]})
with st.expander("Tabelle der ABC-Analyse"):
    st.dataframe(abc_tabelle, hide_index=True, key="pk_abc")
    controlling.download(abc_tabelle, "abc_analyse.csv", "pk_abc_csv")

st.subheader("Wirkungsbeitragsanalyse")
if meldung := st.session_state.pop("pk_meldung", None):
    st.success(meldung)
titel = ziele.set_index("ziel_id")["titel"].to_dict()
if darf_aktuell("produkte_bearbeiten"):
    with st.expander("Gewichte und Beiträge bearbeiten", expanded=False):
        editor.editoren(p, gewichte, ist, soll, titel)
rangliste = pd.DataFrame({
    "Rang je €": k["rang_je_euro"], "Produkt": [f"{n} {namen[n]}" for n in k["nr"]],
    "Wirkungsbeitrag": [fmt_zahl(v, 0) for v in k["wirkungsbeitrag"]],
    "Rang Wirkung": k["rang_wirkung"], "Aufwand": [fmt_wert(v, "€", 0) for v in k["aufwand"]],
    "je 1.000 €": [fmt_zahl(v, 4) for v in k["je_1000_euro"]],
    "je 1 Mio. €": [fmt_zahl(v, 1) for v in k["je_mio_euro"]], "ABC": k["klasse"]})
st.caption("Wirkungsbeitrag in Punkten von 100: gewichtete Summe der Beiträge (0–3) geteilt durch 3. "
           "Sortiert nach Wirkungsbeitrag je Euro Aufwand.")
st.dataframe(rangliste, hide_index=True, key="pk_rang")
controlling.download(rangliste, "wirkungsbeitrag.csv", "pk_rang_csv")

st.subheader("Portfolio")
n = st.segmented_control("Matrix", [2, 3], default=2, format_func=lambda v: f"{v * v} Felder", key="pk_n") or 2
felder = config.produktkritik.portfolio_4 if n == 2 else config.produktkritik.portfolio_9
x, y = k.set_index("nr")["aufwand"], k.set_index("nr")["wirkungsbeitrag"]
qs = [i / n for i in range(1, n)]
gx, gy = [float(x.quantile(q)) for q in qs], [float(y.quantile(q)) for q in qs]
pf = portfolio(x, y, felder, n, gx, gy)
soll_an = st.toggle("Soll-Ist-Portfolio (Pfeile zur angestrebten Position)", key="pk_soll_pfeile")
soll_pos = pd.DataFrame({"nr": k["nr"], "x": k["aufwand_soll"], "y": k["wirkungsbeitrag_soll"]}) if soll_an else None
st.altair_chart(portfoliomatrix(pf, namen, gx, gy, felder, soll_pos), key="pk_portfolio")
st.caption(f"Grenzen: {'Median' if n == 2 else 'Terzile'} der Produkte – Aufwand "
           + " / ".join(fmt_wert(g, "€", 0) for g in gx) + ", Wirkungsbeitrag "
           + " / ".join(fmt_zahl(g, 0) for g in gy) + " Punkte.")
felder_tabelle = pd.DataFrame({"Produkt": [f"{nr} {namen[nr]}" for nr in pf["nr"]], "Feld": pf["feld"],
                               "Strategische Richtung": pf["strategie"]}).sort_values("Feld")
st.dataframe(felder_tabelle, hide_index=True, key="pk_felder")
controlling.download(felder_tabelle, "portfolio.csv", "pk_felder_csv", titel="Portfolio der Produkte")

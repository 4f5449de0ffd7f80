"""Produktdatenblatt: a product or Produktgruppe laid out like the Bielefeld example (Abb. 20)."""

import altair as alt
import pandas as pd
import streamlit as st

from fis.charts import zahl_label
from fis.controlling import AMPEL_SYMBOL, berichtsstand
from fis.format import fmt_euro
from fis.monitoring import einwohner_je_jahr
from fis.produkte import datenblatt, datenblatt_tabellen, spaltenname
from ui import cache, controlling, links

config = cache.config()
version = cache.data_version()
p = cache.produkte(version)
st.title("Produktdatenblatt")
if p.produkte.empty:
    st.info("Es ist noch kein Produkthaushalt geliefert.")
    st.stop()

auswahl = p.auswahl()
links.uebernehmen("nr", "pdb_nr")
if st.session_state.get("pdb_nr") not in auswahl:
    st.session_state.pop("pdb_nr", None)
oben = st.columns([3, 1])
nr = oben[0].selectbox("Produkt oder Produktgruppe", list(auswahl), format_func=auswahl.get, key="pdb_nr")
hj_standard = p.haushaltsjahr()
hj = oben[1].selectbox("Haushaltsjahr", list(range(hj_standard - 3, hj_standard + 1)), index=3, key="pdb_jahr")
m = cache.monitoring(version)
d = datenblatt(p, nr, hj, einwohner_je_jahr(m, config.stadt.einwohner_indikator))
links.merken(nr=nr)
links.teilen()

st.subheader(auswahl[nr].removesuffix(" (Produktgruppe)"))
kopf = st.columns(2)
for i, (feld, wert) in enumerate(d.kopf.items()):
    kopf[i % 2].markdown(f"**{feld}**")
    kopf[i % 2].text(wert)
for titel, text in d.texte.items():
    st.markdown(f"**{titel}**")
    st.text(text)
if d.ist_gruppe and len(d.produkte):
    with st.expander(f"Produkte der Gruppe ({len(d.produkte)})"):
        st.dataframe(d.produkte.rename(columns={"nr": "Nummer", "name": "Produkt", "beschreibung": "Beschreibung"}),
                     hide_index=True)

st.markdown("#### Ziele und Zielerreichung")
c = cache.controlling(version)
ziele = c.ziele[c.ziele["org_produkt"].isin(p.teile(nr))]
if ziele.empty:
    st.caption("Mit diesem Produkt sind keine Ziele verknüpft.")
else:
    jahr, _ = berichtsstand(c)
    b = cache.bewertung(version, jahr).set_index("ziel_id")
    st.dataframe(pd.DataFrame({
        "Ampel": [AMPEL_SYMBOL.get(b.at[z, "ampel"], "–") if isinstance(b.at[z, "ampel"], str) else "–"
                  for z in ziele["ziel_id"]],
        "Ziel": ziele["ziel_id"] + " " + ziele["titel"], "Zielfeld": ziele["zielfeld"],
        "Begründung": [b.at[z, "text"] if isinstance(b.at[z, "text"], str) else b.at[z, "ampel_text"]
                       for z in ziele["ziel_id"]]}), hide_index=True, key="pdb_ziele")
    st.caption(f"Bewertet für {jahr}; Einzelheiten auf der Seite „Ziele“.")

kz, tep = datenblatt_tabellen(d)
st.markdown("#### Kennzahlen und Indikatoren der Zielerreichung und Leistungsmengen")
st.table(kz.set_index("Kennzahl"))
st.caption("Aufwand = ordentliche Aufwendungen (Zeile 17); Gesamtaufwand = alle erfassten Produkte; "
           "Einwohner: letzter Stichtag des Jahres oder davor.")
controlling.download(kz, f"kennzahlen_{nr}_{hj}.csv", "pdb_kz_csv")

st.markdown("#### Teilergebnisplan")
summen = set(d.teilergebnisplan.loc[d.teilergebnisplan["art"] == "Summe", "position_nr"])
betraege = [c for c in tep.columns if c not in ("Nr.", "Ertrags- und Aufwandsarten")]
st.dataframe(tep.style.apply(lambda r: ["font-weight: bold" if r["Nr."] in summen else "" for _ in r], axis=1)
             .set_properties(subset=betraege, **{"text-align": "right"}),
             hide_index=True, height=36 * (len(tep) + 1), key="pdb_tep")
st.caption("Beträge in Euro; Erträge positiv, Aufwendungen negativ.")
controlling.download(tep, f"teilergebnisplan_{nr}_{hj}.csv", "pdb_tep_csv")

zeilen = d.teilergebnisplan.set_index("position_nr")
grafik = pd.DataFrame([{"Spalte": spaltenname(j, a), "Art": art,
                        "Betrag": abs(float(zeilen.at[pos, spaltenname(j, a)]))}
                       for j, a in d.spalten
                       for pos, art in ((10, "Ordentliche Erträge"), (17, "Ordentliche Aufwendungen"))])
grafik["Euro"] = grafik["Betrag"].map(fmt_euro)
st.altair_chart(alt.Chart(grafik).mark_bar().encode(
    x=alt.X("Spalte:N", sort=None, title=None), xOffset="Art:N",
    y=alt.Y("Betrag:Q", title="Euro", axis=alt.Axis(labelExpr=zahl_label(0))),
    color=alt.Color("Art:N", scale=alt.Scale(range=["#4a78a8", "#c0392b"]), legend=alt.Legend(orient="bottom")),
    tooltip=["Spalte:N", "Art:N", "Euro:N"]).properties(height=280), key="pdb_chart")

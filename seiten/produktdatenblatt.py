"""Produktdatenblatt: a product or Produktgruppe laid out like the Bielefeld example (Abb. 20)."""

import streamlit as st

from fis.ampel import Ampel
from fis.charts import ertrag_aufwand
from fis.format import md
from fis.monitoring import einwohner_je_jahr
from fis.palette import AMPEL_SYMBOL
from fis.produkte import datenblatt, datenblatt_tabellen, gesamtaufwand_satz, ziele_tabelle
from ui import cache, controlling, links, sidebar

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
m = cache.monitoring(version, [])             # the population indicator only (Kennzahlen je Einwohner)
d = datenblatt(p, nr, hj, einwohner_je_jahr(m, config.stadt.einwohner_indikator), config.gesamtaufwand())
links.merken(nr=nr)
links.teilen()

st.subheader(auswahl[nr].removesuffix(" (Produktgruppe)"))
kopf = st.columns(2)
for i, (feld, wert) in enumerate(d.kopf.items()):
    kopf[i % 2].markdown(f"**{feld}**")
    kopf[i % 2].text(wert)
for titel, text in d.texte.items():
    st.markdown(f"**{md(titel)}**")
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
    jahr = sidebar.auswahl().stichtag.year             # as on the pages Ziele and Controlling
    tabelle = ziele_tabelle(ziele, cache.bewertung(version, jahr))
    rang = tabelle["Ampel"].map(lambda a: a.rang if (a := Ampel.aus(a)) else -1)
    tabelle = tabelle.iloc[rang.sort_values(ascending=False, kind="stable").index]   # red first
    tabelle["Ampel"] = tabelle["Ampel"].map(lambda a: AMPEL_SYMBOL.get(a, a))
    st.dataframe(controlling.ampel_stil(tabelle), hide_index=True, key="pdb_ziele")
    st.caption(f"Bewertet für {jahr} (Jahr des Stichtags links); Einzelheiten auf der Seite „Ziele“.")

kz, tep = datenblatt_tabellen(d)
st.markdown("#### Kennzahlen und Indikatoren der Zielerreichung und Leistungsmengen")
st.table(kz.set_index("Kennzahl"))
st.caption(f"Aufwand = ordentliche Aufwendungen (Zeile 17); {gesamtaufwand_satz(config)} "
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

st.altair_chart(ertrag_aufwand(d), key="pdb_chart")

"""Mittelverteilung: a budget (euros or posts) shared out over the Sozialräume by an index or an indicator, with
the rule as a sentence, map, table, exports, and scenarios saved and compared side by side."""

import streamlit as st

from fis import mittelverteilung as mv
from fis.format import fmt_datum
from fis.indizes import stichtage
from fis.kartenansicht import legende_html
from fis.maps import deck
from ui import cache, monitoring, sidebar
from ui import mittelverteilung as ui_mv

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
st.title("Mittelverteilung nach Sozialindex")
st.caption("Einen Betrag oder Stellen nach einem Index oder Indikator auf die Gebiete verteilen – mit Mindest- und "
           "Höchstbetrag, gerundet nach dem Verfahren der größten Reste: die Summe stimmt genau. Szenarien lassen sich "
           "speichern und nebeneinanderstellen.")
katalog = cache.monitoring(version, [])
grundlagen = {f"index:{ix.id}": ix.name for ix in config.indizes.indizes}
grundlagen |= {f"indikator:{i}": f"Indikator: {katalog.indikatoren.at[i, 'name']}" for i in katalog.indikatoren.index
               if katalog.indikatoren.at[i, "aggregation"] != "summe"}

oben = st.container()          # the result first, the rule below: on a projector the answer fills the screen
einstellung = st.expander("Regel der Verteilung", expanded=True, icon=":material/tune:")
k = einstellung.columns([1.3, 0.7, 1])
einheit = k[1].segmented_control("Einheit", list(mv.EINHEITEN), default="€", key="mv_einheit") or "€"
schritte = [1.0, 10.0, 100.0, 1000.0] if einheit == "€" else [0.25, 0.5, 1.0]
zahlformat = "%.0f" if einheit == "€" else "%.2f"
betrag = k[0].number_input(f"Zu verteilen ({einheit})", min_value=0.0, value=500_000.0 if einheit == "€" else 12.0,
                           step=10_000.0 if einheit == "€" else 1.0, format=zahlformat, key=f"mv_betrag_{einheit}")
schritt = k[2].selectbox("Rundung auf", schritte, index=2, key=f"mv_schritt_{einheit}",
                         format_func=lambda s: mv.fmt_betrag(s, einheit))
k = einstellung.columns([2, 1])
grundlage = k[0].selectbox("Verteilen nach", list(grundlagen), format_func=grundlagen.get, key="mv_grundlage")
art, kennung = grundlage.split(":", 1)
ix = next((i for i in config.indizes.indizes if i.id == kennung), None) if art == "index" else None
if ix is not None:
    tage = stichtage(cache.indexdaten(version, cache.index_indikatoren()), ix)
else:
    tage = sorted(set(cache.monitoring(version, [kennung]).auswahl(kennung)["stichtag"]))
if not tage:
    st.warning("Für diese Grundlage gibt es an keinem Stichtag Werte.")
    st.stop()
vorgabe = max([t for t in tage if t <= auswahl.stichtag] or tage[:1])
stichtag = k[1].selectbox("Stichtag", tage, index=tage.index(vorgabe), format_func=fmt_datum, key="mv_tag")
k = einstellung.columns([2, 1])
verfahren = k[0].radio("Verfahren", [v for v in mv.VERFAHREN if ix is not None or v != "klassen"],
                       format_func=mv.VERFAHREN.get, key="mv_verfahren", horizontal=True)
bezugsgroessen = mv.bezugsgroessen(cache.monitoring(version, [config.stadt.einwohner_indikator]))
einwohner = config.stadt.einwohner_indikator
bezug_liste = list(bezugsgroessen) or [einwohner]
bezug = k[1].selectbox("Bezugsgröße (je Kopf; Betrag je …)", bezug_liste, key="mv_bezug",
                       index=bezug_liste.index(einwohner) if einwohner in bezug_liste else 0,
                       format_func=lambda i: bezugsgroessen.get(i, i))

gewichte: tuple[tuple[str, float], ...] = ()
schwelle = 0.0
if verfahren != "schwelle" and ix is not None:
    spalten = einstellung.columns(max(len(ix.klassen), 1))
    # proposal: the class's rank (0 for the least Belastung); a city sets its own weights
    gewichte = tuple((kl.label, spalten[i].number_input(f"Gewicht {kl.label} ({kl.name})", min_value=0.0,
                                                        value=float(i), step=0.25, key=f"mv_gew_{ix.id}_{i}"))
                     for i, kl in enumerate(ix.klassen))
g = einstellung.columns([1.4, 1, 1])
if verfahren == "schwelle" and ix is not None:
    schwelle = g[0].number_input("Schwelle: gezählt werden die Indexpunkte darüber", value=0.0, step=0.1,
                                 format="%.2f", key=f"mv_schwelle_{grundlage}")
elif verfahren == "schwelle":                 # an indicator: the city's value is the natural threshold
    stadt = cache.monitoring(version, [kennung]).auswahl(kennung, stichtag, katalog.top)["wert"]
    schwelle = g[0].number_input(f"Schwelle ({katalog.indikatoren.at[kennung, 'einheit']}; Vorschlag: Gesamtstadt)",
                                 value=round(float(stadt.iloc[0]), 2) if len(stadt) and stadt.notna().all() else 0.0,
                                 step=0.1, format="%.2f", key=f"mv_schwelle_{grundlage}_{stichtag}",
                                 help="Gezählt wird der Abstand über der Schwelle, bei einem Indikator, dessen hohe "
                                      "Werte gut sind, der Abstand darunter.")
mindest = g[1].number_input(f"Mindestbetrag je bedachtem Gebiet ({einheit})", min_value=0.0, value=0.0,
                            step=schritt, format=zahlformat, key=f"mv_min_{einheit}")
hoechst = g[2].number_input(f"Höchstbetrag je Gebiet ({einheit}; 0 = keiner)", min_value=0.0, value=0.0,
                            step=schritt, format=zahlformat, key=f"mv_max_{einheit}")
regel = mv.Verteilungsregel(betrag=betrag, grundlage=grundlage, stichtag=stichtag, verfahren=verfahren,
                            einheit=einheit, schritt=schritt, schwelle=schwelle, klassengewichte=gewichte, bezug=bezug,
                            mindest=mindest or None, hoechst=hoechst or None, ebene=ix.ebene if ix else 1)

m = cache.monitoring(version, [*cache.index_indikatoren(), *([kennung] if ix is None else []), bezug])
try:
    basis = (mv.grundlage_index(cache.indexergebnis(version, ix.id, stichtag), m, bezug) if ix is not None
             else mv.grundlage_indikator(m, kennung, stichtag, 1, bezug))
    v = mv.verteilung(regel, basis)
except mv.VerteilungsFehler as exc:
    oben.error(str(exc), icon=":material/error:")
    st.stop()
ebene_name, ebene_plural = m.ebenen[regel.ebene]
oben.info(mv.regel_satz(regel, basis, ebene_plural), icon=":material/rule:")
bedacht = v.tabelle[v.tabelle["betrag"] > 0]
z = oben.columns(4)
z[0].metric("Verteilt", mv.fmt_betrag(v.summe, einheit))
z[1].metric(f"Bedachte {ebene_plural}", f"{len(bedacht)} von {len(v.tabelle)}")
z[2].metric("Größter Betrag", mv.fmt_betrag(bedacht["betrag"].max(), einheit))
z[3].metric("Kleinster Betrag (bedachte)", mv.fmt_betrag(bedacht["betrag"].min(), einheit))
for hinweis in v.hinweise:
    oben.warning(hinweis, icon=":material/info:")

links, rechts = st.columns([1, 1.25])
with links:
    plan, legende = mv.kartendaten(v, cache.geometrien(version, stichtag, regel.ebene))
    st.pydeck_chart(deck(plan, "{name} ({raum_id})\n{anzeige}", hoehe=460,
                         kachel_url=config.stadt.karte.kachel_url,
                         kachel_attribution=config.stadt.karte.kachel_attribution), height=460, key="mv_karte")
    st.html(legende_html(f"Betrag je {ebene_name} ({einheit})", legende))
with rechts:
    st.dataframe(mv.text_tabelle(v, ebene_name), hide_index=True, height=460, key="mv_tabelle")
    tabelle = mv.anzeige_tabelle(v, ebene_name)
    monitoring.download(tabelle, f"mittelverteilung_{kennung}_{stichtag:%Y%m%d}.csv", "mv_csv",
                        titel="Mittelverteilung", quellen=[mv.regel_satz(regel, basis, ebene_plural)])

ui_mv.szenarien(v, ebene_plural)
ui_mv.pdf_knopf(regel, version)

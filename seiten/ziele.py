"""Ziele: the goal tree with Ampel roll-up, and the drill-down to one goal."""

import streamlit as st

from fis import massnahmen as mn
from fis import zielgruppe
from fis.ampel import REIHENFOLGE
from fis.charts import zielverlauf
from fis.controlling import ZIELFELDER, szenarien, zielbaum, zieldetail
from fis.format import fmt_differenz, fmt_wert, fmt_zahl, md
from fis.hochrechnung import berichtsstand
from ui import cache, controlling, links, massnahmen, sidebar
from ui import ziele as bearbeiten
from ui.zugang import darf_aktuell

config = cache.config()
version = cache.data_version()
c = cache.controlling(version)
st.title("Ziele")
pflegen = darf_aktuell("ziele_bearbeiten")
if c.ziele.empty:
    if not pflegen:
        st.info("Es sind noch keine Ziele erfasst.")
        st.stop()
    st.info("Es sind noch keine Ziele erfasst. Hier importieren (YAML oder Excel) oder einzeln anlegen.")
    bearbeiten.hochladen()
    with st.expander("Neues Ziel anlegen"):
        bearbeiten.formular(c, None)
    st.stop()

# the year of the Stichtag chosen in the sidebar: goals and monitoring speak of the same year
jahr_standard = sidebar.auswahl().stichtag.year
letztes = max(berichtsstand(c)[0], jahr_standard)
jahre = list(range(letztes - 5, letztes + 1))
if st.session_state.get("ziele_jahr") not in jahre:
    st.session_state["ziele_jahr"] = jahr_standard if jahr_standard in jahre else letztes
oben = st.columns([1, 3])
jahr = oben[0].selectbox("Berichtsjahr", jahre, key="ziele_jahr",
                         help="Vorausgewählt: das Jahr des Stichtags in der Seitenleiste. Ziele, deren Zieldatum "
                              "vor dem Berichtsjahr liegt, werden zum Zieldatum endgültig beurteilt.")
felder = oben[1].multiselect("Zielfelder", list(ZIELFELDER), default=list(ZIELFELDER), key="ziele_felder")
b = cache.bewertung(version, jahr)
st.caption("Ampel: " + " · ".join(f"{controlling.SYMBOL[r.farbe]} {r.wenn}" for r in config.controlling.ampel)
           + (" · Übergeordnete Ziele zeigen die schlechteste Ampel ihres Teilbaums."
              if config.controlling.rollup == "schlechteste" else ""))

spalten = st.columns(len(ZIELFELDER))
for spalte, feld in zip(spalten, ZIELFELDER, strict=True):
    anzahl = b.merge(c.ziele[["ziel_id", "zielfeld"]])
    anzahl = anzahl[anzahl["zielfeld"] == feld]["ampel_eigen"].value_counts()
    spalte.metric(feld, f"{int(anzahl.sum())} bewertet", border=True,
                  help="Ziele mit eigener Kennzahl in diesem Zielfeld")
    spalte.markdown(controlling.chips({f: int(anzahl.get(f, 0)) for f in REIHENFOLGE}),
                    unsafe_allow_html=True)      # palette colours and counts only, no data text

baum = zielbaum(c.ziele).merge(c.ziele, on="ziel_id").merge(b.drop(columns="titel"), on="ziel_id")
baum = baum[baum["zielfeld"].isin(felder)]
zg = cache.zielgruppen(version)
tabelle = controlling.baumtabelle(baum, jahr, zielgruppe.spalte(zg))
st.subheader("Zielbaum")
auswahl = st.dataframe(controlling.ampel_stil(tabelle), hide_index=True, on_select="rerun",
                       selection_mode="single-row",
                       key="ziele_baum", height=min(36 * (len(tabelle) + 1), 620),
                       column_config={"Ziel": st.column_config.TextColumn(width="large")})
controlling.download(tabelle, f"zielbaum_{jahr}.csv", "ziele_csv")

ids = list(baum["ziel_id"])
links.uebernehmen("ziel", "ziel_id")
zeilen = auswahl.selection.rows if auswahl else []
if zeilen:
    st.session_state["ziel_id"] = ids[zeilen[0]]
if st.session_state.get("ziel_id") not in ids:
    st.session_state["ziel_id"] = next((i for i in ids if i.startswith("H1")), ids[0]) if ids else None
if not ids:
    st.stop()
titel = c.ziele.set_index("ziel_id")["titel"]
ziel_id = st.selectbox("Ziel im Detail", ids, key="ziel_id", format_func=lambda i: f"{i} – {titel[i]}")
d = zieldetail(c, ziel_id, jahr, config.controlling)
links.merken(ziel=ziel_id)
links.teilen()

st.subheader(f"{md(ziel_id)}: {md(d.ziel['titel'])}")
st.caption(f"{d.ziel['zielfeld']} · {d.ziel['zielebene']} · verantwortlich: {d.ziel.get('verantwortlich') or '–'}"
           + (f" · beschlossen von {d.ziel['beschlossen_von']}" if d.ziel.get("beschlossen_von") else ""))
zeile = b.set_index("ziel_id").loc[ziel_id]
if d.soll_ist is None:
    st.info(f"Ohne eigene Kennzahl. Ampel aus dem Teilbaum: {controlling.SYMBOL.get(zeile['ampel'], '–')} "
            f"({zeile['ampel_text']}).")
else:
    si = d.soll_ist
    controlling.ampel_hinweis(si.ampel, f"**{si.regel}** – {si.text}")
    if zeile["ampel"] != si.ampel:
        st.caption(f"Im Zielbaum: {controlling.SYMBOL[zeile['ampel']]} – {zeile['ampel_text']}.")
    k = st.columns(4)
    k[0].metric(f"Ist {si.jahr or ''}", fmt_wert(si.ist, d.einheit, d.stellen))
    k[1].metric("Soll", fmt_wert(si.soll, d.einheit, d.stellen))
    k[2].metric("Abweichung", fmt_differenz(si.abweichung, d.einheit, d.stellen),
                f"{fmt_zahl(si.abweichung_prozent, 1)} %" if si.abweichung_prozent == si.abweichung_prozent else None,
                delta_color="off")
    k[3].metric("Zielerreichung", fmt_wert(si.zielerreichung, "%", 0),
                help="Anteil der geplanten Veränderung vom Basiswert zum Zielwert, der erreicht ist")
    with st.expander("Szenarien (Szenariotechnik)", expanded=False):
        st.caption("Veränderung je Jahr ab dem letzten Ist-Wert; Voreinstellung: best case erreicht das Ziel "
                   "genau, worst case entfernt sich halb so schnell davon.")
        sz = st.columns(3)
        annahmen = {name: sz[i].number_input(f"{name} je Jahr ({d.einheit})", value=float(wert),
                                             format=f"%.{d.stellen + 1}f", key=f"ziel_sz_{ziel_id}_{i}")
                    for i, (name, wert) in enumerate(d.szenario_standard.items())}
        zeigen = st.toggle("Szenarien im Diagramm zeigen", key="ziel_sz_an")
    zieljahr = int(str(d.ziel["zieldatum"])[:4])
    fan = None
    if zeigen and len(d.ist):
        fan = szenarien(int(d.ist.index.max()), float(d.ist.iloc[-1]), zieljahr, annahmen)
    band = ((d.ziel.get("band_unten"), d.ziel.get("band_oben")) if d.ziel.get("richtung") == "halten"
            else (None, None))
    st.altair_chart(zielverlauf(d.ist, d.soll, d.einheit, d.stellen, si.prognose, fan, band,
                                d.ziel.get("zielwert"), zieljahr), key="ziel_chart")
    if si.prognose is not None:
        st.caption(f"Prognose: {si.prognose.methode}.")
    if ziel_id in set(zg["ziel_id"]):
        st.markdown(md(zielgruppe.satz(zg.set_index("ziel_id").loc[ziel_id].to_dict(), d.einheit, d.stellen,
                                       d.ziel.get("zielwert"))))
    if fan is not None:
        st.dataframe(controlling.szenariotabelle(fan, d), hide_index=True, key="ziel_sz_tabelle")
        controlling.download(controlling.szenariotabelle(fan, d), f"szenarien_{ziel_id}.csv", "ziel_sz_csv",
                             titel=f"Szenarien Ziel {ziel_id}")
if d.smart:
    st.warning("**SMART-Prüfung** – es fehlt: " + "; ".join(d.smart) + ".", icon=":material/rule:")
if d.ziel.get("massnahmen"):
    st.markdown("**Maßnahmen laut Zielbeschreibung:** " + md(d.ziel["massnahmen"]))
reg = cache.massnahmen(version)
namen = dict(cache.monitoring(version, []).namen())
massnahmen.im_ziel(reg, ziel_id, jahr, namen, ziel_id in mn.rot_ohne_laufende(b, reg))

bearbeiten.budgetvarianten_abschnitt(version, jahr)

if not pflegen:
    st.stop()
st.subheader("Ziele pflegen")
if meldung := st.session_state.pop("ziele_meldung", None):
    st.success(meldung)
with st.expander(f"Ziel {ziel_id} bearbeiten"):
    bearbeiten.formular(c, ziel_id)
with st.expander(f"Ziel {ziel_id} löschen"):
    bearbeiten.loeschen(ziel_id)
with st.expander("Neues Ziel anlegen"):
    bearbeiten.formular(c, None)
with st.expander("Ziele importieren (YAML oder Excel)"):
    bearbeiten.hochladen()

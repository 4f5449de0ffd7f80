"""Typisierung: cluster analysis of areas on standardised indicators, and principal components."""

import altair as alt
import pandas as pd
import streamlit as st

from fis.format import fmt_datum, fmt_zahl
from fis.indizes import stichtage
from fis.kartenansicht import legende_html
from fis.maps import Legendeneintrag, deck
from fis.palette import GRAU_FALLZAHL, YLORRD, ZWEI_KLASSEN
from fis.typologie import METHODEN, hauptkomponenten, kleine_typen_ausblenden, matrix, typisieren
from ui import cache, controlling, sidebar

config = cache.config()
auswahl = sidebar.auswahl()
version = cache.data_version()
katalog = cache.katalog(version)
st.title("Typisierung der Gebiete")
kurz = katalog["kurzname"].to_dict()
quoten = [i for i in katalog.index if katalog.at[i, "aggregation"] == "quote"]
vorgabe = [k.indikator for ix in config.indizes.indizes for k in ix.komponenten if k.indikator in quoten] or quoten[:6]
indikatoren = st.multiselect("Indikatoren", quoten, default=list(dict.fromkeys(vorgabe)), format_func=kurz.get,
                             key="ty_ind")
a = st.columns(4)
methode = a[0].selectbox("Verfahren", list(METHODEN), format_func=METHODEN.get, key="ty_methode")
auto = a[1].toggle("Anzahl nach Silhouette", value=True, key="ty_auto")
k = None if auto else a[2].number_input("Anzahl Typen", 2, 10, 4, key="ty_k")
indizes = {ix.id: ix for ix in config.indizes.indizes}
ordnung_id = a[3].selectbox("Typen ordnen nach", ["", *indizes], key="ty_ordnung",
                            format_func=lambda i: indizes[i].name if i else "mittlerer Belastung")
if len(indikatoren) < 2:
    st.info("Bitte mindestens zwei Indikatoren wählen.")
    st.stop()
ebene = 1
# the chosen indicators and the index components only: a large city need not wait for all
daten = cache.indexdaten(version, [*indikatoren, *cache.index_indikatoren()])
m = cache.monitoring(version, [*indikatoren, *cache.index_indikatoren()])
oeffentlich = version.endswith("|veroeffentlicht")


def werte_am(tag):
    """Public roles: the published, suppressed values (a hidden value leaves its area untyped)."""
    if oeffentlich:
        w = m.auswahl(stichtag=tag, ebene=ebene)
        return w[w["indikator_id"].isin(indikatoren)]
    return daten.auswahl(tag, ebene, indikatoren)


tage = sorted(t for t in daten.auswahl(indikatoren=indikatoren)["stichtag"].unique() if t <= auswahl.stichtag)
x = pd.DataFrame()
for stichtag in reversed(tage):
    x = matrix(werte_am(stichtag), stichtag, ebene, indikatoren)
    if len(x) >= 6:
        break
if len(x) < 6:
    st.warning("Zu wenige Gebiete mit Werten aller gewählten Indikatoren.")
    st.stop()
ordnung = None
if ordnung_id and stichtag in stichtage(daten, indizes[ordnung_id]):
    e = cache.indexergebnis(version, ordnung_id, stichtag)
    if e.nur_klassen:       # public roles: ordered by the class, not by values they may not see
        rang = {kl.label: float(i) for i, kl in enumerate(indizes[ordnung_id].klassen)}
        drin = e.werte.set_index("raum_id")["klasse"].map(rang).dropna()
    else:
        drin = e.werte[e.werte["einbezogen"]].set_index("raum_id")["wert"]
    x, ordnung = x.loc[x.index.intersection(drin.index)], drin
if len(x) < 6:
    st.warning("Zu wenige Gebiete mit Werten aller gewählten Indikatoren.")
    st.stop()
t = typisieren(x, k, methode, ordnung, kurz, daten.polaritaet)
ausgeblendet: list[str] = []
if oeffentlich:
    t, ausgeblendet = kleine_typen_ausblenden(t, config.stadt.mindest_typgroesse)
st.caption(f"Stichtag {fmt_datum(stichtag)} · {len(x)} Gebiete mit allen Indikatoren · z-standardisiert · "
           f"{METHODEN[methode]} · {t.k} Typen, Silhouette {fmt_zahl(t.silhouette, 2)} · Typ 1 = geringste Belastung"
           + (" · aus veröffentlichten Werten: Gebiete mit gesperrten Werten sind nicht typisiert" if oeffentlich
              else " · intern: aus allen Werten"))
if ausgeblendet:
    st.info(f"{len(ausgeblendet)} Gebiete sind nicht typisiert: ihr Typ hätte weniger als "
            f"{config.stadt.mindest_typgroesse} Gebiete (Schutz einzelner Gebiete).")

links, rechts = st.columns([4, 1.4])
farben = YLORRD[min(max(t.k, 3), 7)][:t.k] if t.k >= 3 else ZWEI_KLASSEN
geo = cache.geometrien(version, stichtag, ebene)
namen = m.namen()
typ = t.typen.set_index("raum_id")["typ"]
karte = pd.DataFrame({"raum_id": geo.index, "geometrie": geo.values})
karte["name"] = karte["raum_id"].map(namen).fillna(karte["raum_id"])
karte["typ"] = karte["raum_id"].map(typ)
karte["farbe"] = [farben[int(v) - 1] if v == v else GRAU_FALLZAHL for v in karte["typ"]]
karte["anzeige"] = [f"Typ {int(v)}: {t.beschreibung[int(v)]}" if v == v else "nicht typisiert" for v in karte["typ"]]
with links:
    st.pydeck_chart(deck(karte, "{name} ({raum_id})\n{anzeige}", hoehe=520), height=520, key="ty_karte")
with rechts:
    st.html(legende_html("Typen", [Legendeneintrag(f, f"Typ {i + 1}", int((karte["typ"] == i + 1).sum()))
                                   for i, f in enumerate(farben)]
                         + [Legendeneintrag(GRAU_FALLZAHL, "nicht typisiert", int(karte["typ"].isna().sum()))]))

st.subheader("Typen und ihre kennzeichnenden Indikatoren")
profil = t.profile.rename(columns=kurz).rename_axis("Typ")
st.dataframe(pd.DataFrame({"Typ": profil.index, "Gebiete": [int((typ == i).sum()) for i in profil.index],
                           "Kennzeichen": [t.beschreibung[int(i)] for i in profil.index]}), hide_index=True,
             key="ty_beschreibung")
st.dataframe(profil.map(lambda v: fmt_zahl(v, 2)), key="ty_profile")
controlling.download(profil.map(lambda v: fmt_zahl(v, 2)).reset_index(), f"typenprofile_{stichtag:%Y%m%d}.csv",
                     "ty_profile_csv", titel="Mittlere z-Werte je Typ")
st.caption("Mittlere z-Werte je Typ: positiv = über dem Durchschnitt der Gebiete.")
g = t.guete.rename(columns={"silhouette": "Silhouette", "wss": "Quadratsumme innerhalb der Typen"}).melt(
    "k", var_name="Maß", value_name="Wert")
st.altair_chart(alt.Chart(g).mark_line(point=True).encode(
    x=alt.X("k:O", title="Anzahl Typen"), y=alt.Y("Wert:Q", title=None),
    color=alt.Color("Maß:N", legend=None), tooltip=["k:O", "Maß:N", alt.Tooltip("Wert:Q", format=".3f")]
).properties(height=180).facet(column=alt.Column("Maß:N", title=None)).resolve_scale(y="independent"),
    key="ty_guete")
st.caption("Silhouette (höher = trennschärfer) und Summe der quadrierten Abstände innerhalb der Typen (Ellbogen).")
typen_tabelle = pd.DataFrame({"Gebiet": [f"{namen.get(r, r)} ({r})" for r in typ.index], "Typ": typ.values})
controlling.download(typen_tabelle, f"typen_{stichtag:%Y%m%d}.csv", "ty_csv")

st.subheader("Hauptkomponenten")
h = hauptkomponenten(x)
st.caption("Ladungen = Korrelation von Indikator und Komponente; Komponenten mit Eigenwert ≥ 1 (Kaiser). Erklärt: "
           + ", ".join(f"{c} {fmt_zahl(v * 100, 1)} %" for c, v in h.erklaert.items()))
st.dataframe(h.ladungen.rename(index=kurz).rename_axis("Indikator").map(lambda v: fmt_zahl(v, 2)),
             key="ty_ladungen")
controlling.download(h.ladungen.rename(index=kurz).map(lambda v: fmt_zahl(v, 2)).rename_axis("Indikator").reset_index(),
                     f"ladungen_{stichtag:%Y%m%d}.csv", "ty_ladungen_csv", titel="Ladungen der Hauptkomponenten")

"""Tab „Neue Stadt einrichten“: boundary file + a few answers → configuration and database of a new city."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import streamlit as st

from fis import einrichtung
from fis.ingest import raeume as raeume_import
from fis.ingest.lesen import ImportFehler
from fis.pfade import aktive_stadt_datei
from ui.datenpflege.gemeinsam import (
    KEIN,
    geodatei,
    nach_schreiben,
)
from ui.zugang import aktuell as angemeldet

LAENDER = ("Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
           "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
           "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen")


def reiter(config) -> None:
    """Einrichtungsassistent: boundary file + a few answers → config folder and database of a new city."""
    st.caption("Für eine neue Stadt oder einen Kreis: aus der Gebietsdatei und einigen Angaben entstehen die "
               "Konfiguration (Stadt, Indikatorenkatalog, Lagebild) und eine neue Datenbank mit Katalog und "
               "Raumgliederung. Die bisherige Stadt bleibt unverändert erhalten. Danach werden die Werte im "
               "Reiter „Indikatorwerte“ geliefert.")
    gelesen = geodatei("Gebietsdatei (GeoJSON, gezipptes Shapefile oder GeoPackage)", "dp_neu_datei")
    if gelesen is None:
        return
    datei, data, frame, layer = gelesen
    props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    sp = list(props.columns)
    st.caption(f"Gelesen: {len(props)} Flächen mit den Eigenschaften {', '.join(sp)}")
    st.dataframe(props.head(5), width="stretch", hide_index=True, key="dp_neu_roh")

    def raten(*muster: str, ausser: tuple = ()) -> int:
        for i, s in enumerate(sp):
            if s not in ausser and any(m in s.lower() for m in muster):
                return i
        return 0

    key = f"dp_neu_{raeume_import.sha256(data)[:10]}"
    c1, c2 = st.columns(2)
    name = c1.text_input("Name der Stadt oder des Kreises", key=f"{key}_name")
    land = c2.selectbox("Bundesland", LAENDER, index=None, placeholder="Bundesland wählen", key=f"{key}_land")
    st.markdown("##### Gebiete der Datei")
    c1, c2, c3, c4 = st.columns(4)
    kennung = c1.selectbox("Eigenschaft mit der Kennung", sp, index=raten("nr", "id", "schl", "kenn"),
                           key=f"{key}_kennung")
    name_spalte = c2.selectbox("Eigenschaft mit dem Namen", sp, index=raten("name", "bez", ausser=(kennung,)),
                               key=f"{key}_namensp")
    ebene = c3.text_input("Bezeichnung (Einzahl)", "Sozialraum", key=f"{key}_ebene")
    plural = c4.text_input("Bezeichnung (Mehrzahl)", "Sozialräume", key=f"{key}_plural")
    st.markdown("##### Übergeordnete Einheiten (optional, z. B. Stadtbezirke)")
    c1, c2, c3, c4 = st.columns(4)
    ober = c1.selectbox("Eigenschaft mit deren Kennung", [KEIN, *sp], key=f"{key}_ober")
    ober_name = c2.selectbox("Eigenschaft mit deren Namen", [KEIN, *sp], key=f"{key}_obername")
    ober_ebene = c3.text_input("Bezeichnung (Einzahl)", "Stadtbezirk", key=f"{key}_oberebene")
    ober_plural = c4.text_input("Bezeichnung (Mehrzahl)", "Stadtbezirke", key=f"{key}_oberplural")
    c1, c2, c3 = st.columns(3)
    gesamt = c1.text_input("Bezeichnung der Gesamtebene", "Gesamtstadt", key=f"{key}_gesamt")
    von = c2.date_input("Gebiete gelten ab", value=date(2000, 1, 1), format="DD.MM.YYYY", key=f"{key}_von",
                        help="Werte lassen sich ab diesem Tag liefern; ein späterer Neuzuschnitt wird eine eigene "
                             "Lieferung der Raumgliederung.")
    mindest = c3.number_input("Mindestzahl Einwohner je Gebiet (0 = keine)", 0, 10_000, 0, step=50,
                              key=f"{key}_mindest",
                              help="Kleinere Gebiete zeigen nur ihre Einwohnerzahl (z. B. 300 wie in Berlin).")
    vorlage = einrichtung.katalog_vorlage()
    texte = {r.indikator_id: f"{r.name} ({r.handlungsfeld})" for r in vorlage.itertuples(index=False)}
    indikatoren = st.multiselect("Indikatoren aus dem mitgelieferten Katalog (KGSt, Kölner Modell)",
                                 list(texte), default=list(texte), format_func=texte.get, key=f"{key}_ind",
                                 help="Nicht benötigte entfernen; der Katalog lässt sich später im Reiter "
                                      "„Indikatorenkatalog“ ergänzen.")
    if not name.strip() or land is None:
        st.info("Bitte Name und Bundesland angeben.", icon=":material/edit:")
        return
    try:
        antworten = einrichtung.Antworten(
            name=name, land=land, kennung=kennung, name_spalte=name_spalte, ebene=ebene, ebene_plural=plural,
            ober_spalte=None if ober == KEIN else ober, ober_name_spalte=None if ober_name == KEIN else ober_name,
            ober_ebene=ober_ebene, ober_ebene_plural=ober_plural, gesamt=gesamt, gueltig_von=von,
            indikatoren=tuple(indikatoren), layer=layer, mindest_einwohner=int(mindest) or None)
        e = einrichtung.vorbereiten(data, datei.name, antworten)
    except (ImportFehler, einrichtung.EinrichtungsFehler) as exc:
        st.error(str(exc))
        return
    for hinweis in e.hinweise:
        st.success(hinweis, icon=":material/check_circle:")
    with st.expander("Erzeugte Konfiguration ansehen"):
        for titel, text in (("stadt.yaml", e.stadt_yaml), ("lagebild.yaml", e.lagebild_yaml)):
            st.caption(titel)
            st.code(text, language="yaml")
    slug = einrichtung.kurzname(name)
    daten = aktive_stadt_datei().parent       # data/ (or where FIS_AKTIVE_STADT points)
    config_ziel, db_ziel = daten / "staedte" / slug, daten / f"{slug}.duckdb"
    fest = bool(os.environ.get("FIS_CONFIG") or os.environ.get("FIS_DB"))
    st.caption(f"Wird geschrieben: Konfiguration nach `{config_ziel}`, Datenbank `{db_ziel}`."
               + (" FIS_CONFIG/FIS_DB sind gesetzt: die App wechselt erst, wenn sie auf die neuen Pfade zeigen."
                  if fest else " Danach öffnen App und Kommandozeile die neue Stadt."))
    if st.button("Stadt einrichten", type="primary", key=f"{key}_ok", icon=":material/add_location_alt:"):
        bar = st.progress(0.0, "Einrichtung läuft …")
        try:
            info = einrichtung.einrichten(data, datei.name, e, config_ziel, db_ziel, angemeldet().name,
                                          lambda f, t: bar.progress(f, t))
        except (ImportFehler, einrichtung.EinrichtungsFehler) as exc:
            st.error(str(exc))
            return
        if fest:
            st.success(f"{name} ist eingerichtet ({info['raeume']} Räume). Zum Wechseln die App mit "
                       f"FIS_CONFIG={info['config']} und FIS_DB={info['db']} starten.")
            return
        einrichtung.aktivieren(info["config"], info["db"])
        nach_schreiben(f"{name} ist eingerichtet: {info['raeume']} Räume, Katalog und Raumgliederung "
                        "veröffentlicht. Nächster Schritt: die Werte im Reiter „Indikatorwerte“ liefern.")

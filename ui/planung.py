"""Widgets of the page „Planungszyklus“: the cycle table's colours and the forms (phase, Beteiligung, import) — all
through :mod:`fis.ingest.planung`, the same checks as a file from the command line."""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from fis import planung as pl
from fis.ampel import Ampel
from fis.format import fmt_datum
from fis.ingest import planung as planung_import
from fis.ingest.planung import ARTEN, PHASEN
from fis.palette import AMPEL, HINTERGRUND_KOPF, PRIMAER, RAHMEN, TEXT, TEXT_LEISE, WEISS
from ui import cache
from ui.datenpflege.gemeinsam import bericht, datei_liefern, nach_schreiben
from ui.zugang import aktuell as angemeldet

GRUPPEN = ("Bürgerinnen und Bürger", "freie Träger", "Verwaltung", "Politik")


KURZ = {"Bestandsaufnahme": "Bestand", "Bedarfsermittlung": "Bedarf", "Zielentwicklung": "Ziele",
        "Maßnahmenplanung": "Maßnahmen", "Fortschreibung": "Fortschr."}


def zyklus_html(p: pl.Planungsstand, heute: date) -> str:
    """Every Bereich as a row of the eight phases (done ✓, current filled, ahead outlined) with its Beschluss and
    the Fortschreibung due (overdue in the Ampel's red). Text escaped; colours from the palette."""
    rot = AMPEL[Ampel.ROT]
    zeilen = []
    for z in p.zyklus.to_dict("records"):
        i = PHASEN.index(z["phase"])
        chips = []
        for j, ph in enumerate(PHASEN):
            stil = (f"background:{PRIMAER};color:{WEISS};font-weight:600" if j == i else
                    f"background:{HINTERGRUND_KOPF};color:{TEXT}" if j < i else
                    f"background:{WEISS};color:{TEXT_LEISE};border:1px dashed {RAHMEN}")
            zeichen = "● " if j == i else "✓ " if j < i else ""
            chips.append(f'<div title="{escape(ph)}" style="{stil};border-radius:.3em;padding:.25em .3em;'
                         f'font-size:.75rem;text-align:center;white-space:nowrap;overflow:hidden">'
                         f'{zeichen}{escape(KURZ.get(ph, ph))}</div>')
        faellig = z["fortschreibung_faellig"]
        frist = ("" if faellig is None else
                 f'<span style="background:{rot.hintergrund};color:{rot.text};font-weight:600;padding:0 .3em;'
                 f'border-radius:.2em;white-space:nowrap">⚠ Fortschreibung überfällig seit {fmt_datum(faellig)}</span>'
                 if faellig < heute else f"Fortschreibung fällig {fmt_datum(faellig)}")
        seit = pl.seit_wann(p, z["bereich"])
        zusatz = " · ".join(t for t in (f"{escape(z['phase'])} seit {fmt_datum(seit)}" if seit else "",
                                        f"Beschluss: {escape(pl.auftrag_text(z))}", frist) if t)
        zeilen.append(
            f'<div role="listitem" style="display:grid;grid-template-columns:minmax(8em,1.1fr) repeat(8,minmax(0,1fr));'
            f'gap:.25em;align-items:center;margin:.55em 0 .1em"><div><strong>{escape(z["bereich"])}</strong><br>'
            f'<span style="font-size:.8rem;color:{TEXT_LEISE}">{escape(z["handlungsfeld"] or "")}</span></div>'
            + "".join(chips) + f'</div><div style="font-size:.8rem;color:{TEXT_LEISE};margin-left:.1em">{zusatz}</div>')
    return f'<div role="list" aria-label="Planungszyklus je Bereich">{"".join(zeilen)}</div>'


def zyklus_stil(tabelle: pd.DataFrame):
    """The current phase on a tinted cell, done phases muted, an overdue Fortschreibung in the Ampel's red."""
    rot = AMPEL[Ampel.ROT]

    def zelle(v) -> str:
        if not isinstance(v, str):
            return ""
        if v.startswith(pl.AKTUELL):
            return f"background-color:{HINTERGRUND_KOPF};color:{TEXT};font-weight:600"
        if v == pl.ERLEDIGT:
            return f"color:{TEXT_LEISE}"
        if v.startswith("⚠"):
            return f"background-color:{rot.hintergrund};color:{rot.text};font-weight:600"
        return ""
    return tabelle.style.map(zelle, subset=[*PHASEN, "Fortschreibung fällig"])


def _speichern(v, bezeichnung: str) -> None:
    if not v.uebernehmbar:
        bericht(v.bericht, "pz_bericht")
        if v.bericht.ok:
            st.info("Keine Änderung – nichts gespeichert.")
        return
    lid = planung_import.uebernehmen(cache.store(), v, angemeldet(), bezeichnung)
    nach_schreiben(f"{bezeichnung} gespeichert (Lieferung {lid}; vorläufig bis zur Veröffentlichung).")
    st.rerun()


def _phase(p: pl.Planungsstand) -> None:
    bereiche = list(p.zyklus["bereich"])
    with st.form("pz_phase"):
        a, b, c = st.columns(3)
        wahl = a.selectbox("Bereich", [*bereiche, "(neu)"], key="pz_f_bereich")
        neu = b.text_input("Neuer Bereich", key="pz_f_neu", help="Nur bei „(neu)“: z. B. Jugendhilfeplanung")
        phase = c.selectbox("Phase", PHASEN, key="pz_f_phase")
        a, b, c, d = st.columns(4)
        seit = a.date_input("Phase seit", value=date.today(), format="DD.MM.YYYY", key="pz_f_seit")
        gremium = b.text_input("Auftrag: Gremium", key="pz_f_gremium")
        drucksache = c.text_input("Drucksachen-Nr.", key="pz_f_drs")
        faellig = d.date_input("Fortschreibung fällig", value=None, format="DD.MM.YYYY", key="pz_f_faellig")
        gesendet = st.form_submit_button("Speichern", type="primary")
    if gesendet:        # outside the form: the Prüfbericht offers a download
        bereich = neu.strip() if wahl == "(neu)" else wahl
        eintrag = {"bereich": bereich, "phase": phase, "phase_seit": seit}
        if gremium or drucksache:
            eintrag["auftrag"] = {k: v for k, v in (("gremium", gremium), ("drucksache", drucksache)) if v}
        if faellig:
            eintrag["fortschreibung_faellig"] = faellig
        _speichern(planung_import.aus_formular(cache.store(), [eintrag], []), f"Planungszyklus {bereich}")


def _beteiligung(p: pl.Planungsstand, raeume: dict[str, str]) -> None:
    nummer = 1 + max([int(i[1:]) for i in p.beteiligung["beteiligung_id"] if i[1:].isdigit()], default=0)
    with st.form("pz_beteiligung_form"):
        a, b, c = st.columns([1, 1, 2])
        art = a.selectbox("Art", ARTEN, key="pz_b_art")
        datum = b.date_input("Datum", value=date.today(), format="DD.MM.YYYY", key="pz_b_datum")
        titel = c.text_input("Titel", key="pz_b_titel")
        gebiete = st.multiselect("Sozialräume (leer: stadtweit)", list(raeume), format_func=lambda r: raeume[r],
                                 key="pz_b_raeume", placeholder="stadtweit")
        st.markdown("Teilnehmende je Gruppe (nur Anzahlen, keine Namen)")
        gruppen = st.data_editor(pd.DataFrame({"Gruppe": list(GRUPPEN), "Anzahl": [0] * len(GRUPPEN)}),
                                 num_rows="dynamic", hide_index=True, key="pz_b_gruppen",
                                 column_config={"Anzahl": st.column_config.NumberColumn(min_value=0, step=1)})
        themen = st.text_input("Themen", key="pz_b_themen")
        ergebnisse = st.text_area("Ergebnisse und Verabredungen", key="pz_b_ergebnisse")
        a, b = st.columns(2)
        massnahmen = a.text_input("Folgen: Maßnahmen (Kennungen, durch Komma getrennt)", key="pz_b_mn")
        ziele = b.text_input("Folgen: Ziele (Kennungen)", key="pz_b_ziele")
        gesendet = st.form_submit_button("Speichern", type="primary")
    if gesendet:
        teilnehmende = {str(g): n for g, n in zip(gruppen["Gruppe"], gruppen["Anzahl"], strict=True)
                        if isinstance(g, str) and g.strip() and pd.notna(n) and n != 0}
        eintrag = {"id": f"B{nummer:02d}", "art": art, "datum": datum, "titel": titel, "sozialraeume": gebiete,
                   "teilnehmende": teilnehmende, "themen": themen, "ergebnisse": ergebnisse,
                   "massnahmen": massnahmen, "ziele": ziele}
        _speichern(planung_import.aus_formular(cache.store(), [], [eintrag]), f"Beteiligung B{nummer:02d}")


def _import(config) -> None:
    datei_liefern(config, "planung", "Planungszyklus und Beteiligung (YAML)", "pz_datei")


def pflegen(p: pl.Planungsstand, namen: dict[str, str], raeume: dict[str, str]) -> None:
    """Planung: set a phase, record a Beteiligung, or import a file."""
    wege = {"phase": "Phase setzen", "beteiligung": "Beteiligung erfassen", "import": "Importieren (YAML)"}
    weg = st.radio("Pflegen", list(wege), format_func=wege.get, horizontal=True, index=None, key="pz_pflege",
                   label_visibility="collapsed")
    if weg == "phase":
        _phase(p)
    elif weg == "beteiligung":
        _beteiligung(p, raeume)
    elif weg == "import":
        _import(cache.config())

"""Widgets of the Maßnahmenregister: the detail of one measure, the sections in the goal detail and the profile,
the form and the upload (both through :mod:`fis.ingest.massnahmen`, the same checks as the CLI). Computing lives
in :mod:`fis.massnahmen`."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from fis import massnahmen as mn
from fis import planung as pl
from fis.export import xlsx_bytes
from fis.format import fmt_euro, md
from fis.ingest import massnahmen as massnahmen_import
from fis.ingest.arten import LIEFERARTEN
from fis.ingest.massnahmeregeln import ERGEBNISSE, METHODEN, STATUS
from ui import cache
from ui.datenpflege.gemeinsam import bericht, datei_liefern, nach_schreiben
from ui.zugang import aktuell as angemeldet
from ui.zugang import darf_aktuell


def tabelle(t: pd.DataFrame, key: str, hoehe: int | None = None, auswahl: bool = False):
    """The register table; with ``auswahl`` one row can be selected."""
    return st.dataframe(t, hide_index=True, key=key, height=hoehe or "auto", column_config={
        "Maßnahme": st.column_config.TextColumn(width="medium")},
        **({"on_select": "rerun", "selection_mode": "single-row"} if auswahl else {}))


def register_excel(reg: mn.Register, auswahl: pd.DataFrame, namen: dict[str, str]) -> None:
    """The selected measures as a workbook: register, figures per year, status history, evaluations."""
    if not darf_aktuell("rohdaten_herunterladen"):
        return
    st.download_button("Register als Excel (vier Blätter)", lambda: xlsx_bytes(
        mn.export_tabellen(reg, auswahl, namen), "Maßnahmenregister", ["Maßnahmenregister der Stadt"]),
        file_name="massnahmenregister.xlsx", key="mn_register_xlsx", icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help="Maßnahmen, Jahreswerte (Budget und Leistungen), Statusverlauf und Evaluationen der Auswahl")


def detail(reg: mn.Register, massnahme_id: str, namen: dict[str, str], ziele_titel: dict[str, str]) -> None:
    """One measure: description, where, goals, status history, budget and outputs per year, evaluations."""
    m = reg.massnahme(massnahme_id)
    st.subheader(f"{md(massnahme_id)}: {md(m['titel'])}")
    st.caption(" · ".join(t for t in (
        m["handlungsfeld"], f"Status: {m['status']}", mn.laufzeit(m["beginn"], m["ende"]),
        f"Träger: {m['traeger']}" if m.get("traeger") else "", f"verantwortlich: {m['verantwortlich']}"
        if m.get("verantwortlich") else "", "" if m["veroeffentlicht"] else "vorläufig (nicht veröffentlicht)") if t))
    if m.get("beschreibung"):
        st.markdown(md(m["beschreibung"]))
    st.markdown(f"**Gebiet:** {md(mn.gebiete_text(m['raeume'], namen, 99))}  \n**Ziele:** "
                + (md("; ".join(f"{z} – {ziele_titel.get(z, 'unbekannt')}" for z in m["ziele"])) or "keine")
                + (f"  \n**Produkte:** {md(', '.join(m['produkte']))}" if m["produkte"] else "")
                + (f"  \n**Haushalt:** Produkt {md(m['haushalt_produkt'])}, Position {int(m['haushalt_position'])}"
                   if m.get("haushalt_produkt") and pd.notna(m.get("haushalt_position")) else ""))
    links, rechts = st.columns([1, 2])
    links.markdown("**Statusverlauf**")
    links.dataframe(mn.statusverlauf(reg, massnahme_id), hide_index=True, key=f"mn_verlauf_{massnahme_id}")
    rechts.markdown("**Budget und Leistungen je Jahr**")
    rechts.dataframe(mn.jahrestabelle(reg, massnahme_id), hide_index=True, key=f"mn_jahre_{massnahme_id}")
    ev = mn.evaluationstabelle(reg, massnahme_id)
    st.markdown("**Evaluation**")
    if ev.empty:
        st.caption("Noch nicht evaluiert.")
    else:
        st.dataframe(ev, hide_index=True, key=f"mn_ev_{massnahme_id}",
                     column_config={"Befund": st.column_config.TextColumn(width="large")})


def im_ziel(reg: mn.Register, ziel_id: str, jahr: int, namen: dict[str, str], rot_ohne: bool) -> None:
    """The goal detail's section: the measures serving the goal, and the flag when a red goal has none running."""
    st.markdown("**Maßnahmen zu diesem Ziel**")
    if rot_ohne:
        st.error("**Rot, keine laufende Maßnahme**: Das Ziel wird verfehlt, und keine laufende Maßnahme des "
                 "Registers dient ihm. Gegensteuerung nötig.", icon=":material/report:")
    t = mn.fuer_ziel(reg, ziel_id, jahr, namen)
    if t.empty:
        st.caption("Dem Ziel ist im Maßnahmenregister keine Maßnahme zugeordnet.")
        return
    s = mn.summen(reg, mn.filtern(reg, ziel=ziel_id), jahr)
    st.caption(f"{s['anzahl']} Maßnahmen, davon {s['laufend']} laufend · Budget {jahr}: Plan "
               f"{fmt_euro(s['plan']) if s['plan'] == s['plan'] else '–'}, Ist "
               f"{fmt_euro(s['ist']) if s['ist'] == s['ist'] else '–'} · evaluiert {s['evaluiert']}, "
               f"davon wirksam {s['wirksam']}")
    tabelle(t, f"ziel_mn_{ziel_id}")


def im_gebiet(reg: mn.Register, sozialraeume: set[str], name: str, jahr: int, namen: dict[str, str]) -> None:
    """The profile's section „Maßnahmen in diesem Gebiet“."""
    st.subheader("Maßnahmen in diesem Gebiet")
    hier = mn.im_gebiet(reg, sozialraeume)
    stadtweit = mn.filtern(reg, raeume=set(), stadtweit=True)
    offen_hier = hier[hier["status"].isin(mn.OFFEN)]
    st.caption(f"{len(offen_hier)} geplante oder laufende Maßnahmen in {md(name)} "
               f"(dazu {int(stadtweit['status'].isin(mn.OFFEN).sum())} stadtweite) · Seite „Maßnahmen“ für alles")
    if hier.empty:
        st.info(f"Für {md(name)} ist keine Maßnahme im Register.", icon=":material/info:")
        return
    tabelle(mn.uebersicht(reg, hier, jahr, namen).drop(columns=["Träger", "Verantwortlich"]), "profil_mn")


def beteiligung_im_gebiet(p, sozialraeume: set[str], name: str, namen: dict[str, str]) -> None:
    """The profile's section „Beteiligung in diesem Gebiet“ (events held for its Sozialräume, newest first)."""
    hier = pl.beteiligungen(p, sozialraeume=sozialraeume, stadtweit=False)
    st.subheader("Beteiligung in diesem Gebiet")
    if hier.empty:
        st.caption(f"Für {md(name)} ist keine Sozialraumkonferenz oder Beteiligung erfasst.")
        return
    st.dataframe(pl.beteiligungstabelle(p, hier, namen).drop(columns=["Gebiet"]), hide_index=True,
                 key="profil_beteiligung", column_config={"Titel": st.column_config.TextColumn(width="medium")})


# --------------------------------------------------------------------------- editing (Planung)

def hochladen(config) -> None:
    """Upload a register file (YAML, CSV, XLSX): checked, previewed, committed as a delivery."""
    datei_liefern(config, "massnahmen", "Maßnahmenregister (YAML, CSV oder Excel)", "mn_datei",
                  LIEFERARTEN["massnahmen"].hilfe + " Nicht genannte Maßnahmen und fehlende Spalten bleiben, wie sie "
                  "sind; ein neuer Status kommt mit Datum in den Verlauf.", vorschau=_vorschau)


def _vorschau(v) -> None:
    if len(v.vergleich):
        st.dataframe(v.vergleich.rename(columns={"massnahme_id": "Kennung", "titel": "Maßnahme", "art": "Änderung",
                                                 "geaendert": "geändert"}), hide_index=True, key="mn_vorschau")


def formular(reg: mn.Register, massnahme_id: str | None, handlungsfelder: list[str], raeume: dict[str, str],
             ziele: dict[str, str], produkte: list[str]) -> None:
    """Create or edit one measure; saved as a delivery of its own (versioned, audited, can be rolled back)."""
    alt = reg.massnahme(massnahme_id) if massnahme_id else {}
    k = f"mn_f_{massnahme_id or 'neu'}"
    with st.form(k):
        a, b = st.columns([1, 3])
        mid = a.text_input("Kennung", value=massnahme_id or "", disabled=bool(massnahme_id), key=f"{k}_id")
        titel = b.text_input("Titel", value=alt.get("titel", ""), key=f"{k}_titel")
        beschreibung = st.text_area("Beschreibung", value=alt.get("beschreibung") or "", key=f"{k}_beschr")
        a, b, c = st.columns(3)
        hf = a.selectbox("Handlungsfeld", handlungsfelder, key=f"{k}_hf",
                         index=handlungsfelder.index(alt["handlungsfeld"])
                         if alt.get("handlungsfeld") in handlungsfelder else 0)
        status = b.selectbox("Status", STATUS, index=STATUS.index(alt.get("status", "geplant")), key=f"{k}_st")
        seit = c.date_input("Status seit", value=date.today(), format="DD.MM.YYYY", key=f"{k}_seit",
                            help="Gilt nur, wenn sich der Status ändert: dann kommt er mit diesem Datum in den "
                                 "Verlauf.")
        gebiete = st.multiselect("Sozialräume (leer: stadtweit)", list(raeume), default=alt.get("raeume", []),
                                 format_func=lambda r: f"{raeume[r]} ({r})", key=f"{k}_raeume",
                                 placeholder="stadtweit")
        a, b = st.columns(2)
        zl = a.multiselect("Ziele", list(ziele), default=[z for z in alt.get("ziele", []) if z in ziele],
                           format_func=lambda z: f"{z} – {ziele[z]}", key=f"{k}_ziele",
                           placeholder="keine")
        pr = b.multiselect("Produkte", produkte, default=[p for p in alt.get("produkte", []) if p in produkte],
                           key=f"{k}_produkte", placeholder="keine")
        a, b, c, d = st.columns(4)
        traeger = a.text_input("Träger", value=alt.get("traeger") or "", key=f"{k}_traeger")
        verantwortlich = b.text_input("Verantwortliche Stelle", value=alt.get("verantwortlich") or "", key=f"{k}_ver")
        beginn = c.date_input("Beginn", value=alt.get("beginn"), format="DD.MM.YYYY", key=f"{k}_beginn")
        ende = d.date_input("Ende", value=alt.get("ende"), format="DD.MM.YYYY", key=f"{k}_ende")
        st.markdown("Budget (€) und Leistungen je Jahr")
        jahre = reg.jahre[reg.jahre["massnahme_id"] == massnahme_id][["jahr", *massnahmen_import.KENNZAHLEN]] \
            if massnahme_id else pd.DataFrame({"jahr": [date.today().year]}).reindex(
                columns=["jahr", *massnahmen_import.KENNZAHLEN])
        jahre = st.data_editor(jahre.reset_index(drop=True), num_rows="dynamic", hide_index=True, key=f"{k}_jahre",
                               column_config={"jahr": st.column_config.NumberColumn("Jahr", format="%d", min_value=1990,
                                                                                    max_value=2100, step=1),
                                              "budget_plan": st.column_config.NumberColumn("Plan (€)", min_value=0),
                                              "budget_ist": st.column_config.NumberColumn("Ist (€)", min_value=0),
                                              **{f: st.column_config.NumberColumn(n, min_value=0)
                                                 for f, n in mn.LEISTUNGEN.items()}})
        st.markdown("Evaluationen")
        ev = reg.evaluationen[reg.evaluationen["massnahme_id"] == massnahme_id][list(massnahmen_import.EVALUATION)] \
            if massnahme_id else pd.DataFrame(columns=list(massnahmen_import.EVALUATION))
        ev = st.data_editor(ev.reset_index(drop=True), num_rows="dynamic", hide_index=True, key=f"{k}_ev",
                            column_config={"datum": st.column_config.DateColumn("Datum", format="DD.MM.YYYY"),
                                           "methode": st.column_config.SelectboxColumn("Methode", options=METHODEN),
                                           "ergebnis": st.column_config.SelectboxColumn("Ergebnis", options=ERGEBNISSE),
                                           "kennzahlen": "Kennzahlen", "text": st.column_config.TextColumn("Befund"),
                                           "dokument": "Dokument"})
        speichern = st.form_submit_button("Speichern", type="primary")
    if not speichern:
        return
    eintrag = {"id": mid.strip(), "titel": titel, "beschreibung": beschreibung, "handlungsfeld": hf,
               "status": status, "status_seit": seit, "raeume": gebiete, "ziele": zl, "produkte": pr,
               "traeger": traeger, "verantwortlich": verantwortlich, "beginn": beginn, "ende": ende,
               "jahre": {int(r["jahr"]): {f: (None if pd.isna(r[f]) else float(r[f]))
                                          for f in massnahmen_import.KENNZAHLEN}
                         for r in jahre.to_dict("records") if pd.notna(r.get("jahr"))},
               "evaluationen": [{**r, "datum": r["datum"]} for r in ev.to_dict("records")
                                if any(pd.notna(v) and v != "" for v in r.values())]}
    v = massnahmen_import.aus_formular(cache.store(), eintrag)
    if not v.uebernehmbar:
        bericht(v.bericht, f"{k}_bericht")
        if v.bericht.ok:
            st.info("Keine Änderung – nichts gespeichert.")
        return
    lid = massnahmen_import.uebernehmen(cache.store(), v, angemeldet(), f"Maßnahme {eintrag['id']} (Formular)")
    nach_schreiben(f"Maßnahme {eintrag['id']} gespeichert (Lieferung {lid}, vorläufig bis zur Veröffentlichung).")


def darf_bearbeiten() -> bool:
    return darf_aktuell("hochladen")


"""SROI: Social Return on Investment of a measure – impact map, ratio, sensitivity."""

import pandas as pd
import streamlit as st

from fis.charts import tornado
from fis.format import fmt_euro, fmt_zahl
from fis.sroi import WIRKUNG_SPALTEN, sroi, sroi_pruefen, sroi_sensitivitaet, sroi_speichern, wirkungen_aus
from ui import cache, controlling
from ui.zugang import aktuell as angemeldet
from ui.zugang import darf_aktuell

version = cache.data_version()
p = cache.produkte(version)
analysen, zeilen = cache.store().lade_sroi()
st.title("SROI – Social Return on Investment")
st.caption("Wirkungskette je Stakeholder: Aktivität, Output, Outcome, Indikator, Menge je Jahr und finanzieller "
           "Proxy; bereinigt um Mitnahme, Zurechnung und Verdrängung, mit jährlicher Abnahme über die Dauer, "
           "abgezinst auf den Barwert. Quote = Barwert ÷ Input.")
if meldung := st.session_state.pop("sroi_meldung", None):
    st.success(meldung)

ids = [*analysen["analyse_id"], "neu"]
namen = dict(zip(analysen["analyse_id"], analysen["name"], strict=True)) | {"neu": "– neue Analyse –"}
aid = st.selectbox("Analyse", ids, format_func=namen.get, key="sroi_id")
a = analysen.set_index("analyse_id").loc[aid].to_dict() if aid != "neu" else {}
produkte = ["", *p.produkte["nr"]]
k = st.columns([2, 1, 1, 1])
name = k[0].text_input("Name der Maßnahme", value=a.get("name", ""), key=f"sroi_name_{aid}")
produkt = k[1].selectbox("Produkt", produkte, index=produkte.index(a.get("produkt_nr") or ""),
                         key=f"sroi_produkt_{aid}")
eingesetzt = k[2].number_input("Input (€)", min_value=0.0, value=float(a.get("input_euro", 100_000.0)),
                               step=10_000.0, format="%.0f", key=f"sroi_input_{aid}")
zins = k[3].number_input("Diskontierungszins", 0.0, 0.5, float(a.get("zinssatz", 0.035)), 0.005, format="%.3f",
                         key=f"sroi_zins_{aid}")
beschreibung = st.text_area("Beschreibung", value=a.get("beschreibung") or "", key=f"sroi_text_{aid}")
TEXTSPALTEN = ["stakeholder", "aktivitaet", "output", "outcome", "indikator", "proxy_quelle"]
vorlage = zeilen[zeilen["analyse_id"] == aid][list(WIRKUNG_SPALTEN)] if aid != "neu" else \
    pd.DataFrame([{**dict.fromkeys(TEXTSPALTEN, ""), "menge": 0.0, "proxy": 0.0, "mitnahme": 0.0, "zurechnung": 0.0,
                   "verdraengung": 0.0, "abnahme": 0.0, "dauer": 1}], columns=list(WIRKUNG_SPALTEN))
# text columns stay text even when every cell is empty (the editor refuses a float column as text)
vorlage = vorlage.astype(dict.fromkeys(TEXTSPALTEN, "object"))
st.markdown("**Wirkungskette** (Anteile als Dezimalzahl: 0,25 = 25 %)")
kette = st.data_editor(vorlage.reset_index(drop=True), num_rows="dynamic", hide_index=True, key=f"sroi_kette_{aid}",
                       column_config={
                           **{f: st.column_config.TextColumn(t) for f, t in (
                               ("stakeholder", "Stakeholder"), ("aktivitaet", "Aktivität"), ("output", "Output"),
                               ("outcome", "Outcome"), ("indikator", "Indikator"),
                               ("proxy_quelle", "Quelle des Proxys"))},
                           "menge": st.column_config.NumberColumn("Menge je Jahr", min_value=0.0),
                           "proxy": st.column_config.NumberColumn("Proxy (€ je Einheit)", min_value=0.0),
                           **{f: st.column_config.NumberColumn(t, min_value=0.0, max_value=1.0, step=0.05)
                              for f, t in (("mitnahme", "Mitnahme"), ("zurechnung", "Zurechnung"),
                                           ("verdraengung", "Verdrängung"), ("abnahme", "Abnahme je Jahr"))},
                           "dauer": st.column_config.NumberColumn("Dauer (Jahre)", min_value=1, step=1)})
kette = kette.dropna(how="all")
fehler = sroi_pruefen(name, eingesetzt, zins, kette)
if fehler:
    st.warning("Noch nicht berechenbar:\n\n" + "\n".join(f"- {f}" for f in fehler))
    st.stop()

ergebnis = sroi(wirkungen_aus(kette), eingesetzt, zins)
m = st.columns(3)
m[0].metric("SROI-Quote", f"{fmt_zahl(ergebnis.quote, 2)} €", help="Barwert der Wirkungen je eingesetztem Euro")
m[1].metric("Barwert der Wirkungen", fmt_euro(ergebnis.barwert))
m[2].metric("Netto-Barwert", fmt_euro(ergebnis.netto_barwert))
je = ergebnis.je_wirkung
tabelle = pd.DataFrame({"Stakeholder": je["stakeholder"], "Outcome": je["outcome"],
                        "Wirkung im 1. Jahr": [fmt_euro(v) for v in je["wirkung_jahr1"]],
                        "Barwert": [fmt_euro(v) for v in je["barwert"]],
                        "Anteil": [fmt_zahl(v / ergebnis.barwert * 100 if ergebnis.barwert else 0, 1) + " %"
                                   for v in je["barwert"]]})
st.dataframe(tabelle, hide_index=True, key="sroi_ergebnis")
if not darf_aktuell("produkte_bearbeiten"):
    st.caption("Analysen speichern darf die Rolle Planung; hier lässt sich jede Annahme durchrechnen.")
elif st.button("Analyse speichern", icon=":material/save:", key="sroi_speichern"):
    neu_id = aid if aid != "neu" else "".join(ch if ch.isalnum() else "_" for ch in name.lower())[:40]
    while aid == "neu" and neu_id in namen:          # never overwrite another analysis
        neu_id += "_2"
    sroi_speichern(cache.store(), neu_id, name, produkt or None, beschreibung or None, eingesetzt, zins, kette,
                   angemeldet())
    st.session_state["sroi_meldung"] = f"„{name}“ gespeichert (im Audit-Log vermerkt)."
    st.rerun()

st.subheader("Sensitivität: welche Annahme bewegt die Quote am meisten?")
sens = sroi_sensitivitaet(wirkungen_aus(kette), eingesetzt, zins)
st.altair_chart(tornado(sens), key="sroi_tornado")
st.caption("Jede Annahme einzeln um ±20 % verändert (Anteile höchstens bis 1; eine Annahme von 0 gegen 0,2 "
           "geprüft); rote Linie = Quote mit den gesetzten Annahmen.")
sens_tabelle = pd.DataFrame({"Annahme": sens["annahme"], "Quote tief": [fmt_zahl(v, 2) for v in sens["quote_tief"]],
                             "Quote hoch": [fmt_zahl(v, 2) for v in sens["quote_hoch"]],
                             "Spanne": [fmt_zahl(v, 2) for v in sens["spanne"]]})
st.dataframe(sens_tabelle, hide_index=True, key="sroi_sens")
controlling.download(sens_tabelle, f"sroi_sensitivitaet_{aid}.csv", "sroi_sens_csv", titel=f"Sensitivität {name}")
export = pd.concat([kette.assign(analyse=name), tabelle.add_prefix("Ergebnis ")], axis=1)
controlling.download(export, f"sroi_{aid}.csv", "sroi_csv")

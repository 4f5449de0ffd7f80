"""Audit-Log: who uploaded, published, rolled back or edited what and when (Leitung, Administration)."""

from datetime import date, timedelta

import streamlit as st

from fis.audit import AKTIONEN, benutzer_im_protokoll, protokoll
from ui import cache, monitoring
from ui.zugang import aktuell

st.title("Audit-Log")
st.caption("Jede Lieferung, Veröffentlichung, Rücknahme und Änderung an Zielen, Produkten und Analysen wird im "
           "selben Schritt wie die Änderung protokolliert, dazu An- und Abmeldungen. Einträge lassen sich nicht "
           "bearbeiten oder löschen.")
store = cache.store()
c1, c2, c3, c4 = st.columns(4)
von = c1.date_input("von", date.today() - timedelta(days=365), format="DD.MM.YYYY", key="au_von")
bis = c2.date_input("bis", date.today(), format="DD.MM.YYYY", key="au_bis")
wer = c3.selectbox("Benutzer", [None, *benutzer_im_protokoll(store)], key="au_benutzer",
                   format_func=lambda b: "alle" if b is None else b)
was = c4.selectbox("Aktion", [None, *AKTIONEN], key="au_aktion",
                   format_func=lambda a: "alle" if a is None else AKTIONEN[a])
tabelle = protokoll(store, aktuell(), von, bis, wer, was)
st.write(f"{len(tabelle)} {'Eintrag' if len(tabelle) == 1 else 'Einträge'}")
st.dataframe(tabelle, hide_index=True, width="stretch", key="au_tabelle",
             column_config={"Zeitpunkt": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm:ss"),
                            "Einzelheiten": st.column_config.TextColumn(width="large")})
monitoring.download(tabelle.assign(Zeitpunkt=tabelle["Zeitpunkt"].dt.strftime("%d.%m.%Y %H:%M:%S")),
                    f"audit_{von:%Y%m%d}_{bis:%Y%m%d}.csv", "au_csv", titel="Audit-Log",
                    quellen=[f"Audit-Log FIS Sozialplanung {cache.config().stadt.name}, "
                             f"{von:%d.%m.%Y}–{bis:%d.%m.%Y}"])

"""Tab „Lieferungen und Historie“: the register, publishing, rollback and its undo, the history of a value."""

from __future__ import annotations

import streamlit as st

from fis.ingest.arten import lieferungen_tabelle
from fis.ingest.lieferungen import (
    abhaengige_text,
    unveroeffentlicht,
    veroeffentlichen,
    wert_historie,
    zuruecknahme_aufheben,
    zuruecknehmen,
)
from fis.wuerfel import nachfuehren
from ui import cache
from ui.datenpflege.gemeinsam import (
    indikator_text,
    nach_schreiben,
)
from ui.zugang import aktuell as angemeldet


def _wuerfel(store, config) -> None:
    """After publishing or a rollback: the values of all levels for everybody's next page (fis.wuerfel)."""
    with st.spinner("Werte aller Ebenen werden zusammengestellt …"):
        nachfuehren(store, config)


def reiter(config) -> None:
    store = cache.store()
    tabelle = lieferungen_tabelle(store)
    st.dataframe(tabelle, hide_index=True, width="stretch", key="dp_lieferungen",
                 column_config={"Geliefert am": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm")})
    aktiv = tabelle[tabelle["Status"] == "aktiv"]
    st.markdown("#### Lieferungen veröffentlichen")
    offen = unveroeffentlicht(store)
    if offen.empty:
        st.caption("Alle aktiven Lieferungen sind veröffentlicht.")
    else:
        st.caption("Eine Lieferung ist vorläufig, bis sie veröffentlicht wird: Ausschuss und Öffentlichkeit sehen "
                   "bis dahin die zuletzt veröffentlichten Werte.")
        wahl = st.multiselect("Vorläufige Lieferungen", offen["lieferung_id"].tolist(), key="dp_pub_nr",
                              placeholder="Lieferungen zum Veröffentlichen wählen",
                              format_func=lambda n: f"{n} – {offen.set_index('lieferung_id').at[n, 'bezeichnung']}")
        if st.button("Veröffentlichen", disabled=not wahl, key="dp_pub_ok", icon=":material/publish:"):
            for n in wahl:
                veroeffentlichen(store, int(n), angemeldet())
            _wuerfel(store, config)
            nach_schreiben(f"Veröffentlicht: Lieferung {', '.join(str(n) for n in wahl)}.")
    st.markdown("#### Lieferung zurücknehmen")
    if aktiv.empty:
        st.caption("Keine aktive Lieferung.")
    else:
        nr = st.selectbox("Lieferung", aktiv["Nr."].tolist(), key="dp_rb_nr",
                          format_func=lambda n: f"{n} – {aktiv.set_index('Nr.').at[n, 'Bezeichnung']}")
        wirkung = cache.rueckname_wirkung(cache.data_version(), int(nr))
        ab = cache.rueckname_abhaengige(cache.data_version(), int(nr))
        folgen = [text for n, text in (
            (wirkung["frueherer_stand"], f"{wirkung['frueherer_stand']} Werte gelten wieder in der früheren Fassung"),
            (wirkung["entfallen"], f"{wirkung['entfallen']} Werte entfallen"),
            (ab["indikatoren_entfallen"], f"{ab['indikatoren_entfallen']} Indikatoren entfallen aus dem Katalog"),
            (ab["raeume_entfallen"], f"{ab['raeume_entfallen']} Gebiete entfallen aus der Raumgliederung"))
            if n > 0]
        st.caption(("Danach: " + ", ".join(folgen) if folgen else "Danach gilt die vorige Fassung")
                   + ". Die Daten der Lieferung bleiben gespeichert; die Rücknahme lässt sich aufheben.")
        abhaengige = sorted(set(ab["waisen"]) | set(ab["ohne_katalog"]))
        mit = False
        if abhaengige:
            st.warning(abhaengige_text(int(nr), ab), icon=":material/link:")
            mit = st.checkbox(f"Abhängige Lieferungen mit zurücknehmen ({', '.join(map(str, abhaengige))})",
                              key="dp_rb_mit")
        grund = st.text_input("Grund (für das Protokoll)", key="dp_rb_grund")
        sicher = st.checkbox("Ich möchte diese Lieferung zurücknehmen.", key="dp_rb_sicher")
        if st.button("Zurücknehmen", disabled=not sicher or (bool(abhaengige) and not mit), key="dp_rb_ok",
                     icon=":material/undo:"):
            info = zuruecknehmen(store, int(nr), angemeldet(), grund or None, mit_abhaengigen=mit)
            _wuerfel(store, config)
            nach_schreiben(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ zurückgenommen"
                            + (f", mit ihr Lieferung {', '.join(map(str, info['abhaengige']))}."
                               if info["abhaengige"] else "."))
    zurueck = tabelle[tabelle["Status"] != "aktiv"]
    if len(zurueck):
        st.markdown("#### Zurücknahme aufheben")
        nr_z = st.selectbox("Zurückgenommene Lieferung", zurueck["Nr."].tolist(), key="dp_rb_auf_nr",
                            format_func=lambda n: f"{n} – {zurueck.set_index('Nr.').at[n, 'Bezeichnung']}")
        if st.button("Wieder gelten lassen", key="dp_rb_auf_ok", icon=":material/redo:"):
            info = zuruecknahme_aufheben(store, int(nr_z), angemeldet())
            _wuerfel(store, config)
            nach_schreiben(f"Lieferung {info['lieferung_id']} „{info['bezeichnung']}“ gilt wieder.")
    st.markdown("#### Werthistorie")
    c1, c2, c3 = st.columns(3)
    raeume = store.lade_raeume()
    raum_namen = raeume.drop_duplicates("raum_id").set_index("raum_id")["name"].to_dict()
    raum = c1.selectbox("Raum", list(raum_namen), key="dp_h_raum",
                        format_func=lambda r: f"{r} {raum_namen.get(r, '')}")
    katalog = indikator_text(store.lade_indikatoren())
    ind = c2.selectbox("Indikator", list(katalog), format_func=katalog.get, key="dp_h_ind")
    tage = store.lade_stichtage(ind)
    if not tage:
        st.caption("Zu diesem Indikator gibt es noch keine Werte.")
        return
    tag = c3.selectbox("Stichtag", tage[::-1], format_func=lambda d: f"{d:%d.%m.%Y}", key="dp_h_tag")
    historie = wert_historie(store, raum, ind, tag)
    if historie.empty:
        st.caption("Für diesen Raum wurde zu diesem Stichtag kein Wert geliefert.")
    else:
        st.dataframe(historie, hide_index=True, width="stretch", key="dp_historie")

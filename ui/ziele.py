"""Creating, editing and importing goals (Planung): a form and an upload, both through
fis.ziele (checked before anything is written, audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fis import budgetvarianten, ziele
from fis.controlling import ZIELFELDER
from fis.ingest.lesen import ImportFehler
from ui import cache
from ui.zugang import aktuell as angemeldet

EBENEN = ("Leitziel", "Produktgruppenziel", "Produktziel", "Teilziel")
ARTEN = {"indikator": "Indikator in einem Raum", "produktkennzahl": "Produktkennzahl",
         "haushalt": "Zeile im Teilergebnisplan", "": "keine (nur Oberziel)"}


def _wert(z: dict, key: str, default=None):
    v = z.get(key, default)
    # None, NaN, NA and NaT (a goal without Zieldatum, e.g. a Leitziel) all mean "not set"
    return default if v is None or (not isinstance(v, list | tuple | dict) and pd.isna(v)) else v


def _uebernehmen(specs: list[dict], quelle: str, dateiname: str | None) -> None:
    store = cache.store()
    try:
        frame = ziele.pruefen(specs, ziele.bezugsdaten(store, cache.config()))
    except ziele.ZielFehler as exc:
        st.error("Nicht gespeichert – bitte korrigieren:\n\n" + "\n".join(f"- {f}" for f in exc.fehler))
        return
    n = ziele.uebernehmen(store, frame, angemeldet(), quelle, dateiname)
    st.session_state["ziele_meldung"] = (f"Gespeichert: {n['neu']} neu, {n['geaendert']} geändert, "
                                         f"{n['unveraendert']} unverändert (im Audit-Log vermerkt).")
    st.rerun()


def formular(c, ziel_id: str | None) -> None:
    """The edit form, prefilled with ``ziel_id`` (or empty for a new goal)."""
    z = c.ziele.set_index("ziel_id").loc[ziel_id].to_dict() | {"ziel_id": ziel_id} if ziel_id else {}
    m = cache.monitoring(cache.data_version(), [])      # catalog and city id; values are not needed here
    kz = cache.produkte(cache.data_version()).kennzahlen.drop_duplicates("kennzahl_id")
    with st.form(f"ziel_form_{ziel_id or 'neu'}"):
        a = st.columns([1, 3])
        zid = a[0].text_input("Kennung", value=_wert(z, "ziel_id", ""), disabled=bool(ziel_id))
        titel = a[1].text_input("Titel", value=_wert(z, "titel", ""))
        b = st.columns(3)
        feld = b[0].selectbox("Zielfeld", ZIELFELDER, index=ZIELFELDER.index(_wert(z, "zielfeld", ZIELFELDER[0])))
        ebene_alt = _wert(z, "zielebene", "Teilziel")
        ebenen = list(dict.fromkeys([*EBENEN, ebene_alt]))
        ebene = b[1].selectbox("Zielebene", ebenen, index=ebenen.index(ebene_alt))
        eltern = ["", *[i for i in c.ziele["ziel_id"] if i != ziel_id]]
        parent = b[2].selectbox("übergeordnetes Ziel", eltern, index=eltern.index(_wert(z, "parent_id", "") or ""))
        art_alt = _wert(z, "kennzahl_art", "") or ""
        art = st.radio("Kennzahl", list(ARTEN), index=list(ARTEN).index(art_alt), format_func=ARTEN.get,
                       horizontal=True)
        k = st.columns(3)
        inds = list(m.indikatoren.index)
        ind = k[0].selectbox("Indikator", inds, index=inds.index(_wert(z, "indikator_id", inds[0]) or inds[0]),
                             format_func=lambda i: m.indikatoren.at[i, "kurzname"])
        raum = k[1].text_input("Raum (Kennung)", value=_wert(z, "raum_id", m.stadt_id(m.stichtage[-1])) or "")
        kids = list(kz["kennzahl_id"]) or [""]
        kid = k[2].selectbox("Produktkennzahl", kids, index=kids.index(_wert(z, "kennzahl_id", kids[0]) or kids[0]))
        h = st.columns(2)
        h_produkt = h[0].text_input("Produkt der Haushaltszeile", value=_wert(z, "produkt_nr", "") or "")
        h_pos = h[1].number_input("Zeile im Teilergebnisplan", 1, 40, int(_wert(z, "position_nr", 15)))
        w = st.columns(4)
        basisjahr = w[0].number_input("Basisjahr", 2000, 2100, int(_wert(z, "basisjahr", 2024)))
        basiswert = w[1].number_input("Basiswert (leer: Ist des Basisjahrs)", value=_wert(z, "basiswert"),
                                      format="%.4f")
        zielwert = w[2].number_input("Zielwert", value=_wert(z, "zielwert"), format="%.4f")
        zieldatum = w[3].date_input("Zieldatum", value=_wert(z, "zieldatum"), format="DD.MM.YYYY")
        r = st.columns(4)
        richtungen = list(ziele.RICHTUNGEN)
        richtung = r[0].selectbox("Richtung", richtungen, index=richtungen.index(_wert(z, "richtung", "senken")))
        toleranz = r[1].number_input("Toleranz", value=_wert(z, "toleranz"), format="%.4f")
        band_unten = r[2].number_input("Bereich von (halten)", value=_wert(z, "band_unten"), format="%.4f")
        band_oben = r[3].number_input("Bereich bis (halten)", value=_wert(z, "band_oben"), format="%.4f")
        g = st.columns([2, 2, 4])
        unten_strikt = g[0].checkbox("untere Grenze ausgeschlossen („über“)", key=f"zf_us_{ziel_id}",
                                     value=bool(_wert(z, "band_unten_strikt", False)))
        oben_strikt = g[1].checkbox("obere Grenze ausgeschlossen („unter“)", key=f"zf_os_{ziel_id}",
                                    value=bool(_wert(z, "band_oben_strikt", False)),
                                    help="„unter 3 %“: 3 % selbst verfehlt das Ziel; sonst „höchstens 3 %“.")
        v = st.columns(2)
        verantwortlich = v[0].text_input("Verantwortlich", value=_wert(z, "verantwortlich", "") or "")
        produkt = v[1].text_input("Produkt (NKF-Nummer)", value=_wert(z, "produkt_nr", "") or "")
        massnahmen = st.text_area("Maßnahmen", value=_wert(z, "massnahmen", "") or "")
        gespeichert = st.form_submit_button("Ziel speichern", type="primary", icon=":material/save:")
    if gespeichert:
        spec = {"id": zid.strip(), "titel": titel, "zielfeld": feld, "zielebene": ebene, "parent": parent or None,
                "basisjahr": basisjahr, "basiswert": basiswert, "zielwert": zielwert, "zieldatum": zieldatum,
                "richtung": richtung, "toleranz": toleranz,
                ("ueber" if unten_strikt else "mindestens"): band_unten,
                ("unter" if oben_strikt else "hoechstens"): band_oben,
                "verantwortlich": verantwortlich or None, "produkt": produkt or None,
                "massnahmen": massnahmen or None, "beschreibung": _wert(z, "beschreibung"),
                "beschlossen": {"von": _wert(z, "beschlossen_von"), "am": _wert(z, "beschlossen_am")},
                # the form does not show annual Soll values: keep the stored ones
                "soll": c.soll[c.soll["ziel_id"] == ziel_id].set_index("jahr")["soll"].to_dict() if ziel_id else {}}
        if art == "indikator":
            spec["kennzahl"] = {"indikator": ind, "raum": raum}
        elif art == "produktkennzahl":
            spec["kennzahl"] = {"produktkennzahl": kid}
        elif art == "haushalt":
            spec["kennzahl"] = {"haushalt": {"produkt": h_produkt, "position": h_pos}}
        _uebernehmen([spec], f"Ziel {spec['id']} bearbeitet", None)


def hochladen() -> None:
    datei = st.file_uploader("Ziele als YAML oder Excel (.xlsx)", type=["yaml", "yml", "xlsx"],
                             key="ziele_upload", help="Format siehe README, Abschnitt „Ziele liefern“.")
    if datei is not None and st.button("Prüfen und übernehmen", key="ziele_upload_ok", icon=":material/upload:"):
        try:
            specs = ziele.einlesen(datei.getvalue(), datei.name)
        except ziele.ZielFehler as exc:
            st.error("Nicht gespeichert:\n\n" + "\n".join(f"- {f}" for f in exc.fehler))
            return
        _uebernehmen(specs, datei.name, datei.name)


def budgetvarianten_abschnitt(version: str, jahr: int) -> None:
    """What each goal's forecast becomes under a constant, increased or reduced budget (Eckwertebeschluss)."""
    with st.expander("Budgetvarianten für den Eckwertebeschluss", icon=":material/account_balance:"):
        cfg = cache.config().controlling.budgetvarianten
        varianten = cache.budgetvarianten(version, jahr)
        if varianten.empty:
            st.caption("Kein Ziel mit Haushaltszeile hat eine Trendprognose zu einem künftigen Zieldatum.")
            return
        st.dataframe(varianten, hide_index=True, key="ziele_budgetvarianten",
                     column_config={"Ziel": st.column_config.TextColumn(width="medium")})
        st.caption(budgetvarianten.annahme_text(cfg))


def loeschen(ziel_id: str) -> None:
    """Delete a goal after confirmation; refused in German while sub-goals or measures depend on it."""
    st.caption("Das Löschen ist eine Lieferung des Zielsystems: im Audit-Log mit dem Inhalt vermerkt; der Ausschuss "
               "sieht das Ziel, bis die Lieferung veröffentlicht ist.")
    if not st.checkbox(f"Ja, Ziel {ziel_id} löschen", key=f"ziel_loeschen_ok_{ziel_id}"):
        return
    if st.button("Löschen", type="primary", key=f"ziel_loeschen_{ziel_id}"):
        try:
            lid = ziele.entfernen(cache.store(), ziel_id, angemeldet())
        except ImportFehler as exc:
            st.error(str(exc))
            return
        cache.verwerfen()
        st.session_state.pop("ziel_id", None)
        st.session_state["ziele_meldung"] = f"Ziel {ziel_id} gelöscht (Lieferung {lid}, im Audit-Log vermerkt)."
        st.rerun()

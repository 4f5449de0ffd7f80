"""FIS Sozialplanung — entry point: page config, first start, shared sidebar, navigation."""

import os
from pathlib import Path

import streamlit as st

from fis import palette
from fis.config import ConfigError
from fis.pfade import db_path
from fis.protokoll import fehler_protokollieren, fehlertext, seitenlauf_protokollieren
from fis.store import StoreError
from ui import cache, sidebar, verbindung, zugang

# An emoji favicon is inlined as a data URL; a ":material/…:" icon would load from Google.
st.set_page_config(page_title="FIS Sozialplanung", page_icon="📊",
                   layout="wide", initial_sidebar_state="expanded")
try:
    gestaltung = palette.gestaltung(cache.config())
except ConfigError:
    gestaltung = palette.Gestaltung()
# one element for all style sheets: every further element would add a gap above each page
STILE = [(Path(__file__).parent / "ui" / datei).read_text(encoding="utf-8")
         for datei in ("barrierefrei.css", "gestaltung.css")]
st.html("<style>" + "\n".join([palette.css_variablen(), palette.css_gestaltung(gestaltung), *STILE]) + "</style>")
if gestaltung.logo and Path(gestaltung.logo).is_file():
    st.logo(gestaltung.logo, size="large")



def hinweisseite(zeichnen) -> None:
    """Show only ``zeichnen`` (an error or the first start) as the app's single page.

    Registering it through st.navigation keeps Streamlit from falling back to
    offering its own page list, which would let users open a page without this frame.
    """
    st.navigation([st.Page(zeichnen, title="FIS Sozialplanung", url_path="hinweis")],
                  position="hidden").run()
    st.stop()


try:
    config = cache.config()
except ConfigError as exc:
    hinweisseite(lambda text=f"Die Konfiguration ist fehlerhaft: {exc}": st.error(text))


def erster_start() -> None:
    st.title("FIS Sozialplanung – erster Start")
    st.write(f"Es gibt noch keine Datenbank unter `{db_path()}`. "
             "Die Demo-Stadt „Musterstadt“ wird jetzt erzeugt.")
    bar = st.progress(0.0, text="Demo wird vorbereitet …")
    cache.create_demo_database(db_path(), lambda f, text: bar.progress(f, text=text))
    st.rerun()


def seitenliste(datenpflege_zuerst: bool = False) -> dict[str, list]:
    """Every page of the app by section; which of them a role gets is decided below."""
    datenpflege = st.Page("seiten/datenpflege.py", title="Datenpflege", icon=":material/upload_file:",
                          default=datenpflege_zuerst)
    return {
        "Lagebild": [st.Page("seiten/lagebild.py", title="Lagebild", icon=":material/dashboard:",
                             default=not datenpflege_zuerst)],
        "Monitoring": [
            st.Page("seiten/karte.py", title="Karte", icon=":material/map:"),
            st.Page("seiten/zeitreihen.py", title="Zeitreihen", icon=":material/show_chart:"),
            st.Page("seiten/sozialraumprofil.py", title="Sozialraumprofil", icon=":material/person_pin:"),
            st.Page("seiten/zusammenhaenge.py", title="Zusammenhänge", icon=":material/scatter_plot:"),
            st.Page("seiten/sozialindex.py", title="Sozialindex", icon=":material/stacked_bar_chart:"),
            st.Page("seiten/typisierung.py", title="Typisierung", icon=":material/category:"),
            st.Page("seiten/einrichtungen.py", title="Einrichtungen", icon=":material/location_city:"),
        ],
        "Steuerung": [
            st.Page("seiten/ziele.py", title="Ziele", icon=":material/flag:"),
            st.Page("seiten/massnahmen.py", title="Maßnahmen", icon=":material/construction:"),
            st.Page("seiten/planungszyklus.py", title="Planungszyklus", icon=":material/autorenew:"),
            st.Page("seiten/controlling.py", title="Controlling", icon=":material/report:"),
            st.Page("seiten/mittelverteilung.py", title="Mittelverteilung", icon=":material/account_balance_wallet:"),
        ],
        "Produkthaushalt": [
            st.Page("seiten/produktdatenblatt.py", title="Produktdatenblatt", icon=":material/description:"),
            st.Page("seiten/produktkritik.py", title="Produktkritik", icon=":material/leaderboard:"),
            st.Page("seiten/sroi.py", title="SROI", icon=":material/savings:"),
        ],
        "Berichte": [st.Page("seiten/berichte.py", title="Berichte", icon=":material/picture_as_pdf:"),
                     st.Page("seiten/praesentation.py", title="Präsentation", icon=":material/co_present:")],
        "Verwaltung": [datenpflege,
                       st.Page("seiten/audit.py", title="Audit-Log", icon=":material/policy:")],
    }


def rahmen() -> None:
    """Sign-in, the shared sidebar, the page; every database connection of the run is closed after it."""
    if not db_path().exists():
        hinweisseite(erster_start)

    benutzer = zugang.aktuell()
    if benutzer is None:
        # Every page is registered (hidden) and none runs: the address of a shared link stays valid
        # through the sign-in, and the linked view opens right after it (if the role may see it).
        st.navigation(seitenliste(), position="hidden")
        zugang.anmeldeseite()
        st.stop()

    try:
        staende = cache.stichtagsstaende(cache.data_version())
    except StoreError as exc:
        hinweisseite(lambda text=str(exc): st.error(text))
    stichtage = [s.stichtag for s in staende]
    with st.sidebar:
        st.markdown(f"### {config.stadt.name}\nFührungsinformationssystem Sozialplanung")
    zugang.seitenleiste(benutzer)
    if zugang.darf_aktuell("veroeffentlichen"):
        offen = cache.offene_lieferungen(cache.data_version())
        if len(offen):
            st.sidebar.warning(f"{len(offen)} {'Lieferung ist' if len(offen) == 1 else 'Lieferungen sind'} vorläufig: "
                               "Ausschuss und Öffentlichkeit sehen sie erst nach der Veröffentlichung "
                               "(Datenpflege → Lieferungen und Historie).", icon=":material/visibility_off:")
    seiten = seitenliste(datenpflege_zuerst=not stichtage)
    datenpflege = seiten["Verwaltung"][0]
    praesentation = seiten["Berichte"][1]
    massnahmen, zyklus = seiten["Steuerung"][1:3]
    if not stichtage:
        # An empty database: only the page that fills it.
        st.sidebar.info("Die Datenbank enthält noch keine Indikatorwerte. Bitte zuerst Raumgliederung, "
                        "Katalog und Werte liefern.")
        if not zugang.darf_aktuell("hochladen"):
            hinweisseite(lambda: st.info("Es sind noch keine Daten veröffentlicht."))
        st.navigation({"Verwaltung": [datenpflege]}).run()
        st.stop()
    # Pages a role may not use are not registered at all, so no URL reaches them.
    if not zugang.darf_aktuell("controlling_lesen"):
        for bereich in ("Steuerung", "Produkthaushalt", "Berichte"):
            seiten.pop(bereich)
        # the published measures, cycle and participation are for the committee, too (without goals and Ampel)
        seiten["Steuerung"] = [massnahmen, zyklus]
        seiten["Präsentation"] = [praesentation]
    seiten["Verwaltung"] = [p for p, aktion in zip(seiten["Verwaltung"], ("hochladen", "audit_lesen"), strict=True)
                            if zugang.darf_aktuell(aktion)]
    if not seiten["Verwaltung"]:
        seiten.pop("Verwaltung")
    seite = st.navigation(seiten, expanded=True)
    if seite.url_path != praesentation.url_path:
        # the presentation shows no controls: no sidebar (it is hidden there, too)
        gewaehlt = sidebar.draw(config, staende, cache.standard_stichtag(cache.data_version()))
        sidebar.hinweis(config, staende, gewaehlt.stichtag)
    with seitenlauf_protokollieren(seite.title, benutzer.rolle, cache.data_version):
        try:
            seite.run()
        except StoreError as exc:      # e.g. the database stayed busy longer than the bounded wait
            st.warning(str(exc), icon=":material/hourglass_top:")
        except Exception as exc:  # no traceback for users: a German sentence and a reference; details in the log
            ref = fehler_protokollieren(exc, f"Seite {seite.title}")
            if os.environ.get("FIS_FEHLER_DURCHREICHEN"):
                raise                      # tests see every error as an exception
            st.error(fehlertext(ref), icon=":material/error:")


with verbindung.lauf():
    rahmen()

"""Seitenrundgang: every page at every kind of Stichtag and every Raumebene, on the demo after a partial,
unpublished delivery (5 of 51 Sozialräume at 31.12.2025) — no exception, and no ``nan``, ``None``
or ``NaT`` anywhere in the rendered text (headings, captions, notes, metrics, tables, choices).

The area-dependent pages also run for the first Sozialraum, a middle one and one *without* values at
the partial Stichtag."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.teillieferung import RAEUME, STICHTAG, liefere_teil

pytestmark = pytest.mark.langsam   # every page at every Stichtag and level (5 min on one core)

ROOT = Path(__file__).resolve().parents[2]
SEITEN = ["lagebild", "karte", "zeitreihen", "sozialraumprofil", "zusammenhaenge", "sozialindex", "typisierung",
          "einrichtungen", "ziele", "massnahmen", "planungszyklus", "controlling", "mittelverteilung",
          "produktdatenblatt", "produktkritik", "sroi", "berichte", "praesentation", "datenpflege", "audit"]
MIT_GEBIET = {"karte", "zeitreihen", "sozialraumprofil", "berichte"}
# pages that read neither the Stichtag nor the level of the sidebar (their main area is the same at every
# Stichtag — asserted below, so a page that starts to read them leaves this set), and pages that read only the
# Stichtag (or its year), not the level: their tour skips the combinations that cannot change them
OHNE_STICHTAG = {"datenpflege", "audit", "produktkritik", "sroi"}
NUR_JAHR = {"ziele", "massnahmen", "planungszyklus", "controlling", "produktdatenblatt", "mittelverteilung"}
VERBOTEN = re.compile(r"(?<![\w-])(nan|NaN|None|NaT|null|undefined|empty|Page not found)(?![\w-])")
ROHE_SPALTE = re.compile(r"^[a-z_]+$")          # a column name like „indikator_id“ is a raw id, not German


@pytest.fixture(scope="module")
def teil_db(demo_db_file, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("rundgang") / "teil.duckdb"
    shutil.copy(demo_db_file, db)
    liefere_teil(db)
    return db


def texte(at: AppTest) -> list[str]:
    """Everything a user reads on the page: text elements, metrics, choices and table cells."""
    out: list[str] = []
    for wurzel in (at.main, at.sidebar):
        for el in wurzel:
            art = type(el).__name__
            if art in ("Markdown", "Caption", "Title", "Header", "Subheader", "Text", "Info", "Warning",
                       "Error", "Success", "Exception"):
                out.append(str(el.value))
            elif art == "Metric":
                out += [str(el.label), str(el.value), str(el.delta or "")]
            elif art in ("Selectbox", "Multiselect", "Radio", "SelectSlider"):
                out += [str(el.label), *[str(o) for o in el.options]]
            elif art in ("Dataframe", "Table"):
                frame = el.value
                if not isinstance(frame, pd.DataFrame):
                    continue
                konfig = json.loads(getattr(el.proto, "columns", "") or "{}")
                koepfe = [(konfig.get(str(c)) or {}).get("label") or str(c) for c in frame.columns
                          if not (konfig.get(str(c)) or {}).get("hidden")]
                out += koepfe
                roh = [k for k in koepfe if ROHE_SPALTE.match(k)]
                if roh:
                    out.append(f"None (rohe Spaltennamen: {', '.join(roh)})")
                for spalte in frame.columns:
                    werte = frame[spalte]
                    if any(isinstance(v, list) for v in werte):
                        continue                       # sparkline columns hold lists of numbers
                    leer = werte.isna()
                    if leer.any():
                        out.append(f"None (leere Zelle in Spalte „{spalte}“)")
                    out += [str(v) for v in werte[~leer]]
    return out


def pruefe(at: AppTest, wo: str) -> None:
    assert not at.exception, f"{wo}: {at.exception[0].value if at.exception else ''}"
    for text in texte(at):
        treffer = VERBOTEN.search(text)
        assert treffer is None, f"{wo}: „{treffer.group(0)}“ in „{text[:300]}“"


def _hauptbereich(at: AppTest) -> list[str]:
    """The page's own texts: from its title on (the frame's note on the chosen Stichtag stands above it)."""
    texte = [(type(el).__name__, str(el.value)) for el in at.main
             if type(el).__name__ in ("Markdown", "Caption", "Title", "Header", "Subheader", "Info", "Warning")]
    titel = next(i for i, (art, _) in enumerate(texte) if art == "Title")
    return [t for _, t in texte[titel:]]


def _gebiete(at: AppTest) -> list[str]:
    """The first, a middle and an area without values at the partial Stichtag."""
    ohne = "0301" if "0301" not in RAEUME else "0104"
    return ["0101", "0402", ohne]


@pytest.mark.parametrize("seite", SEITEN)
def test_every_page_at_every_stichtag_and_level_renders_without_error_or_nan(monkeypatch, teil_db, seite):
    monkeypatch.setenv("FIS_DB", str(teil_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page(f"seiten/{seite}.py").run()
    pruefe(at, f"{seite} (Start)")
    if seite == "praesentation":
        return                                          # no sidebar: it shows published values only
    stichtage = at.sidebar.selectbox(key="_stichtag").options
    assert len(stichtage) == 14 and stichtage[-1] == "31.12.2025 – unvollständig, vorläufig"
    tage = [date(int(t[6:10]), int(t[3:5]), int(t[0:2])) for t in stichtage]
    if seite in OHNE_STICHTAG:
        start = _hauptbereich(at)
        for tag, ebene in ((tage[0], 3), (tage[-1], 2)):
            at.sidebar.selectbox(key="_stichtag").set_value(tag)
            at.sidebar.selectbox(key="_ebene").set_value(ebene)
            at.run()
            pruefe(at, f"{seite} am {tag:%d.%m.%Y}, Ebene {ebene}")
            assert _hauptbereich(at) == start, f"{seite} hängt vom Stichtag ab: aus OHNE_STICHTAG nehmen"
        return
    # pages that read the year (goals, budgets, measures) at every Stichtag; the others at one Stichtag of each
    # kind: the first, the last of the old scheme and the first of the new one (2019), one in between, and the
    # last three (the one before the provisional corrections, the complete one with them, the partial unpublished
    # one) — the Stichtage left out are complete, published and of the same scheme as a neighbour. The higher
    # levels at the first Stichtag, the first of the new scheme and the last two: where levels differ.
    ebenen_tage = set() if seite in NUR_JAHR else {tage[0], *[t for t in tage if t.year == 2019], *tage[-2:]}
    besucht = tage if seite in NUR_JAHR else sorted(
        {tage[0], *[t for t in tage if t.year in (2018, 2019)], tage[len(tage) // 2], *tage[-3:]})
    for tag in besucht:
        for ebene in ((1, 2, 3) if tag in ebenen_tage else (1,)):
            at.sidebar.selectbox(key="_stichtag").set_value(tag)
            at.sidebar.selectbox(key="_ebene").set_value(ebene)
            at.run()
            pruefe(at, f"{seite} am {tag:%d.%m.%Y}, Ebene {ebene}")
    if seite in MIT_GEBIET:
        for tag in (tage[0], STICHTAG):
            for raum in _gebiete(at):
                at.sidebar.selectbox(key="_stichtag").set_value(tag)
                at.sidebar.selectbox(key="_ebene").set_value(1)
                at.run()
                at.session_state["profil_raum"] = raum
                for key in ("profil_wahl", "karte_raum", "ber_raum"):
                    if key in at.session_state:
                        at.session_state[key] = raum
                at.run()
                pruefe(at, f"{seite} am {tag:%d.%m.%Y}, Gebiet {raum}")


@pytest.fixture(scope="module")
def zuschnitt_zurueck_db(demo_db_file, tmp_path_factory) -> Path:
    """The demo after rolling back the 2019 split of Feldmark, its values for Nord and Süd left current: a
    rollback refuses this now (fis.ingest.lieferungen.zuruecknehmen), but a database from before may be in
    this state, and the pages must still render it."""
    from fis.store import Store
    db = tmp_path_factory.mktemp("zuschnitt") / "zurueck.duckdb"
    shutil.copy(demo_db_file, db)
    with Store.open(db) as store, store.transaction():
        store.set_lieferung_status(2, "zurückgenommen", "planung-test")
    return db


@pytest.mark.parametrize("seite", [s for s in SEITEN if s != "praesentation"])
def test_every_page_after_a_rolled_back_scheme(monkeypatch, zuschnitt_zurueck_db, seite):
    monkeypatch.setenv("FIS_DB", str(zuschnitt_zurueck_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page(f"seiten/{seite}.py").run()
    pruefe(at, f"{seite} (Start)")
    if seite in OHNE_STICHTAG:
        return
    for tag in (date(2018, 12, 31), date(2019, 12, 31), date(2024, 12, 31)):
        for ebene in ((1,) if seite in NUR_JAHR else (1, 2, 3)):
            at.sidebar.selectbox(key="_stichtag").set_value(tag)
            at.sidebar.selectbox(key="_ebene").set_value(ebene)
            at.run()
            pruefe(at, f"{seite} am {tag:%d.%m.%Y}, Ebene {ebene} (Zuschnitt zurückgenommen)")


def test_an_empty_database_offers_only_the_datenpflege(monkeypatch, tmp_path):
    from fis.store import Store
    db = tmp_path / "leer.duckdb"
    Store.open(db).close()
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    pruefe(at, "leere Datenbank")
    assert any("noch keine Indikatorwerte" in i.value for i in at.sidebar.info)
    assert at.title[0].value == "Datenpflege"


def test_a_deep_link_to_a_stichtag_without_data_falls_back_to_the_default(monkeypatch, teil_db):
    monkeypatch.setenv("FIS_DB", str(teil_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["stichtag"] = "2001-12-31"
    at.run()
    pruefe(at, "Link auf einen Stichtag ohne Daten")
    assert at.sidebar.selectbox(key="_stichtag").value == date(2024, 12, 31)


def test_an_unexpected_error_shows_a_german_message_with_a_reference_not_a_traceback(monkeypatch, demo_copy,
                                                                                  tmp_path):
    import streamlit as st

    from ui import cache

    def kaputt(*args, **kwargs):
        raise KeyError("handlungsfeld")

    st.cache_data.clear()          # another test's Lagebild of the same demo version must not answer

    monkeypatch.delenv("FIS_FEHLER_DURCHREICHEN", raising=False)
    monkeypatch.setenv("FIS_LOG", str(tmp_path / "fis.log"))
    monkeypatch.setattr(cache, "berechne_lagebild", kaputt)
    monkeypatch.setenv("FIS_DB", str(demo_copy))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    meldung = at.error[0].value
    assert "unerwarteten Fehlers" in meldung and "KeyError" not in meldung and "Traceback" not in meldung
    ref = meldung.split("Referenz ")[1][:8]
    protokoll = (tmp_path / "fis.log").read_text(encoding="utf-8")
    assert ref in protokoll and "KeyError: 'handlungsfeld'" in protokoll
    assert at.sidebar.selectbox(key="_stichtag").value == date(2024, 12, 31)   # the frame still works

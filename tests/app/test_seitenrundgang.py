"""Seitenrundgang: every page, every Stichtag, every Raumebene, on the demo after a partial,
unpublished delivery (5 of 51 Sozialräume at 31.12.2025) — no exception, and no ``nan``, ``None``
or ``NaT`` anywhere in the rendered text (headings, captions, notes, metrics, tables, choices).

The area-dependent pages also run for the first Sozialraum, a middle one and one *without* values at
the partial Stichtag."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.teillieferung import RAEUME, STICHTAG, liefere_teil

ROOT = Path(__file__).resolve().parents[2]
SEITEN = ["lagebild", "karte", "zeitreihen", "sozialraumprofil", "zusammenhaenge", "sozialindex", "typisierung",
          "ziele", "controlling", "produktdatenblatt", "produktkritik", "sroi", "berichte", "praesentation",
          "datenpflege", "audit"]
MIT_GEBIET = {"karte", "zeitreihen", "sozialraumprofil", "berichte"}
VERBOTEN = re.compile(r"(?<![\w-])(nan|NaN|None|NaT|null|undefined)(?![\w-])")


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
                out += [str(c) for c in frame.columns]
                for spalte in frame.columns:
                    werte = frame[spalte]
                    if werte.map(lambda v: isinstance(v, list)).any():
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
    for tag in tage:
        for ebene in (1, 2, 3):
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

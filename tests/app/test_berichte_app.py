"""AppTest of the Berichte page: one click gives the PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.app.helfer import seite

pytestmark = pytest.mark.langsam   # sets PDFs with Typst


def test_abweichungsbericht_and_steckbrief_in_one_click_each(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "berichte")
    at.button(key="ber_los").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("„Abweichungsbericht zum 30.09.2026“ ist fertig")
    name, daten, _ = at.session_state["ber_pdf"]
    assert name == "abweichungsbericht_20260930.pdf" and daten[:5] == b"%PDF-"
    at.radio(key="ber_art").set_value("steckbrief").run()
    at.selectbox(key="ber_raum").set_value("0103").run()
    at.button(key="ber_los").click().run()
    name, daten, titel = at.session_state["ber_pdf"]
    assert titel == "Sozialraum-Steckbrief Schlossviertel" and name == "steckbrief_0103_20241231.pdf"
    assert "Schlossviertel (0103)" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(daten)).pages)


def _text(daten: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(daten)).pages)


def test_monitoring_index_and_produkt_reports(monkeypatch, demo_copy):
    at = seite(monkeypatch, demo_copy, "berichte")
    at.radio(key="ber_art").set_value("monitoring").run()
    assert "kinderarmut" in at.multiselect(key="ber_indikatoren").value
    at.multiselect(key="ber_indikatoren").set_value(["kinderarmut"]).run()
    at.button(key="ber_los").click().run()
    assert not at.exception
    name, daten, titel = at.session_state["ber_pdf"]
    assert (name, titel) == ("monitoring_20241231.pdf", "Sozialmonitoring 31.12.2024")
    assert "Kinder und Jugend: Kinderarmut" in _text(daten)

    at.radio(key="ber_art").set_value("sozialindex").run()
    at.selectbox(key="ber_index").set_value("bildungsindex").run()
    at.button(key="ber_los").click().run()
    name, daten, titel = at.session_state["ber_pdf"]
    assert name == "bildungsindex_20241231.pdf" and titel.startswith("Bildungsindex")

    at.radio(key="ber_art").set_value("produktdatenblatt").run()
    at.selectbox(key="ber_produkt").set_value("11.05.01").run()
    at.button(key="ber_los").click().run()
    assert not at.exception
    name, daten, titel = at.session_state["ber_pdf"]
    assert name.startswith("produktdatenblatt_11.05.01_") and "11.05.01.02" in _text(daten)

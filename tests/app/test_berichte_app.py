"""AppTest of the Berichte page: one click gives the PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.app.helfer import seite


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

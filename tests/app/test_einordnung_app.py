"""Einordnung der Sozialplanung in the app: Planung writes it on the Lagebild; it appears there, on
the Sozialraumprofil and on the committee slide; the Ausschuss sees published ones only."""

from __future__ import annotations

from datetime import date

import pytest

from fis.einordnung import speichern
from fis.store import Store
from tests.app.helfer import seite
from tests.app.test_zugang_app import _anmelden, _app, benutzer  # noqa: F401  (fixture)

T = date(2024, 12, 31)


def _texte(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_planung_writes_an_einordnung_on_the_lagebild_and_it_is_shown(monkeypatch, demo_copy, tmp_path):
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(tmp_path / "keine.json"))       # single user: Planung
    at = seite(monkeypatch, demo_copy, "lagebild")
    at.selectbox(key="lb_einordnung_bezug").set_value("lagebild").run()
    at.text_area(key="lb_einordnung_text_lagebild").input("Die Lage ist stabil; Nord braucht Hilfe.").run()
    at.checkbox(key="lb_einordnung_pub").check().run()
    at.button(key="lb_einordnung_ok").click().run()
    assert not at.exception
    assert any("veröffentlicht" in s.value for s in at.success)
    at.run()
    texte = _texte(at)
    assert "Einordnung der Sozialplanung" in texte and "Nord braucht Hilfe" in texte
    with Store.open(demo_copy, read_only=True) as s:
        log = s.lade_audit()
    assert (log["aktion"] == "einordnung_gespeichert").sum() == 1


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_committee_sees_only_published_einordnungen(monkeypatch, demo_copy, benutzer):  # noqa: F811
    with Store.open(demo_copy) as s:
        speichern(s, "lagebild", T, "Veröffentlichte Einordnung.", "p.planer", veroeffentlichen=True)
        speichern(s, "indikator:sgb2_quote", T, "Noch ein Entwurf.", "p.planer")
    at = _anmelden(_app(monkeypatch, demo_copy), "a.ausschuss", "Ausschuss-Passwort-1")
    texte = _texte(at)
    assert "Veröffentlichte Einordnung." in texte and "Entwurf" not in texte
    assert not at.get("text_area")                                  # the committee does not write
    at.switch_page("seiten/praesentation.py").run()
    assert "Kommentar der Planung:* Veröffentlichte Einordnung." in "\n".join(m.value for m in at.markdown)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_profile_lists_the_einordnungen_of_its_indicators(monkeypatch, demo_copy, tmp_path):
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(tmp_path / "keine.json"))
    with Store.open(demo_copy) as s:
        speichern(s, "indikator:sgb2_quote", T, "Die Quote sinkt langsamer als im Land.", "p.planer")
    at = seite(monkeypatch, demo_copy, "sozialraumprofil")
    assert any("Einordnung der Sozialplanung zu 1 dieser Indikatoren" in e.label for e in at.expander)
    assert "sinkt langsamer als im Land" in _texte(at)

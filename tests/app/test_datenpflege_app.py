"""AppTest of the Datenpflege page: register, rollback from the UI, catalog editor, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fis.store import Store
from tests.conftest import DEMO_LIEFERUNGEN

ROOT = Path(__file__).resolve().parents[2]


def _app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.setenv("FIS_BENUTZER", "apptest")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("seiten/datenpflege.py")
    return at.run()


def _tabelle(at: AppTest, spalte: str):
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


def test_register_lists_every_delivery(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    assert not at.exception
    assert at.title[0].value == "Datenpflege"
    register = _tabelle(at, "SHA-256")
    assert len(register) == DEMO_LIEFERUNGEN and register["Nr."].iloc[0] == DEMO_LIEFERUNGEN
    assert set(register["Status"]) == {"aktiv"}


def test_rollback_from_the_page_restores_the_provisional_values(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    # Lieferung 17 is the final BA correction of 2024; rolling it back brings back the provisional values.
    at.selectbox(key="dp_rb_nr").set_value(17).run()
    hinweis = [c.value for c in at.caption if "früheren Fassung" in c.value][0]
    assert hinweis.startswith("Danach: 306 Werte gelten wieder")  # 6 BA-Indikatoren × 51 Sozialräume
    assert at.button(key="dp_rb_ok").disabled
    at.checkbox(key="dp_rb_sicher").check().run()
    at.text_input(key="dp_rb_grund").input("Test").run()
    at.button(key="dp_rb_ok").click().run()
    assert not at.exception
    assert "zurückgenommen" in at.success[0].value
    store = Store.open(demo_copy)
    try:
        assert store.lade_lieferung(17)["status"] == "zurückgenommen"
        audit = store.lade_audit().iloc[-1]
        assert (audit["aktion"], audit["benutzer"]) == ("rollback", "apptest")
    finally:
        store.close()


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_a_rollback_with_dependents_needs_them_and_can_be_undone_from_the_page(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    at.selectbox(key="dp_rb_nr").set_value(2).run()                      # the Feldmark split of 2019
    assert any("Werte ohne gültiges Gebiet" in w.value for w in at.warning)
    at.checkbox(key="dp_rb_sicher").check().run()
    assert at.button(key="dp_rb_ok").disabled                            # not without its dependents
    at.checkbox(key="dp_rb_mit").check().run()
    at.button(key="dp_rb_ok").click().run()
    assert not at.exception and "mit ihr Lieferung" in at.success[0].value
    at.selectbox(key="dp_rb_auf_nr").set_value(2).run()
    at.button(key="dp_rb_auf_ok").click().run()
    assert not at.exception and "gilt wieder" in at.success[0].value
    with Store.open(demo_copy, read_only=True) as store:
        status = store.lade_lieferungen().set_index("lieferung_id")["status"]
        assert status[2] == "aktiv" and status[16] == "zurückgenommen"   # the dependents stay rolled back


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_value_history_shows_both_versions(monkeypatch, demo_copy):
    at = _app(monkeypatch, demo_copy)
    at.selectbox(key="dp_h_raum").set_value("0101")
    at.selectbox(key="dp_h_ind").set_value("alq").run()
    historie = _tabelle(at, "Lieferung gilt")
    assert historie["Lieferung"].tolist() == [17, 16]
    assert historie["aktuell"].tolist() == ["✓", ""]


def test_empty_database_opens_on_datenpflege(monkeypatch, tmp_path):
    db = tmp_path / "leer.duckdb"
    Store.open(db).close()
    monkeypatch.setenv("FIS_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Datenpflege"


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_new_city_tab_is_offered_in_single_user_mode_only_to_who_may_configure(monkeypatch, demo_copy,
                                                                                   tmp_path):
    from fis.zugang import Benutzerdatei
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(tmp_path / "keine.json"))
    at = _app(monkeypatch, demo_copy)
    assert [t.label for t in at.tabs][-1] == "Neue Stadt einrichten"
    assert any("Gebietsdatei" in u.label for u in at.get("file_uploader"))
    assert any("Die bisherige Stadt bleibt unverändert erhalten" in c.value for c in at.caption)
    pfad = tmp_path / "benutzer.json"
    Benutzerdatei(pfad).hinzufuegen("p.planer", "planung", "Planung-Passwort-1")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.text_input(key="zugang_name").set_value("p.planer")
    at.text_input(key="zugang_passwort").set_value("Planung-Passwort-1")
    at = at.button[0].click().run()
    at.switch_page("seiten/datenpflege.py")
    at = at.run()
    assert not at.exception
    assert "Neue Stadt einrichten" not in [t.label for t in at.tabs]      # Planung delivers, it does not configure

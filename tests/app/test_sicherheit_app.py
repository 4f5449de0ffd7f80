"""Publication status, audit page, sign-in through the identity provider (OIDC, st.user seeded
by AppTest), and that roles without the right see no editing controls."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import lies_tabelle
from fis.store import Store
from fis.zugang import Benutzerdatei
from tests.app.helfer import ROOT

KOPF = "raum;indikator;stichtag;wert;zaehler;nenner\n"


@pytest.fixture
def benutzer(tmp_path, monkeypatch):
    pfad = tmp_path / "benutzer.json"
    d = Benutzerdatei(pfad)
    for name, rolle in (("p.planer", "planung"), ("l.leitung", "leitung"), ("a.admin", "admin"),
                        ("a.ausschuss", "ausschuss")):
        d.hinzufuegen(name, rolle, f"{rolle}-Passwort-123")
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(pfad))
    return pfad


def _app(monkeypatch, db, **env) -> AppTest:
    monkeypatch.setenv("FIS_DB", str(db))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def _als(monkeypatch, db, name: str, rolle: str) -> AppTest:
    at = _app(monkeypatch, db)
    at.text_input(key="zugang_name").set_value(name)
    at.text_input(key="zugang_passwort").set_value(f"{rolle}-Passwort-123")
    at = at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Lagebild Musterstadt", at.error
    return at


def _neue_lieferung(db) -> int:
    """An unpublished delivery with a new Stichtag 31.12.2025 and a changed 2024 value."""
    with Store.open(db) as store:
        text = KOPF + "0101;alq;31.12.2025;77,7;;\n"
        tabelle = lies_tabelle(text.encode(), "neu.csv")
        v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
        return werte_import.uebernehmen(store, v, "p.planer")


def _stichtage(at: AppTest) -> list[str]:
    """The Stichtage offered (their labels may name a state: „31.12.2025 – unvollständig, vorläufig“)."""
    return [o[:10] for o in at.sidebar.selectbox(key="_stichtag").options]


@pytest.mark.langsam
def test_planung_publishes_and_only_then_the_committee_sees_the_new_stichtag(monkeypatch, demo_copy, benutzer):
    lid = _neue_lieferung(demo_copy)
    ausschuss = _als(monkeypatch, demo_copy, "a.ausschuss", "ausschuss")
    assert "31.12.2025" not in _stichtage(ausschuss) and "31.12.2024" in _stichtage(ausschuss)
    # a Stichtag in the URL that is not published falls back to the newest published one
    ausschuss.query_params["stichtag"] = "2025-12-31"
    ausschuss.switch_page("seiten/karte.py").run()
    assert not ausschuss.exception
    assert ausschuss.sidebar.selectbox(key="_stichtag").value == date(2024, 12, 31)
    assert "77,7" not in " ".join(str(d.value.to_csv()) for d in ausschuss.dataframe)

    planung = _als(monkeypatch, demo_copy, "p.planer", "planung")
    assert "31.12.2025" in _stichtage(planung)
    assert planung.sidebar.warning[0].value.startswith("1 Lieferung ist vorläufig")
    planung.switch_page("seiten/praesentation.py").run()                # the projector: published only
    assert not planung.exception and planung.title[0].value == "Lagebild Musterstadt 31.12.2024"
    planung.switch_page("seiten/datenpflege.py").run()
    auswahl = planung.multiselect(key="dp_pub_nr")
    assert auswahl.options == [f"{lid} – neu.csv (Stichtag 31.12.2025)"]
    auswahl.set_value([lid]).run()
    planung = planung.button(key="dp_pub_ok").click().run()
    assert not planung.exception
    assert planung.success[0].value == f"Veröffentlicht: Lieferung {lid}."
    assert not planung.sidebar.warning

    ausschuss = _als(monkeypatch, demo_copy, "a.ausschuss", "ausschuss")
    assert "31.12.2025" in _stichtage(ausschuss)
    with Store.open(demo_copy) as store:
        letzte = store.lade_audit().iloc[-2:]
    assert letzte["aktion"].tolist()[0] == "veroeffentlicht" and letzte["benutzer"].tolist()[0] == "p.planer"


@pytest.mark.langsam
def test_audit_page_for_leitung_and_admin_only_with_filter_and_export(monkeypatch, demo_copy, benutzer):
    for name, rolle in (("p.planer", "planung"), ("a.ausschuss", "ausschuss")):
        at = _als(monkeypatch, demo_copy, name, rolle)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("seiten/audit.py")
    at = _als(monkeypatch, demo_copy, "l.leitung", "leitung")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("seiten/datenpflege.py")                       # Leitung reads, never uploads
    at.switch_page("seiten/audit.py").run()
    assert not at.exception and at.title[0].value == "Audit-Log"
    at.date_input(key="au_von").set_value(date(2000, 1, 1)).run()
    tabelle = at.dataframe[0].value
    # the demo's 46 entries, the four sign-ins of the other tests' users here, and this sign-in
    anmeldungen = tabelle[tabelle["Aktion"] == "Anmeldung"]
    assert anmeldungen["Benutzer"].tolist() == ["l.leitung", "a.ausschuss", "p.planer"]
    assert (tabelle["Aktion"] == "Lieferung übernommen").sum() == 26
    at.selectbox(key="au_aktion").set_value("anmeldung").run()
    assert at.dataframe[0].value["Benutzer"].tolist() == ["l.leitung", "a.ausschuss", "p.planer"]
    assert at.get("download_button")
    admin = _als(monkeypatch, demo_copy, "a.admin", "admin")
    admin.switch_page("seiten/audit.py").run()
    assert not admin.exception and admin.title[0].value == "Audit-Log"


def test_failed_sign_ins_lock_the_name(monkeypatch, demo_copy, benutzer):
    at = _app(monkeypatch, demo_copy)
    for _ in range(5):
        at.text_input(key="zugang_name").set_value("p.planer")
        at.text_input(key="zugang_passwort").set_value("falsch-falsch-falsch")
        at = at.button[0].click().run()
        assert at.error[0].value == "Benutzername oder Passwort ist falsch."
    at.text_input(key="zugang_passwort").set_value("planung-Passwort-123")   # even the right one
    at = at.button[0].click().run()
    assert "Zu viele Fehlversuche" in at.error[0].value and not at.metric


def test_leitung_reads_goals_and_sroi_without_editing_controls(monkeypatch, demo_copy, benutzer):
    at = _als(monkeypatch, demo_copy, "l.leitung", "leitung")
    at.switch_page("seiten/ziele.py").run()
    assert not at.exception and at.title[0].value == "Ziele"
    assert not [s for s in at.subheader if s.value == "Ziele pflegen"]
    assert not [e for e in at.expander if "importieren" in e.label]
    at.switch_page("seiten/sroi.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "sroi_speichern"]
    assert any("Analysen speichern darf die Rolle Planung" in c.value for c in at.caption)
    at.switch_page("seiten/produktkritik.py").run()
    assert not at.exception and not [e for e in at.expander if e.label == "Gewichte und Beiträge bearbeiten"]


# --------------------------------------------------------------------------- OIDC

@pytest.fixture
def oidc_config(tmp_path):
    import shutil
    ziel = tmp_path / "config"
    shutil.copytree(ROOT / "config", ziel)
    (ziel / "zugang.yaml").write_text(
        "anmeldung: oidc\noidc:\n  rollen_claim: groups\n  planung: [fis-planung]\n  leitung: [FIS-Leitung]\n"
        "  ausschuss: [fis-ausschuss]\n", encoding="utf-8")
    return ziel


def test_oidc_sign_in_maps_groups_to_roles(monkeypatch, demo_copy, oidc_config, tmp_path):
    monkeypatch.setenv("FIS_CONFIG", str(oidc_config))
    monkeypatch.setenv("FIS_BENUTZERDATEI", str(tmp_path / "keine.json"))
    at = _app(monkeypatch, demo_copy)
    assert at.title[0].value == "FIS Sozialplanung – Anmeldung" and not at.metric
    assert at.button(key="zugang_oidc_anmelden").label == "Anmelden"

    at.user = {"is_logged_in": True, "preferred_username": "m.muster", "email": "m@stadt.de",
               "groups": ["/fis-leitung", "andere"]}
    at.run()
    assert not at.exception and at.title[0].value == "Lagebild Musterstadt"
    assert any(c.value == "Angemeldet: m.muster (Leitung)" for c in at.sidebar.caption)
    at.switch_page("seiten/controlling.py").run()
    assert not at.exception and at.title[0].value == "Controlling"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("seiten/datenpflege.py")

    at.user = {"is_logged_in": True, "preferred_username": "gast", "groups": ["andere"]}
    at.run()
    assert at.title[0].value == "FIS Sozialplanung – Anmeldung"
    assert "„gast“ ist angemeldet, hat aber keine Rolle im FIS" in at.error[0].value
    with Store.open(demo_copy) as store:
        audit = store.lade_audit()
    assert audit.iloc[-1][["benutzer", "aktion"]].tolist() == ["m.muster", "anmeldung"]


def test_oidc_without_any_group_mapping_is_a_configuration_error(monkeypatch, demo_copy, oidc_config):
    (oidc_config / "zugang.yaml").write_text("anmeldung: oidc\n", encoding="utf-8")
    monkeypatch.setenv("FIS_CONFIG", str(oidc_config))
    at = _app(monkeypatch, demo_copy)
    assert "sonst käme niemand hinein" in at.error[0].value and not at.metric


def _alles_gesendete(at: AppTest) -> str:
    """Everything the browser receives of a page: every element's message (tables, charts with their
    datasets, maps, downloads, texts) and the tables' contents."""
    teile = [d.value.to_csv() for d in at.dataframe]

    def besuchen(knoten):
        if getattr(knoten, "proto", None) is not None:
            teile.append(str(knoten.proto))
        for kind in getattr(knoten, "children", {}).values():
            besuchen(kind)

    besuchen(at._tree)
    return "\n".join(teile)


@pytest.mark.langsam   # over 4 s on 2 cores: not in --schnell
def test_the_committee_gets_index_classes_but_no_value_or_contribution(monkeypatch, demo_copy, benutzer):
    planung = _als(monkeypatch, demo_copy, "p.planer", "planung")
    planung.switch_page("seiten/sozialindex.py").run()
    assert not planung.exception
    assert "Indexwert" in planung.dataframe[0].value.columns            # dataframes carry no key in AppTest
    assert "Beitrag zum Index" in _alles_gesendete(planung)             # internal: the drivers as a chart

    ausschuss = _als(monkeypatch, demo_copy, "a.ausschuss", "ausschuss")
    for index_id in ("sozialindex", "bildungsindex"):
        ausschuss.switch_page("seiten/sozialindex.py").run()
        ausschuss.selectbox(key="si_index").set_value(index_id).run()
        assert not ausschuss.exception
        tabelle = ausschuss.dataframe[0].value
        assert "Indexwert" not in tabelle.columns and tabelle["Klasse"].str.match(r"[A-D] ").sum() >= 45
        gesendet = _alles_gesendete(ausschuss)
        assert "Beitrag zum Index" not in gesendet and "(Index " not in gesendet
        assert any("nur Klassen" in i.value for i in ausschuss.info)
        komponenten = ausschuss.dataframe[1].value
        assert list(komponenten.columns) == ["Indikator", "Gebiet", "Stadt", "Einordnung"] and len(komponenten) == 5


def test_the_committee_typology_is_built_from_published_values_without_tiny_types(monkeypatch, demo_copy, benutzer):
    ausschuss = _als(monkeypatch, demo_copy, "a.ausschuss", "ausschuss")
    ausschuss.switch_page("seiten/typisierung.py").run()
    assert not ausschuss.exception
    assert "aus veröffentlichten Werten" in " ".join(c.value for c in ausschuss.caption)
    gebiete = ausschuss.dataframe[0].value["Gebiete"]
    assert (gebiete >= 3).all()


def test_app_without_users_bound_to_the_network_shows_a_german_refusal(monkeypatch, demo_copy):
    import streamlit
    echt = streamlit.get_option
    monkeypatch.setattr(streamlit, "get_option",
                        lambda name: "0.0.0.0" if name == "server.address" else echt(name))
    monkeypatch.delenv("FIS_BENUTZERDATEI", raising=False)
    at = _app(monkeypatch, demo_copy)
    assert not at.exception
    assert any("ohne Anmeldung hätte jeder im Netz alle Rechte" in e.value for e in at.error)
    assert not at.title                                               # no page rendered


def test_single_user_sidebar_names_the_real_binding(monkeypatch, demo_copy):
    monkeypatch.delenv("FIS_BENUTZERDATEI", raising=False)
    at = _app(monkeypatch, demo_copy)
    assert any("127.0.0.1:" in c.value for c in at.sidebar.caption)

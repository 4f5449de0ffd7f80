"""Publication status, roles enforced inside fis, the audit log, and hardening against
malicious input (SQL, HTML, file names, oversized files)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from fis import ziele
from fis.audit import SPERRE_VERSUCHE, anmeldung_gesperrt, protokoll, vermerken
from fis.cli import main
from fis.format import dateiname_sicher, upload_name
from fis.ingest import katalog as katalog_import
from fis.ingest import raeume as raeume_import
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.arten import lieferungen_tabelle
from fis.ingest.lesen import ImportFehler, lies_tabelle
from fis.ingest.lieferungen import (
    unveroeffentlicht,
    veroeffentlichen,
    wert_historie,
    zuruecknehmen,
)
from fis.store import Store
from fis.wuerfel import lade_monitoring
from fis.zugang import Benutzer, KeinZugriff
from tests.conftest import DEMO_AUDIT, DEMO_LIEFERUNGEN

KOPF = "raum;indikator;stichtag;wert;zaehler;nenner\n"
PLANUNG = Benutzer("p.planer", "planung")
LEITUNG = Benutzer("l.leitung", "leitung")
ADMIN = Benutzer("a.admin", "admin")
AUSSCHUSS = Benutzer("ausschuss", "ausschuss")
SQL = "'); DROP TABLE wert; --"
HTML = "<img src=x onerror=alert(1)>"


def _liefern(store, text: str, wer=PLANUNG) -> int:
    tabelle = lies_tabelle(text.encode(), "lieferung.csv")
    v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
    assert v.bericht.ok, v.bericht.als_text()
    return werte_import.uebernehmen(store, v, wer)


# --------------------------------------------------------------------------- publication

def test_a_new_delivery_stays_invisible_to_the_public_until_planung_publishes_it(store, config):
    oeffentlich = store.cursor(nur_veroeffentlicht=True)
    alt = store.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    assert unveroeffentlicht(store).empty                      # the demo's history is published
    neu = f"{alt['wert'] + 2:.1f}".replace(".", ",")
    lid = _liefern(store, KOPF + f"0101;alq;31.12.2024;{neu};;\n0101;alq;31.12.2025;9,9;;\n")
    # Planung and Leitung see the new delivery at once …
    assert store.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]["lieferung_id"] == lid
    assert date(2025, 12, 31) in store.lade_stichtage()
    # … the public store keeps the last published value and has no 2025 yet
    pub = oeffentlich.lade_werte(["alq"], [date(2024, 12, 31)], ["0101"]).iloc[0]
    assert pub["wert"] == alt["wert"] and pub["lieferung_id"] == alt["lieferung_id"]
    assert date(2025, 12, 31) not in oeffentlich.lade_stichtage()
    assert oeffentlich.lade_werte(["alq"], [date(2025, 12, 31)]).empty
    assert lid not in oeffentlich.lade_lieferungen()["lieferung_id"].tolist()
    assert lid not in wert_historie(oeffentlich, "0101", "alq", date(2024, 12, 31))["Lieferung"].tolist()
    m = lade_monitoring(oeffentlich, config)
    assert date(2025, 12, 31) not in set(m.werte["stichtag"])
    assert unveroeffentlicht(store)["lieferung_id"].tolist() == [lid]
    register = lieferungen_tabelle(store).set_index("Nr.")
    assert register.at[lid, "Veröffentlicht"] == "vorläufig – nicht veröffentlicht"

    for wer in (AUSSCHUSS, LEITUNG, ADMIN):
        with pytest.raises(KeinZugriff, match="darf nicht Lieferungen veröffentlichen"):
            veroeffentlichen(store, lid, wer)
    assert unveroeffentlicht(store)["lieferung_id"].tolist() == [lid]

    assert veroeffentlichen(store, lid, PLANUNG) == {"lieferung_id": lid, "bezeichnung": "lieferung.csv (2 Stichtage)"}
    assert oeffentlich.lade_werte(["alq"], [date(2025, 12, 31)], ["0101"]).iloc[0]["wert"] == pytest.approx(9.9)
    assert date(2025, 12, 31) in oeffentlich.lade_stichtage()
    eintrag = store.lade_audit().iloc[-1]
    assert (eintrag["benutzer"], eintrag["aktion"], eintrag["objekt_id"]) == ("p.planer", "veroeffentlicht", str(lid))
    assert lieferungen_tabelle(store).set_index("Nr.").at[lid, "Veröffentlicht"].endswith("(p.planer)")
    with pytest.raises(ImportFehler, match="bereits am .* von p.planer veröffentlicht"):
        veroeffentlichen(store, lid, PLANUNG)
    with pytest.raises(ImportFehler, match="gibt es nicht"):
        veroeffentlichen(store, 9999, PLANUNG)


def test_a_rolled_back_delivery_cannot_be_published_and_public_data_version_differs(store):
    lid = _liefern(store, KOPF + "0101;alq;31.12.2025;4,0;;\n")
    zuruecknehmen(store, lid, PLANUNG, "falsch")
    with pytest.raises(ImportFehler, match="zurückgenommen"):
        veroeffentlichen(store, lid, PLANUNG)
    assert unveroeffentlicht(store).empty


def test_migration_counts_earlier_deliveries_as_published(demo):
    lief = demo.lade_lieferungen()
    assert len(lief) == DEMO_LIEFERUNGEN and lief["veroeffentlicht_am"].notna().all()
    assert (lief["veroeffentlicht_am"] == lief["zeitpunkt"]).all()


# --------------------------------------------------------------------------- roles inside fis

def test_every_writing_function_checks_the_role_before_it_writes(store):
    vorher = store.content_hash()
    tabelle = lies_tabelle((KOPF + "0101;alq;31.12.2025;4,0;;\n").encode(), "x.csv")
    v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
    for wer in (AUSSCHUSS, LEITUNG, ADMIN):
        with pytest.raises(KeinZugriff, match="darf nicht Lieferungen hochladen"):
            werte_import.uebernehmen(store, v, wer)
        with pytest.raises(KeinZugriff, match="darf nicht Lieferungen zurücknehmen"):
            zuruecknehmen(store, 1, wer)
        with pytest.raises(KeinZugriff, match="darf nicht Ziele anlegen und bearbeiten"):
            ziele.uebernehmen(store, pd.DataFrame(), wer, "x")
    from fis.produkte import wirkung_speichern
    from fis.sroi import sroi_speichern
    with pytest.raises(KeinZugriff, match="Wirkungsbeiträge und SROI bearbeiten"):
        wirkung_speichern(store, pd.Series(dtype=float), pd.DataFrame(), pd.DataFrame(), LEITUNG)
    with pytest.raises(KeinZugriff, match="Wirkungsbeiträge und SROI bearbeiten"):
        sroi_speichern(store, "a", "A", None, None, 1.0, 0.03, pd.DataFrame(), AUSSCHUSS)
    assert store.content_hash() == vorher
    # a plain name is the command line's system account and acts as Planung
    lid = werte_import.uebernehmen(store, v, "cron")
    assert store.lade_lieferung(lid)["benutzer"] == "cron"


# --------------------------------------------------------------------------- audit

def test_audit_log_in_german_filtered_and_only_for_leitung_and_admin(store):
    lid = _liefern(store, KOPF + "0101;alq;31.12.2025;4,0;;\n")
    veroeffentlichen(store, lid, PLANUNG)
    zuruecknehmen(store, lid, PLANUNG, "Tippfehler")
    for wer in (PLANUNG, AUSSCHUSS):
        with pytest.raises(KeinZugriff, match="darf nicht das Audit-Log lesen"):
            protokoll(store, wer)
    alle = protokoll(store, LEITUNG)
    assert list(alle.columns) == ["Nr.", "Zeitpunkt", "Benutzer", "Aktion", "Objekt", "Kennung", "Einzelheiten"]
    assert alle["Nr."].is_monotonic_decreasing and len(alle) == DEMO_AUDIT + 3
    eigene = protokoll(store, ADMIN, benutzer="p.planer")
    assert eigene["Aktion"].tolist() == ["Lieferung zurückgenommen", "Lieferung veröffentlicht",
                                         "Lieferung übernommen"]
    assert eigene["Kennung"].tolist() == [str(lid)] * 3 and set(eigene["Objekt"]) == {"Lieferung"}
    assert "grund: Tippfehler" in eigene["Einzelheiten"].iloc[0]
    assert protokoll(store, ADMIN, aktion="rollback")["Benutzer"].tolist() == ["p.planer"]
    assert protokoll(store, ADMIN, von=date.today() + timedelta(days=1)).empty
    assert len(protokoll(store, ADMIN, von=date(2000, 1, 1), bis=date.today())) == DEMO_AUDIT + 3
    # filters are bound parameters: an injected quote finds nothing and breaks nothing
    assert protokoll(store, ADMIN, benutzer="x' OR '1'='1").empty
    assert len(protokoll(store, ADMIN)) == DEMO_AUDIT + 3


def test_sign_in_is_locked_after_repeated_failures_per_name(store):
    jetzt = datetime.now()
    for _ in range(SPERRE_VERSUCHE - 1):
        assert vermerken(store, "p.planer", "anmeldung_fehlgeschlagen", "sitzung", "p.planer")
    assert not anmeldung_gesperrt(store, "p.planer", jetzt)
    vermerken(store, "p.planer", "anmeldung_fehlgeschlagen", "sitzung", "p.planer")
    assert anmeldung_gesperrt(store, "p.planer", jetzt)
    assert not anmeldung_gesperrt(store, "l.leitung", jetzt)          # per name
    assert not anmeldung_gesperrt(store, "p.planer", jetzt + timedelta(minutes=16))
    with pytest.raises(KeyError):
        vermerken(store, "x", "alles_loeschen", "sitzung")


def test_an_audit_entry_the_database_cannot_take_now_is_spooled_not_lost(demo_copy):
    from fis.store import audit_warteschlange
    with Store.open(demo_copy, read_only=True) as nur_lesen:
        assert vermerken(nur_lesen, "x", "anmeldung", "sitzung", "x") is True     # read-only: spooled
    assert audit_warteschlange(demo_copy).exists()
    with Store.open(demo_copy) as store:                                          # the next writer adds it
        log = store.lade_audit()
    assert log.iloc[-1]["benutzer"] == "x" and log.iloc[-1]["aktion"] == "anmeldung"
    assert not audit_warteschlange(demo_copy).exists()


# --------------------------------------------------------------------------- SQL injection

def test_malicious_ids_are_data_never_sql(store):
    tabellen = store.count_rows()
    assert store.lade_werte(raum_ids=[SQL]).empty and store.lade_werte(indikator_ids=[SQL]).empty
    assert store.lade_wert_historie(SQL, SQL, date(2024, 12, 31)).empty
    # quoted as a CSV export writes a value containing the separator
    tabelle = lies_tabelle((KOPF + f'"{SQL}";alq;31.12.2024;5,0;;\n0101;"{SQL}";31.12.2024;5,0;;\n').encode(),
                           "x.csv")
    assert tabelle.daten["raum"].iloc[0] == SQL and tabelle.daten["indikator"].iloc[1] == SQL
    v = werte_import.vorbereiten(store, tabelle, zuordnung_import.vorschlag(tabelle, store.lade_indikatoren()))
    assert not v.bericht.ok
    assert {p.pruefung for p in v.bericht.fehler} >= {"Unbekannter Raum", "Unbekannter Indikator"}
    k = katalog_import.vorbereiten(store, f'indikator_id;name\n"{SQL}";Böse\n'.encode(), "k.csv", 3)
    assert not k.uebernehmbar
    assert store.count_rows() == tabellen
    assert store.lade_werte(["alq"]).shape[0] > 0


def _demo_geojson(store, name_von: str, name: str, raum_von: str | None = None, raum_id: str | None = None) -> bytes:
    import shapely
    bezirke = store.lade_raeume(ebene=2, with_geometry=True)
    features = []
    for r in bezirke.itertuples():
        features.append({"type": "Feature", "geometry": json.loads(r.geometrie) if r.geometrie.startswith("{")
                         else shapely.geometry.mapping(shapely.from_wkt(r.geometrie)),
                         "properties": {"nr": raum_id if r.raum_id == raum_von else r.raum_id,
                                        "bez": name if r.raum_id == name_von else r.name}})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_html_in_a_boundary_name_is_stored_as_plain_text(store):
    data = _demo_geojson(store, "03", HTML)
    z = raeume_import.RaumZuordnung(kennung="nr", name="bez", ebene=2, gueltig_von=date(2025, 1, 1),
                                    parent_fest="00")
    v = raeume_import.vorbereiten(store, data, "../../bezirke<script>.geojson", z, 3, "Musterstadt")
    assert v.uebernehmbar, v.bericht.als_text()
    assert v.dateiname == "bezirke<script>.geojson"                   # shown as text, never a path
    lid = raeume_import.uebernehmen(store, v, PLANUNG)
    neu = store.lade_raeume(date(2025, 6, 30), 2).set_index("raum_id")
    assert neu.at["03", "name"] == HTML
    assert store.lade_lieferung(lid)["dateiname"] == "bezirke<script>.geojson"


def test_an_sql_id_in_a_boundary_file_is_an_error_or_plain_data(store):
    data = _demo_geojson(store, "03", "Ost", raum_von="03", raum_id=SQL)
    z = raeume_import.RaumZuordnung(kennung="nr", name="bez", ebene=2, gueltig_von=date(2025, 1, 1),
                                    parent_fest="00")
    tabellen = store.count_rows()
    v = raeume_import.vorbereiten(store, data, "bezirke.geojson", z, 3, "Musterstadt")
    if v.uebernehmbar:
        raeume_import.uebernehmen(store, v, PLANUNG)
        assert SQL in store.lade_raeume(date(2025, 6, 30), 2)["raum_id"].tolist()
    else:
        assert store.count_rows() == tabellen
    assert store.count_rows()["wert"] == tabellen["wert"]


# --------------------------------------------------------------------------- files

@pytest.mark.parametrize("eingabe, erwartet", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\werte.csv", "werte.csv"), ("..", "Datei"),
    ("a\x00b\nc.csv", "abc.csv"), ("", "Datei"), (None, "Datei"), ("x" * 300 + ".csv", "x" * 200)])
def test_upload_names_are_never_paths(eingabe, erwartet):
    assert upload_name(eingabe) == erwartet


@pytest.mark.parametrize("eingabe, erwartet", [
    ("steckbrief_0101_20241231", "steckbrief_0101_20241231"), ("profil_../../x y", "profil_.._.._x_y"),
    (f"karte_{HTML}", "karte_img_src_x_onerror_alert_1"), ("Straße/Übersicht", "Strasse_Ubersicht"),
    ("...", "export"), ("", "export")])
def test_download_names_keep_only_safe_characters(eingabe, erwartet):
    assert dateiname_sicher(eingabe) == erwartet


def test_size_and_type_limits(monkeypatch):
    monkeypatch.setenv("FIS_MAX_UPLOAD_MB", "0.001")                 # ≈ 1 kB
    with pytest.raises(ImportFehler, match="höchstens 0 MB|höchstens"):
        lies_tabelle(b"a;b\n" + b"1;2\n" * 400, "gross.csv")
    monkeypatch.setenv("FIS_MAX_UPLOAD_MB", "200")
    with pytest.raises(ImportFehler, match="Endung .exe"):
        lies_tabelle(b"MZ\x90\x00", "werte.exe")
    assert lies_tabelle(b"a;b\n1;2\n", "../../werte.csv").dateiname == "werte.csv"
    with pytest.raises(ImportFehler, match="Endung .pdf"):
        raeume_import.lies_geodaten(b"%PDF-1.7", "karte.pdf")
    with pytest.raises(ImportFehler):
        raeume_import.lies_geodaten(b'{"type": "FeatureCollection", "features": []}', "..")


@pytest.mark.parametrize("inhalt", [
    KOPF + f"{SQL};alq;31.12.2024;5,0;;\n",                      # the separator inside an unquoted id
    "raum;indikator;stichtag;wert\nx;y;0102;alq;31.12.2024;6,0\n0101;alq;31.12.2024;5,0\n"])
def test_extra_fields_in_the_first_row_are_an_error_not_a_shifted_file(inhalt):
    """pandas would take the extra leading fields as an index and shift every value."""
    with pytest.raises(ImportFehler, match=r"Zeile 2: \d+ statt \d+ Spalten.*Trennzeichen „;“"):
        lies_tabelle(inhalt.encode(), "x.csv")
    quotiert = KOPF + f'"{SQL}";alq;31.12.2024;5,0;;\n'              # quoted, it is a plain value
    assert lies_tabelle(quotiert.encode(), "x.csv").daten.iloc[0]["raum"] == SQL


def test_zip_with_path_traversal_or_bomb_is_refused(monkeypatch):
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as z:
        for teil in (".shp", ".shx", ".dbf"):
            z.writestr(f"../boese{teil}", b"x")
    with pytest.raises(ImportFehler, match="unzulässige Pfade"):
        raeume_import.lies_geodaten(puffer.getvalue(), "grenzen.zip")
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("gross.geojson", b" " * 5_000_000)
    monkeypatch.setenv("FIS_MAX_UPLOAD_MB", "0.1")
    with pytest.raises(ImportFehler, match="entpackt 5 MB"):
        raeume_import.lies_geodaten(puffer.getvalue(), "grenzen.zip")


def test_goal_file_of_a_wrong_type_or_size_gets_a_german_error(monkeypatch):
    with pytest.raises(ziele.ZielFehler, match="als YAML .* oder Excel"):
        ziele.einlesen(b"id;titel\n", "../ziele.csv")
    monkeypatch.setenv("FIS_MAX_UPLOAD_MB", "0.0001")
    with pytest.raises(ziele.ZielFehler, match="höchstens"):
        ziele.einlesen(b"ziele: []\n" * 100, "ziele.yaml")


# --------------------------------------------------------------------------- CLI

@pytest.mark.langsam
def test_cli_publish_audit_and_public_report(demo_copy, tmp_path, capsys, monkeypatch):
    from pypdf import PdfReader
    monkeypatch.setenv("FIS_BENUTZER", "cli.planer")
    datei = tmp_path / "werte.csv"
    datei.write_text(KOPF + "0101;alq;31.12.2025;4,0;;\n", encoding="utf-8")
    assert main(["import", str(datei), "--db", str(demo_copy)]) == 0
    out = capsys.readouterr().out
    neu = DEMO_LIEFERUNGEN + 1
    assert f"vorläufig, bis sie veröffentlicht wird: python -m fis publish {neu}" in out
    # a committee report leaves the unpublished Stichtag out; the internal one has it
    for flag, erwartet, fehlt in ((["--nur-veroeffentlicht"], "31.12.2024", "31.12.2025"), ([], "31.12.2025", None)):
        pdf = tmp_path / "m.pdf"
        assert main(["report", "monitoring", "--db", str(demo_copy), "--out", str(pdf), *flag]) == 0
        titel = PdfReader(pdf).pages[0].extract_text()
        assert erwartet in titel and (fehlt is None or fehlt not in titel)
    assert main(["publish", str(neu), "--db", str(demo_copy)]) == 0
    assert f"Lieferung {neu} „werte.csv (Stichtag 31.12.2025)“ veröffentlicht." in capsys.readouterr().out
    assert main(["publish", str(neu), "--db", str(demo_copy)]) == 2
    assert "bereits am" in capsys.readouterr().err
    datei2 = tmp_path / "werte2.csv"
    datei2.write_text(KOPF + "0102;alq;31.12.2025;5,0;;\n", encoding="utf-8")
    assert main(["import", str(datei2), "--db", str(demo_copy), "--veroeffentlichen"]) == 0
    assert f"Lieferung {neu + 1} veröffentlicht." in capsys.readouterr().out
    csv = tmp_path / "audit.csv"
    assert main(["audit", "--db", str(demo_copy), "--wer", "cli.planer", "--csv", str(csv)]) == 0
    text = csv.read_text(encoding="utf-8-sig")
    assert text.count("cli.planer") == 4 and text.count("Lieferung veröffentlicht") == 2


# --------------------------------------------------------------------------- users belong to their database

def test_the_user_file_follows_db_on_the_command_line(tmp_path, monkeypatch, demo_db_file):
    import shutil
    monkeypatch.delenv("FIS_BENUTZERDATEI", raising=False)
    ort = tmp_path / "andere stadt"
    ort.mkdir()
    shutil.copy(demo_db_file, ort / "x.duckdb")
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-Passwort-123\n"))
    assert main(["user", "add", "a.admin", "--rolle", "admin", "--passwort-stdin", "--db", str(ort / "x.duckdb")]) == 0
    daten = json.loads((ort / "benutzer.json").read_text(encoding="utf-8"))
    assert "a.admin" in json.dumps(daten)
    from fis.pfade import benutzerdatei_pfad
    assert benutzerdatei_pfad(ort / "x.duckdb") == ort / "benutzer.json"


@pytest.mark.parametrize(("adresse", "erlaubt"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                                   ("[::1]", True), ("0.0.0.0", False), ("", False), (None, False),
                                                   ("192.168.1.5", False)])
def test_single_user_mode_only_on_localhost(adresse, erlaubt):
    from fis.zugang import einzelplatz_erlaubt
    assert einzelplatz_erlaubt(adresse) is erlaubt


def test_the_server_without_users_refuses_to_listen_on_the_network(tmp_path, demo_db_file):
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    shutil.copy(demo_db_file, tmp_path / "x.duckdb")
    root = Path(__file__).resolve().parents[2]
    env = {**__import__("os").environ, "FIS_DB": str(tmp_path / "x.duckdb")}
    env.pop("FIS_BENUTZERDATEI", None)
    proc = subprocess.run([sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "0.0.0.0",
                           "--server.port", "8597"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "keine Benutzer" in proc.stderr and "0.0.0.0" in proc.stderr and "127.0.0.1 binden" in proc.stderr


def test_a_guesser_locks_a_name_only_for_his_own_client(store):
    jetzt = datetime.now()
    for _ in range(SPERRE_VERSUCHE):
        vermerken(store, "p.planer", "anmeldung_fehlgeschlagen", "sitzung", "p.planer", {"client": "203.0.113.9"})
    assert anmeldung_gesperrt(store, "p.planer", jetzt, client="203.0.113.9")
    assert not anmeldung_gesperrt(store, "p.planer", jetzt, client="10.0.0.7")      # the user's own machine
    assert anmeldung_gesperrt(store, "p.planer", jetzt)                               # no client known: per name


def test_a_table_beyond_the_cell_budget_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setenv("FIS_MAX_ZELLEN", "1000")
    text = "raum;indikator;stichtag;wert\n" + "0101;alq;31.12.2024;5\n" * 300      # 1.200 cells
    with pytest.raises(ImportFehler, match=r"300 Zeilen mit 4 Spalten, das sind 1\.200 Zellen.*höchstens 1\.000"):
        lies_tabelle(text.encode(), "gross.csv")
    klein = "raum;indikator;stichtag;wert\n" + "0101;alq;31.12.2024;5\n" * 240      # 960 cells
    assert len(lies_tabelle(klein.encode(), "klein.csv").daten) == 240

"""Eine neue Stadt (#19): real export layouts, areas by name, Stichtag from the file, one column in
several roles, the automatic mapping that says what it did, the Einrichtungsassistent (CLI)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from fis.cli import main
from fis.config_lesen import lade_konfiguration
from fis.einrichtung import Antworten, EinrichtungsFehler, aktivieren, einrichten, vorbereiten
from fis.ingest import werte as werte_import
from fis.ingest import zuordnung as zuordnung_import
from fis.ingest.lesen import ImportFehler, lies_tabelle
from fis.lagebild import berechne_lagebild
from fis.monitoring import lade_aggregat
from fis.pfade import config_ordner, db_path
from fis.store import Store
from tests import neue_stadt as ns

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- reading real layouts

def test_title_lines_and_footnotes_around_the_table_are_skipped_and_named():
    text = ("Sozialatlas der Stadt Beispielstadt, Stand 2023\n\nStadtteil;Einwohner;SGB II\n"
            "01 Altstadt;1.234;12,5\n02 Neustadt;2.000;8,1\n\nQuelle: Stadt Beispielstadt, Amt 12\n* vorläufig\n")
    t = lies_tabelle(text.encode(), "atlas.csv")
    assert t.kopfzeile == 3 and t.trennzeichen == ";"
    assert t.spalten == ["Stadtteil", "Einwohner", "SGB II"]
    assert t.daten["Stadtteil"].tolist() == ["01 Altstadt", "02 Neustadt"]
    assert list(t.daten.index) == [4, 5]                    # row numbers of the file, for the report
    assert "Kopfzeile in Zeile 3" in t.hinweise[0] and "Sozialatlas der Stadt" in t.hinweise[0]
    assert "2 Fußnoten" in t.hinweise[1] and "Quelle: Stadt Beispielstadt" in t.hinweise[1]


def test_an_explicit_header_row_wins_and_a_wrong_detection_is_diagnosed():
    text = "Sozialatlas;Stand 2025\nStadtteil;Einwohner;Jahr\nAltstadt;1200;2025\n"
    with pytest.raises(ImportFehler, match="Kopfzeile in Zeile") as fehler:
        lies_tabelle(text.encode(), "titel.csv")
    assert "Trennzeichen" in str(fehler.value)                # both explanations, the likely one first
    assert str(fehler.value).index("Titel") < str(fehler.value).index("Trennzeichen")
    t = lies_tabelle(text.encode(), "titel.csv", kopfzeile=2)
    assert t.spalten == ["Stadtteil", "Einwohner", "Jahr"] and t.daten.iloc[0, 1] == "1200"


def test_every_sheet_one_below_the_other_with_the_sheet_as_stichtag(tmp_path):
    t = lies_tabelle(ns.sozialatlas_blaetter(tmp_path / "atlas.xlsx").read_bytes(), "atlas.xlsx", "*")
    assert t.spalten[0] == "Tabellenblatt"
    assert t.daten["Tabellenblatt"].unique().tolist() == ["2019", "2020", "2021", "2022", "2023"]
    assert len(t.daten) == 5 * 14                          # 13 Stadtteile + the totals row per year
    assert "5 Blätter gelesen" in t.hinweise[0] and "Ebenso in 4 weiteren Blättern." in t.hinweise


def test_two_header_rows_year_over_indicator_become_a_jahr_column(tmp_path):
    t = lies_tabelle(ns.sozialatlas_zweizeilig(tmp_path / "zeitreihe.xlsx").read_bytes(), "zeitreihe.xlsx")
    assert t.spalten == ["Stadtteil", "Jahr", "Einwohner", "unter 18-Jährige", "65 Jahre und älter", "SGB-II-Quote"]
    assert len(t.daten) == 13 * 5
    zeile = t.daten[(t.daten["Stadtteil"] == "Hafen") & (t.daten["Jahr"] == "2022")].iloc[0]
    assert int(zeile["Einwohner"]) == ns.einwohner(3, 2022) and int(zeile["unter 18-Jährige"]) == ns.unter18(3, 2022)
    assert any("Zweizeilige Kopfzeile: Jahre 2019, 2020, 2021, 2022, 2023" in h for h in t.hinweise)


# --------------------------------------------------------------------------- the new city

@pytest.fixture(scope="module")
def stadt(tmp_path_factory):
    """Beispielstadt set up by the assistant from the Shapefile (CLI), nothing else delivered."""
    ordner = tmp_path_factory.mktemp("neue_stadt")
    shp = ns.gebiete_shapefile(ordner / "geo")
    ziel = ordner / "beispielstadt"
    assert main(["neue-stadt", str(shp), "--name", "Beispielstadt", "--land", "Niedersachsen", "--kennung",
                 "STT_NR", "--name-spalte", "STT_NAME", "--ebene", "Stadtteil", "--ebene-plural", "Stadtteile",
                 "--ober-spalte", "SBZ_NR", "--ober-name-spalte", "SBZ_NAME", "--ziel", str(ziel)]) == 0
    return ziel


@pytest.fixture
def stadt_db(stadt, tmp_path):
    import shutil
    db = tmp_path / "stadt.duckdb"
    shutil.copy(stadt / "fis.duckdb", db)
    return db


def test_the_assistant_writes_a_valid_config_and_a_database_with_three_levels(stadt):
    config = lade_konfiguration(stadt / "config")
    assert config.stadt.name == "Beispielstadt" and config.stadt.land == "Niedersachsen"
    assert [(e.ebene, e.name, e.plural) for e in config.stadt.raumebenen] == [
        (1, "Stadtteil", "Stadtteile"), (2, "Stadtbezirk", "Stadtbezirke"), (3, "Gesamtstadt", "Gesamtstadt")]
    assert len(config.katalog.indikatoren) == 40             # the bundled catalog, complete (36 + 4 computed)
    assert "sgb2_quote" in config.lagebild.kennzahlen
    with Store.open(stadt / "fis.duckdb", read_only=True) as store:
        raeume = store.lade_raeume()
        assert raeume.groupby("ebene").size().to_dict() == {1: 13, 2: 4, 3: 1}
        bezirk = raeume[raeume["ebene"] == 2].set_index("raum_id")
        assert bezirk.loc["1", "name"] == "Innenstadt"
        # the Stadtbezirk is dissolved from its Stadtteile: 4 squares of 1.5 km → 9 km² (Innenstadt: 01, 05, 09, 13)
        assert bezirk.loc["1", "flaeche_km2"] == pytest.approx(4 * 2.25, rel=1e-3)
        assert raeume.set_index("raum_id").loc["02", "parent_id"] == "2"
        offen = store.con.execute("SELECT count(*) FROM lieferung WHERE veroeffentlicht_am IS NULL").fetchone()[0]
        assert offen == 0 and len(store.lade_indikatoren()) == 40


def test_the_cli_without_answers_lists_the_properties_with_examples(tmp_path, capsys):
    shp = ns.gebiete_shapefile(tmp_path / "geo")
    assert main(["neue-stadt", str(shp)]) == 2
    out = capsys.readouterr().out
    assert "13 Flächen" in out and "STT_NAME" in out and "Altstadt, St. Johann" in out


def test_the_assistant_refuses_an_existing_target_and_bad_answers(stadt, tmp_path):
    data = ns.gebiete_zip(tmp_path).read_bytes()
    antworten = Antworten(name="Beispielstadt", land="Niedersachsen", kennung="SBZ_NR", name_spalte="STT_NAME")
    with pytest.raises(EinrichtungsFehler, match="nicht eindeutig"):
        vorbereiten(data, "stadtteile.zip", antworten)
    with pytest.raises(EinrichtungsFehler, match="keine Eigenschaft „GEMEINDE“"):
        vorbereiten(data, "stadtteile.zip", Antworten(name="X", land="", kennung="GEMEINDE", name_spalte="STT_NAME"))
    e = vorbereiten(data, "stadtteile.zip", Antworten(name="Beispielstadt", land="", kennung="STT_NR",
                                                      name_spalte="STT_NAME", indikatoren=("sgb2_quote", "alq")))
    assert "bev_gesamt" in e.indikatoren_yaml                 # always kept: population for shares and rules
    with pytest.raises(EinrichtungsFehler, match="existiert bereits"):
        einrichten(data, "stadtteile.zip", e, stadt / "config", tmp_path / "neu.duckdb", "test")
    assert not (tmp_path / "neu.duckdb").exists()
    info = einrichten(data, "stadtteile.zip", e, tmp_path / "klein" / "config", tmp_path / "klein.duckdb", "test")
    config = lade_konfiguration(info["config"])
    assert [i.id for i in config.katalog.indikatoren] == ["bev_gesamt", "sgb2_quote", "alq"]
    assert [e.name for e in config.stadt.raumebenen] == ["Sozialraum", "Gesamtstadt"]
    assert info["raeume"] == 14


def test_the_active_city_is_what_app_and_cli_open_unless_the_environment_says_otherwise(tmp_path, monkeypatch):
    monkeypatch.setenv("FIS_AKTIVE_STADT", str(tmp_path / "aktive_stadt.json"))
    monkeypatch.delenv("FIS_DB", raising=False)
    monkeypatch.delenv("FIS_CONFIG", raising=False)
    assert db_path().name == "fis.duckdb" and config_ordner().name == "config"
    aktivieren(tmp_path / "konfig", tmp_path / "stadt.duckdb")
    assert db_path() == tmp_path / "stadt.duckdb" and config_ordner() == tmp_path / "konfig"
    monkeypatch.setenv("FIS_DB", str(tmp_path / "andere.duckdb"))
    assert db_path() == tmp_path / "andere.duckdb"


# --------------------------------------------------------------------------- values of the new city

def _pruefen(db: Path, datei: Path, blatt: str | None = None, stichtag: date | None = None, **aenderungen):
    store = Store.open(db)
    tabelle = lies_tabelle(datei.read_bytes(), datei.name, blatt)
    z, treffer = zuordnung_import.vorschlag_mit_treffern(tabelle, store.lade_indikatoren(), store.lade_raeume())
    if aenderungen:
        z = zuordnung_import.Zuordnung.aus_dict({**z.als_dict(), **aenderungen})
    return store, tabelle, z, treffer, werte_import.vorbereiten(store, tabelle, z, stichtag)


def test_a_sozialatlas_with_one_sheet_per_year_is_mapped_automatically(stadt_db, tmp_path):
    store, tabelle, z, treffer, v = _pruefen(stadt_db, ns.sozialatlas_blaetter(tmp_path / "atlas.xlsx"), "*")
    try:
        assert z.format == "breit" and z.raum == "Stadtteil" and z.stichtag == "Tabellenblatt"
        # one column in several roles: Einwohner is the value of bev_gesamt and the denominator of two shares
        assert z.spalten["bev_gesamt"].wert == "Einwohner"
        assert z.spalten["anteil_u18"] == zuordnung_import.Spalten(zaehler="unter 18-Jährige", nenner="Einwohner")
        assert z.spalten["anteil_65plus"] == zuordnung_import.Spalten(zaehler="65 Jahre und älter", nenner="Einwohner")
        assert z.spalten["sgb2_quote"].wert == "SGB-II-Quote"
        assert {(t.spalte, t.indikator_id, t.rolle) for t in treffer} >= {
            ("Einwohner", "anteil_u18", "nenner"), ("unter 18-Jährige", "anteil_u18", "zaehler")}
        assert v.bericht.ok, v.bericht.als_text()
        pruefungen = {p.pruefung: p for p in v.bericht.probleme}
        assert "13 Gebiete über den Namen zugeordnet" not in pruefungen    # „01 Altstadt“: the id decides
        assert "Gesamtwerte erkannt" in pruefungen
        assert sorted(set(v.werte["stichtag"])) == [date(j, 12, 31) for j in ns.JAHRE]
        w = v.werte.set_index(["raum_id", "indikator_id", "stichtag"])
        # derived and checked: the share is Zähler / Nenner × 100
        assert w.loc[("04", "anteil_u18", date(2022, 12, 31)), "wert"] == pytest.approx(
            100 * ns.unter18(3, 2022) / ns.einwohner(3, 2022))
        assert w.loc[("04", "anteil_u18", date(2022, 12, 31)), "nenner"] == ns.einwohner(3, 2022)
        assert w.loc[("13", "sgb2_quote", date(2019, 12, 31)), "wert"] == ns.sgb2(12, 2019)
        gesamt = sum(ns.einwohner(i, 2023) for i in range(13))
        assert w.loc[("0", "bev_gesamt", date(2023, 12, 31)), "wert"] == gesamt      # the delivered total
        assert v.zaehlung == {"neu": 5 * (13 * 4 + 1), "geändert": 0, "unverändert": 0}
        vorschau = werte_import.vorschau(store, v)
        hafen = vorschau[(vorschau["Raum"] == "04 Hafen") & (vorschau["Indikator"] == "Einwohnerinnen und Einwohner")
                         & (vorschau["Stichtag"] == date(2020, 12, 31))].iloc[0]
        assert hafen["neu"] == ns.einwohner(3, 2020) and hafen["Veränderung zum Vorstichtag"] == 30
        assert hafen["Vorstichtag"] == date(2019, 12, 31) and pd.isna(hafen["bisher"])
    finally:
        store.close()


def test_the_committed_atlas_aggregates_to_the_stadtbezirke(stadt, stadt_db, tmp_path):
    store, _, _, _, v = _pruefen(stadt_db, ns.sozialatlas_blaetter(tmp_path / "atlas.xlsx"), "*")
    try:
        werte_import.uebernehmen(store, v, "test")
        a = lade_aggregat(store, lade_konfiguration(stadt / "config"), ["bev_gesamt", "anteil_u18"]).werte
        innenstadt = a[(a["raum_id"] == "1") & (a["indikator_id"] == "bev_gesamt")
                       & (pd.to_datetime(a["stichtag"]) == pd.Timestamp("2023-12-31"))].iloc[0]
        assert innenstadt["wert"] == sum(ns.einwohner(i, 2023) for i in (0, 4, 8, 12))
        u18 = a[(a["raum_id"] == "1") & (a["indikator_id"] == "anteil_u18")
                & (pd.to_datetime(a["stichtag"]) == pd.Timestamp("2023-12-31"))].iloc[0]
        assert u18["wert"] == pytest.approx(100 * sum(ns.unter18(i, 2023) for i in (0, 4, 8, 12))
                                            / sum(ns.einwohner(i, 2023) for i in (0, 4, 8, 12)))
        # none of the Lagebild's core indicators has a city value yet: „0 von 13“ would be a false all-clear
        lage = berechne_lagebild(store, lade_konfiguration(stadt / "config"), date(2023, 12, 31), 1)
        assert lage.nicht_beurteilbar.startswith("nicht beurteilbar: Die Regel braucht Stadtwerte von mindestens 2")
        assert "vorhanden: keiner" in lage.nicht_beurteilbar
        assert lage.handlungsbedarf.empty
    finally:
        store.close()


def test_names_spelt_differently_are_matched_and_reported_once(stadt_db, tmp_path):
    store, _, z, _, v = _pruefen(stadt_db, ns.sozialatlas_jahr_csv(tmp_path / "atlas.csv"))
    try:
        assert z.stichtag == "Jahr"
        assert v.bericht.ok, v.bericht.als_text()
        gefunden = next(p for p in v.bericht.probleme if p.pruefung == "Gebiete über den Namen zugeordnet")
        assert gefunden.meldung.startswith("13 Gebiete über den Namen zugeordnet")
        assert set(v.werte["raum_id"]) == {ns.kennung(i) for i in range(13)}   # Sankt Johann, Neustadt Sued, MÜHLENWEG
    finally:
        store.close()


def test_ambiguous_names_and_contradicting_id_name_pairs_are_errors(tmp_path):
    import geopandas as gpd
    import shapely
    rows = [{"id": "11", "name": "Neustadt", "bez": "1"}, {"id": "21", "name": "Neustadt", "bez": "2"},
            {"id": "12", "name": "Altstadt", "bez": "1"}]
    frame = gpd.GeoDataFrame([{**r, "geometry": shapely.box(7 + i * 0.01, 51, 7.01 + i * 0.01, 51.01)}
                              for i, r in enumerate(rows)], crs="EPSG:4326")
    geo = tmp_path / "gebiete.geojson"
    frame.to_file(geo, driver="GeoJSON", engine="pyogrio")
    e = vorbereiten(geo.read_bytes(), geo.name, Antworten(name="Doppelstadt", land="", kennung="id",
                                                          name_spalte="name", ober_spalte="bez"))
    info = einrichten(geo.read_bytes(), geo.name, e, tmp_path / "config", tmp_path / "d.duckdb", "test")
    datei = tmp_path / "werte_2024.csv"
    datei.write_text("Gebiet;Einwohner\nNeustadt;100\nAltstadt;200\n12 Neustadt;300\n", encoding="utf-8")
    with Store.open(info["db"]) as store:
        tabelle = lies_tabelle(datei.read_bytes(), datei.name)
        z = zuordnung_import.vorschlag(tabelle, store.lade_indikatoren(), store.lade_raeume())
        assert zuordnung_import.stichtag_vorschlag(tabelle) == date(2024, 12, 31)   # offered, never applied
        with pytest.raises(ImportFehler, match="keine Stichtag-Spalte"):
            werte_import.vorbereiten(store, tabelle, z)
        v = werte_import.vorbereiten(store, tabelle, z, date(2024, 12, 31))
        fehler = {p.pruefung: p.meldung for p in v.bericht.fehler}
        assert "„Neustadt“: 11, 21" in fehler["Gebietsname mehrdeutig"]
        assert "12 „Neustadt“, laut Raumgliederung „Altstadt“" in fehler["Kennung und Name widersprechen sich"]
        assert set(v.werte["raum_id"]) == {"12"}                 # only the unambiguous row remains
        assert not v.uebernehmbar


def test_unused_columns_are_warned_with_the_closest_indicator(stadt_db, tmp_path):
    datei = tmp_path / "atlas.csv"
    datei.write_text("Stadtteil;Jahr;Einwohner;Arbeitslose gesamt (Anzahl);Bemerkung\nAltstadt;2023;2000;51;x\n",
                     encoding="utf-8")
    store, _, z, _, v = _pruefen(stadt_db, datei)
    try:
        assert set(z.spalten) == {"bev_gesamt"}
        warnung = next(p for p in v.bericht.warnungen if p.pruefung == "Spalte nicht verwendet")
        assert "„Arbeitslose gesamt (Anzahl)“" in warnung.meldung and "„Bemerkung“" in warnung.meldung
        details = v.bericht.detailtabelle().set_index("spalte")["hinweis"]
        assert details["Arbeitslose gesamt (Anzahl)"].startswith("ähnlichster Indikator: alq")
        assert details["Bemerkung"] == "kein ähnlicher Indikator im Katalog"
    finally:
        store.close()


def test_the_mapping_yaml_is_the_same_for_browser_and_cli(stadt_db, tmp_path, capsys):
    atlas = ns.sozialatlas_blaetter(tmp_path / "atlas.xlsx")
    yaml_datei = tmp_path / "zuordnung.yaml"
    assert main(["import", str(atlas), "--db", str(stadt_db), "--blatt", "*", "--nur-pruefen",
                 "--zuordnung-speichern", str(yaml_datei)]) == 0
    out = capsys.readouterr().out
    assert "„Einwohner“ → Anteil Minderjähriger (anteil_u18), Nenner" in out
    assert "Stichtag aus „Tabellenblatt“" in out
    z = zuordnung_import.Zuordnung.aus_yaml(yaml_datei.read_text(encoding="utf-8"))
    assert zuordnung_import.Zuordnung.aus_yaml(z.als_yaml()) == z and z.blatt == "*"
    assert main(["import", str(atlas), "--db", str(stadt_db), "--zuordnung", str(yaml_datei),
                 "--veroeffentlichen"]) == 0
    assert "Übernommen als Lieferung" in capsys.readouterr().out
    with Store.open(stadt_db, read_only=True) as store:
        assert len(store.lade_werte(["anteil_u18"])) == 5 * 13
    # the next file of the source with the same header is mapped as saved – in the CLI as in the app
    main(["import", str(atlas), "--db", str(stadt_db), "--blatt", "*", "--nur-pruefen"])   # (the same file again)
    assert "Gespeicherte Zuordnung der Quelle „atlas“ wird verwendet" in capsys.readouterr().out


# --------------------------------------------------------------------------- real data of another city

@pytest.mark.langsam
def test_berlin_set_up_as_a_new_city_from_the_official_files(tmp_path, capsys):
    """The assistant on the official LOR 2021 Shapefile, then the MSS 2021 export as it comes from the
    WFS (ZEIT = 202012, ids with leading zeros, a name column): the id/name check finds the two
    Wittenau Planungsräume whose names are swapped between the WFS export and the geometry."""
    from tests.echtdaten import OHNE_ECHTDATEN, REAL
    if not REAL.exists():
        pytest.skip(OHNE_ECHTDATEN)
    shp = REAL / "berlin-lor-geometrie" / "plr_2021" / "lor_planungsraeume_2021.shp"
    ziel = tmp_path / "berlin"
    assert main(["neue-stadt", str(shp), "--name", "Berlin", "--land", "Berlin", "--kennung", "PLR_ID",
                 "--name-spalte", "PLR_NAME", "--ebene", "Planungsraum", "--ebene-plural", "Planungsräume",
                 "--ober-spalte", "BEZ", "--ober-ebene", "Bezirk", "--ober-ebene-plural", "Bezirke",
                 "--gesamt", "Land Berlin", "--ziel", str(ziel)]) == 0
    assert "542 Planungsräume, 12 Bezirke" in capsys.readouterr().out
    mss = REAL / "berlin-mss" / "mss2021_wfs" / "mss_2021_index_indikatoren.csv"
    with Store.open(ziel / "fis.duckdb") as store:
        assert store.lade_raeume().groupby("ebene").size().to_dict() == {1: 542, 2: 12, 3: 1}
        tabelle = lies_tabelle(mss.read_bytes(), mss.name)
        z = zuordnung_import.vorschlag(tabelle, store.lade_indikatoren(), store.lade_raeume())
        assert (z.raum, z.raum_name, z.stichtag) == ("PLR_ID", "PLR_NAME", "ZEIT")
        with pytest.raises(ImportFehler, match="Keine Spalte ließ sich einem Indikator"):
            werte_import.vorbereiten(store, tabelle, z)          # English/short headers: the user maps them
        z = zuordnung_import.Zuordnung.aus_dict({**z.als_dict(), "fehlwerte": ["-9999"], "spalten": {
            "bev_gesamt": {"wert": "EW"}, "alq": {"wert": "S1"}, "kinderarmut": {"wert": "S4"}}})
        v = werte_import.vorbereiten(store, tabelle, z)
        fehler = {p.pruefung: p.meldung for p in v.bericht.fehler}
        assert set(fehler) == {"Kennung und Name widersprechen sich"}
        assert "12500926: „Wittenau Mitte“ in der Datei, „Wittenau Süd“ laut Raumgliederung" in fehler[
            "Kennung und Name widersprechen sich"]
        # without the name check the delivery is fine: 31.12.2020 from ZEIT = 202012
        v = werte_import.vorbereiten(store, tabelle, zuordnung_import.Zuordnung.aus_dict(
            {**z.als_dict(), "raum_name": None}))
        assert v.bericht.ok, v.bericht.als_text()
        assert set(v.werte["stichtag"]) == {date(2020, 12, 31)}
        assert v.werte["raum_id"].nunique() == 541          # Pankower Tor has no EW and only -9999


def test_stichtage_as_statistics_offices_write_them():
    from fis.ingest.zahlen import parse_datum
    werte = pd.Series(["202012", "2020-12", "12/2020", "6.2021", "31.12.2020", "2020", "202013", "46022"])
    tage, ungueltig, _ = parse_datum(werte)
    assert [d.strftime("%d.%m.%Y") if pd.notna(d) else None for d in tage] == [
        "31.12.2020", "31.12.2020", "31.12.2020", "30.06.2021", "31.12.2020", "31.12.2020", None, None]
    assert ungueltig.tolist() == [False] * 6 + [True, True]

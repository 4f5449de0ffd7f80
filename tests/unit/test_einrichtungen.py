"""Angebot und Bedarf (#24): the facility register, Versorgungsgrade and gaps, computed by hand on a
small city with a scheme change, and on the demo.

The small city: Bezirk 01 with Sozialräume 0101 and 0102, Bezirk 02 with 0201, which is split into
0203 (west) and 0204 (east) on 1.1.2019. Children under 3 (the Nenner of kita_u3):

    Stichtag     0101  0102  0201  0203  0204
    31.12.2018     50    40    60
    31.12.2019     50    40          25    35

Facilities (U3 places): K1 in 0101 (10), K2 in the east of 0201 = 0204 (20, opened 2015), K3 in 0102
(8, closed 30.06.2019), F4 without coordinates in 0101 (5, a Familienzentrum), S5 a Seniorentreff.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pytest
import shapely

from fis import versorgung as vs
from fis.ingest import einrichtungen as einr
from fis.ingest.katalog import aus_config
from fis.ingest.lesen import ImportFehler
from fis.ingest.lieferungen import veroeffentlichen, zuruecknahme_aufheben, zuruecknehmen
from fis.monitoring import lade_aggregat
from fis.store import Lieferung, Store
from fis.wuerfel import lade_monitoring

T18, T19 = date(2018, 12, 31), date(2019, 12, 31)
SPLIT = date(2019, 1, 1)
KOPF = ("einrichtung_id;typ;name;traeger;adresse;lon;lat;raum_id;eroeffnet;geschlossen;plaetze_u3;plaetze_ue3;"
        "oeffnungsstunden\n")
REGISTER = KOPF + (
    "K1;kita;Kita Eins;AWO;Lindenstraße 1;7,005;51,005;;01.08.2010;;10;40;\n"
    "K2;kita;Kita Zwei;Stadt;Parkstraße 2;7,015;51,015;;2015;;20;50;\n"
    "K3;kita;Kita Drei;Caritas;Kirchweg 3;7,015;51,005;;1990;30.06.2019;8;30;\n"
    "F4;familienzentrum;Familienzentrum Vier;Diakonie;;;;0101;2000;;5;20;\n"
    "S5;seniorentreff;Seniorentreff Fünf;;;7,012;51,008;;1985;;;;20\n")


def _geo(box) -> str:
    return json.dumps(json.loads(shapely.to_geojson(shapely.box(*box))))


def _lieferung(store: Store, art: str, name: str) -> int:
    lid = store.insert_lieferung(Lieferung(art=art, bezeichnung=name, benutzer="test", zeitpunkt=datetime(2020, 1, 1)))
    store.set_lieferung_veroeffentlicht(lid, "test")
    return lid


def _raum(raum_id, von, bis, ebene, name, parent, box) -> dict:
    return {"raum_id": raum_id, "gueltig_von": von, "gueltig_bis": bis, "ebene": ebene, "name": name,
            "parent_id": parent, "geometrie": _geo(box), "flaeche_km2": 1.0}


@pytest.fixture
def klein(tmp_path, config) -> Store:
    store = Store.open(tmp_path / "klein.duckdb")
    start = date(2012, 1, 1)
    with store.transaction():
        lid = _lieferung(store, "raeume", "Zuschnitt 2012")
        store.insert_raeume(pd.DataFrame([
            _raum("00", start, None, 3, "Kleinstadt", None, (7.00, 51.00, 7.02, 51.02)),
            _raum("01", start, None, 2, "Süd", "00", (7.00, 51.00, 7.02, 51.01)),
            _raum("02", start, None, 2, "Nord", "00", (7.00, 51.01, 7.02, 51.02)),
            _raum("0101", start, None, 1, "Südwest", "01", (7.00, 51.00, 7.01, 51.01)),
            _raum("0102", start, None, 1, "Südost", "01", (7.01, 51.00, 7.02, 51.01)),
            _raum("0201", start, date(2018, 12, 31), 1, "Nordfeld", "02", (7.00, 51.01, 7.02, 51.02)),
        ]).assign(lieferung_id=lid))
        lid = _lieferung(store, "raeume", "Teilung 2019")
        store.insert_raeume(pd.DataFrame([
            _raum("0203", SPLIT, None, 1, "Nordfeld-West", "02", (7.00, 51.01, 7.01, 51.02)),
            _raum("0204", SPLIT, None, 1, "Nordfeld-Ost", "02", (7.01, 51.01, 7.02, 51.02)),
        ]).assign(lieferung_id=lid))
        lid = _lieferung(store, "katalog", "Katalog")
        store.upsert_indikatoren(aus_config(config).assign(lieferung_id=lid))
        zeilen = []
        for tag, kinder in ((T18, {"0101": 50, "0102": 40, "0201": 60}),
                            (T19, {"0101": 50, "0102": 40, "0203": 25, "0204": 35})):
            for raum, n in kinder.items():
                zeilen.append((raum, "kita_u3", tag, 30.0, 0.3 * n, float(n)))
                zeilen.append((raum, "bev_gesamt", tag, 2000.0, 2000.0, None))
        lid = _lieferung(store, "werte", "Bevölkerung")
        store.insert_werte(pd.DataFrame(zeilen, columns=["raum_id", "indikator_id", "stichtag", "wert", "zaehler",
                                                         "nenner"]).assign(status="endgültig", lieferung_id=lid))
    yield store
    store.close()


def _register(store, config, text: str = REGISTER, name: str = "register.csv") -> int:
    v = einr.vorbereiten(store, config, text.encode("utf-8"), name)
    assert v.bericht.ok, v.bericht.als_text()
    return einr.uebernehmen(store, v, "p.planer", config)


def _werte(store, ind="versorgung_u3") -> pd.DataFrame:
    w = store.lade_werte([ind])
    return w.assign(stichtag=pd.to_datetime(w["stichtag"]).dt.date).set_index(["raum_id", "stichtag"])


def test_supply_by_hand_across_a_scheme_change_and_a_closing(klein, config):
    _register(klein, config)
    w = _werte(klein)
    # 31.12.2018: K1 + F4 (no coordinates, given area) in 0101, K3 in 0102, K2 in the unsplit 0201
    assert w.loc[("0101", T18), ["zaehler", "nenner"]].tolist() == [15.0, 50.0]
    assert w.loc[("0101", T18), "wert"] == pytest.approx(30.0)
    assert w.loc[("0102", T18), "wert"] == pytest.approx(20.0)
    assert w.loc[("0201", T18), "wert"] == pytest.approx(100 * 20 / 60)
    # 31.12.2019: K3 closed on 30.06.2019, K2 lies in the eastern part 0204
    assert w.loc[("0102", T19), ["zaehler", "wert"]].tolist() == [0.0, 0.0]
    assert w.loc[("0203", T19), "zaehler"] == 0.0
    assert w.loc[("0204", T19), "wert"] == pytest.approx(100 * 20 / 35)
    # the Bezirk aggregated as Σ places / Σ children
    a = lade_aggregat(klein, config, ["versorgung_u3"]).werte
    assert set(a["indikator_id"]) == {"versorgung_u3", "bev_gesamt"}     # the population for its rule
    a = a[a["indikator_id"] == "versorgung_u3"].set_index(["raum_id", "stichtag"])
    assert a.loc[("01", T18), "wert"] == pytest.approx(100 * 23 / 90)
    assert a.loc[("02", T19), "wert"] == pytest.approx(100 * 20 / 60)
    assert a.loc[("00", T18), "wert"] == pytest.approx(100 * 43 / 150)


def test_gap_to_the_richtwert_in_places(klein, config):
    _register(klein, config)
    m = lade_monitoring(klein, config, ["versorgung_u3"])
    l1 = vs.luecken(m, config, "versorgung_u3", T18, 1).set_index("raum_id")
    # Richtwert 45 per 100: 0101 needs ⌈22,5⌉ − 15 = 8, 0102 ⌈18⌉ − 8 = 10, 0201 ⌈27⌉ − 20 = 7
    assert l1["luecke"].to_dict() == {"0102": 10.0, "0101": 8.0, "0201": 7.0}
    assert list(l1.index) == ["0102", "0101", "0201"]                     # largest gap first
    l2 = vs.luecken(m, config, "versorgung_u3", T18, 2).set_index("raum_id")
    assert l2.at["01", "luecke"] == 18.0                                  # ⌈40,5⌉ − 23
    assert vs.luecke(50.0, 100.0, 45.0, 100.0) == 0.0 and vs.luecke_text(0.0) == "Richtwert erreicht"
    assert vs.luecke_text(18.0) == "es fehlen 18 Plätze"


def test_the_facilities_of_an_area_and_its_bezirk(klein, config):
    _register(klein, config)
    e18 = vs.einrichtungen(klein, config, T18)
    assert sorted(e18["einrichtung_id"]) == ["F4", "K1", "K2", "K3", "S5"]
    assert e18.set_index("einrichtung_id")["raum_id"].to_dict() == {
        "F4": "0101", "K1": "0101", "K2": "0201", "K3": "0102", "S5": "0102"}
    e19 = vs.einrichtungen(klein, config, T19).set_index("einrichtung_id")
    assert "K3" not in e19.index and e19.at["K2", "raum_id"] == "0204"
    m = lade_monitoring(klein, config, ["versorgung_u3"])
    assert vs.sozialraeume_unter(m.raeume, "02", T19) == ["0203", "0204"]
    assert vs.sozialraeume_unter(m.raeume, "00", T18) == ["0101", "0102", "0201"]
    assert e18.set_index("einrichtung_id").at["K1", "kapazitaet_text"] == "10 Plätze U3 · 40 Plätze Ü3"


def test_rollback_partial_delivery_and_publication(klein, config):
    lid1 = _register(klein, config)
    # a partial delivery: only K1 changes (more places); the others stay as they were
    lid2 = _register(klein, config, KOPF + "K1;kita;Kita Eins;AWO;Lindenstraße 1;7,005;51,005;;01.08.2010;;25;40;\n",
                     "k1.csv")
    assert _werte(klein).loc[("0101", T18), "zaehler"] == 30.0            # 25 + 5
    assert len(vs.einrichtungen(klein, config, T18)) == 5
    # neither register delivery is published yet: the public sees no facility and no place
    oeffentlich = klein.cursor(nur_veroeffentlicht=True)
    assert oeffentlich.lade_einrichtungen().empty
    assert _werte(oeffentlich).empty              # children published, no register yet: no figures (not 0)
    veroeffentlichen(klein, lid1, "p.planer")
    assert _werte(oeffentlich).loc[("0101", T18), "zaehler"] == 15.0    # the published register, not K1's change
    zuruecknehmen(klein, lid2, "p.planer")
    assert _werte(klein).loc[("0101", T18), "zaehler"] == 15.0
    zuruecknahme_aufheben(klein, lid2, "p.planer")
    assert _werte(klein).loc[("0101", T18), "zaehler"] == 30.0


def test_a_later_boundary_delivery_places_the_stored_facilities(klein, config, tmp_path):
    """A new scheme from 2020 (0101 and 0102 merged into 0105) is delivered after the register."""
    from fis.ingest import raeume as raeume_import
    _register(klein, config)
    datei = tmp_path / "neu.geojson"
    datei.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "0105", "name": "Süd", "bezirk": "01"},
         "geometry": json.loads(shapely.to_geojson(shapely.box(7.00, 51.00, 7.02, 51.01)))}]}), encoding="utf-8")
    z = raeume_import.RaumZuordnung(kennung="id", name="name", ebene=1, gueltig_von=date(2020, 1, 1),
                                    parent_spalte="bezirk")
    v = raeume_import.vorbereiten(klein, datei.read_bytes(), "neu.geojson", z, 3, "Kleinstadt")
    raeume_import.uebernehmen(klein, v, "p.planer")
    t20 = date(2020, 12, 31)
    lage = klein.lade_einrichtung_raeume(t20).set_index("einrichtung_id")["raum_id"]
    assert lage["K1"] == "0105" and lage["S5"] == "0105"


def test_values_of_a_computed_indicator_cannot_be_delivered_twice(klein, config):
    """A delivered value for a supply indicator does not mix with the computed one: one value per key."""
    _register(klein, config)
    with klein.transaction():
        lid = _lieferung(klein, "werte", "versehentlich")
        klein.insert_werte(pd.DataFrame([("0101", "versorgung_u3", T18, 99.0, 99.0, 100.0)], columns=[
            "raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner"]).assign(
            status="endgültig", lieferung_id=lid))
    w = klein.lade_werte(["versorgung_u3"], [T18], ["0101"])
    assert len(w) == 1 and w["wert"].iloc[0] == pytest.approx(30.0)


@pytest.mark.parametrize(("text", "meldung"), [
    (KOPF + "K9;kita;X;;;7,005;51,005;;;;zehn;;\n", "keine Zahl"),
    (KOPF + "K9;hort;X;;;7,005;51,005;;;;1;;\n", "Unbekannter Typ"),
    (KOPF + "K9;kita;X;;;8,5;50,1;;;;1;;\n", "außerhalb des Stadtgebiets"),
    (KOPF + "K9;kita;X;;;;;0999;;;1;;\n", "Sozialraum, den die Raumgliederung nicht kennt"),
    (KOPF + "K9;kita;X;;;7,005;51,005;;2020;2019;1;;\n", "vor oder an ihrem Eröffnungsdatum"),
])
def test_bad_register_rows_are_named_and_nothing_is_written(klein, config, text, meldung):
    vorher = klein.content_hash()
    v = einr.vorbereiten(klein, config, text.encode("utf-8"), "schlecht.csv")
    assert not v.uebernehmbar and meldung in v.bericht.als_text()
    with pytest.raises(ImportFehler):
        einr.uebernehmen(klein, v, "p.planer", config)
    assert klein.content_hash() == vorher


def test_duplicates_and_projected_coordinates(klein, config):
    from pyproj import Transformer
    x, y = Transformer.from_crs(4326, 25832, always_xy=True).transform(7.005, 51.005)
    text = KOPF + (f"K1;kita;Kita Eins;AWO;Lindenstraße 1;{x:.1f};{y:.1f};;;;10;;\n"
                   f"K7;kita;Kita Eins;AWO;Lindenstraße 1;{x + 500:.1f};{y:.1f};;;;10;;\n")
    v = einr.vorbereiten(klein, config, text.replace(".", ",").encode("utf-8"), "utm.csv")
    text_bericht = v.bericht.als_text()
    assert "Mögliche Dublette" in text_bericht and "UTM zone 32N" in text_bericht, text_bericht
    assert v.einrichtungen.set_index("einrichtung_id").at["K1", "lon"] == pytest.approx(7.005, abs=1e-6)


def test_catchment_share_by_hand():
    """One facility in the middle of a 2 km × 2 km area with 100 people: a 500 m circle covers
    π·0,25 km² of 4 km² — about 19,6 % of the people (people spread evenly, as stated)."""
    from pyproj import Transformer
    t = Transformer.from_crs(25832, 4326, always_xy=True)
    (x0, x1), (y0, y1) = t.transform([400_000, 402_000], [5_700_000, 5_702_000])
    flaeche = shapely.box(x0, y0, x1, y1)
    mx, my = t.transform(401_000, 5_701_000)
    e = pd.DataFrame({"lon": [mx], "lat": [my]})
    eb = vs.einzugsbereich(e, pd.Series({"A": flaeche}), pd.Series({"A": 100.0}), 500)
    assert eb.anteil == pytest.approx(3.14159 * 0.25 / 4, rel=0.01)


def test_demo_register_has_history_and_coincides_with_handlungsbedarf(demo, config, m):
    from fis.lagebild import berechne_lagebild
    e = demo.lade_einrichtungen()
    assert len(e) >= 150 and e["typ"].nunique() >= 6
    assert e["geschlossen"].notna().sum() >= 5 and (pd.to_datetime(e["eroeffnet"]).dt.year >= 2013).sum() >= 20
    t = date(2024, 12, 31)
    lu = vs.luecken(m, config, "versorgung_u3", t, 1)
    bedarf = set(berechne_lagebild(demo, config, t, 1, m).handlungsbedarf["raum_id"])
    schlechteste = set(lu.dropna(subset=["luecke"]).head(10)["raum_id"])
    assert len(schlechteste & bedarf) >= 3, (schlechteste, bedarf)
    # the city figure by hand from the area values: Σ places / Σ children
    w = demo.lade_werte(["versorgung_u3"], [t])
    stadt = m.auswahl("versorgung_u3", t, 3)
    assert float(stadt["wert"].iloc[0]) == pytest.approx(100 * w["zaehler"].sum() / w["nenner"].sum())


def test_a_goal_may_target_a_versorgungsgrad(demo, config, m):
    """„Die U3-Versorgung der Gesamtstadt erreicht 45 Plätze je 100 Kinder“: the base value is the city's
    Versorgungsgrad of the base year, as the monitoring shows it."""
    from fis.ziele import bezugsdaten, pruefen
    spec = [{"id": "V1", "titel": "Die U3-Versorgung erreicht den Richtwert", "zielfeld": "Programm/Produkt",
             "zielebene": "Leitziel", "kennzahl": {"indikator": "versorgung_u3", "raum": "00"}, "basisjahr": 2020,
             "zielwert": 45.0, "zieldatum": "2028-12-31", "richtung": "steigern", "toleranz": 1.0}]
    ziel = pruefen(spec, bezugsdaten(demo, config)).iloc[0]
    stadt = m.auswahl("versorgung_u3", date(2020, 12, 31), 3)["wert"].iloc[0]
    assert ziel["basiswert"] == pytest.approx(round(stadt, 1)) and 25 < stadt < 45     # catalog: 1 decimal


def test_geojson_in_utm_and_xlsx_deliveries(klein, config, tmp_path):
    """The same register as GeoJSON in ETRS89/UTM 32N (reprojected to WGS84) and as an Excel workbook."""
    import io

    import geopandas as gpd
    import xlsxwriter

    punkte = gpd.GeoDataFrame(
        {"id": ["K1", "K2"], "typ": ["Kindertageseinrichtung", "kita"], "name": ["Kita Eins", "Kita Zwei"],
         "plaetze_u3": [10, 20], "eroeffnet": ["01.08.2010", "2015"]},
        geometry=gpd.points_from_xy([7.005, 7.015], [51.005, 51.015]), crs=4326).to_crs(25832)
    v = einr.vorbereiten(klein, config, punkte.to_json(to_wgs84=False).encode(), "kitas.geojson")
    assert v.bericht.ok, v.bericht.als_text()
    e = v.einrichtungen.set_index("einrichtung_id")
    assert e.at["K2", "lon"] == pytest.approx(7.015, abs=1e-6) and e.at["K2", "lat"] == pytest.approx(51.015, abs=1e-6)
    assert e.at["K1", "typ"] == "kita"                              # the type's name is understood too
    einr.uebernehmen(klein, v, "p.planer", config)
    assert _werte(klein).loc[("0204", T19), "zaehler"] == 20.0

    puffer = io.BytesIO()
    mappe = xlsxwriter.Workbook(puffer)
    blatt = mappe.add_worksheet("Register")
    for i, zeile in enumerate([["Einrichtung", "Typ", "Bezeichnung", "Träger", "Länge", "Breite", "Plätze U3"],
                               ["K3", "kita", "Kita Drei", "Caritas", 7.015, 51.005, 8]]):
        blatt.write_row(i, 0, zeile)
    mappe.close()
    v = einr.vorbereiten(klein, config, puffer.getvalue(), "register.xlsx")
    assert v.bericht.ok, v.bericht.als_text()
    assert v.kapazitaeten.set_index("einrichtung_id").at["K3", "wert"] == 8.0
    assert v.einrichtungen.set_index("einrichtung_id").at["K3", "traeger"] == "Caritas"


def test_no_facility_of_the_types_no_figures(klein, config):
    """A register with only a Seniorentreff says nothing about Kita places: no U3 figures rather than 0."""
    _register(klein, config, KOPF + "S5;seniorentreff;Seniorentreff Fünf;;;7,012;51,008;;1985;;;;20\n")
    assert klein.lade_werte(["versorgung_u3"]).empty
    _register(klein, config, KOPF + "K1;kita;Kita Eins;AWO;;7,005;51,005;;2010;;10;40;\n", "k1.csv")
    w = _werte(klein)
    assert w.loc[("0101", T18), "zaehler"] == 10.0 and w.loc[("0102", T18), "zaehler"] == 0.0


def test_a_redelivered_register_changes_only_what_changed(klein, config):
    """The whole register again with one new name: one change, the rest unchanged (empty closing dates too)."""
    _register(klein, config)
    v = einr.vorbereiten(klein, config, REGISTER.replace("Kita Zwei", "Kita Zwei am Park").encode(), "wieder.csv")
    assert v.vergleich.set_index("einrichtung_id")["art"].to_dict() == {
        "K1": "unverändert", "K2": "geändert", "K3": "unverändert", "F4": "unverändert", "S5": "unverändert"}
    assert list(v.einrichtungen["einrichtung_id"]) == ["K2"]


def test_a_value_delivery_for_a_versorgungsgrad_is_refused(klein, config):
    """Places come with the register: a value file with a Versorgungsgrad column says so and writes nothing."""
    from fis.ingest import werte as werte_import
    from fis.ingest import zuordnung as zuordnung_import
    from fis.ingest.lesen import lies_tabelle
    _register(klein, config)
    vorher = klein.content_hash()
    tabelle = lies_tabelle(b"raum;indikator;stichtag;wert\n0101;versorgung_u3;31.12.2018;50\n", "v.csv")
    v = werte_import.vorbereiten(klein, tabelle, zuordnung_import.vorschlag(tabelle, klein.lade_indikatoren()))
    assert not v.uebernehmbar and "aus dem Einrichtungsregister und der Zielgruppe berechnet" in v.bericht.als_text()
    assert klein.content_hash() == vorher

"""Goals from YAML and Excel: every problem named in German, nothing written on errors,
changes audited with before and after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fis import ziele
from fis.store import Store
from tests.daten.erzeuge_schlechte_dateien import _xlsx

ROOT = Path(__file__).resolve().parents[2]

NEU = {"id": "Z1", "titel": "Die Kinderarmut im Bezirk Mitte sinkt um 2 Prozentpunkte", "zielfeld": "Ergebnis/Wirkung",
       "zielebene": "Teilziel", "parent": "K1", "kennzahl": {"indikator": "kinderarmut", "raum": "01"},
       "basisjahr": 2022, "zielwert_delta": -2.0, "zieldatum": "2028-12-31", "richtung": "senken",
       "toleranz": 0.5, "verantwortlich": "Jugendamt"}


def _yaml(*specs) -> bytes:
    return yaml.safe_dump({"ziele": list(specs)}, allow_unicode=True).encode()


def test_a_new_goal_gets_its_base_from_the_ist_and_is_audited(demo_copy):
    with Store.open(demo_copy) as store:
        bezug = ziele.bezugsdaten(store)
        frame = ziele.pruefen(ziele.einlesen(_yaml(NEU), "ziele.yaml"), bezug)
        ist = bezug.indikator_ist
        basis = ist[(ist["indikator_id"] == "kinderarmut") & (ist["raum_id"] == "01") & (ist["jahr"] == 2022)]["wert"]
        assert frame.at[0, "basiswert"] == round(float(basis.iloc[0]), 1)
        assert frame.at[0, "zielwert"] == pytest.approx(round(frame.at[0, "basiswert"] - 2.0, 1))
        assert ziele.uebernehmen(store, frame, "planerin", "Test") == {"neu": 1, "geaendert": 0, "unveraendert": 0}
        assert ziele.uebernehmen(store, frame, "planerin", "Test") == {"neu": 0, "geaendert": 0, "unveraendert": 1}
        geaendert = frame.assign(toleranz=0.3)
        assert ziele.uebernehmen(store, geaendert, "planer", "Test")["geaendert"] == 1
        audit = store.lade_audit()
        letzte = audit[audit["objekt_id"] == "Z1"]
        assert list(letzte["aktion"]) == ["ziel_angelegt", "ziel_geaendert"]
        assert json.loads(letzte["details"].iloc[-1]) == {"toleranz": {"vorher": 0.5, "nachher": 0.3}}
        assert store.lade_ziele().set_index("ziel_id").at["Z1", "toleranz"] == 0.3
        # explicit annual Soll values replace the straight path and are audited too
        mit_soll = ziele.pruefen([{**NEU, "toleranz": 0.3, "soll": {2025: 20.0, 2026: 19.5}}], ziele.bezugsdaten(store))
        assert ziele.uebernehmen(store, mit_soll, "planer", "Test")["geaendert"] == 1
        assert store.lade_ziel_soll().query("ziel_id == 'Z1'")["soll"].tolist() == [20.0, 19.5]
        assert json.loads(store.lade_audit()["details"].iloc[-1]) == {
            "soll": {"vorher": {}, "nachher": {"2025": 20.0, "2026": 19.5}}}


def test_every_problem_is_named_and_nothing_is_written(demo_copy):
    schlecht = [
        {**NEU, "id": "Z2", "zielfeld": "Wirkung", "parent": "X9"},
        {**NEU, "id": "Z3", "kennzahl": {"indikator": "gibtsnicht", "raum": "01"}, "zieldatum": "Ende 2028"},
        {**NEU, "id": "Z4", "richtung": "halbieren", "kennzahl": {"produktkennzahl": "nix"}, "produkt": "99.99"},
        {**NEU, "id": "Z4"},
        {"titel": "ohne Kennung"},
    ]
    with Store.open(demo_copy) as store:
        vorher = len(store.lade_ziele())
        with pytest.raises(ziele.ZielFehler) as info:
            ziele.pruefen(ziele.einlesen(_yaml(*schlecht), "z.yaml"), ziele.bezugsdaten(store))
        assert len(store.lade_ziele()) == vorher
    f = info.value.fehler
    assert "Ziel Z2: Zielfeld „Wirkung“ gibt es nicht; erlaubt: Ergebnis/Wirkung, Programm/Produkt, " \
           "Prozess/Struktur, Ressourcen." in f
    assert "Ziel Z2: übergeordnetes Ziel „X9“ ist unbekannt." in f
    assert "Ziel Z3: Indikator „gibtsnicht“ steht nicht im Katalog." in f
    assert "Ziel Z3: „Ende 2028“ ist kein Datum (erwartet z. B. 2026-12-31)." in f
    assert "Ziel Z4: Richtung „halbieren“ gibt es nicht; erlaubt: steigern, senken, halten." in f
    assert "Ziel Z4: Produktkennzahl „nix“ ist unbekannt." in f
    assert "Ziel Z4: Produkt „99.99“ ist nicht im Produkthaushalt." in f
    assert "Ziel Z4: die Kennung kommt mehrfach vor." in f
    assert "Ziel Nr. 5: „id“ fehlt." in f


@pytest.mark.parametrize(("inhalt", "name", "meldung"), [
    (b"ziele: [1, 2", "a.yaml", "kein gültiges YAML"),
    (b"- id: x", "a.yaml", "Liste unter dem Schlüssel „ziele:“"),
    (b"\xff\xfe kaputt", "a.yaml", "kein gültiges YAML in UTF-8"),
    (b"PK\x03\x04 kein Excel", "a.xlsx", "kein gültiges Excel-Dokument"),
    (b"id;titel", "a.csv", "als YAML .* oder Excel"),
])
def test_unreadable_files_get_a_german_message(inhalt, name, meldung):
    with pytest.raises(ziele.ZielFehler, match=meldung):
        ziele.einlesen(inhalt, name)


def test_excel_rows_are_read_like_yaml(demo):
    zeile = {"id": "Z9", "titel": "Wartezeit Wohngeld unter 5 Wochen", "zielfeld": "Prozess/Struktur",
             "zielebene": "Produktziel", "produktkennzahl": "wg_dauer", "basisjahr": 2023, "zielwert": 5,
             "zieldatum": "2027-12-31", "richtung": "senken", "toleranz": 0.5,
             "beschlossen_von": "Sozialausschuss", "beschlossen_am": "2024-03-01", "soll_2025": 6.5}
    specs = ziele.einlesen(_xlsx([list(zeile), list(zeile.values())]), "ziele.xlsx")
    assert specs[0]["kennzahl"] == {"produktkennzahl": "wg_dauer"}
    frame = ziele.pruefen(specs, ziele.bezugsdaten(demo))
    assert frame.at[0, "kennzahl_art"] == "produktkennzahl" and frame.at[0, "einheit"] == "Wochen"
    assert frame.at[0, "beschlossen_von"] == "Sozialausschuss"
    assert frame.at[0, "_soll"] == {2025: 6.5}
    with pytest.raises(ziele.ZielFehler, match="unbekannte Spalten farbe"):
        ziele.einlesen(_xlsx([[*zeile, "farbe"], [*zeile.values(), "rot"]]), "ziele.xlsx")


def test_the_demo_goals_load_through_the_same_path(demo):
    spec = yaml.safe_load((ROOT / "fis" / "demo" / "ziele.yaml").read_text(encoding="utf-8"))["ziele"]
    frame = ziele.pruefen(spec, ziele.bezugsdaten(demo)).set_index("ziel_id")
    h1 = frame.loc["H1"]
    assert (h1["basiswert"], h1["zielwert"], h1["toleranz"]) == (0.30, 0.20, 0.01)
    assert frame.at["F4", "zielwert"] == pytest.approx(round(frame.at["F4", "basiswert"] * 0.9, 3))


@pytest.mark.langsam
def test_cli_imports_goals_and_refuses_a_bad_file(demo_copy, tmp_path):
    gut, schlecht = tmp_path / "gut.yaml", tmp_path / "schlecht.yaml"
    gut.write_bytes(_yaml(NEU))
    schlecht.write_bytes(_yaml({**NEU, "zielfeld": "Wirkung"}))
    r = subprocess.run([sys.executable, "-m", "fis", "ziele", str(schlecht), "--db", str(demo_copy)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1 and "Zielfeld „Wirkung“ gibt es nicht" in r.stderr
    assert "Es wurde nichts gespeichert." in r.stderr
    r = subprocess.run([sys.executable, "-m", "fis", "ziele", str(gut), "--db", str(demo_copy), "--benutzer", "cli"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Übernommen: 1 neu, 0 geändert, 0 unverändert." in r.stdout


def test_a_goal_file_with_mistakes_is_refused_before_the_monitoring_is_computed(demo, monkeypatch):
    """The checks need no Ist value: a bad file costs milliseconds, not a climb over every level."""
    def nicht_rechnen(*args, **kwargs):
        raise AssertionError("Monitoring gerechnet")
    monkeypatch.setattr(ziele, "aggregate_levels", nicht_rechnen)
    spec = {"id": "Z1", "titel": "t", "zielfeld": "Ergebnis/Wirkung", "zielebene": "Teilziel", "richtung": "quer",
            "kennzahl": {"indikator": "kinderarmut", "raum": "01"}, "basisjahr": 2022, "zielwert": 10}
    with pytest.raises(ziele.ZielFehler) as exc:
        ziele.pruefen([spec], ziele.bezugsdaten(demo))
    assert exc.value.fehler == ["Ziel Z1: Richtung „quer“ gibt es nicht; erlaubt: steigern, senken, halten."]

"""Configuration: the shipped files load; every mistake gives a precise German error."""

from __future__ import annotations

import shutil
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from fis.config import FILES, ConfigError
from fis.config_lesen import lade_konfiguration

CONFIG = Path(__file__).resolve().parents[2] / "config"


def test_the_shipped_configuration_loads_with_the_koeln_indicator_model(config):
    ids = {i.id for i in config.katalog.indikatoren}
    assert len(ids) >= 30
    assert len({i.handlungsfeld for i in config.katalog.indikatoren}) >= 7
    koeln = {"kinderarmut", "kita_beitragsfrei", "alq_u25", "migration_u21", "alleinerziehende",
             "kita_u3", "kita_3_6", "ogs_quote", "haupt_foerderschueler", "hze_quote"}
    assert koeln <= ids
    assert [e.name for e in config.stadt.raumebenen] == ["Sozialraum", "Stadtbezirk", "Gesamtstadt"]


def _broken(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    text = (target / filename).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {filename}"
    (target / filename).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("filename, old, new, expected", [
    ("stadt.yaml", "name: Musterstadt", "name: Musterstadt\nfarbe: blau",
     ["stadt.yaml, Zeile 3", "„farbe“", "unbekannter Schlüssel", "Erlaubt sind: name, land"]),
    ("stadt.yaml", "geheimhaltung_standard: 3", "geheimhaltung_standard: drei",
     ["stadt.yaml, Zeile 16", "„geheimhaltung_standard“", "ganze Zahl", "„drei“"]),
    ("stadt.yaml", "land: Nordrhein-Westfalen\n", "",
     ["stadt.yaml", "„land“", "Pflichtangabe fehlt", "Bundesland"]),
    ("indikatoren.yaml", "polaritaet: hoch_schlecht", "polaritaet: schlecht",
     ["indikatoren.yaml", "indikatoren[6].polaritaet", "„schlecht“ ist nicht erlaubt", "„hoch_gut“"]),
    ("indikatoren.yaml", "  - id: anteil_u18", "  - id: bev_gesamt",
     ["indikatoren.yaml", "doppelt", "bev_gesamt"]),
    ("lagebild.yaml", "  - kita_u3", "  - kita_u2",
     ["lagebild.yaml", "„kennzahlen“", "kita_u2"]),
    ("lagebild.yaml", "mindestanzahl: 3", "mindestanzahl: 9",
     ["lagebild.yaml", "mindestanzahl", "zwischen 1 und"]),
    ("stadt.yaml", "raumebenen:", "raumebenen: [",
     ["stadt.yaml, Zeile", "kein gültiges YAML"]),
    ("stadt.yaml", "  - ebene: 3", "  - ebene: 4",
     ["stadt.yaml", "„raumebenen“", "lückenlos"]),
])
def test_a_config_mistake_names_file_line_key_and_fix(tmp_path, filename, old, new, expected):
    with pytest.raises(ConfigError) as info:
        lade_konfiguration(_broken(tmp_path, filename, old, new))
    for part in expected:
        assert part in str(info.value)


def test_a_missing_file_is_named(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    (target / "lagebild.yaml").unlink()
    with pytest.raises(ConfigError, match="lagebild.yaml: Datei fehlt"):
        lade_konfiguration(target)


def _all_dataclasses(cls, seen=None):
    seen = seen if seen is not None else set()
    if cls in seen:
        return seen
    seen.add(cls)
    for f in fields(cls):
        for tp in (typing.get_type_hints(cls)[f.name], *typing.get_args(typing.get_type_hints(cls)[f.name])):
            if is_dataclass(tp):
                _all_dataclasses(tp, seen)
    return seen


def test_every_config_field_has_a_help_text_and_is_documented_in_the_readme():
    readme = (CONFIG.parent / "README.md").read_text(encoding="utf-8")
    classes = set().union(*(_all_dataclasses(cls) for cls in FILES.values()))
    for cls in classes:
        for f in fields(cls):
            assert f.metadata.get("hilfe"), f"{cls.__name__}.{f.name} has no help text"
            assert f"`{f.name}`" in readme, f"{cls.__name__}.{f.name} is not documented in README.md"


def test_a_changed_file_is_read_again_even_within_the_same_second(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    erst = lade_konfiguration(target)
    assert lade_konfiguration(target) is erst                      # unchanged: the configuration already loaded
    stadt = target / "stadt.yaml"
    text = stadt.read_text(encoding="utf-8")
    wert = erst.stadt.geheimhaltung_standard
    stadt.write_text(text.replace(f"geheimhaltung_standard: {wert}", f"geheimhaltung_standard: {wert + 1}", 1),
                     encoding="utf-8")                              # same length when wert < 9
    assert lade_konfiguration(target).stadt.geheimhaltung_standard == wert + 1
    (target / "lagebild.yaml").unlink()
    with pytest.raises(ConfigError, match="lagebild.yaml: Datei fehlt"):
        lade_konfiguration(target)

"""Einordnung der Sozialplanung: versioned as deliveries, provisional until published, withdrawn by an
empty text, audited; public roles see published ones only."""

from __future__ import annotations

from datetime import date

import pytest

from fis.einordnung import einordnungen, speichern
from fis.ingest.lesen import ImportFehler
from fis.ingest.lieferungen import veroeffentlichen, zuruecknehmen

T = date(2024, 12, 31)


def test_an_einordnung_is_a_versioned_delivery_published_like_values(store):
    oeffentlich = store.cursor(nur_veroeffentlicht=True)
    lid = speichern(store, "indikator:sgb2_quote", T, "Die Quote stagniert auf hohem Niveau.", "p.planer")
    assert einordnungen(store, T)["indikator:sgb2_quote"]["text"].startswith("Die Quote stagniert")
    assert not einordnungen(store, T)["indikator:sgb2_quote"]["veroeffentlicht"]
    assert "indikator:sgb2_quote" not in einordnungen(oeffentlich, T)          # the committee: not yet
    veroeffentlichen(store, lid, "p.planer")
    assert einordnungen(oeffentlich, T)["indikator:sgb2_quote"]["veroeffentlicht"]
    # a new version replaces it for planners at once, for the committee only after publication
    neu = speichern(store, "indikator:sgb2_quote", T, "Zweite Fassung.", "p.planer")
    assert einordnungen(store, T)["indikator:sgb2_quote"]["text"] == "Zweite Fassung."
    assert einordnungen(oeffentlich, T)["indikator:sgb2_quote"]["text"].startswith("Die Quote stagniert")
    zuruecknehmen(store, neu, "p.planer")                                       # rolled back: the old one again
    assert einordnungen(store, T)["indikator:sgb2_quote"]["text"].startswith("Die Quote stagniert")
    leer = speichern(store, "indikator:sgb2_quote", T, "", "p.planer", veroeffentlichen=True)
    assert "indikator:sgb2_quote" not in einordnungen(oeffentlich, T)           # withdrawn
    log = store.lade_audit()
    assert (log["aktion"] == "einordnung_gespeichert").sum() == 3
    assert store.lade_lieferung(leer)["art"] == "einordnung"


def test_an_einordnung_belongs_to_its_stichtag_and_is_not_endless(store):
    speichern(store, "lagebild", T, "Lage stabil.", "p.planer")
    assert "lagebild" not in einordnungen(store, date(2023, 12, 31))
    with pytest.raises(ImportFehler, match="höchstens 1500 Zeichen"):
        speichern(store, "lagebild", T, "x" * 1501, "p.planer")

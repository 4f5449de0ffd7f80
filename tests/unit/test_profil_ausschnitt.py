"""One area's profile from a slice of the cube (fis.wuerfel.lade_ausschnitt: the Stichtag for every Raum, every
Stichtag for the area): everything the profile page computes equals the computation on the whole city – in both
Sichten, at a partial unpublished Stichtag, for an area without values there, on every level, and when the cube
is stale and the reader may not write."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from fis import wuerfel
from fis.analysen import aehnliche, handlungsbedarf_profil, profil
from fis.store import Store
from fis.versorgung import versorgung_im_gebiet
from tests.teillieferung import RAEUME, STICHTAG, liefere_teil

T = date(2024, 12, 31)


def _gleich(store: Store, config, stichtag: date, raum: str, zweiter: str | None = None) -> pd.DataFrame:
    ganz = wuerfel.lade_monitoring(store, config)
    teil = wuerfel.lade_ausschnitt(store, config, stichtag, [raum, *([zweiter] if zweiter else [])])
    assert len(teil.werte) < len(ganz.werte) / 5              # a slice, not the city
    assert teil.stichtage == ganz.stichtage
    pd.testing.assert_frame_equal(teil.raeume.reset_index(drop=True), ganz.raeume.reset_index(drop=True))
    erwartet = {}
    for r in filter(None, (raum, zweiter)):
        erwartet[r] = profil(ganz, r, stichtag, 5)
        pd.testing.assert_frame_equal(profil(teil, r, stichtag, 5), erwartet[r])
        assert sorted(set(teil.auswahl(raum_id=r)["stichtag"])) == sorted(set(ganz.auswahl(raum_id=r)["stichtag"]))
    pd.testing.assert_frame_equal(aehnliche(teil, raum, stichtag), aehnliche(ganz, raum, stichtag))
    if int(ganz.raeume.query("raum_id == @raum")["ebene"].iloc[0]) == 1:
        regel = config.lagebild.handlungsbedarf
        bedarf = handlungsbedarf_profil(ganz, regel, raum, stichtag)
        assert handlungsbedarf_profil(teil, regel, raum, stichtag) == bedarf
    # repr: a missing city value is NaN, which is unequal to itself
    assert repr(versorgung_im_gebiet(teil, config, raum, stichtag)) == \
        repr(versorgung_im_gebiet(ganz, config, raum, stichtag))
    return erwartet[raum]


@pytest.mark.parametrize("oeffentlich", [False, True])
@pytest.mark.parametrize(("raum", "zweiter"), [("0103", "0501"), ("03", None), ("0402", "0101")])
def test_the_profile_from_a_slice_equals_the_profile_from_the_whole_city(demo, config, raum, zweiter, oeffentlich):
    s = demo.cursor(nur_veroeffentlicht=oeffentlich)
    erwartet = _gleich(s, config, T, raum, zweiter)
    assert len(erwartet) > 30 and erwartet["rang"].notna().any() and erwartet["vergleich"].notna().any()


@pytest.mark.langsam          # over 4 s: the full tier only
def test_a_slice_at_a_partial_unpublished_stichtag_also_when_the_cube_is_stale(demo_copy, config):
    liefere_teil(demo_copy)                           # directly, without the registry: the cube is stale
    ohne = next(r for r in ("0301", "0302", "0303") if r not in RAEUME)
    with Store.open(demo_copy, read_only=True) as leser:   # may not write: computed in memory for the call
        assert STICHTAG in wuerfel._offen(leser, config)[0]
        mit_werten = _gleich(leser, config, STICHTAG, sorted(RAEUME)[0], ohne)
        assert len(mit_werten)
        assert profil(wuerfel.lade_ausschnitt(leser, config, STICHTAG, [ohne]), ohne, STICHTAG).empty
        # the public Sicht does not know the unpublished Stichtag; the slice of its newest one is exact
        _gleich(leser.cursor(nur_veroeffentlicht=True), config, T, ohne)
        assert STICHTAG not in wuerfel.lade_ausschnitt(leser.cursor(nur_veroeffentlicht=True), config, T,
                                                       [ohne]).stichtage


@pytest.mark.langsam          # over 4 s: the full tier only
def test_the_series_of_goals_from_a_stale_cube_are_computed_for_the_reader(demo_copy, config):
    """fis.wuerfel.lade_reihen on a database whose cube is stale and that the reader may not write: the pairs'
    rows computed in memory equal those read after the cube is brought up to date."""
    paare = [("alq", "0101"), ("alq", "01"), ("sgb2_quote", "0103"), ("bev_gesamt", "0202")]
    liefere_teil(demo_copy)
    with Store.open(demo_copy, read_only=True) as leser:
        assert STICHTAG in wuerfel._offen(leser, config)[0]
        im_speicher = wuerfel.lade_reihen(leser, config, paare).werte
    with Store.open(demo_copy) as store:
        wuerfel.nachfuehren(store, config)
        gespeichert = wuerfel.lade_reihen(store, config, paare).werte
    assert set(zip(gespeichert["indikator_id"], gespeichert["raum_id"], strict=True)) == set(paare)
    assert STICHTAG in set(gespeichert["stichtag"])
    pd.testing.assert_frame_equal(im_speicher.reset_index(drop=True), gespeichert.reset_index(drop=True),
                                  check_dtype=False)

"""Typology: known clusters are recovered, k follows the silhouette, types are ordered by
Belastung; principal components load as constructed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fis.typologie import guete, hauptkomponenten, typisieren


def _blobs(seed: int = 1) -> tuple[pd.DataFrame, dict[str, int]]:
    rng = np.random.default_rng(seed)
    zentren = {"arm": (30.0, 5.0), "mittel": (15.0, 15.0), "gut": (5.0, 30.0)}    # Kinderarmut, Kita-Quote
    rows, wahr = [], {}
    for name, (a, b) in zentren.items():
        for i in range(12):
            rid = f"{name}{i}"
            rows.append((rid, a + rng.normal(0, 1), b + rng.normal(0, 1)))
            wahr[rid] = name
    x = pd.DataFrame(rows, columns=["raum_id", "kinderarmut", "kita"]).set_index("raum_id")
    return x, wahr


@pytest.mark.parametrize("methode", ["ward", "kmeans"])
def test_three_separated_groups_are_found_and_ordered(methode):
    x, wahr = _blobs()
    t = typisieren(x, None, methode, None, {"kinderarmut": "Kinderarmut", "kita": "Kita"},
                   {"kinderarmut": "hoch_schlecht", "kita": "hoch_gut"})
    assert t.k == 3 and t.silhouette > 0.7
    typ = t.typen.set_index("raum_id")["typ"]
    # every true group is one type; type 1 = least Belastung („gut“), type 3 = most („arm“)
    assert {n: typ[[r for r, g in wahr.items() if g == n]].nunique() for n in ("arm", "mittel", "gut")} == \
        {"arm": 1, "mittel": 1, "gut": 1}
    assert typ["gut0"] == 1 and typ["mittel0"] == 2 and typ["arm0"] == 3
    assert t.beschreibung[3] == "hoch: Kinderarmut; niedrig: Kita"


def test_silhouette_table_and_fixed_k():
    x, _ = _blobs()
    from fis.typologie import standardisieren
    g = guete(standardisieren(x), "ward")
    assert g.loc[g["silhouette"].idxmax(), "k"] == 3
    assert g["wss"].is_monotonic_decreasing
    assert typisieren(x, 2, "ward", None, {}, {}).k == 2


def test_an_ordering_index_numbers_the_types():
    x, _ = _blobs()
    umgekehrt = pd.Series({r: -v for r, v in x["kinderarmut"].items()})
    typ = typisieren(x, 3, "ward", umgekehrt, {}, {}).typen.set_index("raum_id")["typ"]
    assert typ["arm0"] == 1 and typ["gut0"] == 3


def test_principal_components_load_on_a_common_factor():
    rng = np.random.default_rng(3)
    f = rng.normal(size=200)
    x = pd.DataFrame({"a": f + rng.normal(0, 0.1, 200), "b": f + rng.normal(0, 0.1, 200),
                      "c": -f + rng.normal(0, 0.1, 200), "d": rng.normal(size=200)})
    h = hauptkomponenten(x)
    k1 = h.ladungen["K1"]
    assert abs(k1["a"]) > 0.95 and abs(k1["b"]) > 0.95 and abs(k1["c"]) > 0.95 and abs(k1["d"]) < 0.2
    assert np.sign(k1["a"]) == np.sign(k1["b"]) == -np.sign(k1["c"])
    assert h.erklaert["K1"] == pytest.approx(0.74, abs=0.03)

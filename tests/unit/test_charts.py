"""Charts whose spec fis puts together itself equal what Altair would build."""

from __future__ import annotations

import altair as alt
import pytest

from fis import charts
from fis.analysen import zeitreihe_werte


def _daten_nach_unten(spec: dict, daten: dict | None = None) -> dict:
    """The same spec with ``data`` given at each chart that uses it: Altair lifts the data of a concatenation's only
    chart to the concatenation, which Vega-Lite reads the same (children inherit it)."""
    spec = dict(spec)
    daten = spec.pop("data", daten) if ("vconcat" in spec or "hconcat" in spec) else daten
    for k in ("vconcat", "hconcat"):
        if k in spec:
            spec[k] = [_daten_nach_unten(t, daten) for t in spec[k]]
    if "layer" in spec and daten is not None:
        spec.setdefault("data", daten)
    return spec


@pytest.mark.parametrize("inds", [["sgb2_quote"], ["sgb2_quote", "alq", "kinderarmut"],
                                  ["sgb2_quote", "alq", "kinderarmut", "bev_gesamt"]])
def test_small_multiples_equal_altairs_concatenation(m, inds):
    reihen = {i: zeitreihe_werte(m, i, ["0101", "0103"], True) for i in inds}
    metas = {i: m.meta(i) for i in inds}
    teile = [charts.zeitreihe(reihen[i], metas[i], hoehe=170, titel=metas[i]["kurzname"], jahresschritt=2)
             .properties(width=300) for i in inds]
    altair = alt.vconcat(*[alt.hconcat(*teile[i:i + 2]) for i in range(0, len(teile), 2)]) \
        .resolve_scale(color="shared", shape="shared").to_dict()
    eigen = charts.kleine_vielfache(reihen, metas)
    assert _daten_nach_unten(eigen) == _daten_nach_unten(altair)
    assert len(eigen["vconcat"]) == (len(inds) + 1) // 2 and len(eigen["datasets"]) == len(inds)

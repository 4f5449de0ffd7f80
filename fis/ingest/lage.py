"""Where the facilities lie: point-in-polygon against every stored version of the Sozialräume.

The result (``einrichtung_lage``) pairs each facility version with each area record that contains it, so
that at every Stichtag a facility counts in the area valid then, across scheme changes and rollbacks,
without recomputation. A facility delivery is placed in all stored areas; a later boundary delivery
places the stored facilities in its new areas (:func:`lage_fuer_raumlieferung`).
"""

from __future__ import annotations

import pandas as pd
import shapely

from fis.store import Store


def lage(einrichtungen: pd.DataFrame, raeume: pd.DataFrame) -> pd.DataFrame:
    """Point-in-polygon: which area record (raum_id, gueltig_von, raum_lieferung of ``raeume`` with GeoJSON
    ``geometrie``) contains each facility version (einrichtung_id, lieferung_id, lon, lat). A point on a
    shared border counts in one area only."""
    spalten = ["einrichtung_id", "einrichtung_lieferung", "raum_id", "gueltig_von", "raum_lieferung"]
    e = einrichtungen.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    if e.empty or raeume.empty:
        return pd.DataFrame(columns=spalten)
    polys = shapely.from_geojson(raeume["geometrie"].to_numpy())
    pts = shapely.points(e["lon"].to_numpy(dtype=float), e["lat"].to_numpy(dtype=float))
    p_idx, r_idx = shapely.STRtree(polys).query(pts, predicate="intersects")
    r = raeume.reset_index(drop=True)
    out = pd.DataFrame({"einrichtung_id": e["einrichtung_id"].to_numpy()[p_idx],
                        "einrichtung_lieferung": e["lieferung_id"].to_numpy()[p_idx].astype(int),
                        "raum_id": r["raum_id"].to_numpy()[r_idx],
                        "gueltig_von": r["gueltig_von"].to_numpy()[r_idx],
                        "raum_lieferung": r["raum_lieferung"].to_numpy()[r_idx].astype(int)})
    # on a border between two areas of the same scheme: the first (by id) takes it
    out = out.sort_values(["einrichtung_id", "einrichtung_lieferung", "gueltig_von", "raum_lieferung", "raum_id"])
    return out.drop_duplicates(["einrichtung_id", "einrichtung_lieferung", "gueltig_von", "raum_lieferung"])[spalten]


def lage_fuer_raumlieferung(store: Store, lieferung_id: int) -> int:
    """Inside a boundary delivery's transaction: where the stored facilities lie in its new areas."""
    raeume = store.lade_raum_versionen(1)
    neu = raeume[raeume["raum_lieferung"] == lieferung_id]
    if neu.empty:
        return 0
    return store.insert_einrichtung_lage(lage(store.lade_einrichtung_versionen(), neu))

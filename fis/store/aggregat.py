"""The aggregation over the Raum hierarchy in DuckDB: every level × indicator × Stichtag from the current values
of the Sozialräume, as :func:`fis.monitoring.aggregate_levels` computes it in pandas (that function stays the
reference; ``tests/unit/test_aggregat_sql.py`` holds them equal on the demo and the Berlin example). Quotas as
Σ Zähler / Σ Nenner × Faktor, counts as sums, a value provisional when any part is or its delivery is not
published; ``anzahl`` the Sozialräume with a delivered row, ``erwartet`` those valid at the Stichtag."""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from fis.store.verbindung import Verbindung, nach_raengen


class AggregatAbfragen(Verbindung):
    """Aggregation aller Ebenen."""

    def lade_ebenen_aggregat(self, top: int, indikator_ids: list[str] | None = None,
                             stichtage: list[date] | None = None) -> pd.DataFrame:
        """Columns raum_id, indikator_id, stichtag, wert, zaehler, nenner, status, anzahl, erwartet, vollstaendig,
        geliefert (True on level 1), ebene, parent_id — levels 1 … ``top``, without the values delivered for
        higher units (fis.monitoring adds those). Only indicators of this store's catalog; with ``stichtage``, only
        those Stichtage (each is aggregated on its own)."""
        katalog = "indikator_veroeffentlicht" if self.nur_veroeffentlicht else "indikator"
        werte = self._werte_fuer(indikator_ids)
        name = f"_agg_{uuid.uuid4().hex}"
        self.con.execute(
            # the current values of this store's view, provisional when their delivery is not published
            f"CREATE TEMP TABLE {name}_w AS SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, "
            "w.nenner, CASE WHEN l.veroeffentlicht_am IS NULL THEN 'vorläufig' ELSE w.status END AS status "
            f"FROM {werte} w JOIN lieferung l USING (lieferung_id) "
            f"WHERE w.indikator_id IN (SELECT indikator_id FROM {katalog}) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], w.indikator_id)) "
            "AND (CAST(? AS DATE[]) IS NULL OR list_contains(?::DATE[], w.stichtag))",
            [indikator_ids, indikator_ids, stichtage, stichtage])
        try:
            self.con.execute(
                # the records valid at each Stichtag with values (fis.monitoring.hierarchy)
                f"CREATE TEMP TABLE {name}_h AS SELECT r.raum_id, t.stichtag, r.ebene, r.parent_id "
                f"FROM {self._raeume} r JOIN (SELECT DISTINCT stichtag FROM {name}_w) t "
                "ON r.gueltig_von <= t.stichtag AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= t.stichtag)")
            self.con.execute(
                # every Sozialraum valid at a Stichtag with its unit on each level 1 … top
                f"CREATE TEMP TABLE {name}_z AS WITH RECURSIVE z(raum_id, stichtag, ziel_id, ebene) AS ("
                f"  SELECT raum_id, stichtag, raum_id, 1 FROM {name}_h WHERE ebene = 1 "
                "  UNION ALL SELECT z.raum_id, z.stichtag, h.parent_id, z.ebene + 1 FROM z "
                f"  JOIN {name}_h h ON h.raum_id = z.ziel_id AND h.stichtag = z.stichtag "
                "  WHERE z.ebene < ? AND h.parent_id IS NOT NULL) SELECT * FROM z", [top])
            # through Arrow, sorted in numpy by the ranks of indicator and Raum (integers): for a large city, .df()
            # of the result sorted by the text columns took 8.3 s, ORDER BY over the ranks 2.5 s, this 1.5 s
            # (fis.store.verbindung.nach_raengen)
            tabelle = self.con.sql(
                f"WITH eins AS (SELECT w.* FROM {name}_w w JOIN {name}_h h USING (raum_id, stichtag) "
                "    WHERE h.ebene = 1), "
                "oben AS (SELECT z.ziel_id AS raum_id, e.indikator_id, e.stichtag, sum(e.zaehler) AS zaehler, "
                "    sum(e.nenner) AS nenner, sum(e.wert) AS summe, count(*) AS anzahl, "
                "    bool_or(e.status = 'vorläufig') AS vorlaeufig "
                f"    FROM eins e JOIN {name}_z z ON z.raum_id = e.raum_id AND z.stichtag = e.stichtag "
                "    WHERE z.ebene > 1 GROUP BY ALL), "
                f"erwartet AS (SELECT ziel_id AS raum_id, stichtag, count(*) AS erwartet FROM {name}_z "
                "    WHERE ebene > 1 GROUP BY ALL), "
                "alle AS ("
                "  SELECT raum_id, indikator_id, stichtag, wert, zaehler, nenner, status, 1 AS anzahl, 1 AS erwartet, "
                "      wert IS NOT NULL AS vollstaendig, true AS geliefert FROM eins "
                "  UNION ALL SELECT o.raum_id, o.indikator_id, o.stichtag, "
                "      CASE WHEN k.aggregation = 'summe' THEN o.summe "
                "           ELSE o.zaehler / CASE WHEN o.nenner > 0 THEN o.nenner END * k.faktor END, "
                "      o.zaehler, o.nenner, CASE WHEN o.vorlaeufig THEN 'vorläufig' ELSE 'endgültig' END, "
                "      o.anzahl, coalesce(x.erwartet, o.anzahl), o.anzahl >= coalesce(x.erwartet, o.anzahl), false "
                f"  FROM oben o JOIN {katalog} k USING (indikator_id) "
                "  LEFT JOIN erwartet x USING (raum_id, stichtag)) "
                f"SELECT a.*, h.ebene, h.parent_id, i.nr AS _i, r.nr AS _r FROM alle a "
                f"JOIN {name}_h h USING (raum_id, stichtag) "
                "JOIN (SELECT indikator_id, row_number() OVER (ORDER BY indikator_id) AS nr "
                f"    FROM (SELECT DISTINCT indikator_id FROM {name}_w)) i USING (indikator_id) "
                "JOIN (SELECT raum_id, row_number() OVER (ORDER BY raum_id) AS nr "
                f"    FROM (SELECT DISTINCT raum_id FROM {name}_h)) r USING (raum_id)"
            ).to_arrow_table()
            return nach_raengen(tabelle, "_i", "_r")
        finally:
            for teil in ("w", "h", "z"):
                self.con.execute(f"DROP TABLE IF EXISTS {name}_{teil}")

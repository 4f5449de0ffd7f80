"""The database-side checks of a values delivery and its comparison with the current state.

:data:`PRUEFABFRAGEN` is the table of checks: per check id the query that finds the rows concerned in a
delivery (``{neu}``: the delivered rows as a temporary table with zeile, raum_id, indikator_id, stichtag,
wert, zaehler, nenner). What a finding means to the user (severity, message, fix) is the rule of the same
id in :data:`fis.ingest.werteregeln.WERTE_REGELN`; a test keeps both tables in step.
"""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import Verbindung

PRUEFABFRAGEN: dict[str, str] = {
    "raum_unbekannt": (
        "SELECT n.zeile, n.raum_id FROM {neu} n "
        "WHERE n.raum_id NOT IN (SELECT raum_id FROM raum_aktuell) ORDER BY n.zeile"),
    "raum_ungueltig": (
        "WITH g AS (SELECT raum_id, min(gueltig_von) AS von, "
        "  CASE WHEN bool_or(gueltig_bis IS NULL) THEN NULL ELSE max(gueltig_bis) END AS bis, "
        "  bool_or(TRUE) AS da FROM raum_aktuell GROUP BY raum_id) "
        "SELECT n.zeile, n.raum_id, n.stichtag, g.von, g.bis FROM {neu} n JOIN g USING (raum_id) "
        "WHERE NOT EXISTS (SELECT 1 FROM raum_aktuell r WHERE r.raum_id = n.raum_id "
        "  AND r.gueltig_von <= n.stichtag AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= n.stichtag)) "
        "ORDER BY n.zeile"),
    "indikator_unbekannt": (
        "SELECT n.zeile, n.indikator_id FROM {neu} n "
        "WHERE n.indikator_id NOT IN (SELECT indikator_id FROM indikator) ORDER BY n.zeile"),
    "berechnet": (
        "SELECT n.zeile, n.indikator_id FROM {neu} n "
        "WHERE n.indikator_id IN (SELECT indikator_id FROM versorgung_regel) ORDER BY n.zeile"),
    "doppelt": (
        "SELECT zeile, raum_id, indikator_id, stichtag, "
        "  min(zeile) OVER (PARTITION BY raum_id, indikator_id, stichtag) AS erste "
        "FROM {neu} QUALIFY count(*) OVER (PARTITION BY raum_id, indikator_id, stichtag) > 1 "
        "ORDER BY raum_id, indikator_id, stichtag, zeile"),
    "unmoeglich": (
        "SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, n.zaehler, n.nenner, i.einheit, "
        "  CASE WHEN n.nenner < 0 THEN 'negativer Nenner' "
        "       WHEN NOT i.negativ_erlaubt AND (n.wert < 0 OR n.zaehler < 0) THEN 'negativer Wert' "
        "       WHEN i.einheit = '%' AND NOT i.negativ_erlaubt AND n.wert > 100 + 1e-9 "
        "            THEN 'Anteil über 100 %' "
        "       WHEN i.aggregation = 'quote' AND i.einheit = '%' AND NOT i.negativ_erlaubt "
        "            AND n.zaehler > n.nenner THEN 'Zähler größer als Nenner' "
        "       WHEN n.nenner = 0 AND n.zaehler <> 0 THEN 'Nenner 0 bei Zähler ungleich 0' "
        "  END AS grund "
        "FROM {neu} n JOIN indikator i USING (indikator_id) WHERE grund IS NOT NULL ORDER BY n.zeile"),
    "widerspruch": (
        "SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, "
        "  n.zaehler / n.nenner * i.faktor AS berechnet "
        "FROM {neu} n JOIN indikator i USING (indikator_id) "
        "WHERE i.aggregation = 'quote' AND n.nenner > 0 AND n.wert IS NOT NULL AND n.zaehler IS NOT NULL "
        "  AND abs(n.wert - n.zaehler / n.nenner * i.faktor) > "
        "      greatest(0.5 * power(10, -i.nachkommastellen), 1e-6 * abs(n.wert)) "
        "ORDER BY n.zeile"),
    "sprung": (
        "WITH vorher AS ("
        "  SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, n.zaehler, "
        "    a.wert AS alt, a.stichtag AS alt_stichtag "
        "  FROM {neu} n JOIN wert_aktuell a ON a.raum_id = n.raum_id AND a.indikator_id = n.indikator_id "
        "     AND a.stichtag < n.stichtag "
        "  QUALIFY row_number() OVER (PARTITION BY n.zeile ORDER BY a.stichtag DESC) = 1) "
        "SELECT * FROM vorher WHERE alt > 0 AND wert > 0 AND (wert / alt > 2 OR wert / alt < 0.5) "
        "  AND greatest(abs(coalesce(zaehler, wert)), abs(alt)) >= 20 ORDER BY zeile"),
    "fehlende_raeume": (
        "WITH geliefert AS (SELECT DISTINCT indikator_id, stichtag FROM {neu} "
        "   WHERE indikator_id IN (SELECT indikator_id FROM indikator)), "
        "erwartet AS (SELECT g.indikator_id, g.stichtag, r.raum_id, r.name FROM geliefert g "
        "   JOIN raum_aktuell r ON r.ebene = 1 AND r.gueltig_von <= g.stichtag "
        "   AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= g.stichtag)) "
        "SELECT e.* FROM erwartet e ANTI JOIN {neu} n USING (indikator_id, stichtag, raum_id) "
        "ORDER BY e.indikator_id, e.stichtag, e.raum_id"),
}


class PruefAbfragen(Verbindung):
    """Prüfungen einer Werte-Lieferung."""

    def pruefe_werte(self, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """Every check of :data:`PRUEFABFRAGEN` on a values delivery, vectorised in SQL, and the suggestions for
        unknown areas and indicators (``raum_vorschlag``, ``indikator_vorschlag``).

        ``frame`` has zeile, raum_id, indikator_id, stichtag (date), wert, zaehler,
        nenner. Returns one frame per check; empty frames mean no finding.
        """
        out: dict[str, pd.DataFrame] = {}
        with self._registered(frame, "neu") as v:
            for name, sql in PRUEFABFRAGEN.items():
                # the table name comes from _registered, the query from this module
                out[name] = self.con.execute(sql.format(neu=v)).df()
            unknown = out["raum_unbekannt"]["raum_id"].drop_duplicates().head(500).tolist()
            out["raum_vorschlag"] = self.con.execute(
                "WITH u AS (SELECT unnest(?::VARCHAR[]) AS id), k AS (SELECT DISTINCT raum_id, name FROM raum_aktuell) "
                "SELECT u.id, k.raum_id AS vorschlag, k.name, "
                "  (regexp_full_match(u.id, '[0-9]+') "
                "   AND lpad(u.id, CAST(length(k.raum_id) AS INTEGER), '0') = k.raum_id) AS nullen, "
                "  lower(trim(u.id)) = lower(k.name) AS ist_name, "
                "  jaro_winkler_similarity(lower(u.id), lower(k.raum_id)) AS aehnlichkeit "
                "FROM u CROSS JOIN k "
                "QUALIFY row_number() OVER (PARTITION BY u.id ORDER BY nullen DESC, ist_name DESC, "
                "  aehnlichkeit DESC, k.raum_id) = 1",
                [unknown]).df()
            unknown = out["indikator_unbekannt"]["indikator_id"].drop_duplicates().head(200).tolist()
            out["indikator_vorschlag"] = self.con.execute(
                "WITH u AS (SELECT unnest(?::VARCHAR[]) AS id) "
                "SELECT u.id, k.indikator_id AS vorschlag, k.name FROM u CROSS JOIN indikator k "
                "QUALIFY row_number() OVER (PARTITION BY u.id ORDER BY greatest("
                "  jaro_winkler_similarity(lower(u.id), lower(k.indikator_id)), "
                "  jaro_winkler_similarity(lower(u.id), lower(k.kurzname)), "
                "  jaro_winkler_similarity(lower(u.id), lower(k.name))) DESC) = 1",
                [unknown]).df()
        return out

    def vergleiche_werte(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per delivered row: 'neu', 'geändert' or 'unverändert' against the current state,
        with the current values (alt_*) for the preview."""
        with self._registered(frame, "neu") as v:
            return self.con.execute(
                f"SELECT n.zeile, n.raum_id, n.indikator_id, n.stichtag, n.wert, n.zaehler, n.nenner, "
                "  a.wert AS alt_wert, a.zaehler AS alt_zaehler, a.nenner AS alt_nenner, "
                "  a.status AS alt_status, a.lieferung_id AS alt_lieferung, "
                "  CASE WHEN a.raum_id IS NULL THEN 'neu' "
                "       WHEN a.wert IS NOT DISTINCT FROM n.wert AND a.zaehler IS NOT DISTINCT FROM n.zaehler "
                "        AND a.nenner IS NOT DISTINCT FROM n.nenner AND a.status = n.status THEN 'unverändert' "
                "       ELSE 'geändert' END AS art "
                f"FROM {v} n LEFT JOIN wert_aktuell a USING (raum_id, indikator_id, stichtag) "
                "ORDER BY n.zeile").df()

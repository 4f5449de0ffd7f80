-- Migration 11: Veröffentlichung für Katalog, Raumgliederung, Ziele, Haushalt, Produkte und Produktkennzahlen

-- What Ausschuss and public see of the catalog and the Raumgliederung: as the current views, but
-- from published deliveries only (rows without a delivery, lieferung_id 0, were always in use).
CREATE OR REPLACE VIEW indikator_veroeffentlicht AS
SELECT v.* EXCLUDE (lieferung_id), v.lieferung_id
FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id)
WHERE coalesce(l.status, 'aktiv') = 'aktiv' AND (l.lieferung_id IS NULL OR l.veroeffentlicht_am IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY v.indikator_id ORDER BY v.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW raum_veroeffentlicht AS
WITH r AS (
    SELECT r.* FROM raum r LEFT JOIN lieferung l USING (lieferung_id)
    WHERE coalesce(l.status, 'aktiv') = 'aktiv'
      AND (l.lieferung_id IS NULL OR l.veroeffentlicht_am IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY r.raum_id, r.gueltig_von
                               ORDER BY r.lieferung_id DESC) = 1),
s AS (
    SELECT s.raum_id, s.gueltig_von, min(s.gueltig_bis) AS ende
    FROM raum_schliessung s JOIN lieferung l USING (lieferung_id)
    WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL GROUP BY s.raum_id, s.gueltig_von)
SELECT r.raum_id, r.gueltig_von,
       CASE WHEN s.ende IS NULL THEN r.gueltig_bis
            WHEN r.gueltig_bis IS NULL THEN s.ende
            ELSE least(r.gueltig_bis, s.ende) END AS gueltig_bis,
       r.ebene, r.name, r.parent_id, r.geometrie, r.flaeche_km2, r.lieferung_id
FROM r LEFT JOIN s USING (raum_id, gueltig_von);
-- Goals: every delivered version of a goal (the table ziel holds the current one); the public
-- sees per goal the newest version of a published delivery. Goals from before: in use (0).
CREATE TABLE ziel_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM ziel;
CREATE TABLE ziel_soll_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM ziel_soll;
-- Budget and product figures: the newest published delivery per key.
CREATE OR REPLACE VIEW produkt_kennzahl_veroeffentlicht AS
SELECT k.* FROM produkt_kennzahl_wert k JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY k.kennzahl_id, k.jahr, k.wertart ORDER BY k.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW teilergebnisplan_veroeffentlicht AS
SELECT t.* FROM teilergebnisplan t JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY t.produkt_nr, t.position_nr, t.jahr, t.monat, t.wertart
    ORDER BY t.lieferung_id DESC) = 1;
-- Product master data and texts: every delivered version (the version before the first change
-- kept as 0, in use); the public sees the newest published one, rows never delivered as they are.

CREATE TABLE produktbereich_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM produktbereich;
CREATE OR REPLACE VIEW produktbereich_veroeffentlicht AS
WITH f AS (
    SELECT f.* FROM produktbereich_fassung f LEFT JOIN lieferung l USING (lieferung_id)
    WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY f.nr ORDER BY f.lieferung_id DESC) = 1)
SELECT f.* EXCLUDE (lieferung_id) FROM f
UNION ALL BY NAME
SELECT t.* FROM produktbereich t WHERE t.nr NOT IN (SELECT nr FROM produktbereich_fassung);

CREATE TABLE produktgruppe_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM produktgruppe;
CREATE OR REPLACE VIEW produktgruppe_veroeffentlicht AS
WITH f AS (
    SELECT f.* FROM produktgruppe_fassung f LEFT JOIN lieferung l USING (lieferung_id)
    WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY f.nr ORDER BY f.lieferung_id DESC) = 1)
SELECT f.* EXCLUDE (lieferung_id) FROM f
UNION ALL BY NAME
SELECT t.* FROM produktgruppe t WHERE t.nr NOT IN (SELECT nr FROM produktgruppe_fassung);

CREATE TABLE produkt_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM produkt;
CREATE OR REPLACE VIEW produkt_veroeffentlicht AS
WITH f AS (
    SELECT f.* FROM produkt_fassung f LEFT JOIN lieferung l USING (lieferung_id)
    WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY f.nr ORDER BY f.lieferung_id DESC) = 1)
SELECT f.* EXCLUDE (lieferung_id) FROM f
UNION ALL BY NAME
SELECT t.* FROM produkt t WHERE t.nr NOT IN (SELECT nr FROM produkt_fassung);

CREATE OR REPLACE VIEW ziel_veroeffentlicht AS
SELECT f.* FROM ziel_fassung f LEFT JOIN lieferung l USING (lieferung_id)
WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY f.ziel_id ORDER BY f.lieferung_id DESC) = 1;

-- Migration 12: Einrichtungsregister und Versorgungsgrade

-- Facilities: every delivery adds versions (per einrichtung_id the newest active one counts);
-- a facility closes by its date „geschlossen“, never by deletion.
CREATE TABLE einrichtung (
    einrichtung_id VARCHAR NOT NULL,
    typ VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    traeger VARCHAR,
    adresse VARCHAR,
    lon DOUBLE,                      -- WGS84
    lat DOUBLE,
    raum_id VARCHAR,                 -- given Sozialraum, used when coordinates are missing
    zielgruppe VARCHAR,
    eroeffnet DATE,
    geschlossen DATE,                -- first day closed
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (einrichtung_id, lieferung_id)
);
CREATE TABLE einrichtung_kapazitaet (
    einrichtung_id VARCHAR NOT NULL,
    kapazitaet VARCHAR NOT NULL,
    wert DOUBLE NOT NULL,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (einrichtung_id, kapazitaet, lieferung_id)
);
-- Which Sozialraum record (every version of the Raumgliederung) contains a facility version's point:
-- computed when either is delivered, so a scheme change or rollback needs no recomputation.
CREATE TABLE einrichtung_lage (
    einrichtung_id VARCHAR NOT NULL,
    einrichtung_lieferung INTEGER NOT NULL,
    raum_id VARCHAR NOT NULL,
    gueltig_von DATE NOT NULL,
    raum_lieferung INTEGER NOT NULL,  -- 0: a record without delivery
    PRIMARY KEY (einrichtung_id, einrichtung_lieferung, raum_id, gueltig_von, raum_lieferung)
);
-- The supply indicators (einrichtungen.yaml, „versorgung“), as of the last facility delivery.
CREATE TABLE versorgung_regel (
    indikator_id VARCHAR PRIMARY KEY,
    typen VARCHAR[] NOT NULL,
    kapazitaet VARCHAR NOT NULL,
    zielgruppe VARCHAR NOT NULL,
    zielgruppe_feld VARCHAR NOT NULL CHECK (zielgruppe_feld IN ('wert', 'zaehler', 'nenner')),
    faktor DOUBLE NOT NULL
);
CREATE OR REPLACE VIEW einrichtung_aktuell AS
SELECT e.* FROM einrichtung e JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY e.einrichtung_id ORDER BY e.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW einrichtung_veroeffentlicht AS
SELECT e.* FROM einrichtung e JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY e.einrichtung_id ORDER BY e.lieferung_id DESC) = 1;

CREATE OR REPLACE VIEW versorgung_aktuell AS
WITH r AS (SELECT raum_id, gueltig_von, gueltig_bis, coalesce(lieferung_id, 0) AS rl
           FROM raum_aktuell WHERE ebene = 1),
ziel AS (
    SELECT g.indikator_id, g.typen, g.kapazitaet, g.faktor, w.raum_id, w.stichtag, w.status,
           w.lieferung_id, r.gueltig_von, r.rl,
           CASE g.zielgruppe_feld WHEN 'zaehler' THEN w.zaehler WHEN 'nenner' THEN w.nenner
                ELSE w.wert END AS zielgruppe
    FROM versorgung_regel g JOIN wert_aktuell w ON w.indikator_id = g.zielgruppe
    JOIN r ON r.raum_id = w.raum_id AND r.gueltig_von <= w.stichtag
          AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= w.stichtag)
    -- no facility of the rule's types in this register (none delivered or published): no figures, not 0
    WHERE EXISTS (SELECT 1 FROM einrichtung_aktuell x WHERE list_contains(g.typen, x.typ))),
-- every facility version with each area record it lies in: by its point, else by the given area
ort AS (
    SELECT e.einrichtung_id, e.lieferung_id, la.raum_id, la.gueltig_von, la.raum_lieferung AS rl
    FROM einrichtung_aktuell e JOIN einrichtung_lage la ON la.einrichtung_id = e.einrichtung_id
        AND la.einrichtung_lieferung = e.lieferung_id
    UNION ALL
    SELECT e.einrichtung_id, e.lieferung_id, r.raum_id, r.gueltig_von, r.rl
    FROM einrichtung_aktuell e JOIN r ON e.lon IS NULL AND e.raum_id = r.raum_id),
e AS (
    SELECT o.raum_id, o.gueltig_von, o.rl, e.typ, e.eroeffnet, e.geschlossen, k.kapazitaet, k.wert
    FROM ort o JOIN einrichtung_aktuell e USING (einrichtung_id, lieferung_id)
    JOIN einrichtung_kapazitaet k USING (einrichtung_id, lieferung_id)),
platz AS (
    SELECT z.indikator_id, z.raum_id, z.stichtag, sum(e.wert) AS plaetze
    FROM ziel z JOIN e ON e.raum_id = z.raum_id AND e.gueltig_von = z.gueltig_von AND e.rl = z.rl
        AND e.kapazitaet = z.kapazitaet AND list_contains(z.typen, e.typ)
        AND (e.eroeffnet IS NULL OR e.eroeffnet <= z.stichtag)
        AND (e.geschlossen IS NULL OR e.geschlossen > z.stichtag)
    GROUP BY ALL)
SELECT z.raum_id, z.indikator_id, z.stichtag,
       CASE WHEN z.zielgruppe > 0 THEN coalesce(p.plaetze, 0) * z.faktor / z.zielgruppe END AS wert,
       coalesce(p.plaetze, 0) AS zaehler, z.zielgruppe AS nenner, z.status, z.lieferung_id
FROM ziel z LEFT JOIN platz p USING (indikator_id, raum_id, stichtag)
WHERE z.zielgruppe IS NOT NULL;
CREATE OR REPLACE VIEW wert_lesen_aktuell AS
SELECT * FROM wert_aktuell WHERE indikator_id NOT IN (SELECT indikator_id FROM versorgung_regel)
UNION ALL SELECT * FROM versorgung_aktuell;

CREATE OR REPLACE VIEW versorgung_veroeffentlicht AS
WITH r AS (SELECT raum_id, gueltig_von, gueltig_bis, coalesce(lieferung_id, 0) AS rl
           FROM raum_veroeffentlicht WHERE ebene = 1),
ziel AS (
    SELECT g.indikator_id, g.typen, g.kapazitaet, g.faktor, w.raum_id, w.stichtag, w.status,
           w.lieferung_id, r.gueltig_von, r.rl,
           CASE g.zielgruppe_feld WHEN 'zaehler' THEN w.zaehler WHEN 'nenner' THEN w.nenner
                ELSE w.wert END AS zielgruppe
    FROM versorgung_regel g JOIN wert_veroeffentlicht w ON w.indikator_id = g.zielgruppe
    JOIN r ON r.raum_id = w.raum_id AND r.gueltig_von <= w.stichtag
          AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= w.stichtag)
    -- no facility of the rule's types in this register (none delivered or published): no figures, not 0
    WHERE EXISTS (SELECT 1 FROM einrichtung_veroeffentlicht x WHERE list_contains(g.typen, x.typ))),
-- every facility version with each area record it lies in: by its point, else by the given area
ort AS (
    SELECT e.einrichtung_id, e.lieferung_id, la.raum_id, la.gueltig_von, la.raum_lieferung AS rl
    FROM einrichtung_veroeffentlicht e JOIN einrichtung_lage la ON la.einrichtung_id = e.einrichtung_id
        AND la.einrichtung_lieferung = e.lieferung_id
    UNION ALL
    SELECT e.einrichtung_id, e.lieferung_id, r.raum_id, r.gueltig_von, r.rl
    FROM einrichtung_veroeffentlicht e JOIN r ON e.lon IS NULL AND e.raum_id = r.raum_id),
e AS (
    SELECT o.raum_id, o.gueltig_von, o.rl, e.typ, e.eroeffnet, e.geschlossen, k.kapazitaet, k.wert
    FROM ort o JOIN einrichtung_veroeffentlicht e USING (einrichtung_id, lieferung_id)
    JOIN einrichtung_kapazitaet k USING (einrichtung_id, lieferung_id)),
platz AS (
    SELECT z.indikator_id, z.raum_id, z.stichtag, sum(e.wert) AS plaetze
    FROM ziel z JOIN e ON e.raum_id = z.raum_id AND e.gueltig_von = z.gueltig_von AND e.rl = z.rl
        AND e.kapazitaet = z.kapazitaet AND list_contains(z.typen, e.typ)
        AND (e.eroeffnet IS NULL OR e.eroeffnet <= z.stichtag)
        AND (e.geschlossen IS NULL OR e.geschlossen > z.stichtag)
    GROUP BY ALL)
SELECT z.raum_id, z.indikator_id, z.stichtag,
       CASE WHEN z.zielgruppe > 0 THEN coalesce(p.plaetze, 0) * z.faktor / z.zielgruppe END AS wert,
       coalesce(p.plaetze, 0) AS zaehler, z.zielgruppe AS nenner, z.status, z.lieferung_id
FROM ziel z LEFT JOIN platz p USING (indikator_id, raum_id, stichtag)
WHERE z.zielgruppe IS NOT NULL;
CREATE OR REPLACE VIEW wert_lesen_veroeffentlicht AS
SELECT * FROM wert_veroeffentlicht WHERE indikator_id NOT IN (SELECT indikator_id FROM versorgung_regel)
UNION ALL SELECT * FROM versorgung_veroeffentlicht;

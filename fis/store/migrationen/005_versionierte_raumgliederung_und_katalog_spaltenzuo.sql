-- Migration 5: Versionierte Raumgliederung und Katalog, Spaltenzuordnungen

-- Raum: a delivery may re-deliver a (raum_id, gueltig_von) as a correction; the newest
-- active delivery wins. Ending the validity of a scheme is a row of its own.
CREATE TABLE raum_neu (
    raum_id VARCHAR NOT NULL,
    gueltig_von DATE NOT NULL,
    gueltig_bis DATE,
    ebene SMALLINT NOT NULL CHECK (ebene >= 1),
    name VARCHAR NOT NULL,
    parent_id VARCHAR,
    geometrie VARCHAR,
    flaeche_km2 DOUBLE,
    lieferung_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (raum_id, gueltig_von, lieferung_id)
);
INSERT INTO raum_neu SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id,
    geometrie, flaeche_km2, coalesce(lieferung_id, 0) FROM raum;
DROP TABLE raum;
ALTER TABLE raum_neu RENAME TO raum;
CREATE TABLE raum_schliessung (
    raum_id VARCHAR NOT NULL,
    gueltig_von DATE NOT NULL,
    gueltig_bis DATE NOT NULL,       -- letzter Tag der Gültigkeit
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (raum_id, gueltig_von, lieferung_id)
);
CREATE VIEW raum_aktuell AS
WITH r AS (
    SELECT r.* FROM raum r LEFT JOIN lieferung l USING (lieferung_id)
    WHERE coalesce(l.status, 'aktiv') = 'aktiv'
    QUALIFY row_number() OVER (PARTITION BY r.raum_id, r.gueltig_von
                               ORDER BY r.lieferung_id DESC) = 1),
s AS (
    SELECT s.raum_id, s.gueltig_von, min(s.gueltig_bis) AS ende
    FROM raum_schliessung s JOIN lieferung l USING (lieferung_id)
    WHERE l.status = 'aktiv' GROUP BY s.raum_id, s.gueltig_von)
SELECT r.raum_id, r.gueltig_von,
       CASE WHEN s.ende IS NULL THEN r.gueltig_bis
            WHEN r.gueltig_bis IS NULL THEN s.ende
            ELSE least(r.gueltig_bis, s.ende) END AS gueltig_bis,
       r.ebene, r.name, r.parent_id, r.geometrie, r.flaeche_km2, r.lieferung_id
FROM r LEFT JOIN s USING (raum_id, gueltig_von);

-- Indikatorenkatalog: every catalog delivery adds versions; the view is the current one.
CREATE TABLE indikator_version (
    indikator_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kurzname VARCHAR NOT NULL,
    handlungsfeld VARCHAR NOT NULL,
    einheit VARCHAR NOT NULL,
    definition VARCHAR NOT NULL,
    zaehler VARCHAR,
    nenner VARCHAR,
    aggregation VARCHAR NOT NULL CHECK (aggregation IN ('quote', 'summe')),
    faktor DOUBLE NOT NULL DEFAULT 1,
    polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
    quelle VARCHAR NOT NULL,
    periodizitaet VARCHAR NOT NULL,
    stichtag_regel VARCHAR,
    geheimhaltung INTEGER NOT NULL DEFAULT 3,
    nachkommastellen SMALLINT NOT NULL DEFAULT 1,
    negativ_erlaubt BOOLEAN NOT NULL DEFAULT false,
    lieferung_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (indikator_id, lieferung_id)
);
INSERT INTO indikator_version SELECT i.*, false,
    coalesce((SELECT min(lieferung_id) FROM lieferung WHERE art = 'katalog'), 0)
FROM indikator i;
DROP TABLE indikator;
CREATE VIEW indikator AS
SELECT v.* EXCLUDE (lieferung_id), v.lieferung_id
FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id)
WHERE coalesce(l.status, 'aktiv') = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY v.indikator_id ORDER BY v.lieferung_id DESC) = 1;

-- Remembered column mappings, per source and per header signature.
CREATE TABLE zuordnung (
    name VARCHAR PRIMARY KEY,        -- Quelle, z. B. „Einwohnermelderegister (breit)“
    signatur VARCHAR NOT NULL,       -- Hash der Spaltenköpfe
    inhalt VARCHAR NOT NULL,         -- JSON der Zuordnung
    benutzer VARCHAR NOT NULL,
    aktualisiert TIMESTAMP NOT NULL
);

-- Migration 1: Raum, Indikator, Lieferung, Wert

CREATE TABLE IF NOT EXISTS meta (
    schluessel VARCHAR PRIMARY KEY,
    wert VARCHAR NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS lieferung_seq START 1;
CREATE TABLE IF NOT EXISTS lieferung (
    lieferung_id INTEGER PRIMARY KEY,
    art VARCHAR NOT NULL,            -- werte, raeume, katalog, ziele, produkte, haushalt
    bezeichnung VARCHAR NOT NULL,
    dateiname VARCHAR,
    sha256 VARCHAR,
    benutzer VARCHAR NOT NULL,
    zeitpunkt TIMESTAMP NOT NULL,
    quelle VARCHAR,
    anzahl_zeilen INTEGER NOT NULL DEFAULT 0,
    anzahl_neu INTEGER NOT NULL DEFAULT 0,
    anzahl_ersetzt INTEGER NOT NULL DEFAULT 0,
    pruefergebnis VARCHAR,           -- JSON: Prüfbericht der Validierung
    status VARCHAR NOT NULL DEFAULT 'aktiv'
        CHECK (status IN ('aktiv', 'zurückgenommen')),
    zurueckgenommen_am TIMESTAMP,
    zurueckgenommen_von VARCHAR
);
CREATE TABLE IF NOT EXISTS raum (
    raum_id VARCHAR NOT NULL,
    gueltig_von DATE NOT NULL,
    gueltig_bis DATE,                -- NULL: gilt bis heute
    ebene SMALLINT NOT NULL CHECK (ebene >= 1),
    name VARCHAR NOT NULL,
    parent_id VARCHAR,
    geometrie VARCHAR,               -- GeoJSON-Geometrie in WGS84 (EPSG:4326)
    flaeche_km2 DOUBLE,
    lieferung_id INTEGER,
    PRIMARY KEY (raum_id, gueltig_von)
);
CREATE TABLE IF NOT EXISTS raum_aenderung (
    alt_id VARCHAR NOT NULL,
    neu_id VARCHAR NOT NULL,
    stichtag DATE NOT NULL,          -- erster Tag des neuen Zuschnitts
    art VARCHAR NOT NULL CHECK (art IN ('Teilung', 'Zusammenlegung', 'Grenzänderung', 'Umbenennung')),
    anteil DOUBLE,                   -- Anteil der alten Einheit (Einwohner), falls bekannt
    PRIMARY KEY (alt_id, neu_id)
);
CREATE TABLE IF NOT EXISTS indikator (
    indikator_id VARCHAR PRIMARY KEY,
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
    nachkommastellen SMALLINT NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS wert (
    raum_id VARCHAR NOT NULL,
    indikator_id VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    wert DOUBLE,
    zaehler DOUBLE,
    nenner DOUBLE,
    status VARCHAR NOT NULL CHECK (status IN ('vorläufig', 'endgültig')),
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (raum_id, indikator_id, stichtag, lieferung_id)
);
-- The current state: per key the value of the newest delivery that was not rolled back.
CREATE OR REPLACE VIEW wert_aktuell AS
SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner,
       w.status, w.lieferung_id
FROM wert w JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (
    PARTITION BY w.raum_id, w.indikator_id, w.stichtag
    ORDER BY w.lieferung_id DESC) = 1;

-- Migration 17: Maßnahmenregister

-- Measures: every delivery (file or form) adds a version of the measures it names; per massnahme_id the
-- newest active version counts (the public: the newest active and published one). A measure leaves the
-- register by its status „eingestellt“ or „abgeschlossen“, never by deletion; rolling a delivery back makes the
-- previous version current. Sozialräume, goals and products are lists (an empty list of Sozialräume: city-wide).
CREATE TABLE massnahme (
    massnahme_id VARCHAR NOT NULL,
    titel VARCHAR NOT NULL,
    beschreibung VARCHAR,
    handlungsfeld VARCHAR NOT NULL,
    raeume VARCHAR[] NOT NULL,
    ziele VARCHAR[] NOT NULL,
    produkte VARCHAR[] NOT NULL,
    traeger VARCHAR,
    verantwortlich VARCHAR,
    beginn DATE,
    ende DATE,
    status VARCHAR NOT NULL CHECK (status IN ('geplant', 'beschlossen', 'laufend', 'abgeschlossen', 'eingestellt')),
    haushalt_produkt VARCHAR,        -- optional: the Teilergebnisplan line the budget is part of
    haushalt_position INTEGER,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (massnahme_id, lieferung_id)
);
-- The status history of a version (every status with the day it began; the last one is the current status).
CREATE TABLE massnahme_status (
    massnahme_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    seit DATE NOT NULL,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (massnahme_id, seit, status, lieferung_id)
);
-- Per year: budget (euros, planned and actual) and output figures.
CREATE TABLE massnahme_jahr (
    massnahme_id VARCHAR NOT NULL,
    jahr INTEGER NOT NULL,
    budget_plan DOUBLE,
    budget_ist DOUBLE,
    teilnehmende DOUBLE,
    plaetze DOUBLE,
    faelle DOUBLE,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (massnahme_id, jahr, lieferung_id)
);
CREATE TABLE massnahme_evaluation (
    massnahme_id VARCHAR NOT NULL,
    datum DATE NOT NULL,
    methode VARCHAR NOT NULL CHECK (methode IN ('Selbstevaluation', 'Fremdevaluation')),
    ergebnis VARCHAR NOT NULL CHECK (ergebnis IN ('wirksam', 'teilweise wirksam', 'nicht wirksam', 'offen')),
    kennzahlen VARCHAR,
    text VARCHAR,
    dokument VARCHAR,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (massnahme_id, datum, lieferung_id)
);
CREATE OR REPLACE VIEW massnahme_aktuell AS
SELECT m.*, l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht
FROM massnahme m JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY m.massnahme_id ORDER BY m.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW massnahme_veroeffentlicht AS
SELECT m.*, TRUE AS veroeffentlicht
FROM massnahme m JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY m.massnahme_id ORDER BY m.lieferung_id DESC) = 1;

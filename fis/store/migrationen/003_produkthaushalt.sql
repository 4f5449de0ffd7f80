-- Migration 3: Produkthaushalt

CREATE TABLE IF NOT EXISTS produktbereich (
    nr VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    verantwortlich VARCHAR
);
CREATE TABLE IF NOT EXISTS produktgruppe (
    nr VARCHAR PRIMARY KEY,
    bereich_nr VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    verantwortlich VARCHAR,
    organisationseinheit VARCHAR,
    gremium VARCHAR,
    beschreibung VARCHAR,
    zielsetzung VARCHAR,
    zielerreichung VARCHAR,
    zielgruppe VARCHAR,
    besonderheiten VARCHAR
);
CREATE TABLE IF NOT EXISTS produkt (
    nr VARCHAR PRIMARY KEY,
    gruppe_nr VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    verantwortlich VARCHAR,
    organisationseinheit VARCHAR,
    gremium VARCHAR,
    beschreibung VARCHAR,
    zielsetzung VARCHAR,
    zielerreichung VARCHAR,
    zielgruppe VARCHAR,
    besonderheiten VARCHAR,
    rechtsgrundlage VARCHAR
);
CREATE TABLE IF NOT EXISTS produkt_kennzahl (
    kennzahl_id VARCHAR PRIMARY KEY,
    nr VARCHAR NOT NULL,             -- Produkt oder Produktgruppe
    name VARCHAR NOT NULL,
    einheit VARCHAR NOT NULL,
    art VARCHAR NOT NULL,            -- Leistungsmenge, Qualität, Wirkung, Finanzen
    polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
    nachkommastellen SMALLINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS produkt_kennzahl_wert (
    kennzahl_id VARCHAR NOT NULL,
    jahr SMALLINT NOT NULL,
    wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist')),
    wert DOUBLE NOT NULL,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (kennzahl_id, jahr, wertart, lieferung_id)
);
CREATE TABLE IF NOT EXISTS ergebnisplan_position (
    position_nr SMALLINT PRIMARY KEY,
    bezeichnung VARCHAR NOT NULL,
    art VARCHAR NOT NULL CHECK (art IN ('Ertrag', 'Aufwand', 'Summe')),
    summe_aus VARCHAR               -- bei Summen: Positionsnummern, z. B. '1-9' oder '10,17'
);
CREATE TABLE IF NOT EXISTS teilergebnisplan (
    produkt_nr VARCHAR NOT NULL,
    position_nr SMALLINT NOT NULL,
    jahr SMALLINT NOT NULL,
    monat SMALLINT NOT NULL DEFAULT 0 CHECK (monat BETWEEN 0 AND 12),
    wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist', 'Prognose')),
    betrag DOUBLE NOT NULL,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (produkt_nr, position_nr, jahr, monat, wertart, lieferung_id)
);
CREATE OR REPLACE VIEW produkt_kennzahl_aktuell AS
SELECT k.* FROM produkt_kennzahl_wert k JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (
    PARTITION BY k.kennzahl_id, k.jahr, k.wertart ORDER BY k.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW teilergebnisplan_aktuell AS
SELECT t.* FROM teilergebnisplan t JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (
    PARTITION BY t.produkt_nr, t.position_nr, t.jahr, t.monat, t.wertart
    ORDER BY t.lieferung_id DESC) = 1;

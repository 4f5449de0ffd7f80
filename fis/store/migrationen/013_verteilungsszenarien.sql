-- Migration 13: Szenarien der Mittelverteilung

-- A saved allocation of a budget by index (fis.mittelverteilung): the rule as JSON and its result as it was
-- when saved (raum_id → amount), so that a decided allocation stays documented when the data change.
CREATE SEQUENCE IF NOT EXISTS verteilungsszenario_seq START 1;
CREATE TABLE IF NOT EXISTS verteilungsszenario (
    szenario_id INTEGER PRIMARY KEY DEFAULT nextval('verteilungsszenario_seq'),
    name VARCHAR NOT NULL UNIQUE,
    regel VARCHAR NOT NULL,          -- JSON of fis.mittelverteilung.Verteilungsregel
    ergebnis VARCHAR NOT NULL,       -- JSON list of {raum_id, name, betrag, exakt}
    summe DOUBLE NOT NULL,
    satz VARCHAR NOT NULL,           -- the rule as a sentence (fis.mittelverteilung.regel_satz)
    datenversion VARCHAR,            -- the data version the result was computed on
    benutzer VARCHAR NOT NULL,
    gespeichert_am TIMESTAMP NOT NULL
);

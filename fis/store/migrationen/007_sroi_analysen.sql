-- Migration 7: SROI-Analysen

CREATE TABLE IF NOT EXISTS sroi_analyse (
    analyse_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    produkt_nr VARCHAR,
    beschreibung VARCHAR,
    input_euro DOUBLE NOT NULL CHECK (input_euro > 0),
    zinssatz DOUBLE NOT NULL CHECK (zinssatz >= 0 AND zinssatz < 1)
);
CREATE TABLE IF NOT EXISTS sroi_wirkung (
    analyse_id VARCHAR NOT NULL,
    nr SMALLINT NOT NULL,
    stakeholder VARCHAR NOT NULL,
    aktivitaet VARCHAR,
    output VARCHAR,
    outcome VARCHAR NOT NULL,
    indikator VARCHAR,
    menge DOUBLE NOT NULL,
    proxy DOUBLE NOT NULL,
    proxy_quelle VARCHAR,
    mitnahme DOUBLE NOT NULL DEFAULT 0,
    zurechnung DOUBLE NOT NULL DEFAULT 0,
    verdraengung DOUBLE NOT NULL DEFAULT 0,
    abnahme DOUBLE NOT NULL DEFAULT 0,
    dauer SMALLINT NOT NULL DEFAULT 1,
    PRIMARY KEY (analyse_id, nr)
);

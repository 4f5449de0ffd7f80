-- Migration 19: Planungszyklus und Beteiligung

-- Where each Handlungsfeld or Fachplanung stands in the planning cycle (handbook Abb. 7): every delivery adds a
-- version per „bereich“; the newest active one counts (the public: the newest published one). The phase history of
-- a version in planungszyklus_phase.
CREATE TABLE planungszyklus (
    bereich VARCHAR NOT NULL,            -- „Jugendhilfeplanung“ or a Handlungsfeld
    handlungsfeld VARCHAR,
    phase VARCHAR NOT NULL CHECK (phase IN ('Auftrag', 'Bestandsaufnahme', 'Bedarfsermittlung', 'Zielentwicklung',
                                            'Maßnahmenplanung', 'Umsetzung', 'Evaluation', 'Fortschreibung')),
    auftrag_gremium VARCHAR,             -- „Rat“, „Jugendhilfeausschuss“
    auftrag_datum DATE,
    drucksache VARCHAR,                  -- Drucksachen-Nr. of the Beschluss
    fortschreibung_faellig DATE,
    verantwortlich VARCHAR,
    bemerkung VARCHAR,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (bereich, lieferung_id)
);
CREATE TABLE planungszyklus_phase (
    bereich VARCHAR NOT NULL,
    phase VARCHAR NOT NULL,
    seit DATE NOT NULL,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (bereich, phase, seit, lieferung_id)
);
-- Participation: Sozialraumkonferenzen, Fachkonferenzen, Bürgerbeteiligung, Trägerrunden. Participants as counts
-- per group only – no personal data.
CREATE TABLE beteiligung (
    beteiligung_id VARCHAR NOT NULL,
    art VARCHAR NOT NULL CHECK (art IN ('Sozialraumkonferenz', 'Fachkonferenz', 'Sozialplanungskonferenz',
                                        'Bürgerbeteiligung', 'Trägerrunde')),
    datum DATE NOT NULL,
    titel VARCHAR NOT NULL,
    raeume VARCHAR[] NOT NULL,           -- empty: city-wide
    bereich VARCHAR,                     -- the Handlungsfeld or Fachplanung it belongs to
    themen VARCHAR,
    ergebnisse VARCHAR,
    massnahmen VARCHAR[] NOT NULL,       -- agreed follow-ups: measures …
    ziele VARCHAR[] NOT NULL,            -- … and goals
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (beteiligung_id, lieferung_id)
);
CREATE TABLE beteiligung_teilnehmende (
    beteiligung_id VARCHAR NOT NULL,
    gruppe VARCHAR NOT NULL,             -- „Bürgerinnen und Bürger“, „freie Träger“, „Verwaltung“, „Politik“ …
    anzahl INTEGER NOT NULL CHECK (anzahl >= 0),
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (beteiligung_id, gruppe, lieferung_id)
);
CREATE OR REPLACE VIEW planungszyklus_aktuell AS
SELECT p.*, l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht
FROM planungszyklus p JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY p.bereich ORDER BY p.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW planungszyklus_veroeffentlicht AS
SELECT p.*, TRUE AS veroeffentlicht
FROM planungszyklus p JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY p.bereich ORDER BY p.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW beteiligung_aktuell AS
SELECT b.*, l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht
FROM beteiligung b JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY b.beteiligung_id ORDER BY b.lieferung_id DESC) = 1;
CREATE OR REPLACE VIEW beteiligung_veroeffentlicht AS
SELECT b.*, TRUE AS veroeffentlicht
FROM beteiligung b JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY b.beteiligung_id ORDER BY b.lieferung_id DESC) = 1;

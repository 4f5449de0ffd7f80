-- Migration 18: Gegensteuerung im Abweichungsbericht

-- What the planners propose against a deviating goal in a reporting year: the measure in words, who is
-- responsible, by when. Every version is a delivery of its own (art 'gegensteuerung'): provisional until
-- published, rolled back like any delivery, audited; an empty text withdraws it.
CREATE TABLE gegensteuerung (
    ziel_id VARCHAR NOT NULL,
    jahr INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    verantwortlich VARCHAR,
    termin DATE,
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (ziel_id, jahr, lieferung_id)
);

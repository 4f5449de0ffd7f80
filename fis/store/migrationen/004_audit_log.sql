-- Migration 4: Audit-Log

CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id INTEGER PRIMARY KEY DEFAULT nextval('audit_seq'),
    zeitpunkt TIMESTAMP NOT NULL,
    benutzer VARCHAR NOT NULL,
    aktion VARCHAR NOT NULL,         -- import, rollback, ziel_geaendert, …
    objekt_typ VARCHAR NOT NULL,
    objekt_id VARCHAR,
    details VARCHAR                  -- JSON
);

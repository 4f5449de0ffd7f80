-- Migration 16: Aktuelle Werte als gepflegte Tabellen

-- The current value per key was a window over every delivery (views wert_aktuell and wert_veroeffentlicht), so
-- every check, preview and page paid for the whole history. Now both are tables with the same columns and
-- rows, kept up to date inside the transactions that insert values, roll a delivery back or publish it —
-- only for the keys of that delivery (fis.store.werte.WertAbfragen.aktuell_auffrischen). The history stays
-- in ``wert``; views that read these names (wert_lesen_*, versorgung_*) read the tables now.
DROP VIEW IF EXISTS wert_aktuell;
DROP VIEW IF EXISTS wert_veroeffentlicht;
CREATE TABLE wert_aktuell (
    raum_id VARCHAR NOT NULL,
    indikator_id VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    wert DOUBLE,
    zaehler DOUBLE,
    nenner DOUBLE,
    status VARCHAR NOT NULL,
    lieferung_id INTEGER NOT NULL
);
CREATE TABLE wert_veroeffentlicht (
    raum_id VARCHAR NOT NULL,
    indikator_id VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    wert DOUBLE,
    zaehler DOUBLE,
    nenner DOUBLE,
    status VARCHAR NOT NULL,
    lieferung_id INTEGER NOT NULL
);
INSERT INTO wert_aktuell
SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id
FROM wert w JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv'
QUALIFY row_number() OVER (PARTITION BY w.raum_id, w.indikator_id, w.stichtag ORDER BY w.lieferung_id DESC) = 1;
INSERT INTO wert_veroeffentlicht
SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id
FROM wert w JOIN lieferung l USING (lieferung_id)
WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY w.raum_id, w.indikator_id, w.stichtag ORDER BY w.lieferung_id DESC) = 1;

-- Migration 21: Aggregatwürfel

-- The values of every level × indicator × Stichtag as pages show them, computed once when the data change
-- (fis.wuerfel) instead of per process and data version: for each Sicht ('alle': every active delivery,
-- 'veroeffentlicht': published deliveries only) the internal aggregate (wert, zaehler, nenner, status,
-- summe_teile: what indices are computed from) and the shown, suppressed values (z_*: blank where
-- suppressed, with reason and threshold; partial sums withheld or provisional). Derived data only: it can
-- be deleted at any time and is rebuilt from the deliveries.
CREATE TABLE wuerfel (
    sicht VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    raum_id VARCHAR NOT NULL,
    indikator_id VARCHAR NOT NULL,
    ebene INTEGER NOT NULL,
    parent_id VARCHAR,
    wert DOUBLE,
    zaehler DOUBLE,
    nenner DOUBLE,
    status VARCHAR,
    summe_teile DOUBLE,
    anzahl INTEGER,
    erwartet INTEGER,
    vollstaendig BOOLEAN,
    geliefert BOOLEAN,
    z_wert DOUBLE,
    z_zaehler DOUBLE,
    z_nenner DOUBLE,
    z_status VARCHAR,
    z_summe_teile DOUBLE,
    unterdrueckt BOOLEAN,
    grund VARCHAR,
    schwelle INTEGER,
    unvollstaendig BOOLEAN,
    abdeckung VARCHAR,
    -- the rank of indikator_id and raum_id among the ids of the catalog and the Raumgliederung: reading sorts by
    -- numbers, not strings (the same for every Stichtag, as a new catalog or Raumgliederung computes all again)
    ind_nr INTEGER,
    raum_nr INTEGER
);

-- Per Sicht and Stichtag the fingerprint of everything the cube's rows at that Stichtag follow from (the
-- current values with their publication state, the Raumgliederung, the catalog, the suppression rules of
-- the configuration): a Stichtag whose fingerprint changed is computed again, the others are kept.
CREATE TABLE wuerfel_stand (
    sicht VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    fingerabdruck VARCHAR NOT NULL,
    zeilen INTEGER NOT NULL,
    berechnet_am TIMESTAMP NOT NULL,
    PRIMARY KEY (sicht, stichtag)
);

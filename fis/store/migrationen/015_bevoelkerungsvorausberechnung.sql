-- Migration 15: Bevölkerungsvorausberechnung

-- Projected values (future Stichtage) per area, Merkmal (an age band or a catalog indicator) and variant, as
-- delivered: never mixed with observed values. Every delivery is kept; the current value of a key is the one of
-- the newest active delivery.
CREATE TABLE IF NOT EXISTS prognose_wert (
    raum_id VARCHAR NOT NULL,
    merkmal VARCHAR NOT NULL,        -- bev_u6, bev_gesamt …
    merkmal_name VARCHAR NOT NULL,   -- „Kinder unter 6 Jahren“
    stichtag DATE NOT NULL,
    variante VARCHAR NOT NULL,       -- Basis, hoch, niedrig …
    wert DOUBLE NOT NULL,
    basisjahr INTEGER,               -- the last observed year the projection starts from
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (raum_id, merkmal, stichtag, variante, lieferung_id)
);

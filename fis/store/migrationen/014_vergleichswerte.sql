-- Migration 14: Vergleichswerte von Land, Bund und Vergleichsring

-- Values of external references (Land, Bund, Regierungsbezirk, Kreis, a Vergleichsring and its member cities)
-- per indicator and Stichtag: a reference area type of its own, never part of the city's hierarchy. Every
-- delivery is kept; the current value of a key is the one of the newest active delivery.
CREATE TABLE IF NOT EXISTS vergleichswert (
    referenz VARCHAR NOT NULL,       -- „Nordrhein-Westfalen“, „Deutschland“, „Herne“
    art VARCHAR NOT NULL,            -- Land, Bund, Regierungsbezirk, Kreis, Vergleichsring, Vergleichsstadt
    gruppe VARCHAR,                  -- the Vergleichsring a Vergleichsstadt belongs to
    indikator_id VARCHAR NOT NULL,
    stichtag DATE NOT NULL,
    wert DOUBLE NOT NULL,            -- in the indicator's unit
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (referenz, indikator_id, stichtag, lieferung_id)
);

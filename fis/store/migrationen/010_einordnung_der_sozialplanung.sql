-- Migration 10: Einordnung der Sozialplanung

-- Einordnung der Sozialplanung: the planners' interpretation of an indicator (or the Lagebild, the
-- goals, an index …) at a Stichtag; every version is its own delivery, published like values.
CREATE TABLE IF NOT EXISTS einordnung (
    bezug VARCHAR NOT NULL,          -- indikator:sgb2_quote, lagebild, ziele, index:sozialindex …
    stichtag DATE NOT NULL,
    text VARCHAR NOT NULL,           -- empty: withdrawn
    lieferung_id INTEGER NOT NULL,
    PRIMARY KEY (bezug, stichtag, lieferung_id)
);

-- Migration 6: Wirkungsbeitragsanalyse

-- Weights of the strategic goals (Leitziele) and each product's contribution to them
-- (0 = kein, 1 = gering, 2 = mittel, 3 = hoch), now (Ist) and intended (Soll).
CREATE TABLE IF NOT EXISTS wirkung_gewicht (
    ziel_id VARCHAR PRIMARY KEY,
    gewicht DOUBLE NOT NULL CHECK (gewicht >= 0)
);
CREATE TABLE IF NOT EXISTS wirkung_beitrag (
    produkt_nr VARCHAR NOT NULL,
    ziel_id VARCHAR NOT NULL,
    beitrag SMALLINT NOT NULL CHECK (beitrag BETWEEN 0 AND 3),
    beitrag_soll SMALLINT CHECK (beitrag_soll BETWEEN 0 AND 3),
    PRIMARY KEY (produkt_nr, ziel_id)
);

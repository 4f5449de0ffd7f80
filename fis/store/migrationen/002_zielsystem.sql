-- Migration 2: Zielsystem

CREATE TABLE IF NOT EXISTS ziel (
    ziel_id VARCHAR PRIMARY KEY,
    titel VARCHAR NOT NULL,
    zielfeld VARCHAR NOT NULL CHECK (zielfeld IN
        ('Ergebnis/Wirkung', 'Programm/Produkt', 'Prozess/Struktur', 'Ressourcen')),
    zielebene VARCHAR NOT NULL,      -- Leitziel, Produktgruppenziel, Produktziel, Teilziel …
    parent_id VARCHAR,
    beschreibung VARCHAR,
    kennzahl_art VARCHAR CHECK (kennzahl_art IN ('indikator', 'produktkennzahl', 'haushalt')),
    indikator_id VARCHAR,
    raum_id VARCHAR,
    kennzahl_id VARCHAR,             -- produkt_kennzahl
    produkt_nr VARCHAR,              -- Produktbezug (und Haushaltsposition)
    position_nr SMALLINT,            -- Zeile im Teilergebnisplan
    einheit VARCHAR,
    basiswert DOUBLE,
    basisjahr SMALLINT,
    zielwert DOUBLE,
    zieldatum DATE,
    richtung VARCHAR CHECK (richtung IN ('steigern', 'senken', 'halten')),
    toleranz DOUBLE,
    band_unten DOUBLE,
    band_oben DOUBLE,
    verantwortlich VARCHAR,
    massnahmen VARCHAR,
    beschlossen_von VARCHAR,
    beschlossen_am DATE
);
CREATE TABLE IF NOT EXISTS ziel_soll (
    ziel_id VARCHAR NOT NULL,
    jahr SMALLINT NOT NULL,
    soll DOUBLE NOT NULL,
    PRIMARY KEY (ziel_id, jahr)
);

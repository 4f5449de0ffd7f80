"""DuckDB store: connection, numbered schema migrations and every SQL statement.

Nothing outside this module writes SQL. Values from users are always bound
parameters; DataFrames are handed to DuckDB by registering them as views.

Units of the stored numbers:
- ``wert.wert``: the indicator value in the indicator's unit (e.g. percent);
  for ratio indicators ``wert = zaehler / nenner * faktor``.
- ``teilergebnisplan.betrag``: euros, signed as in the NKF plan (Erträge
  positive, Aufwendungen negative); ``monat = 0`` is the annual value, 1–12 a
  monthly (not cumulative) amount.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

# --------------------------------------------------------------------------- schema

def _fassungen(tabelle: str) -> str:
    """Versions of a master-data table per delivery and its published view (migration 11): the newest
    published version per ``nr``; rows that were never delivered again as they are."""
    return f"""
        CREATE TABLE {tabelle}_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM {tabelle};
        CREATE OR REPLACE VIEW {tabelle}_veroeffentlicht AS
        WITH f AS (
            SELECT f.* FROM {tabelle}_fassung f LEFT JOIN lieferung l USING (lieferung_id)
            WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
            QUALIFY row_number() OVER (PARTITION BY f.nr ORDER BY f.lieferung_id DESC) = 1)
        SELECT f.* EXCLUDE (lieferung_id) FROM f
        UNION ALL BY NAME
        SELECT t.* FROM {tabelle} t WHERE t.nr NOT IN (SELECT nr FROM {tabelle}_fassung);
"""


def _versorgung(sicht: str, einrichtungen: str, werte: str, raeume: str) -> str:
    """The view ``versorgung_<sicht>``: the supply indicators of ``versorgung_regel`` computed per
    Sozialraum (level 1) and Stichtag of its target group: places of the open facilities of the rule's
    types located in the area at that Stichtag (by coordinates through ``einrichtung_lage``, else by the
    given area), divided by the target group, times the factor. Every target-group value gives a row
    (0 places included) once the register has a facility of the rule's types; it carries that value's
    delivery and status."""
    return f"""
        CREATE OR REPLACE VIEW versorgung_{sicht} AS
        WITH r AS (SELECT raum_id, gueltig_von, gueltig_bis, coalesce(lieferung_id, 0) AS rl
                   FROM {raeume} WHERE ebene = 1),
        ziel AS (
            SELECT g.indikator_id, g.typen, g.kapazitaet, g.faktor, w.raum_id, w.stichtag, w.status,
                   w.lieferung_id, r.gueltig_von, r.rl,
                   CASE g.zielgruppe_feld WHEN 'zaehler' THEN w.zaehler WHEN 'nenner' THEN w.nenner
                        ELSE w.wert END AS zielgruppe
            FROM versorgung_regel g JOIN {werte} w ON w.indikator_id = g.zielgruppe
            JOIN r ON r.raum_id = w.raum_id AND r.gueltig_von <= w.stichtag
                  AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= w.stichtag)
            -- no facility of the rule's types in this register (none delivered or published): no figures, not 0
            WHERE EXISTS (SELECT 1 FROM {einrichtungen} x WHERE list_contains(g.typen, x.typ))),
        -- every facility version with each area record it lies in: by its point, else by the given area
        ort AS (
            SELECT e.einrichtung_id, e.lieferung_id, la.raum_id, la.gueltig_von, la.raum_lieferung AS rl
            FROM {einrichtungen} e JOIN einrichtung_lage la ON la.einrichtung_id = e.einrichtung_id
                AND la.einrichtung_lieferung = e.lieferung_id
            UNION ALL
            SELECT e.einrichtung_id, e.lieferung_id, r.raum_id, r.gueltig_von, r.rl
            FROM {einrichtungen} e JOIN r ON e.lon IS NULL AND e.raum_id = r.raum_id),
        e AS (
            SELECT o.raum_id, o.gueltig_von, o.rl, e.typ, e.eroeffnet, e.geschlossen, k.kapazitaet, k.wert
            FROM ort o JOIN {einrichtungen} e USING (einrichtung_id, lieferung_id)
            JOIN einrichtung_kapazitaet k USING (einrichtung_id, lieferung_id)),
        platz AS (
            SELECT z.indikator_id, z.raum_id, z.stichtag, sum(e.wert) AS plaetze
            FROM ziel z JOIN e ON e.raum_id = z.raum_id AND e.gueltig_von = z.gueltig_von AND e.rl = z.rl
                AND e.kapazitaet = z.kapazitaet AND list_contains(z.typen, e.typ)
                AND (e.eroeffnet IS NULL OR e.eroeffnet <= z.stichtag)
                AND (e.geschlossen IS NULL OR e.geschlossen > z.stichtag)
            GROUP BY ALL)
        SELECT z.raum_id, z.indikator_id, z.stichtag,
               CASE WHEN z.zielgruppe > 0 THEN coalesce(p.plaetze, 0) * z.faktor / z.zielgruppe END AS wert,
               coalesce(p.plaetze, 0) AS zaehler, z.zielgruppe AS nenner, z.status, z.lieferung_id
        FROM ziel z LEFT JOIN platz p USING (indikator_id, raum_id, stichtag)
        WHERE z.zielgruppe IS NOT NULL;
        CREATE OR REPLACE VIEW wert_lesen_{sicht} AS
        SELECT * FROM {werte} WHERE indikator_id NOT IN (SELECT indikator_id FROM versorgung_regel)
        UNION ALL SELECT * FROM versorgung_{sicht};
        """


MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "Raum, Indikator, Lieferung, Wert",
        """
        CREATE TABLE IF NOT EXISTS meta (
            schluessel VARCHAR PRIMARY KEY,
            wert VARCHAR NOT NULL
        );
        CREATE SEQUENCE IF NOT EXISTS lieferung_seq START 1;
        CREATE TABLE IF NOT EXISTS lieferung (
            lieferung_id INTEGER PRIMARY KEY,
            art VARCHAR NOT NULL,            -- werte, raeume, katalog, ziele, produkte, haushalt
            bezeichnung VARCHAR NOT NULL,
            dateiname VARCHAR,
            sha256 VARCHAR,
            benutzer VARCHAR NOT NULL,
            zeitpunkt TIMESTAMP NOT NULL,
            quelle VARCHAR,
            anzahl_zeilen INTEGER NOT NULL DEFAULT 0,
            anzahl_neu INTEGER NOT NULL DEFAULT 0,
            anzahl_ersetzt INTEGER NOT NULL DEFAULT 0,
            pruefergebnis VARCHAR,           -- JSON: Prüfbericht der Validierung
            status VARCHAR NOT NULL DEFAULT 'aktiv'
                CHECK (status IN ('aktiv', 'zurückgenommen')),
            zurueckgenommen_am TIMESTAMP,
            zurueckgenommen_von VARCHAR
        );
        CREATE TABLE IF NOT EXISTS raum (
            raum_id VARCHAR NOT NULL,
            gueltig_von DATE NOT NULL,
            gueltig_bis DATE,                -- NULL: gilt bis heute
            ebene SMALLINT NOT NULL CHECK (ebene >= 1),
            name VARCHAR NOT NULL,
            parent_id VARCHAR,
            geometrie VARCHAR,               -- GeoJSON-Geometrie in WGS84 (EPSG:4326)
            flaeche_km2 DOUBLE,
            lieferung_id INTEGER,
            PRIMARY KEY (raum_id, gueltig_von)
        );
        CREATE TABLE IF NOT EXISTS raum_aenderung (
            alt_id VARCHAR NOT NULL,
            neu_id VARCHAR NOT NULL,
            stichtag DATE NOT NULL,          -- erster Tag des neuen Zuschnitts
            art VARCHAR NOT NULL CHECK (art IN ('Teilung', 'Zusammenlegung', 'Grenzänderung', 'Umbenennung')),
            anteil DOUBLE,                   -- Anteil der alten Einheit (Einwohner), falls bekannt
            PRIMARY KEY (alt_id, neu_id)
        );
        CREATE TABLE IF NOT EXISTS indikator (
            indikator_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            kurzname VARCHAR NOT NULL,
            handlungsfeld VARCHAR NOT NULL,
            einheit VARCHAR NOT NULL,
            definition VARCHAR NOT NULL,
            zaehler VARCHAR,
            nenner VARCHAR,
            aggregation VARCHAR NOT NULL CHECK (aggregation IN ('quote', 'summe')),
            faktor DOUBLE NOT NULL DEFAULT 1,
            polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
            quelle VARCHAR NOT NULL,
            periodizitaet VARCHAR NOT NULL,
            stichtag_regel VARCHAR,
            geheimhaltung INTEGER NOT NULL DEFAULT 3,
            nachkommastellen SMALLINT NOT NULL DEFAULT 1
        );
        CREATE TABLE IF NOT EXISTS wert (
            raum_id VARCHAR NOT NULL,
            indikator_id VARCHAR NOT NULL,
            stichtag DATE NOT NULL,
            wert DOUBLE,
            zaehler DOUBLE,
            nenner DOUBLE,
            status VARCHAR NOT NULL CHECK (status IN ('vorläufig', 'endgültig')),
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (raum_id, indikator_id, stichtag, lieferung_id)
        );
        -- The current state: per key the value of the newest delivery that was not rolled back.
        CREATE OR REPLACE VIEW wert_aktuell AS
        SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner,
               w.status, w.lieferung_id
        FROM wert w JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY w.raum_id, w.indikator_id, w.stichtag
            ORDER BY w.lieferung_id DESC) = 1;
        """,
    ),
    (
        2,
        "Zielsystem",
        """
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
        """,
    ),
    (
        3,
        "Produkthaushalt",
        """
        CREATE TABLE IF NOT EXISTS produktbereich (
            nr VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produktgruppe (
            nr VARCHAR PRIMARY KEY,
            bereich_nr VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR,
            organisationseinheit VARCHAR,
            gremium VARCHAR,
            beschreibung VARCHAR,
            zielsetzung VARCHAR,
            zielerreichung VARCHAR,
            zielgruppe VARCHAR,
            besonderheiten VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produkt (
            nr VARCHAR PRIMARY KEY,
            gruppe_nr VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            verantwortlich VARCHAR,
            organisationseinheit VARCHAR,
            gremium VARCHAR,
            beschreibung VARCHAR,
            zielsetzung VARCHAR,
            zielerreichung VARCHAR,
            zielgruppe VARCHAR,
            besonderheiten VARCHAR,
            rechtsgrundlage VARCHAR
        );
        CREATE TABLE IF NOT EXISTS produkt_kennzahl (
            kennzahl_id VARCHAR PRIMARY KEY,
            nr VARCHAR NOT NULL,             -- Produkt oder Produktgruppe
            name VARCHAR NOT NULL,
            einheit VARCHAR NOT NULL,
            art VARCHAR NOT NULL,            -- Leistungsmenge, Qualität, Wirkung, Finanzen
            polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
            nachkommastellen SMALLINT NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS produkt_kennzahl_wert (
            kennzahl_id VARCHAR NOT NULL,
            jahr SMALLINT NOT NULL,
            wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist')),
            wert DOUBLE NOT NULL,
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (kennzahl_id, jahr, wertart, lieferung_id)
        );
        CREATE TABLE IF NOT EXISTS ergebnisplan_position (
            position_nr SMALLINT PRIMARY KEY,
            bezeichnung VARCHAR NOT NULL,
            art VARCHAR NOT NULL CHECK (art IN ('Ertrag', 'Aufwand', 'Summe')),
            summe_aus VARCHAR               -- bei Summen: Positionsnummern, z. B. '1-9' oder '10,17'
        );
        CREATE TABLE IF NOT EXISTS teilergebnisplan (
            produkt_nr VARCHAR NOT NULL,
            position_nr SMALLINT NOT NULL,
            jahr SMALLINT NOT NULL,
            monat SMALLINT NOT NULL DEFAULT 0 CHECK (monat BETWEEN 0 AND 12),
            wertart VARCHAR NOT NULL CHECK (wertart IN ('Ansatz', 'Planung', 'Ist', 'Prognose')),
            betrag DOUBLE NOT NULL,
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (produkt_nr, position_nr, jahr, monat, wertart, lieferung_id)
        );
        CREATE OR REPLACE VIEW produkt_kennzahl_aktuell AS
        SELECT k.* FROM produkt_kennzahl_wert k JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY k.kennzahl_id, k.jahr, k.wertart ORDER BY k.lieferung_id DESC) = 1;
        CREATE OR REPLACE VIEW teilergebnisplan_aktuell AS
        SELECT t.* FROM teilergebnisplan t JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (
            PARTITION BY t.produkt_nr, t.position_nr, t.jahr, t.monat, t.wertart
            ORDER BY t.lieferung_id DESC) = 1;
        """,
    ),
    (
        4,
        "Audit-Log",
        """
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
        """,
    ),
    (
        5,
        "Versionierte Raumgliederung und Katalog, Spaltenzuordnungen",
        """
        -- Raum: a delivery may re-deliver a (raum_id, gueltig_von) as a correction; the newest
        -- active delivery wins. Ending the validity of a scheme is a row of its own.
        CREATE TABLE raum_neu (
            raum_id VARCHAR NOT NULL,
            gueltig_von DATE NOT NULL,
            gueltig_bis DATE,
            ebene SMALLINT NOT NULL CHECK (ebene >= 1),
            name VARCHAR NOT NULL,
            parent_id VARCHAR,
            geometrie VARCHAR,
            flaeche_km2 DOUBLE,
            lieferung_id INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (raum_id, gueltig_von, lieferung_id)
        );
        INSERT INTO raum_neu SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id,
            geometrie, flaeche_km2, coalesce(lieferung_id, 0) FROM raum;
        DROP TABLE raum;
        ALTER TABLE raum_neu RENAME TO raum;
        CREATE TABLE raum_schliessung (
            raum_id VARCHAR NOT NULL,
            gueltig_von DATE NOT NULL,
            gueltig_bis DATE NOT NULL,       -- letzter Tag der Gültigkeit
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (raum_id, gueltig_von, lieferung_id)
        );
        CREATE VIEW raum_aktuell AS
        WITH r AS (
            SELECT r.* FROM raum r LEFT JOIN lieferung l USING (lieferung_id)
            WHERE coalesce(l.status, 'aktiv') = 'aktiv'
            QUALIFY row_number() OVER (PARTITION BY r.raum_id, r.gueltig_von
                                       ORDER BY r.lieferung_id DESC) = 1),
        s AS (
            SELECT s.raum_id, s.gueltig_von, min(s.gueltig_bis) AS ende
            FROM raum_schliessung s JOIN lieferung l USING (lieferung_id)
            WHERE l.status = 'aktiv' GROUP BY s.raum_id, s.gueltig_von)
        SELECT r.raum_id, r.gueltig_von,
               CASE WHEN s.ende IS NULL THEN r.gueltig_bis
                    WHEN r.gueltig_bis IS NULL THEN s.ende
                    ELSE least(r.gueltig_bis, s.ende) END AS gueltig_bis,
               r.ebene, r.name, r.parent_id, r.geometrie, r.flaeche_km2, r.lieferung_id
        FROM r LEFT JOIN s USING (raum_id, gueltig_von);

        -- Indikatorenkatalog: every catalog delivery adds versions; the view is the current one.
        CREATE TABLE indikator_version (
            indikator_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            kurzname VARCHAR NOT NULL,
            handlungsfeld VARCHAR NOT NULL,
            einheit VARCHAR NOT NULL,
            definition VARCHAR NOT NULL,
            zaehler VARCHAR,
            nenner VARCHAR,
            aggregation VARCHAR NOT NULL CHECK (aggregation IN ('quote', 'summe')),
            faktor DOUBLE NOT NULL DEFAULT 1,
            polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('hoch_gut', 'hoch_schlecht', 'neutral')),
            quelle VARCHAR NOT NULL,
            periodizitaet VARCHAR NOT NULL,
            stichtag_regel VARCHAR,
            geheimhaltung INTEGER NOT NULL DEFAULT 3,
            nachkommastellen SMALLINT NOT NULL DEFAULT 1,
            negativ_erlaubt BOOLEAN NOT NULL DEFAULT false,
            lieferung_id INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (indikator_id, lieferung_id)
        );
        INSERT INTO indikator_version SELECT i.*, false,
            coalesce((SELECT min(lieferung_id) FROM lieferung WHERE art = 'katalog'), 0)
        FROM indikator i;
        DROP TABLE indikator;
        CREATE VIEW indikator AS
        SELECT v.* EXCLUDE (lieferung_id), v.lieferung_id
        FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id)
        WHERE coalesce(l.status, 'aktiv') = 'aktiv'
        QUALIFY row_number() OVER (PARTITION BY v.indikator_id ORDER BY v.lieferung_id DESC) = 1;

        -- Remembered column mappings, per source and per header signature.
        CREATE TABLE zuordnung (
            name VARCHAR PRIMARY KEY,        -- Quelle, z. B. „Einwohnermelderegister (breit)“
            signatur VARCHAR NOT NULL,       -- Hash der Spaltenköpfe
            inhalt VARCHAR NOT NULL,         -- JSON der Zuordnung
            benutzer VARCHAR NOT NULL,
            aktualisiert TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        6,
        "Wirkungsbeitragsanalyse",
        """
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
        """,
    ),
    (
        7,
        "SROI-Analysen",
        """
        CREATE TABLE IF NOT EXISTS sroi_analyse (
            analyse_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            produkt_nr VARCHAR,
            beschreibung VARCHAR,
            input_euro DOUBLE NOT NULL CHECK (input_euro > 0),
            zinssatz DOUBLE NOT NULL CHECK (zinssatz >= 0 AND zinssatz < 1)
        );
        CREATE TABLE IF NOT EXISTS sroi_wirkung (
            analyse_id VARCHAR NOT NULL,
            nr SMALLINT NOT NULL,
            stakeholder VARCHAR NOT NULL,
            aktivitaet VARCHAR,
            output VARCHAR,
            outcome VARCHAR NOT NULL,
            indikator VARCHAR,
            menge DOUBLE NOT NULL,
            proxy DOUBLE NOT NULL,
            proxy_quelle VARCHAR,
            mitnahme DOUBLE NOT NULL DEFAULT 0,
            zurechnung DOUBLE NOT NULL DEFAULT 0,
            verdraengung DOUBLE NOT NULL DEFAULT 0,
            abnahme DOUBLE NOT NULL DEFAULT 0,
            dauer SMALLINT NOT NULL DEFAULT 1,
            PRIMARY KEY (analyse_id, nr)
        );
        """,
    ),
    (
        8,
        "Veröffentlichungsstatus der Lieferungen",
        """
        -- A delivery is vorläufig until Planung publishes it; Ausschuss and public see only
        -- published deliveries. Deliveries from before this version were already in use and
        -- count as published at their delivery time.
        ALTER TABLE lieferung ADD COLUMN veroeffentlicht_am TIMESTAMP;
        ALTER TABLE lieferung ADD COLUMN veroeffentlicht_von VARCHAR;
        UPDATE lieferung SET veroeffentlicht_am = zeitpunkt, veroeffentlicht_von = benutzer;
        -- What the public may see: per key the value of the newest published, not rolled back
        -- delivery (an unpublished correction leaves the published value in place).
        CREATE OR REPLACE VIEW wert_veroeffentlicht AS
        SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner,
               w.status, w.lieferung_id
        FROM wert w JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
        QUALIFY row_number() OVER (
            PARTITION BY w.raum_id, w.indikator_id, w.stichtag
            ORDER BY w.lieferung_id DESC) = 1;
        """,
    ),
    (
        9,
        "Gesamtwert geliefert oder Summe, strikte Zielgrenzen",
        """
        -- Whether a delivered value of a higher unit (the official city total) is shown as that
        -- unit's value ('geliefert') or the sum of its parts ('summe').
        ALTER TABLE indikator_version ADD COLUMN gesamtwert VARCHAR NOT NULL DEFAULT 'geliefert';
        -- "unter 3 %" excludes 3 % (strict), "höchstens 3 %" includes it.
        ALTER TABLE ziel ADD COLUMN band_unten_strikt BOOLEAN NOT NULL DEFAULT false;
        ALTER TABLE ziel ADD COLUMN band_oben_strikt BOOLEAN NOT NULL DEFAULT false;
        CREATE OR REPLACE VIEW indikator AS
        SELECT v.* EXCLUDE (lieferung_id), v.lieferung_id
        FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id)
        WHERE coalesce(l.status, 'aktiv') = 'aktiv'
        QUALIFY row_number() OVER (PARTITION BY v.indikator_id ORDER BY v.lieferung_id DESC) = 1;
        """,
    ),
    (
        10,
        "Einordnung der Sozialplanung",
        """
        -- Einordnung der Sozialplanung: the planners' interpretation of an indicator (or the Lagebild, the
        -- goals, an index …) at a Stichtag; every version is its own delivery, published like values.
        CREATE TABLE IF NOT EXISTS einordnung (
            bezug VARCHAR NOT NULL,          -- indikator:sgb2_quote, lagebild, ziele, index:sozialindex …
            stichtag DATE NOT NULL,
            text VARCHAR NOT NULL,           -- empty: withdrawn
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (bezug, stichtag, lieferung_id)
        );
        """,
    ),
    (
        11,
        "Veröffentlichung für Katalog, Raumgliederung, Ziele, Haushalt, Produkte und Produktkennzahlen",
        """
        -- What Ausschuss and public see of the catalog and the Raumgliederung: as the current views, but
        -- from published deliveries only (rows without a delivery, lieferung_id 0, were always in use).
        CREATE OR REPLACE VIEW indikator_veroeffentlicht AS
        SELECT v.* EXCLUDE (lieferung_id), v.lieferung_id
        FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id)
        WHERE coalesce(l.status, 'aktiv') = 'aktiv' AND (l.lieferung_id IS NULL OR l.veroeffentlicht_am IS NOT NULL)
        QUALIFY row_number() OVER (PARTITION BY v.indikator_id ORDER BY v.lieferung_id DESC) = 1;
        CREATE OR REPLACE VIEW raum_veroeffentlicht AS
        WITH r AS (
            SELECT r.* FROM raum r LEFT JOIN lieferung l USING (lieferung_id)
            WHERE coalesce(l.status, 'aktiv') = 'aktiv'
              AND (l.lieferung_id IS NULL OR l.veroeffentlicht_am IS NOT NULL)
            QUALIFY row_number() OVER (PARTITION BY r.raum_id, r.gueltig_von
                                       ORDER BY r.lieferung_id DESC) = 1),
        s AS (
            SELECT s.raum_id, s.gueltig_von, min(s.gueltig_bis) AS ende
            FROM raum_schliessung s JOIN lieferung l USING (lieferung_id)
            WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL GROUP BY s.raum_id, s.gueltig_von)
        SELECT r.raum_id, r.gueltig_von,
               CASE WHEN s.ende IS NULL THEN r.gueltig_bis
                    WHEN r.gueltig_bis IS NULL THEN s.ende
                    ELSE least(r.gueltig_bis, s.ende) END AS gueltig_bis,
               r.ebene, r.name, r.parent_id, r.geometrie, r.flaeche_km2, r.lieferung_id
        FROM r LEFT JOIN s USING (raum_id, gueltig_von);
        -- Goals: every delivered version of a goal (the table ziel holds the current one); the public
        -- sees per goal the newest version of a published delivery. Goals from before: in use (0).
        CREATE TABLE ziel_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM ziel;
        CREATE TABLE ziel_soll_fassung AS SELECT *, 0::INTEGER AS lieferung_id FROM ziel_soll;
        -- Budget and product figures: the newest published delivery per key.
        CREATE OR REPLACE VIEW produkt_kennzahl_veroeffentlicht AS
        SELECT k.* FROM produkt_kennzahl_wert k JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
        QUALIFY row_number() OVER (
            PARTITION BY k.kennzahl_id, k.jahr, k.wertart ORDER BY k.lieferung_id DESC) = 1;
        CREATE OR REPLACE VIEW teilergebnisplan_veroeffentlicht AS
        SELECT t.* FROM teilergebnisplan t JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
        QUALIFY row_number() OVER (
            PARTITION BY t.produkt_nr, t.position_nr, t.jahr, t.monat, t.wertart
            ORDER BY t.lieferung_id DESC) = 1;
        -- Product master data and texts: every delivered version (the version before the first change
        -- kept as 0, in use); the public sees the newest published one, rows never delivered as they are.
        """ + "".join(_fassungen(t) for t in ("produktbereich", "produktgruppe", "produkt")) + """
        CREATE OR REPLACE VIEW ziel_veroeffentlicht AS
        SELECT f.* FROM ziel_fassung f LEFT JOIN lieferung l USING (lieferung_id)
        WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
        QUALIFY row_number() OVER (PARTITION BY f.ziel_id ORDER BY f.lieferung_id DESC) = 1;
        """,
    ),
    (
        12,
        "Einrichtungsregister und Versorgungsgrade",
        """
        -- Facilities: every delivery adds versions (per einrichtung_id the newest active one counts);
        -- a facility closes by its date „geschlossen“, never by deletion.
        CREATE TABLE einrichtung (
            einrichtung_id VARCHAR NOT NULL,
            typ VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            traeger VARCHAR,
            adresse VARCHAR,
            lon DOUBLE,                      -- WGS84
            lat DOUBLE,
            raum_id VARCHAR,                 -- given Sozialraum, used when coordinates are missing
            zielgruppe VARCHAR,
            eroeffnet DATE,
            geschlossen DATE,                -- first day closed
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (einrichtung_id, lieferung_id)
        );
        CREATE TABLE einrichtung_kapazitaet (
            einrichtung_id VARCHAR NOT NULL,
            kapazitaet VARCHAR NOT NULL,
            wert DOUBLE NOT NULL,
            lieferung_id INTEGER NOT NULL,
            PRIMARY KEY (einrichtung_id, kapazitaet, lieferung_id)
        );
        -- Which Sozialraum record (every version of the Raumgliederung) contains a facility version's point:
        -- computed when either is delivered, so a scheme change or rollback needs no recomputation.
        CREATE TABLE einrichtung_lage (
            einrichtung_id VARCHAR NOT NULL,
            einrichtung_lieferung INTEGER NOT NULL,
            raum_id VARCHAR NOT NULL,
            gueltig_von DATE NOT NULL,
            raum_lieferung INTEGER NOT NULL,  -- 0: a record without delivery
            PRIMARY KEY (einrichtung_id, einrichtung_lieferung, raum_id, gueltig_von, raum_lieferung)
        );
        -- The supply indicators (einrichtungen.yaml, „versorgung“), as of the last facility delivery.
        CREATE TABLE versorgung_regel (
            indikator_id VARCHAR PRIMARY KEY,
            typen VARCHAR[] NOT NULL,
            kapazitaet VARCHAR NOT NULL,
            zielgruppe VARCHAR NOT NULL,
            zielgruppe_feld VARCHAR NOT NULL CHECK (zielgruppe_feld IN ('wert', 'zaehler', 'nenner')),
            faktor DOUBLE NOT NULL
        );
        CREATE OR REPLACE VIEW einrichtung_aktuell AS
        SELECT e.* FROM einrichtung e JOIN lieferung l USING (lieferung_id) WHERE l.status = 'aktiv'
        QUALIFY row_number() OVER (PARTITION BY e.einrichtung_id ORDER BY e.lieferung_id DESC) = 1;
        CREATE OR REPLACE VIEW einrichtung_veroeffentlicht AS
        SELECT e.* FROM einrichtung e JOIN lieferung l USING (lieferung_id)
        WHERE l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY e.einrichtung_id ORDER BY e.lieferung_id DESC) = 1;
        """ + _versorgung("aktuell", "einrichtung_aktuell", "wert_aktuell", "raum_aktuell")
        + _versorgung("veroeffentlicht", "einrichtung_veroeffentlicht", "wert_veroeffentlicht",
                      "raum_veroeffentlicht"),
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]

# Columns of the tables that DataFrames are inserted into, in insert order.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "raum": ("raum_id", "gueltig_von", "gueltig_bis", "ebene", "name", "parent_id",
             "geometrie", "flaeche_km2", "lieferung_id"),
    "raum_aenderung": ("alt_id", "neu_id", "stichtag", "art", "anteil"),
    "raum_schliessung": ("raum_id", "gueltig_von", "gueltig_bis", "lieferung_id"),
    "indikator_version": ("indikator_id", "name", "kurzname", "handlungsfeld", "einheit", "definition",
                          "zaehler", "nenner", "aggregation", "faktor", "polaritaet", "quelle",
                          "periodizitaet", "stichtag_regel", "geheimhaltung", "nachkommastellen",
                          "negativ_erlaubt", "gesamtwert", "lieferung_id"),
    "wert": ("raum_id", "indikator_id", "stichtag", "wert", "zaehler", "nenner", "status",
             "lieferung_id"),
    "ziel": ("ziel_id", "titel", "zielfeld", "zielebene", "parent_id", "beschreibung",
             "kennzahl_art", "indikator_id", "raum_id", "kennzahl_id", "produkt_nr",
             "position_nr", "einheit", "basiswert", "basisjahr", "zielwert", "zieldatum",
             "richtung", "toleranz", "band_unten", "band_oben", "verantwortlich", "massnahmen",
             "beschlossen_von", "beschlossen_am", "band_unten_strikt", "band_oben_strikt"),
    "ziel_soll": ("ziel_id", "jahr", "soll"),
    "ziel_fassung": ("ziel_id", "titel", "zielfeld", "zielebene", "parent_id", "beschreibung",
                     "kennzahl_art", "indikator_id", "raum_id", "kennzahl_id", "produkt_nr",
                     "position_nr", "einheit", "basiswert", "basisjahr", "zielwert", "zieldatum",
                     "richtung", "toleranz", "band_unten", "band_oben", "verantwortlich", "massnahmen",
                     "beschlossen_von", "beschlossen_am", "band_unten_strikt", "band_oben_strikt", "lieferung_id"),
    "ziel_soll_fassung": ("ziel_id", "jahr", "soll", "lieferung_id"),
    "einordnung": ("bezug", "stichtag", "text", "lieferung_id"),
    "produktbereich": ("nr", "name", "verantwortlich"),
    "produktbereich_fassung": ("nr", "name", "verantwortlich", "lieferung_id"),
    "produktgruppe": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit",
                      "gremium", "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe",
                      "besonderheiten"),
    "produktgruppe_fassung": ("nr", "bereich_nr", "name", "verantwortlich", "organisationseinheit",
                      "gremium", "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe",
                      "besonderheiten", "lieferung_id"),
    "produkt": ("nr", "gruppe_nr", "name", "verantwortlich", "organisationseinheit", "gremium",
                "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
                "rechtsgrundlage"),
    "produkt_fassung": ("nr", "gruppe_nr", "name", "verantwortlich", "organisationseinheit", "gremium",
                "beschreibung", "zielsetzung", "zielerreichung", "zielgruppe", "besonderheiten",
                "rechtsgrundlage", "lieferung_id"),
    "produkt_kennzahl": ("kennzahl_id", "nr", "name", "einheit", "art", "polaritaet",
                         "nachkommastellen"),
    "produkt_kennzahl_wert": ("kennzahl_id", "jahr", "wertart", "wert", "lieferung_id"),
    "ergebnisplan_position": ("position_nr", "bezeichnung", "art", "summe_aus"),
    "wirkung_gewicht": ("ziel_id", "gewicht"),
    "wirkung_beitrag": ("produkt_nr", "ziel_id", "beitrag", "beitrag_soll"),
    "sroi_analyse": ("analyse_id", "name", "produkt_nr", "beschreibung", "input_euro", "zinssatz"),
    "sroi_wirkung": ("analyse_id", "nr", "stakeholder", "aktivitaet", "output", "outcome", "indikator", "menge",
                     "proxy", "proxy_quelle", "mitnahme", "zurechnung", "verdraengung", "abnahme", "dauer"),
    "teilergebnisplan": ("produkt_nr", "position_nr", "jahr", "monat", "wertart", "betrag",
                         "lieferung_id"),
    "einrichtung": ("einrichtung_id", "typ", "name", "traeger", "adresse", "lon", "lat", "raum_id", "zielgruppe",
                    "eroeffnet", "geschlossen", "lieferung_id"),
    "einrichtung_kapazitaet": ("einrichtung_id", "kapazitaet", "wert", "lieferung_id"),
    "einrichtung_lage": ("einrichtung_id", "einrichtung_lieferung", "raum_id", "gueltig_von", "raum_lieferung"),
    "versorgung_regel": ("indikator_id", "typen", "kapazitaet", "zielgruppe", "zielgruppe_feld", "faktor"),
}


class StoreError(Exception):
    """A store operation failed; the message is German and meant for the user."""


class DatenbankBeschaedigt(StoreError):
    """The database file or its write-ahead log is damaged, or committed changes are missing."""


class DatenbankBelegt(StoreError):
    """Another process (an import from the command line, the app) holds the database longer than
    the bounded wait."""


# What DuckDB says about a damaged file or write-ahead log (and not about a lock or a configuration).
_BESCHAEDIGT = re.compile(r"WAL|corrupt|checksum|INTERNAL|Serialization|not a valid DuckDB|truncated",
                          re.IGNORECASE)

_WIEDERHERSTELLEN = ("So geht es weiter: App und Befehle beenden und die letzte Sicherung zurückspielen: "
                     "python -m fis wiederherstellen SICHERUNG --db {db} (Sicherungen: python -m fis sicherung, "
                     "README „Betrieb“). Die beschädigte Fassung bleibt dabei zur Prüfung erhalten.")


def warten_standard() -> float:
    """Seconds to wait while another process holds the database (FIS_WARTEN_SEKUNDEN, default 60)."""
    try:
        return max(0.0, float(os.environ.get("FIS_WARTEN_SEKUNDEN", "60")))
    except ValueError:
        return 60.0


def audit_warteschlange(path: str | Path) -> Path:
    """Audit entries that could not be written because the database was busy (JSON lines)."""
    return Path(f"{path}.audit-warteschlange.jsonl")


def audit_vormerken(path: str | Path, benutzer: str, aktion: str, objekt_typ: str,
                    objekt_id: str | None = None, details: dict | None = None) -> None:
    """Spool one audit entry; the next process that opens the database for writing adds it to the log."""
    zeile = json.dumps({"zeitpunkt": datetime.now().isoformat(), "benutzer": benutzer, "aktion": aktion,
                        "objekt_typ": objekt_typ, "objekt_id": objekt_id, "details": details},
                       ensure_ascii=False, default=str)
    with open(audit_warteschlange(path), "a", encoding="utf-8") as f:   # one write per line: appends stay whole
        f.write(zeile + "\n")


def audit_warteschlange_lesen(datei: Path) -> list[dict]:
    try:
        zeilen = Path(datei).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for z in zeilen:
        try:
            out.append(json.loads(z))
        except ValueError:
            continue                       # a line cut off by a crash: the rest still counts
    return out


def versionsdatei(path: str | Path) -> Path:
    """The data-version file beside a database: written after every commit, read without the
    database lock, so that readers in other processes notice a change at once."""
    return Path(f"{path}.datenversion")


def datenversion_lesen(path: str | Path) -> str | None:
    """The data version from the version file (None if there is none or it is unreadable)."""
    try:
        text = versionsdatei(path).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def datenversion_schreiben(path: str | Path, version: str) -> None:
    """Write the version file atomically (a reader sees the old or the new version, never half)."""
    ziel = versionsdatei(path)
    tmp = ziel.with_name(f".{ziel.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(version, encoding="utf-8")
        os.replace(tmp, ziel)
    except OSError:
        tmp.unlink(missing_ok=True)        # a read-only place: readers fall back to the database


@dataclass(frozen=True)
class Lieferung:
    """Metadata of one delivery as it is recorded before its rows are written."""

    art: str
    bezeichnung: str
    benutzer: str
    dateiname: str | None = None
    sha256: str | None = None
    quelle: str | None = None
    zeitpunkt: datetime | None = None
    pruefergebnis: dict | None = None


class Store:
    """A DuckDB connection (or cursor) with the project's schema and queries."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str | None = None,
                 nur_veroeffentlicht: bool = False):
        self.con = con
        self.path = path
        # True for Ausschuss and public: every read of values sees published deliveries only.
        self.nur_veroeffentlicht = nur_veroeffentlicht

    @property
    def _raeume(self) -> str:
        """The Raumgliederung this store may read."""
        return "raum_veroeffentlicht" if self.nur_veroeffentlicht else "raum_aktuell"

    @property
    def _werte(self) -> str:
        """The view values are read from (a name from this module, never from users): the delivered
        values and, where supply indicators are configured, the values computed from the facility register."""
        return self._werte_fuer(None)

    def _werte_fuer(self, indikator_ids: list[str] | None) -> str:
        """:attr:`_werte`, without the computed values when ``indikator_ids`` names none of them."""
        sicht = "veroeffentlicht" if self.nur_veroeffentlicht else "aktuell"
        berechnet = {r[0] for r in self.con.execute("SELECT indikator_id FROM versorgung_regel").fetchall()}
        if berechnet and (indikator_ids is None or berechnet & set(indikator_ids)):
            return f"wert_lesen_{sicht}"
        return f"wert_{sicht}"

    @property
    def _einrichtungen(self) -> str:
        return "einrichtung_veroeffentlicht" if self.nur_veroeffentlicht else "einrichtung_aktuell"

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, warten: float | None = None,
             pruefen: bool = True) -> Store:
        """Open (and create or upgrade) the database at ``path``; ':memory:' works too.

        ``warten``: seconds to wait while another process holds the file (DuckDB allows one
        writing process; the app holds it only while a page reads what is not cached yet), so that
        the app, imports, reports and user administration queue up instead of failing. None:
        FIS_WARTEN_SEKUNDEN (default 60). After that: :class:`DatenbankBelegt` in German.

        A damaged file or write-ahead log, and a database that lacks changes the version file beside it
        recorded as committed (a truncated log replays silently up to the cut), raise
        :class:`DatenbankBeschaedigt` with the recovery step; ``pruefen=False`` skips the latter (restore).
        """
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if not Path(path).exists():
                versionsdatei(path).unlink(missing_ok=True)     # a new database: a version file left over
        warten = warten_standard() if warten is None else warten
        deadline = time.monotonic() + warten
        pause = 0.05
        while True:
            try:
                con = duckdb.connect(path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                belegt = "lock" in str(exc).lower()
                if belegt and time.monotonic() < deadline:
                    time.sleep(pause)
                    pause = min(pause * 1.5, 0.5)
                    continue
                if belegt:
                    raise DatenbankBelegt(
                        f"Die Datenbank ist seit {warten:.0f} Sekunden durch einen anderen Vorgang belegt "
                        "(z. B. einen Import oder Bericht über die Kommandozeile oder eine Übernahme in der App). "
                        "Es wurde nichts verändert; bitte gleich noch einmal versuchen.") from exc
                raise StoreError(
                    f"Die Datenbank „{path}“ lässt sich nicht öffnen ({exc}). Bitte prüfen, ob die "
                    "Datei eine DuckDB-Datenbank ist."
                ) from exc
            except duckdb.Error as exc:
                if isinstance(exc, duckdb.ConnectionException) or not _BESCHAEDIGT.search(str(exc)):
                    raise StoreError(f"Die Datenbank „{path}“ lässt sich nicht öffnen ({exc}).") from exc
                raise DatenbankBeschaedigt(        # e.g. a write-ahead log whose checksums do not match
                    f"Die Datenbank „{path}“ lässt sich nicht öffnen: sie oder ihr Schreibprotokoll („{path}.wal“) "
                    f"ist beschädigt ({str(exc).splitlines()[0][:160]}). Es wurde nichts verändert. "
                    + _WIEDERHERSTELLEN.format(db=path)) from exc
        store = cls(con, path)
        if pruefen and path != ":memory:":
            try:
                store._versionsverlust_pruefen()
            except DatenbankBeschaedigt:
                store.close()
                raise
        if read_only and 0 < store.schema_version() < LATEST_VERSION:
            # an older database read by a newer program: upgrade it once (briefly writable), then read
            store.close()
            try:
                cls.open(path, warten=warten).close()
            except (StoreError, duckdb.Error) as exc:
                raise StoreError(
                    f"Die Datenbank „{path}“ hat einen älteren Aufbau als dieses Programm erwartet und lässt sich "
                    f"nicht aktualisieren ({exc}). Bitte einmal die App oder einen schreibenden Befehl (z. B. "
                    "python -m fis status) mit Schreibrecht auf die Datei starten.") from exc
            return cls.open(path, read_only=True, warten=warten)
        if not read_only:
            store.migrate()
            store._audit_nachtragen()
            if path != ":memory:" and datenversion_lesen(path) is None:
                datenversion_schreiben(path, store.data_version())
        return store

    def _versionsverlust_pruefen(self) -> None:
        """The version file records every committed change; a database behind it lost changes."""
        datei = datenversion_lesen(self.path)
        if not datei or "-" not in datei:
            return
        try:
            erwartet = int(datei.split("-", 1)[0])
            hier = int(self.data_version().split("-", 1)[0])
        except (ValueError, duckdb.Error):
            return
        if hier < erwartet:
            raise DatenbankBeschaedigt(
                f"In der Datenbank „{self.path}“ fehlen bereits übernommene Änderungen: sie steht auf Datenversion "
                f"{hier}, übernommen war schon Version {erwartet}. Vermutlich war ihr Schreibprotokoll („.wal“) "
                "abgeschnitten oder beschädigt. Damit nichts unbemerkt verloren geht, wird sie nicht geöffnet. "
                + _WIEDERHERSTELLEN.format(db=self.path) + " Danach die Lieferungen seit der Sicherung erneut "
                "übernehmen. Wer die ältere Fassung bewusst weiterverwenden will, löscht "
                f"„{versionsdatei(self.path)}“.")

    def _scalar(self, sql: str, params: list | None = None):
        """First column of the first row (None if no row); the result is fully consumed,
        which DuckDB 2 requires before the next statement on the connection."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def cursor(self, nur_veroeffentlicht: bool | None = None) -> Store:
        """A store on a new cursor of the same database, for one thread or session;
        ``nur_veroeffentlicht`` None keeps this store's setting."""
        sicht = self.nur_veroeffentlicht if nur_veroeffentlicht is None else nur_veroeffentlicht
        return Store(self.con.cursor(), self.path, sicht)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        exists = self._scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
        if not exists:
            return 0
        return int(self._scalar("SELECT max(version) FROM schema_version") or 0)

    def migrate(self) -> list[int]:
        """Apply all migrations newer than the database; returns the versions applied."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, angewendet_am TIMESTAMP NOT NULL)"
        )
        current = self.schema_version()
        applied = []
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction(bump=False):
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now()]
                )
            applied.append(version)
        return applied

    @contextmanager
    def transaction(self, bump: bool = True) -> Iterator[Store]:
        """All-or-nothing: commit on success, roll back on any exception.

        ``bump`` increments the data version that caches are keyed on.
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
            if bump:
                self._bump_data_version()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        if bump and self.path and self.path != ":memory:":
            # after the commit: other processes see the new version without taking the database lock
            datenversion_schreiben(self.path, self.data_version())

    def _bump_data_version(self) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES ('datenversion', '1') ON CONFLICT (schluessel) "
            "DO UPDATE SET wert = CAST(CAST(meta.wert AS INTEGER) + 1 AS VARCHAR)"
        )
        self.con.execute(
            "INSERT INTO meta VALUES ('datenversion_token', ?) ON CONFLICT (schluessel) "
            "DO UPDATE SET wert = excluded.wert",
            [uuid.uuid4().hex],
        )

    def data_version(self) -> str:
        """A string that changes with every committed write; use it as a cache key.

        Counter plus a random token, so that a database rebuilt from scratch never
        reuses a version an old cache entry was stored under.
        """
        rows = dict(self.con.execute(
            "SELECT schluessel, wert FROM meta "
            "WHERE schluessel IN ('datenversion', 'datenversion_token')"
        ).fetchall())
        return f"{rows.get('datenversion', '0')}-{rows.get('datenversion_token', '')}"

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (schluessel) DO UPDATE SET wert = excluded.wert",
            [key, value],
        )

    def get_meta(self, key: str) -> str | None:
        return self._scalar("SELECT wert FROM meta WHERE schluessel = ?", [key])

    # ------------------------------------------------------------------ generic insert
    def _insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Insert the rows of ``frame`` into ``table`` (columns by name; missing ones NULL)."""
        columns = _COLUMNS[table]
        unknown = set(frame.columns) - set(columns)
        if unknown:
            raise StoreError(f"Unbekannte Spalten für Tabelle {table}: {sorted(unknown)}")
        present = [c for c in columns if c in frame.columns]
        view = f"_einfuegen_{uuid.uuid4().hex}"
        self.con.register(view, frame[present])
        try:
            # Table, view and column names come from this module, never from users.
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(present)}) "
                f"SELECT {', '.join(present)} FROM {view}"
            )
        finally:
            self.con.unregister(view)
        return len(frame)

    # ------------------------------------------------------------------ deliveries
    def insert_lieferung(self, lieferung: Lieferung) -> int:
        """Record a delivery and return its id (call inside a transaction)."""
        lieferung_id = self._scalar("SELECT nextval('lieferung_seq')")
        self.con.execute(
            "INSERT INTO lieferung (lieferung_id, art, bezeichnung, dateiname, sha256, benutzer, "
            "zeitpunkt, quelle, pruefergebnis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                lieferung_id, lieferung.art, lieferung.bezeichnung, lieferung.dateiname,
                lieferung.sha256, lieferung.benutzer, lieferung.zeitpunkt or datetime.now(),
                lieferung.quelle,
                json.dumps(lieferung.pruefergebnis, ensure_ascii=False)
                if lieferung.pruefergebnis is not None else None,
            ],
        )
        return int(lieferung_id)

    def set_lieferung_counts(self, lieferung_id: int, zeilen: int, neu: int, ersetzt: int) -> None:
        self.con.execute(
            "UPDATE lieferung SET anzahl_zeilen = ?, anzahl_neu = ?, anzahl_ersetzt = ? "
            "WHERE lieferung_id = ?",
            [zeilen, neu, ersetzt, lieferung_id],
        )

    def load_lieferungen(self) -> pd.DataFrame:
        """The delivery register (only published deliveries for a public store)."""
        return self.con.execute(
            "SELECT * FROM lieferung WHERE NOT ? OR veroeffentlicht_am IS NOT NULL ORDER BY lieferung_id",
            [self.nur_veroeffentlicht],
        ).df()

    def load_lieferung(self, lieferung_id: int) -> dict | None:
        frame = self.con.execute("SELECT * FROM lieferung WHERE lieferung_id = ?", [lieferung_id]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def load_letzte_lieferung(self, stichtag: date) -> dict | None:
        """The newest active values delivery (published only, for a public store) with values at
        ``stichtag``: bezeichnung, zeitpunkt, veroeffentlicht_am; None if there is none."""
        frame = self.con.execute(
            "SELECT l.lieferung_id, l.bezeichnung, l.zeitpunkt, l.veroeffentlicht_am FROM lieferung l "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) AND EXISTS ("
            "  SELECT 1 FROM wert w WHERE w.lieferung_id = l.lieferung_id AND w.stichtag = ?) "
            "ORDER BY l.lieferung_id DESC LIMIT 1", [self.nur_veroeffentlicht, stichtag]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def find_lieferungen_by_sha256(self, sha256: str) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * FROM lieferung WHERE sha256 = ? ORDER BY lieferung_id", [sha256]).df()

    def set_lieferung_status(self, lieferung_id: int, status: str, benutzer: str) -> None:
        self.con.execute(
            "UPDATE lieferung SET status = ?, zurueckgenommen_am = ?, zurueckgenommen_von = ? "
            "WHERE lieferung_id = ?",
            [
                status,
                datetime.now() if status == "zurückgenommen" else None,
                benutzer if status == "zurückgenommen" else None,
                lieferung_id,
            ],
        )

    def set_lieferung_veroeffentlicht(self, lieferung_id: int, benutzer: str,
                                      zeitpunkt: datetime | None = None) -> None:
        self.con.execute(
            "UPDATE lieferung SET veroeffentlicht_am = ?, veroeffentlicht_von = ? WHERE lieferung_id = ?",
            [zeitpunkt or datetime.now(), benutzer, lieferung_id],
        )

    # ------------------------------------------------------------------ Raum
    def insert_raeume(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum", frame)

    def insert_raum_aenderungen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("raum_aenderung", frame)

    def load_raeume(self, stichtag: date | None = None, ebene: int | None = None,
                    with_geometry: bool = False) -> pd.DataFrame:
        """Raum records, optionally only those valid at ``stichtag`` and of one ``ebene``; for a public
        store those of published deliveries."""
        geometry = ", geometrie" if with_geometry else ""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id, flaeche_km2"
            f"{geometry} FROM {self._raeume} "
            "WHERE (CAST(? AS DATE) IS NULL OR (gueltig_von <= ? AND (gueltig_bis IS NULL OR gueltig_bis >= ?))) "
            "AND (CAST(? AS SMALLINT) IS NULL OR ebene = ?) "
            "ORDER BY ebene DESC, raum_id",
            [stichtag, stichtag, stichtag, ebene, ebene],
        ).df()

    def insert_raum_schliessungen(self, frame: pd.DataFrame) -> int:
        """End the validity of Raum records (raum_id, gueltig_von, gueltig_bis, lieferung_id)."""
        return self._insert_frame("raum_schliessung", frame)

    def load_raum_lieferung(self, lieferung_id: int) -> pd.DataFrame:
        """The Raum records one delivery brought (without geometry)."""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, gueltig_bis, ebene, name, parent_id, flaeche_km2 "
            "FROM raum WHERE lieferung_id = ? ORDER BY raum_id", [lieferung_id]).df()

    def load_raum_aenderungen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM raum_aenderung ORDER BY stichtag, alt_id").df()

    # ------------------------------------------------------------------ Indikator
    def upsert_indikatoren(self, frame: pd.DataFrame) -> int:
        """Add catalog versions (``lieferung_id`` in ``frame``); the newest active one is current."""
        return self._insert_frame("indikator_version", frame)

    def load_indikator_versionen(self, indikator_id: str | None = None) -> pd.DataFrame:
        """Every version of catalog entries, newest first, with the delivery's status."""
        return self.con.execute(
            "SELECT v.*, l.bezeichnung, l.zeitpunkt, l.benutzer, "
            "coalesce(l.status, 'aktiv') AS lieferung_status "
            "FROM indikator_version v LEFT JOIN lieferung l USING (lieferung_id) "
            "WHERE CAST(? AS VARCHAR) IS NULL OR v.indikator_id = ? "
            "ORDER BY v.indikator_id, v.lieferung_id DESC",
            [indikator_id, indikator_id],
        ).df()

    def load_indikatoren(self) -> pd.DataFrame:
        """The current catalog; for a public store the one of the last published catalog deliveries."""
        sicht = "indikator_veroeffentlicht" if self.nur_veroeffentlicht else "indikator"
        return self.con.execute(f"SELECT * FROM {sicht} ORDER BY handlungsfeld, indikator_id").df()

    # ------------------------------------------------------------------ Wert
    def insert_werte(self, frame: pd.DataFrame) -> tuple[int, int]:
        """Insert values of one delivery; returns (new keys, superseded keys)."""
        view = f"_werte_{uuid.uuid4().hex}"
        self.con.register(view, frame[["raum_id", "indikator_id", "stichtag"]])
        try:
            ersetzt = self._scalar(
                f"SELECT count(*) FROM {view} n JOIN wert_aktuell a "
                "USING (raum_id, indikator_id, stichtag)"
            )
        finally:
            self.con.unregister(view)
        self._insert_frame("wert", frame)
        return len(frame) - int(ersetzt), int(ersetzt)

    def insert_werte_roh(self, frame: pd.DataFrame) -> int:
        """Insert rows of one delivery (``lieferung_id`` in ``frame``) without comparing."""
        return self._insert_frame("wert", frame)

    def load_stichtage(self, indikator_id: str | None = None) -> list[date]:
        rows = self.con.execute(
            f"SELECT DISTINCT stichtag FROM {self._werte} "
            "WHERE CAST(? AS VARCHAR) IS NULL OR indikator_id = ? ORDER BY stichtag",
            [indikator_id, indikator_id],
        ).fetchall()
        return [r[0] for r in rows]

    def load_wertebestand(self) -> pd.DataFrame:
        """Which indicator has values at which Stichtag: indikator_id, stichtag, mit_wert (some
        value or numerator delivered). Read from the deliveries directly, without choosing each
        key's current version: a fraction of a second where the current values of a large city take
        seconds. For choosing what to show, not for figures."""
        frame = self.con.execute(
            "WITH b AS (SELECT w.indikator_id, w.stichtag, "
            "    bool_or(w.wert IS NOT NULL OR w.zaehler IS NOT NULL) AS mit_wert "
            "    FROM wert w JOIN lieferung l USING (lieferung_id) "
            "    WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) GROUP BY ALL) "
            # supply indicators have values where their target group has, once the register this store reads
            # has a facility of their types (as in the view versorgung_*)
            "SELECT * FROM b WHERE indikator_id NOT IN (SELECT indikator_id FROM versorgung_regel) "
            "UNION ALL SELECT g.indikator_id, b.stichtag, b.mit_wert FROM versorgung_regel g "
            "    JOIN b ON b.indikator_id = g.zielgruppe "
            f"    WHERE EXISTS (SELECT 1 FROM {self._einrichtungen} x WHERE list_contains(g.typen, x.typ)) "
            "ORDER BY ALL", [self.nur_veroeffentlicht]).df()
        frame["stichtag"] = pd.to_datetime(frame["stichtag"]).dt.date
        return frame

    def load_abdeckung(self, indikator_ids: list[str], einwohner_indikator: str | None = None,
                       mindest_einwohner: int | None = None) -> pd.DataFrame:
        """Per Stichtag and indicator of ``indikator_ids``: how many Sozialräume (level 1) valid at
        the Stichtag have a current value (``geliefert``, a delivered row, even an empty one),
        how many have none but fewer inhabitants than ``mindest_einwohner`` (``klein``: suppressed
        anyway) and how many are valid (``erwartet``); every Stichtag with any value is listed.
        ``offen``: current values at the Stichtag (any indicator) from unpublished deliveries."""
        sicht = self._werte
        tage = self.con.execute(
            "SELECT DISTINCT w.stichtag FROM wert w JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) ORDER BY 1",
            [self.nur_veroeffentlicht]).df()
        if tage.empty:
            return pd.DataFrame(columns=["stichtag", "indikator_id", "geliefert", "klein", "erwartet", "offen"])
        t = f"_tage_{uuid.uuid4().hex}"
        self.con.register(t, tage)
        try:
            frame = self.con.execute(
                f"WITH eins AS (SELECT t.stichtag, r.raum_id FROM {t} t JOIN {self._raeume} r "
                "    ON r.ebene = 1 AND r.gueltig_von <= t.stichtag "
                "    AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= t.stichtag)), "
                "kern AS (SELECT unnest(?::VARCHAR[]) AS indikator_id), "
                f"w AS (SELECT raum_id, indikator_id, stichtag FROM {sicht} "
                "    WHERE list_contains(?::VARCHAR[], indikator_id)), "
                f"ew AS (SELECT raum_id, stichtag, wert FROM {sicht} WHERE indikator_id = ?) "
                "SELECT e.stichtag, k.indikator_id, count(w.raum_id) AS geliefert, "
                "    count(*) FILTER (WHERE w.raum_id IS NULL AND ew.wert < ?) AS klein, "
                "    count(*) AS erwartet "
                "FROM eins e CROSS JOIN kern k "
                "LEFT JOIN w ON w.raum_id = e.raum_id AND w.stichtag = e.stichtag AND w.indikator_id = k.indikator_id "
                "LEFT JOIN ew ON ew.raum_id = e.raum_id AND ew.stichtag = e.stichtag "
                "GROUP BY ALL ORDER BY ALL",
                [list(indikator_ids), list(indikator_ids), einwohner_indikator, mindest_einwohner]).df()
            # values of unpublished deliveries that no later active delivery replaced
            offen = self.con.execute(
                "SELECT w.stichtag, count(*) AS offen FROM wert w JOIN lieferung l USING (lieferung_id) "
                "WHERE NOT ? AND l.status = 'aktiv' AND l.veroeffentlicht_am IS NULL AND NOT EXISTS ("
                "  SELECT 1 FROM wert n JOIN lieferung m USING (lieferung_id) WHERE m.status = 'aktiv' "
                "  AND n.raum_id = w.raum_id AND n.indikator_id = w.indikator_id AND n.stichtag = w.stichtag "
                "  AND n.lieferung_id > w.lieferung_id) GROUP BY 1", [self.nur_veroeffentlicht]).df()
        finally:
            self.con.unregister(t)
        alle = tage.merge(frame, on="stichtag", how="left").merge(offen, on="stichtag", how="left")
        for col in ("geliefert", "klein", "erwartet", "offen"):
            alle[col] = alle[col].fillna(0).astype(int)
        alle["stichtag"] = pd.to_datetime(alle["stichtag"]).dt.date
        return alle[["stichtag", "indikator_id", "geliefert", "klein", "erwartet", "offen"]]

    def load_werte(self, indikator_ids: list[str] | None = None,
                   stichtage: list[date] | None = None,
                   raum_ids: list[str] | None = None) -> pd.DataFrame:
        """Current values (``wert_aktuell``; ``wert_veroeffentlicht`` for a public store),
        filtered by the given lists (None: all); ``veroeffentlicht``: the value's delivery is published."""
        return self.con.execute(
            "SELECT w.raum_id, w.indikator_id, w.stichtag, w.wert, w.zaehler, w.nenner, w.status, w.lieferung_id, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            f"FROM {self._werte_fuer(indikator_ids)} w JOIN lieferung l USING (lieferung_id) "
            "WHERE (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], w.indikator_id)) "
            "AND (CAST(? AS DATE[]) IS NULL OR list_contains(?::DATE[], w.stichtag)) "
            "AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], w.raum_id)) "
            "ORDER BY w.indikator_id, w.stichtag, w.raum_id",
            [indikator_ids, indikator_ids, stichtage, stichtage, raum_ids, raum_ids],
        ).df()

    def load_wert_historie(self, raum_id: str, indikator_id: str, stichtag: date) -> pd.DataFrame:
        """Every delivered version of one value, newest first, with its delivery."""
        return self.con.execute(
            "SELECT w.*, l.bezeichnung, l.zeitpunkt, l.status AS lieferung_status, l.veroeffentlicht_am "
            "FROM wert w JOIN lieferung l USING (lieferung_id) "
            "WHERE w.raum_id = ? AND w.indikator_id = ? AND w.stichtag = ? "
            "AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "ORDER BY w.lieferung_id DESC",
            [raum_id, indikator_id, stichtag, self.nur_veroeffentlicht],
        ).df()

    # ------------------------------------------------------------------ checks of a delivery
    @contextmanager
    def _registered(self, frame: pd.DataFrame, prefix: str) -> Iterator[str]:
        """``frame`` as a temporary table for several queries: copied into DuckDB once, instead of
        every query scanning the pandas frame again (a third of a large delivery's checking time)."""
        name = f"_{prefix}_{uuid.uuid4().hex}"
        self.con.register(f"{name}_df", frame)
        try:
            self.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        finally:
            self.con.unregister(f"{name}_df")
        try:
            yield name
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def pruefe_werte(self, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """The database-side checks of a values delivery, vectorised in SQL.

        ``frame`` has zeile, raum_id, indikator_id, stichtag (date), wert, zaehler,
        nenner. Returns one frame per finding; empty frames mean no finding.
        """
        out: dict[str, pd.DataFrame] = {}
        with self._registered(frame, "neu") as v:
            out["raum_unbekannt"] = self.con.execute(
                f"SELECT n.zeile, n.raum_id FROM {v} n "
                "WHERE n.raum_id NOT IN (SELECT raum_id FROM raum_aktuell) ORDER BY n.zeile").df()
            unknown = out["raum_unbekannt"]["raum_id"].drop_duplicates().head(500).tolist()
            out["raum_vorschlag"] = self.con.execute(
                "WITH u AS (SELECT unnest(?::VARCHAR[]) AS id), k AS (SELECT DISTINCT raum_id, name FROM raum_aktuell) "
                "SELECT u.id, k.raum_id AS vorschlag, k.name, "
                "  (regexp_full_match(u.id, '[0-9]+') "
                "   AND lpad(u.id, CAST(length(k.raum_id) AS INTEGER), '0') = k.raum_id) AS nullen, "
                "  lower(trim(u.id)) = lower(k.name) AS ist_name, "
                "  jaro_winkler_similarity(lower(u.id), lower(k.raum_id)) AS aehnlichkeit "
                "FROM u CROSS JOIN k "
                "QUALIFY row_number() OVER (PARTITION BY u.id ORDER BY nullen DESC, ist_name DESC, "
                "  aehnlichkeit DESC, k.raum_id) = 1",
                [unknown]).df()
            out["raum_ungueltig"] = self.con.execute(
                "WITH g AS (SELECT raum_id, min(gueltig_von) AS von, "
                "  CASE WHEN bool_or(gueltig_bis IS NULL) THEN NULL ELSE max(gueltig_bis) END AS bis, "
                "  bool_or(TRUE) AS da FROM raum_aktuell GROUP BY raum_id) "
                f"SELECT n.zeile, n.raum_id, n.stichtag, g.von, g.bis FROM {v} n JOIN g USING (raum_id) "
                "WHERE NOT EXISTS (SELECT 1 FROM raum_aktuell r WHERE r.raum_id = n.raum_id "
                "  AND r.gueltig_von <= n.stichtag AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= n.stichtag)) "
                "ORDER BY n.zeile").df()
            out["indikator_unbekannt"] = self.con.execute(
                f"SELECT n.zeile, n.indikator_id FROM {v} n "
                "WHERE n.indikator_id NOT IN (SELECT indikator_id FROM indikator) ORDER BY n.zeile").df()
            unknown = out["indikator_unbekannt"]["indikator_id"].drop_duplicates().head(200).tolist()
            out["indikator_vorschlag"] = self.con.execute(
                "WITH u AS (SELECT unnest(?::VARCHAR[]) AS id) "
                "SELECT u.id, k.indikator_id AS vorschlag, k.name FROM u CROSS JOIN indikator k "
                "QUALIFY row_number() OVER (PARTITION BY u.id ORDER BY greatest("
                "  jaro_winkler_similarity(lower(u.id), lower(k.indikator_id)), "
                "  jaro_winkler_similarity(lower(u.id), lower(k.kurzname)), "
                "  jaro_winkler_similarity(lower(u.id), lower(k.name))) DESC) = 1",
                [unknown]).df()
            out["doppelt"] = self.con.execute(
                f"SELECT zeile, raum_id, indikator_id, stichtag, "
                "  min(zeile) OVER (PARTITION BY raum_id, indikator_id, stichtag) AS erste "
                f"FROM {v} QUALIFY count(*) OVER (PARTITION BY raum_id, indikator_id, stichtag) > 1 "
                "ORDER BY raum_id, indikator_id, stichtag, zeile").df()
            out["unmoeglich"] = self.con.execute(
                f"SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, n.zaehler, n.nenner, i.einheit, "
                "  CASE WHEN n.nenner < 0 THEN 'negativer Nenner' "
                "       WHEN NOT i.negativ_erlaubt AND (n.wert < 0 OR n.zaehler < 0) THEN 'negativer Wert' "
                "       WHEN i.einheit = '%' AND NOT i.negativ_erlaubt AND n.wert > 100 + 1e-9 "
                "            THEN 'Anteil über 100 %' "
                "       WHEN i.aggregation = 'quote' AND i.einheit = '%' AND NOT i.negativ_erlaubt "
                "            AND n.zaehler > n.nenner THEN 'Zähler größer als Nenner' "
                "       WHEN n.nenner = 0 AND n.zaehler <> 0 THEN 'Nenner 0 bei Zähler ungleich 0' "
                "  END AS grund "
                f"FROM {v} n JOIN indikator i USING (indikator_id) WHERE grund IS NOT NULL ORDER BY n.zeile").df()
            out["widerspruch"] = self.con.execute(
                f"SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, "
                "  n.zaehler / n.nenner * i.faktor AS berechnet "
                f"FROM {v} n JOIN indikator i USING (indikator_id) "
                "WHERE i.aggregation = 'quote' AND n.nenner > 0 AND n.wert IS NOT NULL AND n.zaehler IS NOT NULL "
                "  AND abs(n.wert - n.zaehler / n.nenner * i.faktor) > "
                "      greatest(0.5 * power(10, -i.nachkommastellen), 1e-6 * abs(n.wert)) "
                "ORDER BY n.zeile").df()
            out["sprung"] = self.con.execute(
                "WITH vorher AS ("
                "  SELECT n.zeile, n.raum_id, n.indikator_id, n.wert, n.zaehler, "
                "    a.wert AS alt, a.stichtag AS alt_stichtag "
                f"  FROM {v} n JOIN wert_aktuell a ON a.raum_id = n.raum_id AND a.indikator_id = n.indikator_id "
                "     AND a.stichtag < n.stichtag "
                "  QUALIFY row_number() OVER (PARTITION BY n.zeile ORDER BY a.stichtag DESC) = 1) "
                "SELECT * FROM vorher WHERE alt > 0 AND wert > 0 AND (wert / alt > 2 OR wert / alt < 0.5) "
                "  AND greatest(abs(coalesce(zaehler, wert)), abs(alt)) >= 20 ORDER BY zeile").df()
            out["fehlende_raeume"] = self.con.execute(
                f"WITH geliefert AS (SELECT DISTINCT indikator_id, stichtag FROM {v} "
                "   WHERE indikator_id IN (SELECT indikator_id FROM indikator)), "
                "erwartet AS (SELECT g.indikator_id, g.stichtag, r.raum_id, r.name FROM geliefert g "
                "   JOIN raum_aktuell r ON r.ebene = 1 AND r.gueltig_von <= g.stichtag "
                "   AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= g.stichtag)) "
                f"SELECT e.* FROM erwartet e ANTI JOIN {v} n USING (indikator_id, stichtag, raum_id) "
                "ORDER BY e.indikator_id, e.stichtag, e.raum_id").df()
        return out

    def vergleiche_werte(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per delivered row: 'neu', 'geändert' or 'unverändert' against the current state,
        with the current values (alt_*) for the preview."""
        with self._registered(frame, "neu") as v:
            return self.con.execute(
                f"SELECT n.zeile, n.raum_id, n.indikator_id, n.stichtag, n.wert, n.zaehler, n.nenner, "
                "  a.wert AS alt_wert, a.zaehler AS alt_zaehler, a.nenner AS alt_nenner, "
                "  a.status AS alt_status, a.lieferung_id AS alt_lieferung, "
                "  CASE WHEN a.raum_id IS NULL THEN 'neu' "
                "       WHEN a.wert IS NOT DISTINCT FROM n.wert AND a.zaehler IS NOT DISTINCT FROM n.zaehler "
                "        AND a.nenner IS NOT DISTINCT FROM n.nenner AND a.status = n.status THEN 'unverändert' "
                "       ELSE 'geändert' END AS art "
                f"FROM {v} n LEFT JOIN wert_aktuell a USING (raum_id, indikator_id, stichtag) "
                "ORDER BY n.zeile").df()

    def rueckname_wirkung(self, lieferung_id: int) -> dict[str, int]:
        """What rolling back a delivery would do to the current values: how many keys
        fall back to an earlier delivery, how many disappear, how many are not current anyway."""
        rows = self.con.execute(
            "WITH k AS (SELECT raum_id, indikator_id, stichtag FROM wert WHERE lieferung_id = ?), "
            "aktuell AS (SELECT k.*, a.lieferung_id AS aktuell FROM k LEFT JOIN wert_aktuell a "
            "  USING (raum_id, indikator_id, stichtag)), "
            "frueher AS (SELECT k.raum_id, k.indikator_id, k.stichtag, max(w.lieferung_id) AS vorher "
            "  FROM k JOIN wert w USING (raum_id, indikator_id, stichtag) JOIN lieferung l USING (lieferung_id) "
            "  WHERE l.status = 'aktiv' AND w.lieferung_id <> ? GROUP BY ALL) "
            "SELECT count(*) FILTER (WHERE a.aktuell = ? AND f.vorher IS NOT NULL), "
            "       count(*) FILTER (WHERE a.aktuell = ? AND f.vorher IS NULL), "
            "       count(*) FILTER (WHERE a.aktuell IS DISTINCT FROM ?) "
            "FROM aktuell a LEFT JOIN frueher f USING (raum_id, indikator_id, stichtag)",
            [lieferung_id, lieferung_id, lieferung_id, lieferung_id, lieferung_id]).fetchall()[0]
        return {"frueherer_stand": int(rows[0]), "entfallen": int(rows[1]), "nicht_aktuell": int(rows[2])}

    def _abhaengige_zaehlen(self) -> dict:
        """Current values without a valid area (at their Stichtag) or without a catalog entry, with the
        deliveries holding them; the catalog's and the Raumgliederung's size."""
        waisen = self.con.execute(
            "SELECT w.lieferung_id, count(*) FROM wert_aktuell w WHERE NOT EXISTS (SELECT 1 FROM raum_aktuell r "
            "  WHERE r.raum_id = w.raum_id AND r.gueltig_von <= w.stichtag "
            "  AND (r.gueltig_bis IS NULL OR r.gueltig_bis >= w.stichtag)) GROUP BY 1").fetchall()
        ohne = self.con.execute(
            "SELECT w.lieferung_id, count(*) FROM wert_aktuell w "
            "WHERE w.indikator_id NOT IN (SELECT indikator_id FROM indikator) GROUP BY 1").fetchall()
        return {"waisen": dict(waisen), "ohne_katalog": dict(ohne),
                "indikatoren": self._scalar("SELECT count(*) FROM indikator"),
                "raeume": self._scalar("SELECT count(DISTINCT raum_id) FROM raum_aktuell")}

    def rueckname_abhaengige(self, lieferung_ids: list[int]) -> dict:
        """What rolling back ``lieferung_ids`` would do to what depends on them, computed by rolling them
        back inside a transaction that is then undone: values left without a valid area or without a
        catalog entry (``waisen``/``ohne_katalog``: per other delivery holding them, only those that the
        rollback creates), indicators and areas that disappear."""
        vorher = self._abhaengige_zaehlen()
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("UPDATE lieferung SET status = 'zurückgenommen' WHERE list_contains(?::INTEGER[], "
                             "lieferung_id)", [list(map(int, lieferung_ids))])
            nachher = self._abhaengige_zaehlen()
        finally:
            self.con.execute("ROLLBACK")

        def neu(art: str) -> dict[int, int]:
            return {int(k): int(v - vorher[art].get(k, 0)) for k, v in nachher[art].items()
                    if v > vorher[art].get(k, 0) and int(k) not in lieferung_ids}

        return {"waisen": neu("waisen"), "ohne_katalog": neu("ohne_katalog"),
                "indikatoren_entfallen": int(vorher["indikatoren"] - nachher["indikatoren"]),
                "raeume_entfallen": int(vorher["raeume"] - nachher["raeume"])}

    def content_hash(self) -> str:
        """One hash over the rows of every table: equal hashes, equal contents."""
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY table_name").fetchall()]
        parts = []
        for table in tables:
            digest = self._scalar(
                f"SELECT md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)), '')) "
                f"FROM {table} t")
            parts.append(f"{table}:{digest}")
        return "|".join(parts)

    # ------------------------------------------------------------------ Einrichtungsregister
    def insert_einrichtungen(self, einrichtungen: pd.DataFrame, kapazitaeten: pd.DataFrame) -> int:
        """Insert the facility versions and capacities of one delivery (``lieferung_id`` in both frames)."""
        self._insert_frame("einrichtung_kapazitaet", kapazitaeten)
        return self._insert_frame("einrichtung", einrichtungen)

    def insert_einrichtung_lage(self, frame: pd.DataFrame) -> int:
        """Point-in-polygon results (columns of ``einrichtung_lage``); pairs already known are skipped."""
        if frame.empty:
            return 0
        view = f"_lage_{uuid.uuid4().hex}"
        self.con.register(view, frame[list(_COLUMNS["einrichtung_lage"])])
        try:
            self.con.execute(f"INSERT OR IGNORE INTO einrichtung_lage SELECT * FROM {view}")
        finally:
            self.con.unregister(view)
        return len(frame)

    def replace_versorgung_regeln(self, frame: pd.DataFrame) -> None:
        self.con.execute("DELETE FROM versorgung_regel")
        if len(frame):
            self._insert_frame("versorgung_regel", frame)

    def load_versorgung_regeln(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM versorgung_regel ORDER BY indikator_id").df()

    def load_einrichtungen(self, stichtag: date | None = None) -> pd.DataFrame:
        """The current facility register (public store: published deliveries), optionally only the
        facilities open at ``stichtag``; with the delivery's publication state."""
        return self.con.execute(
            "SELECT e.*, l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            f"FROM {self._einrichtungen} e JOIN lieferung l USING (lieferung_id) "
            "WHERE CAST(? AS DATE) IS NULL OR ((e.eroeffnet IS NULL OR e.eroeffnet <= ?) "
            "AND (e.geschlossen IS NULL OR e.geschlossen > ?)) ORDER BY e.typ, e.name, e.einrichtung_id",
            [stichtag, stichtag, stichtag]).df()

    def load_einrichtung_kapazitaeten(self) -> pd.DataFrame:
        """Capacities of the current facility versions: einrichtung_id, kapazitaet, wert."""
        return self.con.execute(
            "SELECT k.einrichtung_id, k.kapazitaet, k.wert FROM einrichtung_kapazitaet k "
            f"JOIN {self._einrichtungen} e USING (einrichtung_id, lieferung_id) ORDER BY ALL").df()

    def load_einrichtung_raeume(self, stichtag: date) -> pd.DataFrame:
        """Per current facility, the Sozialraum (level 1) it lies in at ``stichtag``: einrichtung_id, raum_id."""
        return self.con.execute(
            f"WITH r AS (SELECT raum_id, gueltig_von, coalesce(lieferung_id, 0) AS rl FROM {self._raeume} "
            "    WHERE ebene = 1 AND gueltig_von <= ? AND (gueltig_bis IS NULL OR gueltig_bis >= ?)) "
            f"SELECT e.einrichtung_id, r.raum_id FROM {self._einrichtungen} e JOIN r ON "
            "    (e.lon IS NULL AND e.raum_id = r.raum_id) OR EXISTS (SELECT 1 FROM einrichtung_lage la "
            "    WHERE la.einrichtung_id = e.einrichtung_id AND la.einrichtung_lieferung = e.lieferung_id "
            "    AND la.raum_id = r.raum_id AND la.gueltig_von = r.gueltig_von AND la.raum_lieferung = r.rl) "
            "ORDER BY ALL", [stichtag, stichtag]).df()

    def load_einrichtung_versionen(self) -> pd.DataFrame:
        """Every stored facility version with coordinates (for point-in-polygon against new areas)."""
        return self.con.execute(
            "SELECT einrichtung_id, lieferung_id, lon, lat FROM einrichtung WHERE lon IS NOT NULL "
            "ORDER BY ALL").df()

    def load_raum_versionen(self, ebene: int = 1) -> pd.DataFrame:
        """Every stored record of one level with its geometry, rolled back or not (raum_lieferung 0: none)."""
        return self.con.execute(
            "SELECT raum_id, gueltig_von, coalesce(lieferung_id, 0) AS raum_lieferung, geometrie FROM raum "
            "WHERE ebene = ? AND geometrie IS NOT NULL ORDER BY ALL", [ebene]).df()

    # ------------------------------------------------------------------ column mappings
    def save_zuordnung(self, name: str, signatur: str, inhalt: dict, benutzer: str) -> None:
        self.con.execute(
            "INSERT INTO zuordnung VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "signatur = excluded.signatur, inhalt = excluded.inhalt, benutzer = excluded.benutzer, "
            "aktualisiert = excluded.aktualisiert",
            [name, signatur, json.dumps(inhalt, ensure_ascii=False), benutzer, datetime.now()])

    def load_zuordnungen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM zuordnung ORDER BY aktualisiert DESC").df()

    # ------------------------------------------------------------------ Ziele
    def insert_ziele(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel", frame)

    def insert_ziel_soll(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ziel_soll", frame)

    def load_ziele(self) -> pd.DataFrame:
        """The goals; for a public store each in the version of its last published delivery (a goal
        delivered but not yet published is not there)."""
        if self.nur_veroeffentlicht:
            return self.con.execute(
                "SELECT * EXCLUDE (lieferung_id) FROM ziel_veroeffentlicht ORDER BY ziel_id").df()
        return self.con.execute("SELECT * FROM ziel ORDER BY ziel_id").df()

    def upsert_ziele(self, frame: pd.DataFrame, soll: pd.DataFrame | None = None,
                     lieferung_id: int | None = None) -> None:
        """Replace the goals of ``frame`` (by ziel_id) and their annual Soll values; insert
        new ones; keep them as a version of ``lieferung_id`` (None: the newest goals delivery), which
        the public sees once that delivery is published. Call inside a transaction."""
        if lieferung_id is None:
            lieferung_id = self._scalar("SELECT max(lieferung_id) FROM lieferung WHERE art = 'ziele'") or 0
        for zid in frame["ziel_id"]:
            self.con.execute("DELETE FROM ziel WHERE ziel_id = ?", [zid])
            self.con.execute("DELETE FROM ziel_soll WHERE ziel_id = ?", [zid])
        self._insert_frame("ziel", frame)
        self._insert_frame("ziel_fassung", frame.assign(lieferung_id=lieferung_id))
        if soll is not None and len(soll):
            self._insert_frame("ziel_soll", soll)
            self._insert_frame("ziel_soll_fassung", soll.assign(lieferung_id=lieferung_id))

    def insert_einordnung(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("einordnung", frame)

    def load_einordnungen(self, stichtag: date | None = None) -> pd.DataFrame:
        """The current Einordnung per reference and Stichtag (newest active delivery; published ones only
        for a public store), with who wrote it and when: bezug, stichtag, text, lieferung_id, benutzer,
        zeitpunkt, veroeffentlicht. Withdrawn ones (empty text) are left out."""
        frame = self.con.execute(
            "SELECT e.bezug, e.stichtag, e.text, e.lieferung_id, l.benutzer, l.zeitpunkt, "
            "l.veroeffentlicht_am IS NOT NULL AS veroeffentlicht "
            "FROM einordnung e JOIN lieferung l USING (lieferung_id) "
            "WHERE l.status = 'aktiv' AND (NOT ? OR l.veroeffentlicht_am IS NOT NULL) "
            "AND (CAST(? AS DATE) IS NULL OR e.stichtag = ?) "
            "QUALIFY row_number() OVER (PARTITION BY e.bezug, e.stichtag ORDER BY e.lieferung_id DESC) = 1 "
            "ORDER BY e.bezug, e.stichtag", [self.nur_veroeffentlicht, stichtag, stichtag]).df()
        if len(frame):
            frame["stichtag"] = pd.to_datetime(frame["stichtag"]).dt.date
        return frame[frame["text"].str.strip() != ""].reset_index(drop=True)

    def load_ziel_soll(self) -> pd.DataFrame:
        if self.nur_veroeffentlicht:
            return self.con.execute(
                "SELECT s.ziel_id, s.jahr, s.soll FROM ziel_soll_fassung s JOIN ziel_veroeffentlicht z "
                "USING (ziel_id, lieferung_id) ORDER BY s.ziel_id, s.jahr").df()
        return self.con.execute("SELECT ziel_id, jahr, soll FROM ziel_soll ORDER BY ziel_id, jahr").df()

    # ------------------------------------------------------------------ Produkte
    def insert_produktbereiche(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produktbereich", frame)

    def insert_produktgruppen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produktgruppe", frame)

    def insert_produkte(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt", frame)

    def insert_produkt_kennzahlen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt_kennzahl", frame)

    def insert_produkt_kennzahl_werte(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("produkt_kennzahl_wert", frame)

    def insert_ergebnisplan_positionen(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("ergebnisplan_position", frame)

    def insert_teilergebnisplan(self, frame: pd.DataFrame) -> int:
        return self._insert_frame("teilergebnisplan", frame)

    def upsert_produktstamm(self, ebene: str, frame: pd.DataFrame, lieferung_id: int | None = None) -> None:
        """Replace rows of ``produktbereich``, ``produktgruppe`` or ``produkt`` by number and keep them as a
        version of ``lieferung_id`` (None: the newest products delivery), which the public sees once that
        delivery is published (the version before the first change stays, as 0); call inside a transaction."""
        if ebene not in ("produktbereich", "produktgruppe", "produkt"):
            raise StoreError(f"Unbekannte Produktebene {ebene}")
        if lieferung_id is None:
            lieferung_id = self._scalar("SELECT max(lieferung_id) FROM lieferung WHERE art = 'produkte'") or 0
        nrs = [str(n) for n in frame["nr"]]
        # The table name is one of three fixed names checked above, never user input.
        self.con.execute(f"INSERT INTO {ebene}_fassung BY NAME SELECT *, 0 AS lieferung_id FROM {ebene} "
                         f"WHERE list_contains(?::VARCHAR[], nr) AND nr NOT IN (SELECT nr FROM {ebene}_fassung)", [nrs])
        for nr in nrs:
            self.con.execute(f"DELETE FROM {ebene} WHERE nr = ?", [nr])
        self._insert_frame(ebene, frame)
        self._insert_frame(f"{ebene}_fassung", frame.assign(lieferung_id=lieferung_id))

    def load_produkte(self) -> pd.DataFrame:
        """Products with their group and area names (one row per product)."""
        p, g, b = (self._produkt_sicht(t) for t in ("produkt", "produktgruppe", "produktbereich"))
        return self.con.execute(
            "SELECT p.*, g.name AS gruppe_name, g.bereich_nr, b.name AS bereich_name "
            f"FROM {p} p JOIN {g} g ON p.gruppe_nr = g.nr "
            f"JOIN {b} b ON g.bereich_nr = b.nr ORDER BY p.nr"
        ).df()

    def _produkt_sicht(self, tabelle: str) -> str:
        """A product table as this store may read it (public: the published versions)."""
        return f"{tabelle}_veroeffentlicht" if self.nur_veroeffentlicht else tabelle

    def load_produktgruppen(self) -> pd.DataFrame:
        return self.con.execute(f"SELECT * FROM {self._produkt_sicht('produktgruppe')} ORDER BY nr").df()

    def load_produktbereiche(self) -> pd.DataFrame:
        return self.con.execute(f"SELECT * FROM {self._produkt_sicht('produktbereich')} ORDER BY nr").df()

    def load_produkt_kennzahlen(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT k.*, w.jahr, w.wertart, w.wert FROM produkt_kennzahl k "
            f"LEFT JOIN produkt_kennzahl_{'veroeffentlicht' if self.nur_veroeffentlicht else 'aktuell'} w "
            "USING (kennzahl_id) "
            "ORDER BY k.kennzahl_id, w.jahr, w.wertart"
        ).df()

    def load_ergebnisplan_positionen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM ergebnisplan_position ORDER BY position_nr").df()

    def load_teilergebnisplan(self, produkt_nrs: list[str] | None = None) -> pd.DataFrame:
        return self.con.execute(
            "SELECT produkt_nr, position_nr, jahr, monat, wertart, betrag, lieferung_id "
            f"FROM teilergebnisplan_{'veroeffentlicht' if self.nur_veroeffentlicht else 'aktuell'} "
            "WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], produkt_nr) "
            "ORDER BY produkt_nr, jahr, monat, wertart, position_nr",
            [produkt_nrs, produkt_nrs],
        ).df()

    # ------------------------------------------------------------------ Wirkungsbeitrag
    def load_wirkung(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(weights per strategic goal, contributions per product and goal)."""
        return (self.con.execute("SELECT ziel_id, gewicht FROM wirkung_gewicht ORDER BY ziel_id").df(),
                self.con.execute("SELECT produkt_nr, ziel_id, beitrag, beitrag_soll FROM wirkung_beitrag "
                                 "ORDER BY produkt_nr, ziel_id").df())

    def replace_wirkung(self, gewichte: pd.DataFrame, beitraege: pd.DataFrame) -> None:
        """Replace weights and contributions; call inside a transaction."""
        self.con.execute("DELETE FROM wirkung_gewicht")
        self.con.execute("DELETE FROM wirkung_beitrag")
        self._insert_frame("wirkung_gewicht", gewichte)
        self._insert_frame("wirkung_beitrag", beitraege)

    # ------------------------------------------------------------------ SROI
    def load_sroi(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(analyses, impact map lines of all analyses)."""
        return (self.con.execute("SELECT * FROM sroi_analyse ORDER BY analyse_id").df(),
                self.con.execute("SELECT * FROM sroi_wirkung ORDER BY analyse_id, nr").df())

    def replace_sroi(self, analyse: pd.DataFrame, wirkungen: pd.DataFrame) -> None:
        """Replace one analysis (by analyse_id) with its lines; call inside a transaction."""
        aid = str(analyse["analyse_id"].iloc[0])
        self.con.execute("DELETE FROM sroi_wirkung WHERE analyse_id = ?", [aid])
        self.con.execute("DELETE FROM sroi_analyse WHERE analyse_id = ?", [aid])
        self._insert_frame("sroi_analyse", analyse)
        if len(wirkungen):
            self._insert_frame("sroi_wirkung", wirkungen)

    # ------------------------------------------------------------------ audit
    def insert_audit(self, benutzer: str, aktion: str, objekt_typ: str,
                     objekt_id: str | None = None, details: dict | None = None,
                     zeitpunkt: datetime | None = None) -> None:
        self.con.execute(
            "INSERT INTO audit_log (zeitpunkt, benutzer, aktion, objekt_typ, objekt_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [zeitpunkt or datetime.now(), benutzer, aktion, objekt_typ, objekt_id,
             json.dumps(details, ensure_ascii=False, default=str) if details else None],
        )

    def _audit_nachtragen(self) -> int:
        """Audit entries that waited in the spool file (the database was busy when they happened) go
        into the log with their original time, in one transaction; the spool is then emptied."""
        if not self.path or self.path == ":memory:" or not audit_warteschlange(self.path).exists():
            return 0
        # take the spool away first (atomic rename): entries spooled meanwhile start a new file
        uebernommen = audit_warteschlange(self.path).with_suffix(f".{os.getpid()}.uebernahme")
        try:
            os.replace(audit_warteschlange(self.path), uebernommen)
        except OSError:
            return 0
        eintraege = audit_warteschlange_lesen(uebernommen)
        try:
            with self.transaction(bump=False):
                for e in eintraege:
                    self.insert_audit(e["benutzer"], e["aktion"], e["objekt_typ"], e.get("objekt_id"),
                                      e.get("details"), datetime.fromisoformat(e["zeitpunkt"]))
        except BaseException:
            # nothing lost: the entries go back into the spool for the next attempt
            with open(audit_warteschlange(self.path), "a", encoding="utf-8") as f:
                f.write(uebernommen.read_text(encoding="utf-8"))
            uebernommen.unlink(missing_ok=True)
            raise
        uebernommen.unlink(missing_ok=True)
        return len(eintraege)

    def load_audit(self, von: date | None = None, bis: date | None = None, benutzer: str | None = None,
                   aktion: str | None = None) -> pd.DataFrame:
        """Audit entries in order, optionally of one day range, user and action."""
        return self.con.execute(
            "SELECT * FROM audit_log "
            "WHERE (CAST(? AS DATE) IS NULL OR CAST(zeitpunkt AS DATE) >= ?) "
            "AND (CAST(? AS DATE) IS NULL OR CAST(zeitpunkt AS DATE) <= ?) "
            "AND (CAST(? AS VARCHAR) IS NULL OR benutzer = ?) "
            "AND (CAST(? AS VARCHAR) IS NULL OR aktion = ?) "
            "ORDER BY audit_id",
            [von, von, bis, bis, benutzer, benutzer, aktion, aktion],
        ).df()

    # ------------------------------------------------------------------ overview
    def count_rows(self) -> dict[str, int]:
        """Row counts of the main tables (for status displays and the CLI)."""
        tables = ("raum", "indikator", "wert", "lieferung", "ziel", "produkt", "teilergebnisplan",
                  "audit_log")
        return {t: int(self._scalar(f"SELECT count(*) FROM {t}")) for t in tables}

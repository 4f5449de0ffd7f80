-- Migration 9: Gesamtwert geliefert oder Summe, strikte Zielgrenzen

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

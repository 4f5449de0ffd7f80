-- Migration 20: Ziele löschen

-- A deleted goal leaves a version without content in ziel_fassung (only ziel_id and the deleting delivery): once
-- that delivery is published, the public no longer sees the goal.
CREATE OR REPLACE VIEW ziel_veroeffentlicht AS
SELECT * FROM (
    SELECT f.* FROM ziel_fassung f LEFT JOIN lieferung l USING (lieferung_id)
    WHERE f.lieferung_id = 0 OR (l.status = 'aktiv' AND l.veroeffentlicht_am IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY f.ziel_id ORDER BY f.lieferung_id DESC) = 1
) WHERE titel IS NOT NULL;

-- Migration 8: Veröffentlichungsstatus der Lieferungen

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

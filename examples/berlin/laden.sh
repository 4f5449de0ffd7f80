#!/usr/bin/env bash
# Lädt die echten Berliner Daten aus ../shared/data/real in eine eigene Datenbank –
# über denselben Importweg, den Planerinnen und Planer in der App nutzen.
#   FIS_DB=data/berlin.duckdb examples/berlin/laden.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export FIS_CONFIG="examples/berlin/config"
DB="${FIS_DB:-data/berlin.duckdb}"
DATEN="${BERLIN_DATEN:-../shared/data/real}"
Z="examples/berlin/zuordnungen"
# the project environment of ./scripts/start, if there is one (else PYTHON or python on the PATH)
PY="${PYTHON:-python}"
[ -z "${PYTHON:-}" ] && [ -x .venv/bin/python ] && PY=.venv/bin/python
imp() { "$PY" -m fis --config "$FIS_CONFIG" import --db "$DB" --veroeffentlichen --quelle "${QUELLE:-}" "$@"; }

# 1. Katalog
imp "$FIS_CONFIG/indikatoren.yaml" --bezeichnung "Indikatorenkatalog Berlin-Beispiel"

# 2. Raumgliederung: Bezirke (unverändert seit 2001), LOR bis 2020, LOR 2021
G="$DATEN/berlin-lor-geometrie"
QUELLE="Amt für Statistik Berlin-Brandenburg / Geoportal Berlin"
imp "$G/bezirke/berlin-lor-districts.geojson" --zuordnung "$Z/bezirke.yaml" --bezeichnung "Bezirke"
imp "$G/bzr_bis2020/berlin-lor-district-regions-until-2020.geojson" --zuordnung "$Z/bzr_bis2020.yaml" \
    --bezeichnung "Bezirksregionen LOR bis 2020"
imp "$G/plr_bis2020/berlin-lor-planning-areas-until-2020.geojson" --zuordnung "$Z/plr_bis2020.yaml" \
    --bezeichnung "Planungsräume LOR bis 2020"
imp "$G/bzr_2021/lor_bezirksregionen_2021.shp" --zuordnung "$Z/bzr_2021.yaml" --bezeichnung "Bezirksregionen LOR 2021"
imp "$G/plr_2021/lor_planungsraeume_2021.shp" --zuordnung "$Z/plr_2021.yaml" --bezeichnung "Planungsräume LOR 2021"

# 3. Einwohnerregister 31.12.2015 bis 31.12.2024, je Jahr zwei Tabellen
QUELLE="Amt für Statistik Berlin-Brandenburg"
for JAHR in 2015 2016 2017 2018 2019 2020 2021 2022 2023 2024; do
  E="$DATEN/berlin-einwohner/berlin-lor-population-$JAHR-02-csv/berlin-lor-population-$JAHR-02"
  imp "$E-t1-planning-areas.csv" --zuordnung "$Z/ewr_t1.yaml" --stichtag "31.12.$JAHR" \
      --bezeichnung "Einwohnerregister 31.12.$JAHR, Staatsangehörigkeit"
  imp "$E-t2-planning-areas.csv" --zuordnung "$Z/ewr_t2.yaml" --stichtag "31.12.$JAHR" \
      --bezeichnung "Einwohnerregister 31.12.$JAHR, Altersgruppen"
done

# 4. Monitoring Soziale Stadtentwicklung: Ausgabe JJJJ = Stand 31.12. des Vorjahres
QUELLE="SenSBW, Monitoring Soziale Stadtentwicklung"
M="$DATEN/berlin-mss/editions_2013-2021/berlin-lor-monitoring-social-urban-development"
for AUSGABE in 2013 2015 2017; do
  imp "$M-$AUSGABE-00-2-1.csv" --zuordnung "$Z/mss_2013_2017.yaml" --stichtag "31.12.$((AUSGABE - 1))" \
      --bezeichnung "MSS $AUSGABE, Indexindikatoren"
done
imp "$M-2019-00-2-1.csv" --zuordnung "$Z/mss_2019.yaml" --stichtag "31.12.2018" \
    --bezeichnung "MSS 2019, Indexindikatoren"
# MSS 2021 bezieht sich auf Dezember 2020, ist aber auf die LOR 2021 umgerechnet. Das FIS führt je
# Stichtag genau einen Raumzuschnitt; die Werte stehen daher am ersten Tag des neuen Zuschnitts.
imp "$DATEN/berlin-mss/mss2021_wfs/mss_2021_index_indikatoren.csv" --zuordnung "$Z/mss_2021_wfs.yaml" \
    --stichtag "01.01.2021" --bezeichnung "MSS 2021, Indexindikatoren (Stand 12/2020, LOR 2021)"

"$PY" -m fis --config "$FIS_CONFIG" status --db "$DB"

"""Report-grade PDFs: the page „Auf einen Blick“ first (goals per Ampel, the largest deviations, key
figures, Handlungsbedarf, the planners' Einordnung – published ones only for the public), contents only
for long reports, table headers never broken inside a word, table rows never split across pages, maps
with names or numbered areas and their key, the Steckbrief with a locator map and a chart per
Handlungsfeld, the city's design (logo, colour, font) from stadt.yaml."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from fis import controlling as ctl
from fis import hochrechnung, palette
from fis.analysen import profil
from fis.berichte import Abschnitt, Bericht, Tabelle, _quer, pdf
from fis.berichte.grafik import _beschriftung
from fis.berichte.inhalte import abweichungsbericht, monitoringbericht, steckbrief
from fis.config import ConfigError
from fis.config_lesen import lade_konfiguration
from fis.einordnung import speichern
from fis.kartenansicht import kartenansicht
from fis.lagebild import berechne_lagebild
from fis.maps import anzeige_geometrien
from fis.store import LATEST_VERSION, Store
from fis.store.werte import AKTUELL
from fis.wuerfel import lade_monitoring

pytestmark = pytest.mark.langsam   # sets PDFs with Typst

T = date(2024, 12, 31)


def _seiten(daten: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(daten)).pages]


def _flach(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _abweichungsbericht(store, config, m):
    c = ctl.lade_controlling(store, m)
    jahr, monat = hochrechnung.berichtsstand(c, "Quartal")
    b = ctl.bewerte_ziele(c, T.year, config.controlling)
    h = hochrechnung.haushaltszeilen(c, jahr, monat, config.controlling.haushalt)
    return b, h, abweichungsbericht(store, config, c, b, h, "Quartal", T.year, stichtag=T)


def test_the_quarterly_report_opens_with_the_summary_and_the_einordnung(store, config):
    speichern(store, "ziele", T, "Zwölf der roten Ziele betreffen Kinder und Familien.", "p.planer",
              veroeffentlichen=True)
    speichern(store, "lagebild", T, "Entwurf: noch nicht abgestimmt.", "p.planer")          # not published
    m = lade_monitoring(store, config)
    bewertung, zeilen, bericht = _abweichungsbericht(store, config, m)
    seiten = _seiten(pdf(bericht))
    blick = _flach(seiten[1])                                   # page 1 is the title page
    assert blick.startswith(f"{config.stadt.name} · Abweichungsbericht") and "Auf einen Blick" in blick
    n = bewertung["ampel_eigen"].value_counts()
    for farbe in ("rot", "gelb", "grün", "grau"):
        assert f"{int(n.get(farbe, 0))} {farbe}" in blick                   # the Ampel chips
    eigene = int(sum(n.get(f, 0) for f in ("rot", "gelb", "grün", "grau")))      # goals without own Kennzahl: not
    assert eigene < len(bewertung)
    assert (f"Von {eigene} Zielen mit eigener Kennzahl sind {int(n['rot'])} rot, {int(n.get('gelb', 0))} "
            f"gelb und {int(n.get('grün', 0))} grün") in blick
    # the largest deviations: red first, then by the size of the deviation; at most five
    groesste = ctl.abweichungsbericht(ctl.lade_controlling(store, m), bewertung, zeilen, "Quartal")
    groesste = groesste[groesste["ampel"] == "rot"].sort_values("schwere", ascending=False)
    assert "Die größten Abweichungen" in blick and _flach(groesste["bezeichnung"].iloc[0])[:30] in blick
    lage = berechne_lagebild(store, config, T, 1, m)
    assert f"Handlungsbedarf: {len(lage.handlungsbedarf)} von 51 Sozialräumen" in blick
    assert "Eckwerte der Gesamtstadt am 31.12.2024" in blick and "Einwohnerinnen und Einwohner" in blick
    assert "Einordnung der Sozialplanung" in blick and "Zwölf der roten Ziele betreffen Kinder" in blick
    assert "Entwurf: noch nicht abgestimmt." in blick and "noch nicht veröffentlicht" in blick   # Planung: marked
    assert len(seiten) <= 6 and not any(s.lstrip().splitlines()[1:2] == ["Inhalt"] for s in seiten)  # no contents
    # the committee's copy: the draft is not in it
    oeffentlich = store.cursor(nur_veroeffentlicht=True)
    _, _, fuer_alle = _abweichungsbericht(oeffentlich, config, lade_monitoring(oeffentlich, config))
    text = _flach(" ".join(_seiten(pdf(fuer_alle))))
    assert "Zwölf der roten Ziele" in text and "Entwurf: noch nicht abgestimmt." not in text


def test_a_long_report_gets_contents_a_short_one_none(demo, config, m):
    geo = anzeige_geometrien(demo, T, 1)
    kurz = _seiten(pdf(monitoringbericht(demo, config, m, geo, T, ["kinderarmut"])))
    assert len(kurz) < 7 and not any("Inhalt" in s.splitlines()[:3] for s in kurz)
    lang = _seiten(pdf(monitoringbericht(demo, config, m, geo, T, list(config.lagebild.kennzahlen))))
    assert len(lang) >= 7 and "Inhalt" in lang[2] and "Auf einen Blick" in lang[1]
    assert "Sozialräume mit Handlungsbedarf" in lang[2]                       # the contents list the chapters


def _breite_tabelle(zeilen: int = 3) -> pd.DataFrame:
    koepfe = ["Sozialraum", "Alleinerziehende", "Arbeitslosenanteil", "Kinderarmutsquote", "Beitragsbefreite Kinder",
              "Migrationshintergrund u21", "Transferleistungsbezug", "Wohnungslosigkeit", "Pflegebedürftigkeit"]
    return pd.DataFrame([[f"Altstadt-Nord {i}"] + [f"{10 + i},{j} %" for j in range(len(koepfe) - 1)]
                         for i in range(zeilen)], columns=koepfe)


def test_table_headers_never_break_inside_a_word():
    frame = _breite_tabelle()
    tabellen = [Tabelle("breit", frame), Tabelle("schmal", frame.iloc[:, :3], ["1fr", "0.8cm", "auto"])]
    text = _flach(" ".join(_seiten(pdf(Bericht("Köpfe", "u", "Stadt", T, "endgültig", "–",
                                                [Abschnitt("Tabellen", tabellen=tabellen)], [], [])))))
    for kopf in frame.columns:
        for wort in kopf.split():
            assert wort in text, wort                      # „Alleinerziehende“, never „Alleinerzie- hende“
    assert not re.search(r"[a-zäöüß]- [a-zäöüß]", text.split("Tabellen", 1)[1].split("schmal")[0])
    assert _quer(tabellen[0]) == list(range(1, 9))         # too wide for the page: long headers upright


def test_the_monitoring_report_headers_stay_whole(demo, config, m):
    b = monitoringbericht(demo, config, m, anzeige_geometrien(demo, T, 1), T, ["kinderarmut"])
    seite = next(s for s in _seiten(pdf(b)) if "mit Handlungsbedarf" in s and "Stadtbezirk" in s)
    for kopf in berechne_lagebild(demo, config, T, 1, m).handlungsbedarf.columns[1:]:
        for wort in kopf.split():
            assert wort in seite, wort


def test_table_rows_never_split_across_pages():
    lang = " ".join(["Begründung mit vielen Worten über die Abweichung und ihre Ursachen"] * 6)
    frame = pd.DataFrame({"Nr.": [str(i) for i in range(40)],
                          "Text": [f"ANFANG{i} {lang} ENDE{i}" for i in range(40)]})
    seiten = _seiten(pdf(Bericht("Zeilen", "u", "Stadt", T, "endgültig", "–",
                                 [Abschnitt("Lange Zeilen", tabellen=[Tabelle("", frame, ["auto", "1fr"])])], [], [])))
    assert len(seiten) > 4
    for i in range(40):
        wo = [n for n, s in enumerate(seiten) if f"ANFANG{i} " in s or f"ANFANG{i}\n" in s]
        assert wo and f"ENDE{i}" in seiten[wo[0]], i        # beginning and end of every row on one page


def test_maps_name_what_fits_and_number_the_rest(demo, m):
    a = kartenansicht(m, anzeige_geometrien(demo, T, 1), "kinderarmut", T, 1)
    labels, schluessel = _beschriftung(a.daten, 340, 300, None)
    namen = set(pd.Series(m.namen()).tolist())
    mit_namen = [t for t in labels["text"] if not t.isdigit()]
    nummern = [t for t in labels["text"] if t.isdigit()]
    assert mit_namen and nummern and set(mit_namen) <= namen
    liste = schluessel.removeprefix("Nummern in der Karte: ").rstrip(".")
    eintraege = dict(e.split(" ", 1) for e in liste.split(" · "))
    assert sorted(eintraege, key=int) == sorted(nummern, key=int)          # every number on the map is keyed
    assert set(eintraege.values()) <= namen and not set(eintraege.values()) & set(mit_namen)
    # no two labels overlap (boxes as placed: 0.56 em per character at 8 px)
    from fis.maps import _pixel, ansicht
    view = ansicht(a.daten.set_index("raum_id")["geometrie"], 340, 300)
    x, y = _pixel(labels["lon"].to_numpy(), labels["lat"].to_numpy(), view, 340, 300)
    w = [0.56 * 8 * len(t) + 6 for t in labels["text"]]
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            assert abs(x[i] - x[j]) * 2 >= min(w[i], w[j]) or abs(y[i] - y[j]) >= 8 * 1.3 - 1e-6


def test_many_small_areas_are_named_by_their_parent_units():
    quadrate = [shapely.box(7 + i * 0.01, 51 + j * 0.01, 7 + (i + 1) * 0.01, 51 + (j + 1) * 0.01)
                for i in range(10) for j in range(10)]
    d = pd.DataFrame({"raum_id": [f"{k:03d}" for k in range(100)], "name": [f"Planungsraum {k}" for k in range(100)],
                      "geometrie": quadrate})
    ober = pd.DataFrame({"raum_id": ["A", "B"], "name": ["Nordbezirk", "Südbezirk"],
                         "geometrie": [shapely.box(7, 51.05, 7.1, 51.1), shapely.box(7, 51, 7.1, 51.05)]})
    labels, schluessel = _beschriftung(d, 340, 300, ober, oberebenen_name="Bezirke")
    assert sorted(labels["text"]) == ["Nordbezirk", "Südbezirk"] and labels["fett"].all()
    assert schluessel == "Beschriftet sind die Bezirke."


def test_the_steckbrief_has_a_locator_map_and_a_chart_per_handlungsfeld(demo, config, m):
    b = steckbrief(demo, config, m, ["0103"], T)
    felder = profil(m, "0103", T)
    mit_index = felder[~felder["unterdrueckt"].astype(bool) & felder["index"].notna()]["handlungsfeld"].nunique()
    bilder = [bild.titel for a in b.abschnitte for bild in a.bilder]
    assert bilder[0] == "Lage von Schlossviertel im Stadtgebiet"
    assert len(bilder) == 1 + mit_index and all("im Vergleich zur Gesamtstadt" in t for t in bilder[1:])
    reader = PdfReader(io.BytesIO(pdf(b)))
    assert sum(len(p.images) for p in reader.pages) == len(bilder)


def test_the_index_bars_leave_out_suppressed_values(demo, m):
    from fis.charts import indexbalken
    d = profil(m, "0202", T)
    geschuetzt = d[d["unterdrueckt"].astype(bool)]
    assert len(geschuetzt)                                          # the demo area has protected values
    spec = indexbalken(d).to_dict()
    werte = [x for daten in spec["datasets"].values() for x in daten]
    gezeigt = {x["indikator_id"] for x in werte if "indikator_id" in x}
    assert gezeigt and not gezeigt & set(geschuetzt["indikator_id"])
    zeile = next(x for x in werte if x.get("indikator_id") == d.dropna(subset=["index"]).iloc[0]["indikator_id"])
    assert zeile["farbe"] in (palette.GUENSTIG, palette.UNGUENSTIG, palette.REFERENZ_HELL)


@pytest.fixture
def design_config(tmp_path):
    ziel = tmp_path / "config"
    shutil.copytree(lade_konfiguration().verzeichnis, ziel)
    from PIL import Image
    Image.new("RGB", (120, 40), (0, 92, 169)).save(ziel / "logo.png")
    stadt = ziel / "stadt.yaml"
    stadt.write_text(stadt.read_text(encoding="utf-8") + '\nerscheinungsbild:\n  logo: logo.png\n'
                     '  hauptfarbe: "#005ca9"\n  schrift: Lato\n', encoding="utf-8")
    return ziel


def test_the_citys_design_is_applied_to_the_pdf(demo, m, design_config):
    config = lade_konfiguration(design_config)
    g = palette.gestaltung(config)
    assert g.farbe == g.schriftfarbe == "#005ca9" and g.schrift == "Lato" and g.logo.endswith("logo.png")
    daten = pdf(steckbrief(demo, config, m, ["0103"], T))
    assert b"Lato" in daten and b"SourceSansPro" not in daten         # the chosen font, embedded
    # the logo on the title page and in the header of every further page
    seiten = PdfReader(io.BytesIO(daten)).pages
    assert len(seiten[0].images) == 1 and all(len(s.images) >= 1 for s in seiten[1:])
    standard = pdf(steckbrief(demo, lade_konfiguration(), m, ["0103"], T))
    assert b"SourceSansPro" in standard                                 # the default: the app's font


def test_a_light_house_colour_colours_lines_never_text(design_config):
    stadt = design_config / "stadt.yaml"
    stadt.write_text(stadt.read_text(encoding="utf-8").replace('"#005ca9"', '"#ffd500"'), encoding="utf-8")
    g = palette.gestaltung(lade_konfiguration(design_config))
    assert g.farbe == "#ffd500" and g.schriftfarbe == palette.TEXT
    assert "--fis-haus: #ffd500" in palette.css_gestaltung(g)


@pytest.mark.parametrize("ersetzen, meldung", [
    (("hauptfarbe: \"#005ca9\"", "hauptfarbe: blau"), "Hex-Wert mit „#“ und sechs Zeichen"),
    (("logo: logo.png", "logo: wappen.png"), "die Datei „wappen.png“ gibt es im Konfigurationsordner"),
    (("logo: logo.png", "logo: logo.gif"), "PNG-, JPG- oder SVG-Datei"),
    (("schrift: Lato", "schrift: Comic Sans"), "„Source Sans Pro“, „Lato“"),
])
def test_design_errors_are_german(design_config, ersetzen, meldung):
    stadt = design_config / "stadt.yaml"
    stadt.write_text(stadt.read_text(encoding="utf-8").replace(*ersetzen), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(meldung)):
        lade_konfiguration(design_config)


def test_an_older_database_is_upgraded_when_opened_read_only(demo_copy, config):
    """A database of schema 9 (before the Einordnung, the publication of every delivery kind and the facility
    register)."""
    with Store.open(demo_copy) as s:
        ziele = len(s.lade_ziele())
        for sicht in ("indikator", "raum", "ziel", "produktbereich", "produktgruppe", "produkt",
                      "produkt_kennzahl", "teilergebnisplan"):
            s.con.execute(f"DROP VIEW {sicht}_veroeffentlicht")
        for tabelle in ("ziel_fassung", "ziel_soll_fassung", "produktbereich_fassung", "produktgruppe_fassung",
                        "produkt_fassung", "einordnung"):
            s.con.execute(f"DROP TABLE {tabelle}")
        for sicht in ("wert_lesen_aktuell", "wert_lesen_veroeffentlicht", "versorgung_aktuell",
                      "versorgung_veroeffentlicht", "einrichtung_aktuell", "einrichtung_veroeffentlicht"):
            s.con.execute(f"DROP VIEW {sicht}")
        for tabelle in ("einrichtung", "einrichtung_kapazitaet", "einrichtung_lage", "versorgung_regel"):
            s.con.execute(f"DROP TABLE {tabelle}")
        # the Maßnahmenregister (migration 17), the Gegensteuerung (18), Planungszyklus und Beteiligung (19)
        for sicht in ("massnahme_aktuell", "massnahme_veroeffentlicht", "planungszyklus_aktuell",
                      "planungszyklus_veroeffentlicht", "beteiligung_aktuell", "beteiligung_veroeffentlicht"):
            s.con.execute(f"DROP VIEW {sicht}")
        for tabelle in ("massnahme", "massnahme_status", "massnahme_jahr", "massnahme_evaluation", "gegensteuerung",
                        "planungszyklus", "planungszyklus_phase", "beteiligung", "beteiligung_teilnehmende"):
            s.con.execute(f"DROP TABLE {tabelle}")
        for tabelle in ("wuerfel", "wuerfel_stand"):           # the aggregate cube (migration 21)
            s.con.execute(f"DROP TABLE {tabelle}")
        # before migration 16 the current values were views over the history
        for tabelle, bedingung in AKTUELL.items():
            s.con.execute(f"DROP TABLE {tabelle}")
            s.con.execute(f"CREATE VIEW {tabelle} AS SELECT w.* FROM wert w JOIN lieferung l USING (lieferung_id) "
                          f"WHERE {bedingung} QUALIFY row_number() OVER (PARTITION BY w.raum_id, w.indikator_id, "
                          "w.stichtag ORDER BY w.lieferung_id DESC) = 1")
        s.con.execute("DELETE FROM schema_version WHERE version >= 10")
    with Store.open(demo_copy, read_only=True) as s:
        assert s.schema_version() == LATEST_VERSION and s.lade_einordnungen().empty
        assert len(s.lade_werte(["sgb2_quote"])) > 0          # the current values filled from the history
        # the aggregate cube starts empty; a read-only reader computes what it needs
        assert s.wuerfel_stand() == {} and lade_monitoring(s, config, ["sgb2_quote"]).auswahl("sgb2_quote").size
        # goals that were in use before count as published
        assert len(s.cursor(nur_veroeffentlicht=True).lade_ziele()) == ziele


def test_a_trend_of_eight_bezirke_gives_every_line_its_own_colour(m):
    from fis.analysen import zeitreihe_werte
    from fis.charts import zeitreihe
    bezirke = sorted(m.raeume[(m.raeume["stichtag"] == T) & (m.raeume["ebene"] == 2)]["raum_id"])
    assert len(bezirke) == 8                                           # more than the six Okabe-Ito colours
    spec = zeitreihe(zeitreihe_werte(m, "kinderarmut", bezirke), m.meta("kinderarmut")).to_dict()
    skala = next(layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    farben = dict(zip(skala["domain"], skala["range"], strict=True))
    namen = m.namen()
    linien = [farben[namen[b]] for b in bezirke]
    assert len(set(linien)) == 8 and palette.REFERENZ not in linien          # the city alone is the grey reference

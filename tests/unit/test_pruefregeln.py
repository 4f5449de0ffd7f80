"""The checks of every delivery kind as declarative tables: the registry names each kind's table, ids are unique,
the message templates write singular and plural, and the messages users see are the hand-written ones."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from fis.cli import main
from fis.ingest import katalog as katalog_import
from fis.ingest import produkte as produkte_import
from fis.ingest import werte as werte_import
from fis.ingest.arten import LIEFERARTEN, pruefkatalog
from fis.ingest.bericht import SCHWEREN, Pruefbericht
from fis.ingest.lesen import lies_tabelle
from fis.ingest.pruefregeln import Kontext, Pruefregel, anwenden, zeilen
from fis.ingest.zuordnung import Zuordnung

ARTEN = [a for a in LIEFERARTEN.values() if a.aus_datei]


def test_every_delivery_kind_names_its_checks_and_their_ids_are_unique():
    for art in ARTEN:
        ids = [r.id for r in art.regeln]
        assert ids, art.id
        assert len(ids) == len(set(ids)), art.id
        assert ids[0] == "datei_geliefert"                         # the file itself first, for every kind
        assert all(r.schwere in SCHWEREN and r.titel and r.meldung for r in art.regeln), art.id
    # one id means one check, whichever kind lists it
    je_id: dict[str, Pruefregel] = {}
    for art in ARTEN:
        for r in art.regeln:
            assert je_id.setdefault(r.id, r) is r, r.id
    katalog = pruefkatalog()
    assert len(katalog) == sum(len(a.regeln) for a in ARTEN) and set(katalog["Art"]) == {a.name for a in ARTEN}


def _vorlagen():
    return sorted({(r.id, r.meldung) for a in ARTEN for r in a.regeln if isinstance(r.meldung, str)})


@pytest.mark.parametrize(("regel_id", "vorlage"), _vorlagen(), ids=[i for i, _ in _vorlagen()])
def test_every_template_writes_the_count_in_singular_and_plural(regel_id, vorlage):
    teile = list(string.Formatter().parse(vorlage))
    felder = {f for _, f, _, _ in teile if f} | {f for *_, spec, _ in teile if spec
                                                 for _, f, _, _ in string.Formatter().parse(spec) if f}
    zahl = [spec for _, f, spec, _ in string.Formatter().parse(vorlage) if f == "n"]
    werte = {f: f"‹{f}›" for f in felder}
    if zahl:
        einzahl, mehrzahl = zahl[0].split("|", 1)
        regel = Pruefregel(regel_id, "Hinweis", "T", vorlage)
        for n, erwartet in ((1, einzahl), (1204, mehrzahl)):
            text = regel.text(pd.DataFrame({"wert": [f"w{i}" for i in range(n)]}), {}, Kontext(felder=werte))
            anfang = string.Formatter().vformat(erwartet, (), werte)
            assert f"{'1' if n == 1 else '1.204'} {anfang}" in text, text
    else:
        assert "{" not in string.Formatter().vformat(vorlage, (), {**werte, "n": 1})


def test_a_table_rule_finds_rows_counts_and_says_so_with_the_fix():
    regel = Pruefregel("t_negativ", "Fehler", "Negativ", "{n:Betrag ist|Beträge sind} negativ ({werte}).",
                       abhilfe="Bitte das Vorzeichen prüfen.",
                       finden=lambda d, k: zeilen(d, d["x"] < 0, "x", "x", "negativ"))
    daten = pd.DataFrame({"zeile": [2, 3, 4], "x": [-1, 5, -2]})
    bericht = Pruefbericht()
    fehlerhaft = anwenden((regel,), daten, Kontext(), bericht)
    assert fehlerhaft == {0, 2}
    assert bericht.als_text() == "Fehler: Negativ – 2 Beträge sind negativ (-1, -2). Bitte das Vorzeichen prüfen. " \
                                 "(Zeile 2, 4)"
    assert bericht.detailtabelle()["hinweis"].tolist() == ["negativ", "negativ"]


def test_catalog_file_with_every_kind_of_mistake(store):
    datei = (b"id;name;kurzname;handlungsfeld;einheit;definition;aggregation;polaritaet;quelle;faktor;geheimhaltung\n"
             b"gut_1;Gut;Gut;Feld;%;Def;quote;hoch_gut;Q;viel;3\n"
             b"Schlecht-Id;X;X;Feld;%;Def;mittel;hoch_gut;Q;1;3\n"
             b"ohne;;X;Feld;%;Def;summe;egal;Q;1;-1\n"
             b"gut_1;Gut;Gut;Feld;%;Def;summe;hoch_gut;Q;1;3\n")
    v = katalog_import.vorbereiten(store, datei, "katalog.csv", 3)
    assert not v.uebernehmbar
    meldungen = {p.meldung for p in v.bericht.fehler}
    assert meldungen == {
        "Zeile 2: Spalte „faktor“: „viel“ ist keine gültige Angabe.",
        "Zeile 4: es fehlen name.",
        "Zeile 3: „aggregation“: „mittel“ ist nicht erlaubt. Erlaubt sind: quote, summe.",
        "Zeile 4: „polaritaet“: „egal“ ist nicht erlaubt. Erlaubt sind: hoch_gut, hoch_schlecht, neutral.",
        "Zeile 3: Kennung „Schlecht-Id“. Bitte nur Kleinbuchstaben, Ziffern und Unterstrich.",
        "Zeile 2: bei aggregation „quote“ müssen „zaehler“ und „nenner“ beschrieben sein.",
        "Zeile 4: die Geheimhaltungsschwelle darf nicht negativ sein.",
        "Kennung mehrfach: gut_1. (Zeile 2, 5)"}


def test_product_file_without_its_columns(store):
    v = produkte_import.vorbereiten(store, lies_tabelle(b"nummer;titel;farbe\n1;2;3\n", "p.csv"))
    assert [(p.schwere, p.meldung) for p in v.bericht.probleme] == [
        ("Fehler", "Die Spalte „nr“ fehlt. Die Spalte „name“ fehlt. Vorhanden: nummer, titel, farbe."),
        ("Warnung", "Diese Spalten werden nicht gelesen: farbe, nummer, titel.")]


def test_values_file_read_with_formula_missing_area_text_and_bad_dates(store):
    datei = ("raum;indikator;stichtag;wert\n"
             "0101;sgb2_quote;31.12.2024;=A1*2\n"
             ";sgb2_quote;31.12.2024;12,5\n"
             "0102;sgb2_quote;31.12.2024;zwölf\n"
             "0103;sgb2_quote;45657;11,0\n"
             "0104;sgb2_quote;31.12.2024;\n").encode()
    z = Zuordnung(format="lang", raum="raum", indikator="indikator", stichtag="stichtag", wert="wert")
    v = werte_import.vorbereiten(store, lies_tabelle(datei, "w.csv"), z)
    text = {p.pruefung: p.meldung for p in v.bericht.probleme}
    assert text["Formel statt Wert"] == ("1 Zeile enthält eine Formel (beginnend mit = + - @). Bitte in der "
                                         "Tabellenkalkulation „Werte einfügen“ verwenden und erneut exportieren.")
    assert text["Raum fehlt"] == "1 Zeile ohne Raum-Kennung."
    assert text["Keine Zahl"].startswith("Spalte „wert“: 1 Zelle ist keine Zahl (erwartet z. B. 1.234,5).")
    assert text["Ungültiger Stichtag"] == ("1 Stichtag ist kein Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT). Einige "
                                           "sehen aus wie Excel-Seriennummern; bitte die Spalte als Datum "
                                           "formatieren. (Zeile 5)")
    assert text["Leere Werte"].startswith("1 Wert ist leer oder als fehlend gekennzeichnet und wird nicht übernommen.")
    assert not v.uebernehmbar


def test_the_command_line_lists_the_checks_of_a_kind(capsys):
    assert main(["pruefungen", "--art", "haushalt", "--csv"]) == 0
    zeilen_ = capsys.readouterr().out.splitlines()
    assert zeilen_[0] == "Art;Kennung;Schwere;Prüfung;Abhilfe"
    assert "Haushalt;haushalt_betrag;Fehler;Kein Betrag;" in zeilen_
    assert all(z.startswith("Haushalt;") for z in zeilen_[1:])

"""Vergleichswerte von Land, Bund und Vergleichsring: a checked, versioned delivery kind of its own (bad files are
refused in German and change nothing), the current value per key through supersede and rollback, the public view,
the Lagebild line, the rank in the ring, reference lines in the time series, the demo."""

from __future__ import annotations

from datetime import date

import pandas as pd

from fis import vergleichswerte as vgl
from fis.cli import main
from fis.eckwerte import Eckwert
from fis.ingest.arten import LIEFERARTEN, Auftrag
from fis.ingest.lesen import lies_tabelle
from fis.ingest.lieferungen import veroeffentlichen, zuruecknehmen
from fis.store import Store

KOPF = "referenz;art;gruppe;indikator;stichtag;wert\n"
GUT = (KOPF + "Nordrhein-Westfalen;Land;;sgb2_quote;31.12.2024;11,9\n"
       "Deutschland;Bund;;sgb2_quote;31.12.2024;8,2\n"
       "Herne;Vergleichsstadt;Ring Ruhr;sgb2_quote;31.12.2024;18,4\n")


def _pruefen(store, config, text: str, name: str = "vergleich.csv"):
    daten = text.encode("utf-8")
    auftrag = Auftrag(store, config, daten, name, "p.planer", tabelle=lies_tabelle(daten, name))
    return auftrag, LIEFERARTEN["vergleichswerte"].pruefen(auftrag)


def test_a_bad_file_is_refused_in_german_and_changes_nothing(demo_copy, config):
    schlecht = (KOPF + "Nordrhein-Westfalen;Galaxie;;sgb2_quote;31.12.2024;11,9\n"
                "Deutschland;Bund;;gibtsnicht;31.12.2024;8,2\n"
                "Deutschland;Bund;;sgb2_quote;31.12.2099;8,2\n"
                "Deutschland;Bund;;alq;31.12.2024;k. A.\n"
                "Herne;Vergleichsstadt;;sgb2_quote;31.12.2024;184\n"
                "Herne;Vergleichsstadt;;sgb2_quote;31.12.2024;18,4\n")
    with Store.open(demo_copy) as store:
        vorher = store.count_rows()
        _, v = _pruefen(store, config, schlecht)
        titel = {e.pruefung for e in v.bericht.fehler}
        assert titel == {"Unbekannte Art", "Unbekannter Indikator", "Stichtag in der Zukunft", "Kein Wert",
                         "Doppelte Zeile"}
        assert "gibtsnicht" in v.bericht.als_text() and not v.uebernehmbar
        assert {e.pruefung for e in v.bericht.warnungen} >= {"Vergleichsstadt ohne Ring", "Anteil über 100 %"}
        assert store.count_rows() == vorher
        _, v = _pruefen(store, config, "name;wert\nNRW;1\n")
        assert "Die Spalte „art“ fehlt" in v.bericht.als_text() and not v.uebernehmbar


def test_supersede_rollback_and_the_public_view(demo_copy, config):
    with Store.open(demo_copy) as store:
        auftrag, v = _pruefen(store, config, GUT)
        # the demo has Land and Bund at 31.12.2024 already (9,0 % and 7,0 %): two changed, Herne new
        assert v.uebernehmbar and v.neu == 1 and v.geaendert == 2
        erste = LIEFERARTEN["vergleichswerte"].speichern(auftrag, v)
        auftrag, v = _pruefen(store, config, KOPF + "Nordrhein-Westfalen;Land;;sgb2_quote;31.12.2024;12,1\n", "b.csv")
        assert v.neu == 0 and v.geaendert == 1
        assert LIEFERARTEN["vergleichswerte"].vorschau(v) == ("1 Werte für 1 Referenzen (Nordrhein-Westfalen): "
                                                              "0 neu, 1 geändert")
        zweite = LIEFERARTEN["vergleichswerte"].speichern(auftrag, v)

        def nrw(s) -> float:
            w = s.lade_vergleichswerte(["sgb2_quote"])
            w = w[(w["referenz"] == "Nordrhein-Westfalen") & (w["stichtag"] == pd.Timestamp(2024, 12, 31))]
            return float(w["wert"].iloc[0]) if len(w) else float("nan")

        assert nrw(store) == 12.1
        oeffentlich = store.cursor(nur_veroeffentlicht=True)
        assert nrw(oeffentlich) == 9.0                 # neither delivery is published: the demo's value …
        veroeffentlichen(store, erste, "p.planer")
        assert nrw(store.cursor(nur_veroeffentlicht=True)) == 11.9   # … the first is, the correction is not
        zuruecknehmen(store, zweite, "p.planer", "Tippfehler")
        assert nrw(store) == 11.9
        assert set(store.lade_vergleichswerte()["referenz"]) >= {"Herne", "Deutschland", "Nordrhein-Westfalen"}


def test_the_card_line_names_a_value_of_another_stichtag():
    vw = pd.DataFrame({"referenz": ["Nordrhein-Westfalen", "Deutschland", "Deutschland", "Herne"],
                       "art": ["Land", "Bund", "Bund", "Vergleichsstadt"], "gruppe": [None, None, None, "Ring"],
                       "indikator_id": "sgb2_quote",
                       "stichtag": pd.to_datetime(["2024-12-31", "2024-06-30", "2023-12-31", "2024-12-31"]),
                       "wert": [11.9, 8.2, 8.0, 18.4]})
    assert vgl.karten_text(vw, "sgb2_quote", date(2024, 12, 31), "%", 1) == "NRW 11,9 % · Bund 8,2 % (30.06.2024)"
    assert vgl.karten_text(vw, "sgb2_quote", date(2023, 12, 31), "%", 1) == "Bund 8,0 %"
    assert vgl.karten_text(vw, "alq", date(2024, 12, 31), "%", 1) == ""


def test_rank_in_the_ring_follows_the_polarity():
    vw = pd.DataFrame({"referenz": ["A", "B", "C", "NRW"], "art": ["Vergleichsstadt"] * 3 + ["Land"],
                       "gruppe": ["Ring", "Ring", "Ring", None], "indikator_id": "x",
                       "stichtag": pd.to_datetime(["2024-12-31"] * 4), "wert": [10.0, 12.0, 15.0, 9.0]})
    r = vgl.rang_im_ring(vw, "x", date(2024, 12, 31), 11.0, "Musterstadt", "hoch_schlecht")
    assert (r.rang, r.von, r.ring) == (2, 4, "Ring")
    assert r.tabelle["Kommune"].tolist() == ["A", "Musterstadt", "B", "C"]
    assert r.satz("Musterstadt") == "Musterstadt: Rang 2 von 4 im Ring (1 = geringste Belastung)"
    assert vgl.rang_im_ring(vw, "x", date(2024, 12, 31), 11.0, "Musterstadt", "hoch_gut").rang == 3
    assert vgl.rang_im_ring(vw, "x", date(2024, 12, 31), 11.0, "Musterstadt", "neutral") is None
    assert vgl.rang_im_ring(vw, "x", date(2024, 12, 31), None, "Musterstadt", "hoch_schlecht") is None


def test_the_demo_compares_musterstadt_with_nrw_bund_and_its_ring(demo, config):
    from fis.lagebild import berechne_lagebild
    vw = demo.lade_vergleichswerte()
    assert set(vw["referenz"]) == {"Nordrhein-Westfalen", "Deutschland", "Beispielhausen", "Mustermünde",
                                   "Modellingen", "Probstadt", "Testheim"}
    lage = berechne_lagebild(demo, config, date(2024, 12, 31), 1)
    tabelle = vgl.vergleichstabelle(vw, lage.eckwerte, date(2024, 12, 31), "Musterstadt").set_index("Indikator")
    sgb2 = next(e for e in lage.eckwerte if e.indikator_id == "sgb2_quote")
    # NRW = 0,78 × and Bund = 0,61 × the city in the first year, drifting by 0,4 and 0,3 points per year
    assert tabelle.at["SGB-II-Quote", "Nordrhein-Westfalen"] == f"{round(sgb2.wert * (0.78 + 0.004 * 12), 1):.1f} %" \
        .replace(".", ",")
    assert tabelle.at["SGB-II-Quote", "Rang im Vergleichsring"] == "4 von 6"
    assert tabelle.at["Anteil 65-Jähriger und Älterer", "Rang im Vergleichsring"] == "–"     # no valuation


def test_reference_lines_in_the_time_series_chart(m):
    from fis.analysen import zeitreihe_werte
    from fis.charts import zeitreihe
    from fis.palette import VERGLEICH
    vw = pd.DataFrame({"referenz": ["Nordrhein-Westfalen"] * 2, "art": "Land", "gruppe": None,
                       "indikator_id": "sgb2_quote", "stichtag": pd.to_datetime(["2023-12-31", "2024-12-31"]),
                       "wert": [11.5, 11.9]})
    reihe = pd.concat([zeitreihe_werte(m, "sgb2_quote", ["0101"]), vgl.reihen(vw, "sgb2_quote", m.top + 1)],
                      ignore_index=True)
    spec = zeitreihe(reihe, m.meta("sgb2_quote")).to_dict()
    farbe = spec["layer"][0]["encoding"]["color"]["scale"]
    assert "Nordrhein-Westfalen (Land)" in farbe["domain"]
    assert farbe["range"][farbe["domain"].index("Nordrhein-Westfalen (Land)")] == VERGLEICH[0]
    # the city keeps its grey: a reference line is not the top of the city's hierarchy
    assert farbe["range"][farbe["domain"].index("Musterstadt (Gesamtstadt)")] == "#3a3a3a"


def test_command_line_import(demo_copy, tmp_path, capsys):
    datei = tmp_path / "vergleich.csv"
    datei.write_text(GUT, encoding="utf-8")
    assert main(["import", str(datei), "--art", "vergleichswerte", "--db", str(demo_copy)]) == 0
    assert "3 Werte für 3 Referenzen" in capsys.readouterr().out
    with Store.open(demo_copy, read_only=True) as store:
        assert (store.lade_vergleichswerte(["sgb2_quote"])["referenz"] == "Herne").sum() == 1


def test_eckwert_signature_is_what_the_table_reads():
    e = Eckwert("x", "X", "%", 1, "hoch_schlecht", 11.0, "endgültig", None, None, 2019, None)
    assert vgl.vergleichstabelle(pd.DataFrame(columns=["referenz", "art", "gruppe", "indikator_id", "stichtag",
                                                       "wert"]), [e], date(2024, 12, 31), "M").empty

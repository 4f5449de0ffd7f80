"""Products, budget (Teilergebnisplan), Kennzahlen, Wirkungsbeitrag and SROI analyses."""

from __future__ import annotations

import pandas as pd

from fis.store.verbindung import StoreError, Verbindung


class ProduktAbfragen(Verbindung):
    """Produkte und Haushalt."""

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

    def lade_produkte(self) -> pd.DataFrame:
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

    def lade_produktgruppen(self) -> pd.DataFrame:
        return self.con.execute(f"SELECT * FROM {self._produkt_sicht('produktgruppe')} ORDER BY nr").df()

    def lade_produktbereiche(self) -> pd.DataFrame:
        return self.con.execute(f"SELECT * FROM {self._produkt_sicht('produktbereich')} ORDER BY nr").df()

    def lade_produkt_kennzahlen(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT k.*, w.jahr, w.wertart, w.wert FROM produkt_kennzahl k "
            f"LEFT JOIN produkt_kennzahl_{'veroeffentlicht' if self.nur_veroeffentlicht else 'aktuell'} w "
            "USING (kennzahl_id) "
            "ORDER BY k.kennzahl_id, w.jahr, w.wertart"
        ).df()

    def lade_ergebnisplan_positionen(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM ergebnisplan_position ORDER BY position_nr").df()

    def lade_teilergebnisplan(self, produkt_nrs: list[str] | None = None) -> pd.DataFrame:
        return self.con.execute(
            "SELECT produkt_nr, position_nr, jahr, monat, wertart, betrag, lieferung_id "
            f"FROM teilergebnisplan_{'veroeffentlicht' if self.nur_veroeffentlicht else 'aktuell'} "
            "WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], produkt_nr) "
            "ORDER BY produkt_nr, jahr, monat, wertart, position_nr",
            [produkt_nrs, produkt_nrs],
        ).df()

    def lade_wirkung(self) -> tuple[pd.DataFrame, pd.DataFrame]:
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

    def lade_sroi(self) -> tuple[pd.DataFrame, pd.DataFrame]:
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

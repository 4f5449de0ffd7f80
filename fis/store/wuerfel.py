"""The aggregate cube (migration 21): fingerprints of its inputs per Stichtag, writing the rows of some
Stichtage and reading slices. What the rows are and when they are computed: :mod:`fis.wuerfel`.

The rows of a Sicht at a Stichtag are those with ``sicht`` equal to it or ``'beide'``: where every delivery of a
Stichtag is published, both Sichten follow from the same inputs (the same fingerprint) and share one set of rows.
Replacing a Sicht's rows first hands shared rows over to the other Sicht, so a public reader never gets rows
computed from an unpublished delivery."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import pyarrow as pa

from fis.store.verbindung import Verbindung, nach_raengen

#: The columns of a cube row, in table order.
WUERFEL_SPALTEN = (
    "sicht", "stichtag", "raum_id", "indikator_id", "ebene", "parent_id", "wert", "zaehler", "nenner", "status",
    "summe_teile", "anzahl", "erwartet", "vollstaendig", "geliefert", "z_wert", "z_zaehler", "z_nenner",
    "z_status", "z_summe_teile", "unterdrueckt", "grund", "schwelle", "unvollstaendig", "abdeckung")


@dataclass(frozen=True)
class Ausschnitt:
    """Rows of the cube a page needs, where it needs few of a large city's: every Raum at ``stichtag``, every
    Stichtag of ``raeume``, every Stichtag of each (indicator, Raum) of ``paare``."""

    stichtag: date | None = None
    raeume: tuple[str, ...] = ()
    paare: tuple[tuple[str, str], ...] = ()

    def maske(self, zeilen: pd.DataFrame) -> pd.Series:
        """Which of ``zeilen`` (cube rows) belong to it."""
        drin = zeilen["raum_id"].isin(self.raeume)
        if self.stichtag is not None:
            drin |= pd.to_datetime(zeilen["stichtag"]) == pd.Timestamp(self.stichtag)
        if self.paare:
            drin |= pd.MultiIndex.from_frame(zeilen[["indikator_id", "raum_id"]]).isin(list(self.paare))
        return drin

    def bedingung(self) -> tuple[str, list]:
        """The same as an SQL condition with its parameters."""
        # pairs as a semi join of structs: 0,02 s for 2.000 goals in 5 million rows (a text key per row: 0,2 s)
        return ("(stichtag = ? OR list_contains(?::VARCHAR[], raum_id) OR struct_pack(i := indikator_id, r := raum_id) "
                "IN (SELECT struct_pack(i := unnest(?::VARCHAR[]), r := unnest(?::VARCHAR[]))))",
                [self.stichtag, list(self.raeume), [i for i, _ in self.paare], [r for _, r in self.paare]])


class WuerfelAbfragen(Verbindung):
    """Aggregatwürfel."""

    @property
    def sicht(self) -> str:
        """The cube this store reads: 'veroeffentlicht' for public roles, else 'alle'."""
        return "veroeffentlicht" if self.nur_veroeffentlicht else "alle"

    @property
    def andere_sicht(self) -> str:
        return "alle" if self.nur_veroeffentlicht else "veroeffentlicht"

    @property
    def schreibbar(self) -> bool:
        """False for a database opened read-only, and inside a transaction (no second one can begin)."""
        return not self.in_transaktion and self._scalar("SELECT current_setting('access_mode')") != "read_only"

    def wuerfel_fingerabdruecke(self, zusatz: str) -> dict[date, str]:
        """Per Stichtag with current values in this store's view, a fingerprint of what the cube rows of that
        Stichtag follow from: its values (with their publication state, which makes a value provisional), the
        Raumgliederung and the catalog of the view, and ``zusatz`` (the rules of the configuration). Sums of
        row hashes: one pass over the current values, no sorting."""
        katalog = "indikator_veroeffentlicht" if self.nur_veroeffentlicht else "indikator"
        rows = self.con.execute(
            "WITH g AS (SELECT (SELECT coalesce(sum(hash(r)::HUGEINT), 0) FROM " + self._raeume + " r) AS r, "
            f"    (SELECT coalesce(sum(hash(k)::HUGEINT), 0) FROM {katalog} k) AS k) "
            "SELECT w.stichtag, count(*) AS n, sum(hash(w.raum_id, w.indikator_id, w.wert, w.zaehler, w.nenner, "
            "    w.status, l.veroeffentlicht_am IS NULL)::HUGEINT) AS h, any_value(g.r) AS r, any_value(g.k) AS k "
            f"FROM {self._werte} w JOIN lieferung l USING (lieferung_id) CROSS JOIN g GROUP BY w.stichtag",
        ).fetchall()
        return {tag: f"{n}:{h}:{r}:{k}:{zusatz}" for tag, n, h, r, k in rows}

    def wuerfel_stand(self) -> dict[date, str]:
        """The fingerprint each Stichtag of this store's cube was computed for."""
        rows = self.con.execute("SELECT stichtag, fingerabdruck FROM wuerfel_stand WHERE sicht = ?",
                                [self.sicht]).fetchall()
        return dict(rows)

    def wuerfel_stand_der_anderen_sicht(self) -> dict[date, str]:
        """:meth:`wuerfel_stand` of the other Sicht."""
        rows = self.con.execute("SELECT stichtag, fingerabdruck FROM wuerfel_stand WHERE sicht <> ?",
                                [self.sicht]).fetchall()
        return dict(rows)

    def wuerfel_uebernehmen(self, fingerabdruecke: dict[date, str]) -> None:
        """Share the rows of these Stichtage with the other Sicht, whose inputs had the same fingerprint (every
        delivery of the Stichtag published), instead of computing them again: they become rows of both Sichten
        (``sicht = 'beide'``; a copy of a large city cost 2,2 s, the relabelling 0,5 s). This store's Sicht must
        have no rows at these Stichtage (:meth:`wuerfel_schreiben` with them as ``weg``); in the caller's
        transaction."""
        tage = sorted(fingerabdruecke)
        self.con.execute("UPDATE wuerfel SET sicht = 'beide' WHERE sicht = ? AND list_contains(?::DATE[], stichtag)",
                         [self.andere_sicht, tage])
        self.con.execute("INSERT INTO wuerfel_stand SELECT ?, stichtag, fingerabdruck, zeilen, ? FROM wuerfel_stand "
                         "WHERE sicht <> ? AND list_contains(?::DATE[], stichtag)",
                         [self.sicht, datetime.now(), self.sicht, tage])

    def wuerfel_schreiben(self, zeilen: pd.DataFrame, fingerabdruecke: dict[date, str],
                          weg: list[date]) -> None:
        """Replace this store's cube at the Stichtage of ``fingerabdruecke`` by ``zeilen`` (their rows) and drop
        the Stichtage ``weg`` (no values any more); in the caller's transaction."""
        tage = sorted({*fingerabdruecke, *weg})
        # rows shared with the other Sicht stay its own: it still follows from the same inputs
        self.con.execute("UPDATE wuerfel SET sicht = ? WHERE sicht = 'beide' AND list_contains(?::DATE[], stichtag)",
                         [self.andere_sicht, tage])
        self.con.execute("DELETE FROM wuerfel WHERE sicht = ? AND list_contains(?::DATE[], stichtag)",
                         [self.sicht, tage])
        self.con.execute("DELETE FROM wuerfel_stand WHERE sicht = ? AND list_contains(?::DATE[], stichtag)",
                         [self.sicht, tage])
        if len(zeilen):
            katalog = "indikator_veroeffentlicht" if self.nur_veroeffentlicht else "indikator"
            spalten = ", ".join(f"z.{s}" for s in WUERFEL_SPALTEN)
            # as Arrow, scanned once by the INSERT: a temporary copy first and pandas' date objects cost a large
            # city 2 of 4,5 s
            tabelle = pa.Table.from_pandas(zeilen.assign(sicht=self.sicht)[list(WUERFEL_SPALTEN)], preserve_index=False)
            name = f"_wuerfel_{uuid.uuid4().hex}"
            self.con.register(name, tabelle)
            try:
                self.con.execute(
                    f"INSERT INTO wuerfel SELECT {spalten}, coalesce(i.nr, -1), coalesce(r.nr, -1) FROM {name} z "
                    "LEFT JOIN (SELECT indikator_id, row_number() OVER (ORDER BY indikator_id) AS nr "
                    f"    FROM {katalog}) i ON i.indikator_id = z.indikator_id "
                    "LEFT JOIN (SELECT raum_id, row_number() OVER (ORDER BY raum_id) AS nr "
                    f"    FROM (SELECT DISTINCT raum_id FROM {self._raeume})) r ON r.raum_id = z.raum_id")
            finally:
                self.con.unregister(name)
        je_tag = zeilen.groupby("stichtag").size() if len(zeilen) else pd.Series(dtype=int)
        jetzt = datetime.now()
        for tag, fp in fingerabdruecke.items():
            self.con.execute("INSERT INTO wuerfel_stand VALUES (?, ?, ?, ?, ?)",
                             [self.sicht, tag, fp, int(je_tag.get(tag, 0)), jetzt])

    def lade_wuerfel(self, indikator_ids: list[str] | None = None,
                     ausschnitt: Ausschnitt | None = None) -> pd.DataFrame:
        """The cube rows of this store's Sicht (of ``indikator_ids``; None: all; of ``ausschnitt`` only), ordered
        by indicator, Stichtag, level and Raum."""
        spalten = ", ".join(s for s in WUERFEL_SPALTEN if s != "sicht")
        bedingung, parameter = ausschnitt.bedingung() if ausschnitt is not None else ("TRUE", [])
        tabelle = self.con.sql(
            f"SELECT {spalten}, ind_nr, raum_nr FROM wuerfel WHERE (sicht = ? OR sicht = 'beide') "
            f"AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?::VARCHAR[], indikator_id)) AND {bedingung}",
            params=[self.sicht, indikator_ids, indikator_ids, *parameter]).to_arrow_table()
        return nach_raengen(tabelle, "ind_nr", "raum_nr")

"""The budget of one upload, checked before anything is unpacked or parsed into memory.

A small file may describe a huge one: a ZIP or XLSX that unpacks a thousandfold, a spreadsheet whose
few cells span a million rows and columns (the reader allocates the whole rectangle), a YAML file whose
aliases expand into billions of nodes. Each is refused here with a German message naming the limit:

* ZIP archives and XLSX workbooks (both ZIP containers): at most ``MAX_MITGLIEDER`` members; unpacked
  at most tenfold the file (``MAX_VERHAELTNIS``; small files up to ``MINDEST_ENTPACKT``, which no
  reader needs much memory for) and never more than tenfold the upload limit; the sizes are checked
  while reading, so a header that lies about them does not help.
* XLSX: the cell rectangle of every sheet (from the cell references, not the declared dimension) at
  most ``MAX_ZELLEN`` cells; CSV and XLSX tables at most :func:`max_zellen` cells (rows × columns).
* YAML: at most ``MAX_YAML_BYTES``; aliases (``*a``) expanded at most ``MAX_YAML_KNOTEN`` nodes, no
  recursive aliases.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import yaml

from fis.format import fmt_zahl


class ImportFehler(ValueError):
    """A delivery that cannot be read or imported; the message is German."""


MAX_VERHAELTNIS = 10
MINDEST_ENTPACKT = 30 * 1024 * 1024
MAX_MITGLIEDER = 500
MAX_ZELLEN = 5_000_000
MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_YAML_KNOTEN = 200_000

_BLOCK = 1024 * 1024


def max_bytes() -> int:
    """Largest accepted file: FIS_MAX_UPLOAD_MB megabytes (default 200, like the app's upload limit)."""
    try:
        return int(float(os.environ.get("FIS_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
    except ValueError:
        return 200 * 1024 * 1024
_ZELLE = re.compile(rb'<c [^>]*?r="([A-Z]{1,3})([0-9]{1,7})"')


def _mb(n: float) -> str:
    return f"{fmt_zahl(n / 1024 / 1024, 0)} MB"


def entpackt_hoechstens(groesse: int) -> int:
    """Largest unpacked size of an archive of ``groesse`` bytes."""
    return min(max(MAX_VERHAELTNIS * groesse, MINDEST_ENTPACKT), MAX_VERHAELTNIS * max_bytes())


def zip_oeffnen(data: bytes, dateiname: str, art: str = "ZIP-Archiv") -> zipfile.ZipFile:
    """The archive, after its member count and declared unpacked size were checked."""
    try:
        archiv = zipfile.ZipFile(io.BytesIO(data))
        infos = archiv.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFehler(f"„{dateiname}“ ist kein gültiges {art} (beschädigt oder abgeschnitten).") from exc
    if len(infos) > MAX_MITGLIEDER:
        raise ImportFehler(f"„{dateiname}“ enthält {fmt_zahl(len(infos), 0)} Dateien; erlaubt sind höchstens "
                           f"{fmt_zahl(MAX_MITGLIEDER, 0)} (Schutz vor Archivbomben).")
    entpackt = sum(i.file_size for i in infos)
    grenze = entpackt_hoechstens(len(data))
    if entpackt > grenze:
        raise ImportFehler(f"„{dateiname}“ wäre entpackt {_mb(entpackt)} groß; erlaubt ist höchstens das "
                           f"{MAX_VERHAELTNIS}fache der Datei ({_mb(grenze)}, Schutz vor Archivbomben).")
    return archiv


def lies_mitglied(archiv: zipfile.ZipFile, name: str, dateiname: str, budget: list[int]):
    """The member's bytes in blocks; ``budget`` ([bytes left]) shrinks as they come, whatever the
    archive's header claims."""
    with archiv.open(name) as f:
        while block := f.read(_BLOCK):
            budget[0] -= len(block)
            if budget[0] < 0:
                raise ImportFehler(f"„{dateiname}“ entpackt mehr, als sein Inhaltsverzeichnis angibt; erlaubt ist "
                                   f"höchstens das {MAX_VERHAELTNIS}fache der Datei (Schutz vor Archivbomben).")
            yield block


def zip_entpacken(data: bytes, dateiname: str, ziel: Path, namen: list[str]) -> None:
    """Unpack ``namen`` (already checked for safe paths) into ``ziel``, counting the real sizes."""
    archiv = zip_oeffnen(data, dateiname)
    budget = [entpackt_hoechstens(len(data))]
    for name in namen:
        pfad = ziel / name
        pfad.parent.mkdir(parents=True, exist_ok=True)
        with pfad.open("wb") as out:
            for block in lies_mitglied(archiv, name, dateiname, budget):
                out.write(block)


def max_zellen() -> int:
    """Largest table of one upload in cells (rows × columns): FIS_MAX_ZELLEN, default 10 million. It bounds
    the memory of checking a delivery (about 200 bytes per cell at the peak, bench/import_1m.py)."""
    try:
        return int(float(os.environ.get("FIS_MAX_ZELLEN", "10000000")))
    except ValueError:
        return 10_000_000


def zellen_pruefen(zeilen: int, spalten: int, dateiname: str) -> None:
    """Refuse a table of more cells than :func:`max_zellen` before it is parsed."""
    if zeilen * spalten > max_zellen():
        raise ImportFehler(
            f"„{dateiname}“ hat {fmt_zahl(zeilen, 0)} Zeilen mit {fmt_zahl(spalten, 0)} Spalten, das sind "
            f"{fmt_zahl(zeilen * spalten, 0)} Zellen; eine Lieferung darf höchstens {fmt_zahl(max_zellen(), 0)} "
            "haben (FIS_MAX_ZELLEN). Bitte die Lieferung teilen, z. B. nach Jahren oder Indikatoren.")


def _spalte(buchstaben: bytes) -> int:
    n = 0
    for b in buchstaben:
        n = n * 26 + (b - 64)
    return n


def xlsx_pruefen(data: bytes, dateiname: str) -> None:
    """Refuse a workbook that unpacks too much or whose sheets span too many cells, before a reader
    allocates them."""
    archiv = zip_oeffnen(data, dateiname, "Excel-Dokument")
    budget = [entpackt_hoechstens(len(data))]
    for info in archiv.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            for _ in lies_mitglied(archiv, name, dateiname, budget):
                pass
            continue
        zeilen = spalten = 0
        rest = b""
        for block in lies_mitglied(archiv, name, dateiname, budget):
            text = rest + block
            for m in _ZELLE.finditer(text):
                spalten = max(spalten, _spalte(m.group(1)))
                zeilen = max(zeilen, int(m.group(2)))
            rest = text[-64:]
        zellen_pruefen(zeilen, spalten, dateiname)
        if zeilen * spalten > MAX_ZELLEN:
            blatt = Path(name).stem
            raise ImportFehler(
                f"„{dateiname}“: das Blatt {blatt} reicht bis Zeile {fmt_zahl(zeilen, 0)} und Spalte "
                f"{fmt_zahl(spalten, 0)}, das sind {fmt_zahl(zeilen * spalten, 0)} Zellen; erlaubt sind höchstens "
                f"{fmt_zahl(MAX_ZELLEN, 0)}. Bitte nur den Datenbereich liefern (leere, aber formatierte Zeilen und "
                "Spalten löschen).")


def yaml_laden(text: str | bytes, wo: str):
    """``yaml.safe_load`` with a budget: size, expanded node count, no recursive aliases."""
    if isinstance(text, bytes):
        if len(text) > MAX_YAML_BYTES:
            raise ImportFehler(f"{wo}: die Datei ist {_mb(len(text))} groß; erlaubt sind höchstens "
                               f"{_mb(MAX_YAML_BYTES)}.")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFehler(f"{wo}: kein gültiges YAML in UTF-8 (nicht lesbares Byte an Stelle {exc.start}).") \
                from exc
    elif len(text) > MAX_YAML_BYTES:
        raise ImportFehler(f"{wo}: der Text ist länger als {_mb(MAX_YAML_BYTES)}.")
    try:
        knoten = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ImportFehler(f"{wo}: kein gültiges YAML ({str(exc).splitlines()[0][:160]}).") from exc
    if knoten is None:
        return None
    groesse: dict[int, int] = {}
    offen: set[int] = set()

    def zaehlen(n) -> int:
        key = id(n)
        if key in groesse:
            return groesse[key]
        if key in offen:
            raise ImportFehler(f"{wo}: ein Verweis (*) verweist auf sich selbst; das ist nicht erlaubt.")
        offen.add(key)
        summe = 1
        if isinstance(n, yaml.SequenceNode):
            for kind in n.value:
                summe += zaehlen(kind)
                if summe > MAX_YAML_KNOTEN:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                summe += zaehlen(k) + zaehlen(v)
                if summe > MAX_YAML_KNOTEN:
                    break
        offen.discard(key)
        groesse[key] = summe
        return summe

    try:
        n = zaehlen(knoten)
    except RecursionError as exc:
        raise ImportFehler(f"{wo}: die Datei ist zu tief verschachtelt.") from exc
    if n > MAX_YAML_KNOTEN:
        raise ImportFehler(f"{wo}: die Datei ergäbe mit ihren Verweisen (&/*) mehr als "
                           f"{fmt_zahl(MAX_YAML_KNOTEN, 0)} Einträge; das ist nicht erlaubt (Schutz vor YAML-Bomben).")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:          # e.g. a type tag (!!python/…), which is never data
        raise ImportFehler(f"{wo}: nicht erlaubter YAML-Inhalt ({str(exc).splitlines()[0][:120]}). Typangaben "
                           "wie „!!python/…“ sind in Lieferungen nicht erlaubt.") from exc


def ist_text(wert) -> bool:
    """A YAML scalar that may stand for a text (strings, numbers, dates; not lists or mappings)."""
    return wert is None or isinstance(wert, str | int | float) or hasattr(wert, "isoformat")

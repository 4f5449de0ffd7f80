"""German number, date and value formatting for pages, reports and exports."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from fis.disclosure import anzeige

# Units whose differences are stated in percentage points.
_PROZENT = {"%"}


def fmt_zahl(x: float | None, nachkommastellen: int = 1) -> str:
    """1234.5 → '1.234,5'; None/NaN → '–'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:,.{nachkommastellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def fmt_dezimal(x: float) -> str:
    """A number with every digit it has and no thousands separator, in German notation, as a cell of a
    spreadsheet reads as text: 0.1 → '0,1', 1234.5 → '1234,5', 3.0 → '3'."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x).replace(".", ",")


def fmt_anzahl(n: int, einzahl: str, mehrzahl: str) -> str:
    """A count with the fitting noun: (1, 'Einrichtung', 'Einrichtungen') → '1 Einrichtung', 1200 → '1.200 …'."""
    return f"{fmt_zahl(n, 0)} {einzahl if n == 1 else mehrzahl}"


def fmt_zahl_genau(x: float | None, hoechstens: int = 6) -> str:
    """As many decimals as the number has (up to ``hoechstens``): 12.5 → '12,5', 3.0 → '3'; None/NaN → '–'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = fmt_zahl(x, hoechstens)
    return text.rstrip("0").rstrip(",") if "," in text else text


def fmt_wert(x: float | None, einheit: str, nachkommastellen: int = 1) -> str:
    """A value with its unit: '12,3 %', '4,5 je 1.000', '251.337' (Anzahl)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if einheit == "Anzahl":
        return fmt_zahl(x, nachkommastellen)
    return f"{fmt_zahl(x, nachkommastellen)} {einheit}"


def fmt_differenz(x: float | None, einheit: str, nachkommastellen: int = 1) -> str:
    """A signed difference: '+0,4 Pp' for percentages, '−1.234' for counts."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    rounded = round(x, nachkommastellen)
    # Decide the sign on the shown digits, so that −0.03 at one decimal reads "±0,0".
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    body = fmt_zahl(abs(rounded), nachkommastellen)
    if einheit in _PROZENT:
        return f"{sign}{body} Pp"
    if einheit == "Anzahl":
        return f"{sign}{body}"
    return f"{sign}{body} {einheit}"


def fmt_euro(x: float | None, nachkommastellen: int = 0) -> str:
    """An amount in euro: 1234567 → '1.234.567 €'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{fmt_zahl(x, nachkommastellen)} €"


def fmt_prozent(x: float | None, nachkommastellen: int = 1) -> str:
    """A share already in percent: 12.34 → '12,3 %'."""
    return fmt_wert(x, "%", nachkommastellen)


def fmt_datum(d: date | None) -> str:
    """date(2024, 12, 31) → '31.12.2024'; None, NaT, NaN → '–'."""
    if d is None or (not isinstance(d, date) and d != d) or str(d) == "NaT":
        return "–"
    return d.strftime("%d.%m.%Y")


def jahre_vorher(tag: date, jahre: int) -> date:
    """The same day ``jahre`` years earlier; 29 February becomes 28 February in other years."""
    try:
        return tag.replace(year=tag.year - jahre)
    except ValueError:
        return tag.replace(year=tag.year - jahre, day=28)


def fmt_anzeige(wert: float | None, einheit: str, nachkommastellen: int = 1, *, unterdrueckt: bool = False,
                grund: str = "", schwelle: int = 0, abdeckung: str = "", status: str | None = None) -> str:
    """A value as every table shows it: the suppression mark instead of a small count, a sum over
    incomplete coverage with it ('14,2 % (5 von 51 Sozialräumen)') or only the coverage where the
    value is withheld ('unvollständig: 5 von 51 Sozialräumen'), ' (v)' for provisional values."""
    if unterdrueckt:
        return anzeige(True, grund, int(schwelle))
    text = fmt_wert(wert, einheit, nachkommastellen)
    if abdeckung:
        return f"unvollständig: {abdeckung}" if text == "–" else f"{text} ({abdeckung})"
    return text + (" (v)" if status == "vorläufig" and text != "–" else "")


def dativ(plural: str) -> str:
    """Dative plural of a level name: 'Sozialräume' → 'Sozialräumen'."""
    return plural if plural.endswith(("n", "s")) else plural + "n"


def dateiname_sicher(stamm: str, ersatz: str = "export") -> str:
    """A download file name from parts that may come from data (ids, names): only letters,
    digits, dot, hyphen and underscore; never a path, never hidden, at most 120 characters."""
    text = str(stamm).replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text)
    text = re.sub(r"_{2,}", "_", text).strip("._-")[:120]
    return text or ersatz


def upload_name(dateiname: str | None) -> str:
    """The name of an uploaded file as it is shown and stored: the last path component only,
    without control characters, at most 200 characters. It is never used as a path."""
    name = re.split(r"[\\/]", str(dateiname or ""))[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()[:200]
    return name if name not in ("", ".", "..") else "Datei"


_MARKDOWN = re.compile(r"([\\`*_\[\]<>~:$|])")


def md(text) -> str:
    """A text from data (a name, a goal title, a file name) for a Streamlit markdown element:
    every markdown character escaped, so it shows exactly as delivered and never becomes a
    link, formatting, a colour directive or an icon. (Raw HTML is never rendered anyway.)"""
    return _MARKDOWN.sub(r"\\\1", str(text))

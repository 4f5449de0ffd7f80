"""Tables for download: German CSV (semicolon, decimal comma, UTF-8 with BOM for Excel),
protected against formula injection."""

from __future__ import annotations

import pandas as pd

_FORMEL = ("=", "+", "-", "@", "\t", "\r")


def neutralisieren(text: str) -> str:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMEL) else text


def csv_bytes(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralisieren(v) if isinstance(v, str) else v)
    return out.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")

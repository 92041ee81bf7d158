"""Files that staff take away: CSV that a spreadsheet cannot turn into formulas.

>>> frame = pd.DataFrame({"note": ["=HYPERLINK(\\"http://x\\")", "fine", "-3", "@SUM(A1)"]})
>>> to_safe_csv(frame).splitlines()[1:]
['"\\'=HYPERLINK(""http://x"")"', 'fine', "'-3", "'@SUM(A1)"]
"""

from __future__ import annotations

import io

import pandas as pd

# A spreadsheet evaluates a cell that begins with one of these as a formula
# (OWASP, CSV injection); tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as spreadsheet formulas.

    A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading apostrophe, which spreadsheets show as
    text. Numbers are left as numbers; list cells are joined with ``;`` first.
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object and column.map(lambda v: isinstance(v, list)).any():
            column = column.map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            text = column.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False)
            column = text.where(~risky, "'" + text)
        out[name] = column
    return out


def to_safe_csv(frame: pd.DataFrame) -> str:
    """Return ``frame`` as UTF-8 CSV text with formulas neutralized and no index."""
    return neutralize_formulas(frame).to_csv(index=False, lineterminator="\n")


def to_safe_xlsx(frame: pd.DataFrame, sheet: str = "Kizuna") -> bytes:
    """Return ``frame`` as an .xlsx workbook, with formulas neutralized as in the CSV.

    openpyxl would store any text that begins with ``=`` as a live formula;
    neutralized cells start with an apostrophe and stay text.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralize_formulas(frame).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()

"""CSV exports cannot be turned into spreadsheet formulas (OWASP CSV injection)."""

import csv
import io

import pandas as pd

from analytics.data.spreadsheets import to_safe_csv


def test_formula_cells_are_neutralized_and_others_untouched():
    frame = pd.DataFrame({
        "text": ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "plain", "a=b"],
        "number": [1, -2, 3, 4, 5, 6, 7],
        "causes": [["=evil", "aging"], [], ["aging"], [], [], [], []],
    })
    rows = list(csv.reader(io.StringIO(to_safe_csv(frame))))
    assert rows[0] == ["text", "number", "causes"]
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\t=x", "plain", "a=b"]
    assert [r[1] for r in rows[1:]] == ["1", "-2", "3", "4", "5", "6", "7"]  # numbers stay numbers
    assert rows[1][2] == "'=evil;aging"

"""data/examples: the example ledgers (示例数据) load to the same tables as their tidy equivalent.

``data/examples/make_examples.py`` writes both folders from one set of made-up
numbers; here the ledger folder (titled sheets, merged headers, names, months as
columns, a hidden helper column) is loaded and compared cell by cell with the
tidy CSV folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from grouplab import load_dataset
from grouplab.data.ledgers.sheet import read_grid
from openpyxl import load_workbook

EXAMPLES = Path(__file__).resolve().parents[3] / "data" / "examples"


@pytest.fixture(scope="module")
def both():
    return load_dataset(EXAMPLES / "ledgers", cache=False), load_dataset(EXAMPLES / "tidy", cache=False)


@pytest.mark.parametrize("table", ["units", "groups", "evaluations", "activities", "exposure", "indicators"])
def test_ledger_examples_load_like_tidy(both, table):
    ledgers, tidy = both
    key = [c for c in tidy[table].columns if c in ("group_id", "unit_id", "period", "item_id", "date",
                                                    "kind", "seq", "month", "entity_id", "indicator_id")]
    got = ledgers[table].sort_values(key).reset_index(drop=True)
    want = tidy[table].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_examples_are_marked_as_example_data(both):
    ledgers, tidy = both
    assert "示例数据" in ledgers.name and "示例数据" in tidy.name
    assert ledgers.synthetic and tidy.synthetic
    for book in (EXAMPLES / "ledgers").glob("*.xlsx"):
        wb = load_workbook(book, read_only=True)  # read-only keeps the file open until close()
        try:
            first = next(wb.worksheets[0].iter_rows(values_only=True))
        finally:
            wb.close()
        assert "示例数据" in str(first[0]), book.name  # the title row says it is example data
    xls = read_grid(EXAMPLES / "ledgers" / "2019年油井指标月报.xls")
    assert "示例数据" in xls.rows[0][0]


def test_example_sizes(both):
    # 3 groups x 12 items in 2019H1 + 35 in 2019H2 (one '/'); 8 meetings by day + 8 主题党日 counted
    # (1+1+0, 1+2+1, 0+1+1); 3 groups x 3 months; 2 wells x 2 indicators x 3 months - one '/'
    ledgers, _ = both
    assert len(ledgers["evaluations"]) == 71
    assert len(ledgers["activities"]) == 16
    assert ledgers["activities"].groupby("date_precision", observed=True).size().to_dict() == {"day": 8,
                                                                                               "month": 8}
    assert len(ledgers["exposure"]) == 9
    assert len(ledgers["indicators"]) == 11


def test_hidden_row_of_the_xls_example_is_skipped(both):
    # row 7 of the .xls (well W09, closed) is hidden: read, it would be an unknown unit
    ledgers, _ = both
    how = next(r for r in ledgers.reading["indicators"] if r["file"].endswith(".xls"))
    assert {"rows": [7], "why": "hidden_row"} in how["skipped"]
    assert set(ledgers["indicators"]["entity_id"]) == {"W01", "W02"}

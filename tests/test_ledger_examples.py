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
from openpyxl import load_workbook

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"


@pytest.fixture(scope="module")
def both():
    return load_dataset(EXAMPLES / "ledgers", cache=False), load_dataset(EXAMPLES / "tidy", cache=False)


@pytest.mark.parametrize("table", ["units", "groups", "evaluations", "activities", "exposure"])
def test_ledger_examples_load_like_tidy(both, table):
    ledgers, tidy = both
    key = [c for c in tidy[table].columns if c in ("group_id", "unit_id", "period", "item_id", "date",
                                                    "kind", "seq", "month")]
    got = ledgers[table].sort_values(key).reset_index(drop=True)
    want = tidy[table].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_examples_are_marked_as_example_data(both):
    ledgers, tidy = both
    assert "示例数据" in ledgers.name and "示例数据" in tidy.name
    assert ledgers.synthetic and tidy.synthetic
    for book in (EXAMPLES / "ledgers").glob("*.xlsx"):
        ws = load_workbook(book, read_only=True).worksheets[0]
        first = next(ws.iter_rows(values_only=True))
        assert "示例数据" in str(first[0]), book.name  # the title row says it is example data


def test_example_sizes(both):
    # 3 groups x 12 items in 2019H1 + 35 in 2019H2 (one '/'); 8 meetings; 3 groups x 3 months
    ledgers, _ = both
    assert len(ledgers["evaluations"]) == 71
    assert len(ledgers["activities"]) == 8
    assert len(ledgers["exposure"]) == 9

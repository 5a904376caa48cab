"""DataError in Jupyter (issue 27): its problems as an escaped table, first 50 and the total, zh or en."""

from __future__ import annotations

import pytest
from grouplab import DataError, Problem, load_dataset

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _no_display_lang(monkeypatch):
    monkeypatch.delenv("GROUPLAB_LANG", raising=False)


def _error(n: int = 2) -> DataError:
    ps = [Problem("考评.xlsx", None, "考评得分", "must be a number", HOSTILE, "Type a number <b>only</b>",
                  sheet="2019上半年", cell="F7")]
    ps += [Problem("groups.csv", i + 2, "members", "must be >= 1", 0, "") for i in range(n - 1)]
    return DataError(ps)


def test_to_frame_keeps_where_and_what():
    frame = _error().to_frame()
    assert list(frame.columns) == ["file", "sheet", "cell", "row", "column", "code", "rule", "value", "hint"]
    assert frame.iloc[0][["sheet", "cell", "value"]].tolist() == ["2019上半年", "F7", HOSTILE]
    assert frame.iloc[1][["file", "row", "column"]].tolist() == ["groups.csv", 2, "members"]


def test_html_table_escapes_hostile_values():
    page = _error()._repr_html_()
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>only</b>" not in page and "&lt;b&gt;only&lt;/b&gt;" in page
    assert "<td>F7</td>" in page and "<td>2019上半年</td>" in page
    assert "<td>2</td>" in page  # the row as an integer, not 2.0


def test_html_lists_the_first_50_and_says_the_total(monkeypatch):
    monkeypatch.setenv("GROUPLAB_LANG", "en")
    page = _error(120)._repr_html_()
    assert "120 problems in 考评.xlsx, groups.csv (first 50 listed)" in page
    assert page.count("<td>groups.csv</td>") == 49  # 50 rows: the workbook problem and 49 of groups.csv


def test_both_languages():
    err = _error()
    assert "规则" in err._repr_html_() and "2 个问题" in err._repr_html_()  # Chinese by default
    err.lang = "en"  # the dataset's language, set by load_dataset
    assert "What to do" in err._repr_html_() and "2 problems in" in err._repr_html_()


def test_load_dataset_tells_the_error_its_datasets_language(make_dataset):
    folder = make_dataset({"units": "unit_id,name,level,sector\nU1,一工区,work_area,nowhere\n"},
                          {"name": "x", "lang": "en", "tables": {"units": "units.csv"}})
    with pytest.raises(DataError) as caught:
        load_dataset(folder, cache=False)
    assert caught.value.lang == "en"
    page = caught.value._repr_html_()
    assert "Rule" in page and "nowhere" in page and "units.csv" in page
    assert "Sheet" not in page and "Cell" not in page  # a CSV has neither: no empty columns

"""Fuzzing the ledger path: mutated wide sheets and options give a Dataset or a DataError, never a traceback.

Starts from the titled, merged-header evaluation sheet of test_ledger and applies
cell edits, deleted/blank rows, random merges and hidden rows/columns, plus random
wide-entry options. Sized to run in seconds (GROUPLAB_FUZZ_SCALE multiplies it).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml
from grouplab import DataError, load_dataset
from grouplab.data.dataset import Dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

pytestmark = pytest.mark.slow  # property-based corpus: not in `make check`

RUBRICS = Path(__file__).resolve().parents[3] / "data" / "rubrics"
SCALE = float(os.environ.get("GROUPLAB_FUZZ_SCALE", "1"))
HEADER = ["序号", "党小组", "理论学习（8分）", "思想动态(7分)", "党小组会【10】", "党员教育管理（8分）",
          "积极分子培养 7分", "批评与自我批评（8分）", "联系群众（7分）", "工作汇报（8分）",
          "台账资料（7分）",
          "安全生产（10分）", "生产任务（10分）", "示范岗（10分）", "合计", "等级"]
ROWS = [["2019年上半年党小组考评得分表"], ["填报单位：某工区", None, "填报日期：2019年7月5日"],
        ["序号", "党小组", "思想建设", None, "组织建设", None, None, "作风建设", None, "制度建设", None,
         "完成中心任务", None, None, "合计", "等级"],
        [None, None, *HEADER[2:14], None, None],
        [1, "线路一班党小组", 8, 6.5, 9, 7, 6, 7, 6, 7, 6, 10, 9, 9, 90.5, "合格"],
        [2, "线路二班党小组", 7, 6, 8, 6, 5, 6, 5, 6, 5, 10, 8, 8, 80, "合格"],
        ["合计", None, *[None] * 12, 170.5], ["备注：无"]]
CELLS = st.one_of(st.none(), st.integers(-5, 120), st.floats(allow_nan=True, allow_infinity=True),
                  st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),  # openpyxl: no Cc
                  st.sampled_from(["合计", "党小组", "党小组编号", "理论学习（8分）", "/", "无",
                                   "2019年下半年",
                                   "1月", "I01", "优秀", "９.５分", "#N/A", "线路三班党小组", "　"]),
                  st.just(dt.datetime(2019, 5, 13)))
EDITS = st.lists(st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 9), st.integers(0, 17), CELLS),
    st.tuples(st.just("delete_row"), st.integers(0, 9), st.just(0), st.none()),
    st.tuples(st.just("blank_row"), st.integers(0, 9), st.just(0), st.none()),
    st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 15), st.integers(1, 3)),
    st.tuples(st.just("hide_row"), st.integers(0, 9), st.just(0), st.none()),
    st.tuples(st.just("hide_col"), st.integers(0, 15), st.just(0), st.none()),
), max_size=5)
OPTIONS = st.fixed_dictionaries({}, optional={
    "header_row": st.one_of(st.integers(-2, 12), st.lists(st.integers(0, 6), max_size=3),
                            st.text(max_size=3)),
    "period": st.one_of(st.sampled_from(["sheet", "title", "column", "2019H1", "2019年下半年", "x"]),
                        st.integers()),
    "year": st.one_of(st.integers(1900, 2100), st.text(max_size=4)),
    "columns": st.one_of(st.dictionaries(st.sampled_from(HEADER), st.sampled_from(["I01", "I07", "zz"]),
                                         max_size=2), st.lists(st.text(max_size=2), max_size=2)),
    "hidden": st.sampled_from(["keep", "skip", "maybe"]),
    "sheets": st.one_of(st.just("all"), st.lists(st.sampled_from(["2019上半年", "Sheet9"]), max_size=2)),
})


def _workbook(path: Path, edits) -> None:
    rows = [list(r) for r in ROWS]
    merges, hidden_rows, hidden_cols = [], [], []
    for kind, a, b, v in edits:
        if kind == "cell" and rows:
            r = rows[a % len(rows)]
            r.extend([None] * (b + 1 - len(r)))
            r[b] = v
        elif kind == "delete_row" and rows:
            del rows[a % len(rows)]
        elif kind == "blank_row":
            rows.insert(a % (len(rows) + 1), [])
        elif kind == "merge":
            merges.append((a + 1, b + 1, a + 1, b + v))
        elif kind == "hide_row":
            hidden_rows.append(a + 1)
        else:
            hidden_cols.append(a + 1)
    wb = Workbook()
    ws = wb.active
    ws.title = "2019上半年"
    for r in rows:
        ws.append(r)
    for r0, c0, r1, c1 in merges:
        try:
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        except ValueError:
            pass
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for c in hidden_cols:
        ws.column_dimensions[chr(64 + c)].hidden = True
    wb.save(path)


@settings(max_examples=max(1, int(25 * SCALE)), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=EDITS, options=OPTIONS)
def test_mutated_ledgers_give_a_dataset_or_a_data_error(tmp_path, edits, options):
    folder = tmp_path / "d"
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text("单位编号,单位名称,层级,行业\nWA01,线路工区,工区,电力\n",
                                      encoding="utf-8")
    (folder / "groups.csv").write_text("党小组编号,单位编号,党小组名称,党员人数,党小组长编号\n"
                                       "G001,WA01,线路一班党小组,5,M1\nG002,WA01,线路二班党小组,6,M2\n",
                                       encoding="utf-8")
    _workbook(folder / "考评.xlsx", edits)
    manifest = {"name": "fuzz", "study_window": {"start": "2015-01", "end": "2019-12"},
                "rubric": str(RUBRICS / "party_group_evaluation.yml"),
                "tables": {"units": "units.csv", "groups": "groups.csv",
                           "evaluations": {"file": "考评.xlsx", "layout": "wide", **options}}}
    (folder / "dataset.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    try:
        out = load_dataset(folder, cache=False)
    except DataError as err:
        assert err.problems
        assert "Traceback" not in str(err)
    else:
        assert isinstance(out, Dataset)

"""Property-based fuzzing of the loaders: any input gives a valid result or a DataError.

Inputs: random bytes saved as .csv/.tsv/.xlsx/.xls/.sav (some starting with the real magic
bytes so the parsers get past the first check), byte-level mutations of small valid files
(flips, truncation, insertions), table-level mutations (cell edits, deleted/duplicated rows,
swapped columns) written as CSV/XLSX/SAV, 问卷星 exports, and mutations of a small valid
dataset folder. Nothing but a DataError may come out of read_table, read_wjx or
load_dataset. Sized to run in well under a minute; the number of examples actually run is
recorded in the safety figures.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from grouplab import DataError, load_dataset, read_table
from grouplab.data.dataset import Dataset
from grouplab.data.surveys.wjx import read_wjx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow  # property-based corpora: not in `make check`

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
RUBRICS = Path(__file__).resolve().parents[2] / "data" / "rubrics"
RUNS: Counter = Counter()
SCALE = float(os.environ.get("GROUPLAB_FUZZ_SCALE", "1"))  # e.g. 10 for a long local hunt


def fuzz(n: int) -> settings:
    """Settings of one fuzz test: n examples (times SCALE), no deadline, no example database."""
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ------------------------------------------------------------------ seeds

TABLES = {
    "groups": [["党小组编号", "单位编号", "党小组名称", "党员人数", "党小组长编号", "成立日期"],
               ["G001", "WA01", "线路一班党小组", 5, "M1", "2012-08-03"],
               ["G002", "WA01", "线路二班党小组", 6, "M2", "2019年5月13日"],
               ["G003", "WA02", "变电一班党小组", 7, None, 43600]],
    "activities": [["group_id", "date", "kind", "seq", "attendees", "expected", "duration_h",
                    "praise_over_criticism"],
                   ["G001", "2019-05-13", "group_meeting", 1, 5, 5, 1.5, "是"],
                   ["G001", "2019/6/13", "党课", 1, 4, 5, 2, "否"],
                   ["G002", "2019.7.13", "theme_day", 2, 6, 6, 3.0, None]],
    "evaluations": [["党小组编号", "考评期", "考评项目编号", "考评得分"],
                    ["G001", "2019H1", "I01", 8], ["G001", "2019年上半年", "I02", 6.5],
                    ["G002", "2019H2", "I01", 7]],
    "incidents": [["事件编号", "党小组编号", "单位编号", "日期", "类别", "严重程度", "是否责任"],
                  ["E1", "G001", None, "2019-05-13", "违章", "轻微", "否"],
                  ["E2", None, "WA01", "20190514", "hidden_hazard", None, None]],
    "posts": [["group_id", "member_id", "post_type", "start", "end"],
              ["G001", "M1", "safety_guard", "2019-01-01", "2019-12-31"],
              ["G002", "M2", "line_guard", "2019-06-01", None]],
    "exposure": [["group_id", "month", "person_hours"], ["G001", "2019-01", 800],
                 ["G001", "2019年2月", 640.5]],
    "indicators": [["entity_id", "month", "indicator_id", "value"],
                   ["S1", "2010-01", "oil_per_capita", 43.0], ["S1", "2010-02", "oil_per_capita", 44]],
    "units": [["unit_id", "name", "parent_id", "level", "sector"],
              ["C01", "供电公司", None, "company", "power"], ["WA01", "线路工区", "C01", "工区", "电力"]],
    "survey": [["答卷编号", "调查年度", "单位编号", "党小组编号", "A1"],
               ["1", 2019, "WA01", "G001", 4], ["2", 2019, "WA01", "G002", 5]],
}
WJX = [["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、性别", "第2题(运动)",
        "第2题(阅读)", "3、意见"],
       [1, "2019/11/6 9:05:07", "299秒", "手机提交", "微信", "1.2.3.4", 1, 1, 0, "无"],
       [2, "2019/11/6 9:15:07", "2分30秒", "链接", "直接访问", "1.2.3.4", 2, -2, -2, "(跳过)"],
       [3, "2019-11-06 09:25", "", "", "", "", -3, 0, 1, "好"]]


def _csv(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    frame = pd.DataFrame(rows[1:], columns=rows[0] if rows else None)
    return frame.to_csv(index=False, sep=delimiter, header=True).encode(encoding, errors="replace")


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(v):
    if isinstance(v, str):  # openpyxl refuses control characters in cells
        return "".join(ch for ch in v if ch >= " " or ch in "\t\n\r")
    return v


def _sav(rows, path: Path) -> None:
    names = [f"v{j}" for j in range(len(rows[0]))] if rows else ["v0"]
    header = rows[0] if rows else []
    # an SPSS name is an ASCII identifier that starts with a letter ('_' alone is refused by readstat)
    names = [str(h) if str(h).isascii() and str(h).isidentifier() and str(h)[0].isalpha() else f"v{j}"
             for j, h in enumerate(header)] or ["v0"]
    names = [n if names.index(n) == j else f"{n}_{j}" for j, n in enumerate(names)]
    cols = {}
    for j, n in enumerate(names):
        values = [r[j] if j < len(r) else None for r in rows[1:]]
        nums = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
        if all(v is None or isinstance(v, (int, float)) for v in values):
            cols[n] = nums.astype("float64")
        else:
            cols[n] = pd.Series(["" if v is None else str(v)[:60] for v in values], dtype=object)
    pyreadstat.write_sav(pd.DataFrame(cols), str(path))


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def seeds(work):
    """Valid small files of every format (bytes), keyed by (name, table)."""
    out = {}
    for table, rows in TABLES.items():
        out[(f"{table}.csv", table)] = _csv(rows)
        out[(f"{table}.xlsx", table)] = _xlsx(rows)
    out[("groups_gb.csv", "groups")] = _csv(TABLES["groups"], encoding="gb18030")
    out[("activities.tsv", "activities")] = _csv(TABLES["activities"], delimiter="\t")
    sav = work / "seed.sav"
    _sav(TABLES["exposure"], sav)
    out[("exposure.sav", "exposure")] = sav.read_bytes()
    # .xls seeds are mutated too: the .xls reader runs in a child process, so even a file
    # that makes calamine abort comes back as a DataError (test_damaged_xls_does_not_abort)
    out[("evaluations.xls", "evaluations")] = (BAD / "score_not_number.xls").read_bytes()
    return out


@pytest.fixture(scope="module", autouse=True)
def _record(safety_figures):
    yield
    safety_figures["fuzz examples run"] = sum(v for k, v in RUNS.items() if "known" not in k)
    safety_figures["fuzz examples by test"] = ", ".join(f"{k} {v}" for k, v in sorted(RUNS.items()))


def _expect_table_or_data_error(path: Path, table: str) -> None:
    try:
        out = read_table(path, table)
    except DataError as err:
        assert err.problems and all(p.file for p in err.problems)
        str(err)  # the message must build
        err.to_frame()
    else:
        assert isinstance(out, pd.DataFrame)


# ------------------------------------------------------------ random bytes

MAGIC = {".xlsx": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".sav": b"$FL2@(#) ",
         ".csv": b"\xef\xbb\xbf", ".tsv": b"\xff\xfe"}


@fuzz(500)
@given(suffix=st.sampled_from(sorted(MAGIC)), magic=st.booleans(), body=st.binary(max_size=3000),
       table=st.sampled_from(sorted(TABLES)))
def test_random_bytes(work, suffix, magic, body, table):
    RUNS["random bytes"] += 1
    path = work / f"random{suffix}"
    path.write_bytes((MAGIC[suffix] if magic else b"") + body)
    _expect_table_or_data_error(path, table)


CSV_CHARS = ',;\t|"\n\r 0123456789-/.年月日合计G党小组编号人数考评得分x'


@fuzz(300)
@given(text=st.text(alphabet=st.sampled_from(list(CSV_CHARS)), max_size=400),
       table=st.sampled_from(sorted(TABLES)))
def test_random_text_csv(work, text, table):
    """Random text from the characters that matter to the CSV reader and the coercions."""
    RUNS["random csv text"] += 1
    path = work / "random_text.csv"
    path.write_bytes(text.encode("utf-8"))
    _expect_table_or_data_error(path, table)


# ---------------------------------------------------------- byte mutations

_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
)


def _mutate(data: bytes, mutations) -> bytes:
    buf = bytearray(data)
    for kind, pos, arg in mutations:
        if not buf:
            break
        i = pos % len(buf)
        if kind == "flip":
            buf[i] ^= arg
        elif kind == "truncate":
            del buf[i:]
        elif kind == "insert":
            buf.insert(i, arg)
        else:
            del buf[i : i + arg]
    return bytes(buf)


@fuzz(400)
@given(pick=st.integers(0, 10**6), mutations=st.lists(_mutation, min_size=1, max_size=4))
def test_byte_mutations_of_valid_files(work, seeds, pick, mutations):
    RUNS["byte mutations"] += 1
    (name, table), data = sorted(seeds.items())[pick % len(seeds)]
    path = work / f"mutated_{name}"
    path.write_bytes(_mutate(data, mutations))
    _expect_table_or_data_error(path, table)


# ---------------------------------------------------------- cell mutations

_cell = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["合计", "总计：", "#N/A", "2019年13月1日", "2019年5月13日", "43600", "2019-02-30",
                     "1e308", "-0", "NaN", "是", "否", "2019H3", "2019年上半年", "G999", "", " ", "　",
                     "=1+1", '"', "\ufeff", "nan", "None", "9" * 40]),
)
_table_edit = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 99), st.integers(0, 99), _cell),
    st.tuples(st.just("delete_row"), st.integers(0, 99), st.just(0), st.none()),
    st.tuples(st.just("duplicate_row"), st.integers(0, 99), st.just(0), st.none()),
    st.tuples(st.just("swap_columns"), st.integers(0, 99), st.integers(0, 99), st.none()),
    st.tuples(st.just("delete_column"), st.integers(0, 99), st.just(0), st.none()),
    st.tuples(st.just("blank_row"), st.integers(0, 99), st.just(0), st.none()),
)


def _edit(rows: list[list], edits) -> list[list]:
    rows = [list(r) for r in rows]
    for kind, a, b, value in edits:
        if not rows:
            break
        i = a % len(rows)
        width = max(len(r) for r in rows) or 1
        if kind == "cell":
            j = b % width
            rows[i] += [None] * (j + 1 - len(rows[i]))
            rows[i][j] = value
        elif kind == "delete_row":
            del rows[i]
        elif kind == "duplicate_row":
            rows.insert(i, list(rows[i]))
        elif kind == "blank_row":
            rows.insert(i, [None] * width)
        elif kind == "swap_columns":
            j, k = a % width, b % width
            for r in rows:
                r += [None] * (width - len(r))
                r[j], r[k] = r[k], r[j]
        else:
            j = a % width
            for r in rows:
                if j < len(r):
                    del r[j]
    return rows


@fuzz(300)
@given(table=st.sampled_from(sorted(TABLES)), fmt=st.sampled_from(["csv", "xlsx", "sav"]),
       edits=st.lists(_table_edit, min_size=1, max_size=5))
def test_table_mutations(work, table, fmt, edits):
    RUNS["table mutations"] += 1
    rows = _edit(TABLES[table], edits)
    path = work / f"edited.{fmt}"
    if fmt == "csv":
        width = max((len(r) for r in rows), default=0)
        rows = [r + [None] * (width - len(r)) for r in rows]
        path.write_bytes(_csv(rows) if rows and rows[0] else b"")
    elif fmt == "xlsx":
        path.write_bytes(_xlsx(rows))
    else:
        if not rows or not rows[0]:
            return
        width = max(len(r) for r in rows)
        _sav([r + [None] * (width - len(r)) for r in rows], path)
    _expect_table_or_data_error(path, table)


# ------------------------------------------------------------------ 问卷星


@fuzz(200)
@given(fmt=st.sampled_from(["csv", "xlsx"]), edits=st.lists(_table_edit, max_size=5),
       mutations=st.lists(_mutation, max_size=2))
def test_wjx_mutations(work, fmt, edits, mutations):
    RUNS["问卷星 mutations"] += 1
    rows = _edit(WJX, edits)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    data = (_csv(rows) if rows and rows[0] else b"") if fmt == "csv" else _xlsx(rows)
    path = work / f"wjx.{fmt}"
    path.write_bytes(_mutate(data, mutations) if data else data)
    try:
        out = read_wjx(path)
    except DataError as err:
        assert err.problems
        str(err)
    else:
        assert isinstance(out, pd.DataFrame) and "respondent_id" in out


# ---------------------------------------------------------------- datasets

DATASET = {
    "units.csv": TABLES["units"],
    "groups.csv": [["group_id", "unit_id", "name", "members", "leader_id"],
                   ["G001", "WA01", "线路一班党小组", 5, "M1"], ["G002", "WA01", "线路二班党小组", 6, "M2"]],
    "activities.csv": TABLES["activities"],
    "evaluations.csv": TABLES["evaluations"],
    "exposure.csv": TABLES["exposure"],
    "posts.csv": TABLES["posts"],
}
MANIFEST = (
    "name: fuzz\nstudy_window: {start: \"2015-01\", end: \"2019-12\"}\n"
    f"rubric: {(RUBRICS / 'party_group_evaluation.yml').as_posix()}\n"
    "tables:\n  units: units.csv\n  groups: groups.csv\n  activities: activities.csv\n"
    "  evaluations: evaluations.csv\n  exposure: exposure.csv\n  posts: posts.csv\n"
)


@pytest.fixture(scope="module")
def dataset_folder(work):
    folder = work / "dataset_seed"
    folder.mkdir()
    for name, rows in DATASET.items():
        (folder / name).write_bytes(_csv(rows))
    (folder / "dataset.yml").write_text(MANIFEST, encoding="utf-8")
    assert isinstance(load_dataset(folder, cache=False), Dataset)  # the seed itself is valid
    return folder


@fuzz(120)
@given(target=st.sampled_from(["dataset.yml", *sorted(DATASET)]),
       edits=st.lists(_table_edit, max_size=4), mutations=st.lists(_mutation, max_size=3))
def test_dataset_mutations(work, dataset_folder, target, edits, mutations):
    RUNS["dataset mutations"] += 1
    folder = work / "dataset_mutated"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(dataset_folder, folder)
    if target != "dataset.yml" and edits:
        rows = _edit(DATASET[target], edits)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [None] * (width - len(r)) for r in rows]
        (folder / target).write_bytes(_csv(rows) if rows and rows[0] else b"")
    data = (folder / target).read_bytes()
    (folder / target).write_bytes(_mutate(data, mutations) if data else data)
    try:
        out = load_dataset(folder, cache=False)
    except DataError as err:
        assert err.problems
        str(err)
    else:
        assert isinstance(out, Dataset)


def test_missing_key_column_in_a_dataset(work, dataset_folder):
    folder = work / "dataset_no_group_id"
    shutil.copytree(dataset_folder, folder)
    groups = (folder / "groups.csv").read_text(encoding="utf-8")
    (folder / "groups.csv").write_text(groups.replace("group_id", "gruop_id", 1), encoding="utf-8")
    with pytest.raises(DataError, match="required column is missing"):
        load_dataset(folder, cache=False)


# ------------------------------------------------------------ known abort


def test_damaged_xls_does_not_abort(work):
    data = bytearray((BAD / "score_not_number.xls").read_bytes())
    data[1634] ^= 0xFF
    path = work / "abort.xls"
    path.write_bytes(bytes(data))
    code = ("import sys\nfrom grouplab import DataError, read_table\n"
            "try:\n    read_table(sys.argv[1], 'evaluations')\n"
            "except DataError:\n    sys.exit(3)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          env={**os.environ, "RUST_BACKTRACE": "0"}, timeout=120)
    assert proc.returncode == 3, proc.stderr.decode(errors="replace")[-300:]

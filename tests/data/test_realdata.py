"""Every real export file in ../shared/realdata/ is read correctly or rejected clearly.

The folder (see its SOURCES.md) holds files made by others: 问卷星 .xls exports (按文本 and
按序号), an SPSS .sav from a survey platform and a 腾讯问卷 CSV. This module is the one place
that walks the whole folder: each file goes through the loader that matches it, the raw bytes
must be unchanged afterwards, and a file no loader supports must give a DataError that says so.
Detailed value checks of the 问卷星 and SPSS files live in test_wjx.py and test_readers.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from grouplab import DataError, read_table
from grouplab.data.codebook import codebook
from grouplab.data.readers.base import RawTable, read_raw, read_sav
from grouplab.data.schema import coerce
from grouplab.data.surveys.wjx import read_wjx

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
FILES = sorted(p for p in REALDATA.glob("*") if p.is_file() and p.name != "SOURCES.md") \
    if REALDATA.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"real export files absent ({REALDATA})")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_ip(df: pd.DataFrame) -> None:
    assert not any("IP" in str(c) for c in df.columns)


def _check_wjx(path: Path) -> None:
    df = read_wjx(path)
    form = df.attrs["wjx"]["form"]
    assert form == ("text" if "_text" in path.stem else "numeric")
    assert len(df) > 0 and df["respondent_id"].notna().all() and df["respondent_id"].is_unique
    questions = df.attrs["wjx"]["questions"]
    assert questions and all(q["columns"] for q in questions.values())
    for q in questions.values():
        for col in q["columns"]:
            if form == "numeric" and q["type"] != "text":
                assert str(df[col].dtype) == "Int64", col
    _no_ip(df)


def _check_sav(path: Path) -> None:
    df = read_sav(path)
    assert len(df) > 0 and len(df.columns) > 0
    assert set(df.attrs["variable_labels"]) == set(df.columns)
    raw = read_raw(path)
    assert raw.frame.shape == df.shape and raw.meta["format"] == "sav"


def _check_tencent_csv(path: Path) -> None:
    """腾讯问卷: BOM, repeated headers of a cascading question, dates like 2020/8/24 18:08."""
    raw = read_raw(path)
    assert raw.encoding == "utf-8-sig" and raw.headers[0] == "编号"  # BOM not in the header
    repeated = [h for h in raw.headers if raw.headers.count(h) > 1]
    assert repeated, "the export repeats the header of a cascading question"
    # repeated headers become name, name.2, name.3: every cell kept, none overwritten
    assert len(set(raw.frame.columns)) == len(raw.frame.columns) == len(raw.headers)
    assert "2.检查日期:请选择.3" in raw.frame.columns
    assert len(raw.frame) == 1 and raw.frame.loc[0, "开始答题时间"] == "2020/8/24 18:08"
    # its dates parse with the codebook's date-time rules
    spec = codebook()["survey"].columns["submitted"]
    values, bad = coerce(raw.frame["开始答题时间"], spec)
    assert not bad.any() and values.iloc[0] == pd.Timestamp("2020-08-24 18:08")
    # not a 问卷星 export, and not a survey table: clear DataErrors saying why
    with pytest.raises(DataError, match="not a 问卷星 export: missing 序号"):
        read_wjx(path)
    with pytest.raises(DataError) as info:
        read_table(path, "survey")
    rules = {(p.column, p.rule) for p in info.value.problems}
    assert ("答卷编号", "required column is missing") in rules


def _check_any(path: Path) -> None:
    """A file no rule above knows: readable as a raw table, or a DataError saying why not."""
    try:
        raw = read_raw(path)
    except DataError as err:
        assert any(w in str(err) for w in ("unsupported file type", "cannot be read", "empty")), str(err)
    else:
        assert isinstance(raw, RawTable)


def _checker(path: Path):
    name, suffix = path.name.lower(), path.suffix.lower()
    if name.startswith("wjx_"):
        return _check_wjx
    if suffix == ".sav":
        return _check_sav
    if name.startswith("tencentwj_") and suffix == ".csv":
        return _check_tencent_csv
    return _check_any


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_real_file_is_read_or_clearly_rejected(path, safety_figures):
    before = _sha(path)
    try:
        _checker(path)(path)
    finally:
        assert _sha(path) == before, "a raw file was modified"
    checked = safety_figures.setdefault("real export files checked", 0)
    safety_figures["real export files checked"] = checked + 1


def test_every_real_file_is_described_in_sources():
    sources = (REALDATA / "SOURCES.md").read_text(encoding="utf-8")
    assert [p.name for p in FILES if p.name not in sources] == []
    assert len(FILES) >= 6


# ------------------------------------------------- platform profiles on the real files
# Expected values below were read from the raw files with openpyxl 3.1
# (``load_workbook(path, read_only=True).active.iter_rows(values_only=True)``) and,
# for the CSV, with Python's csv module; counts are ``sum(cell == -2)`` per column.

def _real(name: str) -> Path:
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"{name} absent from {REALDATA}")
    return path


def test_jeffllq_edited_matrix_headers_and_restarted_numbering():
    from grouplab.data.surveys.platforms import read_export

    df = read_export(_real("wjx_jeffllq_exercise_numeric_matrix_redacted.xlsx"))
    info = df.attrs["export"]
    assert info["platform"] == "wjx" and info["form"] == "numeric"
    # 1290 answer sheets; 81 columns = 5 metadata + 6 questions + 62 tab items + 8 questions
    assert len(df) == 1290 and df.shape[1] == 81
    assert df["respondent_id"].iloc[-1] == "1290"
    # `4、你的性别: ` (trailing space): first three answers 2, 1, 1; last 1
    assert df["Q4"].head(3).tolist() == [2, 1, 1] and df["Q4"].iloc[-1] == 1
    # the 62 `n<TAB>…` items form section 2, the restarted `1、…` questions section 3
    q = info["questions"]
    assert q["S2Q1"]["title"] == "我经常花时间参加讲座、培训之类的活动。"
    assert df["S2Q1"].head(3).tolist() == [4, 4, 4] and df["S2Q62"].head(3).tolist() == [3, 3, 1]
    assert q["S3Q1"]["title"].startswith("最近7天内，您有几天做了剧烈的体育活动")
    # −2 in IPAQ items 2/4/6: 448, 284 and 135 cells (SOURCES.md; counted again with openpyxl)
    counts = pd.Series([m["column"] for m in info["missing"] if m["code"] == -2]).value_counts()
    assert counts.to_dict() == {"S3Q2": 448, "S3Q4": 284, "S3Q6": 135}
    assert df["S3Q2"].isna().sum() == 448
    # free text `8、您一般进行的运动项目是?`: 1288 strings and 2 ints, kept as text
    assert q["S3Q8"]["type"] == "text" and df["S3Q8"].head(3).tolist() == ["跳绳", "跑步", "躺着"]
    assert df["S3Q8"].iloc[-1] == "羽毛球"


def test_windstation_82_items_total_score_and_fill_ins():
    from grouplab.data.surveys.platforms import read_export

    df = read_export(_real("wjx_windstation_parenting_numeric_redacted.xlsx"))
    q = df.attrs["export"]["questions"]
    assert len(df) == 245 and df.shape[1] == 93   # 5 metadata + 87 questions + 总分
    assert df["Q1"].head(3).tolist() == [4, 3, 5] and df["Q1"].iloc[-1] == 4
    assert q["Q30"]["title"] == "此题请选择“非常不符合”。" and df["Q30"].head(3).tolist() == [3, 1, 3]
    assert df["total_score"].head(3).tolist() == [256, 311, 358] and df["total_score"].iloc[-1] == 287
    # 84、您的年龄： ints with 6 strings (`44 岁`, `80r` …): open text, numbers kept as written
    assert q["Q84"]["type"] == "text"
    assert df["Q84"].head(3).tolist() == ["40", "41", "42"] and "44 岁" in set(df["Q84"])
    assert df["Q85"].head(3).tolist() == [4, 5, 5]
    assert df.attrs["export"]["missing"] == []


def test_tencent_export_is_recognised_and_personal_columns_removed():
    from grouplab.data.surveys.platforms import read_export

    df = read_export(_real("tencentwj_yuanlin_example_utf8bom.csv"))
    info = df.attrs["export"]
    assert info["platform"] == "tencent" and len(df) == 1
    assert df["started"].iloc[0] == pd.Timestamp("2020-08-24 18:08")
    # location, user id, nickname and `1.服务监督员编号或姓名` (a name) are not returned
    removed = {r["column"]: r["reason"] for r in info["removed"]}
    assert removed["昵称"] == "name" and removed["1.服务监督员编号或姓名"] == "name"
    assert removed["地理位置省"] == "location"
    assert "Q1" not in df.columns
    # the cascading question `2.检查日期:请选择` written three times = one question, three parts
    assert info["questions"]["Q2"]["columns"] == ["Q2.1", "Q2.2", "Q2.3"]
    assert df["Q3.2"].iloc[0] == "1号线"


def test_spss_platform_file_reads_as_plain_table():
    from grouplab.data.surveys.platforms import read_export

    df = read_export(_real("spss_meoweggs_data0_platformexport_utf8.sav"))
    assert df.attrs["export"]["platform"] == "plain" and len(df) == 53
    assert {"Q1", "Q6_Row1", "Q2_Blank1"} <= set(df.columns)
    # variables index / totalseconds are labelled 序号 / 所用时间 (the platform's metadata headers):
    # read as the answer-sheet number and the duration; first cases (pyreadstat): 1, 243 and 3, 319
    assert df["respondent_id"].tolist()[:2] == ["1", "3"] and df["respondent_id"].is_unique
    assert df["duration_s"].tolist()[:2] == [243.0, 319.0]
    assert "index" not in df.columns and "totalseconds" not in df.columns
    labels = df.attrs["export"]["variable_labels"]
    assert labels["Q1"] == "A01.请问您的性别是? (单选)" and df.attrs["export"]["value_labels"]["Q1"] == {
        1: "1.男", 2: "2.女"}

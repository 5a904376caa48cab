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
from grouplab.data.readers.wjx import read_wjx
from grouplab.data.schema import coerce

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
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

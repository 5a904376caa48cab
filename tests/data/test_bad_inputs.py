"""The bad-input corpus: each case gives exactly one DataError naming file, row, column and rule.

Cases are listed in tests/fixtures/bad/cases.yml and written by tests/fixtures/bad/make_corpus.py.
"""

import hashlib
from collections import Counter
from pathlib import Path

import pytest
import yaml
from grouplab import DataError, load_dataset, read_table
from grouplab.data.surveys.wjx import read_wjx

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))


def _hashes(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _load(case: dict, path: Path) -> None:
    loader = case.get("loader", "table")
    if loader == "dataset":
        load_dataset(path, cache=False)
    elif loader == "wjx":
        read_wjx(path)
    else:
        read_table(path, case["table"], encoding=case.get("encoding"))


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(reason=c["xfail"], strict=True)] if c.get("xfail") else []
        yield pytest.param(c, id=c["path"], marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_bad_input_gives_one_clear_data_error(case):
    path = BAD / case["path"]
    assert path.exists(), f"{path} missing: run tests/fixtures/bad/make_corpus.py"
    before = _hashes(path)
    try:
        with pytest.raises(DataError) as info:
            _load(case, path)
    finally:
        # raw files are never written to, whatever happened
        assert _hashes(path) == before
    err = info.value
    assert len(err.problems) == 1, str(err)
    p = err.problems[0]
    assert p.file == case.get("file", case["path"])
    assert p.row == case["row"], str(err)
    assert p.column == case["column"], str(err)
    assert case["rule"].lower() in p.rule.lower()
    text = str(err)
    assert p.file in text and case["rule"].lower() in text.lower()
    assert "Traceback" not in text
    if case["row"] is not None:
        assert f"row {case['row']}" in text


def test_corpus_covers_every_loader_and_table(safety_figures):
    assert len(CASES) >= 30
    assert len({c["path"] for c in CASES}) == len(CASES)
    suffixes = Counter(Path(c["path"]).suffix for c in CASES if c.get("loader", "table") == "table")
    assert {".csv", ".xlsx", ".xls", ".sav"} <= set(suffixes)
    assert any(c.get("loader") == "wjx" for c in CASES)
    tables = {c["table"] for c in CASES if "table" in c}
    # tables read only inside datasets
    for c in CASES:
        if c.get("loader") == "dataset":
            try:
                manifest = yaml.safe_load((BAD / c["path"] / "dataset.yml").read_text("utf-8"))
            except yaml.YAMLError:  # the invalid-manifest case
                continue
            tables |= set(manifest.get("tables") or {})
    assert tables >= {"units", "groups", "activities", "posts", "evaluations", "incidents",
                      "exposure", "indicators", "survey"}
    # every file in the corpus folder belongs to a case
    listed = {c["path"] for c in CASES} | {"cases.yml", "make_corpus.py"}
    assert {p.name for p in BAD.iterdir() if p.name != "__pycache__"} <= listed
    safety_figures["bad-input corpus cases"] = len(CASES)

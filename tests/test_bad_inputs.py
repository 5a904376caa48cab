"""The bad-input corpus: each case gives exactly one DataError naming file, row, column and rule."""

import hashlib
from pathlib import Path

import pytest
import yaml
from grouplab import DataError, load_dataset, read_table

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))


def _hashes(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize("case", CASES, ids=[c["path"] for c in CASES])
def test_bad_input_gives_one_clear_data_error(case):
    path = BAD / case["path"]
    before = _hashes(path)
    with pytest.raises(DataError) as info:
        if case.get("dataset"):
            load_dataset(path)
        else:
            read_table(path, case["table"], encoding=case.get("encoding"))
    err = info.value
    assert len(err.problems) == 1, str(err)
    p = err.problems[0]
    assert p.file == case.get("file", case["path"])
    assert p.row == case["row"]
    assert p.column == case["column"]
    assert case["rule"].lower() in p.rule.lower()
    text = str(err)
    assert p.file in text and case["rule"].lower() in text.lower()
    if case["row"] is not None:
        assert f"row {case['row']}" in text
    # raw files are never written to
    assert _hashes(path) == before


def test_corpus_has_at_least_ten_cases():
    assert len(CASES) >= 10

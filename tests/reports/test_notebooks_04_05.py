"""Notebooks 04 (survey report) and 05 (benchmarking) under papermill with non-default parameters.

All runs start at once (one papermill process each) on a copy of the demo data
whose 问卷星 序号 (respondent ids) are replaced by distinctive tokens, so that a
leak of any respondent id into any output can be found by a plain text search.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from grouplab.paths import demo_dir, notebooks_dir, rubrics_dir

pytestmark = pytest.mark.slow  # runs notebooks or a report batch: not in `make check`

RUNS = {
    "04_en": ("04_survey_report", {"unit_id": "WA10", "wave": 2017, "lang": "en"}),
    "04_zh": ("04_survey_report", {"unit_id": "WA03", "wave": 2018, "lang": "zh"}),
    "04_bad": ("04_survey_report", {"unit_id": "XX99", "wave": 2019, "lang": "en"}),
    "05_en": ("05_benchmarking", {"station_id": "S2", "year": 2010, "lang": "en"}),
    "05_zh": ("05_benchmarking", {"station_id": "S3", "year": 2011, "lang": "zh"}),
    "05_bad": ("05_benchmarking", {"station_id": "S9", "year": 2011, "lang": "zh"}),
}


def _token(wave: str, old: object) -> str:
    return f"RID{wave}X{int(old):05d}Q"


def _copy_with_token_ids(root: Path) -> tuple[Path, set[str]]:
    """Copy the demo dataset and its specs; give every respondent a distinctive id."""
    data = root / "data"
    shutil.copytree(demo_dir(), data / "demo")
    shutil.copytree(rubrics_dir(), data / "rubrics")
    manifest = yaml.safe_load((data / "demo" / "dataset.yml").read_text(encoding="utf-8"))
    ids: set[str] = set()
    for wave, rel in manifest["tables"]["survey"]["files"].items():
        path = data / "demo" / rel
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        col = next(c.column for c in ws[1] if c.value == "序号")
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if cell.value is not None:
                cell.value = _token(str(wave), cell.value)
                ids.add(cell.value)
        wb.save(path)
    return data / "demo", ids


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb0405")
    data, ids = _copy_with_token_ids(root)
    procs = {}
    for key, (name, params) in RUNS.items():
        out = root / f"{key}.ipynb"
        params = {"data_dir": str(data), **params}
        cmd = [sys.executable, "-m", "papermill", str(notebooks_dir() / f"{name}.ipynb"), str(out),
               "-k", "grouplab", "--cwd", str(root), "-y", json.dumps(params), "--no-progress-bar"]
        procs[key] = (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), out)
    results = {}
    for key, (proc, out) in procs.items():
        _, err = proc.communicate(timeout=300)
        results[key] = (proc.returncode, err, json.loads(out.read_text(encoding="utf-8")))
    return results, ids


def _outputs(nb: dict) -> list[str]:
    """Every text an executed notebook shows: streams, text/plain, text/html, errors."""
    texts = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if "text" in o:
                texts.append("".join(o["text"]))
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in o.get("data", {}):
                    texts.append("".join(o["data"][mime]))
            if o.get("output_type") == "error":
                texts.append(o.get("evalue", ""))
    return texts


@pytest.mark.parametrize("key", ["04_en", "04_zh", "05_en", "05_zh"])
def test_notebook_completes_with_other_parameters(runs, key):
    results, _ = runs
    code, err, nb = results[key]
    assert code == 0, err[-3000:]
    texts = _outputs(nb)
    assert any("<table" in t for t in texts)          # key tables were shown
    stderr = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, stderr                          # no warnings (e.g. "Glyph missing")
    figures = [o for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(figures) == 2


def test_language_of_the_outputs(runs):
    results, _ = runs
    en = "\n".join(_outputs(results["04_en"][2]))
    zh = "\n".join(_outputs(results["04_zh"][2]))
    assert "Respondents" in en and "答卷人数" not in en
    assert "答卷人数" in zh and "Respondents" not in zh
    assert "Gap to area benchmark" in "\n".join(_outputs(results["05_en"][2]))
    assert "与区标差距" in "\n".join(_outputs(results["05_zh"][2]))


def test_hidden_cells_are_marked(runs):
    results, _ = runs
    # WA10 never adopted demonstration posts: the 示范引领 items were not shown in 2017 (n = 0 < 5)
    assert "hidden" in "\n".join(_outputs(results["04_en"][2]))


def test_no_respondent_id_in_any_output(runs):
    results, ids = runs
    assert len(ids) > 1000
    for key in ("04_en", "04_zh"):
        text = "\n".join(_outputs(results[key][2]))
        leaked = [i for i in ids if i in text]
        assert not leaked, (key, leaked[:5])
        assert "respondent_id" not in text and "答卷编号" not in text


def test_change_shows_the_seed_figures(runs):
    results, _ = runs
    text = "\n".join(_outputs(results["05_zh"][2]))
    for figure in ("85.0% 变为 92.3%", "976.0 t 变为 399.0 t", "+4.9 个百分点", "32.6% 变为 35.8%",
                   "43.9% 变为 50.9%"):
        assert figure in text


@pytest.mark.parametrize("key, listed", [("04_bad", "valid: WA01, WA02"), ("05_bad", "valid: S1, S2, S3")])
def test_unknown_id_fails_listing_the_valid_ones(runs, key, listed):
    results, _ = runs
    code, err, nb = results[key]
    assert code != 0
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "ParameterError"
    assert listed in errors[0]["evalue"]

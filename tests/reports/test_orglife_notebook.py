"""Notebook 07_org_life: shape rules, and one non-default run in English.

The run uses WA09, whose group G052 holds a planted drifter in late 2018 (README of the demo),
with member_names=True, and checks that the report's key tables carry English headers in the
batch's xlsx and that the member list shows the drifter (in the report, not in the workbook).
"""

from __future__ import annotations

import ast
import json
import re

import pytest
from grouplab.batch.execute import export_tables
from grouplab.paths import notebooks_dir
from grouplab.reports.common.tables import TABLE_META_KEY

NB = notebooks_dir() / "07_org_life.ipynb"


def _cells():
    return json.loads(NB.read_text(encoding="utf-8"))["cells"]


def test_parameters_glue_and_narrative_in_both_languages():
    cells = _cells()
    params = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    tree = ast.parse("".join(params[0]["source"]))
    names = {n.targets[0].id for n in tree.body if isinstance(n, ast.Assign)}
    assert names == {"data_dir", "unit_id", "period", "lang", "member_names"}
    for n in tree.body:
        ast.literal_eval(n.value)  # literal only
    for c in cells:
        if c["cell_type"] == "code":
            assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef))
                           for n in ast.walk(ast.parse("".join(c["source"]))))
    md = [c for c in cells if c["cell_type"] == "markdown"]
    tags = [tuple(t for t in c["metadata"].get("tags", []) if t.startswith("lang-")) for c in md]
    # every narrative cell twice: zh then en
    assert tags == [("lang-zh",), ("lang-en",)] * (len(md) // 2)
    for zh, en in zip(md[::2], md[1::2]):
        assert "".join(zh["source"]).split("\n")[0].count("#") == \
            "".join(en["source"]).split("\n")[0].count("#")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    import papermill as pm
    from grouplab.batch.execute import KERNEL

    out = tmp_path_factory.mktemp("nb07") / "07_en.ipynb"
    pm.execute_notebook(str(NB), str(out), kernel_name=KERNEL, cwd=str(NB.parent), progress_bar=False,
                        parameters={"unit_id": "WA09", "period": "2019Q1", "lang": "en",
                                    "member_names": True})
    return out


@pytest.mark.slow
def test_english_run_exports_the_ledger(run):
    xlsx = export_tables(run, run.with_suffix(".xlsx"))
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    # every table of the report, sheet names in the report language; the member list is not a sheet
    assert wb.sheetnames == ["Group meetings", "Repeated flags", "Five systems", "Leader training",
                             "Training sessions", "Demonstration days", "Demonstration posts",
                             "Attendance list", "Follow-up list"]
    grid = [c.value for c in wb["Group meetings"][1]]
    assert grid == ["Group ID", "Group name", "2019-01", "2019-02", "2019-03"]
    assert [c.value for c in wb["Follow-up list"][1]] == [
        "No.", "Group ID", "Group name", "System / rule", "Requirement", "Since", "Months", "State"]
    text = run.read_text(encoding="utf-8")
    # the planted drifter of G052 (absent Oct 2018 – Jan 2019) is listed by ID when allowed
    assert "M0415" in text
    nb = json.loads(text)
    said = [re.sub("<[^>]+>", "", "".join(o["data"]["text/html"]))
            for c in nb["cells"] for o in c.get("outputs", [])
            if "grouplab-say" in "".join(o.get("data", {}).get("text/html", ""))]
    assert said[0].startswith("WA09 ") and said[0].endswith("2019 Q1")
    # the demo is synthetic, and the report says so under its title (on a user's data it does not)
    assert said[1] == "This report runs on the embedded synthetic demo data (not real data)."
    assert any(s.startswith("The follow-up list has") or s == "Nothing to follow up in this period."
               for s in said)
    # the member list (IDs) is shown and goes to Word, but is kept out of the workbook
    members = [o["metadata"][TABLE_META_KEY] for c in nb["cells"] for o in c.get("outputs", [])
               if "M0415" in json.dumps(o.get("data", {})) and TABLE_META_KEY in o.get("metadata", {})]
    assert len(members) == 1 and members[0]["excel"] is False

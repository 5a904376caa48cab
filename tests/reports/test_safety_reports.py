"""The demo batch on a hostile copy of the demo data: no raw identifiers, no unsuppressed
small cells, no unescaped markup in any output (issue: hardening).

The copy gives work areas and groups names that are HTML/JS injection probes and replaces every
questionnaire 序号 with a unique token, so a leaked identifier is unmistakable.
"""

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from grouplab import load_dataset
from grouplab.batch.runner import run
from grouplab.paths import data_dir, demo_dir
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # runs notebooks or a report batch: not in `make check`

PROBES = {
    "WA01": "<script>alert(1)</script>输电工区",
    "WA02": '"><img src=x onerror=alert(2)>变电工区',
    "G001": "<b onmouseover=alert(3)>线路班</b>",
    "G005": "</td></tr></table><svg onload=alert(4)>",
}
RAW_MARKUP = ["<script>alert(1)", "<img src=x onerror", "<b onmouseover", "<svg onload"]


def _hostile_copy(root: Path) -> Path:
    shutil.copytree(data_dir() / "rubrics", root / "rubrics")
    shutil.copytree(demo_dir(), root / "demo")
    d = root / "demo"
    for name, col in (("units.csv", "unit_id"), ("groups.csv", "group_id")):
        lines = (d / name).read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        i, j = header.index(col), header.index("name")
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if cells[i] in PROBES:
                cells[j] = '"' + PROBES[cells[i]].replace('"', '""') + '"'
            out.append(",".join(cells))
        (d / name).write_text("\n".join(out) + "\n", encoding="utf-8")
    for wave in (2017, 2018, 2019):
        path = d / f"survey_{wave}.xlsx"
        wb = load_workbook(path)
        ws = wb.active
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 1).value = f"RID{wave}X{r:05d}Q"
        wb.save(path)
    return d


PROBED_UNITS = ["WA01", "WA02"]  # the work areas named by PROBES, and those of groups G001 and G005


def _hostile_config(data: Path, out: Path) -> dict:
    """The demo batch (data/demo/reports.yml), every report kind, sized to what the tests here read.

    The reports by work area run for the two whose names (or whose groups' names) are probes: the report
    of another work area does not show them (the index and overview, which list every report, and the
    data-quality report still do). The survey report runs for every work area: the small-cell check reads
    each area's group sizes. Notebook 03 runs one outcome with 19 permutations (its default is 99), which
    changes a p-value's resolution, not what is shown or how it is escaped.
    """
    cfg = yaml.safe_load((demo_dir() / "reports.yml").read_text(encoding="utf-8"))
    for entry in cfg["reports"]:
        grid = entry["grid"]
        if grid.get("unit_id") == "all" and not entry["notebook"].startswith("04_"):
            grid["unit_id"] = PROBED_UNITS
        if "outcome" in grid:
            grid.update(outcome=grid["outcome"][:1], ri_draws=[19])
    cfg.update(dataset=str(data), out=str(out), name="<script>alert(5)</script> demo")
    return cfg


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = _hostile_copy(root)
    ds = load_dataset(data)
    groups = ds["groups"].set_index("group_id")["unit_id"]
    assert {u for u in PROBES if u.startswith("WA")} | set(groups[["G001", "G005"]]) == set(PROBED_UNITS)
    manifest = run(_hostile_config(data, root / "out"), jobs=2, progress=False)
    return root / "out", manifest, ds


def _texts(out: Path):
    for p in sorted(out.rglob("*")):
        if p.suffix in (".html", ".ipynb", ".json"):
            yield p, p.read_text(encoding="utf-8")
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                yield p, "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_every_report_of_the_hostile_batch_is_ok(batch):
    out, manifest, _ = batch
    bad = [(r["slug"], r.get("error")) for r in manifest["reports"] if r["status"] != "ok"]
    assert not bad


def test_no_raw_or_pseudonymised_identifier_in_any_output(batch, safety_figures):
    out, manifest, ds = batch
    raw = re.compile(r"RID20\d\dX\d{5}Q")
    pseudonyms = set(ds["survey"]["respondent_id"])
    n = 0
    for path, text in _texts(out):
        n += 1
        assert not raw.search(text), f"raw respondent id in {path}"
        assert not any(p in text for p in pseudonyms), f"respondent pseudonym in {path}"
    safety_figures["demo-batch files scanned for identifiers"] = n


def test_no_unescaped_markup_reaches_any_html(batch, safety_figures):
    out, manifest, _ = batch
    htmls = sorted(out.rglob("*.html"))
    for path in htmls:
        text = path.read_text(encoding="utf-8")
        for probe in RAW_MARKUP + ["<script>alert(5)"]:
            assert probe not in text, f"unescaped {probe!r} in {path}"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(5)" in index
    scorecards = [p for p in htmls if "02_group_scorecard" in str(p) and "WA01" in p.name]
    assert scorecards and "&lt;script&gt;alert(1)&lt;/script&gt;" in scorecards[0].read_text(encoding="utf-8")
    safety_figures["HTML files checked for markup probes"] = len(htmls)
    safety_figures["markup probes escaped"] = len(RAW_MARKUP) + 1


def _tables(nb_path: Path) -> dict:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("grouplab_key_table")
            if meta:
                out[meta["name"]] = meta["data"]
    return out


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def test_no_small_cell_is_shown_in_survey_reports(batch, safety_figures):
    out, _, _ = batch
    notebooks = sorted((out / "04_survey_report").glob("*.ipynb"))
    assert notebooks
    cells = 0
    from grouplab.reports import survey as survey_report

    for nb in notebooks:
        t = _tables(nb)  # keyed by sheet name, which is in the report's language
        lang = "en" if "lang=en" in nb.name else "zh"
        for row in t[survey_report.sheet_name("responses", lang)]["data"]:
            n = _num(row[3])  # respondents of a group (a string mark when hidden)
            cells += 1
            assert n is None or n == 0 or n >= 5, (nb.name, row)
        for row in t[survey_report.sheet_name("choices", lang)]["data"]:
            answered, share = _num(row[2]), _num(row[3])
            if answered is None or share is None:
                continue
            count = round(answered * share / 100)
            cells += 1
            assert count == 0 or count >= 5, (nb.name, row)
    safety_figures["survey report cells checked for n < 5"] = cells

"""Batch runner: isolation of failures, atomic outputs, resume, parameter checks, Dask."""

import json
from pathlib import Path

import nbformat
import pytest
from grouplab import ParameterError
from grouplab.batch.plan import notebook_parameters, plan
from grouplab.batch.runner import run
from grouplab.cli import main

_PARAMETERS = 'data_dir = "demo"\nunit_id = "WA01"\nyear = 2019'
_BODY = ("import pandas as pd\nfrom grouplab.reports.common.tables import key_table\n"
         "if unit_id == 'WA02':\n    raise RuntimeError('boom in ' + unit_id)\n"
         "key_table(pd.DataFrame({'unit': [unit_id], 'year': [year]}), 'summary')")


@pytest.fixture
def config(tmp_path, notebook_batch):
    return notebook_batch(tmp_path, "test", _PARAMETERS, _BODY, ["WA01", "WA02", "WA03"])


def test_parameters_cell_is_read(tmp_path, report_notebook):
    assert notebook_parameters(report_notebook(tmp_path / "t.ipynb", _PARAMETERS, _BODY)) == {
        "data_dir": "demo", "unit_id": "WA01", "year": 2019}


@pytest.mark.parametrize("grid, message", [
    ({"unit": ["WA01"]}, "unknown parameter 'unit'"),
    ({"unit_id": [7]}, "ids must be strings"),
    ({"year": ["2019"]}, "expected a number"),
])
def test_bad_parameters_are_rejected_before_anything_runs(config, grid, message):
    config["reports"][0]["grid"] = grid
    with pytest.raises(ParameterError, match=message):
        plan(config)
    assert not Path(config["out"]).exists()


def test_all_expands_over_the_entity_the_report_package_declares(config):
    # the demo has work areas WA01–WA10 with groups and oil stations S1–S3 (data/demo/README.md)
    config["reports"] = [
        {"notebook": "02_group_scorecard.ipynb", "grid": {"unit_id": "all", "year": [2019]}},
        {"notebook": "05_benchmarking.ipynb", "grid": {"station_id": "all", "year": [2011]}}]
    reports, _ = plan(config)
    ids = [r.parameters.get("unit_id") or r.parameters["station_id"] for r in reports]
    assert ids == [f"WA{i:02d}" for i in range(1, 11)] + ["S1", "S2", "S3"]
    first = reports[0].label
    assert first == {"title": "党小组考评记分卡", "entity": "WA01", "entity_name": "输电运检一工区",
                     "period": "2019", "lang": "zh"}


def test_all_is_refused_where_the_report_declares_no_entity(config):
    config["reports"][0]["grid"] = {"unit_id": "all"}  # a notebook without a report package
    with pytest.raises(ParameterError, match="declare ENTITY"):
        plan(config)
    config["reports"] = [{"notebook": "02_group_scorecard.ipynb", "grid": {"year": "all"}}]
    with pytest.raises(ParameterError, match="'all' expands only 'unit_id', not 'year'"):
        plan(config)


@pytest.mark.slow
def test_one_failure_does_not_stop_the_others_and_rerun_skips(config, capsys):
    out = Path(config["out"])
    manifest = run(config, jobs=2, progress=False, formats="html,xlsx")
    status = {r["parameters"]["unit_id"]: r["status"] for r in manifest["reports"]}
    assert status == {"WA01": "ok", "WA02": "failed", "WA03": "ok"}
    failed = next(r for r in manifest["reports"] if r["status"] == "failed")
    assert "boom in WA02" in failed["error"]
    # the failed notebook is kept with its failing cell; nothing of it is named as complete
    kept = nbformat.read(out / failed["ipynb"], as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert not (out / "t" / "unit_id=WA02.html").exists()
    assert not (out / "t" / "unit_id=WA02.ipynb").exists()
    assert not list(out.rglob(".*tmp")) and not list(out.rglob(".*running*"))
    ok = next(r for r in manifest["reports"] if r["status"] == "ok")
    assert (out / ok["html"]).is_file() and (out / ok["xlsx"]).is_file()
    html = (out / ok["html"]).read_text(encoding="utf-8")
    assert "Provenance" in html and "cdnjs" not in html and "unit_id = " not in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "boom in WA02" in index and index.count('class="ok"') == 2
    assert json.loads((out / "run.json").read_text())["summary"]["failed"] == 1

    second = run(config, jobs=2, progress=False, formats="html,xlsx")
    assert second["summary"] == {"ok": 0, "failed": 1, "skipped": 2, "pending": 0}

    # the CLI exits non-zero when any report failed and prints a summary
    cfg = out.parent / "batch.yml"
    cfg.write_text(json.dumps(config), encoding="utf-8")
    assert main(["batch", str(cfg), "--quiet", "--formats", "html,xlsx"]) == 1
    printed = capsys.readouterr()
    assert "2 skipped" in printed.out and "FAILED t/unit_id=WA02" in printed.err


@pytest.mark.slow
def test_dask_local_cluster_runs_the_same_batch(config):
    distributed = pytest.importorskip("distributed")
    config["reports"][0]["grid"] = {"unit_id": ["WA01", "WA03"]}
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        manifest = run(config, executor=client.get_executor(), progress=False)
    assert manifest["summary"]["ok"] == 2

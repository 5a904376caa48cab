"""Nothing lost: a batch killed mid-run leaves no report marked OK that is incomplete,
no complete-looking file that is half-written, and a rerun finishes the rest."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from grouplab.batch.runner import run
from grouplab.paths import demo_dir

pytestmark = pytest.mark.slow  # runs notebooks or a report batch: not in `make check`


def _complete(path: Path) -> bool:
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    if path.suffix == ".ipynb":
        nbformat.read(path, as_version=4)  # raises on a truncated file
        return True
    return True


UNITS = [f"WA{i:02d}" for i in range(1, 7)]  # enough that two are done and more are running at the kill


def test_killed_batch_keeps_only_complete_reports_and_rerun_finishes(tmp_path, safety_figures):
    cfg = {"name": "interrupt", "dataset": str(demo_dir()), "out": str(tmp_path / "out"),
           "reports": [{"notebook": "02_group_scorecard.ipynb",
                        "grid": {"unit_id": UNITS, "year": [2019], "lang": ["zh"]}}]}
    config = tmp_path / "batch.yml"
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grouplab.cli", "batch", str(config), "--jobs", "2",
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = json.loads((out / "run.json").read_text(encoding="utf-8"))["summary"]["ok"]
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= 2:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "batch finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)  # the runner, its workers and their kernels
    proc.wait(timeout=30)

    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    ok = [r for r in manifest["reports"] if r["status"] == "ok"]
    assert 2 <= len(ok) < len(UNITS)
    for r in ok:
        assert _complete(out / r["html"]) and _complete(out / r["ipynb"])
    for path in out.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert _complete(path), f"half-written file under a final name: {path}"

    second = run(config, progress=False)
    assert second["summary"]["failed"] == 0
    assert second["summary"]["skipped"] == len(ok)
    assert second["summary"]["ok"] + second["summary"]["skipped"] == len(UNITS)
    safety_figures["interrupted batch: reports complete at kill / finished on rerun"] = (
        f"{len(ok)} / {second['summary']['ok']}")

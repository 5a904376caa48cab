"""Shared test settings.

Do not set MPLBACKEND here: nbval kernels inherit the environment, and a
non-inline backend would make plt.show() in notebooks emit nothing.
"""

import os
import tempfile
from pathlib import Path

import pytest

# Keep the dataset cache of this test session out of the user's home, and
# pseudonymise respondents with a fixed test secret.
os.environ["GROUPLAB_CACHE"] = tempfile.mkdtemp(prefix="grouplab-cache-")
os.environ.setdefault("GROUPLAB_SECRET", "grouplab-test-secret")

_FIGURES: dict[str, object] = {}


@pytest.fixture(scope="session")
def safety_figures():
    """Record a figure for the end-of-run 'safety figures' summary (name -> value)."""
    return _FIGURES


def pytest_sessionfinish(session):
    """An xdist worker hands its figures to the controller (see pytest_testnodedown)."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["safety_figures"] = {k: str(v) for k, v in _FIGURES.items()}


def pytest_testnodedown(node, error):
    _FIGURES.update(getattr(node, "workeroutput", {}).get("safety_figures", {}))


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("safety figures")
        for name, value in _FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


RI_DRAWS = 19  # permutations of a test run of notebook 03 (its default is 99); as tests/reports/test_study.py


def demo_batch_config(out: Path, *, full: bool = False) -> dict:
    """The demo batch (data/demo/reports.yml) in both languages, writing to ``out``.

    Without ``full``, the first id of each ``all`` expansion and the first value of every other list:
    the wording and the layout of a report depend on its notebook, not on the unit; and randomisation
    inference (notebook 03) with ``RI_DRAWS`` permutations instead of the notebook's default, which sets
    the p-value's resolution, not the tables, figures or wording the tests read.
    """
    import yaml
    from grouplab.batch.plan import notebook_parameters, notebook_report
    from grouplab.data.dataset import load_dataset
    from grouplab.paths import demo_dir, notebooks_dir

    cfg = yaml.safe_load((demo_dir() / "reports.yml").read_text(encoding="utf-8"))
    ds = load_dataset(demo_dir())
    for entry in cfg["reports"]:
        grid = entry.setdefault("grid", {})
        grid["lang"] = ["zh", "en"]
        for k, v in grid.items():
            if v == "all" and not full:
                grid[k] = notebook_report(notebooks_dir() / entry["notebook"]).entity_ids(ds)[:1]
            elif isinstance(v, list) and k != "lang" and not full:
                grid[k] = v[:1]
        if not full and "ri_draws" in notebook_parameters(notebooks_dir() / entry["notebook"]):
            grid.setdefault("ri_draws", [RI_DRAWS])
    cfg.update(dataset=str(demo_dir()), out=str(out))
    return cfg


@pytest.fixture(scope="session")
def demo_batch(tmp_path_factory):
    """One run of the demo batch in zh and en, all formats, shared by every test that reads its files.

    Returns ``(out, manifest)``: the output folder and the run manifest (``run.json``). Set
    GROUPLAB_FULL_LANGUAGE_TEST=1 to run every id instead of the first of each report.

    Made once per test run, not once per xdist worker: the first worker to need it runs the batch under
    a lock in the run's shared temporary folder and leaves the manifest beside it; a worker that asks
    meanwhile waits on the lock (the batch keeps both cores busy), then reads what was made.
    """
    import fcntl
    import json

    from grouplab.batch.runner import run

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's popen-gwN
    root = shared / "demo-batch"
    root.mkdir(exist_ok=True)
    out, done = root / "out", root / "manifest.json"
    with open(shared / "demo-batch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            full = os.environ.get("GROUPLAB_FULL_LANGUAGE_TEST") == "1"
            manifest = run(demo_batch_config(out, full=full), jobs=2, progress=False)
            tmp = done.with_suffix(".tmp")
            tmp.write_text(json.dumps(manifest, default=str), encoding="utf-8")
            tmp.replace(done)
    return out, json.loads(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo():
    """The embedded demo dataset, loaded once per test session (read-only: ``ds[table]`` returns copies)."""
    from grouplab import load_demo

    return load_demo()


@pytest.fixture
def make_dataset(tmp_path):
    """Write a dataset folder: ``make_dataset({"units": frame_or_text, …}, manifest=None) -> Path``.

    A table given as a DataFrame is written as UTF-8 CSV (``<table>.csv``); text or bytes are written
    as they are under the name given as ``{"file.xlsx": bytes}`` when the key has a suffix. Without a
    ``manifest``, every table is named by its file; a manifest given is written as dataset.yml as is.
    """
    import pandas as pd
    import yaml

    def make(tables: dict, manifest: dict | None = None, *, folder: str = "dataset"):
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        named = {}
        for key, content in tables.items():
            name = key if "." in key else f"{key}.csv"
            if isinstance(content, pd.DataFrame):
                content.to_csv(root / name, index=False)
            elif isinstance(content, bytes):
                (root / name).write_bytes(content)
            else:
                (root / name).write_text(content, encoding="utf-8")
            if "." not in key:
                named[key] = name
        if manifest is None:
            manifest = {"name": folder, "tables": named}
        (root / "dataset.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
        return root

    return make


# the batch tests' small notebooks (tests/fixtures/batch_notebooks.py); a second conftest.py under
# tests/batch clashes with this one when --doctest-modules imports both as 'conftest'
@pytest.fixture
def report_notebook():
    """:func:`write_report_notebook`, for tests and fixtures that write their own small report."""
    from batch_notebooks import write_report_notebook

    return write_report_notebook


@pytest.fixture
def notebook_batch():
    """:func:`one_notebook_batch`, for the batch tests' ``config`` fixtures."""
    from batch_notebooks import one_notebook_batch

    return one_notebook_batch

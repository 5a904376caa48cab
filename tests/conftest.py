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


def demo_batch_config(out: Path, *, full: bool = False) -> dict:
    """The demo batch (data/demo/reports.yml) in both languages, writing to ``out``.

    Without ``full``, the first id of each ``all`` expansion and the first value of every other list:
    the wording and the layout of a report depend on its notebook, not on the unit.
    """
    import yaml
    from grouplab.batch.plan import notebook_report
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
    cfg.update(dataset=str(demo_dir()), out=str(out))
    return cfg


@pytest.fixture(scope="session")
def demo_batch(tmp_path_factory):
    """One run of the demo batch in zh and en, all formats, shared by every test that reads its files.

    Returns ``(out, manifest)``: the output folder and the run manifest (``run.json``). Set
    GROUPLAB_FULL_LANGUAGE_TEST=1 to run every id instead of the first of each report.
    """
    from grouplab.batch.runner import run

    out = tmp_path_factory.mktemp("demo-batch") / "out"
    full = os.environ.get("GROUPLAB_FULL_LANGUAGE_TEST") == "1"
    manifest = run(demo_batch_config(out, full=full), jobs=2, progress=False)
    return out, manifest


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

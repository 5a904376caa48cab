"""Helpers shared by the batch tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from grouplab.paths import demo_dir


def write_report_notebook(path: Path, parameters: str, body: str) -> Path:
    """Write a two-cell report notebook: ``parameters`` (the tagged cell papermill fills), then ``body``.

    Returns
    -------
    pathlib.Path
        ``path``, written with the ``grouplab`` kernel.
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "grouplab", "display_name": "grouplab", "language": "python"}
    nbformat.write(nb, path)
    return path


def one_notebook_batch(folder: Path, name: str, parameters: str, body: str, units: list[str]) -> dict:
    """A batch config over the demo: the notebook ``folder/t.ipynb`` (written here) for each of ``units``.

    Returns
    -------
    dict
        The config (``name``, ``dataset``, ``out`` = ``folder/out``, one report with a ``unit_id`` grid).
    """
    write_report_notebook(folder / "t.ipynb", parameters, body)
    return {"name": name, "dataset": str(demo_dir()), "out": str(folder / "out"),
            "reports": [{"notebook": str(folder / "t.ipynb"), "grid": {"unit_id": list(units)}}]}


@pytest.fixture
def report_notebook():
    """:func:`write_report_notebook`, for tests and fixtures that write their own small report."""
    return write_report_notebook


@pytest.fixture
def notebook_batch():
    """:func:`one_notebook_batch`, for the batch tests' ``config`` fixtures."""
    return one_notebook_batch

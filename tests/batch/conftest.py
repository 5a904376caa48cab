"""Helpers shared by the batch tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest


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


@pytest.fixture
def report_notebook():
    """:func:`write_report_notebook`, for tests and fixtures that write their own small report."""
    return write_report_notebook

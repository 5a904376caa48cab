"""Where grouplab finds its shipped data (demo dataset, default specs).

The package is installed editable from ``lib/``; the project's ``data/``
folder sits two levels above it. ``GROUPLAB_DATA`` overrides the location.
"""

from __future__ import annotations

import os
from pathlib import Path

#: File name of a dataset's manifest.
MANIFEST = "dataset.yml"

__all__ = ["MANIFEST", "project_root", "data_dir", "demo_dir", "rubrics_dir", "notebooks_dir", "reports_dir"]


def project_root() -> Path:
    """The project checkout (folder holding ``lib/``, ``data/``, ``notebooks/``).

    Returns
    -------
    pathlib.Path
        The checkout's root folder.
    """
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``data/`` (or ``$GROUPLAB_DATA``).

    Returns
    -------
    pathlib.Path
        The data folder.
    """
    env = os.environ.get("GROUPLAB_DATA")
    return Path(env) if env else project_root() / "data"


def demo_dir() -> Path:
    """The embedded synthetic demo dataset.

    Returns
    -------
    pathlib.Path
        ``data/demo`` under :func:`data_dir`.
    """
    return data_dir() / "demo"


def rubrics_dir() -> Path:
    """Default rubric, questionnaire and indicator-catalogue specs.

    Returns
    -------
    pathlib.Path
        ``data/rubrics`` under :func:`data_dir`.
    """
    return data_dir() / "rubrics"


def notebooks_dir() -> Path:
    """The report notebooks.

    Returns
    -------
    pathlib.Path
        ``notebooks/`` of the checkout (the report notebooks).
    """
    return project_root() / "notebooks"


def reports_dir() -> Path:
    """Default output folder of report batches.

    Returns
    -------
    pathlib.Path
        ``reports/`` of the checkout (default batch output).
    """
    return project_root() / "reports"

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
    """The project checkout (folder holding ``lib/``, ``data/``, ``notebooks/``)."""
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``data/`` (or ``$GROUPLAB_DATA``)."""
    env = os.environ.get("GROUPLAB_DATA")
    return Path(env) if env else project_root() / "data"


def demo_dir() -> Path:
    """The embedded synthetic demo dataset."""
    return data_dir() / "demo"


def rubrics_dir() -> Path:
    """Default rubric, questionnaire and indicator-catalogue specs."""
    return data_dir() / "rubrics"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"

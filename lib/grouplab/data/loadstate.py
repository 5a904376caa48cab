"""The state of one dataset load, shared by the per-layout loaders.

A loader for a layout (``long``: :mod:`grouplab.data.tidy`, ``wide``:
:mod:`grouplab.data.ledgers.load`, ``export``: :mod:`grouplab.data.surveys.load`)
is a function ``(state, table, entry) -> None`` that reads the entry's sources,
adds the table, its headers and reading notes to the state and every problem
found to ``state.problems``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from grouplab.data.cache import sha256_of
from grouplab.data.problems import problem
from grouplab.errors import Problem
from grouplab.paths import MANIFEST

__all__ = ["LoadState", "missing_file"]


@dataclass
class LoadState:
    """State of one dataset load: what was read so far and every problem found."""

    folder: Path
    manifest: dict
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    specs: dict[str, dict | None] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    headers: dict[str, dict] = field(default_factory=dict)
    reading: dict[str, list] = field(default_factory=dict)
    privacy: list[dict] = field(default_factory=list)
    places: dict = field(default_factory=dict)  # label -> SheetPlace of long tables read from sheets

    def hash_file(self, rel: str) -> bool:
        """Record a source file's hash; a missing file is a manifest problem."""
        path = self.folder / rel
        if not rel or not path.is_file():
            return False
        self.files[rel] = sha256_of(path)
        return True


def missing_file(st: LoadState, table: str, rel: str | None) -> None:
    """Record that the manifest names a file that is not in the dataset folder."""
    st.problems.append(problem("missing_file", MANIFEST, None, f"tables.{table}", rel or None,
                               folder=str(st.folder)))

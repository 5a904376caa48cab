"""Shared test settings.

Do not set MPLBACKEND here: nbval kernels inherit the environment, and a
non-inline backend would make plt.show() in notebooks emit nothing.
"""

import os
import tempfile

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


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("safety figures")
        for name, value in _FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


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

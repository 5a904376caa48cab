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

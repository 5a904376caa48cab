"""Data-quality report (notebook 01)."""

from grouplab.reports.quality.tables import *  # noqa: F403
from grouplab.reports.quality.tables import __all__  # noqa: F401

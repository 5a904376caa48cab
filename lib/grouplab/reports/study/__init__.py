"""Measures-and-outcomes study report (notebook 03)."""

from grouplab.reports.study.report import *  # noqa: F403
from grouplab.reports.study.report import __all__  # noqa: F401

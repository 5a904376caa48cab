"""Group scorecard report (notebook 02): half-yearly evaluations of one work area."""

from grouplab.reports.scorecard.report import *  # noqa: F403
from grouplab.reports.scorecard.report import __all__  # noqa: F401

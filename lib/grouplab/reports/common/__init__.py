"""grouplab.reports.common."""

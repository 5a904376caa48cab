"""grouplab.reports."""

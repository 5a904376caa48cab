"""grouplab.data."""

"""grouplab.measures."""

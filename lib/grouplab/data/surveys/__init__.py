"""grouplab.data.surveys."""

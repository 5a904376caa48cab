"""grouplab.data.readers."""

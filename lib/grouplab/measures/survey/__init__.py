"""grouplab.measures.survey."""

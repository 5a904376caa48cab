import os

# Keep matplotlib off any display and quiet in tests.
os.environ.setdefault("MPLBACKEND", "Agg")

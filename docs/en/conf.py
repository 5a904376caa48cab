"""English site: user guide, methods, gallery and the API reference (built first)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import *  # noqa: E402,F403

language = "en"
grouplab_lang = "en"
grouplab_api_dir = "api"

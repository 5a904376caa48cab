"""Sphinx settings shared by the two sites (docs/zh and docs/en each have a small conf.py).

Two builds, one per language, so each gets its own search index and UI language:
the Chinese one (``language = "zh_CN"``) segments words with jieba, the English one
stems. Both build offline: no MathJax, no web fonts, no intersphinx to the internet.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(DOCS / "_ext"), str(ROOT / "lib")]

import grouplab  # noqa: E402

try:  # the zh search index segments words with jieba: keep its log lines off the build output
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
except ImportError:
    pass

project = "grouplab"
author = "grouplab contributors"
copyright = "grouplab contributors"
release = version = grouplab.__version__

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_nb",
    "sphinx.ext.intersphinx",
    "grouplab_api",
    "grouplab_site",
]

templates_path = [str(DOCS / "_templates")]
html_static_path = [str(DOCS / "_static")]
html_css_files = ["grouplab.css"]
html_theme = "furo"
html_title = "grouplab"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_sidebars = {"**": [
    "sidebar/brand.html", "sidebar/lang.html", "sidebar/search.html", "sidebar/scroll-start.html",
    "sidebar/navigation.html", "sidebar/scroll-end.html",
]}
html_theme_options = {"navigation_with_keys": True}

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# notebooks are rendered from their stored outputs: never executed at build time
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # report notebooks start at ## under a generated title

# API reference
autodoc_default_options = {"no-value": True, "member-order": "bysource"}
autodoc_typehints = "none"
autodoc_preserve_defaults = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# every cross-reference must resolve (warnings are errors in `make docs`) except to the
# scientific Python stack, which is not linked offline
nitpicky = True
nitpick_ignore_regex = [
    ("py:.*", r"(pandas|pd|numpy|np|scipy|statsmodels|pyfixest|matplotlib|semopy|distributed|dask|"
              r"pathlib|collections|typing|datetime|docx|openpyxl|yaml|pyarrow)(\..*)?"),
    ("py:.*", r"(str|int|float|bool|dict|list|tuple|set|None|Path|DataFrame|Series|Mapping|"
              r"Sequence|Callable|Iterable|Any|object|bytes)"),
]

"""grouplab — research kit for grassroots Party-group building measures and outcomes.

Loading::

    load_dataset(path) -> Dataset       load_demo() -> Dataset
    read_table(path, table)             read_wjx(path)    read_sav(path)

Scoring (modules): ``evaluation`` (grades, annual review), ``activity``
(organisational-life panel, lags), ``scales`` / ``reliability`` (questionnaires),
``safety`` (rates, safe days), ``benchmark`` (标杆). Reports: ``batch``.

In JupyterLab a Dataset, a DataError and a model's result show as tables (``set_display_lang("en")``
for English); start with ``notebooks/00_start_here.ipynb``.
"""

from grouplab._version import __version__
from grouplab.data.codebook import codebook, label
from grouplab.data.dataset import Dataset, load_dataset, read_table
from grouplab.data.demo import load_demo
from grouplab.data.display import set_display_lang, show_data_errors
from grouplab.data.readers.base import read_sav
from grouplab.data.surveys.wjx import read_wjx
from grouplab.errors import DataError, GroupLabError, ParameterError, Problem

__all__ = [
    "Dataset",
    "DataError",
    "GroupLabError",
    "ParameterError",
    "Problem",
    "codebook",
    "label",
    "load_dataset",
    "load_demo",
    "read_sav",
    "read_table",
    "read_wjx",
    "set_display_lang",
    "__version__",
]

show_data_errors()  # in a Jupyter kernel, a raised DataError shows as its table of problems

"""grouplab — research kit for grassroots Party-group building measures and outcomes.

Loading::

    load_dataset(path) -> Dataset       load_demo() -> Dataset
    read_table(path, table)             read_wjx(path)    read_sav(path)

Scoring (modules): ``evaluation`` (grades, annual review), ``activity``
(organisational-life panel, lags), ``scales`` / ``reliability`` (questionnaires),
``safety`` (rates, safe days), ``benchmark`` (标杆). Reports: ``batch``.
"""

from .codebook import codebook, label
from .datasets import load_demo
from .errors import DataError, GroupLabError, ParameterError, Problem
from .io import Dataset, load_dataset, read_table
from .readers import read_sav
from .wjx import read_wjx

__version__ = "0.1.0"

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
    "__version__",
]

"""grouplab — research kit for grassroots Party-group building measures and outcomes.

Loading::

    load_dataset(path) -> Dataset       load_demo() -> Dataset
    read_table(path, table)             read_wjx(path)    read_sav(path)

Scoring (modules): ``evaluation`` (grades, annual review), ``activity``
(organisational-life panel, lags), ``scales`` / ``reliability`` (questionnaires),
``safety`` (rates, safe days), ``benchmark`` (标杆). Reports: ``batch``.
"""

from grouplab._version import __version__
from grouplab.data.codebook import codebook, label
from grouplab.data.dataset import Dataset, load_dataset, read_table
from grouplab.data.demo import load_demo
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
    "__version__",
]

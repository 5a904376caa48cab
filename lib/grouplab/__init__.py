"""grouplab — research kit for grassroots Party-group building measures and outcomes.

Public API::

    load_dataset(path) -> Dataset       load_demo() -> Dataset
    read_table(path, table)             read_wjx(path)    read_sav(path)
    DataError, GroupLabError            codebook(), label()
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

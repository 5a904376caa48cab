"""Parameters and data of a data-quality report: :class:`QualityContext` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from grouplab.data.dataset import Dataset, load_dataset, resolve_data_dir
from grouplab.data.problems import problems_frame
from grouplab.errors import DataError
from grouplab.reports.common.labels import check_lang

__all__ = ["TABLES", "QualityContext", "prepare", "check_dataset"]

#: Tables the report reads: all of them (it reports on the whole dataset).
TABLES: tuple[str, ...] | None = None


def check_dataset(data_dir: str | Path, lang: str = "en") -> tuple[Dataset | None, pd.DataFrame]:
    """Load a dataset, returning the problems (rule and hint in ``lang``) instead of raising.

    Returns
    -------
    dataset : Dataset or None
        None when any problem was found.
    problems : pandas.DataFrame
        :meth:`grouplab.errors.DataError.to_frame` (``file``, ``sheet``, ``cell``, ``row``,
        ``column``, ``code``, ``rule``, ``value``, ``hint``); empty when the dataset is valid.
    """
    try:
        ds = load_dataset(resolve_data_dir(data_dir))
    except DataError as err:
        return None, problems_frame(err.problems, check_lang(lang))
    return ds, DataError([]).to_frame()


@dataclass(frozen=True, repr=False)
class QualityContext:
    """The dataset as loaded (None when it has problems), its problems and the report language.

    Attributes
    ----------
    data_dir : pathlib.Path
        The dataset folder (for how each file was read).
    dataset : Dataset or None
    problems : pandas.DataFrame
        As :func:`check_dataset` returns them, worded in ``lang``.
    lang : {"zh", "en"}
    """

    data_dir: Path
    dataset: Dataset | None
    problems: pd.DataFrame
    lang: str

    def __repr__(self) -> str:
        return (f"QualityContext(data_dir={str(self.data_dir)!r}, valid={self.dataset is not None}, "
                f"problems={len(self.problems)}, lang={self.lang!r})")


def prepare(data: str | Path | Dataset, *, lang: str = "zh") -> QualityContext:
    """Load the dataset, keeping its problems instead of raising (one call at the top of notebook 01).

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded (so valid) Dataset.
    lang : {"zh", "en"}

    Returns
    -------
    QualityContext

    Examples
    --------
    >>> ctx = prepare("demo", lang="en")
    >>> ctx.dataset is not None, len(ctx.problems)
    (True, 0)
    """
    lang = check_lang(lang)
    if isinstance(data, Dataset):
        return QualityContext(data.path, data, DataError([]).to_frame(), lang)
    ds, problems = check_dataset(data, lang)
    return QualityContext(Path(resolve_data_dir(data)), ds, problems, lang)

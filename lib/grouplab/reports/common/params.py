"""Validate notebook parameters in one call at the top of each notebook.

papermill only logs unknown parameter names and turns ``-p unit_id 007`` into
the integer 7, so notebooks call :func:`check_id` (and :func:`check_choice`,
:func:`check_year`) right after the parameters cell: ids are compared as
strings, numbers given for ids are matched back, and an unknown value raises
:class:`ParameterError` listing the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from grouplab.data.dataset import Dataset
from grouplab.data.notes import LANGS
from grouplab.errors import ParameterError

__all__ = ["check_id", "check_choice", "check_year", "units_of", "units_with_groups", "waves_of", "LANGS"]


def check_id(value: Any, valid: Iterable[str], *, name: str) -> str:
    """Return ``value`` as one of the ``valid`` ids (strings).

    An int (papermill's reading of ``-p unit_id 007``) matches the id whose
    digits equal it, if exactly one does.

    Returns
    -------
    str
        The matching id as written in the dataset.

    Raises
    ------
    ParameterError
        Unknown id; the message lists the valid ones.

    Examples
    --------
    >>> check_id(7, ["005", "007"], name="unit_id")
    '007'
    >>> check_id("WA01", ["WA01", "WA02"], name="unit_id")
    'WA01'
    """
    ids = sorted({str(v) for v in valid})
    text = str(value).strip()
    if text in ids:
        return text
    if isinstance(value, int) and not isinstance(value, bool):
        same = [i for i in ids if i.isdigit() and int(i) == value]
        if len(same) == 1:
            return same[0]
    shown = ", ".join(ids[:40]) + (" …" if len(ids) > 40 else "")
    raise ParameterError(f"{name}={value!r} is not in the dataset; valid: {shown}")


def check_choice(value: Any, choices: Iterable[str], *, name: str) -> str:
    """``value`` if it is one of ``choices``, else ParameterError listing them.

    Returns
    -------
    str
        ``value`` itself.

    Examples
    --------
    >>> check_choice("en", LANGS, name="lang")
    'en'
    """
    choices = list(choices)
    if str(value) in choices:
        return str(value)
    raise ParameterError(f"{name}={value!r} is not allowed; choose one of: {', '.join(choices)}")


def check_year(value: Any, years: Iterable[int], *, name: str = "year") -> int:
    """``value`` as an int among ``years`` (strings like ``"2019"`` accepted).

    Returns
    -------
    int
        The year.

    Examples
    --------
    >>> check_year("2019", [2018, 2019])
    2019
    """
    years = sorted({int(y) for y in years})
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year in years:
        return year
    if not years:
        raise ParameterError(f"{name}={value!r}: no year has data for this selection")
    raise ParameterError(f"{name}={value!r} has no data; years with data: "
                         f"{', '.join(map(str, years))}")


def units_of(ds: Dataset, *, level: str | None = None, sector: str | None = None) -> list[str]:
    """Unit ids of the dataset, optionally of one level and sector.

    Returns
    -------
    list of str
        Unit ids in the order of the units table.
    """
    u = ds.tables["units"]
    if level is not None:
        u = u[u["level"] == level]
    if sector is not None:
        u = u[u["sector"] == sector]
    return sorted(u["unit_id"].astype(str))


def units_with_groups(ds: Dataset) -> list[str]:
    """Units with Party groups: those a per-unit report (org life, survey) can be made for.

    Returns
    -------
    list of str
        Unit ids of the units table that some group names, sorted; empty without a groups table.
    """
    with_groups = set(ds.tables["groups"]["unit_id"]) if "groups" in ds.tables else set()
    return sorted(u for u in ds.tables["units"]["unit_id"] if u in with_groups)


def waves_of(ds: Dataset) -> list[int]:
    """Survey waves of the dataset, ascending (empty without a survey table).

    Returns
    -------
    list of int
        The waves present in the survey table.
    """
    survey = ds.tables.get("survey")
    return [] if survey is None else sorted(int(w) for w in survey["wave"].dropna().unique())

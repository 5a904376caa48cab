"""Parameters and data of a scorecard report: :class:`Scorecard` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.measures import evaluation as ev
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_id, check_year

__all__ = ["TABLES", "REQUIRED", "Scorecard", "prepare", "entity_ids", "periods", "scored_evaluations"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("units", "groups", "evaluations")

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("units", "groups", "evaluations", "rubric")


@dataclass(frozen=True)
class Scorecard:
    """Checked parameters and the scored evaluations of one unit."""

    dataset: Dataset
    unit_id: str
    unit_name: str
    year: int
    lang: str
    scored: pd.DataFrame  # evaluation.score output for the unit's groups, with name, year, half
    groups: pd.DataFrame  # the unit's groups

    @property
    def rubric(self) -> dict:
        return self.dataset.rubric


def entity_ids(dataset: Dataset) -> list[str]:
    """Units a scorecard can be made for (``unit_id: all`` in a batch): those whose Party groups have
    evaluations (a unit of the roster without any is not offered, rather than failing in its notebook)."""
    units = dataset.tables["units"]
    groups, ev = dataset.tables.get("groups"), dataset.tables.get("evaluations")
    if groups is None or ev is None:
        return []
    scored = set(groups.loc[groups["group_id"].isin(ev["group_id"]), "unit_id"])
    return sorted(u for u in units["unit_id"] if u in scored)


def periods(dataset: Dataset) -> list[int]:
    """Years with evaluations, ascending (``grouplab report`` takes the latest when none is given)."""
    ev = dataset.tables.get("evaluations")
    return [] if ev is None else sorted({int(str(p)[:4]) for p in ev["period"].dropna()})


def scored_evaluations(dataset: Dataset, group_ids: Any = None) -> pd.DataFrame:
    """Scored evaluations (:func:`grouplab.measures.evaluation.score`) with year, half, name and unit.

    Returns
    -------
    pandas.DataFrame
        The score output plus ``year`` (int), ``half`` (``H1``/``H2``), the
        group's ``name`` and ``unit_id``.
    """
    groups = dataset.tables["groups"]
    evals = dataset.tables["evaluations"]
    if group_ids is not None:
        evals = evals[evals["group_id"].isin(group_ids)]
    scored = ev.score(evals, dataset.rubric)
    scored["year"] = scored["period"].str.slice(0, 4).astype(int)
    scored["half"] = scored["period"].str.slice(4)
    return scored.merge(groups[["group_id", "name", "unit_id"]], on="group_id", how="left")


def prepare(data: str | Path | Dataset, *, unit_id: Any, year: Any, lang: Any = "zh") -> Scorecard:
    """Load the dataset and check the notebook parameters (one call at the top of the notebook).

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    unit_id : str
        A unit with Party groups.
    year : int
        A year with evaluations.
    lang : {"zh", "en"}

    Returns
    -------
    Scorecard

    Raises
    ------
    ParameterError
        Unknown unit (the message lists units that have groups), a year
        without evaluations, or a language other than zh/en.

    Examples
    --------
    >>> sc = prepare("demo", unit_id="WA01", year=2019, lang="zh")
    >>> sc.unit_id, sc.year, len(sc.groups)
    ('WA01', 2019, 4)
    """
    lang = check_lang(lang)
    ds = dataset_of(data, TABLES)
    groups_all = ds.tables["groups"]
    unit_id = check_id(unit_id, entity_ids(ds), name="unit_id")
    groups = groups_all[groups_all["unit_id"] == unit_id].sort_values("group_id").reset_index(drop=True)
    scored = scored_evaluations(ds, groups["group_id"]).drop(columns="unit_id")
    year = check_year(year, scored["year"].unique())
    units = ds.tables["units"]
    name = str(units.loc[units["unit_id"] == unit_id, "name"].iloc[0])
    return Scorecard(ds, unit_id, name, year, lang, scored, groups)

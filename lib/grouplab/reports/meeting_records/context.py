"""Parameters and data of the meeting-records report (08): :class:`MeetingRecords` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.data.minutes.records import unplaced_groups
from grouplab.data.minutes.workbook import (
    REPORT_WORKBOOKS,
    minutes_source,
    read_coding_workbook,
    report_workbook,
)
from grouplab.errors import DataError, ParameterError
from grouplab.measures.coding import agreement_report
from grouplab.measures.minutes import code_minutes, load_meeting_codebook
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_id, check_year

__all__ = ["TABLES", "REQUIRED", "MeetingRecords", "prepare", "entity_ids", "periods", "WORKBOOK"]

#: Tables the report reads from the cache (the minutes are read beside them)
TABLES = ("units", "groups")

#: Tables and specs (manifest names) the report cannot do without (see ``batch.catalog``): the minutes
#: are read beside the tables it loads.
REQUIRED: tuple[str, ...] = ("units", "groups", "minutes")
#: a filled coding workbook beside dataset.yml (``minutes_coding.xlsx``, else ``coding.xlsx``, with its
#: coders' files ``…_编码员1.xlsx`` beside it), used for the agreement table when present
WORKBOOK = REPORT_WORKBOOKS[0]


@dataclass(frozen=True)
class MeetingRecords:
    """Checked parameters, the unit's coded minutes and (if any) the agreement of a hand-coded sample."""

    dataset: Dataset
    unit_id: str
    unit_name: str
    year: int
    lang: str
    groups: pd.DataFrame  # the unit's groups
    coded: pd.DataFrame  # code_minutes of the unit's records (all years), with group_id, date, name
    codes: dict  # code -> {zh, en, ...} from the codebook
    agreement: dict | None  # agreement_report of the workbook (and its "file"), or None
    rules: dict = None  # rule -> {zh, en, ...} from the codebook (the evidence's deciding rules)
    unplaced: pd.DataFrame = None  # records of the year whose group is not in the roster (any unit)


def _minutes(path: Path) -> pd.DataFrame | None:
    try:
        minutes, _ = minutes_source(path)
    except DataError as err:
        if "has no minutes" in str(err):
            return None
        raise
    return minutes


def entity_ids(dataset: Dataset) -> list[str]:
    """Units with groups whose minutes exist (``unit_id: all`` in a batch)."""
    minutes = _minutes(dataset.path)
    if minutes is None:
        return []
    groups = dataset.tables["groups"]
    with_minutes = set(groups.loc[groups["group_id"].isin(set(minutes["group_id"].dropna())), "unit_id"])
    return sorted(u for u in dataset.tables["units"]["unit_id"] if u in with_minutes)


def periods(dataset: Dataset) -> list[int]:
    """Years with minutes, ascending (``grouplab report`` takes the latest when none is given)."""
    minutes = _minutes(dataset.path)
    return [] if minutes is None else sorted({int(y) for y in minutes["date"].dt.year.dropna()})


def prepare(data: str | Path | Dataset, *, unit_id: Any, year: Any, lang: Any = "zh") -> MeetingRecords:
    """Load the dataset and its minutes, code them, and check the notebook parameters.

    Raises
    ------
    ParameterError
        Unknown unit, a year without records, a language other than zh/en, or a dataset without minutes.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", year=2019, lang="en")
    >>> ctx.unit_id, ctx.year, len(ctx.groups), ctx.agreement is not None
    ('WA01', 2019, 4, True)
    """
    lang = check_lang(lang)
    ds = dataset_of(data, TABLES)
    path = ds.path
    minutes = _minutes(path)
    if minutes is None:
        raise ParameterError("this dataset has no meeting minutes (tables: minutes: in dataset.yml)")
    groups_all = ds.tables["groups"]
    unit_id = check_id(unit_id, entity_ids(ds), name="unit_id")
    groups = groups_all[groups_all["unit_id"] == unit_id].sort_values("group_id").reset_index(drop=True)
    mine = minutes[minutes["group_id"].isin(groups["group_id"])].reset_index(drop=True)
    year = check_year(year, mine["date"].dt.year.unique())
    coded = code_minutes(mine)
    coded["name"] = coded["group_id"].map(dict(zip(groups["group_id"], groups["name"])))
    cb = load_meeting_codebook()
    agreement = None
    found = report_workbook(path)
    if found:
        agreement = agreement_report(read_coding_workbook(found[0]), n_boot=500)
        agreement["file"] = found[0].name
    units = ds.tables["units"]
    name = str(units.loc[units["unit_id"] == unit_id, "name"].iloc[0])
    lost = unplaced_groups(minutes, groups_all, units)
    lost = lost[lost["date"].dt.year == year].reset_index(drop=True)
    return MeetingRecords(ds, unit_id, name, year, lang, groups, coded, dict(cb.codes), agreement,
                          dict(cb.spec.get("rules") or {}), lost)

"""Parameters and data of an organisational-life report: :class:`OrgLifeContext` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.data.periods import month_end, parse_period
from grouplab.data.specs import read_yaml
from grouplab.errors import ParameterError
from grouplab.measures.activity import activity_panel, settings_from_spec
from grouplab.measures.lapses import recorded_kinds
from grouplab.measures.meeting_flags import dataset_activities, flag_source_counts
from grouplab.measures.requirements import DEFAULT_REQUIREMENTS
from grouplab.paths import rubrics_dir
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_id

__all__ = ["TABLES", "REQUIRED", "KINDS", "OrgLifeContext", "prepare", "parse_period", "periods", "SPEC_FILE"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("units", "groups", "activities", "posts", "member_attendance")

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("units", "groups", "activities")

#: Activity kinds the report judges: an activities table without any of them does not
#: support it.
KINDS: tuple[str, ...] = tuple(DEFAULT_REQUIREMENTS)

#: Default spec of the five systems, post types and requirements.
SPEC_FILE = "org_life.yml"


@dataclass(frozen=True, repr=False)
class OrgLifeContext:
    """Checked parameters and the tables an organisational-life report uses.

    Attributes
    ----------
    unit_id, unit_name : str
    period : str
        The period as given (``"2019"``, ``"2019Q2"`` or ``"2019-05"``).
    first, last : pandas.Timestamp
        First and last month of the period (first of the month).
    lang : {"zh", "en"}
    k : int
        Minimum cell size of small-cell suppression.
    member_names : bool
        Whether member identifiers may appear (default: counts only).
    groups : pandas.DataFrame
        The unit's groups (``group_id``, ``name``, ``members``, ``leader_id``).
    panel : pandas.DataFrame
        :func:`grouplab.measures.activity.activity_panel` of every group of the
        company, from the log's first month to ``last``, under the spec's rules.
    activities : pandas.DataFrame
        The company's activities up to ``last``.
    posts : pandas.DataFrame or None
        The unit's demonstration posts.
    attendance : pandas.DataFrame or None
        The unit's member_attendance rows up to ``last`` (None when the
        dataset has no such table).
    spec : dict
        The organisational-life spec (requirements, systems, post types, rules).
    requirements, systems : dict
        The spec's rules as :func:`settings_from_spec` reads them.
    log_start : pandas.Timestamp
        First month of the activities log (windows before it are unknown).
    flag_source : str or None
        ``meeting_flags:`` of the manifest (None when it sets none: the log's ticks).
    flag_counts : pandas.DataFrame
        :func:`grouplab.measures.meeting_flags.flag_source_counts` of the unit's group meetings in
        the period.
    recorded : frozenset of str
        Activity kinds with any record in the dataset (:func:`grouplab.measures.lapses.recorded_kinds`):
        a rule resting on other kinds cannot be judged (no source), it is not lapsed.
    real_company : bool
        The dataset's company root comes from the data (a units table), not one the roster
        reader created (``C0``, "公司") because no units table names it: only then is the
        comparison of all groups called "the company".
    member_ids : frozenset of str
        Member ids the dataset uses (member_attendance, posts): a ``leader_id`` among them is an
        id; one that is not (a name from a roster's 党小组长 column) is masked unless
        ``member_names``.
    """

    unit_id: str
    unit_name: str
    period: str
    first: pd.Timestamp
    last: pd.Timestamp
    lang: str
    k: int
    member_names: bool
    groups: pd.DataFrame
    panel: pd.DataFrame
    activities: pd.DataFrame
    posts: pd.DataFrame | None
    attendance: pd.DataFrame | None
    spec: dict
    requirements: dict
    systems: dict
    log_start: pd.Timestamp
    flag_source: str | None = None
    flag_counts: pd.DataFrame | None = None
    recorded: frozenset = frozenset()
    real_company: bool = True
    member_ids: frozenset = frozenset()

    def __repr__(self) -> str:
        return (f"OrgLifeContext(unit_id={self.unit_id!r}, period={self.period!r}, "
                f"months={self.first:%Y-%m}..{self.last:%Y-%m}, lang={self.lang!r}, k={self.k}, "
                f"groups={len(self.groups)})")

    @property
    def label(self) -> str:
        """``unit_id`` and name, for titles and sentences."""
        return f"{self.unit_id} {self.unit_name}"

    @property
    def last_day(self) -> pd.Timestamp:
        """The period's last day (dates up to it are in the period)."""
        return month_end(self.last)

    @property
    def months(self) -> pd.DatetimeIndex:
        """The period's months (first of each month)."""
        return pd.date_range(self.first, self.last, freq="MS")

    @property
    def unit_panel(self) -> pd.DataFrame:
        """``panel`` rows of the unit's groups inside the period."""
        p = self.panel
        return p[p["group_id"].isin(self.groups["group_id"]) & (p["month"] >= self.first)
                 & (p["month"] <= self.last)].reset_index(drop=True)


def _load(data: str | Path | Dataset) -> Dataset:
    return dataset_of(data, TABLES)


def _spec(ds: Dataset) -> tuple[dict, str]:
    rel = ds.manifest.get("org_life")
    path = ds.path / str(rel) if rel else rubrics_dir() / SPEC_FILE
    return read_yaml(path), path.name


def _unit(ds: Dataset, unit_id: Any) -> tuple[str, str, pd.DataFrame]:
    groups = ds.tables["groups"]
    unit_id = check_id(unit_id, groups["unit_id"].dropna().astype(str), name="unit_id")
    units = ds.tables["units"]
    name = units.loc[units["unit_id"].astype(str) == unit_id, "name"]
    cols = [c for c in ("group_id", "name", "members", "leader_id") if c in groups]
    mine = groups.loc[groups["unit_id"].astype(str) == unit_id, cols].sort_values(
        "group_id", ignore_index=True)
    return unit_id, str(name.iloc[0]) if len(name) else unit_id, mine


def _real_company(ds: Dataset) -> bool:
    """A company root read from a units table (False when every units row comes from a roster:
    the root was created by the roster reader, not named by the data)."""
    units = ds.tables.get("units")
    if units is None or "level" not in units or not (units["level"].astype(str) == "company").any():
        return False
    entries = ds.reading.get("units") or []
    from_roster = [any(n.get("from") == "units_from_roster" for n in e.get("notes") or [])
                   for e in entries]
    return not entries or not all(from_roster)


def _member_ids(ds: Dataset) -> frozenset:
    ids: set[str] = set()
    for name in ("member_attendance", "posts"):
        t = ds.tables.get(name)
        if t is not None and "member_id" in t:
            ids |= set(t["member_id"].dropna().astype(str))
    return frozenset(ids)


def _check_period(period: Any, activities: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    first, last, _ = parse_period(period)
    lo, hi = activities["date"].min(), activities["date"].max()
    if last < lo.to_period("M").to_timestamp() or first > hi:
        raise ParameterError(f"period={period!r} has no activities; the log covers "
                             f"{lo:%Y-%m} … {hi:%Y-%m}")
    return first, last


def periods(dataset: Dataset) -> list[str]:
    """Years of the activity log, ascending, as period strings (``grouplab report`` takes the latest
    when none is given; a quarter or month is given as ``-p period=2019Q2``)."""
    act = dataset.tables.get("activities")
    return [] if act is None else [str(y) for y in sorted({int(y) for y in act["date"].dt.year.dropna()})]


def prepare(data: str | Path | Dataset, *, unit_id: Any, period: Any, lang: Any = "zh",
            k: int = 5, member_names: bool = False) -> OrgLifeContext:
    """Load the dataset, check the notebook's parameters and build the panel in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    unit_id : str
        A unit with Party groups (an int from papermill is matched back).
    period : str or int
        A year (``2019``), a quarter (``"2019Q2"``) or a month (``"2019-05"``).
    lang : {"zh", "en"}
    k : int, default 5
        Minimum cell size for counts of members.
    member_names : bool, default False
        Allow member identifiers in the attendance section.

    Returns
    -------
    OrgLifeContext

    Raises
    ------
    ParameterError
        Unknown unit (the valid ones are listed), a malformed period or one
        without activities, an unknown ``lang``, ``k < 1``, a dataset without
        an activities table.
    DataError
        The dataset or the spec file does not load or breaks a rule.

    Notes
    -----
    The spec is ``org_life:`` of the dataset's manifest if given, else the
    default ``data/rubrics/org_life.yml``.

    Examples
    --------
    >>> prepare("demo", unit_id="WA01", period="2019Q2", lang="en")
    OrgLifeContext(unit_id='WA01', period='2019Q2', months=2019-04..2019-06, lang='en', k=5, groups=4)
    """
    lang = check_lang(lang)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ParameterError(f"k={k!r}: the minimum cell size must be a whole number >= 1 (default 5)")
    if not isinstance(member_names, bool):
        raise ParameterError(f"member_names={member_names!r}: True or False")
    ds = _load(data)
    if "activities" not in ds.tables or "groups" not in ds.tables:
        raise ParameterError("this dataset has no activities or groups table; the organisational-"
                             "life report needs both (see dataset.yml)")
    spec, spec_name = _spec(ds)
    req, systems = settings_from_spec(spec, file=spec_name)
    unit_id, unit_name, groups = _unit(ds, unit_id)
    act = dataset_activities(ds)  # the flags of meeting_flags: in dataset.yml (default: as ticked)
    first, last = _check_period(period, act)
    recorded = recorded_kinds(act)  # anywhere in the data: no source for the rest
    act = act[act["date"] <= month_end(last)].reset_index(drop=True)
    log_start = act["date"].min().to_period("M").to_timestamp()
    posts = ds.tables.get("posts")
    panel = activity_panel(act, posts, groups=ds.tables["groups"]["group_id"],
                           months=(log_start, last), requirements=req, systems=systems,
                           log_start=log_start)
    att = ds.tables.get("member_attendance")
    if att is not None:
        att = att[att["group_id"].isin(groups["group_id"])
                  & (att["date"] <= month_end(last))].reset_index(drop=True)
    if posts is not None:
        posts = posts[posts["group_id"].isin(groups["group_id"])].reset_index(drop=True)
    mine = act[act["group_id"].isin(groups["group_id"]) & (act["date"] >= first)]
    source = ds.manifest.get("meeting_flags")
    return OrgLifeContext(unit_id=unit_id, unit_name=unit_name, period=str(period), first=first,
                          last=last, lang=lang, k=int(k), member_names=member_names, groups=groups,
                          panel=panel, activities=act, posts=posts, attendance=att, spec=spec,
                          requirements=req, systems=systems, log_start=log_start,
                          flag_source=None if source is None else str(source),
                          flag_counts=flag_source_counts(mine), recorded=recorded,
                          real_company=_real_company(ds), member_ids=_member_ids(ds))

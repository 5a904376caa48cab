"""Coded flags beside recorded flags: the 三多三少 of each meeting from its minutes, in the activity log.

The activity log's flags (``praise_over_criticism``, ``form_over_substance``, ``chat_over_solving``)
are what somebody ticked; :func:`grouplab.measures.minutes.code_minutes` codes them from what the
minutes say. This module puts the coded flags on the activities the minutes were linked to
(:func:`grouplab.data.minutes.link_minutes`), lets a measure use either source
(:func:`apply_flag_source`: every measure built on the activity log — the meeting-quality index, the
study panel — then uses them unchanged) and compares the two where both exist (:func:`compare_flags`).
Whatever the source, the result carries a ``flag_source`` column a report shows.

A dataset chooses its source in ``dataset.yml`` (``meeting_flags: recorded | coded |
recorded_else_coded``, default ``recorded``): :func:`dataset_activities` reads, links and codes its
minutes and returns the activity log with the flags of that source; :func:`flag_source_counts` says how
many meetings took their flags from where.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.manifest import MEETING_FLAGS, meeting_flags
from grouplab.data.minutes import link_minutes, resolve_groups
from grouplab.data.minutes.workbook import minutes_file, minutes_source
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns
from grouplab.measures.activity import FLAGS
from grouplab.measures.agreement import cohen_kappa
from grouplab.measures.minutes import code_minutes
from grouplab.paths import MANIFEST

__all__ = ["coded_activity_flags", "apply_flag_source", "compare_flags", "flagged_activities",
           "dataset_activities", "flag_source_counts", "FLAG_SOURCES"]

#: ``recorded`` (the log as ticked), ``coded`` (from the minutes; meetings without minutes get NA),
#: ``recorded_else_coded`` (the log, its gaps filled from the minutes); the values of ``meeting_flags:``
#: in dataset.yml
FLAG_SOURCES = MEETING_FLAGS
_KEY = ["group_id", "date", "kind", "seq"]


def coded_activity_flags(linked: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """Coded flags keyed like the activity log.

    Parameters
    ----------
    linked : pandas.DataFrame
        Minutes linked to activities (:func:`grouplab.data.minutes.link_minutes`).
    coded : pandas.DataFrame
        :func:`grouplab.measures.minutes.code_minutes` of the same minutes (same index).

    Returns
    -------
    pandas.DataFrame
        ``group_id, date, kind, seq`` and the three flags (boolean, NA where the text was not
        coded), one row per matched record.
    """
    require_columns(linked, ["group_id", "date", "activity_kind", "seq", "matched"], "linked minutes")
    require_columns(coded, list(FLAGS), "coded minutes")
    ok = linked["matched"].to_numpy(dtype=bool)
    out = pd.DataFrame({"group_id": linked.loc[ok, "group_id"].astype(str).to_numpy(),
                        "date": pd.to_datetime(linked.loc[ok, "date"]).dt.normalize().to_numpy(),
                        "kind": linked.loc[ok, "activity_kind"].astype(str).to_numpy(),
                        "seq": linked.loc[ok, "seq"].astype(int).to_numpy()})
    for f in FLAGS:
        out[f] = coded.loc[ok, f].astype("boolean").to_numpy()
    return out


def apply_flag_source(activities: pd.DataFrame, coded_flags: pd.DataFrame | None, source: str = "recorded"
                      ) -> pd.DataFrame:
    """The activity log with the flags of the chosen source.

    Parameters
    ----------
    activities : pandas.DataFrame
        The activity log.
    coded_flags : pandas.DataFrame or None
        :func:`coded_activity_flags` (None: no minutes; only ``recorded`` is possible).
    source : {"recorded", "coded", "recorded_else_coded"}

    Returns
    -------
    pandas.DataFrame
        ``activities`` with the three flags replaced (as float 1/0/NaN, like the log) and a
        ``flag_source`` column: ``recorded``, ``coded`` or NA per row (where the row's flags came from).
    """
    if source not in FLAG_SOURCES:
        raise ParameterError(f"flag source must be one of {', '.join(FLAG_SOURCES)}, not {source!r}")
    out = activities.copy()
    rec = np.column_stack([pd.to_numeric(out[f], errors="coerce").to_numpy(dtype=float) if f in out
                           else np.full(len(out), np.nan) for f in FLAGS])
    has_rec = ~np.isnan(rec).all(axis=1)
    if source == "recorded":
        out["flag_source"] = pd.array(np.where(has_rec, "recorded", None), dtype="string")
        return out
    if coded_flags is None:
        raise ParameterError(f"flag source {source!r} needs coded minutes")
    key = out[_KEY].assign(date=pd.to_datetime(out["date"]).dt.normalize(),
                           group_id=out["group_id"].astype(str))
    merged = key.merge(coded_flags, on=_KEY, how="left")
    cod = np.column_stack([merged[f].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for f in FLAGS])
    has_cod = ~np.isnan(cod).all(axis=1)
    use_cod = has_cod if source == "coded" else (~has_rec & has_cod)
    vals = np.where(use_cod[:, None], cod, np.nan if source == "coded" else rec)
    for j, f in enumerate(FLAGS):
        out[f] = vals[:, j]
    src = np.where(use_cod, "coded", np.where(has_rec & (source != "coded"), "recorded", None))
    out["flag_source"] = pd.array(src, dtype="string")
    return out


def compare_flags(activities: pd.DataFrame, coded_flags: pd.DataFrame) -> pd.DataFrame:
    """Recorded against coded flags, per flag, over the meetings that have both.

    Returns
    -------
    pandas.DataFrame
        One row per flag: ``flag``, ``n`` (meetings with both), ``recorded_share`` and ``coded_share``
        (share TRUE), ``agreement`` (share equal), ``kappa`` (Cohen's), ``recorded_only`` and
        ``coded_only`` (meetings with one source only).
    """
    key = activities[_KEY].assign(date=pd.to_datetime(activities["date"]).dt.normalize(),
                                  group_id=activities["group_id"].astype(str))
    merged = key.merge(coded_flags, on=_KEY, how="left", suffixes=("", "_coded"))
    rows = []
    for f in FLAGS:
        r = pd.to_numeric(activities[f], errors="coerce").to_numpy(dtype=float) if f in activities \
            else np.full(len(activities), np.nan)
        c = merged[f].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        both = ~np.isnan(r) & ~np.isnan(c)
        rows.append({"flag": f, "n": int(both.sum()),
                     "recorded_share": float(r[both].mean()) if both.any() else np.nan,
                     "coded_share": float(c[both].mean()) if both.any() else np.nan,
                     "agreement": float((r[both] == c[both]).mean()) if both.any() else np.nan,
                     "kappa": cohen_kappa(r[both], c[both]) if both.any() else np.nan,
                     "recorded_only": int((~np.isnan(r) & np.isnan(c)).sum()),
                     "coded_only": int((np.isnan(r) & ~np.isnan(c)).sum())})
    return pd.DataFrame(rows)


def flagged_activities(activities: pd.DataFrame, minutes: pd.DataFrame | None, source: str = "recorded"
                       ) -> pd.DataFrame:
    """The activity log with the flags of ``source``, the minutes linked and coded on the way.

    Parameters
    ----------
    activities : pandas.DataFrame
        The activity log.
    minutes : pandas.DataFrame or None
        The ``minutes`` table with ``group_id`` resolved (:func:`grouplab.data.minutes.read_minutes`).
    source : {"recorded", "coded", "recorded_else_coded"}

    Returns
    -------
    pandas.DataFrame
        As :func:`apply_flag_source`: ``activities``, the three flags of the source, ``flag_source``.

    Raises
    ------
    DataError
        ``source`` codes minutes and there are none (code ``meeting_flags_without_minutes``).
    """
    if source not in FLAG_SOURCES:
        raise ParameterError(f"flag source must be one of {', '.join(FLAG_SOURCES)}, not {source!r}")
    if source == "recorded":
        return apply_flag_source(activities, None, "recorded")
    if minutes is None:
        raise DataError([problem("meeting_flags_without_minutes", MANIFEST, None, "meeting_flags", source,
                                 source=source)])
    linked, _ = link_minutes(minutes, activities)
    return apply_flag_source(activities, coded_activity_flags(linked, code_minutes(minutes)), source)


def dataset_activities(data, source: str | None = None) -> pd.DataFrame:
    """A dataset's activity log with the 三多三少 flags of its ``meeting_flags:`` source.

    Parameters
    ----------
    data : grouplab.Dataset
        Needs the ``activities`` table; its minutes (``tables: minutes:`` or ``minutes.csv`` beside
        dataset.yml) when the source codes them.
    source : {"recorded", "coded", "recorded_else_coded"}, optional
        Default: ``meeting_flags:`` of the dataset's manifest (``recorded`` when absent).

    Returns
    -------
    pandas.DataFrame
        As :func:`apply_flag_source` (``flag_source``: ``recorded``, ``coded`` or NA per activity).

    Raises
    ------
    DataError
        An unknown ``meeting_flags:`` (code ``unknown_meeting_flags``, naming dataset.yml and the key), or
        a source that codes minutes in a dataset without them (``meeting_flags_without_minutes``).

    Examples
    --------
    >>> import grouplab
    >>> a = dataset_activities(grouplab.load_demo(), "coded")
    >>> sorted(a["flag_source"].dropna().unique())
    ['coded']
    """
    source = meeting_flags(data.manifest) if source is None else source
    activities = data.tables["activities"]
    if source == "recorded":
        return flagged_activities(activities, None, source)
    minutes = None
    if minutes_file(data.path, data.manifest) is not None:
        minutes, _ = minutes_source(data.path)
        if "groups" in data.tables:  # names the minutes' own reading left unresolved
            minutes = resolve_groups(minutes, data.tables["groups"], data.tables.get("units"))
    return flagged_activities(activities, minutes, source)


def flag_source_counts(activities: pd.DataFrame, kind: str = "group_meeting") -> pd.DataFrame:
    """How many meetings took their 三多三少 flags from where.

    Parameters
    ----------
    activities : pandas.DataFrame
        :func:`apply_flag_source` (or :func:`dataset_activities`) output, already restricted to the
        groups and dates a report covers.
    kind : str
        The activity kind whose flags count (the quality index rates group meetings).

    Returns
    -------
    pandas.DataFrame
        One row per source in the order ``recorded``, ``coded``, ``none`` (no flag from either):
        ``flag_source``, ``meetings``.
    """
    require_columns(activities, ["kind", "flag_source"], "activities")
    src = activities.loc[activities["kind"].astype(str) == kind, "flag_source"]
    src = src.astype("string").fillna("none")
    counts = src.value_counts()
    return pd.DataFrame({"flag_source": ["recorded", "coded", "none"],
                         "meetings": [int(counts.get(k, 0)) for k in ("recorded", "coded", "none")]})

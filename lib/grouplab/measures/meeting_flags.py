"""Coded flags beside recorded flags: the 三多三少 of each meeting from its minutes, in the activity log.

The activity log's flags (``praise_over_criticism``, ``form_over_substance``, ``chat_over_solving``)
are what somebody ticked; :func:`grouplab.measures.minutes.code_minutes` codes them from what the
minutes say. This module puts the coded flags on the activities the minutes were linked to
(:func:`grouplab.data.minutes.link_minutes`), lets a measure use either source
(:func:`apply_flag_source`: every measure built on the activity log — the meeting-quality index, the
study panel — then uses them unchanged) and compares the two where both exist (:func:`compare_flags`).
Whatever the source, the result carries a ``flag_source`` column a report shows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.errors import ParameterError, require_columns
from grouplab.measures.activity import FLAGS
from grouplab.measures.agreement import cohen_kappa

__all__ = ["coded_activity_flags", "apply_flag_source", "compare_flags", "FLAG_SOURCES"]

#: ``recorded`` (the log as ticked), ``coded`` (from the minutes; meetings without minutes get NA),
#: ``recorded_else_coded`` (the log, its gaps filled from the minutes)
FLAG_SOURCES = ("recorded", "coded", "recorded_else_coded")
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

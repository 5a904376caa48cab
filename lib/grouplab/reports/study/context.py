"""Parameters and data of the study report: :class:`StudyContext` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from grouplab.data.dataset import Dataset
from grouplab.data.problems import problem
from grouplab.data.specs import yaml_text
from grouplab.errors import DataError, ParameterError
from grouplab.measures.meeting_flags import dataset_activities, flag_source_counts
from grouplab.measures.panel import lag_columns, study_panel
from grouplab.measures.safety import CATEGORIES
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_choice
from grouplab.reports.study.phrases import LAGGED

__all__ = ["TABLES", "REQUIRED", "KINDS", "StudyContext", "prepare", "TRUTH_FILE"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache (None: every table).
TABLES: tuple[str, ...] | None = None

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("groups", "activities", "posts", "incidents", "exposure")

#: Activity kinds the report judges: an activities table without any of them does not
#: support it.
KINDS: tuple[str, ...] = ("group_meeting",)

#: File beside a synthetic dataset holding its true effects (written by grouplab.synth).
TRUTH_FILE = "truth.yml"


@dataclass(frozen=True, repr=False)
class StudyContext:
    """Checked parameters, the dataset, the lagged group × month panel and the truth (if shipped).

    Attributes
    ----------
    dataset : Dataset
    outcome : str
        Incident category (``violation`` …); ``column`` is its count column.
    lag_months : int
    lang : {"zh", "en"}
    panel : pandas.DataFrame
        :func:`grouplab.measures.panel.study_panel` plus ``<m>_lagmean`` columns.
    truth : dict or None
        ``effects`` of the dataset's ``truth.yml`` (synthetic data only).
    ri_draws : int
        Permutations of the randomisation inference.
    seed : int
        Seed of every resampling in the report.
    flag_source : str or None
        ``meeting_flags:`` of the manifest (None when it sets none: the log's ticks).
    flag_counts : pandas.DataFrame or None
        :func:`grouplab.measures.meeting_flags.flag_source_counts` of the group meetings in the
        panel's months.
    """

    dataset: Dataset
    outcome: str
    lag_months: int
    lang: str
    panel: pd.DataFrame
    truth: dict | None
    ri_draws: int
    seed: int
    flag_source: str | None = None
    flag_counts: pd.DataFrame | None = None

    @property
    def column(self) -> str:
        return f"n_{self.outcome}"

    def outcome_label(self) -> str:
        from grouplab.data.codebook import codebook

        col = codebook()["incidents"].columns["category"]
        return col.allowed[self.outcome] if self.lang == "zh" else self.outcome.replace("_", " ")

    def true_irr(self, measure: str) -> float | None:
        """True IRR of ``measure`` on the outcome from ``truth.yml`` (None without one)."""
        if self.truth is None or measure not in self.truth:
            return None
        eff = self.truth[measure]
        return float(eff.get(self.outcome, 1.0)) if isinstance(eff, dict) else float(eff)


def _read_truth(ds: Dataset) -> dict | None:
    path = ds.path / TRUTH_FILE
    if not path.is_file():
        return None
    try:
        doc = yaml.safe_load(yaml_text(path, TRUTH_FILE))  # within the YAML limits
    except yaml.YAMLError as exc:
        raise DataError([problem("truth_not_yaml", TRUTH_FILE, error=str(exc)[:170])]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("effects"), dict):
        raise DataError([problem("truth_no_effects", TRUTH_FILE)])
    return doc["effects"]


def _int_param(value: Any, name: str, lo: int, hi: int) -> int:
    try:
        k = int(value)
    except (TypeError, ValueError):
        k = lo - 1
    if isinstance(value, bool) or not lo <= k <= hi or (isinstance(value, float) and value != k):
        raise ParameterError(f"{name} must be a whole number from {lo} to {hi}, got {value!r}")
    return k


def prepare(data: str | Path | Dataset, *, outcome: Any, lag_months: Any, lang: Any = "zh",
            ri_draws: Any = 99, seed: Any = 2024, log_start: str | None = "auto") -> StudyContext:
    """Load the data, check parameters and build the panel (one call at the top of notebook 03).

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    outcome : str
        Incident category: responsibility_accident, equipment_failure,
        violation, hidden_hazard or near_miss.
    lag_months : int
        Meetings and meeting quality enter the lagged model as their mean over
        months t−k…t−1 (1–12).
    lang : {"zh", "en"}
    ri_draws : int
        Permutations of the adoption dates for randomisation inference (19–9999).
    seed : int
        Seed of the permutations and bootstraps.
    log_start : str, optional
        First month the activity log covers; ``"auto"`` takes 12 months
        before the study window.

    Returns
    -------
    StudyContext
        The lagged panel, the outcome's count column and the truth (synthetic data only).

    Raises
    ------
    ParameterError
        Unknown outcome or language, lag_months outside 1–12, bad ri_draws/seed.

    Examples
    --------
    >>> ctx = prepare("demo", outcome="violation", lag_months=1, lang="en")
    >>> ctx.column, ctx.lag_months, ctx.true_irr("area_adopted")
    ('n_violation', 1, 0.8)
    """
    lang = check_lang(lang)
    outcome = check_choice(outcome, CATEGORIES, name="outcome")
    k = _int_param(lag_months, "lag_months", 1, 12)
    draws = _int_param(ri_draws, "ri_draws", 19, 9999)
    seed = _int_param(seed, "seed", 0, 2**31 - 1)
    ds = dataset_of(data)
    if log_start == "auto":
        start = ds.study_window[0] if ds.study_window else ds.tables["activities"]["date"].min()
        log_start = f"{(pd.Timestamp(start) - pd.DateOffset(months=12)):%Y-%m}"
    act = dataset_activities(ds)  # the flags of meeting_flags: in dataset.yml (default: as ticked)
    panel = study_panel(ds, log_start=log_start, activities=act)
    panel = lag_columns(panel, list(LAGGED), list(range(1, k + 1)))
    for m in LAGGED:
        panel[f"{m}_lagmean"] = panel[[f"{m}_lag{i}" for i in range(1, k + 1)]].mean(axis=1, skipna=False)
    months = pd.to_datetime(act["date"]).dt.to_period("M").dt.to_timestamp()
    seen = act[act["group_id"].isin(panel["group_id"])
               & months.between(panel["month"].min(), panel["month"].max())]
    source = ds.manifest.get("meeting_flags")
    return StudyContext(ds, outcome, k, lang, panel, _read_truth(ds), draws, seed,
                        None if source is None else str(source), flag_source_counts(seen))

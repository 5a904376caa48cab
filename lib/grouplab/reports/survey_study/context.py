"""Parameters and data of the survey study: :class:`StudyContext` and :func:`prepare`.

The study uses the whole company's answers of one wave. Respondent identifiers,
submission metadata, units and groups are dropped here; only the questionnaire's
scale items, choice items and respondent attributes reach the analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.errors import ParameterError
from grouplab.measures.survey.scales import keyed_items, score_scales
from grouplab.reports.common.answers import WaveAnswers
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_year

__all__ = ["TABLES", "REQUIRED", "StudyContext", "prepare"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("survey",)

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("survey", "questionnaire")


@dataclass(frozen=True, repr=False, kw_only=True)
class StudyContext(WaveAnswers):
    """Checked parameters and the answers the study may use.

    Attributes
    ----------
    responses : pandas.DataFrame
        The wave's answers: scale items, choice items and attributes only.
    scores : pandas.DataFrame
        Scale means per respondent (``score_scales``) and the attributes.
    keyed : pandas.DataFrame
        The scale items after reverse keying (for EFA, CFA, Harman's test).
    spec : dict
        The questionnaire spec.
    wave : int
    attributes : tuple of str
        Attribute columns to compare groups by.
    lang : {"zh", "en"}
    k : int
        Minimum cell size of small-cell suppression.
    """

    scores: pd.DataFrame
    keyed: pd.DataFrame
    attributes: tuple[str, ...]

    def __repr__(self) -> str:
        return (f"StudyContext(wave={self.wave}, attributes={list(self.attributes)}, lang={self.lang!r}, "
                f"respondents={len(self.responses)})")

    @property
    def scales(self) -> list[str]:
        """Scale names in spec order."""
        return list(self.spec.get("scales") or {})

    @property
    def choices(self) -> list[str]:
        """Choice items in spec order."""
        return list(self.spec.get("choices") or {})


def _attributes(value: Any, spec: dict) -> tuple[str, ...]:
    known = [str(a) for a, e in (spec.get("attributes") or {}).items()
             if e.get("kind") not in ("unit", "group")]  # unit/group questions map respondents
    if value is None or value == "" or value == "all":
        chosen = known
    elif isinstance(value, str):
        chosen = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, Sequence):
        chosen = [str(v) for v in value]
    else:
        raise ParameterError(f"attributes={value!r}: give a list such as ['D1', 'D2'] or 'all'")
    bad = [a for a in chosen if a not in known]
    if bad or not chosen:
        raise ParameterError(f"attributes: unknown {', '.join(bad) or '(none given)'}; the questionnaire's "
                             f"attributes are {', '.join(known) or '(none)'}")
    return tuple(chosen)


def prepare(data: str | Path | Dataset, *, wave: Any, attributes: Any = "all", lang: Any = "zh",
            k: int = 5) -> StudyContext:
    """Load the dataset and check the notebook's parameters in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or a loaded Dataset.
    wave : int or str
        Survey year with answers.
    attributes : list of str, str or "all"
        Respondent attributes (questionnaire ``attributes``) to compare by.
    lang : {"zh", "en"}
    k : int, default 5
        Minimum cell size.

    Returns
    -------
    StudyContext
        The wave's answers, scale scores and keyed items, and the attributes to compare by.

    Raises
    ------
    ParameterError
        A wave without answers, an unknown attribute or ``lang``, ``k < 1``,
        or a dataset without a survey, questionnaire or attributes.
    DataError
        The dataset does not load.

    Examples
    --------
    >>> ctx = prepare("demo", wave=2019, attributes=["D2"], lang="en")
    >>> ctx.attributes, "respondent_id" in ctx.responses.columns
    (('D2',), False)
    """
    lang = check_lang(lang)
    if int(k) < 1:
        raise ParameterError(f"k={k!r}: the minimum cell size must be at least 1 (default 5)")
    ds = dataset_of(data, TABLES)
    if "survey" not in ds.tables or ds.questionnaire is None:
        raise ParameterError("this dataset has no member survey with a questionnaire spec")
    spec = ds.questionnaire
    attrs = _attributes(attributes, spec)
    survey = ds.tables["survey"]
    wave = check_year(wave, survey["wave"].dropna().astype(int), name="wave")
    in_wave = survey[survey["wave"].astype(int) == wave]
    items = [str(i) for s in spec["scales"].values() for i in s["items"]]
    keep = [c for c in (*items, *(spec.get("choices") or {}), *attrs) if c in in_wave.columns]
    responses = in_wave.loc[:, keep].reset_index(drop=True)
    numeric = responses.apply(pd.to_numeric, errors="coerce").astype(float)
    scores = pd.concat([score_scales(numeric, spec), numeric[list(attrs)]], axis=1)
    X, names, _ = keyed_items(numeric, spec)
    keyed = pd.DataFrame(X, columns=names)
    return StudyContext(responses=numeric, scores=scores, keyed=keyed, spec=spec, wave=wave,
                        attributes=attrs, lang=lang, k=int(k))

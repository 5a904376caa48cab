"""Parameters and data of a survey report: :class:`SurveyContext` and :func:`prepare`.

Respondent identifiers, submission metadata and any free text are dropped
here and never reach a table, figure or sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.errors import ParameterError
from grouplab.reports.common.answers import WaveAnswers
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_id, check_year

__all__ = ["TABLES", "REQUIRED", "SurveyContext", "prepare", "attribute_context"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("units", "groups", "survey")

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("units", "groups", "survey", "questionnaire")

_REPORT_COLUMNS = ("unit_id", "group_id")


@dataclass(frozen=True, repr=False, kw_only=True)
class SurveyContext(WaveAnswers):
    """Checked parameters and the answers a survey report may use.

    Attributes
    ----------
    responses : pandas.DataFrame
        The wave's answers of the whole company: ``unit_id``, ``group_id`` and
        the questionnaire's scale and choice items only (no respondent ids,
        times, sources or free text).
    groups : pandas.DataFrame
        The unit's groups: ``group_id``, ``name``, ``members``.
    spec : dict
        The questionnaire spec.
    unit_id, unit_name : str
    wave : int
    lang : {"zh", "en"}
    k : int
        Minimum cell size of small-cell suppression.
    """

    groups: pd.DataFrame
    unit_id: str
    unit_name: str

    def __repr__(self) -> str:
        return (f"SurveyContext(unit_id={self.unit_id!r}, wave={self.wave}, lang={self.lang!r}, "
                f"k={self.k}, respondents={len(self.responses)})")

    @property
    def unit(self) -> pd.DataFrame:
        """Answers of the unit."""
        return self.responses[self.responses["unit_id"] == self.unit_id]


def _load(data: str | Path | Dataset) -> Dataset:
    return dataset_of(data, TABLES)


def _items(spec: Mapping[str, Any], columns) -> list[str]:
    """Scale items and choice columns (a multi-select's ``<id>_<code>`` option columns too)."""
    out = [str(i) for s in (spec.get("scales") or {}).values() for i in s["items"]]
    for cid in [*(spec.get("choices") or {}), *_attribute_ids(spec)]:
        out.append(str(cid))
        out += [c for c in columns if str(c).startswith(f"{cid}_") and str(c)[len(cid) + 1:].isdigit()]
    return out


def _attribute_ids(spec: Mapping[str, Any]) -> list[str]:
    """Single-choice respondent attributes with options, except unit and group questions."""
    return [str(a) for a, e in (spec.get("attributes") or {}).items()
            if e.get("options") and e.get("type", "single") == "single"
            and e.get("kind") not in ("unit", "group")]


def attribute_context(ctx: SurveyContext) -> SurveyContext:
    """The context with the respondent attributes (gender, age band …) as its choice questions.

    The choice tables, displays and figures then report who answered by
    attribute, with the same small-cell suppression as the choice questions.

    Returns
    -------
    SurveyContext
        Same answers and parameters; ``spec`` holds only ``choices`` = the
        attributes (no key option).
    """
    attrs = ctx.spec.get("attributes") or {}
    choices = {a: {k: v for k, v in attrs[a].items() if k != "key_option"}
               for a in _attribute_ids(ctx.spec) if a in ctx.responses}
    return replace(ctx, spec={"range": ctx.spec.get("range"), "choices": choices})


def _groups(ds: Dataset, unit_id: str) -> pd.DataFrame:
    """The unit's groups (empty when the dataset has no groups table, e.g. a bare export)."""
    if "groups" not in ds.tables:
        return pd.DataFrame({"group_id": pd.Series(dtype="str"), "name": pd.Series(dtype="str"),
                             "members": pd.Series(dtype="float64")})
    groups = ds.tables["groups"]
    return (groups.loc[groups["unit_id"].astype(str) == unit_id, ["group_id", "name", "members"]]
            .sort_values("group_id", ignore_index=True))


def prepare(data: str | Path | Dataset, *, unit_id: Any, wave: Any, lang: Any = "zh",
            k: int = 5) -> SurveyContext:
    """Load the dataset and check the notebook's parameters in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    unit_id : str or int
        A unit with answers in ``wave`` (an int from papermill is matched back
        to the id with the same digits).
    wave : int or str
        Survey year.
    lang : {"zh", "en"}
    k : int, default 5
        Minimum cell size.

    Returns
    -------
    SurveyContext

    Raises
    ------
    ParameterError
        Unknown unit (the message lists the units with answers), a wave
        without answers, an unknown ``lang``, ``k < 1``, or a dataset without
        a survey or questionnaire.
    DataError
        The dataset does not load.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave="2019", lang="en")
    >>> ctx
    SurveyContext(unit_id='WA01', wave=2019, lang='en', k=5, respondents=363)
    >>> "respondent_id" in ctx.responses.columns
    False
    """
    lang = check_lang(lang)
    if int(k) < 1:
        raise ParameterError(f"k={k!r}: the minimum cell size must be at least 1 (default 5)")
    ds = _load(data)
    if "survey" not in ds.tables or ds.questionnaire is None:
        raise ParameterError("this dataset has no member survey with a questionnaire spec; "
                             "choose a dataset whose dataset.yml names both")
    survey = ds.tables["survey"]
    wave = check_year(wave, survey["wave"].dropna().astype(int), name="wave")
    in_wave = survey[survey["wave"].astype(int) == wave]
    unit_id = check_id(unit_id, in_wave["unit_id"].dropna().astype(str), name="unit_id")
    spec = ds.questionnaire
    keep = [c for c in (*_REPORT_COLUMNS, *_items(spec, in_wave.columns)) if c in in_wave.columns]
    responses = in_wave.loc[:, keep].reset_index(drop=True)
    for c in _REPORT_COLUMNS:
        if c in responses:
            responses[c] = responses[c].astype(object).where(responses[c].notna(), None)
    units = ds.tables.get("units", pd.DataFrame({"unit_id": [], "name": []}))
    name = units.loc[units["unit_id"].astype(str) == unit_id, "name"]
    groups = _groups(ds, unit_id)
    return SurveyContext(responses=responses, groups=groups, spec=spec, unit_id=unit_id,
                         unit_name=str(name.iloc[0]) if len(name) else unit_id, wave=wave,
                         lang=lang, k=int(k))

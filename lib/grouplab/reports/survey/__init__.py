"""Member-survey report of one unit and wave (notebook ``04_survey_report``).

Three layers, compute first and format last:

- :func:`prepare` loads the dataset, checks the notebook parameters and keeps
  only what a report may use: unit, group and the questionnaire's items.
  Respondent identifiers, submission metadata and any free text are dropped
  here and never reach a table, figure or sentence.
- ``*_table`` functions compute numeric DataFrames (counts, Wilson shares,
  scale means with t intervals, reliability) with a ``hidden`` column saying
  which cells small-cell suppression hides (:func:`grouplab.reports.common.disclosure.suppression`).
- ``format_*``, ``plot_*`` and ``interpret_*`` turn those into labelled tables,
  figures and one-sentence readings in zh or en (labels from the codebook and
  the questionnaire spec, phrases from :data:`PHRASES`). Hidden cells are
  blanked and marked, and sentences never quote them.

Modules: :mod:`.context` (parameters, loading), :mod:`.tables` (numeric
tables), :mod:`.display` (display tables, figures, sentences),
:mod:`.sections` (which sections the spec supports, their headings) and
:mod:`.phrases` (zh/en wording).
"""

import numpy as np
import pandas as pd

from grouplab.reports.common.disclosure import suppression
from grouplab.reports.common.labels import phrase
from grouplab.reports.common.package import export
from grouplab.reports.common.params import units_with_groups, waves_of
from grouplab.reports.survey import context, display, phrases, sections, tables

# Batch declarations (ARCHITECTURE.md, "A report"): ``unit_id: all`` expands to the units with groups.
ENTITY = "unit_id"
PERIOD = "wave"
TITLE = {"zh": "党员问卷调查报告", "en": "Member survey report"}


def entity_ids(dataset) -> list[str]:
    """Units a survey report can be made for (``unit_id: all`` in a batch): those with Party groups."""
    if "units" not in dataset.tables:  # a bare export: the units its spec maps respondents to
        survey = dataset.tables.get("survey")
        return [] if survey is None else sorted(survey["unit_id"].dropna().astype(str).unique())
    return units_with_groups(dataset)


#: Parameters besides ENTITY that ``all`` may expand in a batch config.
EXPAND = {"wave": waves_of}

__all__ = ["ENTITY", "PERIOD", "TITLE", "EXPAND", "entity_ids", "overview", "suppression",
           *export(globals(), context, tables, sections, display, phrases)]


def overview(dataset, *, period: int | str, lang: str) -> pd.DataFrame:
    """Columns of the batch overview page (one row per unit): the response rate of wave ``period``.

    The rate is the total row of :func:`~grouplab.reports.survey.tables.response_counts`
    (respondents of the unit ÷ members of its groups, as the report shows
    it); a unit with fewer than ``k`` respondents is blank, as in its report.

    Returns
    -------
    pandas.DataFrame
        Index ``unit_id`` (units with groups); one labelled column: response
        rate in % (1 decimal), missing where the unit has no answers in the
        wave or its total is hidden. Empty (no column) when the dataset has no
        survey or no questionnaire spec.
    """
    survey = dataset.tables.get("survey")
    if survey is None or dataset.questionnaire is None:
        return pd.DataFrame()
    in_wave = survey[survey["wave"].astype(int) == int(period)]
    units = pd.Index(entity_ids(dataset), name="unit_id")
    # the total row of every unit's response_counts at once (not one prepare per unit: that
    # grew with units × answers, 11 s at K = 20)
    answers = in_wave["unit_id"].dropna().astype(str).value_counts().reindex(units)
    groups = dataset.tables.get("groups")
    members = (pd.Series(0.0, index=units) if groups is None else
               groups.groupby(groups["unit_id"].astype(str))["members"].sum().reindex(units).fillna(0))
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = 100 * answers.to_numpy(dtype=float) / members.to_numpy(dtype=float)
    shown = answers.notna().to_numpy() & (answers.fillna(0).to_numpy() >= _K)
    rates = pd.Series(np.where(shown, np.round(rate, 1), np.nan), index=units, dtype=float)
    return pd.DataFrame({phrase(phrases.PHRASES, "ov_rate", lang, wave=int(period)): rates})


_K = 5  # prepare's default minimum cell size, which a batch's reports use

"""Survey study of the whole company's answers in one wave (notebook ``06_survey_study``).

SPSSAU's sequence, paper-ready: crosstabs of the choice questions by respondent
attributes, differences of the scale scores between groups, correlations, EFA,
CFA with reliability and validity, Harman's test and a regression — each as a
三线表 with a one-paragraph reading in zh or en.

Modules: :mod:`.context` (parameters, loading), :mod:`.tables` (numeric results),
:mod:`.display` and :mod:`.factors` (display tables, readings), :mod:`.phrases`.
"""

from grouplab.reports.common.params import waves_of
from grouplab.reports.survey_study.context import REQUIRED, TABLES, StudyContext, prepare
from grouplab.reports.survey_study.display import (
    caption,
    format_correlations,
    format_crosstab,
    format_differences,
    format_regression,
    interpret_correlations,
    interpret_crosstab,
    interpret_differences,
    interpret_regression,
    label,
    note,
    plot_means,
    regression_note,
    sheet_name,
)
from grouplab.reports.survey_study.factors import (
    format_cfa_fit,
    format_cfa_loadings,
    format_efa,
    format_harman,
    format_validity,
    interpret_cfa,
    interpret_efa,
    interpret_harman,
    plot_scree,
)
from grouplab.reports.survey_study.phrases import PHRASES
from grouplab.reports.survey_study.tables import (
    cfa_result,
    correlation_table,
    crosstab_table,
    difference_table,
    efa_result,
    harman_table,
    regression_table,
)

#: The notebook parameter a batch config's ``all`` expands over.
ENTITY = "wave"
PERIOD = None  # the wave is the entity and the period
TITLE = {"zh": "党员问卷调查研究", "en": "Member survey study"}


def entity_ids(dataset) -> list:
    """Waves a survey study can be made for (``wave: all`` in a batch).

    Returns
    -------
    list of int
        Survey waves present in the dataset, ascending.
    """
    return waves_of(dataset)

__all__ = [
    "sheet_name",
    "TABLES",
    "REQUIRED",
    "ENTITY", "PERIOD", "TITLE", "entity_ids", "PHRASES", "StudyContext", "prepare",
    "crosstab_table", "difference_table", "efa_result", "cfa_result", "correlation_table", "harman_table",
    "regression_table",
    "format_crosstab", "format_differences", "format_correlations", "format_regression", "format_efa",
    "format_cfa_fit", "format_cfa_loadings", "format_validity", "format_harman",
    "interpret_crosstab", "interpret_differences", "interpret_correlations", "interpret_regression",
    "interpret_efa", "interpret_cfa", "interpret_harman", "regression_note", "label", "caption", "note",
    "plot_means", "plot_scree",
]

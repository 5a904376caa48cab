"""Survey study of the whole company's answers in one wave (notebook ``06_survey_study``).

SPSSAU's sequence, paper-ready: crosstabs of the choice questions by respondent
attributes, differences of the scale scores between groups, correlations, EFA,
CFA with reliability and validity, Harman's test and a regression — each as a
三线表 with a one-paragraph reading in zh or en.

Modules: :mod:`.context` (parameters, loading), :mod:`.tables` (numeric results),
:mod:`.display` and :mod:`.factors` (display tables, readings), :mod:`.phrases`.
"""

from grouplab.reports.common.package import export
from grouplab.reports.common.params import waves_of
from grouplab.reports.survey_study import context, display, factors, phrases, tables

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


__all__ = ["ENTITY", "PERIOD", "TITLE", "entity_ids",
           *export(globals(), context, tables, factors, display, phrases)]

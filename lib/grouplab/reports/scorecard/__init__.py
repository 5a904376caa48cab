"""Party-group scorecard of one unit and year (notebook ``02_group_scorecard``).

Compute first, format last: :func:`prepare` (:mod:`.context`) loads the
dataset and checks the notebook parameters; :mod:`.tables` selects the
numbers from :mod:`grouplab.measures.evaluation`; :mod:`.display` labels,
rounds, draws and describes them in zh or en with the wording of
:mod:`.phrases`.

Batch declarations: ``ENTITY`` is the parameter ``all`` expands over,
:func:`entity_ids` its values, ``PERIOD`` the period parameter, ``TITLE`` the
report's title and :func:`overview` its columns on the batch overview page.
"""

from grouplab.reports.scorecard.context import REQUIRED, TABLES, Scorecard, entity_ids, prepare
from grouplab.reports.scorecard.display import (
    advanced_sentence,
    aspect_profile,
    grades_table,
    leader_review_table,
    overview,
    plot_aspects,
    plot_trend,
    rectification_table,
    sheet_name,
    summary,
    trend,
)
from grouplab.reports.scorecard.phrases import PHRASES, TITLE
from grouplab.reports.scorecard.tables import aspect_scores, leader_rows, rectification_rows, year_scores

ENTITY = "unit_id"
PERIOD = "year"

__all__ = ["TABLES", "REQUIRED", "ENTITY", "PERIOD", "TITLE", "PHRASES", "Scorecard", "prepare", "entity_ids",
           "year_scores", "aspect_scores", "rectification_rows", "leader_rows",
           "grades_table", "aspect_profile", "trend", "summary", "advanced_sentence",
           "rectification_table", "leader_review_table", "plot_aspects", "plot_trend",
           "sheet_name", "overview"]

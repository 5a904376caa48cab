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

from grouplab.reports.common.package import export
from grouplab.reports.scorecard import context, display, phrases, tables

ENTITY = "unit_id"
PERIOD = "year"
TITLE = {"zh": "党小组考评记分卡", "en": "Party-group scorecard"}

__all__ = ["ENTITY", "PERIOD", "TITLE", *export(globals(), context, tables, display, phrases)]

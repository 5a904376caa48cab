"""Meeting records coded for the 三多三少 (notebook ``08_meeting_records``), one unit and year.

Compute first, format last: :func:`prepare` (:mod:`.context`) loads the dataset's minutes and codes
them with :func:`grouplab.measures.minutes.code_minutes`; :mod:`.tables` selects the numbers;
:mod:`.display` labels, rounds, draws and describes them in zh or en with :mod:`.phrases`.

Batch declarations: ``ENTITY`` is the parameter ``all`` expands over, :func:`entity_ids` its values,
``PERIOD`` the period parameter, ``TITLE`` the report's title.
"""

from grouplab.reports.common.package import export
from grouplab.reports.meeting_records import context, display, phrases, tables

ENTITY = "unit_id"
PERIOD = "year"
TITLE = {"zh": "会议记录编码（三多三少）", "en": "Meeting records coded (three too-many / too-few)"}

__all__ = ["ENTITY", "PERIOD", "TITLE", *export(globals(), context, tables, display, phrases)]

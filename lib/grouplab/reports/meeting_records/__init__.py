"""Meeting records coded for the 三多三少 (notebook ``08_meeting_records``), one unit and year.

Compute first, format last: :func:`prepare` (:mod:`.context`) loads the dataset's minutes and codes
them with :func:`grouplab.measures.minutes.code_minutes`; :mod:`.tables` selects the numbers;
:mod:`.display` labels, rounds, draws and describes them in zh or en with :mod:`.phrases`.

Batch declarations: ``ENTITY`` is the parameter ``all`` expands over, :func:`entity_ids` its values,
``PERIOD`` the period parameter, ``TITLE`` the report's title.
"""

from grouplab.reports.meeting_records.context import TABLES, MeetingRecords, entity_ids, prepare
from grouplab.reports.meeting_records.display import (
    agreement_table,
    code_label,
    plot_shares,
    quotes_table,
    runs_table,
    shares_table,
    sheet_name,
    summary,
)
from grouplab.reports.meeting_records.phrases import PHRASES, TITLE
from grouplab.reports.meeting_records.tables import (
    agreement_rows,
    evidence_rows,
    quarter_shares,
    study_only_runs,
)

ENTITY = "unit_id"
PERIOD = "year"

__all__ = ["TABLES", "ENTITY", "PERIOD", "TITLE", "PHRASES", "MeetingRecords", "prepare", "entity_ids",
           "quarter_shares", "study_only_runs", "evidence_rows", "agreement_rows", "summary", "shares_table",
           "plot_shares", "runs_table", "quotes_table", "agreement_table", "sheet_name", "code_label"]

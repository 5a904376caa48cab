"""Organisational-life report (组织生活台账) of one unit and period (notebook ``07_org_life``).

The monthly/quarterly ledger a branch files and acts on: which groups held their
meetings and how well (三多三少), which of the five systems (五项制度) lapsed and
since when, whose leader is untrained, demonstration days and posts, members who
stay away from group life, and the follow-up list (督办清单).

Compute first, format last: :func:`prepare` loads the dataset, the spec
(``data/rubrics/org_life.yml`` unless the manifest names another) and checks the
parameters; ``*_table`` functions return unrounded numbers (member counts with a
``hidden`` column from :mod:`grouplab.reports.common.disclosure`); ``format_*``,
``plot_*`` and ``interpret_*`` label, draw and describe them in zh or en.

Modules: :mod:`.context`, :mod:`.tables`, :mod:`.display`, :mod:`.phrases`.
"""

from grouplab.reports.orglife.context import KINDS, REQUIRED, TABLES, OrgLifeContext, parse_period, prepare
from grouplab.reports.orglife.display import (
    format_attendance,
    format_demo_days,
    format_followup,
    format_meeting_grid,
    format_members,
    format_posts,
    format_repeat_flags,
    format_sessions,
    format_systems,
    format_training,
    interpret_attendance,
    interpret_demo,
    interpret_followup,
    interpret_meetings,
    interpret_quality,
    interpret_systems,
    interpret_training,
    period_label,
    plot_quality,
    sheet_name,
)
from grouplab.reports.orglife.phrases import PHRASES
from grouplab.reports.orglife.tables import (
    attendance_table,
    demo_days_table,
    followup_table,
    leader_sessions_table,
    meeting_grid_table,
    member_table,
    posts_table,
    quality_table,
    repeat_flags_table,
    systems_table,
    training_table,
)

#: The notebook parameter a batch config's ``all`` expands over.
ENTITY = "unit_id"
PERIOD = "period"
TITLE = {"zh": "党小组组织生活台账", "en": "Organisational life of Party groups"}


def entity_ids(dataset) -> list[str]:
    """Units an organisational-life report can be made for (``unit_id: all``): those with Party groups.

    Returns
    -------
    list of str
        Unit ids, sorted.
    """
    with_groups = set(dataset.tables["groups"]["unit_id"]) if "groups" in dataset.tables else set()
    return sorted(u for u in dataset.tables["units"]["unit_id"] if u in with_groups)

__all__ = [
    "sheet_name",
    "TABLES",
    "REQUIRED",
    "KINDS",
    "ENTITY", "PERIOD", "TITLE", "entity_ids",
    "PHRASES", "OrgLifeContext", "prepare", "parse_period", "period_label",
    "meeting_grid_table", "quality_table", "repeat_flags_table", "systems_table", "training_table",
    "leader_sessions_table", "demo_days_table", "posts_table", "attendance_table", "member_table",
    "followup_table",
    "format_meeting_grid", "format_repeat_flags", "format_systems", "format_training",
    "format_sessions", "format_demo_days", "format_posts", "format_attendance", "format_members",
    "format_followup", "plot_quality",
    "interpret_meetings", "interpret_quality", "interpret_systems", "interpret_training",
    "interpret_demo", "interpret_attendance", "interpret_followup",
]

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

from grouplab.reports.common.package import export
from grouplab.reports.common.params import units_with_groups
from grouplab.reports.orglife import context, display, phrases, tables

#: The notebook parameter a batch config's ``all`` expands over.
ENTITY = "unit_id"
PERIOD = "period"
TITLE = {"zh": "党小组组织生活台账", "en": "Organisational life of Party groups"}
#: Units an organisational-life report can be made for (``unit_id: all``): those with Party groups.
entity_ids = units_with_groups

__all__ = ["ENTITY", "PERIOD", "TITLE", "entity_ids", *export(globals(), context, tables, display, phrases)]

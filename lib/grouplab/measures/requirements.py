"""The rules of Party-group life: required frequencies and the five systems (五项制度).

Rules are an organisation's own setting: defaults here, an organisation's in a
spec file (``data/rubrics/org_life.yml``) read with :func:`settings_from_spec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from grouplab.data.codebook import codebook
from grouplab.data.problems import problem
from grouplab.errors import DataError

__all__ = ["DEFAULT_REQUIREMENTS", "FIVE_SYSTEMS", "check_requirements", "check_systems",
           "settings_from_spec"]

_KINDS = tuple(codebook()["activities"].columns["kind"].allowed)

#: Kind -> (count, months): at least ``count`` events of the kind in the
#: trailing window of ``months`` calendar months ending with (and including)
#: the month judged. Defaults follow the common rules of Party-group work
#: (三会一课 and the five systems); pass your organisation's own.
DEFAULT_REQUIREMENTS: Mapping[str, tuple[int, int]] = {
    "group_meeting": (1, 1),      # 党小组会 every month
    "theme_day": (1, 1),          # 主题党日 every month
    "work_report": (1, 1),        # 工作汇报 every month
    "party_lecture": (1, 3),      # 党课 every quarter
    "mass_contact": (1, 3),       # 联系群众 every quarter
    "inspection": (1, 3),         # 检查讲评 every quarter
    "demonstration_day": (1, 3),  # 党员示范日 every quarter
    "half_year_summary": (1, 6),  # 半年工作总结 every half-year
    "leader_training": (1, 12),   # 党小组长培训 every year
}

#: The five systems (五项制度) and the requirement kinds each needs.
FIVE_SYSTEMS: Mapping[str, tuple[str, ...]] = {
    "meeting": ("group_meeting",),
    "training": ("leader_training",),
    "report": ("work_report", "half_year_summary"),
    "mass_contact": ("mass_contact",),
    "inspection": ("inspection",),
}

def check_requirements(req: Mapping[str, Any] | None, file: str = "requirements"
                  ) -> dict[str, tuple[int, int]]:
    """Kind -> ``(count, months)`` from ``req`` (default :data:`DEFAULT_REQUIREMENTS`).

    A value may be ``(count, months)``, ``{count, months}`` or an int count
    (per month). DataError for unknown kinds or counts/months below 1.
    """
    raw = DEFAULT_REQUIREMENTS if req is None else req
    out = {}
    for kind, r in raw.items():
        if kind not in _KINDS:
            raise DataError([problem("unknown_requirement_kind", file, kind=kind, kinds=", ".join(_KINDS))])
        if isinstance(r, Mapping):
            r = (r.get("count", 1), r.get("months", 1))
        elif isinstance(r, (int, np.integer)):
            r = (r, 1)
        try:
            count, months = (int(x) for x in r)
        except (TypeError, ValueError):
            count = months = 0
        if count < 1 or months < 1:
            raise DataError([problem("bad_requirement", file, kind=kind, got=r)])
        out[kind] = (count, months)
    return out


def check_systems(systems: Mapping[str, Any] | None, req: Mapping[str, Any], file: str = "requirements"
             ) -> dict[str, tuple[str, ...]]:
    """System -> kinds from ``systems`` (default :data:`FIVE_SYSTEMS`); DataError when a
    kind has no requirement in ``req``."""
    raw = FIVE_SYSTEMS if systems is None else systems
    out = {}
    for name, kinds in raw.items():
        kinds = tuple(kinds.get("kinds", ()) if isinstance(kinds, Mapping) else kinds)
        miss = [k for k in kinds if k not in req]
        if miss:
            raise DataError([problem("system_needs_requirements", file, name=name, missing=miss)])
        out[str(name)] = kinds
    return out


def settings_from_spec(spec: Mapping[str, Any], *, file: str = "org_life.yml"
                       ) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[str, ...]]]:
    """Requirements and systems of an organisational-life spec (``data/rubrics/org_life.yml``).

    Parameters
    ----------
    spec : mapping
        ``requirements`` (kind -> ``{count, months}``) and ``systems`` (name ->
        ``{kinds: [...]}``), as read from the YAML file; ``file`` names it in errors.

    Returns
    -------
    requirements : dict
        Kind -> ``(count, months)``, for ``activity_panel(requirements=...)``.
    systems : dict
        System -> tuple of kinds, for ``activity_panel(systems=...)``.

    Raises
    ------
    DataError
        Unknown kinds, counts or months below 1, a system naming a kind
        without a requirement, missing sections.

    Examples
    --------
    >>> req, sysm = settings_from_spec({"requirements": {"group_meeting": {"count": 1, "months": 1}},
    ...                                 "systems": {"meeting": {"kinds": ["group_meeting"]}}})
    >>> req, sysm
    ({'group_meeting': (1, 1)}, {'meeting': ('group_meeting',)})
    """
    for key in ("requirements", "systems"):
        if not isinstance(spec.get(key), Mapping) or not spec.get(key):
            raise DataError([problem("spec_section_missing", file, key=key)])
    req = check_requirements(spec["requirements"], file)
    return req, check_systems(spec["systems"], req, file)

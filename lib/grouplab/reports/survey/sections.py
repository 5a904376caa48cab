"""Which sections a survey report has: they follow what the questionnaire spec holds.

A drafted spec for a questionnaire never seen before may have no choice
questions, or no scales; the notebook asks :func:`sections` and shows only
those, each opened by :func:`heading` in the report's language.
"""

from __future__ import annotations

from IPython.display import Markdown

from grouplab.reports.common.labels import phrase
from grouplab.reports.survey.context import SurveyContext, attribute_context
from grouplab.reports.survey.phrases import PHRASES

__all__ = ["sections", "heading"]

_ORDER = ("counts", "attributes", "choices", "scales", "reliability")


def sections(ctx: SurveyContext) -> list[str]:
    """Report sections the spec and the answers support, in report order.

    Returns
    -------
    list of str
        Among ``"counts"`` (always), ``"attributes"`` (single-choice
        respondent attributes such as gender or age band), ``"choices"`` (the spec has choice
        questions present in the answers), ``"scales"`` and ``"reliability"``
        (the spec has scales).

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> sections(prepare("demo", unit_id="WA01", wave=2019))
    ['counts', 'attributes', 'choices', 'scales', 'reliability']
    """
    have = {"counts"}
    cols = set(ctx.responses.columns)
    for cid, choice in (ctx.spec.get("choices") or {}).items():
        multi = [f"{cid}_{o}" for o in (choice.get("options") or {})] if choice.get("multiple") else []
        if cid in cols or (multi and set(multi) <= cols):
            have.add("choices")
    if attribute_context(ctx).spec["choices"]:
        have.add("attributes")
    if ctx.spec.get("scales"):
        have.update({"scales", "reliability"})
    return [s for s in _ORDER if s in have]


def heading(section: str, ctx: SurveyContext) -> Markdown:
    """The section's heading and one-line description in ``ctx.lang`` (Markdown).

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> heading("choices", prepare("demo", unit_id="WA01", wave=2019, lang="en")).data[:21]
    '## Choice questions\\n\\n'
    """
    return Markdown(phrase(PHRASES, f"h_{section}", ctx.lang))

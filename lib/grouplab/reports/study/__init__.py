"""Measures-and-outcomes study report (notebook ``03_measures_and_outcomes``).

Three layers, compute first and format last:

- :func:`prepare` checks the parameters, loads the dataset, builds the lagged
  group × month panel and reads ``truth.yml`` when the dataset ships one
  (the synthetic demo); real data never show a truth.
- ``*_table`` functions (:mod:`.tables`) fit the models: rate models with each
  measure clustered at the level where it is assigned (posts: work area;
  training and meetings: group), BH-adjusted p-values, the event study of
  posts with one reference quarter, four estimators side by side,
  randomisation inference and a wild cluster bootstrap, landmark survival,
  a Cox model with time-varying measures and survey climate vs next year's rate.
- ``format_*``, ``plot_*`` and ``interpret_*`` (:mod:`.display`) label,
  round and word them in zh or en (:mod:`.phrases`).

``ENTITY`` names the parameter a batch ``all`` expands over: the outcome.
"""

from grouplab.reports.common.package import export
from grouplab.reports.study import context, display, phrases, tables

#: Parameter a batch config's ``all`` expands over (one report per outcome category).
ENTITY = "outcome"
#: Title of the report in the batch index.
TITLE = {"zh": "组织建设措施与安全结果", "en": "Measures and safety outcomes"}


def entity_ids(dataset) -> list[str]:
    """Outcomes a study can be made for (``outcome: all``): incident categories with incidents.

    Returns
    -------
    list of str
        Category codes in codebook order.
    """
    from grouplab.data.codebook import codebook

    inc = dataset.tables.get("incidents")
    seen = set() if inc is None else set(inc["category"].dropna().astype(str))
    return [c for c in codebook()["incidents"].columns["category"].allowed if c in seen]


def entity_names(dataset, lang: str) -> dict[str, str]:
    """Label of each outcome for the batch index: the codebook's zh label, or the code in words.

    Returns
    -------
    dict
        Category code -> label in ``lang`` (``violation`` -> 违章 / ``violation``).
    """
    from grouplab.data.codebook import codebook

    allowed = codebook()["incidents"].columns["category"].allowed
    return {c: (zh if lang == "zh" else c.replace("_", " ")) for c, zh in allowed.items()}


__all__ = ["ENTITY", "TITLE", "entity_ids", "entity_names",
           *export(globals(), context, tables, display, phrases)]

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

from grouplab.reports.study.context import KINDS, REQUIRED, TABLES, StudyContext, prepare
from grouplab.reports.study.display import (
    format_climate,
    format_cox,
    format_descriptives,
    format_estimators,
    format_event,
    format_inference,
    format_models,
    interpret_bh,
    interpret_climate,
    interpret_clusters,
    interpret_event,
    interpret_km,
    interpret_models,
    plot_effects,
    plot_event_study,
    plot_km,
    plot_ri,
    sheet_name,
)
from grouplab.reports.study.phrases import MEASURES, PHRASES
from grouplab.reports.study.tables import (
    climate_table,
    cox_table,
    descriptives_table,
    estimator_table,
    event_table,
    km_curves,
    model_table,
    post_inference_table,
    ri_table,
    risk_table,
)

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

__all__ = [
    "sheet_name",
    "REQUIRED",
    "KINDS",
    "TABLES",
    "ENTITY", "TITLE", "entity_ids", "entity_names", "MEASURES", "PHRASES", "StudyContext", "prepare",
    "descriptives_table", "model_table", "event_table", "estimator_table", "ri_table",
    "post_inference_table", "km_curves", "risk_table", "cox_table", "climate_table",
    "format_descriptives", "format_models", "format_event", "format_estimators",
    "format_inference", "format_cox", "format_climate",
    "interpret_models", "interpret_clusters", "interpret_bh", "interpret_event", "interpret_km",
    "interpret_climate", "plot_effects", "plot_event_study", "plot_ri", "plot_km",
]

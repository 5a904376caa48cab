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
TITLE = {"zh": "组织建设措施与安全结果", "en": "Measures and outcomes"}

__all__ = ["ENTITY", "TITLE", *export(globals(), context, tables, display, phrases)]

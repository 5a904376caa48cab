"""标杆 benchmarking report of one station and year (notebook ``05_benchmarking``).

Compute first, format last: :func:`prepare` loads the dataset and checks the
notebook's parameters; ``*_table`` functions compute numeric DataFrames from
:mod:`grouplab.measures.benchmark` (monthly station and area benchmarks, rankings,
year-on-year change); ``format_*``, ``plot_*`` and ``interpret_*`` label,
round, draw and describe them in zh or en (indicator names from the
catalogue, phrases from :data:`PHRASES`).

Batch declarations: ``ENTITY`` (the parameter ``all`` expands over),
:func:`entity_ids` (its values), ``PERIOD`` and ``TITLE``.

Modules: :mod:`.context` (parameters, loading), :mod:`.tables` (numeric
tables), :mod:`.display` (display tables, figures, sentences) and
:mod:`.phrases` (zh/en wording).
"""

from grouplab.reports.benchmark import context, display, phrases, tables
from grouplab.reports.common.package import export

ENTITY = "station_id"
PERIOD = "year"
TITLE = {"zh": "标杆管理对标报告", "en": "Benchmarking report"}

__all__ = ["ENTITY", "PERIOD", "TITLE", *export(globals(), context, tables, display, phrases)]

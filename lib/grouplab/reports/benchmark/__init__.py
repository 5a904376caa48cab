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

from grouplab.reports.benchmark.context import (
    REQUIRED,
    TABLES,
    BenchmarkContext,
    area_entities,
    entity_ids,
    prepare,
)
from grouplab.reports.benchmark.display import (
    format_change,
    format_indicators,
    format_ranking,
    interpret_change,
    interpret_indicators,
    interpret_ranking,
    notes,
    plot_gaps,
    plot_ranking,
)
from grouplab.reports.benchmark.phrases import PHRASES, TITLE, UNITS_EN
from grouplab.reports.benchmark.tables import change_table, indicator_table, ranking_table

ENTITY = "station_id"
PERIOD = "year"

__all__ = [
    "TABLES",
    "REQUIRED",
    "ENTITY", "PERIOD", "TITLE", "entity_ids", "area_entities",
    "PHRASES", "UNITS_EN", "BenchmarkContext", "prepare", "notes",
    "indicator_table", "ranking_table", "change_table",
    "format_indicators", "format_ranking", "format_change",
    "plot_gaps", "plot_ranking",
    "interpret_indicators", "interpret_ranking", "interpret_change",
]

"""Data-quality report (notebook ``01_data_quality``): numbers in :mod:`.tables`, labels in :mod:`.display`.

The report covers a whole dataset, so it declares no ``ENTITY``; ``TITLE``
names it in the batch index.
"""

from grouplab.reports.quality.display import (
    format_coverage,
    format_flag_sources,
    format_missingness,
    format_overview,
    format_privacy,
    format_problems,
    format_reading,
    plot_coverage,
    privacy_sentence,
    sheet_name,
    status_sentence,
    table_label,
)
from grouplab.reports.quality.phrases import PHRASES, TITLE
from grouplab.reports.quality.tables import (
    check_dataset,
    coverage,
    flag_sources,
    missingness,
    privacy_table,
    reading_table,
    table_overview,
)

__all__ = ["TITLE", "PHRASES", "check_dataset", "table_overview", "coverage", "missingness",
           "status_sentence", "format_problems", "format_overview", "format_coverage",
           "format_missingness", "plot_coverage", "sheet_name", "table_label", "reading_table",
           "privacy_table", "format_reading", "format_privacy", "privacy_sentence",
           "flag_sources", "format_flag_sources"]

"""Data-quality report (notebook ``01_data_quality``): numbers in :mod:`.tables`, labels in :mod:`.display`.

The report covers a whole dataset, so it declares no ``ENTITY``; ``TITLE``
names it in the batch index.
"""

from grouplab.reports.common.package import export
from grouplab.reports.quality import context, display, phrases, tables

TITLE = {"zh": "数据质量报告", "en": "Data-quality report"}

__all__ = ["TITLE", *export(globals(), context, tables, display, phrases)]

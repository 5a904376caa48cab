"""Batch runs of parameterised notebooks: plan, run (warm quiet kernels), export (html/docx/xlsx), index."""

from grouplab.batch.outputs import OutputError, OutputLock
from grouplab.batch.plan import Report, notebook_parameters, notebook_report, plan, provenance
from grouplab.batch.runner import run

__all__ = ["Report", "plan", "run", "notebook_parameters", "notebook_report", "provenance",
           "OutputError", "OutputLock"]

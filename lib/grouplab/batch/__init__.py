"""Batch runs of parameterised notebooks: plan, execute (warm kernels), export, index."""

from grouplab.batch.runner import Report, notebook_parameters, plan, provenance, run

__all__ = ["Report", "plan", "run", "notebook_parameters", "provenance"]

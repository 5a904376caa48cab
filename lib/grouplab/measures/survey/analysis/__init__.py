"""Survey analysis a researcher can publish (SPSSAU's sequence, checked against R).

Frequencies live in :func:`grouplab.measures.survey.scales.choice_shares`;
this package adds crosstabs, differences between groups, correlations, EFA,
CFA with reliability and validity, Harman's test and regression. Every
function takes respondents as rows and returns documented DataFrames (EFA and
CFA a small result object of DataFrames); formatting, labels, rounding and
small-cell suppression happen in ``grouplab.reports``.
"""

from grouplab.measures.survey.analysis.cfa import CFAResult, cfa, harman_test
from grouplab.measures.survey.analysis.correlation import correlations
from grouplab.measures.survey.analysis.crosstab import crosstab
from grouplab.measures.survey.analysis.efa import EFAResult, efa
from grouplab.measures.survey.analysis.groups import compare_groups
from grouplab.measures.survey.analysis.regression import regression

__all__ = ["crosstab", "compare_groups", "correlations", "efa", "cfa", "harman_test", "regression",
           "CFAResult", "EFAResult"]

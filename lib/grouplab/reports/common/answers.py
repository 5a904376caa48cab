"""What the two survey reports share in their context: one wave's answers under a questionnaire spec.

:class:`~grouplab.reports.survey.SurveyContext` (one unit against the company) and
:class:`~grouplab.reports.survey_study.StudyContext` (the company by respondent attributes) both
hold the answers of a wave, the questionnaire spec, the language and the minimum cell size of
small-cell suppression; each adds what its report needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["WaveAnswers"]


@dataclass(frozen=True, repr=False, kw_only=True)
class WaveAnswers:
    """Answers of one survey wave and how a report may show them (fields are keyword-only).

    Attributes
    ----------
    responses : pandas.DataFrame
        The wave's answers (which columns: see the report's context).
    spec : dict
        The questionnaire spec.
    wave : int
    lang : {"zh", "en"}
    k : int
        Minimum cell size of small-cell suppression.
    """

    responses: pd.DataFrame
    spec: dict
    wave: int
    lang: str
    k: int = 5

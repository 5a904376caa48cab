"""Half-yearly Party-group evaluation (党小组工作考评): scores, grades, annual review.

The rubric (default ``data/rubrics/party_group_evaluation.yml``, loaded with
:func:`grouplab.data.specs.load_rubric`) lists the items, their maxima (summing to
100), the aspect each item belongs to and the grade bands. Grades are
half-open intervals on the total, highest band first: 优秀 [95, 100],
合格 [80, 95), 基本合格 [60, 80), 不合格 [0, 60) (see
:mod:`grouplab.measures.evaluation.scoring`).

Modules
-------
scoring
    Grade bands, :func:`grade`, :func:`grade_labels` and :func:`score`
    (totals, aspect subtotals, flags).
review
    Built on scores: :func:`rectification`, :func:`leader_review` and
    :func:`annual_review`.
"""

from grouplab.measures.evaluation import review, scoring
from grouplab.measures.evaluation.review import *  # noqa: F403 - the names of review.__all__
from grouplab.measures.evaluation.scoring import *  # noqa: F403 - the names of scoring.__all__

__all__ = [*scoring.__all__, *review.__all__]

"""The study's models: rates, fixed effects, event studies, few-cluster inference, ITS, survival, mediation.

Every model returns a tidy DataFrame (one row per term, path or event time)
or a small frozen result object, so naive and adjusted estimates can be put
side by side and plotted. Fixed-effects models run on pyfixest (absorbed
effects, CRV1 clusters at any level, fixest small-sample conventions); GLMs
without fixed effects, the Cox model and ITS on statsmodels.

Public API::

    rate_model(data, formula, exposure=..., family="poisson"|"negbin", cluster=..., scale=...)
    fe_rate_model(panel, outcome, predictors, cluster=...)   fe_compare(panel, outcome, predictors)
    event_study(panel, outcome, method="stacked"|"sun_abraham"|"twfe", cluster=...) -> EventStudy
    did_compare(panel, outcome)     ri_adoption(panel, statistic)     wild_bootstrap(panel, outcome, term)
    ri_post_effect(panel, outcome)  (randomisation inference of the static post effect)
    interrupted_time_series(data, interruption=...)
    counting_process(panel) -> cox_model(cp, covariates); first_event_times -> km_table, at_risk
    bh_adjust(table)     mediation(data, x=, m=, y=)     moderation(data, x=, w=, y=)
"""

from grouplab.models.design import TIDY_COLUMNS, StatisticalWarning, month_number
from grouplab.models.eventstudy import EventStudy, did_compare, event_study
from grouplab.models.inference import (
    RandomizationResult,
    ri_adoption,
    ri_post_effect,
    wild_bootstrap,
)
from grouplab.models.its import interrupted_time_series
from grouplab.models.mediation import mediation, moderation
from grouplab.models.multiple import bh_adjust
from grouplab.models.panel_fe import fe_compare, fe_rate_model
from grouplab.models.rates import rate_model
from grouplab.models.survival import (
    at_risk,
    counting_process,
    cox_model,
    first_event_times,
    km_table,
)

__all__ = [
    "TIDY_COLUMNS",
    "EventStudy",
    "RandomizationResult",
    "StatisticalWarning",
    "at_risk",
    "bh_adjust",
    "counting_process",
    "cox_model",
    "did_compare",
    "event_study",
    "fe_compare",
    "fe_rate_model",
    "first_event_times",
    "interrupted_time_series",
    "km_table",
    "mediation",
    "moderation",
    "month_number",
    "rate_model",
    "ri_adoption",
    "ri_post_effect",
    "wild_bootstrap",
]

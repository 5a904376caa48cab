"""The study's models: rates, fixed effects, event study, ITS, survival, mediation.

Every model returns a tidy DataFrame (one row per term, path or event time)
so naive and adjusted estimates can be put side by side and plotted; ``attrs``
carry plain values only (n, dispersion, tests, readings).

Public API::

    rate_model(data, formula, exposure=..., family="poisson"|"negbin", cluster=..., scale=...)
    fe_rate_model(panel, outcome, predictors)      fe_compare(panel, outcome, predictors)
    event_study(panel, outcome, method="stacked"|"twfe")   did_compare(panel, outcome)
    interrupted_time_series(data, interruption=...)
    counting_process(panel) -> cox_model(cp, covariates); first_event_times -> km_table
    bh_adjust(table)     mediation(data, x=, m=, y=)     moderation(data, x=, w=, y=)
"""

from grouplab.models.eventstudy import did_compare, event_study
from grouplab.models.its import interrupted_time_series
from grouplab.models.mediation import mediation, moderation
from grouplab.models.multiple import bh_adjust
from grouplab.models.panel_fe import fe_compare, fe_rate_model
from grouplab.models.rates import TIDY_COLUMNS, rate_model
from grouplab.models.survival import counting_process, cox_model, first_event_times, km_table

__all__ = [
    "TIDY_COLUMNS",
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
    "rate_model",
]

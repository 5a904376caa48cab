"""The true parameters of the synthetic demo dataset (single source of truth).

Every number the generator uses lives in :data:`TRUTH`; the README of the demo
dataset is written from it, and the notebooks compare their estimates with it.

Conventions
-----------
- ``u_g`` is the unobserved engagement of Party group ``g``, ``u_g ~ N(0, sd^2)``.
- Rate parameters are incidents per 1,000 person-hours before any multiplier.
- ``*_coef`` entries are coefficients on the log rate (or logit) per unit of ``u_g``.
- ``*_irr`` entries are incidence-rate ratios (multiplicative effects on the rate).
"""

from __future__ import annotations

__all__ = ["TRUTH", "TRUTH_FILE", "truth_document"]

#: File name of the true effects shipped beside a synthetic dataset (read by reports).
TRUTH_FILE = "truth.yml"

TRUTH: dict = {
    "seed": 20191231,
    "study_window": {"start": "2015-01", "end": "2019-12"},
    "burn_in_months": 3,
    "indicator_window": {"start": "2010-01", "end": "2011-12"},
    # ---------------------------------------------------------------- structure
    "structure": {
        "n_work_areas": 10,
        "groups_per_area": [4, 7],
        "members_per_group": [3, 12],
        "stations": {"S1": 14, "S2": 14, "S3": 13},
    },
    # ------------------------------------------------------- latent confounders
    "engagement_sd": 0.5,
    "area_sd": 0.3,
    # ----------------------------------------------------------------- exposure
    "hours_per_member_month": 160.0,
    "hours_log_sd": 0.05,
    # ---------------------------------------------------------------- outcomes
    "baseline_rate_per_1000h": {
        "violation": 0.80,
        "hidden_hazard": 0.80,
        "responsibility_accident": 0.012,
        "equipment_failure": 0.15,
        "near_miss": 0.08,
    },
    "engagement_coef": {
        "violation": -1.0,
        "hidden_hazard": 0.6,
        "responsibility_accident": -0.7,
        "equipment_failure": -0.3,
        "near_miss": -0.5,
    },
    "area_effect_applies": ["violation", "responsibility_accident", "equipment_failure",
                            "near_miss"],
    "summer_months": [7, 8],
    "summer_irr": {
        "violation": 1.5,
        "hidden_hazard": 1.2,
        "responsibility_accident": 1.5,
        "equipment_failure": 1.3,
        "near_miss": 1.2,
    },
    # ------------------------------------------------------- measures: true effects
    "adoption": {
        "WA01": "2017-01", "WA02": "2017-01",
        "WA03": "2017-07", "WA04": "2017-07",
        "WA05": "2018-01", "WA06": "2018-01",
        "WA07": "2018-07", "WA08": "2018-07",
        "WA09": None, "WA10": None,
    },
    "effects": {
        # demonstration posts in place in the group's work area (month >= adoption)
        "post_irr": {"violation": 0.80, "responsibility_accident": 0.80, "hidden_hazard": 1.15},
        # group leader attended a leader_training in the previous 12 months (t-12..t-1)
        "training_irr": {"violation": 0.90, "responsibility_accident": 0.90},
        # per 三多三少 flag: mean flags per group meeting in month t-1 (3 if no meeting held)
        "flag_irr": {"violation": 1.10, "responsibility_accident": 1.10},
        # meeting COUNT has no effect of its own (extra meetings come from the feedback loop)
        "meeting_count_irr": 1.0,
    },
    "feedback": {
        "trigger_violations": 4,
        "trigger_accidents": 1,
        "extra_meetings_per_month": 1,
        "lags": [1, 2, 3],
    },
    # ----------------------------------------------------------------- activities
    "meetings": {
        "held_logit": {"intercept": 2.5, "engagement_coef": 2.0},
        "attendance_logit": {"intercept": 2.0, "engagement_coef": 1.5},
        "flag_logit": {
            "intercept": {"praise_over_criticism": -0.6, "form_over_substance": -1.0,
                          "chat_over_solving": -1.4},
            "engagement_coef": -2.0,
        },
    },
    "training": {
        "first_year": 2015,
        "yearly_logit": {"intercept": 0.3, "from_2017": 0.5, "engagement_coef": 2.0},
        "months": [3, 11],
        "duration_h": [8.0, 16.0, 24.0],
    },
    "other_activities_per_month": {
        "theme_day": 0.30,
        "party_lecture": 0.25,
        "mass_contact": 0.45,
        "work_report": 0.95,
    },
    "demonstration_days_per_quarter": 1,
    # ------------------------------------------------------- member attendance
    # Register of every member at every group meeting (member_attendance.csv), consistent with
    # activities.csv (exactly `attendees` present). Non-attendees are drawn at random among the
    # members, each excused with probability excused_share. Planted truth: in up to drift_groups
    # groups whose violations + responsibility accidents rise (the 3-month count from month t
    # exceeds the previous baseline_months' 3-month average by >= rise_min, t at the largest
    # excess), one non-leader member is absent without excuse from every group meeting in the
    # drift_months months before t (groups need >= min_meetings meetings there, each with someone
    # missing). The drift is placed before rises of incidents simulated without it: an
    # association for the report to find, not a cause.
    "attendance": {"excused_share": 0.7, "drift_groups": 6, "drift_months": 4, "min_meetings": 3,
                   "rise_window": 3, "baseline_months": 6, "rise_min": 3},
    "posts_per_group": [1, 2],
    "post_end_share": 0.15,
    # ---------------------------------------------------------------- evaluation
    "evaluation": {
        "periods": ["2015H1", "2019H2"],
        "total_mean": 85.5,
        "engagement_coef": 14.0,
        "area_coef": 4.0,
        "post_points": 2.5,
        "trained_points": 1.5,
        "flag_points": -2.0,
        "total_noise_sd": 3.0,
        "item_noise_sd": 0.05,
        "accident_points_i10": -4.0,
        "rounding": 0.5,
    },
    # -------------------------------------------------------------------- survey
    "survey": {
        "waves": [2017, 2018, 2019],
        "fielded": "11-06",
        "field_days": 18,
        "response_rate": 0.80,
        "engagement_loading": {"quality": 0.5, "cohesion": 0.5, "leader": 0.4,
                               "model": 0.3, "safety": 0.3},
        "post_shift": {"model": 0.4, "safety": 0.2},
        "person_general_corr": 0.5,
        "item_loading": [0.80, 0.75, 0.70, 0.65],
        "thresholds": [-2.0, -1.2, -0.3, 0.8],
        "skip_rate": 0.01,
        "not_shown": "model items shown only to members whose work area had adopted posts",
        "key_shares": {"C1": 0.346, "C2": 0.312, "C3": 0.295, "C4": 0.356},
        # respondent attributes (synth/survey_structure.py): multinomial logits of codes 1..K,
        # category 1 the reference; "theta" adds coef x the respondent's latent scale trait,
        # "c1_key" adds coef when C1 = 1. D1 depends on nothing: a true null.
        "attributes": {
            "seed": 13,
            "logits": {
                "D1": {"base": [0.0, -0.9]},
                "D2": {"base": [0.0, -1.6, -1.2], "theta": {2: {"leader": 0.9}, 3: {"safety": -0.6}}},
                "D3": {"base": [0.0, 0.3, -0.3], "theta": {3: {"cohesion": 0.7}}, "c1_key": {3: 0.8}},
            },
            "expected": {
                "D1": "no difference on any scale or choice item",
                "D2": "team leaders (2) score higher than front-line workers (1), most on the leader "
                      "scale, and on the other scales through the traits' correlation; "
                      "managers/technicians (3) lower, most on the safety scale",
                "D3": "over 15 years (3) scores higher, most on cohesion; C1's key option is chosen "
                      "more often by members over 15 years",
            },
        },
        "factor_structure": {
            "factors": ["quality", "cohesion", "leader", "model", "safety"],
            "items_per_factor": 4,
            "reverse_keyed": "4th item of each scale",
            "latent_trait_correlation": "about person_general_corr (0.5), a little more through "
                                        "group engagement; model and safety also share the post shift",
        },
    },
    # ----------------------------------------------------------------------- oil
    "oil": {
        "aggregation": "area value for a year = mean (rate indicators) or sum (count/quantity "
                       "indicators) of all monthly values of the indicator at its level "
                       "(well or station) in that year",
        "targets": {
            "balance_rate": {"2010": 85.0, "2011": 92.3, "report_decimals": 1},
            "shut_in_loss": {"2010": 976.0, "2011": 399.0, "report_decimals": 0},
            "equipment_integrity": {"2010": 93.2, "2011": 98.1, "report_decimals": 1,
                                    "seed": "+4.9 percentage points"},
            "system_efficiency": {"2010": 32.6, "2011": 35.8, "report_decimals": 1},
            "pump_efficiency": {"2010": 43.9, "2011": 50.9, "report_decimals": 1},
        },
    },
}


def truth_document() -> dict:
    """The true effects as plain data, for ``truth.yml`` beside the demo files.

    Reports read this file (they never import :mod:`grouplab.synth`) and show
    truth only when a dataset folder carries it. ``effects`` maps each
    measure to its true incidence-rate ratio per outcome category (a single
    number applies to every category).
    """
    eff = TRUTH["effects"]
    return {"note": "示例数据的真实效应（合成数据，非真实数据）/ true effects of the synthetic demo",
            "seed": TRUTH["seed"], "adoption": dict(TRUTH["adoption"]),
            "effects": {"area_adopted": dict(eff["post_irr"]),
                        "trained_prev_12m": dict(eff["training_irr"]),
                        "quality_deficit": dict(eff["flag_irr"]),
                        "n_meetings": float(eff["meeting_count_irr"])}}

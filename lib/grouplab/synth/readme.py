"""README.md of the demo dataset, written from TRUTH (so text and data never disagree)."""

from __future__ import annotations

from importlib import resources

import yaml

from grouplab.synth.truth import TRUTH

#: Beside this module; ``str.format`` fields name TRUTH's values (``{T[seed]}``) and those of readme_text.
_TEMPLATE = "readme_template.md"


def _tables(drift) -> dict[str, str]:
    """Markdown table rows of the README: from TRUTH (adoption, true effects, oil targets) and the drift."""
    T, e = TRUTH, TRUTH["effects"]
    effects = [
        ("demonstration posts in place, P", e["post_irr"]),
        ("leader trained in past 12 months, R", e["training_irr"]),
        ("per 三多三少 flag per meeting in month t−1, D", e["flag_irr"]),
        ("number of group meetings", {"violation": e["meeting_count_irr"],
                                      "responsibility_accident": e["meeting_count_irr"]}),
    ]
    return {
        "adoption": "\n".join(f"| {k} | {v or 'never'} |" for k, v in T["adoption"].items()),
        "effects": "\n".join(
            f"| {label} | {d.get('violation', 1.0):.2f} | {d.get('responsibility_accident', 1.0):.2f} "
            f"| {d.get('hidden_hazard', 1.0):.2f} |" for label, d in effects),
        "oil_t": "\n".join(f"| {k} | {v['2010']} | {v['2011']} | {v['report_decimals']} |"
                           for k, v in T["oil"]["targets"].items()),
        "drift_rows": "\n".join(f"| {r.group_id} | {r.member_id} | {r.first_month} | {r.rise_month} |"
                                for r in drift.itertuples(index=False)) if drift is not None else "",
    }


def readme_text(seed: int, counts: dict[str, int], drift=None) -> str:
    """The README of the demo dataset for ``seed`` with the given row counts and drift episodes.

    The text is ``readme_template.md`` beside this module, filled with TRUTH's values
    (``{T[...]}`` and its sections ``{e[...]}``, ``{sv[...]}``, ...), the tables of
    :func:`_tables` and a few derived numbers.
    """
    T = TRUTH
    e, sv, ev, mt = T["effects"], T["survey"], T["evaluation"], T["meetings"]
    values = {
        "T": T, "e": e, "sv": sv, "ev": ev, "mt": mt, "fb": T["feedback"], "a": T["attendance"],
        "seed": seed, "last_wave": sv["waves"][-1], "rise_end": T["attendance"]["rise_window"] - 1,
        "flag_engagement": abs(mt["flag_logit"]["engagement_coef"]),
        "per_point": 1 / e["flag_irr"]["violation"],
        "flag_points": abs(ev["flag_points"]), "accident_points": abs(ev["accident_points_i10"]),
        "base": ", ".join(f"{k} {v}" for k, v in T["baseline_rate_per_1000h"].items()),
        "eng": ", ".join(f"{k} {v:+.1f}" for k, v in T["engagement_coef"].items()),
        "summer": ", ".join(f"{k} {v}" for k, v in T["summer_irr"].items()),
        "shares": ", ".join(f"{k} {100 * v:.1f} %" for k, v in sv["key_shares"].items()),
        "truth_yaml": yaml.safe_dump(T, allow_unicode=True, sort_keys=False, width=100),
        "counts": counts, **_tables(drift),
    }
    template = resources.files("grouplab.synth").joinpath(_TEMPLATE).read_text(encoding="utf-8")
    return template.format_map(values)

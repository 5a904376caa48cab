"""Numeric tables of a survey report, each with a ``hidden`` column for suppression.

Small-cell suppression itself lives in :mod:`grouplab.reports.common.disclosure`; this
module decides which cells and totals a report publishes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from grouplab.measures.survey.reliability import item_statistics, reliability
from grouplab.measures.survey.scales import choice_shares, score_scales
from grouplab.reports.common.disclosure import protect_table, suppression
from grouplab.reports.survey.context import SurveyContext

__all__ = ["response_counts", "choice_table", "scale_table", "reliability_table"]


def response_counts(ctx: SurveyContext) -> pd.DataFrame:
    """Respondents per group of the unit, with the unit's total, suppressed.

    Returns
    -------
    pandas.DataFrame
        One row per group of the unit (sorted by ``group_id``), a row for
        answers without a group if any, then a total row:

        - ``group_id`` (``None`` for the no-group and total rows), ``name``;
        - ``members``: members of the group (sum on the total row);
        - ``respondents``: answers from the group;
        - ``rate``: ``respondents / members`` (NaN without members);
        - ``row``: ``"group"``, ``"no_group"`` or ``"total"``;
        - ``hidden``: suppression status of ``respondents`` and ``rate``
          (see :func:`grouplab.reports.common.disclosure.suppression`; the total row is hidden when below k).

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019)
    >>> response_counts(ctx)[["group_id", "members", "respondents", "hidden"]]
    ... # doctest: +NORMALIZE_WHITESPACE
      group_id  members  respondents hidden
    0     G001        3            3  small
    1     G002        5            4  small
    2     G003       10           10
    3     G004       10            8
    4     None       28           25
    """
    unit = ctx.unit
    per = unit["group_id"].value_counts(dropna=True) if len(unit) else pd.Series(dtype=int)
    rows = [{"group_id": g, "name": n, "members": int(m), "respondents": int(per.get(g, 0)),
             "row": "group"} for g, n, m in ctx.groups[["group_id", "name", "members"]].itertuples(
                 index=False)]
    known = set(ctx.groups["group_id"])
    other = int(len(unit) - sum(int(v) for g, v in per.items() if g in known))
    if other:
        rows.append({"group_id": None, "name": None, "members": np.nan, "respondents": other,
                     "row": "no_group"})
    out = pd.DataFrame(rows, columns=["group_id", "name", "members", "respondents", "row"])
    out["hidden"] = suppression(out["respondents"], k=ctx.k) if len(out) else pd.Series(dtype=object)
    total = {"group_id": None, "name": None, "members": float(ctx.groups["members"].sum()),
             "respondents": len(unit), "row": "total",
             "hidden": "small" if len(unit) < ctx.k else ""}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["members"] = out["members"].astype("Int64")
    out["respondents"] = out["respondents"].astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate"] = out["respondents"] / out["members"].astype(float)
    return out[["group_id", "name", "members", "respondents", "rate", "row", "hidden"]]


def choice_table(ctx: SurveyContext) -> pd.DataFrame:
    """Shares of every option of every choice item: unit vs company, Wilson 95 % CIs.

    Returns
    -------
    pandas.DataFrame
        One row per (``item``, ``option``) in spec order:

        - ``item``, ``option``;
        - ``count``, ``n``, ``share``, ``ci_low``, ``ci_high``: the unit's
          choosers, answers to the item, share and Wilson interval;
        - ``company_count``, ``company_n``, ``company_share``,
          ``company_ci_low``, ``company_ci_high``: the same for the company;
        - ``key``: True for the item's ``key_option`` in the spec;
        - ``hidden``: suppression of the unit's cells (see ``disclosure.suppression``),
          within each item (the item's ``n`` is published) and across the
          units of the company (the company count is published in every
          unit's report, so differencing reports must not reveal a cell);
        - ``company_hidden``: suppression of the company's cells within each
          item (the company's n is published): a company count below ``k``
          is a small cell too, printed in every report.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019)
    >>> t = choice_table(ctx)
    >>> t.loc[t["item"] == "C1", ["option", "count", "n", "company_count", "company_n", "hidden"]]
    ... # doctest: +NORMALIZE_WHITESPACE
       option  count   n  company_count  company_n      hidden
    0       1     10  25            124        359
    1       2      6  25             90        359
    2       3      1  25             61        359       small
    3       4      5  25             55        359  complement
    4       5      3  25             29        359       small
    >>> t.loc[t["item"] == "C2", "hidden"].tolist()  # hidden cells sum to k or more
    ['complement', 'complement', '', '', 'small']
    """
    cols = ["item", "option", "count", "n", "share", "ci_low", "ci_high", "company_count", "company_n",
            "company_share", "company_ci_low", "company_ci_high", "key", "hidden", "company_hidden"]
    choices = ctx.spec.get("choices") or {}
    parts = []
    for item, choice in choices.items():
        if not _option_columns(ctx, item, choice):
            continue
        comp = choice_shares(ctx.responses, item, spec=ctx.spec, k=ctx.k)
        unit = choice_shares(ctx.unit, item, spec=ctx.spec, k=ctx.k)
        t = unit[["item", "option", "count", "n", "share", "ci_low", "ci_high"]].copy()
        for c in ("count", "n", "share", "ci_low", "ci_high"):
            t[f"company_{c}"] = comp[c].to_numpy()
        t["key"] = t["option"] == choice.get("key_option", None)
        parts.append(t)
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["hidden"] = _across_units(ctx, list(choices)).reindex(
        pd.MultiIndex.from_frame(out[["item", "option"]])).fillna("").to_numpy()
    out["company_hidden"] = suppression(out["company_count"], k=ctx.k, within=out["item"])
    return out[cols]


def _across_units(ctx: SurveyContext, items: list[str]) -> pd.Series:
    """Suppression of this unit's choice cells, protected across every unit's report.

    Each unit's report publishes its own item totals, and every report publishes
    the company count of each option; so a cell hidden in one unit's report could
    be recovered by subtracting the other units' shown cells from the company
    count. Suppression therefore runs on the whole unit × option table
    (:func:`grouplab.reports.common.disclosure.protect_table`): within each unit and item (rows)
    and within each option across units (columns), repeated until no group hides
    exactly one cell.

    Returns
    -------
    pandas.Series
        Indexed by (item, option): ``""``, ``"small"`` or ``"complement"``.
    """
    parts = []
    for item in items:
        tab = _unit_counts(ctx, item, ctx.spec["choices"][item])
        if tab is None:
            continue
        tab.index = tab.index.astype(str)
        long = tab.stack().rename("count").rename_axis(["unit_id", "option"]).reset_index()
        parts.append(long.assign(item=item))  # unit by unit, options in spec order
    if not parts:
        return pd.Series(dtype=object)
    t = pd.concat(parts, ignore_index=True)[["unit_id", "item", "option", "count"]]
    t["count"] = t["count"].astype(np.int64)
    t["hidden"] = protect_table(t, k=ctx.k, row_keys=["unit_id", "item"], col_keys=["item", "option"])
    mine = t[t["unit_id"] == str(ctx.unit_id)]
    return mine.set_index(["item", "option"])["hidden"]


def _option_columns(ctx: SurveyContext, item: str, choice: dict) -> list[str]:
    """The item's column, or a multi-select's ``item_<code>`` columns present in the answers."""
    if not choice.get("multiple"):
        return [item] if item in ctx.responses else []
    cols = [f"{item}_{o}" for o in (choice.get("options") or {})]
    return cols if cols and all(c in ctx.responses for c in cols) else []


def _unit_counts(ctx: SurveyContext, item: str, choice: dict) -> pd.DataFrame | None:
    """Choosers per unit (rows) and option (columns); ticks for a multi-select."""
    cols = _option_columns(ctx, item, choice)
    if not cols:
        return None
    options = list(choice.get("options") or {})
    resp = ctx.responses
    if choice.get("multiple"):
        ticks = resp[["unit_id", *cols]].dropna(subset=cols, how="all").fillna(0)
        tab = ticks.groupby("unit_id")[cols].sum()
        tab.columns = options
        return tab.astype(int)
    answered = resp[["unit_id", item]].dropna()
    tab = answered.groupby(["unit_id", item], sort=True).size().unstack(fill_value=0)
    return tab.reindex(columns=options, fill_value=0).astype(int)


def _t_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    if n < 2 or not np.isfinite(sd):
        return np.nan, np.nan
    half = float(stats.t.ppf(0.975, n - 1)) * sd / np.sqrt(n)
    return mean - half, mean + half


def scale_table(ctx: SurveyContext) -> pd.DataFrame:
    """Scale means of the unit and the company with t-based 95 % intervals.

    Returns
    -------
    pandas.DataFrame
        One row per scale in spec order:

        - ``scale``;
        - ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``: unit respondents
          with a score (:func:`grouplab.measures.survey.scales.score_scales`), mean, SD and
          interval;
        - ``company_n``, ``company_mean``, ``company_sd``, ``company_ci_low``,
          ``company_ci_high``: the same over the company;
        - ``diff``: ``mean − company_mean``;
        - ``company_in_ci``: the company mean lies inside the unit's interval;
        - ``hidden``: ``"small"`` when ``n < k``, ``"complement"`` when the
          unit's mean is hidden to protect another unit's (see Notes).

    Notes
    -----
    mean ± t(0.975, n − 1) · sd / √n.

    n × mean (and the sum of squares behind the SD) add up over units, and
    every report prints the company's n, mean and SD: if only one unit of the
    company hid its mean, the other reports would give it away. So which
    units hide a scale is decided once over all units
    (:func:`grouplab.reports.common.disclosure.suppression` of the units'
    n): the hidden units together hold at least ``k`` respondents, and
    never one alone.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019)
    >>> scale_table(ctx)[["scale", "n", "mean", "company_n", "company_mean"]].round(3)
          scale   n   mean  company_n  company_mean
    0   quality  25  3.590        363         3.620
    1  cohesion  25  3.483        363         3.639
    2    leader  25  3.617        363         3.581
    3     model  25  3.640        303         3.915
    4    safety  25  3.857        363         3.767
    """
    scored = score_scales(ctx.responses, ctx.spec)
    is_unit = (ctx.responses["unit_id"] == ctx.unit_id).to_numpy()
    status = _scale_status(ctx, scored)
    rows = []
    for scale in (ctx.spec.get("scales") or {}):
        row: dict[str, Any] = {"scale": scale}
        for prefix, mask in (("", is_unit), ("company_", np.ones(len(scored), bool))):
            y = scored.loc[mask, scale].dropna().to_numpy(dtype=float)
            n = len(y)
            mean = float(y.mean()) if n else np.nan
            sd = float(y.std(ddof=1)) if n > 1 else np.nan
            lo, hi = _t_interval(mean, sd, n)
            row.update({f"{prefix}n": n, f"{prefix}mean": mean, f"{prefix}sd": sd,
                        f"{prefix}ci_low": lo, f"{prefix}ci_high": hi})
        row["diff"] = row["mean"] - row["company_mean"]
        row["company_in_ci"] = bool(row["ci_low"] <= row["company_mean"] <= row["ci_high"])
        row["hidden"] = status.get(scale, "small" if row["n"] < ctx.k else "")
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "scale", "n", "mean", "sd", "ci_low", "ci_high", "company_n", "company_mean", "company_sd",
        "company_ci_low", "company_ci_high", "diff", "company_in_ci", "hidden"])


def _scale_status(ctx: SurveyContext, scored: pd.DataFrame) -> dict[str, str]:
    """This unit's suppression status per scale, decided over every unit's n (one protection per cell set)."""
    units = ctx.responses["unit_id"]
    mine = units.astype(object).where(units.notna(), None) == ctx.unit_id
    out = {}
    for scale in (ctx.spec.get("scales") or {}):
        if scale not in scored:
            continue
        n = scored[scale].notna().groupby(units.to_numpy()).sum()  # units with answers (None dropped)
        st = suppression(n, k=ctx.k)
        out[scale] = str(st.get(ctx.unit_id, "small" if int(scored.loc[mine, scale].notna().sum()) < ctx.k
                                 else ""))
    return out


def reliability_table(ctx: SurveyContext) -> pd.DataFrame:
    """Reliability of every scale in the unit's answers: α, ω, CITC, α-if-deleted.

    Returns
    -------
    pandas.DataFrame
        Per scale (spec order) one scale row then one row per item:

        - ``scale``; ``item`` (``None`` on the scale row); ``reversed``;
        - ``n``: respondents (scale row) or answers to the item;
        - ``alpha``, ``omega``: Cronbach's α and McDonald's ω total (scale
          row only, :func:`grouplab.measures.survey.reliability.reliability`, pairwise);
        - ``citc``, ``alpha_if_deleted``: item rows only
          (:func:`grouplab.measures.survey.reliability.item_statistics`);
        - ``hidden``: ``"small"`` for every row of a scale answered by fewer
          than ``k`` respondents.

    Examples
    --------
    >>> from grouplab.reports.survey import prepare
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019)
    >>> t = reliability_table(ctx)
    >>> t.loc[t["scale"] == "quality", ["item", "n", "alpha", "citc"]].round(3)
       item   n  alpha   citc
    0  None  25  0.773    NaN
    1    A1  25    NaN  0.666
    2    A2  25    NaN  0.618
    3    A3  25    NaN  0.423
    4    A4  25    NaN  0.655
    """
    cols = ["scale", "item", "reversed", "n", "alpha", "omega", "citc", "alpha_if_deleted", "hidden"]
    unit = ctx.unit
    rel = reliability(unit, ctx.spec).set_index("scale")
    its = item_statistics(unit, ctx.spec)
    parts = []
    for scale in rel.index:
        hidden = "small" if rel.loc[scale, "n"] < ctx.k else ""
        head = pd.DataFrame([{"scale": scale, "item": None, "reversed": False,
                              "n": int(rel.loc[scale, "n"]), "alpha": rel.loc[scale, "alpha"],
                              "omega": rel.loc[scale, "omega"], "citc": np.nan,
                              "alpha_if_deleted": np.nan, "hidden": hidden}])
        body = its.loc[its["scale"] == scale, ["scale", "item", "reversed", "n", "citc",
                                                "alpha_if_deleted"]].copy()
        body["alpha"] = np.nan
        body["omega"] = np.nan
        body["hidden"] = hidden
        parts += [head, body]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["item"] = out["item"].astype(object).where(out["item"].notna(), None)
    out["n"] = out["n"].astype(np.int64)
    return out

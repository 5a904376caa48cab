"""Member-survey report of one unit and wave (notebook ``04_survey_report``).

Three layers, compute first and format last:

- :func:`prepare` loads the dataset, checks the notebook parameters and keeps
  only what a report may use: unit, group and the questionnaire's items.
  Respondent identifiers, submission metadata and any free text are dropped
  here and never reach a table, figure or sentence.
- ``*_table`` functions compute numeric DataFrames (counts, Wilson shares,
  scale means with t intervals, reliability) with a ``hidden`` column saying
  which cells small-cell suppression hides (:func:`suppression`).
- ``format_*``, ``plot_*`` and ``interpret_*`` turn those into labelled tables,
  figures and one-sentence readings in zh or en (labels from the codebook and
  the questionnaire spec, phrases from :data:`PHRASES`). Hidden cells are
  blanked and marked, and sentences never quote them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ParameterError
from .io import Dataset, load_dataset
from .labels import check_lang, column_labels, phrase, spec_label
from .params import check_id, check_year
from .reliability import item_statistics, reliability
from .scales import choice_shares, score_scales

__all__ = [
    "PHRASES", "SurveyContext", "prepare", "suppression", "footnote",
    "response_counts", "choice_table", "scale_table", "reliability_table",
    "format_counts", "format_choices", "format_scales", "format_reliability",
    "plot_choices", "plot_scales",
    "interpret_counts", "interpret_choices", "interpret_scales", "interpret_reliability",
]

#: zh/en phrases of the survey report (keys are looked up with :func:`grouplab.labels.phrase`).
PHRASES: dict[str, dict[str, str]] = {
    "hidden": {"zh": "已隐去", "en": "hidden"},
    "total": {"zh": "合计", "en": "Total"},
    "no_group": {"zh": "未填党小组", "en": "Group not given"},
    "respondents": {"zh": "答卷人数", "en": "Respondents"},
    "rate": {"zh": "答卷率（%）", "en": "Response rate (%)"},
    "item": {"zh": "题目", "en": "Question"},
    "option": {"zh": "选项", "en": "Option"},
    "n_answered": {"zh": "本单位作答人数", "en": "Unit: answered"},
    "share": {"zh": "本单位占比（%）", "en": "Unit: share (%)"},
    "ci": {"zh": "本单位 95% 置信区间", "en": "Unit: 95% CI"},
    "company_share": {"zh": "全公司占比（%）", "en": "Company: share (%)"},
    "company_ci": {"zh": "全公司 95% 置信区间", "en": "Company: 95% CI"},
    "scale": {"zh": "量表", "en": "Scale"},
    "n_unit": {"zh": "本单位人数", "en": "Unit: n"},
    "mean_unit": {"zh": "本单位均值", "en": "Unit: mean"},
    "ci_unit": {"zh": "本单位 95% 置信区间", "en": "Unit: 95% CI"},
    "n_company": {"zh": "全公司人数", "en": "Company: n"},
    "mean_company": {"zh": "全公司均值", "en": "Company: mean"},
    "ci_company": {"zh": "全公司 95% 置信区间", "en": "Company: 95% CI"},
    "diff": {"zh": "差值（本单位−全公司）", "en": "Difference (unit − company)"},
    "n": {"zh": "人数", "en": "n"},
    "alpha": {"zh": "α 系数", "en": "Alpha"},
    "omega": {"zh": "ω 系数", "en": "Omega"},
    "citc": {"zh": "校正项总相关（CITC）", "en": "Corrected item–total r (CITC)"},
    "alpha_if_deleted": {"zh": "删除该题后的 α", "en": "Alpha if item deleted"},
    "reversed": {"zh": "（反向计分）", "en": " (reverse-keyed)"},
    "whole_scale": {"zh": "（整个量表）", "en": "(whole scale)"},
    "unit_series": {"zh": "{unit}", "en": "{unit}"},
    "company_series": {"zh": "全公司", "en": "Company"},
    "choices_title": {"zh": "{unit}（{wave}年）：各题关键选项占比及 95% 置信区间",
                      "en": "{unit} ({wave}): share choosing the key option, with 95% CI"},
    "share_axis": {"zh": "选择该选项的比例（%）", "en": "Share choosing the option (%)"},
    "scales_title": {"zh": "{unit}（{wave}年）：量表均值及 95% 置信区间",
                     "en": "{unit} ({wave}): scale means with 95% CI"},
    "mean_axis": {"zh": "均值（{lo}–{hi} 分，越高越好）", "en": "Mean ({lo}–{hi}, higher is better)"},
    "hidden_note": {"zh": "人数少于 {k}，已隐去", "en": "fewer than {k} answers: hidden"},
    "footnote": {"zh": "注：不足 {k} 人的格子，以及可由合计推算出这些格子的格子，均已隐去（标为“已隐去”）。",
                 "en": "Note: cells with fewer than {k} respondents, and cells from which a total would "
                       "reveal them, are hidden (marked 'hidden')."},
    "counts_sentence": {
        "zh": "{wave}年{unit}共有 {n} 人答卷（全公司 {n_company} 人）；{n_groups} 个党小组中有 {n_hidden} "
              "个的人数因不足 {k} 人或可被推算而隐去。",
        "en": "{n} members of {unit} answered in {wave} (company: {n_company}); the counts of {n_hidden} "
              "of {n_groups} groups are hidden because they are below {k} or could be worked out "
              "from the total."},
    "counts_small": {
        "zh": "{wave}年{unit}答卷人数不足 {k} 人，"
              "本报告不显示该单位的任何答卷结果（全公司 {n_company} 人）。",
        "en": "Fewer than {k} members of {unit} answered in {wave}: no results of the unit are shown "
              "(company: {n_company})."},
    "choices_sentence": {
        "zh": "与全公司差别最大的是“{item}”：本单位 {share}% 选择“{option}”，全公司为 {company}%"
              "（两者 95% 置信区间{overlap}）。",
        "en": "The largest difference from the company is on “{item}”: {share}% of the unit chose "
              "“{option}” against {company}% company-wide (the 95% CIs {overlap})."},
    "overlap": {"zh": "有重叠，差异可能只是抽样误差",
                "en": "overlap, so the difference may be sampling noise"},
    "no_overlap": {"zh": "不重叠", "en": "do not overlap"},
    "choices_none": {"zh": "本单位各题的关键选项占比均已隐去或无人作答。",
                     "en": "The unit's key-option shares are all hidden or unanswered."},
    "scales_sentence": {
        "zh": "本单位得分最高的是“{best}”（{best_mean}），最低的是“{worst}”（{worst_mean}）；"
              "{n_shown} 个可显示的量表中有 {n_above} 个高于全公司均值，"
              "其中 {n_outside} 个的全公司均值落在本单位 95% 置信区间之外。",
        "en": "The unit scores highest on “{best}” ({best_mean}) and lowest on “{worst}” ({worst_mean}); "
              "it is above the company mean on {n_above} of {n_shown} shown scales, and the company mean "
              "lies outside the unit's 95% CI for {n_outside} of them."},
    "scales_none": {"zh": "本单位没有可显示的量表均值。", "en": "No scale mean of the unit can be shown."},
    "rel_sentence": {
        "zh": "本单位答卷中，α 系数在 {lo}（“{lo_scale}”）到 {hi}（“{hi_scale}”）之间，"
              "{n_ok} 个量表达到 0.70。",
        "en": "In the unit's answers, alpha ranges from {lo} (“{lo_scale}”) to {hi} (“{hi_scale}”); "
              "{n_ok} of {n_shown} scales reach 0.70."},
    "rel_none": {"zh": "本单位答卷人数太少，不计算信度。",
                 "en": "Too few answers in the unit to compute reliability."},
}

_REPORT_COLUMNS = ("unit_id", "group_id")


@dataclass(frozen=True, repr=False)
class SurveyContext:
    """Checked parameters and the answers a survey report may use.

    Attributes
    ----------
    responses : pandas.DataFrame
        The wave's answers of the whole company: ``unit_id``, ``group_id`` and
        the questionnaire's scale and choice items only (no respondent ids,
        times, sources or free text).
    groups : pandas.DataFrame
        The unit's groups: ``group_id``, ``name``, ``members``.
    spec : dict
        The questionnaire spec.
    unit_id, unit_name : str
    wave : int
    lang : {"zh", "en"}
    k : int
        Minimum cell size of small-cell suppression.
    """

    responses: pd.DataFrame
    groups: pd.DataFrame
    spec: dict
    unit_id: str
    unit_name: str
    wave: int
    lang: str
    k: int = 5

    def __repr__(self) -> str:
        return (f"SurveyContext(unit_id={self.unit_id!r}, wave={self.wave}, lang={self.lang!r}, "
                f"k={self.k}, respondents={len(self.responses)})")

    @property
    def unit(self) -> pd.DataFrame:
        """Answers of the unit."""
        return self.responses[self.responses["unit_id"] == self.unit_id]


def _load(data: str | Path | Dataset) -> Dataset:
    if isinstance(data, Dataset):
        return data
    from .quality import resolve_data_dir

    return load_dataset(resolve_data_dir(data))


def _items(spec: Mapping[str, Any]) -> list[str]:
    out = [str(i) for s in (spec.get("scales") or {}).values() for i in s["items"]]
    return out + [str(c) for c in (spec.get("choices") or {})]


def prepare(data: str | Path | Dataset, *, unit_id: Any, wave: Any, lang: Any = "zh",
            k: int = 5) -> SurveyContext:
    """Load the dataset and check the notebook's parameters in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    unit_id : str or int
        A unit with answers in ``wave`` (an int from papermill is matched back
        to the id with the same digits).
    wave : int or str
        Survey year.
    lang : {"zh", "en"}
    k : int, default 5
        Minimum cell size.

    Returns
    -------
    SurveyContext

    Raises
    ------
    ParameterError
        Unknown unit (the message lists the units with answers), a wave
        without answers, an unknown ``lang``, ``k < 1``, or a dataset without
        a survey or questionnaire.
    DataError
        The dataset does not load.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave="2019", lang="en")
    >>> ctx
    SurveyContext(unit_id='WA01', wave=2019, lang='en', k=5, respondents=363)
    >>> "respondent_id" in ctx.responses.columns
    False
    """
    lang = check_lang(lang)
    if int(k) < 1:
        raise ParameterError(f"k={k!r}: the minimum cell size must be at least 1 (default 5)")
    ds = _load(data)
    if "survey" not in ds.tables or ds.questionnaire is None:
        raise ParameterError("this dataset has no member survey with a questionnaire spec; "
                             "choose a dataset whose dataset.yml names both")
    survey = ds.tables["survey"]
    wave = check_year(wave, survey["wave"].dropna().astype(int), name="wave")
    in_wave = survey[survey["wave"].astype(int) == wave]
    unit_id = check_id(unit_id, in_wave["unit_id"].dropna().astype(str), name="unit_id")
    spec = ds.questionnaire
    keep = [c for c in (*_REPORT_COLUMNS, *_items(spec)) if c in in_wave.columns]
    responses = in_wave.loc[:, keep].reset_index(drop=True)
    for c in _REPORT_COLUMNS:
        if c in responses:
            responses[c] = responses[c].astype(object).where(responses[c].notna(), None)
    units = ds.tables["units"]
    name = units.loc[units["unit_id"].astype(str) == unit_id, "name"]
    groups = ds.tables["groups"]
    groups = (groups.loc[groups["unit_id"].astype(str) == unit_id, ["group_id", "name", "members"]]
              .sort_values("group_id", ignore_index=True))
    return SurveyContext(responses=responses, groups=groups, spec=spec, unit_id=unit_id,
                         unit_name=str(name.iloc[0]) if len(name) else unit_id, wave=wave,
                         lang=lang, k=int(k))


# --------------------------------------------------------------------------- suppression
def suppression(counts: pd.Series, *, k: int = 5, within: pd.Series | None = None) -> pd.Series:
    """Cells to hide: small cells and the complementary cells that protect them.

    Parameters
    ----------
    counts : pandas.Series
        Respondents behind each cell. Cells in one ``within`` group add up to
        a total that is published.
    k : int, default 5
        Minimum cell size.
    within : pandas.Series, optional
        Group of each cell (e.g. the question); default: one group.

    Returns
    -------
    pandas.Series
        Same index as ``counts``, str: ``""`` (shown), ``"small"`` (primary:
        ``0 < count < k``, or every cell of a group whose total is below
        ``k``) or ``"complement"`` (hidden so the total does not reveal a
        small cell).

    Notes
    -----
    A published total minus the shown cells gives the sum of the hidden
    ones, so a group must never hide exactly one cell. When it would, the
    smallest shown cell with a positive count is hidden too (complementary
    suppression, Hundepool et al. 2012, ch. 4).
    Zero cells are not primary-suppressed unless the group total is below ``k``.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.

    Examples
    --------
    >>> suppression(pd.Series([12, 3, 8, 20])).tolist()
    ['', 'small', 'complement', '']
    >>> suppression(pd.Series([2, 1, 0])).tolist()
    ['small', 'small', 'small']
    """
    c = pd.to_numeric(counts, errors="coerce").fillna(0).astype(float)
    groups = within if within is not None else pd.Series(0, index=c.index)
    out = pd.Series("", index=c.index, dtype=object)
    for _, idx in c.groupby(groups.to_numpy(), sort=True).groups.items():
        cg = c.loc[idx]
        if cg.sum() < k:
            out.loc[idx] = "small"
            continue
        small = (cg > 0) & (cg < k)
        out.loc[cg.index[small.to_numpy()]] = "small"
        if int(small.sum()) == 1:
            # the total is >= k, so some other cell is positive
            shown = cg[~small & (cg > 0)]
            out.loc[shown.sort_values(kind="stable").index[0]] = "complement"
    return out


# --------------------------------------------------------------------------- compute
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
          (see :func:`suppression`; the total row is hidden when below k).

    Examples
    --------
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
        - ``hidden``: suppression of the unit's cells (see :func:`suppression`),
          within each item (the item's ``n`` is published) and across the
          units of the company (the company count is published in every
          unit's report, so differencing reports must not reveal a cell).

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019)
    >>> t = choice_table(ctx)
    >>> t.loc[t["item"] == "C1", ["option", "count", "n", "company_count", "company_n", "hidden"]]
    ... # doctest: +NORMALIZE_WHITESPACE
       option  count   n  company_count  company_n hidden
    0       1     10  25            124        359
    1       2      6  25             90        359
    2       3      1  25             61        359  small
    3       4      5  25             55        359
    4       5      3  25             29        359  small
    >>> t.loc[t["item"] == "C2", "hidden"].tolist()  # one small cell: its complement is hidden too
    ['complement', '', '', '', 'small']
    """
    cols = ["item", "option", "count", "n", "share", "ci_low", "ci_high", "company_count", "company_n",
            "company_share", "company_ci_low", "company_ci_high", "key", "hidden"]
    choices = ctx.spec.get("choices") or {}
    parts = []
    for item, choice in choices.items():
        if item not in ctx.responses:
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
    return out[cols]


def _across_units(ctx: SurveyContext, items: list[str]) -> pd.Series:
    """Suppression of this unit's choice cells, protected across every unit's report.

    Each unit's report publishes its own item totals, and every report publishes
    the company count of each option; so a cell hidden in one unit's report could
    be recovered by subtracting the other units' shown cells from the company
    count. Suppression therefore runs on the whole unit × option table: within
    each unit and item (rows) and within each option across units (columns),
    repeated until no group hides exactly one cell.

    Returns
    -------
    pandas.Series
        Indexed by (item, option): ``""``, ``"small"`` or ``"complement"``.
    """
    resp = ctx.responses
    cells = []
    for item in items:
        if item not in resp:
            continue
        options = list((ctx.spec["choices"][item].get("options") or {}))
        answered = resp[["unit_id", item]].dropna()
        tab = pd.crosstab(answered["unit_id"], answered[item]).reindex(columns=options, fill_value=0)
        for unit, row in tab.iterrows():
            for option, count in row.items():
                cells.append((str(unit), item, option, int(count)))
    if not cells:
        return pd.Series(dtype=object)
    t = pd.DataFrame(cells, columns=["unit_id", "item", "option", "count"])
    t["hidden"] = suppression(t["count"], k=ctx.k, within=t["unit_id"] + "\0" + t["item"])
    for _ in range(50):  # alternate row and column passes until stable
        changed = False
        for keys in (["item", "option"], ["unit_id", "item"]):
            for _, idx in t.groupby(keys, sort=True).groups.items():
                g = t.loc[idx]
                hidden = g["hidden"] != ""
                if int(hidden.sum()) == 1 and (~hidden).any():
                    # hide the smallest shown cell, a positive one if there is one (a shown
                    # zero would still let the total minus the shown cells reveal the hidden one)
                    shown = g[~hidden]
                    order = pd.DataFrame({"zero": shown["count"] == 0, "count": shown["count"]})
                    pick = order.sort_values(["zero", "count"], kind="stable").index[0]
                    t.loc[pick, "hidden"] = "complement"
                    changed = True
        if not changed:
            break
    mine = t[t["unit_id"] == str(ctx.unit_id)]
    return mine.set_index(["item", "option"])["hidden"]


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
          with a score (:func:`grouplab.scales.score_scales`), mean, SD and
          interval;
        - ``company_n``, ``company_mean``, ``company_sd``, ``company_ci_low``,
          ``company_ci_high``: the same over the company;
        - ``diff``: ``mean − company_mean``;
        - ``company_in_ci``: the company mean lies inside the unit's interval;
        - ``hidden``: ``"small"`` when ``n < k`` (means are not additive, so
          no complementary suppression is needed).

    Notes
    -----
    mean ± t(0.975, n − 1) · sd / √n.

    Examples
    --------
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
        row["hidden"] = "small" if row["n"] < ctx.k else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "scale", "n", "mean", "sd", "ci_low", "ci_high", "company_n", "company_mean", "company_sd",
        "company_ci_low", "company_ci_high", "diff", "company_in_ci", "hidden"])


def reliability_table(ctx: SurveyContext) -> pd.DataFrame:
    """Reliability of every scale in the unit's answers: α, ω, CITC, α-if-deleted.

    Returns
    -------
    pandas.DataFrame
        Per scale (spec order) one scale row then one row per item:

        - ``scale``; ``item`` (``None`` on the scale row); ``reversed``;
        - ``n``: respondents (scale row) or answers to the item;
        - ``alpha``, ``omega``: Cronbach's α and McDonald's ω total (scale
          row only, :func:`grouplab.reliability.reliability`, pairwise);
        - ``citc``, ``alpha_if_deleted``: item rows only
          (:func:`grouplab.reliability.item_statistics`);
        - ``hidden``: ``"small"`` for every row of a scale answered by fewer
          than ``k`` respondents.

    Examples
    --------
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


# --------------------------------------------------------------------------- format
def _num(x: Any, digits: int) -> str:
    return "" if x is None or not np.isfinite(float(x)) else f"{float(x):.{digits}f}"


def _pct(x: Any) -> str:
    return _num(100 * float(x), 1) if x is not None and np.isfinite(float(x)) else ""


def _ci(lo: Any, hi: Any, *, pct: bool = False, digits: int = 2) -> str:
    a, b = (_pct(lo), _pct(hi)) if pct else (_num(lo, digits), _num(hi, digits))
    return f"{a}–{b}" if a and b else ""


def _scale_name(spec: Mapping, scale: str, lang: str) -> str:
    return spec_label((spec.get("scales") or {}).get(scale), lang, scale)


def _item_name(spec: Mapping, item: str, lang: str) -> str:
    return f"{item} {spec_label((spec.get('items') or {}).get(item), lang, '')}".strip()


def _option_name(spec: Mapping, item: str, option: Any, lang: str) -> str:
    opts = ((spec.get("choices") or {}).get(item) or {}).get("options") or {}
    entry = opts.get(option, opts.get(str(option)))
    return f"{option} {spec_label(entry, lang, '')}".strip()


def _question(spec: Mapping, item: str, lang: str) -> str:
    return f"{item} {spec_label((spec.get('choices') or {}).get(item), lang, '')}".strip()


def _shown(value: str, hidden: str, mark: str) -> str:
    return mark if hidden else value


def format_counts(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`response_counts` in ``ctx.lang``: hidden cells marked.

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): group ID, group name, members,
        respondents, response rate (%) — all text.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> format_counts(response_counts(ctx), ctx).iloc[[0, 3, 4]]
      Group ID Group name Members Respondents Response rate (%)
    0     G001  线路运行一班党小组       3      hidden            hidden
    3     G004  线路检修二班党小组      10           8              80.0
    4               Total      28          25              89.3
    """
    L = ctx.lang
    labels = column_labels("groups", L)
    mark = phrase(PHRASES, "hidden", L)
    rows = []
    for r in table.itertuples(index=False):
        name = r.name if r.row == "group" else phrase(PHRASES, "no_group" if r.row == "no_group"
                                                      else "total", L)
        rows.append({
            labels["group_id"]: r.group_id or "",
            labels["name"]: name,
            labels["members"]: "" if pd.isna(r.members) else str(int(r.members)),
            phrase(PHRASES, "respondents", L): _shown(str(r.respondents), r.hidden, mark),
            phrase(PHRASES, "rate", L): _shown(_pct(r.rate), r.hidden, mark),
        })
    return pd.DataFrame(rows, columns=[labels["group_id"], labels["name"], labels["members"],
                                       phrase(PHRASES, "respondents", L), phrase(PHRASES, "rate", L)])


def format_choices(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`choice_table`: shares in % (1 decimal), CIs, hidden cells marked.

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): question, option, unit answers,
        unit share (%), unit 95 % CI, company share (%), company 95 % CI — all text.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["item", "option", "n_answered", "share", "ci", "company_share", "company_ci"]
    rows = []
    for r in table.itertuples(index=False):
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _question(ctx.spec, r.item, L), _option_name(ctx.spec, r.item, r.option, L),
            str(int(r.n)) if int(r.n) >= ctx.k else mark,
            _shown(_pct(r.share), r.hidden, mark),
            _shown(_ci(r.ci_low, r.ci_high, pct=True), r.hidden, mark),
            _pct(r.company_share), _ci(r.company_ci_low, r.company_ci_high, pct=True)])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


def format_scales(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`scale_table` (means with 2 decimals).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): scale, unit n, unit mean, unit 95 % CI,
        company n, company mean, company 95 % CI, difference — all text.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["scale", "n_unit", "mean_unit", "ci_unit", "n_company", "mean_company", "ci_company", "diff"]
    rows = []
    for r in table.itertuples(index=False):
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _scale_name(ctx.spec, r.scale, L), _shown(str(r.n), r.hidden, mark),
            _shown(_num(r.mean, 2), r.hidden, mark), _shown(_ci(r.ci_low, r.ci_high), r.hidden, mark),
            str(r.company_n), _num(r.company_mean, 2), _ci(r.company_ci_low, r.company_ci_high),
            _shown(_num(r.diff, 2), r.hidden, mark)])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


def format_reliability(table: pd.DataFrame, ctx: SurveyContext) -> pd.DataFrame:
    """Display table of :func:`reliability_table` (3 decimals).

    Returns
    -------
    pandas.DataFrame
        Columns (labels in ``ctx.lang``): scale, question, n, α, ω, CITC,
        α if item deleted — all text; scale rows carry α and ω, item rows
        CITC and α-if-deleted.
    """
    L = ctx.lang
    mark = phrase(PHRASES, "hidden", L)
    keys = ["scale", "item", "n", "alpha", "omega", "citc", "alpha_if_deleted"]
    rows = []
    for r in table.itertuples(index=False):
        item = (phrase(PHRASES, "whole_scale", L) if r.item is None else
                _item_name(ctx.spec, r.item, L) + (phrase(PHRASES, "reversed", L) if r.reversed else ""))
        values = [_num(getattr(r, c), 3) for c in ("alpha", "omega", "citc", "alpha_if_deleted")]
        rows.append(dict(zip([phrase(PHRASES, k, L) for k in keys], [
            _scale_name(ctx.spec, r.scale, L), item, _shown(str(r.n), r.hidden, mark),
            *[_shown(v, r.hidden, mark) if v or r.hidden else "" for v in values]])))
    return pd.DataFrame(rows, columns=[phrase(PHRASES, k, L) for k in keys])


# --------------------------------------------------------------------------- figures
def _unit_label(ctx: SurveyContext) -> str:
    return f"{ctx.unit_id} {ctx.unit_name}"


def _dot_plot(ax, labels, unit, company, ctx, *, scale: float, xlabel: str, xlim) -> None:
    """Unit and company points with CI bars, one row per label; hidden rows annotated."""
    y = np.arange(len(labels))[::-1]
    for (mean, lo, hi, hidden), yy in zip(unit, y):
        if not hidden and np.isfinite(mean):
            ax.errorbar(mean * scale, yy + 0.15, xerr=[[(mean - lo) * scale], [(hi - mean) * scale]],
                        fmt="o", color="C0", capsize=3)
        else:
            ax.text(xlim[0], yy + 0.15, " " + phrase(PHRASES, "hidden_note", ctx.lang, k=ctx.k),
                    va="center", fontsize=8, color="C0")
    for (mean, lo, hi), yy in zip(company, y):
        if np.isfinite(mean):
            ax.errorbar(mean * scale, yy - 0.15, xerr=[[(mean - lo) * scale], [(hi - mean) * scale]],
                        fmt="s", color="C1", capsize=3)
    ax.set_yticks(y, labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel(xlabel)
    from matplotlib.lines import Line2D

    ax.legend([Line2D([], [], marker="o", color="C0", ls=""), Line2D([], [], marker="s", color="C1", ls="")],
              [_unit_label(ctx), phrase(PHRASES, "company_series", ctx.lang)], loc="lower right",
              fontsize=8)


def _short(text: str, width: int = 18) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_choices(table: pd.DataFrame, ctx: SurveyContext):
    """Key option of every choice item: unit vs company share with Wilson 95 % CIs.

    Returns
    -------
    matplotlib.figure.Figure
        Hidden unit cells are not drawn but annotated.
    """
    import matplotlib.pyplot as plt

    t = table[table["key"]]
    labels = [_short(f"{r.item}：" + spec_label(
        ctx.spec["choices"][r.item]["options"].get(r.option), ctx.lang, str(r.option)))
        for r in t.itertuples(index=False)]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(t) + 1.6))
    _dot_plot(ax, labels,
              list(zip(t["share"], t["ci_low"], t["ci_high"], t["hidden"].astype(bool))),
              list(zip(t["company_share"], t["company_ci_low"], t["company_ci_high"])), ctx,
              scale=100, xlabel=phrase(PHRASES, "share_axis", ctx.lang), xlim=(0, 100))
    ax.set_title(phrase(PHRASES, "choices_title", ctx.lang, unit=_unit_label(ctx), wave=ctx.wave))
    fig.tight_layout()
    return fig


def plot_scales(table: pd.DataFrame, ctx: SurveyContext):
    """Scale means of the unit vs the company with 95 % CIs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    lo, hi = ctx.spec["range"]
    labels = [_scale_name(ctx.spec, s, ctx.lang) for s in table["scale"]]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.6))
    _dot_plot(ax, labels,
              list(zip(table["mean"], table["ci_low"], table["ci_high"], table["hidden"].astype(bool))),
              list(zip(table["company_mean"], table["company_ci_low"], table["company_ci_high"])), ctx,
              scale=1, xlabel=phrase(PHRASES, "mean_axis", ctx.lang, lo=f"{lo:g}", hi=f"{hi:g}"),
              xlim=(lo, hi))
    ax.set_title(phrase(PHRASES, "scales_title", ctx.lang, unit=_unit_label(ctx), wave=ctx.wave))
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- sentences
def footnote(ctx: SurveyContext) -> str:
    """The suppression note in ``ctx.lang``."""
    return phrase(PHRASES, "footnote", ctx.lang, k=ctx.k)


def interpret_counts(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence on who answered (never quoting a hidden count).

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> interpret_counts(response_counts(ctx), ctx)  # doctest: +NORMALIZE_WHITESPACE
    '25 members of WA01 输电运检一工区 answered in 2019 (company: 363); the counts of 2 of 4 groups
    are hidden because they are below 5 or could be worked out from the total.'
    """
    total = table[table["row"] == "total"].iloc[0]
    values = {"unit": _unit_label(ctx), "wave": ctx.wave, "k": ctx.k, "n_company": len(ctx.responses)}
    if total["hidden"]:
        return phrase(PHRASES, "counts_small", ctx.lang, **values)
    groups = table[table["row"] == "group"]
    return phrase(PHRASES, "counts_sentence", ctx.lang, n=int(total["respondents"]),
                  n_groups=len(groups), n_hidden=int((groups["hidden"] != "").sum()), **values)


def interpret_choices(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence: the key option where the unit differs most from the company.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_choices(choice_table(ctx), ctx))  # doctest: +ELLIPSIS
    The largest difference from the company is on “C3 What is ...”: 37.5% of the unit chose ...
    """
    t = table[table["key"] & (table["hidden"] == "") & table["share"].notna()]
    if t.empty:
        return phrase(PHRASES, "choices_none", ctx.lang)
    gap = (t["share"] - t["company_share"]).abs()
    r = t.loc[gap.sort_values(ascending=False, kind="stable").index[0]]
    overlap = r["ci_low"] <= r["company_ci_high"] and r["company_ci_low"] <= r["ci_high"]
    return phrase(PHRASES, "choices_sentence", ctx.lang, item=_question(ctx.spec, r["item"], ctx.lang),
                  option=spec_label(ctx.spec["choices"][r["item"]]["options"].get(r["option"]), ctx.lang),
                  share=_pct(r["share"]), company=_pct(r["company_share"]),
                  overlap=phrase(PHRASES, "overlap" if overlap else "no_overlap", ctx.lang))


def interpret_scales(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence: highest and lowest scale, how many above the company mean.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_scales(scale_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    The unit scores highest on “Safety responsibility” (3.86) and lowest on “Group cohesion”
    (3.48); it is above the company mean on 2 of 5 shown scales, and the company mean lies
    outside the unit's 95% CI for 0 of them.
    """
    t = table[(table["hidden"] == "") & table["mean"].notna()]
    if t.empty:
        return phrase(PHRASES, "scales_none", ctx.lang)
    order = t.sort_values("mean", ascending=False, kind="stable")
    best, worst = order.iloc[0], order.iloc[-1]
    return phrase(PHRASES, "scales_sentence", ctx.lang,
                  best=_scale_name(ctx.spec, best["scale"], ctx.lang), best_mean=_num(best["mean"], 2),
                  worst=_scale_name(ctx.spec, worst["scale"], ctx.lang), worst_mean=_num(worst["mean"], 2),
                  n_shown=len(t), n_above=int((t["diff"] > 0).sum()),
                  n_outside=int((~t["company_in_ci"]).sum()))


def interpret_reliability(table: pd.DataFrame, ctx: SurveyContext) -> str:
    """One sentence on the range of α across the shown scales.

    Examples
    --------
    >>> ctx = prepare("demo", unit_id="WA01", wave=2019, lang="en")
    >>> print(interpret_reliability(reliability_table(ctx), ctx))  # doctest: +NORMALIZE_WHITESPACE
    In the unit's answers, alpha ranges from 0.77 (“Quality of organisational life”) to 0.89
    (“Group cohesion”); 5 of 5 scales reach 0.70.
    """
    t = table[table["item"].isna() & (table["hidden"] == "") & table["alpha"].notna()]
    if t.empty:
        return phrase(PHRASES, "rel_none", ctx.lang)
    order = t.sort_values("alpha", kind="stable")
    lo, hi = order.iloc[0], order.iloc[-1]
    return phrase(PHRASES, "rel_sentence", ctx.lang, lo=_num(lo["alpha"], 2),
                  lo_scale=_scale_name(ctx.spec, lo["scale"], ctx.lang), hi=_num(hi["alpha"], 2),
                  hi_scale=_scale_name(ctx.spec, hi["scale"], ctx.lang),
                  n_ok=int((t["alpha"].round(2) >= 0.70).sum()), n_shown=len(t))

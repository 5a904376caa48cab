"""Labels, rounding, figures and sentences of the meeting-records report (zh/en, from :mod:`.phrases`)."""

from __future__ import annotations

import pandas as pd

from grouplab.reports.common.labels import phrase, sheet_namer
from grouplab.reports.meeting_records import tables as t
from grouplab.reports.meeting_records.context import MeetingRecords
from grouplab.reports.meeting_records.phrases import PHRASES

__all__ = ["summary", "shares_table", "plot_shares", "runs_table", "quotes_table", "agreement_table",
           "unplaced_table", "sheet_name", "code_label", "rule_label"]


sheet_name = sheet_namer(PHRASES)


def code_label(ctx: MeetingRecords, code: str) -> str:
    """A code's label in the report's language (from the codebook)."""
    spec = ctx.codes.get(code, {})
    return str(spec.get(ctx.lang) or spec.get("en") or code)


def rule_label(ctx: MeetingRecords, rule: str) -> str:
    """A rule's short label in the report's language, from the codebook (the text before its colon or
    dash: ``点名具体不足``, ``A concrete shortcoming named``)."""
    spec = (ctx.rules or {}).get(rule, {})
    text = str(spec.get(ctx.lang) or spec.get("en") or rule)
    return text.split("：")[0].split(" — ")[0].strip()


def _p(ctx: MeetingRecords, key: str, **values) -> str:
    return phrase(PHRASES, key, ctx.lang, **values)


def summary(ctx: MeetingRecords) -> str:
    """One sentence: records of the year and the share of each code."""
    c = ctx.coded[pd.to_datetime(ctx.coded["date"]).dt.year == ctx.year]
    ok = c["status"].eq("coded")
    lost = 0 if ctx.unplaced is None else len(ctx.unplaced)
    tail = (" " if ctx.lang == "en" else "") + _p(ctx, "unplaced", n=lost, year=ctx.year) if lost else ""
    if not ok.any():
        return _p(ctx, "no_records", unit=ctx.unit_name, year=ctx.year) + tail
    pct = {code: 100 * c.loc[ok, code].astype(float).mean() for code in ctx.codes}
    return _p(ctx, "summary", unit=ctx.unit_name, year=ctx.year, n=len(c), n_groups=c["group_id"].nunique(),
              n_coded=int(ok.sum()), praise=pct.get("praise_over_criticism", float("nan")),
              form=pct.get("form_over_substance", float("nan")),
              chat=pct.get("chat_over_solving", float("nan"))) + tail


def shares_table(ctx: MeetingRecords) -> pd.DataFrame:
    """Shares by group and quarter, in percent (one decimal), labelled."""
    s = t.quarter_shares(ctx)
    out = pd.DataFrame({_p(ctx, "group"): s["name"], _p(ctx, "quarter"): s["quarter"],
                        _p(ctx, "records"): s["records"], _p(ctx, "coded"): s["coded"]})
    for code in ctx.codes:
        out[_p(ctx, "share", code=code_label(ctx, code))] = (100 * s[code]).round(1)
    return out


def plot_shares(ctx: MeetingRecords):
    """Line chart: share of the unit's coded records with each code, by quarter of the year."""
    import matplotlib.pyplot as plt

    from grouplab.reports.common.plots import use_theme

    use_theme()
    c = ctx.coded[(pd.to_datetime(ctx.coded["date"]).dt.year == ctx.year) & ctx.coded["status"].eq("coded")]
    q = pd.to_datetime(c["date"]).dt.quarter
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for code in ctx.codes:
        share = c[code].astype(float).groupby(q).mean() * 100
        ax.plot(share.index, share.to_numpy(), marker="o", label=code_label(ctx, code))
    ax.set_xticks([1, 2, 3, 4])
    ax.set_xlabel(_p(ctx, "quarter"))
    ax.set_ylabel(_p(ctx, "plot_y"))
    ax.set_ylim(0, 100)
    ax.set_title(_p(ctx, "plot_title", unit=ctx.unit_name, year=ctx.year))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def runs_table(ctx: MeetingRecords) -> tuple[pd.DataFrame, str]:
    """Groups with document-study-only records 3+ months running, and a sentence."""
    r = t.study_only_runs(ctx)
    table = pd.DataFrame({_p(ctx, "group"): r["name"], _p(ctx, "start"): r["start"], _p(ctx, "end"): r["end"],
                          _p(ctx, "months"): r["months"]})
    if r.empty:
        return table, _p(ctx, "no_runs")
    names = ("、" if ctx.lang == "zh" else ", ").join(dict.fromkeys(r["name"].astype(str)))
    return table, _p(ctx, "runs", n=r["group_id"].nunique(), names=names)


def quotes_table(ctx: MeetingRecords) -> tuple[pd.DataFrame, str]:
    """Masked evidence sentences of the year (a few per code), and a note.

    The sentences are the records' own words (Chinese): the en report lists the decisions without
    them and says so.
    """
    e = t.evidence_rows(ctx)
    table = pd.DataFrame({_p(ctx, "code_problem"): [code_label(ctx, c) for c in e["code"]],
                          _p(ctx, "group"): e["name"],
                          _p(ctx, "date"): pd.to_datetime(e["date"]).dt.strftime("%Y-%m-%d"),
                          _p(ctx, "decision"): _p(ctx, "absent"),
                          _p(ctx, "rule"): [rule_label(ctx, r) for r in e["rule"]]})
    if ctx.lang == "zh":
        table[_p(ctx, "evidence")] = e["evidence"].to_numpy()
    return table, _p(ctx, "quotes_zh_only")


def agreement_table(ctx: MeetingRecords) -> tuple[pd.DataFrame | None, str]:
    """Agreement of the hand-coded sample (alpha, CI, kappa, verdict, machine kappa, F1) and a sentence."""
    a = t.agreement_rows(ctx)
    if a is None:
        return None, _p(ctx, "no_agreement", command="grouplab minutes sample", file=t.WORKBOOK,
                        manifest="dataset.yml")
    verdicts = PHRASES["verdicts"][ctx.lang]
    table = pd.DataFrame({
        _p(ctx, "code"): [code_label(ctx, c) for c in a["code"]],
        _p(ctx, "alpha"): a["alpha"].round(3),
        _p(ctx, "alpha_ci"): [f"[{lo:.2f}, {hi:.2f}]" for lo, hi in zip(a["alpha_lo"], a["alpha_hi"])],
        _p(ctx, "kappa"): a["kappa"].round(3),
        _p(ctx, "verdict"): [verdicts[v] for v in a["verdict"]],
        _p(ctx, "machine_kappa"): a["machine_kappa"].round(3), _p(ctx, "f1"): a["machine_f1"].round(3)})
    lines = ("；" if ctx.lang == "zh" else "; ").join(
        _p(ctx, "agreement_line", code=code_label(ctx, c), alpha=al, verdict=verdicts[v])
        for c, al, v in zip(a["code"], a["alpha"], a["verdict"]))
    n_missing = int(ctx.agreement.get("missing_adjudications") or 0)
    missing = _p(ctx, "missing_adjudications", n=n_missing) if n_missing else ""
    return table, _p(ctx, "agreement", n=int(a["units"].max()), lines=lines,
                     file=ctx.agreement.get("file", t.WORKBOOK), missing=missing)


def unplaced_table(ctx: MeetingRecords) -> tuple[pd.DataFrame | None, str]:
    """Records of the year whose group is not in the roster (name as written, closest names, the
    record's start masked), and a sentence; None when every record was placed."""
    u = t.unplaced_rows(ctx)
    if u.empty:
        return None, _p(ctx, "no_unplaced")
    table = pd.DataFrame({_p(ctx, "as_written"): u["group_name"],
                          _p(ctx, "date"): pd.to_datetime(u["date"]).dt.strftime("%Y-%m-%d"),
                          _p(ctx, "closest"): u["candidates"]})
    if ctx.lang == "zh":
        table[_p(ctx, "snippet")] = u["snippet"].to_numpy()
    return table, _p(ctx, "unplaced", n=len(u), year=ctx.year)

"""Numbers of the meeting-records report (never rounded): shares, study-only runs, quotes, agreement."""

from __future__ import annotations

import pandas as pd

from grouplab.reports.meeting_records.context import WORKBOOK, MeetingRecords

__all__ = ["quarter_shares", "study_only_runs", "evidence_rows", "agreement_rows", "unplaced_rows",
           "RUN_MONTHS", "SNIPPET", "WORKBOOK"]

#: months running of document-study-only records that the report lists
RUN_MONTHS = 3
#: characters of a record shown where its group could not be placed (names masked)
SNIPPET = 40


def _year(ctx: MeetingRecords) -> pd.DataFrame:
    c = ctx.coded
    return c[pd.to_datetime(c["date"]).dt.year == ctx.year]


def quarter_shares(ctx: MeetingRecords) -> pd.DataFrame:
    """Per group and quarter of the year: records, coded records, share TRUE of each code.

    Returns
    -------
    pandas.DataFrame
        ``group_id``, ``name``, ``quarter`` (1–4), ``records``, ``coded``, then one column per code
        (share of coded records where the problem is present, 0–1; NaN when none is coded).
    """
    c = _year(ctx).assign(quarter=lambda d: pd.to_datetime(d["date"]).dt.quarter)
    rows = []
    for (gid, name, q), part in c.groupby(["group_id", "name", "quarter"], sort=True):
        ok = part["status"].eq("coded")
        rows.append({"group_id": gid, "name": name, "quarter": int(q), "records": len(part),
                     "coded": int(ok.sum()),
                     **{code: float(part.loc[ok, code].astype(float).mean()) if ok.any() else float("nan")
                        for code in ctx.codes}})
    return pd.DataFrame(rows, columns=["group_id", "name", "quarter", "records", "coded", *ctx.codes])


def study_only_runs(ctx: MeetingRecords, months: int = RUN_MONTHS) -> pd.DataFrame:
    """Runs of consecutive months (touching the year) in which every coded record of a group has
    ``form_over_substance`` TRUE (document study and formalities only); a month without records ends a run.

    Returns
    -------
    pandas.DataFrame
        ``group_id``, ``name``, ``start``, ``end`` (months, ``YYYY-MM``), ``months``.
    """
    c = ctx.coded[ctx.coded["status"].eq("coded")].copy()
    c["month"] = pd.to_datetime(c["date"]).dt.to_period("M")
    rows = []
    for (gid, name), part in c.groupby(["group_id", "name"], sort=True):
        only = part.groupby("month")["form_over_substance"].all().sort_index()
        run: list = []
        for m, ok in list(only.items()) + [(None, False)]:
            if ok and run and m == run[-1] + 1:
                run.append(m)
                continue
            if len(run) >= months and (run[0].year <= ctx.year <= run[-1].year):
                rows.append({"group_id": gid, "name": name, "start": str(run[0]), "end": str(run[-1]),
                             "months": len(run)})
            run = [m] if ok else []
    return pd.DataFrame(rows, columns=["group_id", "name", "start", "end", "months"])


def evidence_rows(ctx: MeetingRecords, per_code: int = 3) -> pd.DataFrame:
    """The first ``per_code`` masked evidence sentences of each code in the year.

    Evidence exists only where a code is FALSE: the sentence that shows the problem is **absent** (a
    shortcoming named, a work matter discussed, a problem tied to a measure); a TRUE code has no
    sentence, it is the absence of one.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name`` (group), ``date``, ``rule``, ``evidence`` (masked, at most 60 characters).
    """
    c = _year(ctx).sort_values(["date", "group_id"])
    rows = []
    for code in ctx.codes:
        hit = c[c[f"{code}_evidence"].notna()].head(per_code)
        rows += [{"code": code, "name": r["name"], "date": r["date"], "rule": r[f"{code}_rule"],
                  "evidence": r[f"{code}_evidence"]} for _, r in hit.iterrows()]
    return pd.DataFrame(rows, columns=["code", "name", "date", "rule", "evidence"])


def agreement_rows(ctx: MeetingRecords) -> pd.DataFrame | None:
    """Per code: alpha between coders (CI), kappa, verdict, machine kappa and F1; None without a sample.

    Returns
    -------
    pandas.DataFrame or None
        ``code``, ``units``, ``alpha``, ``alpha_lo``, ``alpha_hi``, ``kappa``, ``verdict``,
        ``machine_kappa``, ``machine_f1``.
    """
    if ctx.agreement is None:
        return None
    a = ctx.agreement["agreement"].set_index("code")
    m = ctx.agreement["machine"].set_index("code")
    out = a[["units", "alpha", "alpha_lo", "alpha_hi", "kappa", "verdict"]].copy()
    out["machine_kappa"] = m["kappa"]
    out["machine_f1"] = m["f1"]
    return out.reset_index()


def unplaced_rows(ctx: MeetingRecords) -> pd.DataFrame:
    """Records of the year whose group name is not in the roster: counted nowhere else in the report.

    Returns
    -------
    pandas.DataFrame
        ``group_name`` (as written), ``date``, ``status`` (``unknown`` or ``ambiguous``), ``candidates``
        (closest roster names, or the groups sharing the name), ``snippet`` (the text's first
        :data:`SNIPPET` characters, names masked).
    """
    from grouplab.data.minutes import mask_names

    u = ctx.unplaced
    cols = ["group_name", "date", "status", "candidates", "snippet"]
    if u is None or u.empty:
        return pd.DataFrame(columns=cols)
    names = u["recorder"].dropna().astype(str).tolist() if "recorder" in u else []
    snip = [(mask_names(t, names) or "")[:SNIPPET] if isinstance(t, str) else "" for t in u["text"]]
    return pd.DataFrame({"group_name": u["group_name"].astype(str), "date": u["date"], "status": u["status"],
                         "candidates": u["candidates"], "snippet": snip}, columns=cols)

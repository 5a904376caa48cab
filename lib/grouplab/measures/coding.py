"""The human-coding workflow of minutes: a stratified sample to code, then agreement and the machine's score.

Content-analysis practice (Krippendorff 2004): two or more coders code the same random sample blind to
each other; agreement per code is Krippendorff's alpha (rely ≥ .800, tentative ≥ .667, else revise the
codebook); disagreements are adjudicated; the machine coder is then scored against the reference codes
(the coders' common code where they agree, the adjudication where they did not): Cohen's kappa,
precision, recall, F1 with TRUE = the problem is present.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.data.minutes import mask_names
from grouplab.errors import ParameterError
from grouplab.measures.agreement import code_agreement, machine_agreement
from grouplab.measures.minutes import code_minutes, load_meeting_codebook

__all__ = ["sample_for_coding", "agreement_report", "allocate", "reference_codes"]


def allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Proportional allocation of ``n`` draws over strata (largest remainder; never more than a stratum has).

    Examples
    --------
    >>> allocate(pd.Series({"a": 50, "b": 30, "c": 20}), 10).tolist()
    [5, 3, 2]
    """
    sizes = sizes.astype(int)
    n = min(int(n), int(sizes.sum()))
    exact = sizes / sizes.sum() * n
    take = np.floor(exact).astype(int).clip(upper=sizes)
    order = (exact - take).sort_values(ascending=False, kind="stable").index
    while take.sum() < n:
        for k in order:
            if take.sum() >= n:
                break
            if take[k] < sizes[k]:
                take[k] += 1
    return take


def sample_for_coding(minutes: pd.DataFrame, *, n: int = 60, groups: pd.DataFrame | None = None,
                      seed: int = 0, names=()) -> pd.DataFrame:
    """A random sample of records stratified by unit (or group when units are unknown) and year.

    Parameters
    ----------
    minutes : pandas.DataFrame
        The ``minutes`` table.
    n : int
        Sample size (all records when fewer).
    groups : pandas.DataFrame, optional
        The groups table, for each group's unit.
    seed : int
        Seed of the draw (same seed, same sample).
    names : iterable of str
        Roster names masked in the texts (recorders are masked too).

    Returns
    -------
    pandas.DataFrame
        ``record_id``, ``stratum``, ``group``, ``date``, ``text`` (names masked), in random order.
    """
    if n < 1:
        raise ParameterError("n must be at least 1")
    df = minutes.reset_index(drop=True)
    group = df["group_id"].fillna(df["group_name"]).astype(str)
    unit = group
    if groups is not None:
        unit = df["group_id"].map(dict(zip(groups["group_id"], groups["unit_id"]))).fillna(group).astype(str)
    stratum = unit + "|" + pd.to_datetime(df["date"]).dt.year.astype(str)
    rng = np.random.default_rng(seed)
    take = allocate(stratum.value_counts().sort_index(), n)
    picked = []
    for s, k in take.items():
        idx = np.flatnonzero(stratum.to_numpy() == s)
        picked += rng.choice(idx, size=int(k), replace=False).tolist()
    picked = rng.permutation(np.array(picked, dtype=int))
    roster = list(names) + (df["recorder"].dropna().astype(str).tolist() if "recorder" in df else [])
    return pd.DataFrame({"record_id": df["record_id"].iloc[picked].astype(str).to_numpy(),
                         "stratum": stratum.iloc[picked].to_numpy(), "group": group.iloc[picked].to_numpy(),
                         "date": pd.to_datetime(df["date"].iloc[picked]).to_numpy(),
                         "text": [mask_names(t, roster) for t in df["text"].iloc[picked]]})


def agreement_report(workbook: dict, *, codebook=None, n_boot: int = 1000, seed: int = 0) -> dict:
    """Agreement between coders, the disagreements, and the machine against the adjudicated codes.

    Parameters
    ----------
    workbook : dict
        As returned by :func:`grouplab.data.minutes.workbook.read_coding_workbook`.
    codebook : optional
        The machine coder's codebook (default ``data/rubrics/meeting_quality.yml``).

    Returns
    -------
    dict
        ``agreement`` (:func:`~grouplab.measures.agreement.code_agreement` per code),
        ``disagreements`` (``record_id``, ``code``, one column per coder), ``machine`` (per code
        ``n, kappa, precision, recall, f1, accuracy`` against :func:`reference_codes`: the coders' common
        code where they agree, the 裁决 where they did not; ``reference`` names which), ``machine_codes``,
        ``reference`` (those codes) and ``missing_adjudications`` (disagreements whose 裁决 is empty).
    """
    coders = workbook["coders"]
    codes = list(workbook["codes"])
    per_code = {c: pd.DataFrame({name: frame[c] for name, frame in coders.items()}) for c in codes}
    agreement = code_agreement({c: f.astype(object).where(f.notna(), None) for c, f in per_code.items()},
                               n_boot=n_boot, seed=seed)
    rows = []
    for c, f in per_code.items():
        ok = f.notna().sum(axis=1) >= 2
        differ = ok & (f.astype("float").nunique(axis=1) > 1)
        for rid in f.index[differ]:
            rows.append({"record_id": rid, "code": c, **{k: f.loc[rid, k] for k in f.columns}})
    disagreements = pd.DataFrame(rows, columns=["record_id", "code", *coders])
    texts = workbook["texts"].set_index("record_id")
    machine = code_minutes(pd.DataFrame({"text": texts["text"].astype("string")}, index=texts.index),
                           codebook=load_meeting_codebook(codebook))
    reference, ref_name, missing = reference_codes(per_code, workbook.get("adjudicated"))
    scored = machine_agreement(reference.reindex(machine.index), machine, codes)
    scored.insert(1, "reference", ref_name)
    return {"agreement": agreement, "disagreements": disagreements, "machine": scored,
            "machine_codes": machine, "reference": reference, "missing_adjudications": missing}


def reference_codes(per_code: dict[str, pd.DataFrame], adjudicated: pd.DataFrame | None
                    ) -> tuple[pd.DataFrame, str, int]:
    """The codes the machine is scored against: the coders' common code where they agree, the
    adjudication (裁决) where they do not.

    A record's code is *agreed* when at least two coders coded it and all who did gave the same answer;
    a *disagreement* (two coders or more, different answers) takes the 裁决 cell when it is filled and
    is left out (missing) otherwise. A filled 裁决 cell also overrides an agreed code (the adjudicator
    has the last word). Records coded by one coder only are left out.

    Parameters
    ----------
    per_code : dict of str to DataFrame
        Code -> frame indexed by ``record_id``, one boolean column per coder.
    adjudicated : DataFrame or None
        The 裁决 sheet (indexed by ``record_id``, one boolean column per code), None when empty.

    Returns
    -------
    reference : pandas.DataFrame
        Indexed by ``record_id``, one nullable boolean column per code.
    name : str
        ``agreed`` (no 裁决 filled) or ``agreed+adjudicated``.
    missing : int
        Disagreements (record × code) whose 裁决 cell is still empty.
    """
    ref, missing = {}, 0
    for c, f in per_code.items():
        x = f.astype("float")
        coded, same = x.notna().sum(axis=1) >= 2, x.nunique(axis=1) == 1
        agreed = x.bfill(axis=1).iloc[:, 0].where(coded & same)
        differ = coded & ~same
        adj = (adjudicated[c].astype("float").reindex(f.index) if adjudicated is not None and c in adjudicated
               else pd.Series(float("nan"), index=f.index))
        missing += int((differ & adj.isna()).sum())
        ref[c] = adj.where(adj.notna(), agreed).astype("boolean")
    name = "agreed" if adjudicated is None else "agreed+adjudicated"
    return pd.DataFrame(ref), name, missing

"""Labels ↔ codes: a 按文本 export's answers turned into the codes of the questionnaire.

Codes come, in this order, from the questionnaire spec (a choice's
``options``, a scale's ``labels``), from a 按序号 export of the same survey
read alongside (:func:`labels_from_twin`), or from the standard Chinese Likert
label sets below. A label that none of these maps is a problem listing the
label, its count and the column, never a silent NA.

Standard sets (code 1 = first label). Where the labels seen fit both a 4- and a
5-point set (the middle label never chosen), the 5-point set is assumed and the
assumption is recorded; a spec with ``labels`` settles it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

from grouplab.data.problems import problem
from grouplab.errors import Problem

__all__ = ["LIKERT_SETS", "likert_codes", "labels_to_codes", "labels_from_twin"]

_MID = ("一般", "不确定", "说不清", "中立", "不好说", "有时候符合", "一半")

#: name -> labels in code order (alternatives at one position separated by "|")
LIKERT_SETS: dict[str, tuple[str, ...]] = {
    "agree5": ("非常不同意|完全不同意", "不同意|比较不同意", "一般|不确定|说不清|中立",
               "同意|比较同意", "非常同意|完全同意"),
    "agree4": ("非常不同意|完全不同意", "不同意|比较不同意", "同意|比较同意", "非常同意|完全同意"),
    "agree7": ("非常不同意|完全不同意", "不同意", "有点不同意|比较不同意", "一般|中立|不确定",
               "有点同意|比较同意", "同意", "非常同意|完全同意"),
    "fit5": ("完全不符合|非常不符合", "比较不符合|不太符合|不符合", "一般|不确定|说不清|有时候符合",
             "比较符合|基本符合|符合", "完全符合|非常符合"),
    "fit4": ("完全不符合|非常不符合", "比较不符合|不太符合|不符合", "比较符合|基本符合|符合",
             "完全符合|非常符合"),
    "fit7": ("完全不符合|非常不符合", "不符合", "有点不符合|比较不符合", "一般|不确定",
             "有点符合|比较符合", "符合", "完全符合|非常符合"),
    "satisfied5": ("非常不满意", "不满意|比较不满意", "一般|说不清", "满意|比较满意", "非常满意"),
    "satisfied4": ("非常不满意", "不满意|比较不满意", "满意|比较满意", "非常满意"),
    "satisfied7": ("非常不满意", "不满意", "有点不满意|比较不满意", "一般", "有点满意|比较满意",
                   "满意", "非常满意"),
    "frequency5": ("从不|从来没有", "很少|偶尔", "有时", "经常", "总是|一直"),
    "frequency4": ("从不|从来没有", "很少|偶尔", "经常", "总是|一直"),
}
_PREFERENCE = ("agree5", "fit5", "satisfied5", "frequency5", "agree4", "fit4", "satisfied4",
               "frequency4", "agree7", "fit7", "satisfied7")


def _codes_of(name: str) -> dict[str, int]:
    return {alt: k for k, pos in enumerate(LIKERT_SETS[name], start=1) for alt in pos.split("|")}


def likert_codes(labels) -> tuple[str, dict[str, int]] | None:
    """The standard set containing every label seen, and its label -> code map.

    Parameters
    ----------
    labels : iterable of str
        Distinct labels of one item or of all rows of a matrix question.

    Returns
    -------
    (name, mapping) or None
        ``None`` when no standard set holds all labels.

    Examples
    --------
    >>> name, codes = likert_codes({"同意", "非常同意", "一般"})
    >>> name, codes["同意"], codes["非常不同意"]
    ('agree5', 4, 1)
    >>> likert_codes({"同意", "也许"}) is None
    True
    """
    seen = {str(x).strip() for x in labels if x is not None and str(x).strip()}
    if not seen:
        return None
    for name in _PREFERENCE:
        codes = _codes_of(name)
        if seen <= set(codes):
            return name, codes
    return None


def labels_to_codes(values: pd.Series, mapping: Mapping[str, int], *, file: str, column: str,
                    first_row: int = 2) -> tuple[pd.Series, list[Problem]]:
    """Labels converted to codes; one Problem per unmapped label (with its count).

    Values that are already numbers (a 按序号 file) pass through unchanged.

    Returns
    -------
    (codes, problems)
        ``codes``: Int64 Series, same index; ``problems``: one per distinct
        unmapped label, ``row`` = first row holding it, ``value`` = the label,
        the count in the rule.
    """
    norm = {str(k).strip(): int(v) for k, v in mapping.items()}
    arr = np.asarray(values, dtype=object)
    if bool in set(map(type, arr)):  # True == 1 would merge them: cell by cell
        codes, uniq = np.arange(len(arr)), list(arr)
    else:  # answers repeat: each distinct cell once, in order of first appearance
        codes, uniq = pd.factorize(arr, use_na_sentinel=True)
    out: list[int | None] = []
    for v in uniq:
        out.append(_label_code(v, norm))
    result = pd.array([*out, None], dtype="Int64").take(codes)  # code -1 (empty) -> the None
    bad: Counter = Counter()
    first: dict[str, int] = {}
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(uniq))
    firsts = np.unique(codes, return_index=True)
    first_of = dict(zip(firsts[0].tolist(), firsts[1].tolist(), strict=True))
    for k, (v, code) in enumerate(zip(uniq, out, strict=True)):
        if code is None and not _blank(v):
            text = str(v).strip()
            bad[text] += int(counts[k])
            first.setdefault(text, first_row + first_of[k])
    problems = [problem("label_not_in_spec", file, first[label], column, label, n=n)
                for label, n in bad.items()]
    return pd.Series(result, index=values.index, dtype="Int64"), problems


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _label_code(v, norm: Mapping[str, int]) -> int | None:
    """One cell's code: its label's, or the number already written; None when blank or unknown."""
    if _blank(v):
        return None
    text = str(v).strip()
    if text in norm:
        return norm[text]
    try:
        num = float(text)
    except ValueError:
        return None
    return int(num) if num.is_integer() else None


def labels_from_twin(numeric: pd.DataFrame, text: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Label -> code maps per column from a 按序号 and a 按文本 export of the same answers.

    Rows are matched by ``respondent_id``; a label is mapped only when it
    always meets the same code.

    Returns
    -------
    dict
        ``{column: {label: code}}`` for each single-choice / matrix column of
        both exports.

    Examples
    --------
    >>> n = pd.DataFrame({"respondent_id": ["1", "2"], "Q1": pd.array([1, 2], dtype="Int64")})
    >>> t = pd.DataFrame({"respondent_id": ["2", "1"], "Q1": ["女", "男"]})
    >>> labels_from_twin(n, t)
    {'Q1': {'男': 1, '女': 2}}
    """
    both = numeric.merge(text, on="respondent_id", suffixes=("_n", "_t"))
    out: dict[str, dict[str, int]] = {}
    for col in numeric.columns:
        if col == "respondent_id" or col not in text.columns:
            continue
        if str(numeric[col].dtype) != "Int64" or text[col].dtype == "Int64":
            continue
        pairs = both[[f"{col}_n", f"{col}_t"]].dropna().drop_duplicates()
        if pairs.empty or not pairs[f"{col}_t"].is_unique:
            continue
        out[col] = {str(t).strip(): int(c) for c, t in pairs.itertuples(index=False)}
    return out

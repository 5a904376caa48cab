"""Scoring of half-yearly Party-group evaluations: grade bands, grades and totals.

The rubric (default ``data/rubrics/party_group_evaluation.yml``, loaded with
:func:`grouplab.data.specs.load_rubric`) lists the items, their maxima (summing to
100), the aspect each item belongs to and the grade bands.

Grades are half-open intervals on the total, highest band first::

    优秀 excellent    [95, 100]
    合格 pass         [80, 95)
    基本合格 basic_pass [60, 80)
    不合格 fail        [0, 60)

The seed text writes "80–95" and "60–79"; the bands above read them as
half-open, so 95.0 is 优秀, 94.99 is 合格, 80.0 is 合格 and 79.5 (< 80) is
基本合格.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouplab.data.notes import LANGS
from grouplab.data.problems import problem
from grouplab.errors import DataError, ParameterError, require_columns

__all__ = [
    "DEFAULT_BANDS",
    "TOP",
    "grade",
    "grade_labels",
    "score",
]


#: Default grade bands (code, zh, en, lower bound), highest first.
DEFAULT_BANDS: tuple[Mapping[str, Any], ...] = (
    {"grade": "excellent", "zh": "优秀", "en": "Excellent", "min": 95},
    {"grade": "pass", "zh": "合格", "en": "Pass", "min": 80},
    {"grade": "basic_pass", "zh": "基本合格", "en": "Basic pass", "min": 60},
    {"grade": "fail", "zh": "不合格", "en": "Fail", "min": 0},
)

#: Upper end of the top band (closed): the rubric total.
TOP = 100.0
#: Totals are rounded to this many decimals before grading, so that a sum of
#: item scores such as 8.3 + 7.2 + … that should be exactly 95 but is stored as
#: 94.99999999999999 is not pushed into the band below.
DECIMALS = 9
_EVAL_COLUMNS = ["group_id", "period", "item_id", "score"]


# --------------------------------------------------------------------------- helpers


def grade_bands(bands: Sequence[Mapping[str, Any]] | None) -> list[dict]:
    """Validated bands, highest first."""
    raw = list(DEFAULT_BANDS if bands is None else bands)
    if isinstance(bands, Mapping) and "bands" in bands:  # a whole rubric was passed
        raw = list(bands["bands"])
    out = []
    for b in raw:
        if not isinstance(b, Mapping) or "grade" not in b or "min" not in b:
            raise DataError([problem("grade_band_fields", "bands")])
        out.append({"grade": str(b["grade"]), "min": float(b["min"]),
                    "zh": str(b.get("zh", b["grade"])), "en": str(b.get("en", b["grade"]))})
    mins = [b["min"] for b in out]
    codes = [b["grade"] for b in out]
    if not out or any(a <= b for a, b in zip(mins, mins[1:])) or len(set(codes)) != len(codes):
        raise DataError([problem("bad_grade_bands", "bands", bands=list(zip(codes, mins)))])
    return out


def _grade_dtype(bands: list[dict]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype([b["grade"] for b in reversed(bands)], ordered=True)


def _grade_codes(total: np.ndarray, bands: list[dict]) -> np.ndarray:
    """Category codes (0 = lowest band) or -1 for missing/out of range."""
    t = np.round(np.asarray(total, dtype=float), DECIMALS)
    lows = np.array([b["min"] for b in reversed(bands)])  # ascending
    codes = np.searchsorted(lows, t, side="right") - 1
    bad = ~np.isfinite(t) | (t < lows[0]) | (t > TOP)
    return np.where(bad, -1, codes)


# --------------------------------------------------------------------------- grade
def grade(total: Any, *, bands: Sequence[Mapping[str, Any]] | None = None) -> pd.Series:
    """Grade totals into bands.

    Parameters
    ----------
    total : array-like or pandas.Series
        Evaluation totals on the 0–100 scale.
    bands : sequence of mapping, optional
        ``{"grade", "min", "zh", "en"}`` highest first, e.g. ``rubric["bands"]``.
        Default :data:`DEFAULT_BANDS`: 优秀 [95, 100], 合格 [80, 95),
        基本合格 [60, 80), 不合格 [0, 60).

    Returns
    -------
    pandas.Series
        Ordered categorical of grade codes (``fail < basic_pass < pass <
        excellent`` by default), index of ``total`` if it is a Series.
        Missing where the total is missing or outside [lowest min, 100] (a
        total above 100 means an item was scored above its maximum).
        Use :func:`grade_labels` for zh/en labels.

    Raises
    ------
    DataError
        Bands without codes/minimums or not strictly descending.

    Notes
    -----
    Each band is half-open ``[min, next band's min)``; the top band is
    closed at 100. So 95.0 → 优秀 (excellent), 94.99 → 合格 (pass),
    80.0 → 合格, 79.5 → 基本合格 (the seed's "60–79" means [60, 80)),
    60.0 → 基本合格, 59.9 → 不合格. Totals are rounded to 9 decimals first,
    so floating-point sums that should be exactly 95 are not pushed down.

    Examples
    --------
    >>> grade([95.0, 94.99, 79.5, 59.9]).tolist()
    ['excellent', 'pass', 'basic_pass', 'fail']
    >>> grade_labels(grade([95.0, 79.5])).tolist()
    ['优秀', '基本合格']
    """
    b = grade_bands(bands)
    index = total.index if isinstance(total, pd.Series) else None
    values = pd.to_numeric(pd.Series(total, copy=False) if index is None else total,
                           errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    cat = pd.Categorical.from_codes(_grade_codes(values, b), dtype=_grade_dtype(b))
    return pd.Series(cat, index=index, name="grade")


def grade_labels(grades: Any, *, lang: str = "zh",
                 bands: Sequence[Mapping[str, Any]] | None = None) -> pd.Series:
    """Labels of grade codes in ``lang``.

    Parameters
    ----------
    grades : array-like or pandas.Series
        Grade codes as returned by :func:`grade`.
    lang : {"zh", "en"}
        Label language.
    bands : sequence of mapping, optional
        Bands carrying the labels (default :data:`DEFAULT_BANDS`).

    Returns
    -------
    pandas.Series
        Ordered categorical of labels in the same order as the codes.

    Examples
    --------
    >>> grade_labels(["pass", "fail"], lang="en").tolist()
    ['Pass', 'Fail']
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be 'zh' or 'en', got {lang!r}")
    b = grade_bands(bands)
    s = grades if isinstance(grades, pd.Series) else pd.Series(grades)
    codes = pd.Series(pd.Categorical(s.astype("object"), dtype=_grade_dtype(b)), index=s.index)
    labels = [x[lang] for x in reversed(b)]
    cat = pd.Categorical.from_codes(codes.cat.codes.to_numpy(),
                                    dtype=pd.CategoricalDtype(labels, ordered=True))
    return pd.Series(cat, index=s.index, name="grade")


# --------------------------------------------------------------------------- score
def score(evaluations: pd.DataFrame, rubric: Mapping[str, Any], *,
          exclude_aspects: Iterable[str] = (), exclude_items: Iterable[str] = ()) -> pd.DataFrame:
    """Score half-yearly evaluations: total, aspect subtotals, grade and flags.

    Parameters
    ----------
    evaluations : pandas.DataFrame
        Long table with ``group_id``, ``period`` (e.g. ``2019H1``), ``item_id``
        and ``score`` — one row per item (codebook table ``evaluations``).
    rubric : mapping
        As returned by :func:`grouplab.data.specs.load_rubric`.
    exclude_aspects, exclude_items : iterable of str
        Aspects / item ids to leave out of the total (see Notes).

    Returns
    -------
    pandas.DataFrame
        One row per (group_id, period), sorted by both:

        - ``group_id``, ``period`` — the key.
        - ``total`` — sum of the included items' scores; rescaled to 100 when
          items are excluded: ``raw_total / possible * 100``.
        - ``raw_total`` — sum of the included items' scores, not rescaled.
        - ``possible`` — sum of the included items' maxima (100 if none excluded).
        - ``aspect_<id>`` — one per included aspect, in rubric order: raw
          points of its included items (not rescaled).
        - ``n_items`` — included items with a score.
        - ``missing_items`` — included items without a score (they count 0
          towards the total, as an item not done earns no points).
        - ``over_max`` — True if any item is scored above its maximum (the
          total then may exceed 100 and the grade is missing).
        - ``grade`` — :func:`grade` of ``total`` with the rubric's bands.

    Raises
    ------
    DataError
        Missing columns or key values, item ids not in the rubric, repeated
        (group_id, period, item_id) rows, unknown aspects/items to exclude,
        or nothing left after exclusion.

    Notes
    -----
    **Circularity trap.** Some items are outcomes themselves: the default
    rubric's I10 (安全生产无责任事故, ``outcome_linked: true``) awards points for
    having no responsibility accident. If the score is used to predict safety
    outcomes, keeping I10 regresses accidents on (a function of) accidents.
    Drop it — ``exclude_items=["I10"]`` (or ``exclude_aspects=["central_task"]``)
    — and the total is rescaled to 100 so grades keep their meaning:
    ``total = raw_total / possible * 100``. Aspect subtotals stay in points.

    Examples
    --------
    >>> from grouplab.data.specs import load_rubric
    >>> rub = load_rubric({"aspects": {"a": {}, "b": {}},
    ...                    "items": [{"id": "I1", "aspect": "a", "max": 60},
    ...                              {"id": "I2", "aspect": "b", "max": 40}],
    ...                    "bands": list(DEFAULT_BANDS)})
    >>> ev = pd.DataFrame({"group_id": ["G1", "G1"], "period": ["2019H1"] * 2,
    ...                    "item_id": ["I1", "I2"], "score": [57.0, 30.0]})
    >>> score(ev, rub)[["group_id", "total", "aspect_a", "aspect_b", "grade"]]
      group_id  total  aspect_a  aspect_b grade
    0       G1   87.0      57.0      30.0  pass
    >>> float(score(ev, rub, exclude_aspects=["b"])["total"].iloc[0])
    95.0
    """
    require_columns(evaluations, _EVAL_COLUMNS, "evaluations")
    inc = _included_items(rubric, exclude_aspects, exclude_items)
    _check_keys(evaluations)
    keys = _key_codes(evaluations, inc)
    mat = _score_matrix(evaluations["score"], keys, len(inc.ids))[:, inc.keep]
    return _assemble(evaluations, mat, keys, inc, grade_bands(rubric.get("bands")))


@dataclass(frozen=True)
class _Included:
    """The rubric's items after exclusion: ids, maxima, aspects and the kept mask."""

    ids: np.ndarray
    maxima: np.ndarray
    item_aspect: np.ndarray
    aspects: list
    excluded_aspects: list
    keep: np.ndarray


@dataclass(frozen=True)
class _Keys:
    """Codes of the (group_id, period) keys and of each row's cell in the key × item matrix."""

    g_uni: np.ndarray
    p_uni: np.ndarray
    n_p: int
    k_uni: np.ndarray
    cell: np.ndarray


def _included_items(rubric: Mapping[str, Any], exclude_aspects, exclude_items) -> _Included:
    """Check the exclusions against the rubric and return the items that count."""
    items = list(rubric.get("items") or [])
    aspects = list((rubric.get("aspects") or {}).keys())
    if not items:
        raise DataError([problem("rubric_no_items", "rubric")])
    ids = np.array([str(it["id"]) for it in items], dtype=object)
    maxima = np.array([float(it["max"]) for it in items])
    item_aspect = np.array([str(it["aspect"]) for it in items])
    if isinstance(exclude_aspects, str) or isinstance(exclude_items, str):
        raise ParameterError("exclude_aspects/exclude_items take a list, e.g. ['I10']")
    ex_a, ex_i = [str(a) for a in exclude_aspects], [str(i) for i in exclude_items]
    bad = [a for a in ex_a if a not in aspects] + [i for i in ex_i if i not in set(ids)]
    if bad:
        raise ParameterError(f"cannot exclude unknown aspect/item {bad}; "
                             f"aspects: {', '.join(aspects)}; items: {', '.join(ids)}")
    keep = np.array([a not in ex_a and i not in ex_i for i, a in zip(ids, item_aspect)])
    if not keep.any():
        raise ParameterError("every rubric item was excluded; nothing left to score")
    return _Included(ids, maxima, item_aspect, aspects, ex_a, keep)


def _check_keys(evaluations: pd.DataFrame) -> None:
    """Every score row needs its group, period and item."""
    na = evaluations[["group_id", "period", "item_id"]].isna().any(axis=1)
    if na.any():
        raise DataError([problem("scores_without_keys", "evaluations", n=int(na.sum()), first=na.idxmax())])


def _item_positions(item_id: pd.Series, ids: np.ndarray) -> np.ndarray:
    """Position of each row's item in the rubric; unknown item ids are a DataError."""
    i_codes, i_uni = pd.factorize(item_id, use_na_sentinel=False)
    i_map = pd.Index(ids).get_indexer(pd.Index(np.asarray(i_uni, dtype=object)))
    if (i_map < 0).any():
        unknown = [str(u) for u, m in zip(np.asarray(i_uni, dtype=object), i_map) if m < 0][:10]
        raise DataError([problem("items_not_in_rubric", "evaluations", unknown=unknown)])
    return i_map[i_codes]


def _key_codes(evaluations: pd.DataFrame, inc: _Included) -> _Keys:
    """Code the (group_id, period) keys and each row's cell; repeated cells are a DataError."""
    item_pos = _item_positions(evaluations["item_id"], inc.ids)
    g_codes, g_uni = pd.factorize(evaluations["group_id"], use_na_sentinel=False)
    p_codes, p_uni = pd.factorize(evaluations["period"], use_na_sentinel=False)
    n_p = max(len(p_uni), 1)
    key = g_codes.astype(np.int64) * n_p + p_codes
    if len(g_uni) * n_p <= 4 * len(key) + 1024:  # dense key space: compress without hashing
        seen = np.bincount(key, minlength=len(g_uni) * n_p) > 0
        k_uni = np.flatnonzero(seen)
        k_codes = (np.cumsum(seen) - 1)[key]
    else:
        k_codes, k_uni = pd.factorize(key)
    n_items = len(inc.ids)
    cell = k_codes.astype(np.int64) * n_items + item_pos
    counts = np.bincount(cell, minlength=len(k_uni) * n_items)
    if (counts > 1).any():
        dup = np.flatnonzero(counts > 1)[:5]
        ex = [(g_uni[k_uni[c // n_items] // n_p], p_uni[k_uni[c // n_items] % n_p], inc.ids[c % n_items])
              for c in dup]
        raise DataError([problem("repeated_scores", "evaluations", n=int((counts > 1).sum()), examples=ex)])
    return _Keys(np.asarray(g_uni, dtype=object), np.asarray(p_uni, dtype=object), n_p, k_uni, cell)


def _score_matrix(score_col: pd.Series, keys: _Keys, n_items: int) -> np.ndarray:
    """Scores as a key × item matrix (NaN where an item has no score)."""
    sc = score_col if score_col.dtype == np.float64 else pd.to_numeric(score_col, errors="coerce")
    mat = np.full(len(keys.k_uni) * n_items, np.nan)
    mat[keys.cell] = sc.to_numpy(dtype=float, na_value=np.nan)
    return mat.reshape(len(keys.k_uni), n_items)


def _key_order(keys: _Keys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group and period code of each key, and the order sorting keys by (group_id, period)."""
    g_of, p_of = keys.k_uni // keys.n_p, keys.k_uni % keys.n_p
    g_rank = np.argsort(np.argsort(keys.g_uni.astype(str), kind="stable"))
    p_rank = np.argsort(np.argsort(keys.p_uni.astype(str), kind="stable"))
    return g_of, p_of, np.lexsort((p_rank[p_of], g_rank[g_of]))


def _assemble(evaluations: pd.DataFrame, mat: np.ndarray, keys: _Keys, inc: _Included,
              bands: list[dict]) -> pd.DataFrame:
    """The output table of :func:`score` (columns listed there), sorted by group and period."""
    mx = inc.maxima[inc.keep]
    present = ~np.isnan(mat)
    filled = np.where(present, mat, 0.0)
    raw_total = filled.sum(axis=1)
    possible = float(mx.sum())
    total = raw_total / possible * 100.0 if not np.isclose(possible, 100.0) else raw_total
    g_of, p_of, order = _key_order(keys)
    out = {
        "group_id": pd.Series(keys.g_uni[g_of[order]], dtype=evaluations["group_id"].dtype),
        "period": pd.Series(keys.p_uni[p_of[order]], dtype=evaluations["period"].dtype),
        "total": total[order],
        "raw_total": raw_total[order],
        "possible": np.full(len(keys.k_uni), possible),
    }
    kept_aspect = inc.item_aspect[inc.keep]
    for a in inc.aspects:
        if a in inc.excluded_aspects or not (kept_aspect == a).any():
            continue
        out[f"aspect_{a}"] = filled[:, kept_aspect == a].sum(axis=1)[order]
    out["n_items"] = present.sum(axis=1)[order].astype(np.int64)
    out["missing_items"] = (inc.keep.sum() - present.sum(axis=1))[order].astype(np.int64)
    out["over_max"] = (mat > mx + 1e-9).any(axis=1)[order]
    result = pd.DataFrame(out)
    result["grade"] = pd.Categorical.from_codes(_grade_codes(result["total"].to_numpy(), bands),
                                                dtype=_grade_dtype(bands))
    return result


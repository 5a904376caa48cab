"""Numbers as people type them in ledgers, read a whole column at a time.

Ledgers (台账) hold numbers written for people: ``9.5分``, full-width ``７.５``
or ``９５``, ``1,234`` with a thousands separator, and placeholders such as
``/``, ``—`` or ``无`` where nothing applies. :func:`number_text` turns a column
of such cells into plain number text (what :func:`pandas.to_numeric` parses);
:func:`parse_numbers` returns the values with the meaning of each placeholder.
Every step is a vectorised pandas string operation on the whole column.

Placeholders and their meaning (:data:`PLACEHOLDERS`):

================================  ==================  ====================================================
cell as typed                     reason              meaning
================================  ==================  ====================================================
blank, spaces                     ``blank``           not filled in: missing
``/`` ``／`` ``\\``                ``not_applicable``  does not apply to this row: missing
``-`` ``--`` ``—`` ``——``         ``not_applicable``  (dash written instead of a value): missing
``–`` ``－`` ``N/A`` ``NA``       ``not_applicable``  missing
``无`` ``無`` ``暂无`` ``空``     ``none_recorded``   nothing recorded: missing, **zero only when**
                                                      the caller says so (``zero=("none_recorded",)``)
================================  ==================  ====================================================

No placeholder silently becomes 0: the codebook has no column where an empty
cell means zero, so placeholders are missing values; a missing value in a
required column is reported by the schema ("required value is empty").
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

__all__ = ["PLACEHOLDERS", "UNITS", "number_text", "numbers_from_text", "column_numbers", "parse_numbers"]

#: Placeholder text (after NFKC and stripping) -> reason it stands for a missing value.
PLACEHOLDERS: dict[str, str] = {
    "/": "not_applicable", "\\": "not_applicable", "-": "not_applicable",
    "--": "not_applicable", "—": "not_applicable", "——": "not_applicable",
    "–": "not_applicable", "n/a": "not_applicable", "na": "not_applicable",
    "无": "none_recorded", "無": "none_recorded", "暂无": "none_recorded", "空": "none_recorded",
}
#: Unit words accepted right after a number (``9.5分``, ``12 人``, ``3.5小时``).
UNITS = ("分", "人", "次", "个", "小时", "工时", "人工时", "h", "km", "公里", "元")

_UNIT_RE = "|".join(sorted(UNITS, key=len, reverse=True))
_NUMBER_WITH_UNIT = rf"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:{_UNIT_RE})$"
# a comma between digits followed by exactly three digits is a thousands separator
_THOUSANDS = r"(?<=\d)[,，](?=\d{3}(?:\D|$))"  # a comma before three digits, never "12,5"


_PLAIN = r"[+-]?[0-9]+(?:\.[0-9]+)?"  # ASCII only: '７' must go through NFKC
_STRING = pd.StringDtype("pyarrow")


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (pandas string dtype); <NA> for empty cells; True/False -> 1/0."""
    text = pd.Series(values, copy=False).astype("string").str.strip()
    text = text.mask(text.eq("True").fillna(False), "1").mask(text.eq("False").fillna(False), "0")
    return text.mask(text.eq("").fillna(False))


def number_text(text: pd.Series) -> pd.Series:
    """Clean a column of typed numbers so :func:`pandas.to_numeric` can read it.

    Parameters
    ----------
    text : pandas.Series
        Cells as read (strings, numbers or None).

    Returns
    -------
    pandas.Series
        Object dtype, same index: the number as plain ASCII text (full-width
        digits folded by NFKC, thousands separators and a trailing unit from
        :data:`UNITS` removed), ``None`` for blank cells and placeholders
        (:data:`PLACEHOLDERS`). Text that is not a number is returned
        unchanged (NFKC-folded) so the caller can report it as written.

    Notes
    -----
    Cells that already are plain numbers (``8``, ``-3.5``) are matched once
    and left alone; only the others go through NFKC and the regular expressions.

    Examples
    --------
    >>> number_text(pd.Series(["9.5分", "７.５", "1,234", "/", "无", " ", "abc", 8])).tolist()
    ['9.5', '7.5', '1234', None, None, None, 'abc', '8']
    """
    t = _as_text(text)
    todo = t.notna() & ~t.str.fullmatch(_PLAIN).fillna(False).astype(bool)
    if todo.any():
        rest = t[todo].str.normalize("NFKC").str.strip()
        rest = rest.mask((rest.eq("") | rest.str.lower().isin(list(PLACEHOLDERS))).fillna(False))
        rest = rest.str.replace(_THOUSANDS, "", regex=True)
        rest = rest.str.replace(_NUMBER_WITH_UNIT, r"\1", regex=True)
        t = t.copy()
        t[todo] = rest
    out = t.astype(object)
    return out.where(t.notna(), None)


def numbers_from_text(text: pd.Series) -> pd.Series:
    """Numbers from cell text as people type them: the one place text becomes a number.

    Parameters
    ----------
    text : pandas.Series
        Stripped cell text (``string`` dtype, <NA> for empty cells).

    Returns
    -------
    pandas.Series of float64
        The number, NaN where the text is empty or not a number. Thousands
        separators (``,`` and full-width ``，`` before a group of three digits) are
        dropped first; a comma elsewhere (``12,5``: a decimal comma?) leaves the
        cell unreadable, to be reported, never read as 125.

    Notes
    -----
    Plain decimals (``-12``, ``3.5``) take one arrow cast over the column; other text
    (``1e3``, ``inf``, ``五``) goes through ``pandas.to_numeric``, cell by cell.

    Examples
    --------
    >>> numbers_from_text(pd.Series(["1,200", "7.5", "五", None, "12,5"], dtype="string")).tolist()
    [1200.0, 7.5, nan, nan, nan]
    """
    import pyarrow as pa

    cleaned = text.str.replace(_THOUSANDS, "", regex=True)
    plain = cleaned.str.fullmatch(_PLAIN).fillna(False).to_numpy(bool)
    out = np.full(len(text), np.nan)
    if plain.any():
        out[plain] = pa.array(cleaned[plain]).cast(pa.float64()).to_numpy(zero_copy_only=False)
    odd = cleaned.notna().to_numpy(bool) & ~plain
    if odd.any():
        out[odd] = pd.to_numeric(cleaned[odd].astype(object), errors="coerce").to_numpy(float)
    return pd.Series(out, index=text.index)


def column_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers (float64) and non-empty cells of stripped text: plain decimals (``-12``, ``3.5``) in
    one arrow cast, only the other cells (``9.5分``, ``７.５``, ``1,234``, ``/``, ``五``) through
    :func:`number_text` and :func:`numbers_from_text`.

    Parameters
    ----------
    text : pandas.Series
        As in :func:`numbers_from_text`.

    Returns
    -------
    numbers : pandas.Series of float64
        NaN where empty, a placeholder (``/``, ``无``) or not a number.
    present : pandas.Series of bool
        True where the cell holds something other than a placeholder (so a NaN
        there is a cell that is not a number).

    Examples
    --------
    >>> num, present = column_numbers(pd.Series(["12", "9.5分", "/", "五", None], dtype="string"))
    >>> num.tolist(), present.tolist()
    ([12.0, 9.5, nan, nan, nan], [True, True, False, True, False])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = text.astype(_STRING).array.__arrow_array__()  # the arrow data, not a copy
    plain = pc.match_substring_regex(arr, f"^{_PLAIN}$").fill_null(True).to_numpy(zero_copy_only=False)
    num = (arr if plain.all() else pc.if_else(plain, arr, None)).cast(pa.float64())
    num = num.to_numpy().astype(float)  # null -> NaN; writable
    present = text.notna().to_numpy(bool, copy=True)
    odd = ~plain
    if odd.any():  # 9.5分, ７.５, 1,234; / — 无 -> missing (data.numbers)
        rest = number_text(text[odd]).astype("string")
        num[odd] = numbers_from_text(rest).to_numpy(float)
        present[odd] = rest.notna().to_numpy(bool)
    return pd.Series(num, index=text.index), pd.Series(present, index=text.index)


def parse_numbers(values: pd.Series, *, zero: Collection[str] = ()) -> pd.DataFrame:
    """Read a column of typed numbers into floats, keeping why a value is missing.

    Parameters
    ----------
    values : pandas.Series
        Cells as read.
    zero : collection of str, keyword-only
        Placeholder reasons (see :data:`PLACEHOLDERS`) that mean 0 for this
        column, e.g. ``("none_recorded",)`` where the codebook or manifest says
        ``无`` means none happened. Default: none — every placeholder is missing.

    Returns
    -------
    pandas.DataFrame
        Same index as ``values``, columns:

        - ``value`` (float64): the number; NaN when missing or unreadable.
        - ``missing_reason`` (string): ``blank``, ``not_applicable``,
          ``none_recorded`` or ``<NA>`` when a value was read (also when a
          placeholder was turned into 0 by ``zero``).
        - ``unreadable`` (bool): a non-empty cell that is not a number.

    Examples
    --------
    >>> parse_numbers(pd.Series(["9.5分", "无", None, "x"]), zero=("none_recorded",))
       value missing_reason  unreadable
    0    9.5           <NA>       False
    1    0.0           <NA>       False
    2    NaN          blank       False
    3    NaN           <NA>        True
    """
    values = pd.Series(values, copy=False)
    raw = _as_text(values).str.normalize("NFKC").str.strip()
    raw = raw.mask(raw.eq("").fillna(False))
    cleaned = number_text(values)
    num = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    reason = raw.str.lower().map(PLACEHOLDERS).astype("string")
    reason = reason.mask(raw.isna(), "blank")
    to_zero = reason.isin(list(zero)).fillna(False).astype(bool)
    num = num.mask(to_zero, 0.0)
    reason = reason.mask(to_zero)
    unreadable = (cleaned.notna() & num.isna()).astype(bool)
    return pd.DataFrame({"value": num, "missing_reason": reason, "unreadable": unreadable},
                        index=values.index)

"""zh/en text for reports: codebook labels, spec labels and phrase tables.

Each report module keeps its phrases in one dict ``{key: {"zh": …, "en": …}}``
and looks them up with :func:`phrase`; column headers come from the codebook
(:func:`column_labels`) and item/scale/indicator names from the specs
(:func:`spec_label`). Nothing here computes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.reports.common.params import LANGS, check_choice

__all__ = ["phrase", "count_en", "spec_label", "column_labels", "relabel", "check_lang", "excel_sheet",
           "sheet_namer"]

_NOT_IN_SHEET = re.compile(r"[\[\]:*?/\\]")


def check_lang(lang: Any) -> str:
    """``lang`` if it is ``"zh"`` or ``"en"``, else ParameterError.

    Returns
    -------
    str
        ``"zh"`` or ``"en"``.
    """
    return check_choice(lang, LANGS, name="lang")


def phrase(phrases: Mapping[str, Mapping[str, str]], key: str, lang: str, **values: Any) -> str:
    """Phrase ``key`` in ``lang``, formatted with ``values``.

    Returns
    -------
    str
        The formatted phrase.

    Examples
    --------
    >>> P = {"n": {"zh": "共 {n} 个党小组", "en": "{n} groups"}}
    >>> phrase(P, "n", "zh", n=5), phrase(P, "n", "en", n=5)
    ('共 5 个党小组', '5 groups')
    """
    return phrases[key][lang].format(**values)


def count_en(n: Any, word: str, words: str | None = None) -> str:
    """``n`` and an English noun in the number it takes: ``1 group``, ``2 groups``, ``0 groups``.

    Examples
    --------
    >>> count_en(1, "group"), count_en(3, "group"), count_en(1, "day", "days")
    ('1 group', '3 groups', '1 day')
    """
    return f"{n} {word if str(n) == '1' else (words or word + 's')}"


def excel_sheet(phrases: Mapping[str, Mapping[str, str]], key: str, lang: str, **values: Any) -> str:
    """Excel sheet name of a key table: phrase ``sheet_<key>`` in ``lang``, made valid for Excel.

    Excel refuses ``[ ] : * ? / \\`` in a sheet name (each becomes ``-``), a
    name that starts or ends with an apostrophe, and more than 31 characters
    (the name is cut). Names from the phrase tables already obey this; values
    such as an attribute id are what the rule guards against.

    Returns
    -------
    str
        The sheet name, 1–31 characters.

    Examples
    --------
    >>> P = {"sheet_x": {"zh": "交叉分析 {by}", "en": "Crosstab {by}"}}
    >>> excel_sheet(P, "x", "zh", by="D1"), excel_sheet(P, "x", "en", by="Q3/a")
    ('交叉分析 D1', 'Crosstab Q3-a')
    """
    name = _NOT_IN_SHEET.sub("-", phrase(phrases, f"sheet_{key}", lang, **values)).strip("'")
    return name[:31].strip() or key[:31]


def sheet_namer(phrases: Mapping[str, Mapping[str, str]]) -> Callable[..., str]:
    """A report's ``sheet_name(key, lang, **values)``: :func:`excel_sheet` over its phrase table.

    Every report's display module binds it once (``sheet_name = sheet_namer(PHRASES)``)
    instead of writing the same wrapper.

    Returns
    -------
    callable
        ``sheet_name(key, lang, **values) -> str``, the Excel sheet name of key table
        ``key`` in ``lang`` (phrase ``sheet_<key>``, valid for Excel).

    Examples
    --------
    >>> sheet_name = sheet_namer({"sheet_grades": {"zh": "考评等级", "en": "Grades"}})
    >>> sheet_name("grades", "zh"), sheet_name("grades", "en")
    ('考评等级', 'Grades')
    """
    def sheet_name(key: str, lang: str, **values: Any) -> str:
        """Excel sheet name of key table ``key`` in ``lang`` (phrase ``sheet_<key>``, valid for Excel)."""
        return excel_sheet(phrases, key, check_lang(lang), **values)

    return sheet_name


def spec_label(entry: Mapping[str, Any] | None, lang: str, default: str = "") -> str:
    """Label of a spec entry (``{"zh": …, "en": …}``) in ``lang``, falling back to the other language.

    Returns
    -------
    str
        The label, or ``default`` when the entry has none.

    Examples
    --------
    >>> spec_label({"zh": "泵效", "en": "Pump efficiency"}, "en")
    'Pump efficiency'
    """
    if not entry:
        return default
    other = "en" if lang == "zh" else "zh"
    return str(entry.get(lang) or entry.get(other) or default)


def column_labels(table: str, lang: str, extra: Mapping[str, Mapping[str, str]] | None = None
                  ) -> dict[str, str]:
    """Canonical column -> label in ``lang`` for a codebook table, plus ``extra`` phrases.

    Returns
    -------
    dict of str to str
        Canonical column name -> display label.
    """
    out = {name: col.label(lang) for name, col in codebook()[table].columns.items()}
    for k, v in (extra or {}).items():
        out[k] = v[lang]
    return out


def relabel(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Copy of ``frame`` with columns renamed by ``labels`` (unknown columns unchanged).

    Returns
    -------
    pandas.DataFrame
        The same rows and columns in the same order, columns renamed.
    """
    return frame.rename(columns={c: labels.get(c, c) for c in frame.columns})

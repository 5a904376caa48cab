"""Report helpers used inside notebooks: key tables (also exported to Excel), HTML-safe text.

Small-cell suppression has one implementation, :mod:`grouplab.reports.common.disclosure`.

Compute first, format last: these functions only format and display; they never
change the numbers they are given.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd

from grouplab.reports.common.package import is_synthetic

__all__ = ["key_table", "escape", "say", "say_synthetic", "spssau_table", "TABLE_META_KEY"]

TABLE_META_KEY = "grouplab_key_table"


def escape(text: Any) -> str:
    """HTML-escape any value for safe display (``<script>`` becomes text).

    Examples
    --------
    >>> escape('<script>alert(1)</script>')
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def key_table(table: pd.DataFrame, name: str, *, caption: str | None = None, note: str | None = None,
              float_format: str | None = None, excel: bool = True, html: str | None = None) -> None:
    """Show ``table`` in a notebook, marked so that every export carries it.

    The one way a report shows a table: the batch's exports read the mark
    (``TABLE_META_KEY`` in the output's metadata), so a table shown by this
    function is in the HTML, in the Word export (a three-line table with
    ``caption`` above and ``note`` below) and in ``<report>.xlsx`` (one sheet
    per ``name``). A table displayed any other way reaches the HTML only.
    Cell text is HTML-escaped.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as it should appear (already rounded, labelled, suppressed).
    name : str
        Sheet name (≤ 31 characters in Excel), in the report's language.
    caption : str, optional
        Shown above the table (also the Word table's caption; without it the
        Word export uses the section heading).
    note : str, optional
        Shown under the table (stars, abbreviations, hidden cells).
    float_format : str, optional
        Format of floats in the HTML and Word views (e.g. ``"{:.1f}"``); default:
        as pandas shows them, so values rounded by the caller keep their digits.
    excel : bool
        False: shown in HTML and Word but left out of the workbook (a list of
        member IDs, which a workbook would carry further than the report).
    html : str, optional
        HTML to show instead of the default rendering (the 三线表 of
        :func:`grouplab.reports.common.threeline.threeline`); the exports still
        read the table itself.

    Returns
    -------
    None
        The table is displayed (with its metadata when run in IPython).
    """
    from IPython.display import HTML, display

    if html is None:
        fmt = (lambda v: float_format.format(v)) if float_format else None
        html = table.to_html(escape=True, na_rep="", index=False, float_format=fmt)
        if caption:
            html = f"<p><b>{escape(caption)}</b></p>\n" + html
        if note:
            html += f'\n<p style="font-size:0.85em">{escape(note)}</p>'
    data = json.loads(table.to_json(orient="split", index=False, date_format="iso"))
    payload = {"name": str(name)[:31], "caption": caption, "note": note, "float_format": float_format,
               "excel": bool(excel), "data": data}
    display(HTML(html), metadata={TABLE_META_KEY: payload})


def say(text: str) -> None:
    """Display one sentence of interpretation as an escaped HTML paragraph.

    Names in the data (units, groups) may contain markup; it is shown as text.
    """
    from IPython.display import HTML, display

    display(HTML(f'<p class="grouplab-say">{escape(text)}</p>'))


_SYNTHETIC = {"zh": "本报告使用内置的合成示例数据（非真实数据）。",
              "en": "This report runs on the embedded synthetic demo data (not real data)."}


def say_synthetic(data: Any, lang: str) -> None:
    """Say that the data are synthetic — only when they are
    (:func:`~grouplab.reports.common.package.is_synthetic`); on a user's own data nothing is shown."""
    if is_synthetic(data):
        say(_SYNTHETIC["zh" if lang == "zh" else "en"])


_PATHS = {
    "c": {"zh": "总效应 c（X→Y）", "en": "Total effect c (X→Y)"},
    "a": {"zh": "a 路径（X→M）", "en": "Path a (X→M)"},
    "b": {"zh": "b 路径（M→Y）", "en": "Path b (M→Y)"},
    "c_prime": {"zh": "直接效应 c′", "en": "Direct effect c′"},
    "indirect": {"zh": "间接效应 a×b", "en": "Indirect effect a×b"},
    "x:w": {"zh": "交互项 X×W", "en": "Interaction X×W"},
    "slope@-1SD": {"zh": "简单斜率（W 低，−1SD）", "en": "Simple slope (W low, −1 SD)"},
    "slope@mean": {"zh": "简单斜率（W 平均）", "en": "Simple slope (W mean)"},
    "slope@+1SD": {"zh": "简单斜率（W 高，+1SD）", "en": "Simple slope (W high, +1 SD)"},
}
_HEAD = {
    "item": {"zh": "项", "en": "Term"}, "effect": {"zh": "效应值", "en": "Effect"},
    "se": {"zh": "标准误", "en": "SE"}, "stat": {"zh": "t 值", "en": "t"}, "p": {"zh": "p 值", "en": "p"},
    "ci": {"zh": "95% CI", "en": "95% CI"}, "sig": {"zh": "结论", "en": "Conclusion"},
    "yes": {"zh": "显著", "en": "significant"}, "no": {"zh": "不显著", "en": "not significant"},
}


def spssau_table(table: pd.DataFrame, *, lang: str = "zh", digits: int = 3) -> pd.DataFrame:
    """Lay out a mediation or moderation result the way SPSSAU users read it.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`grouplab.models.mediation` or
        :func:`grouplab.models.moderation` (columns path, effect, se, stat, p,
        ci_low, ci_high).
    lang : {"zh", "en"}
    digits : int
        Decimals shown.

    Returns
    -------
    pandas.DataFrame
        项/Term, 效应值/Effect, 标准误/SE, t 值/t, p 值/p, 95% CI, 结论/Conclusion
        (significant when the 95 % CI excludes 0); text cells, ready to show.

    Examples
    --------
    >>> t = pd.DataFrame({"path": ["a", "indirect"], "effect": [0.6, 0.22], "se": [0.06, 0.04],
    ...                   "stat": [9.9, float("nan")], "p": [0.0001, float("nan")],
    ...                   "ci_low": [0.48, 0.15], "ci_high": [0.72, 0.30]})
    >>> spssau_table(t)["结论"].tolist()
    ['显著', '显著']
    """
    f = f"{{:.{digits}f}}"

    def num(v):
        return "" if pd.isna(v) else f.format(v)

    def pval(v):
        return "" if pd.isna(v) else ("<0.001" if v < 0.001 else f"{v:.3f}")

    sig = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    return pd.DataFrame({
        _HEAD["item"][lang]: [(_PATHS.get(p) or {}).get(lang, p) for p in table["path"]],
        _HEAD["effect"][lang]: table["effect"].map(num),
        _HEAD["se"][lang]: table["se"].map(num),
        _HEAD["stat"][lang]: table["stat"].map(num),
        _HEAD["p"][lang]: table["p"].map(pval),
        _HEAD["ci"][lang]: [f"[{num(lo)}, {num(hi)}]" for lo, hi in zip(table["ci_low"], table["ci_high"])],
        _HEAD["sig"][lang]: sig.map({True: _HEAD["yes"][lang], False: _HEAD["no"][lang]}),
    })

"""Report helpers used inside notebooks: key tables (also exported to Excel), small-cell suppression.

Compute first, format last: these functions only format and display; they never
change the numbers they are given.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd

__all__ = ["key_table", "suppress_small", "escape", "say", "TABLE_META_KEY"]

TABLE_META_KEY = "grouplab_key_table"


def escape(text: Any) -> str:
    """HTML-escape any value for safe display (``<script>`` becomes text).

    Examples
    --------
    >>> escape('<script>alert(1)</script>')
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def suppress_small(table: pd.DataFrame, *, count: str = "n", k: int = 5,
                   columns: list[str] | None = None, mark: str | None = None) -> pd.DataFrame:
    """Blank out cells computed from fewer than ``k`` respondents.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cell, with a count column.
    count : str
        Column holding the number of respondents behind the row.
    k : int
        Minimum cell size (default 5).
    columns : list of str, optional
        Columns to blank (default: every column except ``count`` and
        non-numeric ones).
    mark : str, optional
        Text shown instead of a suppressed count (default ``"<k"``).

    Returns
    -------
    pandas.DataFrame
        A copy with the numeric columns of rows where ``count < k`` set to
        missing, the count shown as ``mark`` and a ``suppressed`` bool column.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "mean": [3.5, 4.0]})
    >>> suppress_small(t)
      unit   n  mean  suppressed
    0    A  12   3.5       False
    1    B  <5   NaN        True
    """
    out = table.copy()
    small = out[count] < k
    cols = columns or [c for c in out.columns
                       if c != count and pd.api.types.is_numeric_dtype(out[c])]
    for c in cols:
        out[c] = out[c].astype("float64").where(~small)
    out[count] = out[count].astype(object).where(~small, mark or f"<{k}")
    out["suppressed"] = small.to_numpy()
    return out


def key_table(table: pd.DataFrame, name: str, *, caption: str | None = None,
              float_format: str = "{:.3f}") -> Any:
    """Display ``table`` in a notebook and mark it for the report's Excel export.

    The batch runner collects every key table of an executed notebook into
    ``<report>.xlsx`` (one sheet per ``name``). Cell text is HTML-escaped.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as it should appear (already rounded, labelled, suppressed).
    name : str
        Sheet name (≤ 31 characters in Excel).
    caption : str, optional
        Shown above the table.
    float_format : str
        Format of floats in the HTML view.

    Returns
    -------
    IPython.display.HTML
        The HTML object (displayed with metadata when run in IPython).
    """
    from IPython.display import HTML, display

    body = table.to_html(escape=True, na_rep="", index=False,
                         float_format=lambda v: float_format.format(v))
    if caption:
        body = f"<p><b>{escape(caption)}</b></p>\n" + body
    obj = HTML(body)
    payload = {"name": str(name)[:31], "data": json.loads(table.to_json(orient="split", index=False,
                                                                       date_format="iso"))}
    display(obj, metadata={TABLE_META_KEY: payload})
    return None


def say(text: str) -> None:
    """Display one sentence of interpretation as an escaped HTML paragraph.

    Names in the data (units, groups) may contain markup; it is shown as text.
    """
    from IPython.display import HTML, display

    display(HTML(f'<p class="grouplab-say">{escape(text)}</p>'))

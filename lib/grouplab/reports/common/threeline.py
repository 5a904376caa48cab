"""Three-line tables (三线表) of result tables: HTML for notebooks, and an Excel workbook.

Chinese journals print every statistical table as a 三线表: a thick rule above the
header, a thin rule below it, a thick rule under the last row, no vertical rules;
notes (significance stars, abbreviations) go under the table. These helpers only
format: the numbers arrive already rounded and labelled (see
:mod:`grouplab.reports.survey_study.display`).

The notebook form is a :func:`~grouplab.reports.common.tables.key_table` (same
Excel-export metadata, so a batch run collects it like any key table) with the
three-line style; :func:`write_threeline_xlsx` writes the same tables into a
workbook a researcher pastes into a manuscript.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.reports.common.tables import escape, key_table

__all__ = ["threeline_html", "threeline", "write_threeline_xlsx", "p_text", "p_eq", "num_text",
           "STARS_NOTE"]

STARS_NOTE = {"zh": "* p<0.05，** p<0.01，*** p<0.001", "en": "* p < .05, ** p < .01, *** p < .001"}

_STYLE = ("border-collapse:collapse;border-top:2px solid #000;border-bottom:2px solid #000;"
          "margin:0.5em 0;font-size:0.95em")
_TH = "border-bottom:1px solid #000;padding:3px 10px;text-align:center;font-weight:bold"
_TD = "padding:3px 10px;text-align:center"


def num_text(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` decimals; ``""`` for missing.

    Examples
    --------
    >>> num_text(0.12345), num_text(float("nan")), num_text(2, 1)
    ('0.123', '', '2.0')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    return "" if v != v else f"{v:.{digits}f}"


def p_text(p: Any) -> str:
    """p-value as journals print it: ``<0.001`` or three decimals; ``""`` for missing.

    Examples
    --------
    >>> p_text(0.0004), p_text(0.0312), p_text(None)
    ('<0.001', '0.031', '')
    """
    if p is None or pd.isna(p):
        return ""
    return "<0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def p_eq(p: Any) -> str:
    """``p<0.001`` or ``p=0.031`` for a sentence; ``""`` for missing.

    Examples
    --------
    >>> p_eq(0.0004), p_eq(0.0312)
    ('p<0.001', 'p=0.031')
    """
    text = p_text(p)
    return "" if not text else ("p" + text if text.startswith("<") else "p=" + text)


def threeline_html(table: pd.DataFrame, *, caption: str | None = None, note: str | None = None) -> str:
    """HTML of ``table`` as a 三线表 (cell text escaped; missing shown blank).

    Examples
    --------
    >>> html = threeline_html(pd.DataFrame({"a": [1]}), caption="表1")
    >>> "border-top:2px solid" in html and "表1" in html
    True
    """
    head = "".join(f'<th style="{_TH}">{escape(c)}</th>' for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        cells = "".join(f'<td style="{_TD}">{"" if pd.isna(v) else escape(v)}</td>' for v in row)
        rows.append(f"<tr>{cells}</tr>")
    cap = f'<caption style="caption-side:top;font-weight:bold">{escape(caption)}</caption>' if caption else ""
    foot = f'<p style="font-size:0.85em;margin-top:0">{escape(note)}</p>' if note else ""
    return (f'<table class="grouplab-threeline" style="{_STYLE}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{foot}')


def threeline(table: pd.DataFrame, name: str, *, caption: str | None = None, note: str | None = None) -> None:
    """Display ``table`` as a 三线表 through :func:`~grouplab.reports.common.tables.key_table`.

    Parameters
    ----------
    table : pandas.DataFrame
        Display table (text cells, already rounded and labelled).
    name : str
        Sheet name in the exported workbook (≤ 31 characters).
    caption, note : str, optional
        Title above and note (stars, abbreviations) below the table; the Word
        export prints them the same way.
    """
    key_table(table, name, caption=caption, note=note,
              html=threeline_html(table, caption=caption, note=note))


def write_threeline_xlsx(path: str | Path, tables: Mapping[str, pd.DataFrame], *,
                         captions: Mapping[str, str] | None = None,
                         notes: Mapping[str, str] | None = None) -> Path:
    """Write display tables to one workbook, one sheet each, ruled as 三线表.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    tables : mapping of sheet name → DataFrame
    captions, notes : mapping of sheet name → str, optional

    Returns
    -------
    Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thick, thin = Side(style="medium"), Side(style="thin")
    wb = Workbook()
    wb.remove(wb.active)
    for name, table in tables.items():
        ws = wb.create_sheet(str(name)[:31])
        r0 = 1
        if captions and captions.get(name):
            ws.cell(1, 1, captions[name]).font = Font(bold=True)
            r0 = 2
        for j, c in enumerate(table.columns, start=1):
            cell = ws.cell(r0, j, str(c))
            cell.font = Font(bold=True)
            cell.border = Border(top=thick, bottom=thin)
            cell.alignment = Alignment(horizontal="center")
        for i, row in enumerate(table.itertuples(index=False), start=r0 + 1):
            for j, v in enumerate(row, start=1):
                cell = ws.cell(i, j, None if pd.isna(v) else v)
                cell.alignment = Alignment(horizontal="center")
                if i == r0 + len(table):
                    cell.border = Border(bottom=thick)
        if notes and notes.get(name):
            ws.cell(r0 + len(table) + 1, 1, notes[name])
    path = Path(path)
    wb.save(path)
    return path

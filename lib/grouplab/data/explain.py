"""Say how each table of a dataset was read, so a user can see the kit understood the sheet.

:func:`reading_frame` lays out :attr:`grouplab.data.dataset.Dataset.reading`
(or the first result of :func:`~grouplab.data.dataset.inspect_dataset`) as one
row per fact; :func:`explain_text` prints it for ``grouplab validate --explain``.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["reading_frame", "explain_text"]

_COLUMNS = ["table", "file", "sheet", "what", "detail"]


def _span(rows: list[int]) -> str:
    """Row numbers as ranges: [1, 2, 3, 7] -> '1–3, 7'."""
    out, start = [], None
    for k, r in enumerate(rows):
        if start is None:
            start = r
        if k + 1 == len(rows) or rows[k + 1] != r + 1:
            out.append(str(start) if start == r else f"{start}–{r}")
            start = None
    return ", ".join(out)


def _rows(rows: list[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {_span(rows)}"


def reading_frame(reading: dict) -> pd.DataFrame:
    """One row per thing the reader decided: header rows, skipped rows/columns, matched columns.

    Parameters
    ----------
    reading : dict
        table -> list of per-source dicts, as in ``Dataset.reading``.

    Returns
    -------
    pandas.DataFrame
        - ``table``: table name
        - ``file``, ``sheet``: the source (sheet None for CSV)
        - ``what``: ``header``, ``skipped``, ``column``, ``period`` or ``month``
          (where it came from), ``unused``, ``size``
        - ``detail``: text, e.g. ``rows 3–4`` or ``理论学习（8分） -> I01``

    Examples
    --------
    >>> r = {"groups": [{"file": "g.csv", "sheet": None, "header_rows": [1], "skipped": [],
    ...                  "matched": {"group_id": "党小组编号"}, "rows": 2}]}
    >>> reading_frame(r)["detail"].tolist()
    ['row 1', '党小组编号 -> group_id', '2 rows']
    """
    out = []
    for table, sources in reading.items():
        for src in sources:
            def add(what, detail, src=src, table=table):
                out.append((table, src.get("file"), src.get("sheet"), what, detail))

            add("header", _rows([r for r in src.get("header_rows") or [] if r is not None]))
            for s in src.get("skipped") or []:
                where = _rows(s["rows"]) if "rows" in s else f"columns {', '.join(s['columns'])}"
                add("skipped", f"{where}: {s['why']}")
            if src.get("entity"):
                add("column", f"{src['entity']} -> entity (by {src.get('by')})")
            for header, target in (src.get("matched") or {}).items():
                if header.startswith("("):
                    add(header.strip("()"), f"from {target}")
                elif "entity" in src:  # a ledger: header -> item / month / indicator
                    add("column", f"{header} -> {target}")
                else:  # a tidy file: canonical -> header
                    add("column", f"{target} -> {header}")
            for role in ("total", "grade"):
                if src.get(role):
                    add("column", f"{src[role]} -> {role} (checked against the items)")
            if src.get("unused"):
                add("unused", ", ".join(src["unused"]))
            size = f"{src.get('rows', 0)} rows"
            if "values" in src:
                size += f" -> {src['values']} long rows"
            add("size", size)
    return pd.DataFrame(out, columns=_COLUMNS)


def explain_text(reading: dict) -> str:
    """:func:`reading_frame` as indented text, one block per file/sheet.

    Returns
    -------
    str
        ``table <- file, sheet S`` then one indented ``what: detail`` line per fact.
    """
    frame = reading_frame(reading)
    lines = []
    for (table, file, sheet), block in frame.groupby(["table", "file", "sheet"], sort=False, dropna=False):
        where = file if sheet is None or pd.isna(sheet) else f"{file}, sheet {sheet}"
        lines.append(f"{table} <- {where}")
        lines += [f"  {w}: {d}" for w, d in zip(block["what"], block["detail"], strict=True)]
    return "\n".join(lines)

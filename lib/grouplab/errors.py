"""Exceptions of grouplab.

One base class, :class:`GroupLabError`; :class:`DataError` for anything wrong
with the user's input. A DataError carries every :class:`Problem` found in a
file, so a user fixes them all in one pass instead of one traceback at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GroupLabError", "DataError", "Problem", "ParameterError", "require_columns", "FRAME_COLUMNS",
           "EN_WORDS"]

_MAX_LISTED = 50
#: columns of DataError.to_frame and their headers in Jupyter
_HEADERS = {"en": {"file": "File", "sheet": "Sheet", "cell": "Cell", "row": "Row", "column": "Column",
                   "rule": "Rule", "value": "Value", "hint": "What to do"},
            "zh": {"file": "文件", "sheet": "工作表", "cell": "单元格", "row": "行", "column": "列",
                   "rule": "规则", "value": "值", "hint": "处理建议"}}

#: How a Problem words its place, value and hint in English (``{}`` takes the part).
EN_WORDS = {"sep": ", ", "sheet": "sheet {}", "cell": "cell {}", "cell_column": " ({})", "row": "row {}",
            "column": "column '{}'", "rule": ": {}", "value": " (value: {!r})", "hint": ". {}"}

#: Columns of :meth:`DataError.to_frame`.
FRAME_COLUMNS = ["file", "sheet", "cell", "row", "column", "code", "rule", "value", "hint"]


class GroupLabError(Exception):
    """Base class of every error grouplab raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        File name as the user knows it (not a temporary path).
    row : int or None
        Row number as shown in Excel or a text editor: the header is row 1,
        the first data row is row 2 (shifted when rows above the header were
        skipped). ``None`` when the problem concerns the whole file or column.
    column : str or None
        Column header exactly as written in the file (e.g. ``考评得分``).
    rule : str
        The rule broken, in English words (``"allowed values: 优秀, 合格"``). With a ``code``
        it is the English wording of :data:`grouplab.data.problems.PROBLEMS` (built by
        :func:`grouplab.data.problems.problem`); code never compares it, it branches on ``code``.
    value : Any
        The offending value, as read.
    hint : str
        What to do about it.
    sheet : str or None
        Excel sheet, when the file is a workbook read as a ledger.
    cell : str or None
        Excel cell such as ``F7`` (column letter and row), when known; the
        message then reads ``file, sheet S, cell F7 (header)``.
    code : str
        What is wrong, as a key of the phrase table :data:`grouplab.data.problems.PROBLEMS`
        (``"missing_column"``); ``""`` for a problem written as prose only (old style).
    values : Mapping
        The values its wording is filled with (``{"header": "党小组编号"}``); not compared.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    value: Any = None
    hint: str = ""
    sheet: str | None = None
    cell: str | None = None
    code: str = ""
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.describe()

    def describe(self, rule: str | None = None, hint: str | None = None,
                 words: Mapping[str, str] = EN_WORDS) -> str:
        """The problem as one line: where, rule, value, hint, in ``words`` (:data:`EN_WORDS` by default;
        :func:`grouplab.data.problems.problem_text` passes Chinese ones and the rule and hint in Chinese)."""
        rule, hint = (self.rule if rule is None else rule), (self.hint if hint is None else hint)
        where = [self.file]
        if self.sheet is not None:
            where.append(words["sheet"].format(self.sheet))
        if self.cell is not None:
            where.append(words["cell"].format(self.cell)
                         + (words["cell_column"].format(self.column) if self.column is not None else ""))
        elif self.row is not None:
            where.append(words["row"].format(self.row))
        if self.cell is None and self.column is not None:
            where.append(words["column"].format(self.column))
        text = words["sep"].join(where) + words["rule"].format(rule)
        if self.value is not None:
            text += words["value"].format(self.value)
        if hint:
            text += words["hint"].format(hint)
        return text


class DataError(GroupLabError, ValueError):
    """Bad input data: names the file, row, column, rule and offending value.

    Parameters
    ----------
    problems : list of Problem, or str
        Everything found wrong. A plain string makes a single file-level problem
        (then pass ``file``) without wording in Chinese; grouplab itself always passes coded
        problems (``tests/test_architecture.py`` checks).
    file : str, optional
        File the string problem concerns.
    hint : str, optional
        Suggestion for a string problem.

    Examples
    --------
    >>> err = DataError([Problem("groups.csv", 3, "members", "must be >= 1", 0)])
    >>> print(err)
    1 problem in groups.csv:
      - groups.csv, row 3, column 'members': must be >= 1 (value: 0)
    """

    def __init__(self, problems: list[Problem] | str, *, file: str = "", hint: str = "", code: str = ""):
        if isinstance(problems, str):
            problems = [Problem(file or "<input>", None, None, problems, None, hint, code=code)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._message())

    @property
    def files(self) -> list[str]:
        """Files named by the problems, in order of first appearance."""
        return list(dict.fromkeys(p.file for p in self.problems))

    def _message(self) -> str:
        n = len(self.problems)
        files = ", ".join(self.files) or "<input>"
        head = f"{n} problem{'s' if n != 1 else ''} in {files}:"
        lines = [f"  - {p}" for p in self.problems[:_MAX_LISTED]]
        if n > _MAX_LISTED:
            lines.append(f"  … and {n - _MAX_LISTED} more (see DataError.problems)")
        return "\n".join([head, *lines])

    def to_frame(self):
        """Problems as a DataFrame (columns: file, sheet, cell, row, column, code, rule, value, hint).

        ``rule`` is in English; :func:`grouplab.data.problems.problems_frame` gives it in Chinese.
        """
        import pandas as pd

        return pd.DataFrame([vars(p) for p in self.problems], columns=FRAME_COLUMNS)

    #: language of :meth:`_repr_html_` when ``GROUPLAB_LANG`` is not set (the dataset's, set on load)
    lang: str | None = None

    def _repr_html_(self) -> str:
        """The problems as a table in Jupyter (first 50 and the total), every value escaped."""
        import html
        import os

        import pandas as pd

        lang = os.environ.get("GROUPLAB_LANG") if os.environ.get("GROUPLAB_LANG") in _HEADERS else None
        lang = lang or (self.lang if self.lang in _HEADERS else "zh")
        n = len(self.problems)
        frame = self.to_frame().drop(columns="code").head(_MAX_LISTED)
        frame = frame.assign(row=pd.array(frame["row"], dtype="Int64")).astype(object)
        frame = frame.where(frame.notna(), "")
        frame = frame.drop(columns=[c for c in ("sheet", "cell") if not frame[c].astype(bool).any()])
        frame = frame.rename(columns=_HEADERS[lang])  # sheet and cell only when a workbook has them
        frame.index = range(1, len(frame) + 1)
        head = (f"{n} 个问题：{'、'.join(self.files)}" if lang == "zh" else
                f"{n} problem{'s' if n != 1 else ''} in {', '.join(self.files)}")
        if n > _MAX_LISTED:
            head += (f"（列出前 {_MAX_LISTED} 个）" if lang == "zh" else f" (first {_MAX_LISTED} listed)")
        return ("<style>div.grouplab-error table.gl td,div.grouplab-error table.gl th{text-align:left;"
                "vertical-align:top}div.grouplab-error table.gl th{white-space:nowrap}</style>"
                f'<div class="grouplab-error"><p><b>DataError</b> · {html.escape(head)}</p>'
                f"{frame.to_html(escape=True, na_rep='', classes='gl')}</div>")


class ParameterError(GroupLabError, ValueError):
    """A notebook or batch parameter is invalid (unknown name, id, or type)."""


def require_columns(df: Any, columns, what: str) -> None:
    """Raise DataError unless ``df`` is a DataFrame holding every one of ``columns``.

    Parameters
    ----------
    df : Any
        The input to check.
    columns : iterable of str
        Canonical column names the caller needs.
    what : str
        How to name the input in the message (e.g. ``"evaluations"``).

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], "t")
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "t")
    Traceback (most recent call last):
    ...
    grouplab.errors.DataError: 1 problem in t:
      - t: missing column(s) b; found: a. Load the table with grouplab.load_dataset/read_table, which renames headers to the codebook's canonical names.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise DataError([Problem(what, None, None, f"{what} must be a pandas DataFrame, got {type(df).__name__}",
                                 code="not_a_frame", values={"what": what, "type": type(df).__name__})])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError([Problem(
            what, None, None,
            f"missing column(s) {', '.join(missing)}; found: {', '.join(map(str, df.columns))}",
            hint="Load the table with grouplab.load_dataset/read_table, which renames "
                 "headers to the codebook's canonical names.",
            code="missing_columns", values={"missing": ", ".join(missing),
                                            "found": ", ".join(map(str, df.columns))})])


def damaged_file(file: str, kind: str, exc: BaseException,
                 why: str = "file damaged or truncated?") -> DataError:
    """The DataError for a file its reader cannot parse at all (truncated, corrupt, mislabelled)."""
    return DataError([Problem(file, None, None, f"cannot be read as {kind} ({why})",
                              f"{type(exc).__name__}: {exc}"[:200],
                              "Open it in Excel and save it again, or ask for a fresh copy",
                              code="unreadable_file", values={"kind": kind, "why": why})])

"""Reader for 问卷星 (Wenjuanxing, wjx.cn) survey exports.

问卷星 exports answers in two forms:

- 按序号 (numeric): single-choice columns hold option codes 1..k; a
  multi-select question becomes one 0/1 column per option, headed
  ``第6题(运动)``; a matrix question one column per row (``7(子题)`` or
  ``7、题干—子题`` then ``7、子题``); ``-2`` marks a question skipped by jump
  logic (跳过) and ``-3`` one hidden by display logic (未显示).
- 按文本 (text): option labels; multi-select labels joined by ``┋``; fill-in
  text in 〖〗 (``其他〖xxx〗``); ``(跳过)`` and ``(空)`` mark skipped / empty.

Both start with metadata columns 序号, 提交答卷时间, 所用时间, 来源, 来源详情,
来自IP (older exports put 来自IP before 来源); 来自IP is dropped on load. The
work is done by the platform-profile reader
:func:`grouplab.data.surveys.platforms.read_export`; this module keeps the
问卷星-only entry point.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from grouplab.data.surveys.platforms import read_export

__all__ = ["read_wjx"]


def read_wjx(path: str | Path, *, form: str = "auto") -> pd.DataFrame:
    """Read a 问卷星 export (.xls, .xlsx or .csv) into one row per respondent.

    Parameters
    ----------
    path : str or Path
        The export as downloaded from 问卷星 (按序号 or 按文本).
    form : {"auto", "numeric", "text"}, default "auto"
        Export form; ``"auto"`` detects it, the others insist on it.

    Returns
    -------
    pandas.DataFrame
        As :func:`~grouplab.data.surveys.platforms.read_export` with
        ``platform="wjx"``: ``respondent_id`` (序号), ``submitted``,
        ``duration_s``, ``source``, ``source_detail`` (when in the export),
        ``total_score`` (总分, when present), then ``Q<n>`` single choice /
        text, ``Q<n>_<k>`` multi-select options, ``Q<n>.<r>`` matrix rows and
        ``Q<n>_other_text``; details in ``attrs['wjx']``.

    Raises
    ------
    DataError
        Not a 问卷星 export (no 序号), unrecognised columns, duplicate or empty
        序号, bad 0/1 option codes, unreadable times, or a ``form`` that does
        not match the file; each problem names file, row, header and value.
    ParameterError
        ``form`` not one of the three values.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wjx.csv"
    >>> _ = p.write_text("序号,所用时间,来自IP,1、性别,第2题(运动)\\n7,2分30秒,1.2.3.4,-2,1\\n",
    ...                  encoding="utf-8")
    >>> df = read_wjx(p)
    >>> df[["respondent_id", "duration_s", "Q1", "Q2_1"]].to_dict("records")
    [{'respondent_id': '7', 'duration_s': 150.0, 'Q1': None, 'Q2_1': 1}]
    >>> df.attrs["wjx"]["missing"][0]["reason"]
    'skipped (跳过)'
    """
    return read_export(path, platform="wjx", form=form)

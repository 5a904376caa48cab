"""What a researcher sees of a dataset in JupyterLab: its tables at a glance, and where data are missing.

``Dataset._repr_html_`` and ``Dataset.summary()`` come from :func:`dataset_html` / :func:`summary`;
:func:`coverage` counts records per unit (or group) and period. Results of models are shown by
:mod:`grouplab.data.results`. Every value shown is HTML-escaped, so a cell holding markup is shown as text.

The language is the one set with :func:`set_display_lang` (the ``GROUPLAB_LANG`` environment
variable, which kernels inherit), else the dataset's ``lang`` in ``dataset.yml``, else Chinese.
"""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Mapping
from typing import Any

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.explain import reading_frame
from grouplab.data.notes import LANGS
from grouplab.data.periods import half_year_of
from grouplab.errors import DataError, ParameterError

__all__ = ["LANGS", "SUMMARY_COLUMNS", "COVERAGE_COLUMNS", "CSS", "choose_lang", "display_lang",
           "set_display_lang", "summary", "coverage", "dataset_html", "dataset_text", "show_data_errors",
           "dataset_name"]

#: Columns of :func:`summary`.
SUMMARY_COLUMNS = ["table", "label", "rows", "key", "first", "last", "units", "files", "privacy", "notes"]
#: Columns of :func:`coverage` (``unit_id`` or ``group_id`` first, by ``by``).
COVERAGE_COLUMNS = ["period", "table", "rows"]
_PERIODS = ("year", "half", "quarter", "month")
_BY = {"unit": "unit_id", "group": "group_id"}

_T = {
    "zh": {"table": "表", "rows": "行数", "key": "主键", "range": "日期范围", "units": "覆盖单位",
           "files": "来源文件", "privacy": "隐私处理", "notes": "读取说明",
           "synthetic": "合成数据（非真实）", "synthetic_word": "合成",
           "tables": "{n} 张表", "study": "研究期 {a} 至 {b}", "sheet": "工作表",
           "dropped": "删除", "masked": "遮蔽", "pseudonymised": "假名化", "none": "—"},
    "en": {"table": "Table", "rows": "Rows", "key": "Key", "range": "Dates", "units": "Units",
           "files": "Source files", "privacy": "Privacy", "notes": "Reading notes",
           "synthetic": "synthetic, not real",
           "synthetic_word": "synthetic", "tables": "{n} tables", "study": "study {a} to {b}",
           "sheet": "sheet", "dropped": "dropped", "masked": "masked", "pseudonymised": "pseudonymised",
           "none": "—"},
}
#: styles of every display (scoped to the ``grouplab-display`` block)
CSS = ("<style>div.grouplab-display table.gl{border-collapse:collapse;font-size:12px}"
       "div.grouplab-display table.gl th,div.grouplab-display table.gl td{padding:2px 8px;text-align:left;"
       "vertical-align:top;border-bottom:1px solid #e0e0e0}"
       "div.grouplab-display table.gl th{white-space:nowrap}"
       "div.grouplab-display table.gl td.num{text-align:right;font-variant-numeric:tabular-nums}"
       "div.grouplab-display table.gl td.nowrap{white-space:nowrap}"
       "div.grouplab-display p.head{margin:0 0 4px 0}</style>")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


# ------------------------------------------------------------------------------------------ language
def display_lang(default: str | None = None) -> str:
    """The language of displays: :func:`set_display_lang` (``GROUPLAB_LANG``), else ``default``, else zh.

    Returns
    -------
    str
        ``"zh"`` or ``"en"``.
    """
    env = os.environ.get("GROUPLAB_LANG")
    if env in LANGS:
        return env
    return default if default in LANGS else "zh"


def set_display_lang(lang: str | None) -> None:
    """Show datasets, data errors and results in ``lang`` (``"zh"``/``"en"``; None: each dataset's own).

    Sets ``GROUPLAB_LANG`` in this process (kernels and workers started from it inherit it).

    Raises
    ------
    ParameterError
        ``lang`` not zh, en or None.
    """
    if lang is None:
        os.environ.pop("GROUPLAB_LANG", None)
        return
    if lang not in LANGS:
        raise ParameterError(f"lang must be 'zh' or 'en', got {lang!r}")
    os.environ["GROUPLAB_LANG"] = lang


def choose_lang(ds: Any, lang: str | None) -> str:
    """The display language: ``lang`` if given (zh or en), else the dataset's (:func:`display_lang`)."""
    if lang is not None:
        if lang not in LANGS:
            raise ParameterError(f"lang must be 'zh' or 'en', got {lang!r}")
        return lang
    return display_lang(getattr(ds, "lang", None))


def dataset_name(ds: Any, lang: str) -> str:
    """The dataset's name in ``lang`` when the manifest gives one (``name: {zh: …, en: …}``)."""
    raw = ds.manifest.get("name") if hasattr(ds, "manifest") else None
    if isinstance(raw, Mapping) and isinstance(raw.get(lang), str):
        return raw[lang]
    return str(ds.name)


# ------------------------------------------------------------------------------------------ summary
def _dated(table: str, df: pd.DataFrame) -> str | None:
    """The column that dates a table's rows: its window column (date, month, half-year), else ``wave``."""
    spec = codebook().get(table)
    cols = [c for c, s in spec.columns.items() if s.window and c in df] if spec else []
    cols += ["wave"] if "wave" in df else []
    cols += [c for c, s in spec.columns.items()  # a record's own date (posts: start), not a founding date
             if s.dtype in ("date", "month") and not s.nullable and c in df] if spec else []
    return cols[0] if cols else None


def _shown(value: Any, table: str, column: str) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    spec = codebook().get(table)
    dtype = spec.columns[column].dtype if spec and column in spec.columns else "str"
    if dtype == "month":
        return pd.Timestamp(value).strftime("%Y-%m")
    if dtype in ("date", "datetime"):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def _units_of(ds: Any, table: str, df: pd.DataFrame) -> pd.Series | None:
    """The unit of each row: its ``unit_id`` (``entity_id`` of indicators), else its group's unit."""
    if table == "units" or (table == "indicators" and "entity_id" in df):
        return df["unit_id" if table == "units" else "entity_id"].astype("string")
    out = df["unit_id"].astype("string") if "unit_id" in df else None
    if "group_id" in df and "groups" in ds.tables:
        g = ds.tables["groups"]
        unit = dict(zip(g["group_id"].astype(str), g["unit_id"].astype(str), strict=True))
        via = df["group_id"].astype("string").map(unit)
        out = via.astype("string") if out is None else out.fillna(via.astype("string"))
    return out


def _notes(reading: Mapping, table: str) -> int:
    """Reading notes of a table: skipped rows/columns, where a period/month/kind came from, unused columns."""
    if not reading.get(table):
        return 0
    what = reading_frame({table: reading[table]})["what"]
    return int((~what.isin(["header", "read", "size", "export", "column"])).sum())


def _files(ds: Any, table: str) -> list[str]:
    out = []
    for src in ds.reading.get(table, []):
        f = str(src.get("file"))
        out.append(f if src.get("sheet") in (None, "") else f"{f} [{src['sheet']}]")
    return list(dict.fromkeys(out))


def summary(ds: Any) -> pd.DataFrame:
    """One row per table of a dataset: size, key, date range, units covered, sources, privacy, notes.

    Returns
    -------
    pandas.DataFrame
        - ``table``: table name; ``label``: its Chinese name from the codebook
        - ``rows``: records; ``key``: the columns identifying a record (``group_id, period, item_id``)
        - ``first``, ``last``: earliest and latest date (month, half-year or wave) as written, else None
        - ``units``: distinct units the records belong to (by ``unit_id``, else their group's unit)
        - ``files``: source files read (``file [sheet]`` for a workbook sheet), comma-separated
        - ``privacy``: columns privacy dropped, masked or pseudonymised on load
        - ``notes``: reading notes (skipped rows or columns, where a period or month came from, unused
          columns), as ``grouplab validate --explain`` lists them
    """
    rows = []
    privacy = ds.privacy if ds.privacy is not None else pd.DataFrame(columns=["table"])
    for table, df in ds.tables.items():
        spec = codebook().get(table)
        col = _dated(table, df)
        first = last = None
        if col is not None and df[col].notna().any():
            first, last = _shown(df[col].min(), table, col), _shown(df[col].max(), table, col)
        units = _units_of(ds, table, df)
        rows.append({"table": table, "label": spec.zh if spec else table, "rows": len(df),
                     "key": ", ".join(spec.key) if spec else "", "first": first, "last": last,
                     "units": int(units.nunique()) if units is not None else None,
                     "files": ", ".join(_files(ds, table)),
                     "privacy": int((privacy["table"] == table).sum()),
                     "notes": _notes(ds.reading, table)})
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out["units"] = out["units"].astype("Int64")
    return out


# ------------------------------------------------------------------------------------------ coverage
def _period_of(values: pd.Series, table: str, column: str, period: str) -> pd.Series | None:
    """Period labels (``2019``, ``2019H1``, ``2019Q1``, ``2019-01``) of dates, half-years or waves."""
    spec = codebook().get(table)
    dtype = spec.columns[column].dtype if spec and column in spec.columns else "int"
    if dtype == "period" or column == "wave":  # half-years 2019H1, survey waves 2019
        text = values.astype("string")
        if period == "year":
            return text.str[:4]
        return text if period == "half" and dtype == "period" else None
    when = pd.to_datetime(values, errors="coerce")
    if period == "half":
        return half_year_of(when).astype("string")
    freq = {"year": "Y", "quarter": "Q", "month": "M"}[period]
    return when.dt.to_period(freq).astype("string")


def coverage(ds: Any, by: str = "unit", period: str = "year") -> pd.DataFrame:
    """Records of each dated table per unit (or group) and period, zeros included: where data are missing.

    Parameters
    ----------
    by : {"unit", "group"}
        Count per unit (a record's ``unit_id``, else its group's unit) or per Party group.
    period : {"year", "half", "quarter", "month"}
        Calendar period; half-year evaluations have no quarter or month, survey waves only a year
        (such tables are left out at that resolution).

    Returns
    -------
    pandas.DataFrame
        ``unit_id`` (or ``group_id``), ``period`` (``2019``, ``2019H1``, ``2019Q1``, ``2019-01``),
        ``table``, ``rows``: every unit (group) of the units (groups) table × every period a table
        covers × table, with 0 where that unit has no record in that period.

    Raises
    ------
    ParameterError
        Unknown ``by`` or ``period``.
    """
    if by not in _BY:
        raise ParameterError(f"by must be one of {', '.join(_BY)}, got {by!r}")
    if period not in _PERIODS:
        raise ParameterError(f"period must be one of {', '.join(_PERIODS)}, got {period!r}")
    key = _BY[by]
    base = ds.tables.get("units" if by == "unit" else "groups")
    ids = sorted(base[key].astype(str).unique()) if base is not None else []
    parts = []
    for table, df in ds.tables.items():
        col = _dated(table, df)
        who = (_units_of(ds, table, df) if by == "unit" else
               df["group_id"].astype("string") if "group_id" in df else None)
        when = None if col is None or who is None else _period_of(df[col], table, col, period)
        if when is None or not when.notna().any():
            continue
        counts = pd.DataFrame({key: who, "period": when}).dropna().value_counts()
        grid = pd.MultiIndex.from_product([sorted(set(ids) | set(who.dropna())),
                                           sorted(when.dropna().unique())], names=[key, "period"])
        part = counts.reindex(grid, fill_value=0).rename("rows").reset_index()
        part.insert(2, "table", table)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[key, *COVERAGE_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    out["rows"] = out["rows"].astype("int64")
    return out[[key, *COVERAGE_COLUMNS]]


# ------------------------------------------------------------------------------------------ dataset display
def _privacy_text(ds: Any, table: str, t: Mapping[str, str]) -> str:
    if ds.privacy is None or not len(ds.privacy):
        return t["none"]
    acts = ds.privacy.loc[ds.privacy["table"] == table, "action"].value_counts()
    return " · ".join(f"{t.get(a, a)} {n}" for a, n in acts.items()) or t["none"]


def _dataset_head(ds: Any, lang: str) -> list[str]:
    t = _T[lang]
    bits = [t["tables"].format(n=len(ds.tables))]
    if ds.study_window is not None:
        a, b = (w.strftime("%Y-%m") for w in ds.study_window)
        bits.append(t["study"].format(a=a, b=b))
    name = dataset_name(ds, lang)
    if ds.synthetic and t["synthetic_word"] not in name:  # unless the name says so already
        bits.append(t["synthetic"])
    return [name, " · ".join(bits)]


def _dataset_rows(ds: Any, lang: str) -> list[list[str]]:
    t, spec = _T[lang], codebook()
    rows = []
    for r in summary(ds).itertuples(index=False):
        label = spec[r.table].label(lang) if r.table in spec else r.table
        label = label if label.lower() == r.table else f"{label} ({r.table})"  # not "Units (units)"
        dates = t["none"] if pd.isna(r.first) else (r.first if r.first == r.last else f"{r.first} – {r.last}")
        rows.append([label, f"{r.rows:,}", r.key, dates,
                     t["none"] if pd.isna(r.units) else str(r.units), r.files,
                     _privacy_text(ds, r.table, t), str(r.notes)])
    return rows


_DS_HEAD = ("table", "rows", "key", "range", "units", "files", "privacy", "notes")
_CLASS = {"rows": "num", "units": "num", "notes": "num", "range": "nowrap"}


def dataset_html(ds: Any, lang: str | None = None) -> str:
    """The dataset as a compact HTML block: name, windows, then one line per table (no links).

    Returns
    -------
    str
        HTML; every name and value escaped.
    """
    lang = choose_lang(ds, lang)
    t = _T[lang]
    name, line = _dataset_head(ds, lang)
    head = "".join(f"<th>{_e(t[h])}</th>" for h in _DS_HEAD)
    body = "".join("<tr>" + "".join(f'<td class="{_CLASS.get(h, "")}">{_e(v)}</td>'
                                    for h, v in zip(_DS_HEAD, row, strict=True)) + "</tr>"
                   for row in _dataset_rows(ds, lang))
    return (f'{CSS}<div class="grouplab-display"><p class="head"><b>{_e(name)}</b> · {_e(line)}</p>'
            f'<table class="gl"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def dataset_text(ds: Any, lang: str | None = None) -> str:
    """The dataset as plain text: name line, then ``table: rows, dates, units`` per table.

    Returns
    -------
    str
        Several lines, in ``lang``.
    """
    lang = choose_lang(ds, lang)
    t = _T[lang]
    name, line = _dataset_head(ds, lang)
    out = [f"{name} · {line}"]
    for row in _dataset_rows(ds, lang):
        out.append(f"  {row[0]}: {t['rows']} {row[1]} · {row[3]} · {t['units']} {row[4]}")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ raised errors
def _data_error_shown(shell: Any, etype: type, value: BaseException, tb: Any,
                      tb_offset: Any = None) -> list[str]:
    """IPython's handler of a raised DataError: the problems as a table, then one line, not a traceback."""
    from IPython.display import display

    display({"text/html": value._repr_html_(), "text/plain": str(value)}, raw=True)
    n = len(getattr(value, "problems", []))
    stb = [f"{etype.__name__}: {n} problem{'s' if n != 1 else ''} (listed above; %tb shows the traceback)"]
    shell._showtraceback(etype, value, stb)  # IPython only calls the handler: we send the error output
    return stb


def show_data_errors(shell: Any = None) -> bool:
    """In IPython or Jupyter, show a raised :class:`~grouplab.errors.DataError` as its table of problems.

    Called when grouplab is imported in a kernel. The cell still fails (papermill and nbval see a
    ``DataError``); its output is the table (:meth:`DataError._repr_html_`) and one line instead of a
    traceback (``%tb`` shows it). IPython keeps one such handler: this replaces another set before.

    Returns
    -------
    bool
        True when a shell was found and the handler set.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")  # not imported: not in IPython, and no need to import it
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((DataError,), _data_error_shown)
    return True

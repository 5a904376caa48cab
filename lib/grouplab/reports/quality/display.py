"""Display tables, figures and sentences of the data-quality report, in one language.

Column headers, table names and codebook column names are shown by their
codebook labels in ``lang``; rule texts of problems are shown as the checks
wrote them.
"""

from __future__ import annotations

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.dataset import Dataset
from grouplab.data.explain import WHAT
from grouplab.reports.common.labels import check_lang, count_en, phrase, sheet_namer
from grouplab.reports.quality.phrases import ACTIONS, DETECTED, KINDS
from grouplab.reports.quality.phrases import PHRASES as P
from grouplab.reports.quality.tables import (
    coverage,
    flag_sources,
    missingness,
    privacy_table,
    reading_table,
    table_overview,
)

__all__ = ["status_sentence", "format_problems", "format_overview", "format_coverage",
           "format_missingness", "plot_coverage", "sheet_name", "table_label", "format_reading",
           "format_privacy", "privacy_sentence", "format_flag_sources"]


def table_label(table: str, lang: str) -> str:
    """Codebook label of ``table`` in ``lang`` (the table id if the codebook has none)."""
    spec = codebook().get(table)
    return spec.label(lang) if spec is not None else table


def _column_label(table: str, column: str, lang: str) -> str:
    cols = codebook()[table].columns if table in codebook() else {}
    return cols[column].label(lang) if column in cols else column


#: Excel sheet name of a key table (``problems``, ``tables``, ``cov``, ``missing``).
sheet_name = sheet_namer(P)


def status_sentence(ds: Dataset | None, problems: pd.DataFrame, lang: str) -> str:
    """Whether the dataset passed, in one sentence."""
    if ds is not None and problems.empty:
        return phrase(P, "status_ok", lang, n=len(ds.tables))
    return phrase(P, "status_bad", lang, n=len(problems))


def format_problems(problems: pd.DataFrame, lang: str, *, limit: int = 100) -> pd.DataFrame:
    """The first ``limit`` problems with headers in ``lang`` (file, row, column, rule, value, what to do).

    Returns
    -------
    pandas.DataFrame
        Columns 文件/File, 行号/Row, 列/Column, 规则/Rule, 值/Value, 处理建议/What to do.
    """
    cols = ["file", "row", "column", "rule", "value", "hint"]
    return problems[cols].head(limit).rename(columns={c: P[c][lang] for c in cols})


def format_overview(ds: Dataset | None, lang: str) -> pd.DataFrame:
    """:func:`~.tables.table_overview` labelled: table, rows, columns, key (column labels), from, to.

    Returns
    -------
    pandas.DataFrame
        Columns 数据表/Table, 行数/Rows, 列数/Columns, 主键/Key, 起/From, 止/To.
    """
    t = table_overview(ds, lang=lang)
    sep = "、" if lang == "zh" else ", "
    keys = [sep.join(_column_label(tb, k.strip(), lang) for k in key.split(","))
            for tb, key in zip(t["table"], t["key"])]
    return pd.DataFrame({P["table"][lang]: t["label"], P["rows"][lang]: t["rows"],
                         P["columns"][lang]: t["columns"], P["key"][lang]: keys,
                         P["first"][lang]: t["first"], P["last"][lang]: t["last"]})


def _unit_names(ds: Dataset | None, ids) -> list[str]:
    """Each unit's name (its id where the units table has none): reports show names, not ids."""
    units = None if ds is None else ds.tables.get("units")
    names = {} if units is None else dict(zip(units["unit_id"].astype(str), units["name"].astype(str),
                                              strict=True))
    return [names.get(str(u), str(u)) for u in ids]


def format_coverage(ds: Dataset | None, table: str, lang: str) -> pd.DataFrame:
    """:func:`~.tables.coverage` by year with the unit's name as a labelled first column.

    Returns
    -------
    pandas.DataFrame
        单位/Unit (the name), then one column per year (record counts).
    """
    t = coverage(ds, table)
    out = t.reset_index()
    out["unit_id"] = _unit_names(ds, out["unit_id"])
    out = out.rename(columns={"unit_id": P["unit"][lang]})
    out.columns = [str(c) for c in out.columns]
    return out


def format_missingness(ds: Dataset | None, lang: str) -> pd.DataFrame:
    """:func:`~.tables.missingness` with table and column labels in ``lang`` and the share in %.

    Returns
    -------
    pandas.DataFrame
        数据表/Table, 列/Column, 缺失数/Empty cells, 缺失比例（%）/Empty (%) (1 decimal).
    """
    t = missingness(ds)
    return pd.DataFrame({P["table"][lang]: [table_label(x, lang) for x in t["table"]],
                         P["column"][lang]: [_column_label(a, b, lang)
                                             for a, b in zip(t["table"], t["column"])],
                         P["missing"][lang]: t["missing"], P["share"][lang]: (100 * t["share"]).round(1)})


def plot_coverage(ds: Dataset | None, table: str, lang: str):
    """Heatmap of record counts per unit and year (the matplotlib Figure; None without records)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from grouplab.reports.common.plots import use_theme

    use_theme()
    cov = coverage(ds, table)
    if cov.empty:
        return None
    cov.index = _unit_names(ds, cov.index)
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(cov), 4) + 1.5))
    sns.heatmap(cov, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax)
    ax.set(xlabel=P["year"][lang], ylabel=P["unit"][lang],
           title=phrase(P, "cov_title", lang, table=table_label(table, lang)))
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


def format_reading(ds: Dataset | None, data_dir, lang: str) -> pd.DataFrame:
    """:func:`~.tables.reading_table` labelled in ``lang``: one row per fact about how a file was read.

    Returns
    -------
    pandas.DataFrame
        数据表/Table, 文件/File, 工作表/Sheet (empty for CSV), 项目/What, 说明/Detail.
    """
    t = reading_table(ds, data_dir, lang=check_lang(lang))
    return pd.DataFrame({P["table"][lang]: [table_label(x, lang) for x in t["table"]],
                         P["file"][lang]: t["file"],
                         P["sheet"][lang]: t["sheet"].fillna("").astype(str),
                         P["what"][lang]: [WHAT.get(w, {}).get(lang, w) for w in t["what"]],
                         P["detail"][lang]: t["detail"]})


def _label(table: dict, key, lang: str) -> str:
    return ", ".join(table.get(k, {}).get(lang, k) for k in str(key).split(",")) if lang == "en" else \
        "、".join(table.get(k, {}).get(lang, k) for k in str(key).split(","))


def format_privacy(ds: Dataset | None, lang: str) -> pd.DataFrame:
    """:func:`~.tables.privacy_table` labelled in ``lang``: which column of which file was removed, and why.

    Returns
    -------
    pandas.DataFrame
        文件/File, 列（原表头）/Column as written, 内容/What it held, 识别方式/Found by, 处理/Action.
    """
    t = privacy_table(ds)
    lang = check_lang(lang)
    return pd.DataFrame({P["file"][lang]: t["file"], P["written"][lang]: t["column"],
                         P["kind"][lang]: [_label(KINDS, k, lang) for k in t["kind"]],
                         P["detected"][lang]: [_label(DETECTED, d, lang) for d in t["detected"]],
                         P["action"][lang]: [_label(ACTIONS, a, lang) for a in t["action"]]})


def privacy_sentence(ds: Dataset | None, lang: str) -> str:
    """What privacy did on load, in one sentence (counts of dropped, masked and pseudonymised columns)."""
    if ds is None:
        return phrase(P, "privacy_invalid", lang)
    t = privacy_table(ds)
    if t.empty:
        return phrase(P, "privacy_none", lang)
    n = t["action"].value_counts()
    out = phrase(P, "privacy_some", lang, files=t["file"].nunique(), dropped=int(n.get("dropped", 0)),
                 ids=int(n.get("pseudonymised", 0)))
    if n.get("masked", 0):
        out += ("" if lang == "zh" else " ") + phrase(P, "privacy_masked", lang, masked=int(n["masked"]))
    return out


def format_flag_sources(ds: Dataset | None, lang: str) -> tuple[pd.DataFrame | None, str]:
    """Recorded against coded 三多三少 flags (labelled, shares in percent) and a sentence."""
    lang = check_lang(lang)
    t = flag_sources(ds)
    if t is None:
        return None, phrase(P, "flags_none", lang)
    cols = codebook()["activities"].columns
    table = pd.DataFrame({
        phrase(P, "flag", lang): [cols[f].label(lang) for f in t["flag"]],
        phrase(P, "flag_n", lang): t["n"],
        phrase(P, "flag_recorded", lang): (100 * t["recorded_share"]).round(1),
        phrase(P, "flag_coded", lang): (100 * t["coded_share"]).round(1),
        phrase(P, "flag_agree", lang): (100 * t["agreement"]).round(1),
        phrase(P, "flag_kappa", lang): t["kappa"].round(3),
        phrase(P, "flag_rec_only", lang): t["recorded_only"],
        phrase(P, "flag_cod_only", lang): t["coded_only"]})
    return table, _flag_sentence(t, lang)


def _flag_sentence(t: pd.DataFrame, lang: str) -> str:
    """The lowest κ, or that it cannot be computed (never a bare ``nan`` in the text)."""
    n = int(t["n"].max()) if len(t) else 0
    kappa = pd.to_numeric(t["kappa"], errors="coerce").dropna()
    if not n:
        return phrase(P, "flags_no_overlap", lang)
    have = count_en(n, "meeting has", "meetings have")
    if not len(kappa):
        return phrase(P, "flags_no_kappa", lang, n=n, meetings_en=have)
    return phrase(P, "flags_some", lang, n=n, meetings_en=have, low=float(kappa.min()))

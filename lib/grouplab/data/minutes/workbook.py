"""Human coding of minutes: where minutes come from, and the blind coding workbooks.

``grouplab minutes sample -o coding.xlsx --coders 2`` writes one file per coder, so that coders cannot
see each other's answers (blind coding, as content analysis expects), and a master file:

* ``coding.xlsx`` (the master, kept by the researcher): ``编码表`` (codebook: each code's zh/en label,
  definition and the answer values) and ``裁决`` (adjudication), filled after the disagreements are
  discussed;
* ``coding_编码员1.xlsx`` … ``coding_编码员K.xlsx`` (one per coder, handed to that coder only): ``编码表``
  and the coder's sheet ``编码员k`` with ``记录编号``, ``党小组``, ``日期``, ``会议内容`` (names masked)
  and one empty column per code, headed by the code's zh label.

:func:`read_coding_workbook` reads the master and the coder files beside it (a coder's own file wins
over a sheet of the same name in the master; a workbook holding every sheet, like the demo's, is read
as it is). The 会议内容 column is wide with wrapped text; the answer cells carry a drop-down list.

Answers: ``1`` = 有此问题 (the problem is present; also 有, 是, Y, TRUE, √), ``0`` = 无此问题 (absent; also
无, 否, N, FALSE, ×); ``NA`` / ``不适用`` = not a meeting record (a missing value for agreement); an
empty cell is "not coded" (missing too).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from grouplab.data.manifest import MINUTES_BESIDE, REPORT_WORKBOOKS, report_workbook
from grouplab.data.minutes.records import read_minutes, resolve_groups
from grouplab.data.problems import problem
from grouplab.data.readers.xlsx_bounds import check_workbook
from grouplab.data.specs import yaml_text
from grouplab.data.tidy import read_table
from grouplab.errors import DataError, Problem

__all__ = ["minutes_source", "minutes_file", "BESIDE", "write_coding_workbook", "read_coding_workbook",
           "CODEBOOK_SHEET", "ADJUDICATION_SHEET", "coder_sheet", "coder_file", "answer_value", "ANSWER_LIST",
           "REPORT_WORKBOOKS", "report_workbook"]

CODEBOOK_SHEET = "编码表"
ADJUDICATION_SHEET = "裁决"
_FIXED = ["记录编号", "党小组", "日期", "会议内容"]
_TRUE = {"1", "1.0", "有", "有此问题", "是", "y", "yes", "true", "√", "✓", "t"}
_FALSE = {"0", "0.0", "无", "无此问题", "没有", "否", "n", "no", "false", "×", "x", "f"}
#: what the answer cells' drop-down offers (the other spellings above are read too)
ANSWER_LIST = ("1", "0", "NA")
_VALUES = "1 = 有此问题 present; 0 = 无此问题 absent; NA = 不是会议记录 not a record"
_NOT_RECORD = {"na", "n/a", "不适用", "非会议记录"}


def coder_sheet(k: int) -> str:
    """Sheet name of coder ``k`` (1-based): ``编码员1``."""
    return f"编码员{k}"


def coder_file(master: str | Path, k: int) -> Path:
    """The file of coder ``k`` beside a master workbook: ``coding.xlsx`` → ``coding_编码员1.xlsx``."""
    master = Path(master)
    return master.with_name(f"{master.stem}_{coder_sheet(k)}{master.suffix}")


#: Minutes beside dataset.yml that need no ``tables: minutes:`` entry
BESIDE = MINUTES_BESIDE


def minutes_file(folder: str | Path, manifest: dict) -> tuple[str, str | None] | None:
    """Where a dataset's minutes are: ``tables: minutes:`` of its manifest, else a file of :data:`BESIDE`.

    Returns
    -------
    tuple or None
        ``(file or folder relative to the dataset folder, sheet or None)``; None when there are none.
    """
    tables = manifest.get("tables")
    entry = tables.get("minutes") if isinstance(tables, Mapping) else None
    rel = entry.get("file") if isinstance(entry, dict) else entry
    sheet = entry.get("sheet") if isinstance(entry, dict) else None
    if rel is None:
        rel = next((n for n in BESIDE if (Path(folder) / n).is_file()), None)
    return None if rel is None else (str(rel), None if sheet is None else str(sheet))


def minutes_source(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Minutes (and the groups table when there is one) from a dataset folder, a minutes folder or a sheet.

    A dataset folder (with ``dataset.yml``) gives the file its ``tables: minutes:`` entry names, else
    ``minutes.csv`` / ``minutes.xlsx`` beside it, and its ``groups`` table (group names resolved to ids).
    Any other folder is a folder of .txt/.docx files; a file is a long sheet.

    Returns
    -------
    minutes : pandas.DataFrame
        The ``minutes`` table (see :func:`grouplab.data.minutes.read_minutes`).
    groups : pandas.DataFrame or None
        The dataset's groups table.
    """
    path = Path(path)
    if not (path.is_dir() and (path / "dataset.yml").is_file()):
        if not path.exists():
            raise DataError([problem("path_not_found", str(path))])
        return read_minutes(path), None
    manifest = yaml.safe_load(yaml_text(path / "dataset.yml", "dataset.yml")) or {}  # within the YAML limits
    tables = manifest.get("tables", {}) or {}
    found = minutes_file(path, manifest)
    if found is None:
        raise DataError([problem("no_minutes_table", str(path / "dataset.yml"))])
    rel, sheet = found
    groups, units = (_plain_table(path, tables.get(t), t) for t in ("groups", "units"))
    minutes = read_minutes(path / rel, sheet=sheet)
    return (resolve_groups(minutes, groups, units) if groups is not None else minutes), groups


def _plain_table(folder: Path, entry, table: str) -> pd.DataFrame | None:
    """A table the manifest names by one file (``groups: groups.csv``, ``{file, sheet}``), else None."""
    if isinstance(entry, str):
        return read_table(folder / entry, table)
    if isinstance(entry, Mapping) and isinstance(entry.get("file"), str) and entry.get("layout", "long") in (
            "long", "tidy"):
        return read_table(folder / entry["file"], table, sheet=entry.get("sheet"))
    return None


def _atomic_excel(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".coding-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in sheets.items():
                df.to_excel(xw, sheet_name=name, index=False)
                _lay_out(xw.sheets[name], df, codebook=name == CODEBOOK_SHEET)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a workbook is shared like any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _lay_out(ws, df: pd.DataFrame, *, codebook: bool) -> None:
    """Readable sheets: long text wide and wrapped, header frozen, a 1/0/NA drop-down on answer cells."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wrap = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    widths = ({"定义": 60, "definition": 60, "取值 values": 40, "zh": 22, "en": 26} if codebook else
              {"会议内容": 80, "记录编号": 12, "党小组": 16, "日期": 12})
    answers = [] if codebook else [i for i, h in enumerate(df.columns, 1) if h not in _FIXED]
    for i, h in enumerate(df.columns, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = widths.get(str(h), 14)
        if str(h) in ("会议内容", "定义", "definition"):
            for row in range(2, len(df) + 2):
                ws[f"{letter}{row}"].alignment = wrap
    if answers and len(df):
        dv = DataValidation(type="list", formula1='"' + ",".join(ANSWER_LIST) + '"', allow_blank=True,
                            errorStyle="warning", showErrorMessage=True, showInputMessage=True,
                            promptTitle="1 / 0 / NA", prompt="1 = 有此问题; 0 = 无此问题; NA = 不是会议记录",
                            errorTitle="1 / 0 / NA",
                            error="请填 1（有此问题）、0（无此问题）或 NA（不是会议记录）")
        for i in answers:
            letter = get_column_letter(i)
            dv.add(f"{letter}2:{letter}{len(df) + 1}")
        ws.add_data_validation(dv)


def write_coding_workbook(path: str | Path, sample: pd.DataFrame, codes: dict[str, dict], *,
                          coders: int = 2, answers: dict[str, pd.DataFrame] | None = None,
                          split: bool = True) -> list[Path]:
    """Write blind coding workbooks: one file per coder, and the master (codebook, adjudication).

    Parameters
    ----------
    path : path
        The .xlsx to write (written whole or not at all).
    sample : pandas.DataFrame
        ``record_id``, ``group`` (id or name), ``date``, ``text`` (already masked).
    codes : dict
        The codebook's ``codes`` (zh/en labels and definitions).
    coders : int
        Number of coder sheets.
    answers : dict, optional
        Sheet name → frame with one column per code (1/0/NA, rows in sample order): filled sheets
        (the demo's simulated coders); default every sheet blank.
    split : bool
        True: each coder's sheet in its own file (:func:`coder_file`), the master ``path`` holding the
        codebook and the adjudication sheet; False: every sheet in ``path`` (the demo's filled workbook).

    Returns
    -------
    list of pathlib.Path
        The master, then the coders' files (each written whole or not at all).
    """
    book = pd.DataFrame([{"code": c, "zh": spec.get("zh"), "en": spec.get("en"),
                          "定义": (spec.get("definition") or {}).get("zh"),
                          "definition": (spec.get("definition") or {}).get("en"),
                          "取值 values": _VALUES}
                         for c, spec in codes.items()])
    blank = pd.DataFrame({"记录编号": sample["record_id"].astype(str).to_numpy(),
                          "党小组": sample["group"].astype(str).to_numpy(),
                          "日期": pd.to_datetime(sample["date"]).dt.strftime("%Y-%m-%d").to_numpy(),
                          "会议内容": sample["text"].astype(str).to_numpy()})
    for spec in codes.values():
        blank[spec.get("zh")] = None
    sheets = {CODEBOOK_SHEET: book, **{coder_sheet(k + 1): blank for k in range(coders)},
              ADJUDICATION_SHEET: blank}
    for name, frame in (answers or {}).items():
        filled = blank.copy()
        for code, spec in codes.items():
            filled[spec.get("zh")] = frame[code].astype("Int64").to_numpy()
        sheets[name] = filled
    if not split:
        _atomic_excel(Path(path), sheets)
        return [Path(path)]
    written = []
    for k, name in enumerate((n for n in sheets if n.startswith("编码员")), 1):
        _atomic_excel(coder_file(path, k), {CODEBOOK_SHEET: book, name: sheets[name]})
        written.append(coder_file(path, k))
    _atomic_excel(Path(path), {CODEBOOK_SHEET: book, ADJUDICATION_SHEET: sheets[ADJUDICATION_SHEET]})
    return [Path(path), *written]


def answer_value(v) -> object:
    """A coder's cell as True / False / None (not coded or not a record); anything else raises KeyError.

    Examples
    --------
    >>> answer_value("是"), answer_value(0), answer_value(""), answer_value("NA")
    (True, False, None, None)
    """
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip().lower()
    if s == "" or s in _NOT_RECORD:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise KeyError(s)


def read_coding_workbook(path: str | Path) -> dict:
    """Read a filled coding workbook.

    Returns
    -------
    dict
        ``codes`` (code name → zh label), ``texts`` (frame: ``record_id``, ``group``, ``date``, ``text``),
        ``coders`` (sheet name → frame indexed by ``record_id`` with one boolean column per code; from the
        master and the coders' files beside it, :func:`coder_file`), ``adjudicated`` (the same for
        ``裁决``, or None when it is empty).

    Raises
    ------
    DataError
        Missing sheets or columns, or answers other than 1/0/NA (sheet, row, column, value).
    """
    path = Path(path)
    check_workbook(path, path.name)  # bounded: size, zip members, far cells of every sheet
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:
        raise DataError([problem("workbook_unreadable", path.name, error=type(exc).__name__)]) from exc
    if CODEBOOK_SHEET not in sheets:
        raise DataError([problem("coding_sheet_missing", path.name, name=CODEBOOK_SHEET)])
    book = sheets[CODEBOOK_SHEET]
    codes = dict(zip(book["code"].astype(str), book["zh"].astype(str)))
    files = dict.fromkeys(sheets, path.name)
    for name, (df, file) in _coder_files(path).items():  # each coder's own file beside the master wins
        sheets[name], files[name] = df, file
    coder_names = sorted((s for s in sheets if s.startswith("编码员")), key=lambda s: (len(s), s))
    if not coder_names:
        raise DataError([problem("no_coder_sheets", path.name)])
    problems: list[Problem] = []
    out = {"codes": codes, "coders": {}, "adjudicated": None}
    first = sheets[ADJUDICATION_SHEET] if ADJUDICATION_SHEET in sheets else sheets[coder_names[0]]
    out["texts"] = pd.DataFrame({"record_id": first["记录编号"].astype(str), "group": first["党小组"],
                                 "date": first["日期"], "text": first["会议内容"]})
    for name in [*coder_names, ADJUDICATION_SHEET]:
        if name not in sheets:
            continue
        frame = _answers(sheets[name], name, codes, files[name], problems)
        if name == ADJUDICATION_SHEET:
            out["adjudicated"] = None if frame.isna().all().all() else frame
        else:
            out["coders"][name] = frame
    if problems:
        raise DataError(problems)
    return out


def _coder_files(master: Path) -> dict[str, tuple[pd.DataFrame, str]]:
    """The coder sheets (and their file's name) of the coder files beside ``master``
    (``coding_编码员1.xlsx`` …)."""
    out = {}
    for f in sorted(master.parent.glob(f"{master.stem}_编码员*{master.suffix}")):
        if f.name.startswith("~$"):  # Excel's lock file of an open workbook
            continue
        check_workbook(f, f.name)
        try:
            got = pd.read_excel(f, sheet_name=None, dtype=object, engine="openpyxl")
        except Exception as exc:
            raise DataError([problem("workbook_unreadable", f.name, error=type(exc).__name__)]) from exc
        out.update({name: (df, f.name) for name, df in got.items() if name.startswith("编码员")})
    return out


def _answers(df: pd.DataFrame, sheet: str, codes: dict, file: str, problems: list) -> pd.DataFrame:
    missing = [c for c in [_FIXED[0], *codes.values()] if c not in df.columns]
    if missing:
        problems.append(problem("coder_sheet_columns", file, name=sheet, missing=missing))
        return pd.DataFrame()
    out = pd.DataFrame(index=df["记录编号"].astype(str).rename("record_id"))
    for code, label in codes.items():
        vals = []
        for i, v in enumerate(df[label].tolist()):
            try:
                vals.append(answer_value(v))
            except KeyError:
                problems.append(problem("answer_not_1_0_na", f"{file} [{sheet}]", i + 2, label, v))
                vals.append(None)
        out[code] = pd.array(vals, dtype="boolean")
    return out

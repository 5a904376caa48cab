"""Meeting minutes as a table: read from a long sheet or a folder of files, linked to the activity log.

Minutes arrive three ways, all read into the codebook table ``minutes``
(``record_id, group_id, group_name, date, kind, text, recorder``):

* **a long sheet** (CSV, XLSX, XLS; a platform export is one too): one row per meeting, the text in a
  ``会议内容`` / ``记录内容`` / ``主要内容`` column, the group by id (``党小组编号``) or by name
  (``党小组`` / ``党小组名称`` / ``组织名称``), the date in ``日期`` / ``会议日期`` / ``会议时间`` /
  ``召开时间`` (:func:`read_minutes`); a platform's export (title rows, topic apart from content, HTML,
  date-times, its own kinds, personal columns) is made ready by :mod:`grouplab.data.minutes.exports`;
* **a folder of .txt / .docx files**, one meeting each (:func:`read_minutes_folder`). Date and group
  come from labelled fields in the **first 15 lines** of the text when they are there — ``时间：`` /
  ``日期：`` / ``会议时间：``, ``党小组：`` / ``小组：`` / ``支部：`` (and ``记录人：``; in a .docx,
  a table row ``label | value`` counts as ``label：value``) — and otherwise from the **file name**:
  ``运行一班党小组_2019-05-10.docx``, ``G001 2019年5月10日 党小组会.txt``, ``20190510-线路二班.txt``: the
  first date in the name (``2019-05-10``, ``2019.5.10``, ``2019年5月10日``, ``20190510``) is the date, a
  kind word (``党小组会`` …) sets the kind, and what remains (separators and 会议记录/纪要 stripped) is
  the group, an id when it looks like one (``G001``) else a name.
  A file without a date or a group is a :class:`~grouplab.errors.DataError` naming the file.

:func:`link_minutes` matches records to the activity log by group and date (and kind when the record
gives one); unmatched records are listed, never dropped. Names are masked by
:mod:`grouplab.data.minutes.masking`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pandas as pd

from grouplab.data.cache import sha256_of
from grouplab.data.checks import problem_at
from grouplab.data.codebook import codebook
from grouplab.data.ledgers.entities import resolve_names
from grouplab.data.ledgers.scope import ambiguity
from grouplab.data.ledgers.scope import resolve_groups as resolve_groups_by_name
from grouplab.data.ledgers.sheet import sheet_names
from grouplab.data.loadstate import LoadState
from grouplab.data.problems import problem
from grouplab.data.tidy import read_table
from grouplab.errors import DataError, Problem

__all__ = ["read_minutes", "read_minutes_folder", "resolve_groups", "link_minutes", "load_minutes_folder",
           "unplaced_groups", "group_problems", "MINUTES_COLUMNS", "LINK_COLUMNS"]

MINUTES_COLUMNS = ["record_id", "group_id", "group_name", "date", "kind", "text", "recorder"]
#: columns :func:`link_minutes` adds
LINK_COLUMNS = ["activity_kind", "seq", "matched", "match_rule"]

_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/._年]\s*(\d{1,2})\s*[-/._月]\s*(\d{1,2})\s*日?|"
                   r"(\d{2})(\d{2}))(?!\d)")
_TEXT_HEADER = codebook()["minutes"].columns["text"].zh
_ID = re.compile(r"^[A-Za-z]{1,4}[-_]?\d{1,6}$")
_FIELD = re.compile(r"^\s*(会议时间|活动时间|开会时间|时间|日期|党小组名称|党小组|小组名称|小组|党支部|支部|"
                    r"记录人|记录员)\s*[:：\t ]\s*(.+?)\s*$")
_GROUP_FIELDS = ("党小组名称", "党小组", "小组名称", "小组", "党支部", "支部")
_KINDS = {v: k for k, v in codebook()["minutes"].columns["kind"].allowed.items()}
_KIND_WORDS = sorted({**_KINDS, "党小组会议": "group_meeting", "小组会": "group_meeting",
                      "主题党日活动": "theme_day"}.items(), key=lambda kv: -len(kv[0]))


# ----------------------------------------------------------------------------- sheets
def read_minutes(path: str | Path, *, sheet: str | None = None, groups: pd.DataFrame | None = None,
                 units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Minutes from a long sheet (one row per meeting) or from a folder of .txt/.docx files.

    Parameters
    ----------
    path : str or Path
        A CSV/XLSX/XLS file (headers as in the codebook table ``minutes``: ``会议内容``,
        ``记录内容``, ``主要内容`` … for the text) or a folder (:func:`read_minutes_folder`).
    sheet : str, optional
        Excel sheet name.
    groups : pandas.DataFrame, optional
        The validated groups table: group names are then resolved to ids (:func:`resolve_groups`).
    units : pandas.DataFrame, optional
        The units table: a group name two units share is resolved within the record's branch.

    Returns
    -------
    pandas.DataFrame
        ``record_id`` (the file's own id, else ``M`` + row number), ``group_id``, ``group_name``,
        ``date``, ``kind`` (NA when not given), ``text``, ``recorder`` (NA when not given); and
        ``unit_name`` when a platform export names the branch beside the group
        (:mod:`grouplab.data.minutes.exports`).

    Raises
    ------
    DataError
        No text column, no group column, or bad cells (file, row, column, rule, value).
    """
    path = Path(path)
    if path.is_dir():
        out = read_minutes_folder(path)
    else:
        try:
            df = read_table(path, "minutes", sheet=sheet)
        except DataError as err:
            raise DataError(_named(err.problems, path, sheet)) from None
        if "group_id" not in df and "group_name" not in df:
            raise DataError([problem("minutes_no_group_column", path.name)])
        out = df.reindex(columns=MINUTES_COLUMNS + (["unit_name"] if "unit_name" in df else []))
        for c in ("record_id", "group_id", "group_name", "kind", "text", "recorder", "unit_name"):
            if c in out:
                out[c] = out[c].astype("string")
    return resolve_groups(out, groups, units) if groups is not None else out


def _named(problems: list[Problem], path: Path, sheet: str | None) -> list[Problem]:
    """The problems of a minutes sheet named by its sheet too, and a missing text said as such."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") and sheet is None:
        try:
            sheet = sheet_names(path)[0]
        except DataError:
            sheet = None
    out = []
    for p in problems:
        if p.file == path.name and p.sheet is None and sheet is not None:
            p = dataclasses.replace(p, sheet=str(sheet))
        if p.code == "missing_column" and p.column == _TEXT_HEADER:
            p = dataclasses.replace(p, hint=f"{p.hint} A topic (会议主题) is not the record: the minutes "
                                    "need what was said, as the platform's 会议内容 / 记录内容 / 会议纪要 "
                                    "column holds it.")
        out.append(p)
    return out


def resolve_groups(minutes: pd.DataFrame, groups: pd.DataFrame, units: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """Fill ``group_id`` from ``group_name`` through the groups table, as the ledgers match names.

    A name matches a group's name or id (compared by :func:`name_key`: full-width folded, spaces and
    case ignored; :func:`grouplab.data.ledgers.scope.resolve_groups`), else the name with or without a
    trailing ``党小组``. A name two groups share (``综合班党小组`` in two units) is resolved within the
    record's unit when the minutes name it (``unit_name``, a 支部名称 column beside the group's, see
    :mod:`grouplab.data.minutes.exports`) and ``units`` is given. A platform's organisation path
    (``运行党支部/运行一班党小组``, ``XX公司运行党支部运行一班党小组``) matches by its last level, or by
    the one group name it ends with. Unknown and still-shared names keep
    ``group_id`` NA: they show up as unmatched (``no group``) in :func:`link_minutes`.

    Returns
    -------
    pandas.DataFrame
        ``minutes`` with ``group_id`` filled where a name is known.
    """
    out = minutes.copy()
    missing = out["group_id"].isna() & out["group_name"].notna()
    if not missing.any():
        return out
    names = out.loc[missing, "group_name"].astype(str)
    row_units = None
    if units is not None and "unit_name" in out and {"unit_id", "name"} <= set(units.columns):
        found = resolve_names(out.loc[missing, "unit_name"].astype("string").fillna(""), units,
                              id_column="unit_id")
        row_units = found["id"]
    res = resolve_groups_by_name(names, groups, units, None, row_units)
    ids = res["id"].where(res["status"] == "ok")
    variants = (_last_level, lambda n: re.sub("党小组$", "", _last_level(n)),
                lambda n: _last_level(n) if _last_level(n).endswith("党小组") else _last_level(n) + "党小组",
                lambda n: _ending(n, groups))
    for variant in variants:
        todo = ids.isna() & (res["status"] == "unknown")
        if not todo.any():
            break
        again = resolve_groups_by_name(names[todo].map(variant), groups, units, None,
                                       None if row_units is None else row_units[todo])
        ids[todo] = again["id"].where(again["status"] == "ok")
    out.loc[missing, "group_id"] = ids.astype("string")
    return out


def unplaced_groups(minutes: pd.DataFrame, groups: pd.DataFrame, units: pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """The records whose group name :func:`resolve_groups` cannot place, with the closest roster names.

    Parameters
    ----------
    minutes : pandas.DataFrame
        The ``minutes`` table (group names as written; ``group_id`` filled or not).
    groups, units : pandas.DataFrame
        The groups table (``group_id``, ``name``) and the units table (optional).

    Returns
    -------
    pandas.DataFrame
        The unplaced rows of ``minutes`` (same index and columns), plus ``status`` (``unknown``: no group
        has the name; ``ambiguous``: several have it and no unit decides) and ``candidates`` (for
        ``unknown`` the closest roster names, for ``ambiguous`` the group ids sharing it; '' when none).
    """
    if "group_id" not in minutes:
        minutes = minutes.assign(group_id=pd.Series(pd.NA, index=minutes.index, dtype="string"))
    placed = resolve_groups(minutes, groups, units)
    left = placed["group_id"].isna() & placed["group_name"].notna()
    out = minutes.loc[left].copy()
    if out.empty:
        return out.assign(status=pd.Series(dtype=str), candidates=pd.Series(dtype=str))
    names = out["group_name"].astype(str)
    whole = resolve_groups_by_name(names, groups, units)
    last = resolve_groups_by_name(names.map(_last_level), groups, units)
    amb = (whole["status"] == "ambiguous") | (last["status"] == "ambiguous")
    out["status"] = amb.map({True: "ambiguous", False: "unknown"})
    cands = last["candidates"].where(last["candidates"] != "", whole["candidates"])
    out["candidates"] = cands.where(~amb, whole["candidates"].where(whole["status"] == "ambiguous",
                                                                   last["candidates"]))
    return out


def group_problems(minutes: pd.DataFrame, groups: pd.DataFrame, units: pd.DataFrame | None,
                   header: str) -> list[Problem]:
    """An error per loaded minutes record whose group name is not in the roster, as the ledgers report
    an unknown group name (``unknown_name`` with the closest roster names, or ``ambiguous_name_…``).

    ``minutes`` is the loaded table (file row as index, ``__file``); ``header`` the group column as
    written. A record that is not placed would otherwise drop out of every per-group count.

    Returns
    -------
    list of Problem
        One per record, at file, row, column as written, with the name as the value.
    """
    if "group_name" not in minutes or "name" not in groups or "group_id" not in groups:
        return []
    bad = unplaced_groups(minutes.reset_index(drop=True), groups, units)
    out = []
    for pos, r in bad.iterrows():
        if r["status"] == "unknown":
            out.append(problem_at(minutes, int(pos), "group_name", header, "unknown_name", r["group_name"],
                                  other="groups", closest=r["candidates"] or "none"))
        else:
            code, said = ambiguity(r["candidates"], "", "", groups, units)
            out.append(problem_at(minutes, int(pos), "group_name", header, code, r["group_name"],
                                  other="groups", **said))
    return out


def _last_level(name: str) -> str:
    """The last level of an organisation path (``运行党支部/运行一班党小组``, ``… > 运行一班党小组``)."""
    return re.split(r"\s*[/／>＞\\|｜→]\s*", name.strip())[-1]


def _ending(name: str, groups: pd.DataFrame) -> str:
    """The one group name (4 characters or more) ``name`` ends with (``XX公司运行党支部运行一班党小组``)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    hits = {str(g) for g in groups["name"].astype(str)
            if len(g) >= 4 and key.endswith(re.sub(r"\s+", "", unicodedata.normalize("NFKC", g)))}
    return hits.pop() if len(hits) == 1 else name


# ----------------------------------------------------------------------------- folders
def _docx_text(path: Path) -> str:
    import docx  # python-docx; imported here so sheet users do not pay for it

    doc = docx.Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
            cells = [c for c in cells if c]
            if len(cells) >= 2 and len(cells[0]) <= 8:  # a label cell, then its value
                lines.append(f"{cells[0]}：{' '.join(cells[1:])}")
            else:
                lines.extend(cells)
    return "\n".join(lines)


def _file_text(path: Path) -> str:
    if path.suffix.lower() == ".docx":
        return _docx_text(path)
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataError([problem("minutes_not_text", path.name)])


def _date_in(text: str) -> pd.Timestamp | None:
    text = unicodedata.normalize("NFKC", text)
    for m in _DATE.finditer(text):
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(1), m.group(4),
                                                                          m.group(5))
        try:
            return pd.Timestamp(int(y), int(mo), int(d))
        except ValueError:
            continue
    return None


def _from_name(stem: str) -> dict:
    """Date, kind and group read from a file name (without its extension)."""
    text = unicodedata.normalize("NFKC", stem)
    out: dict = {"date": _date_in(text)}
    m = _DATE.search(text)
    rest = text[:m.start()] + " " + text[m.end():] if m else text
    for word, kind in _KIND_WORDS:
        if word in rest:
            out["kind"] = kind
            rest = rest.replace(word, " ")
            break
    rest = re.sub(r"会议记录|记录|纪要|会议|[_\-—–()（）\[\]【】\s]+", " ", rest).strip()
    rest = re.sub(r"\s+", "", rest) if not _ID.match(rest.replace(" ", "")) else rest.replace(" ", "")
    if rest:
        out["group_id" if _ID.match(rest) else "group_name"] = rest
    return out


def _from_lines(text: str) -> dict:
    """Labelled fields of the first 15 lines: date, group, recorder."""
    out: dict = {}
    for line in text.splitlines()[:15]:
        m = _FIELD.match(unicodedata.normalize("NFKC", line))
        if not m:
            continue
        label, value = m.groups()
        if label in _GROUP_FIELDS and "group" not in out:
            out["group"] = value
        elif label.startswith("记录") and "recorder" not in out:
            out["recorder"] = re.split(r"[\s,，、]", value)[0]
        elif "date" not in out and _date_in(value) is not None:
            out["date"] = _date_in(value)
    return out


def _one_file(path: Path, folder: Path) -> tuple[dict, list[Problem]]:
    text = _file_text(path)
    meta, head = _from_name(path.stem), _from_lines(text)
    rel = str(path.relative_to(folder))
    # labelled fields of the first lines win; the file name fills what they lack
    group = head.get("group") or meta.get("group_id") or meta.get("group_name")
    is_id = bool(group) and bool(_ID.match(str(group)))
    row = {"record_id": rel, "group_id": group if is_id else None, "group_name": None if is_id else group,
           "date": head.get("date") or meta.get("date"), "kind": meta.get("kind"),
           "text": text.strip(), "recorder": head.get("recorder")}
    problems = []
    if row["date"] is None:
        problems.append(problem("minutes_no_date", rel, None, None, path.name))
    if not group:
        problems.append(problem("minutes_no_group", rel, None, None, path.name))
    return row, problems


def read_minutes_folder(folder: str | Path) -> pd.DataFrame:
    """Minutes from a folder of .txt / .docx files, one meeting per file (subfolders included).

    See the module docstring for how group, date, kind and recorder are found.

    Returns
    -------
    pandas.DataFrame
        As :func:`read_minutes`; ``record_id`` is the file's path inside the folder.

    Raises
    ------
    DataError
        Every file without a date or a group, or not readable as text, at once.
    """
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".docx")
                   and not p.name.startswith(("~$", ".")))
    if not files:
        raise DataError([problem("no_minutes_files", str(folder))])
    rows, problems = [], []
    for path in files:
        try:
            row, found = _one_file(path, folder)
        except DataError as err:
            problems += err.problems
            continue
        except Exception as exc:  # a damaged .docx: say which file
            problems.append(problem("minutes_unreadable", str(path.relative_to(folder)), None, None,
                                    path.name, error=type(exc).__name__))
            continue
        rows.append(row)
        problems += found
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(rows, columns=MINUTES_COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    for c in ("record_id", "group_id", "group_name", "kind", "text", "recorder"):
        out[c] = out[c].astype("string")
    return out


def load_minutes_folder(st: LoadState, table: str, entry: dict) -> None:
    """The loader of a ``tables: minutes:`` entry naming a folder of .txt/.docx files (layout ``folder``).

    Every file is hashed (the data hash changes with any record); the records are read by
    :func:`read_minutes_folder`, their problems named by file.
    """
    parts, reading = [], []
    for src in entry["sources"]:
        folder = st.folder / src["file"]
        try:
            df = read_minutes_folder(folder)
        except DataError as err:
            st.problems.extend(dataclasses.replace(p, file=f"{src['file']}/{p.file}") for p in err.problems)
            continue
        for rel in df["record_id"].astype(str):
            st.files[f"{src['file']}/{rel}"] = sha256_of(folder / rel)
        # cross-table checks (unknown group ids, dates outside the window) name the file, line 1
        df["__file"] = [f"{src['file']}/{rel}" for rel in df["record_id"].astype(str)]
        df.index = pd.Index([1] * len(df))
        reading.append({"file": src["file"], "sheet": None, "header_rows": [], "skipped": [], "matched": {},
                        "rows": len(df), "notes": []})
        parts.append(df)
    st.reading[table] = reading
    st.headers[table] = {"group_id": "党小组", "group_name": "党小组", "date": "时间", "record_id": "文件"}
    if parts:
        st.tables[table] = pd.concat(parts)


# ----------------------------------------------------------------------------- linking
def link_minutes(minutes: pd.DataFrame, activities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match minutes to the activity log by group and date (and kind when the record names one).

    Several activities of the group on that day: the one of the record's kind, else the group meeting,
    else the first by ``seq``. Each activity is matched at most once (records in order).

    Returns
    -------
    linked : pandas.DataFrame
        ``minutes`` plus ``activity_kind``, ``seq`` (NA when unmatched), ``matched`` (bool) and
        ``match_rule`` (``group+date+kind``, ``group+date``, ``no group``, ``no activity``).
    unmatched : pandas.DataFrame
        The unmatched records (``record_id, group_id, group_name, date, kind, match_rule``).
    """
    acts = activities[["group_id", "date", "kind", "seq"]].copy()
    acts["date"] = pd.to_datetime(acts["date"]).dt.normalize()
    pool: dict[tuple, list[tuple[str, int]]] = {}
    for g, d, k, s in acts.sort_values(["group_id", "date", "seq"]).itertuples(index=False):
        pool.setdefault((str(g), d), []).append((str(k), int(s)))
    kinds, seqs, rules = [], [], []
    for g, d, k in zip(minutes["group_id"], pd.to_datetime(minutes["date"]).dt.normalize(), minutes["kind"]):
        if pd.isna(g):
            kinds.append(None), seqs.append(None), rules.append("no group")
            continue
        cands = pool.get((str(g), d), [])
        pick = next((c for c in cands if not pd.isna(k) and c[0] == k), None)
        rule = "group+date+kind" if pick else "group+date"
        pick = (pick or next((c for c in cands if c[0] == "group_meeting"), None)
                or (cands[0] if cands else None))
        if pick is None:
            kinds.append(None), seqs.append(None), rules.append("no activity")
            continue
        cands.remove(pick)
        kinds.append(pick[0]), seqs.append(pick[1]), rules.append(rule)
    out = minutes.copy()
    out["activity_kind"] = pd.array(kinds, dtype="string")
    out["seq"] = pd.array(seqs, dtype="Int64")
    out["matched"] = out["seq"].notna().to_numpy()
    out["match_rule"] = pd.array(rules, dtype="string")
    cols = ["record_id", "group_id", "group_name", "date", "kind", "match_rule"]
    unmatched = out.loc[~out["matched"], cols]
    return out, unmatched.reset_index(drop=True)

"""Meeting minutes as a table: read from a long sheet or a folder of files, linked to the activity log.

Minutes arrive three ways, all read into the codebook table ``minutes``
(``record_id, group_id, group_name, date, kind, text, recorder``):

* **a long sheet** (CSV, XLSX, XLS; a platform export is one too): one row per meeting, the text in a
  ``会议内容`` / ``记录内容`` / ``主要内容`` column, the group by id (``党小组编号``) or by name
  (``党小组`` / ``党小组名称``), the date in ``日期`` / ``会议日期`` / ``会议时间`` (:func:`read_minutes`);
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
gives one); unmatched records are listed, never dropped. :func:`mask_names` replaces person names in
text that leaves the program (evidence quotes): ``X同志``, ``X书记`` and other titles, ``X指出`` and
other speech verbs, the lists after ``参加人员：`` / ``主持人：`` / ``记录人：``, and every name given
(the roster, the recorders), on top of the phone / e-mail / id screening of
:func:`grouplab.data.privacy.mask_text`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from grouplab.data.codebook import codebook
from grouplab.data.dataset import read_table
from grouplab.data.entities import name_key
from grouplab.data.privacy import mask_text
from grouplab.errors import DataError, Problem

__all__ = ["read_minutes", "read_minutes_folder", "resolve_groups", "link_minutes", "mask_names",
           "names_pattern", "MINUTES_COLUMNS", "NAME_MASK", "LINK_COLUMNS"]

MINUTES_COLUMNS = ["record_id", "group_id", "group_name", "date", "kind", "text", "recorder"]
#: what a masked name becomes
NAME_MASK = "〔姓名〕"
#: columns :func:`link_minutes` adds
LINK_COLUMNS = ["activity_kind", "seq", "matched", "match_rule"]

_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/._年]\s*(\d{1,2})\s*[-/._月]\s*(\d{1,2})\s*日?|"
                   r"(\d{2})(\d{2}))(?!\d)")
_ID = re.compile(r"^[A-Za-z]{1,4}[-_]?\d{1,6}$")
_FIELD = re.compile(r"^\s*(会议时间|活动时间|开会时间|时间|日期|党小组名称|党小组|小组名称|小组|党支部|支部|"
                    r"记录人|记录员)\s*[:：\t ]\s*(.+?)\s*$")
_GROUP_FIELDS = ("党小组名称", "党小组", "小组名称", "小组", "党支部", "支部")
# common single-character surnames, leaving out characters that usually begin ordinary words (会, 全, 党 …)
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
             "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱"
             "严覃武戴莫孔汤易常温康施牛洪葛季阎殷")
_TITLES = ("同志|书记|副书记|组长|副组长|小组长|主任|班长|站长|队长|经理|师傅|老师|委员|主席|工程师|技术员|"
           "厂长|所长|科长|部长|处长")
_VERBS = "指出|提出|表示|发言|说|谈到|谈了|汇报|介绍|领学|带领|强调|认为|补充|检讨|作了|做了|主持|负责"
_SURNAME = rf"(?:欧阳|司马|诸葛|上官|东方|[{_SURNAMES}])"
_NAME_RX = re.compile(rf"{_SURNAME}[\u4e00-\u9fff]{{1,2}}?(?=(?:{_TITLES}|{_VERBS}))")
_AFTER_TITLE_RX = re.compile(rf"(组长|书记|主任|班长|站长|队长|党员|群众|委员|师傅)({_SURNAME}"
                             rf"[\u4e00-\u9fff]{{1,2}}?)(?=[，,。、；;\s:：]|同志|{_VERBS})")
_LIST_RX = re.compile(r"((?:参加人员|参会人员|出席人员|出席|缺席人员|缺席|请假人员|请假|列席|主持人|主持|"
                      r"记录人|记录员|"
                      r"领学人|发言人|应到|实到)[^:：\n]{0,4}[:：])([^\n。；;]*)")
_KINDS = {v: k for k, v in codebook()["minutes"].columns["kind"].allowed.items()}
_KIND_WORDS = sorted({**_KINDS, "党小组会议": "group_meeting", "小组会": "group_meeting",
                      "主题党日活动": "theme_day"}.items(), key=lambda kv: -len(kv[0]))


# ----------------------------------------------------------------------------- masking
def names_pattern(names) -> re.Pattern | None:
    """One regular expression matching every name of ``names`` (2 characters or more), longest first.

    Examples
    --------
    >>> names_pattern(["张三", "张三丰", "x"]).pattern
    '张三丰|张三'
    """
    uniq = sorted({str(n).strip() for n in names if n is not None and n is not pd.NA
                   and len(str(n).strip()) >= 2}, key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, uniq))) if uniq else None


def mask_names(text: str | None, names=()) -> str | None:
    """Person names (and phone numbers, e-mail addresses, id numbers) in ``text`` replaced by ``〔姓名〕``.

    Parameters
    ----------
    text : str or None
        Any text from minutes.
    names : list of str or compiled pattern
        Names known to be people's (roster, recorders); each occurrence is masked
        (pass :func:`names_pattern` of them when masking many texts).

    Returns
    -------
    str or None
        The text with names masked.

    Examples
    --------
    >>> mask_names("党小组长李四同志主持，王小明指出巡检不到位。参加人员：张三、赵六")
    '党小组长〔姓名〕同志主持，〔姓名〕指出巡检不到位。参加人员：〔姓名〕'
    """
    if text is None or text is pd.NA:
        return None
    out, _ = mask_text(str(text))
    if names is not None and not isinstance(names, re.Pattern):
        names = names_pattern(names)
    if names is not None:
        out = names.sub(NAME_MASK, out)
    out = _LIST_RX.sub(lambda m: m.group(1) + (NAME_MASK if m.group(2).strip() and
                                                not re.fullmatch(r"[\d\s人名]+", m.group(2)) else m.group(2)),
                       out)
    out = _AFTER_TITLE_RX.sub(lambda m: m.group(1) + NAME_MASK, out)
    return _NAME_RX.sub(NAME_MASK, out)


# ----------------------------------------------------------------------------- sheets
def read_minutes(path: str | Path, *, sheet: str | None = None, groups: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        ``record_id`` (the file's own id, else ``M`` + row number), ``group_id``, ``group_name``,
        ``date``, ``kind`` (NA when not given), ``text``, ``recorder`` (NA when not given).

    Raises
    ------
    DataError
        No text column, no group column, or bad cells (file, row, column, rule, value).
    """
    path = Path(path)
    if path.is_dir():
        out = read_minutes_folder(path)
    else:
        df = read_table(path, "minutes", sheet=sheet)
        if "group_id" not in df and "group_name" not in df:
            raise DataError("no group column: give 党小组编号 (ids) or 党小组 / 党小组名称 (names)",
                            file=path.name, hint="Add a column naming each record's Party group.")
        out = df.reindex(columns=MINUTES_COLUMNS)
        if out["record_id"].isna().all():
            out["record_id"] = [f"M{i + 2:06d}" for i in range(len(out))]  # file row number
        for c in ("record_id", "group_id", "group_name", "kind", "text", "recorder"):
            out[c] = out[c].astype("string")
    return resolve_groups(out, groups) if groups is not None else out


def resolve_groups(minutes: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Fill ``group_id`` from ``group_name`` through the groups table (names compared by :func:`name_key`).

    A name matches a group's name, or its id, or the name without a trailing ``党小组``. Unknown names,
    and names that two groups share (``综合班党小组`` in two units), keep ``group_id`` NA: they show up
    as unmatched (``no group``) in :func:`link_minutes`.

    Returns
    -------
    pandas.DataFrame
        ``minutes`` with ``group_id`` filled where a name is known.
    """
    lookup: dict[str, set] = {}
    for gid, name in zip(groups["group_id"].astype(str), groups["name"].astype(str)):
        for key in {name_key(name), name_key(gid), name_key(re.sub("党小组$", "", name))}:
            lookup.setdefault(key, set()).add(gid)
    lookup = {k: next(iter(v)) for k, v in lookup.items() if len(v) == 1}  # ambiguous names stay unresolved
    out = minutes.copy()
    missing = out["group_id"].isna()
    names = out.loc[missing, "group_name"].map(
        lambda n: lookup.get(name_key(n)) or lookup.get(name_key(re.sub("党小组$", "", str(n)))))
    out.loc[missing, "group_id"] = names.astype("string")
    return out


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
    raise DataError("not UTF-8 or GB18030 text", file=path.name, hint="Save the file as UTF-8 text.")


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
        problems.append(Problem(rel, None, None, "no date in the file name or its first 15 lines", path.name,
                                "Name the file like 运行一班党小组_2019-05-10.docx "
                                "or write 时间：2019年5月10日."))
    if not group:
        problems.append(Problem(rel, None, None, "no group in the file name or its first 15 lines", path.name,
                                "Name the file like 运行一班党小组_2019-05-10.docx "
                                "or write 党小组：运行一班."))
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
        raise DataError("no .txt or .docx files", file=str(folder), hint="One meeting per file.")
    rows, problems = [], []
    for path in files:
        try:
            row, found = _one_file(path, folder)
        except DataError as err:
            problems += err.problems
            continue
        except Exception as exc:  # a damaged .docx: say which file
            problems.append(Problem(str(path.relative_to(folder)), None, None,
                                    f"cannot be read ({type(exc).__name__})", path.name, ""))
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

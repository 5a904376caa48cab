"""Minutes as platform exports write them (智慧党建 and the like), made ready for the codebook table.

A platform export of meetings is a long sheet, but not the codebook's: title and 导出时间 rows above the
header (found by the readers' header detection), the group as ``组织名称`` / ``支部名称`` / ``党小组名称``,
the kind as the platform words it (``党小组会议``, ``主题党日活动``, ``支部党员大会``), the time as
``召开时间`` with a clock time (``2023年3月15日 14:30``, ``2023-03-15 14:30:00``, ``2023/3/15 下午2:30``,
an Excel date-time serial such as ``45000.6``), the topic (``会议主题``) apart from the content
(``会议内容`` / ``记录内容`` / ``主要内容`` / ``会议纪要``), the content as HTML from the platform's editor
(``<p>``, ``<br>``, ``&nbsp;``) or with line breaks inside the cell, and personal columns (``参会人员``,
``缺席人员``, ``主持人``).

:func:`export_cells` turns such cells into what the ``minutes`` table reads, before validation, so the
problems of what it cannot read are still named by file, sheet, row and column as written:

* **text** — the topic first, then every content column, each cleaned of HTML (block tags and ``<br>``
  become line breaks, other tags go, entities are decoded, Excel's ``_x000D_`` is dropped) and of blank
  lines; a sheet with a topic but no content column has no text, and neither has a row whose content
  cells are all empty (a topic is not a record: such a row is "not a record", coded NA);
* **date** — the first date written in the cell (the clock time is dropped: minutes link by day); a
  date-time serial loses its fraction; a cell with no date is left as written (the table's date check
  reports it);
* **kind** — the platform's wording mapped to the codebook's kinds (:data:`KIND_WORDS`); other kinds
  (a branch's 支部党员大会, 支委会) are not the activity log's and become empty (records still link by
  group and date);
* **group** — with both a group column (``党小组名称``) and a branch column (``支部名称``), the branch is
  the record's unit (``unit_name``: a group name two branches share is resolved within it);
* **personal columns** are left out.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import math
import re
import unicodedata

import pandas as pd

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.readers.base import RawTable, object_cells

__all__ = ["export_cells", "strip_html", "date_in", "KIND_WORDS", "TOPIC_HEADERS", "PERSONAL_HEADERS",
           "BRANCH_HEADERS"]

#: Headers of a meeting's topic (put before its content in ``text``)
TOPIC_HEADERS = ("会议主题", "主题", "活动主题", "会议名称", "活动名称", "议题", "会议议题", "标题")
#: Headers of columns naming people: never read
PERSONAL_HEADERS = ("参会人员", "参会人", "出席人员", "实到人员", "应到人员", "缺席人员", "缺席人",
                    "列席人员", "请假人员", "主持人", "参会党员", "出席人", "缺席党员")
#: Headers of the branch above a group (the record's unit when a group column is there too)
BRANCH_HEADERS = ("支部名称", "党支部", "党支部名称", "所属支部", "所属党支部", "组织名称", "党组织名称",
                  "所属组织")
#: Group-level headers (with one of them, a branch column is the unit, not the group)
_GROUP_LEVEL = ("党小组", "党小组名称", "小组名称", "党小组名", "所属党小组")

#: The platforms' wording of the codebook's kinds (longest first when matched)
KIND_WORDS = {"党小组会议": "group_meeting", "党小组会": "group_meeting", "小组会": "group_meeting",
              "党小组学习会": "group_meeting", "党小组学习": "group_meeting",
              "主题党日活动": "theme_day", "主题党日": "theme_day", "党员活动日": "theme_day",
              "党课": "party_lecture", "讲党课": "party_lecture", "专题党课": "party_lecture",
              "党小组长培训": "leader_training", "党员示范日": "demonstration_day",
              "联系群众": "mass_contact", "工作汇报": "work_report", "半年工作总结": "half_year_summary",
              "检查讲评": "inspection"}

_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d|p|div|li|tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,500}>")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/._年]\s*(\d{1,2})\s*[-/._月]\s*(\d{1,2})\s*日?|"
                   r"(\d{2})(\d{2}))(?!\d)")
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def strip_html(text: object) -> str | None:
    """A cell's text without the HTML of a platform's editor, line breaks kept, blank lines dropped.

    Returns
    -------
    str or None
        None when nothing but markup and white space is left.

    Examples
    --------
    >>> strip_html("<p>会议传达学习了文件。</p><p>张&nbsp;三：巡检&lt;不到位&gt;</p><br/>")
    '会议传达学习了文件。\\n张 三：巡检<不到位>'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    s = str(text).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    if "<" in s:
        s = _TAG.sub("", _BLOCK.sub("\n", s))
    s = html.unescape(s).replace("\xa0", " ").replace("\u3000", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in s.split("\n")]
    out = "\n".join(line for line in lines if line)
    return out or None


def date_in(value: object) -> _dt.date | None:
    """The date a platform wrote in a cell (clock time dropped), None when there is none.

    Examples
    --------
    >>> [str(date_in(v)) for v in ("2023年3月15日 14:30", "2023-03-15T14:30:00", "45000.6", "下周")]
    ['2023-03-15', '2023-03-15', '2023-03-15', 'None']
    """
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        serial = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        for m in _DATE.finditer(text):
            y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (
                m.group(1), m.group(4), m.group(5))
            try:
                return _dt.date(int(y), int(mo), int(d))
            except ValueError:
                continue
        try:
            serial = float(text)  # a serial saved as text (a CSV from Excel)
        except ValueError:
            return None
    if 20000 <= serial <= 80000:  # an Excel serial (1954–2119), its fraction the time of day
        return (_EXCEL_EPOCH + _dt.timedelta(days=math.floor(serial))).date()
    return None


def _column(frame: pd.DataFrame, target: str, aliases: dict[str, str]) -> list[str]:
    return [h for h in frame.columns if aliases.get(normalize_header(h)) == target]


def export_cells(raw: RawTable) -> RawTable:
    """A minutes sheet as read → cells the ``minutes`` table reads (see the module docstring).

    Returns
    -------
    RawTable
        ``raw`` with the text columns merged into one (topic first) and cleaned, dates as dates, kinds as
        the codebook's, personal columns left out, a branch column beside a group column headed
        ``unit_name``, a ``record_id`` ``M`` + the file row when the sheet has none; unchanged cells
        where nothing applies.
    """
    spec = codebook()["minutes"]
    aliases = spec.alias_map()
    frame = object_cells(raw).frame.copy()
    norm = {h: normalize_header(h) for h in frame.columns}
    drop = [h for h in frame.columns if norm[h] in {normalize_header(p) for p in PERSONAL_HEADERS}]
    if any(norm[h] in {normalize_header(g) for g in _GROUP_LEVEL} for h in frame.columns):
        branch = [h for h in frame.columns if norm[h] in {normalize_header(b) for b in BRANCH_HEADERS}]
        frame = frame.rename(columns={branch[0]: "unit_name"}) if branch else frame
        drop += branch[1:]
    topics = [h for h in frame.columns if norm.get(h) in {normalize_header(t) for t in TOPIC_HEADERS}]
    texts = _column(frame, "text", aliases)
    if texts:
        merged = [None] * len(frame)
        for h in topics + texts:
            merged = [_join(a, strip_html(b)) for a, b in zip(merged, frame[h].tolist())]
        content = [any(strip_html(v) for v in cells) for cells in zip(*(frame[h].tolist() for h in texts))]
        merged = [m if has else None for m, has in zip(merged, content)]  # a topic alone is no record
        frame[texts[0]] = pd.Series(merged, index=frame.index, dtype=object)
        drop += topics + texts[1:]
    for h in _column(frame, "date", aliases):
        frame[h] = pd.Series([None if v is None else (date_in(v) or v) for v in frame[h].tolist()],
                             index=frame.index, dtype=object)
    for h in _column(frame, "kind", aliases):
        frame[h] = pd.Series([_kind(v) for v in frame[h].tolist()], index=frame.index, dtype=object)
    if not _column(frame, "record_id", aliases) and len(frame):  # the record's row in the file
        rows = list(raw.meta.get("row_numbers") or range(raw.first_row, raw.first_row + len(frame)))
        frame.insert(0, "record_id", [f"M{r:06d}" for r in rows])
    frame = frame.drop(columns=[h for h in dict.fromkeys(drop) if h in frame.columns])
    return dataclasses.replace(raw, frame=frame, headers=[str(h) for h in frame.columns])


def _join(a: str | None, b: str | None) -> str | None:
    if a and b:
        return a if b in a else f"{a}\n{b}"
    return a or b


_KINDS = {**{normalize_header(k): v for k, v in KIND_WORDS.items()},
          **{normalize_header(z): c for c, z in codebook()["minutes"].columns["kind"].allowed.items()},
          **{normalize_header(c): c for c in codebook()["minutes"].columns["kind"].allowed}}


def _kind(value: object) -> str | None:
    """The codebook kind of a platform's wording, None for a kind the activity log does not hold."""
    if value is None:
        return None
    return _KINDS.get(normalize_header(value))

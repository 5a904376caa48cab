"""Header grammar of real questionnaire exports: which columns belong to which question.

A survey platform writes one header per column. The forms seen in real 问卷星,
腾讯问卷 and 金数据/问卷网 exports are:

==========================  =============================================  ==================
header as written           meaning                                        parsed as
==========================  =============================================  ==================
``3、性别`` / ``3.性别``     question 3 (one column)                         ``number=3``
``7、题干—子题``             first row of matrix question 7                  ``title, sub``
``7、子题`` (right after 7)  next row of the same matrix                     ``sub``
``7(子题)``, ``第7题(子题)``  a row of matrix 7, an option of multi-select 7  ``sub``
                            (0/1) or an item of sort question 7
``7(子题:选项)``             one option of one row of a matrix multi-select  ``sub``
``3、(1)…``, ``3、(2)…``      parts of a 多项填空 (several blanks)            ``part``
``1<TAB>我经常…``            an item whose header was edited in Excel        ``number=1``
==========================  =============================================  ==================

Columns with the same number next to each other form one question; a number
that goes *down* (``62`` then ``1、…``) starts a new *section* (two blocks of
questions merged in one sheet, or headers renumbered), so nothing is lost.
This module only reads headers; what a question is (single choice, matrix,
multi-select, …) is decided with its values in :mod:`.answers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Header", "Question", "parse_header", "group_questions"]

_BRACKET = re.compile(r"^(?:第\s*(\d+)\s*题|(\d+))\s*[(（](.*)[)）]\s*$", re.DOTALL)
_NUMBERED = re.compile(r"^(\d+)\s*[、．:：]\s*(.*)$", re.DOTALL)
_DOTTED = re.compile(r"^(\d+)\.(?!\d)\s*(.*)$", re.DOTALL)
_TAB = re.compile(r"^(\d+)\t+(.*)$", re.DOTALL)
_PART = re.compile(r"^[(（]\s*(\d+)\s*[)）]\s*(.*)$", re.DOTALL)
_DASH = re.compile(r"\s*(?:—|——|－－)\s*")


@dataclass(frozen=True)
class Header:
    """One column header, parsed.

    Attributes
    ----------
    position : int
        0-based column position in the file.
    text : str
        The header exactly as written.
    number : int
        Question number.
    form : {"numbered", "bracket", "tab", "plain"}
        ``3、…`` / ``3.…``, ``第3题(…)`` / ``3(…)``, ``3<TAB>…``, or a header
        without a number (a plain table, a 金数据 field title; ``number`` is then
        the column position).
    title : str or None
        Question text before ``—`` (or the whole text of a one-column question).
    sub : str or None
        Sub-item, option or part label (inside brackets, after ``—``).
    part : int or None
        Blank number of a 多项填空 header ``3、(2)…``.
    """

    position: int
    text: str
    number: int
    form: str
    title: str | None = None
    sub: str | None = None
    part: int | None = None


@dataclass
class Question:
    """Columns of one question, in file order (filled by :func:`group_questions`)."""

    number: int
    section: int
    headers: list[Header] = field(default_factory=list)
    name: str | None = None

    @property
    def qid(self) -> str:
        """Column stem: ``Q7`` (section 1), ``S2Q1`` (second block of numbers), or ``name``."""
        if self.name is not None:
            return self.name
        return f"Q{self.number}" if self.section == 1 else f"S{self.section}Q{self.number}"

    @property
    def title(self) -> str | None:
        first = self.headers[0]
        return first.title

    @property
    def form(self) -> str:
        return self.headers[0].form


def parse_header(position: int, text: str) -> Header | None:
    """Parse one question header; None when it has no question number.

    Examples
    --------
    >>> h = parse_header(4, "7、请根据实际情况作答：—给老师发消息时")
    >>> h.number, h.form, h.title, h.sub
    (7, 'numbered', '请根据实际情况作答：', '给老师发消息时')
    >>> parse_header(5, "第6题(运动)").sub, parse_header(6, "3、(2)月收入").part
    ('运动', 2)
    """
    raw = text.strip(" \u3000\r\n")
    if m := _TAB.match(text.strip(" \u3000\r\n")):
        return Header(position, text, int(m[1]), "tab", m[2].strip())
    if m := _BRACKET.match(raw):
        return Header(position, text, int(m[1] or m[2]), "bracket", None, m[3].strip())
    m = _NUMBERED.match(raw) or _DOTTED.match(raw)
    if m is None:
        return None
    rest = m[2].strip()
    if p := _PART.match(rest):
        return Header(position, text, int(m[1]), "numbered", None, p[2].strip() or None, int(p[1]))
    stem, dash, sub = (part.strip() for part in _split_dash(rest))
    if dash:
        return Header(position, text, int(m[1]), "numbered", stem or None, sub or None)
    return Header(position, text, int(m[1]), "numbered", rest)


def _split_dash(text: str) -> tuple[str, str, str]:
    m = _DASH.search(text)
    if m is None:
        return text, "", ""
    return text[: m.start()], m.group(0), text[m.end():]


def group_questions(headers: list[Header]) -> list[Question]:
    """Group parsed headers into questions: same number next to each other.

    A question number lower than the previous one starts a new section;
    the same number again after other questions (not next to its first
    columns) also starts one, so no column is silently merged into the
    wrong question.

    Examples
    --------
    >>> hs = [parse_header(i, h) for i, h in enumerate(
    ...     ["1、性别", "2、题干—甲", "2、乙", "第3题(运动)", "第3题(阅读)", "1\\t我常…"])]
    >>> [(q.qid, len(q.headers)) for q in group_questions(hs)]
    [('Q1', 1), ('Q2', 2), ('Q3', 2), ('S2Q1', 1)]
    """
    out: list[Question] = []
    section = 1
    seen: set[int] = set()
    last: Header | None = None
    for h in headers:
        same = last is not None and h.number == last.number and h.position == last.position + 1
        if same and _continues(out[-1], h):
            out[-1].headers.append(h)
        else:
            if h.number in seen or (last is not None and h.number < last.number):
                section += 1
                seen = set()
            out.append(Question(h.number, section, [h]))
            seen.add(h.number)
        last = h
    return out


def _continues(q: Question, h: Header) -> bool:
    """Whether ``h`` (same number, next column) is another column of ``q``."""
    first = q.headers[0]
    if first.form == "tab" or h.form == "tab":
        return False
    return (first.form == "bracket") == (h.form == "bracket") or h.form == "numbered"

"""Pseudonymisation of respondent identifiers and removal of personal data.

Survey answers about members' attitudes leave the building in reports, so
``load_dataset`` replaces every respondent identifier with a keyed hash
(HMAC-SHA256). The key is a per-project secret read from ``GROUPLAB_SECRET``
or from the git-ignored file ``.grouplab-secret`` at the project root, which is
created with a random key on first use and never committed. The same secret
gives the same pseudonym, so waves can still be linked; without the secret the
original identifier cannot be recovered or confirmed by guessing.

Columns that identify a person — IP addresses, names, phone numbers, e-mail
addresses, ID-card numbers, WeChat ids/openids, 学号/工号 — are found by their
header (:func:`pii_header`) and by their content (:func:`pii_content`, regular
expressions on the values) and dropped on load by every reader; personal data
written inside open answers is masked (:func:`mask_text`). What was removed is
listed so the data-quality report can say so: :func:`privacy_record` builds
that list as a small frame (:attr:`grouplab.data.dataset.Dataset.privacy`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections import Counter
from pathlib import Path

import pandas as pd

from grouplab.paths import project_root

__all__ = ["project_secret", "pseudonymise", "SECRET_FILE", "pii_header", "pii_content",
           "mask_text", "PII_PATTERNS", "PRIVACY_COLUMNS", "privacy_record", "removal", "file_removals"]

#: columns of :func:`privacy_record` (and ``Dataset.privacy``)
PRIVACY_COLUMNS = ["table", "file", "column", "kind", "detected", "action"]

# header words that mark a personal-data column (matched anywhere in the header)
_PII_HEADERS = (  # location first: IP省份 / IP城市 name a place, not an address
    ("location", re.compile(r"IP省份|IP城市|地理位置|填写地区")),
    ("ip", re.compile(r"(^|[^A-Za-z])IP($|[^A-Za-z])|IP地址|来自IP", re.IGNORECASE)),
    ("name", re.compile(r"姓名|名字|真实名|^name$|^full ?name$|昵称|提交人|填写人|用户名",
                        re.IGNORECASE)),
    ("phone", re.compile(r"手机号|电话号|联系电话|联系方式|^电话|^手机$|phone|mobile", re.IGNORECASE)),
    ("email", re.compile(r"邮箱|e-?mail|电子邮件", re.IGNORECASE)),
    ("id_card", re.compile(r"身份证|证件号")),
    ("wechat", re.compile(r"微信号|openid|unionid|微信昵称|wechat", re.IGNORECASE)),
    ("student_staff_no", re.compile(r"学号|工号|员工编号|职工号")),
    ("address", re.compile(r"住址|家庭地址|通讯地址")),
)
#: value patterns of personal data (full-cell match marks a column; any match is masked in text)
PII_PATTERNS = {
    "ip": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
    "phone": re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)"),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "id_card": re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![\dXx])"),
    "wechat": re.compile(r"(?<![\w-])o[\w-]{27}(?![\w-])"),
}
_FULL_SHARE = 0.5  # a column is personal data when half its filled cells are such values

SECRET_FILE = ".grouplab-secret"


def project_secret() -> bytes:
    """The pseudonymisation key: ``$GROUPLAB_SECRET``, else ``.grouplab-secret`` (created if missing)."""
    env = os.environ.get("GROUPLAB_SECRET")
    if env:
        return env.encode("utf-8")
    path = Path(os.environ.get("GROUPLAB_SECRET_FILE") or project_root() / SECRET_FILE)
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def pseudonymise(ids: pd.Series, *, context: str = "", secret: bytes | None = None) -> pd.Series:
    """Replace identifiers with keyed hashes (``R`` + 16 hex digits).

    Parameters
    ----------
    ids : pandas.Series
        Identifiers as read (any type; missing stays missing).
    context : str
        Mixed into the hash (e.g. the survey's id), so the same number in two
        unrelated surveys does not get the same pseudonym.
    secret : bytes, optional
        Key (default :func:`project_secret`).

    Returns
    -------
    pandas.Series
        Pseudonyms, same index, ``string`` dtype.

    Examples
    --------
    >>> s = pseudonymise(pd.Series(["17", "18"]), secret=b"k")
    >>> s.str.len().tolist(), s.iloc[0] != s.iloc[1], s.iloc[0].startswith("R")
    ([17, 17], True, True)
    """
    key = project_secret() if secret is None else secret

    def one(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        digest = hmac.new(key, f"{context}\0{v}".encode(), hashlib.sha256).hexdigest()
        return "R" + digest[:16]

    return ids.map(one).astype("string")


def pii_header(header: str) -> str | None:
    """The kind of personal data a header announces (``"ip"``, ``"name"``, …), else None.

    Examples
    --------
    >>> pii_header("来自IP"), pii_header("5、您的手机号码："), pii_header("3、性别")
    ('ip', 'phone', None)
    """
    text = str(header).strip()
    for kind, rx in _PII_HEADERS:
        if rx.search(text):
            return kind
    return None


def _cell_counts(values: pd.Series | list) -> Counter:
    """Stripped non-empty cell text -> count (numbers of one type counted by pandas)."""
    arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    kinds = set(map(type, arr))
    out: Counter = Counter()
    if len(kinds & {int, float, bool}) > 1:  # 1, 1.0 and True would be merged: cell by cell
        out.update(str(v).strip() for v in arr if v is not None and not (isinstance(v, float)
                                                                         and v != v))
    else:
        for v, n in pd.Series(arr, dtype=object).value_counts(dropna=True).items():
            out[str(v).strip()] += int(n)
    out.pop("", None)
    return out


def pii_content(values: pd.Series | list) -> str | None:
    """The kind of personal data a column holds, judged by its values, else None.

    A column counts when at least half of its non-empty cells are, in full, an
    IPv4 address, a mainland mobile number, an e-mail address, an 18-digit
    ID-card number or a WeChat openid.

    Examples
    --------
    >>> pii_content(["13812345678", "13987654321", None]), pii_content(["1", "2"])
    ('phone', None)
    """
    counts = _cell_counts(values)  # answers repeat: each distinct cell is matched once
    if not counts:
        return None
    total = sum(counts.values())
    for kind, rx in PII_PATTERNS.items():
        hits = sum(n for c, n in counts.items() if rx.fullmatch(c))
        if hits and hits >= _FULL_SHARE * total:
            return kind
    return None


def mask_text(text: str | None) -> tuple[str | None, list[str]]:
    """Personal data inside an open answer replaced by ``〔已删除〕``; kinds found.

    Examples
    --------
    >>> mask_text("请联系 13812345678 或 a@b.cn")
    ('请联系 〔已删除〕 或 〔已删除〕', ['phone', 'email'])
    """
    if text is None:
        return None, []
    found = []
    for kind, rx in PII_PATTERNS.items():
        text, n = rx.subn("〔已删除〕", text)
        if n:
            found.append(kind)
    return text, found


def removal(column: str, kind: str, detected: str, action: str = "dropped", **extra) -> dict:
    """One entry of what privacy removed: a column as written, what it held, how it was found.

    Parameters
    ----------
    column : str
        Header as written in the file (or the answer column for ``masked``).
    kind : str
        ``ip``, ``location``, ``name``, ``phone``, ``email``, ``id_card``,
        ``wechat``, ``student_staff_no``, ``address``, ``metadata`` (device,
        browser …) or ``respondent_id``; several kinds joined by ``,``.
    detected : {"header", "content", "platform", "id"}
        By its header, by its values, as a platform's metadata column, or as
        the answer-sheet number.
    action : {"dropped", "masked", "pseudonymised"}

    Examples
    --------
    >>> removal("来自IP", "ip", "header")["action"]
    'dropped'
    """
    return {"column": str(column), "kind": kind, "detected": detected, "action": action, **extra}


def privacy_record(entries: list[dict]) -> pd.DataFrame:
    """What privacy removed, one row per column and file (see :func:`removal`).

    Returns
    -------
    pandas.DataFrame
        - ``table``: dataset table (``survey``)
        - ``file``: the file as named in the dataset folder
        - ``column``: header as written
        - ``kind``: what the column held (``ip``, ``phone`` … ``respondent_id``)
        - ``detected``: ``header``, ``content``, ``platform`` or ``id``
        - ``action``: ``dropped``, ``masked`` or ``pseudonymised``

    Examples
    --------
    >>> privacy_record([{"table": "survey", "file": "a.csv", **removal("IP", "ip", "header")}]).shape
    (1, 6)
    """
    rows = [{c: (None if e.get(c) is None else str(e.get(c))) for c in PRIVACY_COLUMNS}
            for e in entries]
    return pd.DataFrame(rows, columns=PRIVACY_COLUMNS, dtype="str").drop_duplicates(
        ignore_index=True)


def file_removals(table: str, file: str, removed: list[dict], id_header: str | None) -> list[dict]:
    """Entries of one file for :func:`privacy_record`: its removed columns and its pseudonymised id.

    ``removed`` holds :func:`removal` dicts, or ``{"column", "reason"}`` with a
    reason like ``"phone"`` or ``"phone (by content)"``.
    """
    out = []
    for r in removed:
        if "kind" not in r:
            reason = str(r.get("reason", ""))
            r = removal(r["column"], reason.split(" ")[0] or "unknown",
                        "content" if "(by content)" in reason else "header")
        out.append({"table": table, "file": file, **r})
    if id_header is not None:
        out.append({"table": table, "file": file,
                    **removal(id_header, "respondent_id", "id", "pseudonymised")})
    return out

"""What a survey platform's export looks like: :class:`Profile` and the known profiles.

A profile lists the platform's metadata columns (header as written -> canonical
name, ``None`` for columns dropped on load), the headers that can hold the
respondent number, its missing-answer codes and its multi-select separator.
Adding a platform means adding a profile to :data:`PROFILES`; question headers
are read by the shared grammar of :mod:`.headers`.

Metadata headers of 问卷星 come from the real exports in ``../shared/realdata``
and 问卷星's download page; those of 腾讯问卷 from a real 腾讯问卷 CSV there and
the columns a consolidation script reads from 腾讯问卷 exports
(YuanLinStudio/Inspection-Record-Consolidating-System: 开始答题时间, 结束答题时间,
答题时长, 地理位置国家和地区/省/市, 用户类型, 用户标识, 昵称, 自定义字段). For 金数据
no export file was found in public repositories; its headers follow a script
that reads real 金数据 xlsx exports (nesettle/napcat_notify ``compare_jinshuju.py``:
序号, 提交时间 or 创建时间, 更新时间 or 最后更新时间, and unnumbered field titles
such as 姓名, 学院) and the 金数据-style export of SurveyKing
(javahuang/SurveyKing ``SchemaParser.parseColumns``: 序号, question titles,
自定义字段, 提交人, 提交时间, 填写时长, 填写设备, 操作系统, 浏览器, 填写地区, IP). For
问卷网 nothing public was found: its profile is as commonly described and
accepts numbered and unnumbered question headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Profile", "PROFILES", "WJX", "TENCENT", "JINSHUJU", "WENJUANWANG", "PLAIN",
           "META_COLUMNS"]

#: canonical metadata columns, in output order (only those present are kept)
META_COLUMNS = ("respondent_id", "submitted", "started", "duration_s", "source",
                "source_detail", "total_score")


@dataclass(frozen=True)
class Profile:
    """One survey platform's export conventions.

    Attributes
    ----------
    name : str
        Short id (``"wjx"``, ``"tencent"``, …).
    zh : str
        Platform name as users know it (问卷星).
    meta : Mapping[str, str | None]
        Metadata header -> canonical column (:data:`META_COLUMNS`), or None
        for a column dropped on load (IP address, location, browser …).
    id_headers : tuple of str
        Headers that hold the answer-sheet number, first found wins.
    numeric_missing, text_missing : Mapping
        Codes meaning "no answer", with the reason kept in ``attrs``.
    multi_sep : str
        Separator of multi-select labels in a text export.
    numbered : bool
        Whether question headers carry their number (``3、性别``). When False
        (金数据, 问卷网: a header is the field's title as the form author wrote
        it), headers without a number are read one column per question, named
        by the header, as in a plain table.
    """

    name: str
    zh: str
    meta: Mapping[str, str | None]
    id_headers: tuple[str, ...]
    numeric_missing: Mapping[int, str] = field(default_factory=dict)
    text_missing: Mapping[str, str] = field(default_factory=dict)
    multi_sep: str = "┋"
    numbered: bool = True

    def matches(self, headers: list[str]) -> list[str]:
        """The profile's kept metadata headers (not the dropped ones) found among ``headers``."""
        present = {h.strip() for h in headers}
        return [h for h, target in self.meta.items() if target is not None and h in present]


_WJX_MISSING_NUM = MappingProxyType({-2: "skipped (跳过)", -3: "not shown (未显示)"})
_WJX_MISSING_TEXT = MappingProxyType({"(跳过)": "skipped (跳过)", "(空)": "empty (空)",
                                      "（跳过）": "skipped (跳过)", "（空）": "empty (空)"})

WJX = Profile(
    "wjx", "问卷星",
    MappingProxyType({"序号": "respondent_id", "提交答卷时间": "submitted", "所用时间": "duration_s",
                      "来源": "source", "来源详情": "source_detail", "来自IP": None,
                      "总分": "total_score"}),
    ("序号",), _WJX_MISSING_NUM, _WJX_MISSING_TEXT)

TENCENT = Profile(
    "tencent", "腾讯问卷",
    MappingProxyType({"答题序号": "respondent_id", "编号": "respondent_id", "来源": "source",
                      "开始时间": "started", "开始答题时间": "started",
                      "提交时间": "submitted", "结束答题时间": "submitted",
                      "答题时长": "duration_s", "IP省份": None, "IP城市": None, "IP地址": None,
                      "浏览器": None, "操作系统": None, "用户ID": None, "昵称": None,
                      "扩展字段": None, "自定义字段": None, "地理位置国家和地区": None,
                      "地理位置省": None, "地理位置市": None, "用户类型": None, "用户标识": None}),
    ("答题序号", "编号"), MappingProxyType({}), _WJX_MISSING_TEXT, "┋")

JINSHUJU = Profile(
    "jinshuju", "金数据",
    MappingProxyType({"序号": "respondent_id", "提交时间": "submitted", "填写时间": "started",
                      "创建时间": "submitted", "更新时间": None, "最后更新时间": None,
                      "自定义字段": None,
                      "修改时间": None, "提交人": None, "填写设备": None, "操作系统": None,
                      "浏览器": None, "填写地区": None, "IP": None, "微信昵称": None,
                      "微信OpenID": None, "微信性别": None, "微信国家": None, "微信省份": None,
                      "微信城市": None, "来源渠道": "source", "填写时长": "duration_s"}),
    ("序号",), MappingProxyType({}), MappingProxyType({}), "\n", numbered=False)

WENJUANWANG = Profile(
    "wenjuanwang", "问卷网",
    MappingProxyType({"编号": "respondent_id", "答卷编号": "respondent_id",
                      "开始答题时间": "started", "结束答题时间": "submitted",
                      "答题时间": "submitted", "答题时长": "duration_s", "来源渠道": "source",
                      "IP": None, "地理位置": None, "国家": None, "省份": None, "城市": None,
                      "设备": None, "浏览器": None, "操作系统": None, "微信昵称": None,
                      "openid": None, "用户名": None}),
    ("编号", "答卷编号"), MappingProxyType({}), _WJX_MISSING_TEXT, "|", numbered=False)

PLAIN = Profile(
    "plain", "一题一列的表格 (plain table)",
    MappingProxyType({"respondent_id": "respondent_id", "答卷编号": "respondent_id",
                      "序号": "respondent_id", "ID": "respondent_id", "id": "respondent_id",
                      "编号": "respondent_id", "提交答卷时间": "submitted", "提交时间": "submitted",
                      "所用时间": "duration_s"}),
    ("respondent_id", "答卷编号", "序号", "ID", "id", "编号"),
    MappingProxyType({}), _WJX_MISSING_TEXT, "┋")

#: platform profiles tried by automatic detection, most specific first
PROFILES: tuple[Profile, ...] = (WJX, TENCENT, JINSHUJU, WENJUANWANG)

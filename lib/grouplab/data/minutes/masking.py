"""Person names in minutes masked before any text leaves the program (evidence quotes, coding workbooks).

:func:`mask_names` replaces ``X同志``, ``X书记`` and other titles, ``X指出`` and other speech verbs, a name
after a title (``组长王刚``), the lists after ``参加人员：`` / ``主持人：`` / ``记录人：``, and every name
given (the roster, the recorders), on top of the phone / e-mail / id screening of
:func:`grouplab.data.surveys.privacy.mask_text`. Names are recognised by common surnames: a name with a
rare surname is masked only when it is given (roster) or stands in an attendance list.
"""

from __future__ import annotations

import re

import pandas as pd

from grouplab.data.surveys.privacy import mask_text

__all__ = ["mask_names", "names_pattern", "NAME_MASK"]

#: what a masked name becomes
NAME_MASK = "〔姓名〕"
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

"""Where a report's 三多三少 flags came from, said in one sentence (zh/en).

A dataset chooses the source of the flags the meeting-quality index and the study panel use with
``meeting_flags:`` in ``dataset.yml`` (:func:`grouplab.measures.meeting_flags.dataset_activities`).
Every report showing figures built on the flags says the source and how many meetings took their flags
from where (:func:`flag_source_sentence`); a dataset that does not set the key uses the log's ticks, as
before, and the reports say nothing more.
"""

from __future__ import annotations

import pandas as pd

from grouplab.reports.common.labels import phrase

__all__ = ["flag_source_sentence", "PHRASES"]

PHRASES = {
    "sentence": {"zh": "“三多三少”标记来源：{parts}（dataset.yml：meeting_flags: {source}）。",
                 "en": "Source of the 三多三少 flags: {parts} (dataset.yml: meeting_flags: {source})."},
    "recorded": {"zh": "台账勾选（{n} 次党小组会）",
                 "en": "ticked in the activity log ({n} group meeting{s})"},
    "coded": {"zh": "会议记录文本自动编码（{n} 次党小组会）",
              "en": "coded automatically from the text of the minutes ({n} group meeting{s})"},
    "none": {"zh": "无标记、不计入质量指数（{n} 次党小组会）",
             "en": "no flags, not rated ({n} group meeting{s})"},
    "no_meetings": {"zh": "本期没有党小组会", "en": "no group meetings in the period"},
    "sep": {"zh": "，", "en": "; "},
}


def flag_source_sentence(source: str | None, counts: pd.DataFrame | None, lang: str) -> str:
    """The source of the flags and the meetings per source, or ``""`` when the dataset sets no source.

    Parameters
    ----------
    source : str or None
        ``meeting_flags:`` of the manifest (None: the key is absent).
    counts : pandas.DataFrame or None
        :func:`grouplab.measures.meeting_flags.flag_source_counts` of the meetings the report covers.
    lang : {"zh", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> c = pd.DataFrame({"flag_source": ["recorded", "coded", "none"], "meetings": [0, 12, 0]})
    >>> print(flag_source_sentence("coded", c, "zh"))
    “三多三少”标记来源：会议记录文本自动编码（12 次党小组会）（dataset.yml：meeting_flags: coded）。
    >>> flag_source_sentence(None, c, "en")
    ''
    """
    if source is None or counts is None:
        return ""
    parts = [phrase(PHRASES, str(src), lang, n=int(n), s="" if n == 1 else "s")
             for src, n in zip(counts["flag_source"], counts["meetings"]) if n > 0]
    text = phrase(PHRASES, "sep", lang).join(parts) if parts else phrase(PHRASES, "no_meetings", lang)
    return phrase(PHRASES, "sentence", lang, parts=text, source=source)

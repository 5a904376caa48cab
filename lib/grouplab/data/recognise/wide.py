"""Wide ledgers among the sheets of a folder: evaluation ledgers, indicator sheets, months as columns."""

from __future__ import annotations

import re
from pathlib import Path

from grouplab.data.codebook import codebook, normalize_header
from grouplab.data.ledgers.entities import NAME_HEADERS
from grouplab.data.ledgers.layouts import INDICATOR_HEADERS, WIDE, looks_wide, match_indicator
from grouplab.data.readers.base import header_text
from grouplab.data.recognise.phrases import Finding

__all__ = ["wide_match", "texts_of", "GROUP_NAMES"]

GROUP_NAMES = ("党小组", "党小组名称", "小组名称", "党小组名", "班组", "班组名称")
_EXPOSURE_WORDS = ("工时", "人工时", "作业时间", "暴露")
_ACTIVITY_WORDS = ("会议", "活动", "组织生活", "三会一课", "次数", "台账", "记录")
_DAYS = re.compile(r"\d{1,2}\s*[日号]|[、，,]")
_POINTS = re.compile(r"[（(【\[]\s*\d+(?:\.\d+)?\s*分\s*[）)】\]]$|\d+(?:\.\d+)?\s*分$")


def texts_of(row: list) -> list[str]:
    """The non-empty texts of a row, as written."""
    return [t for t in (header_text(v).strip() for v in row) if t]



def _entity_header(table: str, texts: list[str]) -> str | None:
    entity = WIDE[table].entity
    col = codebook()[{"group_id": "groups", "entity_id": "indicators"}[entity]].columns[entity]
    known = {normalize_header(t) for t in (col.name, col.zh, *col.aliases, *NAME_HEADERS[entity])}
    if entity == "group_id":
        known |= {normalize_header(t) for t in GROUP_NAMES}
    return next((t for t in texts if normalize_header(t) in known), None)


def wide_match(path: Path, rel: str, sheet: str | None, head: list, rows: list, specs: dict):
    for i, row in enumerate(head):
        texts = texts_of(row)
        for table in ("evaluations", "indicators", "exposure"):
            if not looks_wide(table, [row], specs):
                continue
            ent = _entity_header(table, texts)
            if ent is None:
                continue
            shown = ", ".join(texts[:4]) + (" …" if len(texts) > 4 else "")
            if table == "evaluations":
                return _own_items(rel, sheet, [row], specs) or _rubric_finding(rel, sheet, texts, specs)
            if table == "indicators" and _indicator_sheet(texts, specs):
                return Finding(rel, sheet, table, "wide", why={"code": "wide_indicators", "headers": shown,
                                                               "by": f" ({ent})"})
            if table == "exposure":
                return _months_finding(path, rel, sheet, head[:i], rows[i + 1:], shown)
    return _own_items(rel, sheet, head, specs)


def _rubric_finding(rel: str, sheet: str | None, texts: list[str], specs: dict) -> Finding:
    entity = _entity_header("evaluations", texts)
    items = [t for t in texts if t != entity and looks_wide("evaluations", [[t, t]], specs)]
    shown = ", ".join(items[:3]) + (" …" if len(items) > 3 else "")
    return Finding(rel, sheet, "evaluations", "wide",
                   why={"code": "wide_rubric", "n": len(items), "headers": shown})


def _own_items(rel: str, sheet: str | None, head: list, specs: dict) -> Finding | None:
    """An evaluation ledger whose items (written with points, ``安全管理（10分）``) are not the rubric's."""
    for row in head:
        texts = texts_of(row)
        pointed = [t for t in texts if _POINTS.search(t)]
        known = sum(looks_wide("evaluations", [[t, t]], specs) for t in pointed)
        if len(pointed) >= 3 and known < len(pointed) and _entity_header("evaluations", texts):
            return Finding(rel, sheet, "evaluations", "wide",
                           why={"code": "wide_points", "n": len(pointed), "unknown": len(pointed) - known,
                                "headers": ", ".join(pointed[:3]) + (" …" if len(pointed) > 3 else "")})
    return None


def _indicator_sheet(texts: list[str], specs: dict) -> bool:
    cat = specs.get("catalogue") or {}
    named = {normalize_header(t) for t in INDICATOR_HEADERS}
    return any(normalize_header(t) in named or match_indicator(t, cat) for t in texts)


def _months_finding(path: Path, rel: str, sheet: str | None, above: list, body: list, shown: str) -> Finding:
    """Months as columns: person-hours or meetings, from the words of the file name, sheet and title."""
    places = {"file": Path(rel).stem, "sheet": sheet or "", "title": " ".join(
        t for r in above for t in texts_of(r))}
    labels = codebook()["activities"].columns["kind"].allowed or {}
    exposure = [w for w in _EXPOSURE_WORDS if any(w in t for t in places.values())]
    kinds = {}
    for where in ("title", "sheet", "file"):  # the sheet's own words first
        hit = [k for k, zh in labels.items() if zh and zh in places[where]]
        if len(hit) == 1 and not kinds:
            kinds = {"kind": hit[0], "where": where, "text": places[where]}
    words = [w for w in _ACTIVITY_WORDS if any(w in t for t in places.values())]
    if exposure and not kinds:
        return Finding(rel, sheet, "exposure", "wide", why={"code": "wide_exposure", "headers": shown,
                                                            "words": ", ".join(exposure)})
    days = [] if exposure or kinds or words else _day_cells(body)
    if kinds or words or days:
        evidence = [labels[kinds["kind"]]] if kinds else words or days[:2]
        f = Finding(rel, sheet, "activities", "wide",
                    why={"code": "wide_activities", "headers": shown, "words": ", ".join(evidence)})
        f.options["kind"] = kinds.get("kind", "group_meeting")
        f.notes.append({"code": "kind_from", **kinds} if kinds else {"code": "kind_default"})
        return f
    return Finding(rel, sheet, None, why={"code": "months_unclear", "headers": shown})


def _day_cells(body: list) -> list[str]:
    """Cells holding meeting days (``6日、27日``), when at least two do."""
    cells = [header_text(v) for r in body[:50] for v in r if isinstance(v, str)]
    days = [c for c in cells if _DAYS.search(c)]
    return days if len(days) >= 2 else []

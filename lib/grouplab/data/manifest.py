"""The dataset manifest (``dataset.yml``): which files and sheets feed which table, and how.

:func:`table_entries` turns every accepted way of writing a table entry into
one shape — a ``layout`` (``long``, ``wide`` or ``export``) and a list of
``sources`` (``{file, sheet}`` plus per-source options) — and reports an
unusable entry as a problem naming ``dataset.yml`` and the key, instead of
failing later with a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from grouplab.data.codebook import TABLES
from grouplab.data.problems import did_you_mean, problem
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST

__all__ = ["table_entries", "unknown_keys", "meeting_flags", "TOP_KEYS", "ENTRY_KEYS", "SOURCE_KEYS",
           "EXPORT_KEYS", "MEETING_FLAGS", "MINUTES_BESIDE", "REPORT_WORKBOOKS", "report_workbook"]

#: A filled coding workbook beside dataset.yml that report 08 shows the agreement of (the first found;
#: ``minutes_coding.xlsx`` is ``grouplab minutes sample``'s default name), with its coders' files beside it
REPORT_WORKBOOKS = ("minutes_coding.xlsx", "coding.xlsx")


def report_workbook(folder: str | Path) -> list[Path]:
    """The coding workbook report 08 reads from a dataset folder, then its coders' files; [] when none.

    Returns
    -------
    list of pathlib.Path
        The master (one of :data:`REPORT_WORKBOOKS`) and every ``<stem>_编码员k.xlsx`` beside it.
    """
    folder = Path(folder)
    master = next((folder / n for n in REPORT_WORKBOOKS if (folder / n).is_file()), None)
    if master is None:
        return []
    return [master, *sorted(p for p in folder.glob(f"{master.stem}_编码员*{master.suffix}")
                            if not p.name.startswith("~$"))]


#: Keys of dataset.yml itself (``company``: name of the company root created for a roster's units;
#: ``meeting_flags``: where the 三多三少 flags of the measures come from, :data:`MEETING_FLAGS`).
TOP_KEYS = ("name", "synthetic", "study_window", "indicator_window", "rubric", "questionnaire", "catalogue",
            "tables", "survey_id", "org_life", "company", "lang", "description", "limits", "meeting_flags")
#: Values of ``meeting_flags:``: ``recorded`` (the activity log's flags as ticked; the default),
#: ``coded`` (coded from the minutes; meetings without minutes are unrated), ``recorded_else_coded``
#: (the log's flags, a meeting the log leaves blank coded from its minutes).
MEETING_FLAGS = ("recorded", "coded", "recorded_else_coded")
#: Minutes beside dataset.yml that need no ``tables: minutes:`` entry
MINUTES_BESIDE = ("minutes.csv", "minutes.xlsx")
_WINDOW_KEYS = ("start", "end")
#: Options one file or sheet may carry (in ``files:``/``sources:`` or on the entry itself).
SOURCE_KEYS = ("file", "sheet", "sheets", "unit", "period", "month", "year", "kind", "indicator", "encoding",
               "header_row", "columns", "cells", "hidden")
#: Keys of a table entry (``layout: long`` or ``wide``).
ENTRY_KEYS = SOURCE_KEYS + ("files", "sources", "layout", "format")
#: Keys of a survey export entry (``format: export``).
EXPORT_KEYS = ("format", "files", "platform")
#: Options read only from ``layout: wide`` entries (a long table has its period, month, kind … in columns).
WIDE_ONLY = ("period", "month", "year", "kind", "indicator", "cells", "hidden", "header_row")

_LAYOUTS = {"long": "long", "tidy": "long", "wide": "wide"}


def table_entries(manifest: Mapping, problems: list[Problem]) -> dict[str, dict]:
    """The manifest's ``tables`` as one dict per table: ``format`` and the ``sources`` to read.

    A table entry may be a file name (``units: units.csv``), a list of files
    or ``{file, sheet}`` mappings, or a mapping with ``file`` or ``files``,
    ``sheet`` or ``sheets`` (a list, or ``all``), ``layout`` (``long`` or
    ``wide``) and per-layout options. Each ``sources`` item is ``{file, sheet}``
    plus that source's own options (e.g. its ``period``).

    Returns
    -------
    dict
        table -> the entry with ``layout`` (``long``, ``wide`` or ``export``) and
        ``sources`` (list of dict); unusable entries are left out and reported
        in ``problems`` (naming dataset.yml and the key).
    """
    tables = manifest.get("tables") or {}
    problems.extend(unknown_keys(manifest))
    if not isinstance(tables, Mapping):
        problems.append(problem("bad_tables", MANIFEST, None, "tables",
                                str(tables)[:80]))
        return {}
    for t in sorted(set(map(str, tables)) - set(TABLES)):
        problems.append(problem("unknown_table", MANIFEST, None, "tables", t,
                                table=t, tables=", ".join(TABLES)))
    out = {}
    for table in TABLES:
        entry = tables.get(table)
        if entry is None:
            continue
        if isinstance(entry, str):
            entry = {"file": entry}
        elif isinstance(entry, list):
            entry = {"sources": entry}
        if not isinstance(entry, Mapping):
            problems.append(problem("bad_table_entry", MANIFEST, None, f"tables.{table}",
                                    str(entry)[:80]))
            continue
        entry = dict(entry)
        if entry.get("format") in ("wjx", "export"):  # a survey platform's export, any platform
            entry["layout"], entry["sources"] = "export", []
            out[table] = entry
            continue
        layout = str(entry.get("layout", "long"))
        if layout not in _LAYOUTS:
            problems.append(problem("unknown_layout", MANIFEST, None, f"tables.{table}.layout", layout))
            continue
        entry["layout"] = _LAYOUTS[layout]
        entry["sources"] = _sources(entry, table, problems)
        out[table] = entry
    return out


def _sources(entry: dict, table: str, problems: list[Problem]) -> list[dict]:
    raw = entry.get("sources")
    if raw is None:
        raw = entry["files"] if isinstance(entry.get("files"), list) else [entry.get("file")]
    out = []
    for item in raw if isinstance(raw, list) else [raw]:
        src = {"file": item} if isinstance(item, (str, type(None))) else item
        if not isinstance(src, Mapping):
            problems.append(problem("bad_source", MANIFEST, None, f"tables.{table}",
                                    str(item)[:80]))
            continue
        src = {k: v for k, v in src.items() if k != "sheets"}
        src["file"] = str(src.get("file") or "")
        sheets = (item.get("sheets", item.get("sheet")) if isinstance(item, Mapping) else None)
        if sheets is None:
            sheets = entry.get("sheets", entry.get("sheet"))
        if sheets in ("all", "*"):
            sheets = ["*"]  # every sheet of the workbook: expanded when the file is read
        for sheet in sheets if isinstance(sheets, list) else [sheets]:
            out.append({**src, "sheet": None if sheet is None else str(sheet)})
    return out


def _unknown(found, allowed, where: str) -> list[Problem]:
    out = []
    for k in found:
        if str(k) in allowed:
            continue
        close = difflib.get_close_matches(str(k), list(allowed), n=1, cutoff=0.6)
        out.append(problem("unknown_key", MANIFEST, None, f"{where}{k}", str(k), keys=", ".join(allowed),
                           **did_you_mean(close)))
    return out


def unknown_keys(manifest: Mapping) -> list[Problem]:
    """Every key of dataset.yml that grouplab does not read, with the closest known key (difflib).

    A misspelt key (``unit_id:`` for ``unit:``, ``sheet_name:``) would otherwise be silently ignored.

    Returns
    -------
    list of Problem
        One per unknown key, named by its path (``tables.incidents.unit_id``), rule ``unknown key``
        and a hint ``Did you mean 'unit'? Keys here: …``.

    Examples
    --------
    >>> m = {"tables": {"groups": {"file": "g.csv", "unit_id": "A"}}}
    >>> [p.hint.split("?")[0] for p in unknown_keys(m)]
    ["Did you mean 'unit'"]
    """
    out = _unknown(manifest, TOP_KEYS, "")
    for key in ("study_window", "indicator_window"):
        if isinstance(manifest.get(key), Mapping):
            out += _unknown(manifest[key], _WINDOW_KEYS, f"{key}.")
    tables = manifest.get("tables")
    if not isinstance(tables, Mapping):
        return out
    for table, entry in tables.items():
        if not isinstance(entry, Mapping):
            entry = {"sources": entry} if isinstance(entry, list) else {}
        export = entry.get("format") in ("wjx", "export")
        out += _unknown(entry, EXPORT_KEYS if export else ENTRY_KEYS, f"tables.{table}.")
        items = [] if export else (entry.get("sources") if isinstance(entry.get("sources"), list)
                                   else entry.get("files") if isinstance(entry.get("files"), list) else [])
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                out += _unknown(item, SOURCE_KEYS, f"tables.{table}.files[{i}].")
        if not export and _LAYOUTS.get(str(entry.get("layout", "long"))) == "long":
            for i, item in enumerate([entry, *[x for x in items if isinstance(x, Mapping)]]):
                where = f"tables.{table}." if i == 0 else f"tables.{table}.files[{i - 1}]."
                out += [problem("wide_only_key", MANIFEST, None, f"{where}{k}", str(k), table=table)
                        for k in item if k in WIDE_ONLY]
    return out


def meeting_flags(manifest: Mapping, problems: list[Problem] | None = None) -> str:
    """The manifest's ``meeting_flags:`` (default ``recorded``).

    Parameters
    ----------
    manifest : mapping
        dataset.yml as read.
    problems : list of Problem, optional
        Where an unknown value is reported (code ``unknown_meeting_flags``, naming dataset.yml and
        the key); without it, an unknown value raises :class:`~grouplab.errors.DataError`.

    Returns
    -------
    str
        One of :data:`MEETING_FLAGS` (``recorded`` when the key is absent or its value unknown).

    Examples
    --------
    >>> meeting_flags({"meeting_flags": "coded"}), meeting_flags({})
    ('coded', 'recorded')
    """
    value = manifest.get("meeting_flags")
    if value is None:
        return "recorded"
    if str(value).strip() in MEETING_FLAGS:
        return str(value).strip()
    p = problem("unknown_meeting_flags", MANIFEST, None, "meeting_flags", str(value)[:80],
                values=", ".join(MEETING_FLAGS))
    if problems is None:
        raise DataError([p])
    problems.append(p)
    return "recorded"

"""The dataset manifest (``dataset.yml``): which files and sheets feed which table, and how.

:func:`table_entries` turns every accepted way of writing a table entry into
one shape — a ``layout`` (``long``, ``wide`` or ``export``) and a list of
``sources`` (``{file, sheet}`` plus per-source options) — and reports an
unusable entry as a problem naming ``dataset.yml`` and the key, instead of
failing later with a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping

from grouplab.data.codebook import TABLES
from grouplab.data.problems import problem
from grouplab.errors import Problem
from grouplab.paths import MANIFEST

__all__ = ["table_entries"]

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

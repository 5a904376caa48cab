"""The codebook: one place that names every column of every table.

Loaded from ``codebook.yml`` shipped in the package. Loaders use it to map
Chinese/English header aliases to canonical names, coerce types and build the
pandera schemas; notebooks use it for zh/en labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

__all__ = ["ColumnSpec", "TableSpec", "codebook", "label", "normalize_header", "TABLES"]

DTYPES = ("str", "int", "float", "bool", "date", "datetime", "month", "period", "category")
TABLES = (
    "units", "groups", "activities", "posts", "evaluations",
    "incidents", "exposure", "indicators", "survey", "member_attendance", "minutes",
)


@dataclass(frozen=True)
class ColumnSpec:
    """Specification of one column (see ``codebook.yml`` for the field meanings)."""

    name: str
    table: str
    dtype: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    nullable: bool = False
    range: tuple[float, float] | None = None
    allowed: Mapping[str, str] | None = None
    unit: str | None = None
    references: str | None = None
    window: bool | str = False
    month_ok: bool = False  # a date column that may be given to the month (2016.3 → 2016-03-01)

    def label(self, lang: str = "zh") -> str:
        """Column label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class TableSpec:
    """Specification of one table: key, labels, columns."""

    name: str
    zh: str
    en: str
    key: tuple[str, ...]
    columns: Mapping[str, ColumnSpec] = field(default_factory=dict)
    open: bool = False
    about: Mapping[str, str] = field(default_factory=dict)  # what the table holds, zh/en (for "needs:")

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def alias_map(self) -> dict[str, str]:
        """Normalised header text -> canonical column name (canonical names included)."""
        out: dict[str, str] = {}
        for col in self.columns.values():
            for text in (col.name, col.zh, col.en, *col.aliases):
                out.setdefault(normalize_header(text), col.name)
        return out


_SPACES = re.compile(r"\s+")


def normalize_header(text: Any) -> str:
    """Normalise a header or name for matching: the one NFKC-strip-lowercase rule.

    NFKC folds full-width characters (``（小时）`` -> ``(小时)``), whitespace is
    removed and ASCII is lower-cased.

    Returns
    -------
    str
        The normalised header text.

    Examples
    --------
    >>> normalize_header(" 时长（小时） ")
    '时长(小时)'
    >>> normalize_header("Group ID")
    'groupid'
    """
    s = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub("", s).lower()


def _column(table: str, name: str, raw: Mapping[str, Any]) -> ColumnSpec:
    dtype = raw.get("dtype", "str")
    if dtype not in DTYPES:
        raise ValueError(f"codebook: {table}.{name} has unknown dtype {dtype!r}")
    rng = raw.get("range")
    allowed = raw.get("allowed")
    return ColumnSpec(
        name=name,
        table=table,
        dtype=dtype,
        zh=str(raw.get("zh", name)),
        en=str(raw.get("en", name)),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        # a column that may be empty may also be absent, unless said otherwise
        required=bool(raw.get("required", not raw.get("nullable", False))),
        nullable=bool(raw.get("nullable", False)),
        range=(float(rng[0]), float(rng[1])) if rng else None,
        allowed=MappingProxyType({str(k): str(v) for k, v in allowed.items()}) if allowed else None,
        unit=raw.get("unit"),
        month_ok=bool(raw.get("month_ok", False)),
        references=raw.get("references"),
        window=raw.get("window", False),
    )


@cache
def codebook() -> Mapping[str, TableSpec]:
    """All table specs, keyed by table name (read once from the packaged YAML).

    Returns
    -------
    Mapping[str, TableSpec]
        Read-only mapping, in the order of ``TABLES``.

    Examples
    --------
    >>> list(codebook())[:3]
    ['units', 'groups', 'activities']
    >>> codebook()["evaluations"].columns["score"].zh
    '考评得分'
    """
    text = resources.files("grouplab.data").joinpath("codebook.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["tables"]
    out = {}
    for tname, t in raw.items():
        cols = {c: _column(tname, c, spec) for c, spec in t["columns"].items()}
        out[tname] = TableSpec(
            name=tname,
            zh=t.get("zh", tname),
            en=t.get("en", tname),
            key=tuple(t["key"]),
            columns=MappingProxyType(cols),
            open=bool(t.get("open", False)),
            about=MappingProxyType(dict(t.get("about") or {})),
        )
    return MappingProxyType(out)


def label(table: str, column: str, lang: str = "zh") -> str:
    """Label of ``table.column`` in ``lang``; the column name itself if unknown.

    Returns
    -------
    str
        The label, or ``column`` when the codebook does not know it.

    Examples
    --------
    >>> label("groups", "members", "zh"), label("groups", "members", "en")
    ('党员人数', 'Members')
    """
    spec = codebook().get(table)
    if spec is None or column not in spec.columns:
        return column
    return spec.columns[column].label(lang)

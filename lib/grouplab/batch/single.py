"""One report without a config file (``grouplab report NAME --data FOLDER -p key=value``).

:func:`single_config` turns a report name, a dataset folder and ``key=value``
parameters into the batch config :func:`grouplab.batch.runner.run` takes: the
values are typed like the notebook's defaults, a value of the report's entity
parameter (``unit_id`` …) may be a name as well as an id, and a bad value is a
:class:`~grouplab.errors.ParameterError` listing the valid choices.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from grouplab.batch.catalog import ReportInfo, find_report
from grouplab.batch.plan import LANGS, notebook_parameters
from grouplab.data.codebook import normalize_header
from grouplab.errors import ParameterError

__all__ = ["single_config", "parse_pairs", "default_lang", "lang_of_texts"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRUE, _FALSE = {"true", "1", "yes", "是"}, {"false", "0", "no", "否"}
#: The messages of a value that is not the data's, in the language the command was given (``--lang``)
_SAY = {
    "no_value": {"en": "{stem}: this dataset has no value for {name} (the report needs data it does not "
                       "have; see `grouplab validate`)",
                 "zh": "{stem}：本数据集没有可用的 {name}（报告所需的数据缺失，"
                       "请运行 `grouplab validate` 查看）"},
    "not_one": {"en": "{stem}: {name}={value!r} is not one of this dataset's; choose one of: {choices}",
                "zh": "{stem}：{name}={value!r} 不在本数据集中；可选：{choices}"},
    "names_n": {"en": "{stem}: {name}={value!r} names {n} of them; choose one of: {choices}",
                "zh": "{stem}：{name}={value!r} 对应 {n} 个，请用编号指明其一：{choices}"},
    "give": {"en": "{stem}: give the {name} (-p {name}=…); choose one of: {choices}",
             "zh": "{stem}：请给出 {name}（-p {name}=…）；可选：{choices}"},
    "none": {"en": "(none in this data)", "zh": "（本数据中没有）"},
    "more": {"en": " … and {n} more", "zh": " …… 另有 {n} 个"},
    "sep": {"en": ", ", "zh": "、"},
}


def parse_pairs(pairs: list[str] | None) -> dict[str, str]:
    """``["unit_id=WA01", "year=2019"]`` -> ``{"unit_id": "WA01", "year": "2019"}``.

    Raises
    ------
    ParameterError
        An item without ``=`` or with an empty name.
    """
    out = {}
    for item in pairs or []:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"-p {item!r}: write key=value, e.g. -p unit_id=WA01")
        out[name.strip()] = value.strip()
    return out


def _typed(name: str, value: str, default: Any, report: str) -> Any:
    """``value`` typed like the notebook's default (an int default takes ints, a list commas …)."""
    if isinstance(default, bool):
        low = value.lower()
        if low in _TRUE | _FALSE:
            return low in _TRUE
        raise ParameterError(f"{report}: {name}={value!r}: write true or false")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise ParameterError(f"{report}: {name}={value!r}: expected a whole number like "
                                 f"{default}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except ValueError:
            raise ParameterError(f"{report}: {name}={value!r}: expected a number like {default}") from None
    if isinstance(default, list):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


def _names(ds) -> dict[str, str]:
    """id -> name of every unit and group."""
    out = {}
    for table, col in (("units", "unit_id"), ("groups", "group_id")):
        df = ds.tables.get(table)
        if df is not None and "name" in df:
            out.update(zip(df[col].astype(str), df["name"].astype(str)))
    return out


def _choices(info: ReportInfo, name: str, ds) -> list[str] | None:
    pkg = info.package
    if pkg is None:
        return None
    if name == getattr(pkg, "ENTITY", None) and hasattr(pkg, "entity_ids"):
        return [str(v) for v in pkg.entity_ids(ds)]
    more = getattr(pkg, "EXPAND", None) or {}
    return [str(v) for v in more[name](ds)] if name in more else None


def _listing(choices: list[str], names: dict[str, str], lang: str = "en") -> str:
    shown = [f"{c} ({names[c]})" if names.get(c) and names[c] != c else c for c in choices[:40]]
    more = _SAY["more"][lang].format(n=len(choices) - 40) if len(choices) > 40 else ""
    return (_SAY["sep"][lang].join(shown) + more) or _SAY["none"][lang]


def _resolve(info: ReportInfo, name: str, value: Any, ds, names: dict[str, str], lang: str = "en") -> Any:
    """An id from an id or a name among the parameter's choices; ParameterError listing them (in ``lang``)."""
    choices = _choices(info, name, ds)
    if choices is None:
        return value
    if not choices:
        raise ParameterError(_SAY["no_value"][lang].format(stem=info.stem, name=name))
    if str(value) in choices:
        return value if isinstance(value, str) else type(value)(value)
    hits = [c for c in choices if normalize_header(names.get(c, "")) == normalize_header(value)] or [
        c for c in choices if normalize_header(c) == normalize_header(value)]
    if len(hits) == 1:
        return hits[0]
    raise ParameterError(_SAY["names_n" if hits else "not_one"][lang].format(
        stem=info.stem, name=name, value=value, n=len(hits), choices=_listing(hits or choices, names, lang)))


def _data_period(info: ReportInfo, defaults: dict, given: dict, ds) -> dict:
    """The report's period checked against the data's (the package's ``periods``): ``{PERIOD: latest}``
    when none is given and the notebook's default is not a period of the data (the demo's 2019 is no
    default for a ledger of 2024), else ``{}``; a given year the data lacks is a ParameterError."""
    key, periods_of = getattr(info.package, "PERIOD", None), getattr(info.package, "periods", None)
    if not key or key not in defaults or periods_of is None:
        return {}
    have = periods_of(ds)
    if key in given:  # a year the data does not have fails here, not in the notebook
        years = sorted({str(p)[:4] for p in have})
        if have and str(given[key])[:4] not in years:
            raise ParameterError(f"{info.stem}: {key}={given[key]!r} has no data; years with data: "
                                 f"{', '.join(years)}")
        return {}
    if not have or str(defaults[key]) in map(str, have):
        return {}
    return {key: type(defaults[key])(have[-1]) if defaults[key] is not None else have[-1]}


def lang_of_texts(texts) -> str:
    """``zh`` when any of the first 50 texts (names, minutes …) holds Chinese characters, else ``en``.

    Examples
    --------
    >>> lang_of_texts(["Line team", "综合班党小组"]), lang_of_texts([None, "WA01"])
    ('zh', 'en')
    """
    return "zh" if any(_CJK.search(str(t)) for t in list(texts)[:50] if t is not None) else "en"


def default_lang(ds) -> str:
    """``lang`` of the manifest if given, else ``zh`` when the dataset's names are Chinese, else ``en``."""
    given = ds.manifest.get("lang")
    if given in LANGS:
        return str(given)
    return lang_of_texts([ds.name, *list(_names(ds).values())[:49]])


def single_config(name: str, data: str | Path, params: dict[str, str] | None = None, *,
                  lang: str | None = None, out: str | Path | None = None) -> dict:
    """The batch config of one report.

    Parameters
    ----------
    name : str
        Report number or name (``02``, ``02_group_scorecard``, ``scorecard``).
    data : str or Path
        Dataset folder (with dataset.yml) or ``demo``.
    params : dict of str to str
        Parameters as typed on the command line; ids or names for the report's entity. The
        report's period (``year`` …), when not given, is the notebook's default if the data has
        it, else the latest period of the data (the package's ``periods``).
    lang : {"zh", "en"}, optional
        Default: :func:`default_lang` of the data.
    out : path, optional
        Output folder (default ``reports/single/<dataset folder name>``, apart from a batch's).

    Returns
    -------
    dict
        ``dataset``, ``out``, ``lang``, ``name`` and ``reports`` (one entry) for
        :func:`grouplab.batch.runner.run`.

    Raises
    ------
    ParameterError
        Unknown report or parameter, a value of the wrong type, an entity value that is
        neither an id nor a name of the data (the message lists the choices), no value for the
        entity when the data has several.
    DataError
        The dataset does not load.
    """
    from grouplab.data.dataset import load_dataset, resolve_data_dir

    info = find_report(name)
    folder = resolve_data_dir(data).resolve()
    ds = load_dataset(folder)
    defaults = notebook_parameters(info.notebook)
    given = dict(params or {})
    unknown = [k for k in given if k not in defaults or k == "data_dir"]
    if unknown:
        allowed = ", ".join(k for k in defaults if k != "data_dir")
        raise ParameterError(f"{info.stem}: unknown parameter {', '.join(map(repr, unknown))}; "
                             f"it takes: {allowed}")
    if lang is not None and lang not in LANGS:
        raise ParameterError(f"lang={lang!r}: expected one of {', '.join(LANGS)}")
    names = _names(ds)
    said = given.get("lang") if given.get("lang") in LANGS else lang or "en"  # the language asked for
    final: dict[str, Any] = {}
    for key, value in given.items():
        final[key] = _resolve(info, key, _typed(key, value, defaults[key], info.stem), ds, names, said)
    entity = getattr(info.package, "ENTITY", None)
    if entity and entity in defaults and entity not in final:
        choices = _choices(info, entity, ds) or []
        if len(choices) != 1:
            raise ParameterError(_SAY["give"][said].format(stem=info.stem, name=entity,
                                                           choices=_listing(choices, names, said)))
        final[entity] = choices[0]
    final.update(_data_period(info, defaults, final, ds))
    for key in getattr(info.package, "EXPAND", None) or {}:  # e.g. the survey wave: one the data has
        if key in defaults and key not in final:
            choices = _choices(info, key, ds) or []
            if str(defaults[key]) not in choices and len(choices) == 1:
                final[key] = type(defaults[key])(choices[0]) if defaults[key] is not None else choices[0]
            elif str(defaults[key]) not in choices:
                raise ParameterError(_SAY["give"][said].format(stem=info.stem, name=key,
                                                               choices=_listing(choices, names, said)))
    if "lang" in defaults:
        final["lang"] = final.get("lang") or lang or default_lang(ds)
        if final["lang"] not in LANGS:
            raise ParameterError(f"lang={final['lang']!r}: expected one of {', '.join(LANGS)}")
    out = Path(out) if out else Path("reports") / "single" / folder.name
    return {"name": f"{info.stem} · {folder.name}", "dataset": str(folder), "out": str(out.resolve()),
            "lang": final.get("lang", lang or "zh"),
            "reports": [{"notebook": str(info.notebook), "parameters": final}]}

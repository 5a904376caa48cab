"""Rubric, questionnaire and indicator-catalogue specs (YAML or plain dicts).

Each loader validates the spec itself and raises :class:`DataError` naming the
file and the rule broken, so a typo in a rubric never becomes a wrong grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from grouplab.data.problems import problem
from grouplab.data.readers.limits import current_limits, size_text
from grouplab.errors import DataError, Problem

__all__ = ["read_yaml", "load_rubric", "load_questionnaire", "load_catalogue", "check_yaml", "yaml_text",
           "spec_path"]

#: yaml.safe_load's loader, in C when PyYAML was built with libyaml (a 90 kB questionnaire: 0.05 s, not 0.6 s)
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path) -> dict:
    """Read a YAML mapping; DataError if missing, unparsable or not a mapping."""
    path = Path(path)
    if not path.is_file():
        raise DataError([problem("spec_not_found", path.name, path=str(path))])
    try:
        text = yaml_text(path, path.name)  # size, depth and aliases checked before anything is built
        data = yaml.load(text, Loader=_SAFE)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise DataError([problem("bad_yaml", path.name, None if line is None else line + 1,
                                 error=err.__class__.__name__)]) from None
    if not isinstance(data, dict):
        raise DataError([problem("not_a_mapping", path.name)])
    return data


def spec_path(folder: str | Path, rel: str) -> Path:
    """Where a spec named in dataset.yml is: beside the dataset, else one of the kit's (``data/rubrics``).

    A bare file name that is not in the dataset folder but is a spec shipped with the kit
    (``rubric: party_group_evaluation.yml``, as ``grouplab init`` writes it) names the kit's file.

    Returns
    -------
    pathlib.Path
    """
    from grouplab.paths import rubrics_dir

    path = Path(folder) / str(rel)
    kit = rubrics_dir() / str(rel)
    if not path.is_file() and Path(str(rel)).name == str(rel) and kit.is_file():
        return kit
    return path


def _as_dict(spec: Mapping | str | Path) -> tuple[dict, str]:
    if isinstance(spec, Mapping):
        return dict(spec), "<spec>"
    return read_yaml(spec), Path(spec).name


def load_rubric(spec: Mapping | str | Path) -> dict:
    """Load and validate an evaluation rubric.

    Parameters
    ----------
    spec : mapping or path
        Keys ``aspects`` (id -> zh/en), ``items`` (list of id, aspect, max,
        zh, en) and ``bands`` (grade, zh, en, min; highest first).

    Returns
    -------
    dict
        The rubric, with ``items`` unchanged and ``total`` (sum of maxima).

    Raises
    ------
    DataError
        Duplicate item ids, unknown aspects, non-positive maxima, bands not
        descending, or item maxima not summing to 100.

    Examples
    --------
    >>> r = load_rubric({"aspects": {"a": {"zh": "甲"}},
    ...                  "items": [{"id": "I1", "aspect": "a", "max": 100}],
    ...                  "bands": [{"grade": "pass", "min": 60}, {"grade": "fail", "min": 0}]})
    >>> r["total"]
    100.0
    """
    data, name = _as_dict(spec)
    problems = []
    aspects = data.get("aspects") or {}
    items = data.get("items") or []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        iid = str(item.get("id", ""))
        if not iid or iid in seen:
            problems.append(problem("item_id_repeated", name, None, "items", iid, n=i))
        seen.add(iid)
        if item.get("aspect") not in aspects:
            problems.append(problem("unknown_aspect", name, None, "items", item.get("aspect"),
                                    item=iid, aspects=", ".join(aspects)))
        mx = item.get("max")
        if not isinstance(mx, (int, float)) or mx <= 0:
            problems.append(problem("bad_item_max", name, None, "items", mx, item=iid))
    total = float(sum(float(it.get("max") or 0) for it in items))
    if items and abs(total - 100.0) > 1e-9:
        problems.append(problem("maxima_not_100", name, None, "items", total))
    mins = [b.get("min") for b in data.get("bands") or []]
    if not mins or any(not isinstance(m, (int, float)) for m in mins) or mins != sorted(mins, reverse=True):
        problems.append(problem("bad_bands", name, None, "bands", mins))
    if problems:
        raise DataError(problems)
    data["total"] = total
    return data


def load_questionnaire(spec: Mapping | str | Path) -> dict:
    """Load and validate a questionnaire spec.

    Parameters
    ----------
    spec : mapping or path
        ``range`` [min, max] of the scale answers; ``scales`` (name -> items,
        reverse, optional ``labels`` code -> label for text exports); optional
        ``items`` labels; ``choices`` and ``attributes`` (id -> ``options``
        code -> label, ``multiple``); the export's question map ``columns``
        (export column -> id) and/or ``wjx`` (question number -> id, or a
        list of ids for a matrix question); ``unit`` / ``group``: where each
        respondent's unit (group) comes from, ``{question: <id>, map: {answer:
        unit_id}}`` or ``{fixed: <unit_id>}``. A spec drafted by
        :func:`grouplab.data.surveys.draft_spec.draft_spec` has all of these.

    Returns
    -------
    dict
        The spec with ``range`` as a tuple of floats.

    Raises
    ------
    DataError
        Missing range, a reverse-keyed item not in its scale, an item in two
        scales, two export columns mapped to one id, an option code that is
        not a whole number, a ``unit``/``group`` entry with neither ``fixed``
        nor ``question`` + ``map``.

    Examples
    --------
    >>> spec = {"range": [1, 6], "scales": {"A": {"items": ["A1", "A2"], "reverse": ["A1"]}},
    ...         "unit": {"fixed": "U01"}}
    >>> q = load_questionnaire(spec)
    >>> q["range"]
    (1.0, 6.0)
    """
    data, name = _as_dict(spec)
    problems = []
    rng = data.get("range")
    if not (isinstance(rng, (list, tuple)) and len(rng) == 2 and float(rng[0]) < float(rng[1])):
        problems.append(problem("bad_range", name, None, "range", rng))
    problems += _scale_problems(data, name) + _map_problems(data, name)
    if problems:
        raise DataError(problems)
    data["range"] = (float(rng[0]), float(rng[1]))
    return data


def _scale_problems(data: Mapping, name: str) -> list[Problem]:
    problems = []
    owner: dict[str, str] = {}
    for scale, s in (data.get("scales") or {}).items():
        items = [str(i) for i in s.get("items", [])]
        if not items:
            problems.append(problem("empty_scale", name, None, "scales", scale=scale))
        for it in items:
            if it in owner:
                problems.append(problem("item_in_two_scales", name, None, "scales", it,
                                        item=it, first=owner[it], scale=scale))
            owner[it] = scale
        for r in s.get("reverse", []) or []:
            if str(r) not in items:
                problems.append(problem("reverse_not_in_scale", name, None, "scales", r,
                                        item=r, scale=scale))
    return problems


def _map_problems(data: Mapping, name: str) -> list[Problem]:
    """Question map, option codes and unit/group entries."""
    problems = []
    targets: dict[str, str] = {}
    for col, target in (data.get("columns") or {}).items():
        if str(target) in targets:
            problems.append(problem("mapped_twice", name, None, "columns", target,
                                    first=targets[str(target)], second=col, target=target))
        targets[str(target)] = str(col)
    for group in ("choices", "attributes"):
        for cid, choice in (data.get(group) or {}).items():
            for code in (choice or {}).get("options") or {}:
                if not isinstance(code, int) and not str(code).lstrip("-").isdigit():
                    problems.append(problem("option_code_not_whole", name, None, group, code,
                                            question=cid))
    for key in ("unit", "group"):
        entry = data.get(key)
        if entry is None:
            continue
        ok = isinstance(entry, Mapping) and ("fixed" in entry or (
            "question" in entry and isinstance(entry.get("map"), Mapping)))
        if not ok:
            problems.append(problem("bad_entity_map", name, None, key, entry, key=key))
    return problems


def load_catalogue(spec: Mapping | str | Path) -> dict:
    """Load and validate an indicator catalogue (标杆 indicators).

    Returns
    -------
    dict
        ``indicators``: list of {id, zh, en, unit, direction ('higher'|'lower'), …}.

    Raises
    ------
    DataError
        Repeated ids or a direction other than higher/lower.
    """
    data, name = _as_dict(spec)
    problems = []
    seen: set[str] = set()
    for ind in data.get("indicators") or []:
        iid = str(ind.get("id", ""))
        if not iid or iid in seen:
            problems.append(problem("indicator_id_repeated", name, None, "indicators", iid))
        seen.add(iid)
        if ind.get("direction") not in ("higher", "lower"):
            problems.append(problem("bad_direction", name, None, "indicators", ind.get("direction"),
                                    indicator=iid))
    if not seen:
        problems.append(problem("no_indicators", name, None, "indicators"))
    if problems:
        raise DataError(problems)
    return data


def spec_ids(spec: Mapping[str, Any] | None, kind: str) -> set[str]:
    """Ids a spec defines: rubric item ids or catalogue indicator ids."""
    if not spec:
        return set()
    if kind == "rubric":
        return {str(i["id"]) for i in spec.get("items", [])}
    return {str(i["id"]) for i in spec.get("indicators", [])}


# ------------------------------------------------------------------ YAML within limits


def yaml_text(path: Path, file: str) -> str:
    """The text of a YAML file, its size and shape checked (:func:`check_yaml`) before it is parsed.

    Raises
    ------
    DataError
        Above the YAML limits. UnicodeDecodeError: not UTF-8.
    """
    most = current_limits().yaml_bytes
    if path.stat().st_size > most:
        raise DataError([problem("yaml_too_large", file, size=size_text(path.stat().st_size),
                                 most=size_text(most))])
    text = path.read_text(encoding="utf-8-sig")
    check_yaml(text, file)
    return text


def check_yaml(text: str, file: str) -> None:
    """Size, nesting depth and expanded size of a YAML document, from its events (nothing built).

    An alias counts as many nodes as its anchor holds, so nine levels of nine aliases (the
    "billion laughs") count 10⁹ and are refused while the event stream is still short.

    Raises
    ------
    DataError
        Above ``yaml_bytes``, ``yaml_depth`` or ``yaml_nodes``.
    """
    lim = current_limits()
    if len(text) > lim.yaml_bytes:
        raise DataError([problem("yaml_too_large", file, size=size_text(len(text)),
                                 most=size_text(lim.yaml_bytes))])
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, nodes so far] of each open mapping or sequence
    total = 0
    try:
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([ev.anchor, 1])
                total += 1
                if len(stack) > lim.yaml_depth:
                    raise _yaml_problem(file, ev, "yaml_too_deep", lim.yaml_depth)
                continue
            if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, n = stack.pop()
                if anchor:
                    sizes[anchor] = n
                if stack:
                    stack[-1][1] += n
                continue
            if isinstance(ev, yaml.ScalarEvent):
                n = 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, yaml.AliasEvent):
                n = sizes.get(ev.anchor, 1)
            else:
                continue
            total += n
            if stack:
                stack[-1][1] += n
            if total > lim.yaml_nodes:
                raise _yaml_problem(file, ev, "yaml_too_many_values", lim.yaml_nodes)
    except yaml.YAMLError:
        return  # the loader reports syntax errors with their line


def _yaml_problem(file: str, event: Any, code: str, most: int) -> DataError:
    mark = getattr(event, "start_mark", None)
    line = None if mark is None else mark.line + 1
    return DataError([problem(code, file, line, most=most)])

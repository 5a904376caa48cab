"""Plan a batch: expand a YAML config into reports and check every parameter before anything runs.

A report notebook names its report package in its metadata
(``"grouplab": {"report": "grouplab.reports.scorecard"}``). The package says
which parameter ``all`` expands over (``ENTITY``), which ids that is
(``entity_ids(dataset)``), its title (``TITLE``) and its period parameter
(``PERIOD``); the batch reads them from there and hard-codes no parameter name.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import itertools
import json
import platform
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grouplab.data.notes import LANGS
from grouplab.data.specs import read_yaml
from grouplab.errors import ParameterError

__all__ = ["Report", "plan", "notebook_parameters", "notebook_report", "provenance", "LANGS"]

_SAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


@dataclass(frozen=True)
class Report:
    """One report to produce: a notebook with one set of parameters.

    ``label`` holds what a reader looks for (report title, entity name,
    period, language), filled by :func:`plan` from the report package.
    """

    notebook: str          # absolute path of the source notebook
    parameters: dict       # final parameters (data_dir included)
    slug: str              # output name without suffix, unique in the run
    key: str = ""          # hash of notebook content, parameters, version, data
    label: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return Path(self.notebook).stem

    def record(self, **fields: Any) -> dict:
        """A run record: the keys naming the report (slug, notebook, parameters, label, key), and fields."""
        return {"slug": self.slug, "notebook": self.title, "parameters": self.parameters,
                "label": self.label, "key": self.key, **fields}


def _read_notebook(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ParameterError(f"{Path(path).name}: cannot read the notebook ({err})") from None


def notebook_parameters(path: str | Path) -> dict[str, Any]:
    """Names and default values of a notebook's ``parameters`` cell.

    Raises
    ------
    ParameterError
        No cell tagged ``parameters``, or it holds anything but literal assignments.
    """
    nb = _read_notebook(path)
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            out = {}
            for node in ast.parse(src).body:
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)):
                    raise ParameterError(f"{Path(path).name}: the parameters cell may hold only "
                                         "'name = literal' lines")
                out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    raise ParameterError(f"{Path(path).name} has no cell tagged 'parameters'")


def notebook_report_name(path: str | Path) -> str | None:
    """The name of the report package a notebook declares (``metadata.grouplab.report``); None if none."""
    name = (_read_notebook(path).get("metadata", {}).get("grouplab") or {}).get("report")
    return str(name) if name else None


def notebook_report(path: str | Path) -> Any | None:
    """The report package a notebook declares (``metadata.grouplab.report``), imported; None if none.

    Raises
    ------
    ParameterError
        The declared package does not import.
    """
    name = notebook_report_name(path)
    if not name:
        return None
    try:
        return importlib.import_module(str(name))
    except ImportError as err:
        raise ParameterError(f"{Path(path).name}: report package {name!r} does not import ({err})") from None


def _expand_all(name: str, package: Any, ds, notebook: Path) -> list:
    """Values of ``name: all``: the package's ``entity_ids`` for ENTITY, or ``EXPAND[name]`` for others."""
    entity = getattr(package, "ENTITY", None)
    if package is None or entity is None:
        raise ParameterError(f"{notebook.name}: '{name}: all' needs the notebook's report package to "
                             "declare ENTITY (see ARCHITECTURE.md, 'A report'); list the values instead")
    if name == entity:
        return list(package.entity_ids(ds))
    more = getattr(package, "EXPAND", None) or {}  # other parameters the package can enumerate
    if name in more:
        return list(more[name](ds))
    can = ", ".join(repr(n) for n in [entity, *more])
    raise ParameterError(f"{notebook.name}: 'all' expands only {can}, not {name!r}; "
                         f"list the values of {name!r}")


def _slug(stem: str, params: Mapping[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in params.items() if k != "data_dir"]
    return stem + ("/" + _SAFE.sub("_", "_".join(parts)) if parts else "/default")


def _check_types(nb: str, params: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    problems = []
    for k, v in params.items():
        if k not in defaults:
            problems.append(f"unknown parameter {k!r} (allowed: {', '.join(defaults)})")
            continue
        d = defaults[k]
        if k.endswith("_id") and not isinstance(v, str):
            problems.append(f"{k}={v!r}: ids must be strings (write {str(v)!r} in quotes)")
        elif d is not None and isinstance(d, (int, float)) and not isinstance(d, bool):
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                problems.append(f"{k}={v!r}: expected a number like {d!r}")
        elif isinstance(d, str) and not isinstance(v, str):
            problems.append(f"{k}={v!r}: expected text like {d!r}")
    if problems:
        raise ParameterError(f"{Path(nb).name}: " + "; ".join(problems))


def _resolve_notebook(name: str, base: Path) -> Path:
    from grouplab.paths import notebooks_dir

    for cand in (base / name, notebooks_dir() / name, notebooks_dir() / f"{name}.ipynb"):
        if cand.is_file():
            return cand.resolve()
    raise ParameterError(f"notebook {name!r} not found (looked in {base} and {notebooks_dir()})")


def _sha(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()


def _unit_names(ds) -> dict[str, str]:
    units = ds.tables.get("units")
    if units is None or "name" not in units:
        return {}
    return dict(zip(units["unit_id"].astype(str), units["name"].astype(str)))


def _notebook_heading(nb: dict, lang: str) -> str:
    """First level-1 heading of the notebook, preferring cells tagged ``lang-<lang>``."""
    heads = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tags = cell.get("metadata", {}).get("tags", [])
        for line in src.splitlines():
            if line.startswith("# "):
                heads.append((f"lang-{lang}" not in tags, line[2:].strip()))
                break
    return sorted(heads, key=lambda h: h[0])[0][1] if heads else ""


def _label(package: Any, nb: dict, params: Mapping[str, Any], names: Mapping[str, str],
           lang: str) -> dict:
    """Human title parts of one report: title, entity id and name, period, language."""
    title = (getattr(package, "TITLE", None) or {}).get(lang) or _notebook_heading(nb, lang)
    entity = getattr(package, "ENTITY", None)
    ent = str(params.get(entity, "")) if entity else ""
    period_name = getattr(package, "PERIOD", None)
    period = params.get(period_name, "") if period_name else ""
    return {"title": title, "entity": ent, "entity_name": names.get(ent, ent) if ent else "",
            "period": str(period), "lang": str(params.get("lang", lang))}


def _grid(entry: Mapping, package: Any, ds, nb: Path) -> dict[str, list]:
    grid = {}
    for k, v in (entry.get("grid") or {}).items():
        grid[k] = _expand_all(k, package, ds, nb) if v == "all" else (v if isinstance(v, list) else [v])
    return grid


def _entry_reports(entry: Mapping, base: Path, ds, data_dir: Path, lang: str,
                   errors: list[str]) -> list[Report]:
    from grouplab._version import __version__

    nb = _resolve_notebook(str(entry["notebook"]), base)
    defaults = notebook_parameters(nb)
    package, nb_json = notebook_report(nb), _read_notebook(nb)
    fixed = dict(entry.get("parameters") or {})
    grid = _grid(entry, package, ds, nb)
    # names of the entities in the index: the package's own (an outcome's label), else the units'
    own = getattr(package, "entity_names", None)
    nb_bytes, names, out = nb.read_bytes(), (own(ds, lang) if own else _unit_names(ds)), []
    for combo in itertools.product(*grid.values()):
        params = {**fixed, **dict(zip(grid, combo))}
        try:
            _check_types(str(nb), params, defaults)
        except ParameterError as err:
            errors.append(str(err))
            continue
        params = {"data_dir": str(data_dir), **params} if "data_dir" in defaults else params
        key = _sha(nb_bytes, params, __version__, ds.data_hash)
        label = _label(package, nb_json, params, names, str(params.get("lang", lang)))
        out.append(Report(str(nb), params, _slug(nb.stem, params), key, label))
    return out


def _override_lang(cfg: dict, lang: str) -> dict:
    """``cfg`` with every report in ``lang`` (its grids and fixed parameters) and the pages too."""
    entries = []
    for entry in cfg.get("reports") or []:
        entry = dict(entry)
        if "lang" in (entry.get("grid") or {}):
            entry["grid"] = {**entry["grid"], "lang": [lang]}
        if "lang" in (entry.get("parameters") or {}):
            entry["parameters"] = {**entry["parameters"], "lang": lang}
        entries.append(entry)
    return {**cfg, "lang": lang, "reports": entries}


def plan(config: Mapping | str | Path, *, lang: str | None = None) -> tuple[list[Report], dict]:
    """Expand a batch config into reports, validating every parameter first.

    Parameters
    ----------
    config : mapping or path of a YAML file
        ``dataset`` (folder, relative to the config file), ``out`` (folder),
        ``lang`` (language of the index and overview, default ``zh``),
        ``reports``: list of {``notebook``, ``parameters`` (fixed values),
        ``grid`` (name -> list of values, or ``all`` for the parameter the
        notebook's report package names in ``ENTITY``)}.
    lang : {"zh", "en"}, optional
        Run every report (that has a ``lang`` parameter) and the pages in
        this language instead of the config's.

    Returns
    -------
    reports : list of Report
    settings : dict
        ``dataset`` (Path), ``out`` (Path), ``name``, ``lang``, ``data_hash``, ``data_name`` (the
        dataset's name as its manifest gives it: text or {lang: text}).

    Raises
    ------
    ParameterError
        Unknown parameter names, wrong types, ids given as numbers, ``all``
        for a parameter the report does not expand — before anything runs.
    DataError
        The dataset does not load.
    """
    from grouplab.data.dataset import load_dataset

    if isinstance(config, (str, Path)):
        base = Path(config).resolve().parent
        cfg = read_yaml(config)
    else:
        base, cfg = Path.cwd(), dict(config)
    if lang is not None:
        cfg = _override_lang(cfg, str(lang))
    lang = str(cfg.get("lang", "zh"))
    if lang not in LANGS:
        raise ParameterError(f"batch lang={lang!r}: expected one of {', '.join(LANGS)}")
    data_dir = (base / str(cfg.get("dataset", "."))).resolve()
    ds = load_dataset(data_dir)
    out = Path(cfg.get("out") or "reports/batch")
    out = out if out.is_absolute() else (base / out).resolve()
    reports: list[Report] = []
    errors: list[str] = []
    for entry in cfg.get("reports") or []:
        reports += _entry_reports(entry, base, ds, data_dir, lang, errors)
    if errors:
        raise ParameterError("invalid batch parameters:\n  " + "\n  ".join(dict.fromkeys(errors)))
    slugs = [r.slug for r in reports]
    if len(set(slugs)) != len(slugs):
        raise ParameterError("two reports have the same notebook and parameters")
    name = ds.manifest.get("name")
    return reports, {"dataset": data_dir, "out": out, "name": cfg.get("name", out.name),
                     "lang": lang, "data_hash": ds.data_hash,
                     "data_name": dict(name) if isinstance(name, Mapping) else ds.name}


def provenance(data_hash: str) -> dict:
    """Versions and environment of this run (for run.json and every report)."""
    from importlib.metadata import PackageNotFoundError, version

    from grouplab._version import __version__
    from grouplab.paths import project_root

    pkgs = {}
    for name in ("pandas", "numpy", "scipy", "statsmodels", "pandera", "papermill", "seaborn"):
        try:
            pkgs[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover
            pkgs[name] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_root(), capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"grouplab": __version__, "git_commit": commit, "python": platform.python_version(),
            "packages": pkgs, "data_hash": data_hash}

"""Batch reports: notebooks × parameter grids, executed in parallel with papermill.

``run(config)`` expands a YAML config into reports, validates every parameter
against the notebook's ``parameters`` cell before anything runs, executes the
reports in worker processes (or on any ``concurrent.futures.Executor``, e.g. a
Dask cluster's), and writes an ``index.html`` and ``run.json``. One failing
report never stops the others; each output is written under a temporary name
and renamed when complete; a rerun skips reports whose notebook, parameters,
library version and data are unchanged.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import datetime as _dt
import hashlib
import html
import itertools
import json
import os
import platform
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grouplab.data.specs import read_yaml
from grouplab.errors import ParameterError

__all__ = ["Report", "plan", "run", "notebook_parameters", "provenance"]

_SAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


@dataclass(frozen=True)
class Report:
    """One report to produce: a notebook with one set of parameters."""

    notebook: str          # absolute path of the source notebook
    parameters: dict       # final parameters (data_dir included)
    slug: str              # output name without suffix, unique in the run
    key: str = ""          # hash of notebook content, parameters, version, data

    @property
    def title(self) -> str:
        return Path(self.notebook).stem


def notebook_parameters(path: str | Path) -> dict[str, Any]:
    """Names and default values of a notebook's ``parameters`` cell.

    Raises
    ------
    ParameterError
        No cell tagged ``parameters``, or it holds anything but literal assignments.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
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


def _expand_all(name: str, ds) -> list:
    """Values of ``name: all`` for the dataset."""
    if name == "unit_id" and "units" not in ds.tables and "survey" in ds.tables:
        return sorted(ds.tables["survey"]["unit_id"].dropna().astype(str).unique())  # a bare export
    if name == "unit_id" and "units" in ds.tables:
        units = ds.tables["units"]
        with_groups = set(ds.tables["groups"]["unit_id"]) if "groups" in ds.tables else set()
        return sorted(u for u in units["unit_id"] if u in with_groups)
    if name == "station_id" and "units" in ds.tables:
        units = ds.tables["units"]
        return sorted(units.loc[units["level"] == "station", "unit_id"])
    if name == "wave" and "survey" in ds.tables:
        return sorted(int(w) for w in ds.tables["survey"]["wave"].unique())
    raise ParameterError(f"'{name}: all' is not supported; list the values explicitly")


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


def plan(config: Mapping | str | Path) -> tuple[list[Report], dict]:
    """Expand a batch config into reports, validating every parameter first.

    Parameters
    ----------
    config : mapping or path of a YAML file
        ``dataset`` (folder, relative to the config file), ``out`` (folder),
        ``reports``: list of {``notebook``, ``parameters`` (fixed values),
        ``grid`` (name -> list of values, or ``all``)}.

    Returns
    -------
    reports : list of Report
    settings : dict
        ``dataset`` (Path), ``out`` (Path), ``name``, ``data_hash``.

    Raises
    ------
    ParameterError
        Unknown parameter names, wrong types, ids given as numbers, unknown
        ids — before anything runs.
    DataError
        The dataset does not load.
    """
    from grouplab._version import __version__
    from grouplab.data.dataset import load_dataset

    if isinstance(config, (str, Path)):
        base = Path(config).resolve().parent
        cfg = read_yaml(config)
    else:
        base, cfg = Path.cwd(), dict(config)
    data_dir = (base / str(cfg.get("dataset", "."))).resolve()
    ds = load_dataset(data_dir)
    out = Path(cfg.get("out") or "reports/batch")
    out = out if out.is_absolute() else (base / out).resolve()
    reports: list[Report] = []
    errors: list[str] = []
    for entry in cfg.get("reports") or []:
        nb = _resolve_notebook(str(entry["notebook"]), base)
        defaults = notebook_parameters(nb)
        fixed = dict(entry.get("parameters") or {})
        grid = {}
        for k, v in (entry.get("grid") or {}).items():
            grid[k] = _expand_all(k, ds) if v == "all" else (v if isinstance(v, list) else [v])
        nb_bytes = nb.read_bytes()
        for combo in itertools.product(*grid.values()):
            params = {**fixed, **dict(zip(grid, combo))}
            try:
                _check_types(str(nb), params, defaults)
            except ParameterError as err:
                errors.append(str(err))
                continue
            params = {"data_dir": str(data_dir), **params} if "data_dir" in defaults else params
            slug = _slug(nb.stem, {k: v for k, v in params.items()})
            key = _sha(nb_bytes, params, __version__, ds.data_hash)
            reports.append(Report(str(nb), params, slug, key))
    if errors:
        raise ParameterError("invalid batch parameters:\n  " + "\n  ".join(dict.fromkeys(errors)))
    slugs = [r.slug for r in reports]
    if len(set(slugs)) != len(slugs):
        raise ParameterError("two reports have the same notebook and parameters")
    return reports, {"dataset": data_dir, "out": out, "name": cfg.get("name", out.name),
                     "data_hash": ds.data_hash}


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


def _execute(report: Report, out: str, timeout: int | None, prov: dict) -> dict:
    """Worker: run one report; never raises (a failure is a status)."""
    from grouplab.batch.execute import execute_notebook

    start = _dt.datetime.now(_dt.UTC)
    target = Path(out) / f"{report.slug}.ipynb"
    rec = {"slug": report.slug, "notebook": report.title, "parameters": report.parameters,
           "key": report.key, "started": start.isoformat(timespec="seconds")}
    try:
        res = execute_notebook(report.notebook, target, parameters=report.parameters,
                               reuse_kernel=True,
                               timeout=timeout, provenance={**prov, "parameters": report.parameters,
                                                            "started": rec["started"]})
        rec.update(status="ok", seconds=round(res["seconds"], 2),
                   html=str(Path(res["html"]).relative_to(out)),
                   ipynb=str(target.relative_to(out)),
                   xlsx=str(Path(res["xlsx"]).relative_to(out)) if res.get("xlsx") else None)
    except Exception as err:  # noqa: BLE001 - a failing report is recorded, not raised
        failed = target.with_suffix(".failed.ipynb")
        rec.update(status="failed",
                   seconds=round((_dt.datetime.now(_dt.UTC) - start).total_seconds(), 2),
                   error=f"{type(err).__name__}: {getattr(err, 'evalue', None) or err}"[:2000],
                   cell=getattr(err, "exec_count", None),
                   ipynb=str(failed.relative_to(out)) if failed.exists() else None, html=None)
    rec["ended"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    return rec


def _load_previous(out: Path) -> dict[str, dict]:
    try:
        prev = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["slug"]: r for r in prev.get("reports", []) if isinstance(r, dict) and "slug" in r}


def _complete(out: Path, rec: dict) -> bool:
    return rec.get("status") in ("ok", "skipped") and all(
        rec.get(k) and (out / rec[k]).is_file() for k in ("html", "ipynb"))


def run(config: Mapping | str | Path, *, out: str | Path | None = None, jobs: int | None = None,
        executor: cf.Executor | None = None, force: bool = False, timeout: int | None = 1800,
        progress: bool = True, on_result: Callable[[dict], None] | None = None) -> dict:
    """Run a batch of reports.

    Parameters
    ----------
    config : mapping or path
        See :func:`plan`.
    out : path, optional
        Output folder (overrides the config's ``out``).
    jobs : int, optional
        Worker processes (default: CPU count). Ignored when ``executor`` is given.
    executor : concurrent.futures.Executor, optional
        Where to run reports, e.g. ``distributed.Client(addr).get_executor()``.
    force : bool
        Rerun reports even if unchanged since the last run.
    timeout : int, optional
        Per-cell timeout in seconds.
    progress : bool
        Show a tqdm progress bar (reports done / failed / ETA) on stderr.

    Returns
    -------
    dict
        The run manifest (also written to ``out/run.json``): ``name``,
        ``started``, ``ended``, ``provenance``, ``summary`` (ok, failed,
        skipped counts), ``reports`` (one record per report: slug, notebook,
        parameters, status ok|failed|skipped, seconds, html, ipynb, xlsx,
        error, key).
    """
    from tqdm.auto import tqdm

    from grouplab.batch.execute import atomic_write

    reports, settings = plan(config)
    out_dir = Path(out).resolve() if out else settings["out"]
    out_dir.mkdir(parents=True, exist_ok=True)
    prov = provenance(settings["data_hash"])
    started = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    previous = {} if force else _load_previous(out_dir)
    records: dict[str, dict] = {}
    todo = []
    for r in reports:
        prev = previous.get(r.slug)
        if prev and prev.get("key") == r.key and _complete(out_dir, prev):
            records[r.slug] = {**prev, "status": "skipped", "previous_status": "ok"}
        else:
            todo.append(r)
    own = executor is None
    pool = executor or cf.ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
    failed = 0
    try:
        futures = {pool.submit(_execute, r, str(out_dir), timeout, prov): r for r in todo}
        bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)
        for fut in cf.as_completed(futures):
            r = futures[fut]
            try:
                rec = fut.result()
            except Exception as err:  # noqa: BLE001 - worker died (killed, OOM): record it
                rec = {"slug": r.slug, "notebook": r.title, "parameters": r.parameters,
                       "key": r.key, "status": "failed", "error": f"worker died: {err!r}"}
            records[r.slug] = rec
            failed += rec["status"] == "failed"
            bar.update(1)
            bar.set_postfix(failed=failed)
            if on_result:
                on_result(rec)
            _write_manifest(out_dir, settings, prov, started, reports, records, atomic_write)
        bar.close()
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return _write_manifest(out_dir, settings, prov, started, reports, records, atomic_write,
                           final=True)


def _write_manifest(out_dir, settings, prov, started, reports, records, atomic_write, *, final=False):
    ordered = [records[r.slug] for r in reports if r.slug in records]
    summary = {s: sum(r["status"] == s for r in ordered) for s in ("ok", "failed", "skipped")}
    summary["pending"] = len(reports) - len(ordered)
    manifest = {"name": settings["name"], "dataset": str(settings["dataset"]), "out": str(out_dir),
                "started": started,
                "ended": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds") if final else None,
                "provenance": prov, "summary": summary, "reports": ordered}
    atomic_write(out_dir / "run.json", json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
    atomic_write(out_dir / "index.html", render_index(manifest))
    return manifest


def render_index(manifest: Mapping) -> str:
    """index.html of a run: every report with status, parameters, duration and links (escaped)."""
    e = html.escape
    rows = []
    for notebook, recs in itertools.groupby(manifest["reports"], key=lambda r: r["notebook"]):
        rows.append(f'<tbody><tr class="group"><th colspan="5">{e(notebook)}</th></tr>')
        for r in recs:
            params = ", ".join(f"{e(str(k))}={e(str(v))}" for k, v in r["parameters"].items()
                               if k != "data_dir")
            links = " ".join(f'<a href="{e(r[k])}">{k}</a>' for k in ("html", "ipynb", "xlsx") if r.get(k))
            status = e(r["status"])
            err = f'<div class="err">{e(str(r.get("error", "")))}</div>' if r.get("error") else ""
            rows.append(f'<tr class="{status}"><td>{e(r["slug"])}</td><td>{params}</td>'
                        f'<td>{status}{err}</td><td data-v="{r.get("seconds") or 0}">'
                        f'{r.get("seconds") or ""}</td><td>{links}</td></tr>')
        rows.append("</tbody>")
    s = manifest["summary"]
    prov = manifest["provenance"]
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{e(str(manifest['name']))} — grouplab reports</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;width:100%}}th,td{{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}}
thead th{{cursor:pointer;background:#f4f4f4}}tr.group th{{background:#e8eef7}}
tr.failed td{{background:#fde8e8}}tr.skipped td{{color:#666}}.err{{font-size:.85em;color:#a00;white-space:pre-wrap}}
</style></head><body>
<h1>{e(str(manifest['name']))}</h1>
<p>ok {s['ok']} · failed {s['failed']} · skipped (unchanged) {s['skipped']} · pending {s['pending']}<br>
dataset {e(str(manifest['dataset']))} · data hash {e(str(prov['data_hash'])[:12])} ·
grouplab {e(str(prov['grouplab']))} · git {e(str(prov['git_commit'] or '—'))[:12]} ·
python {e(str(prov['python']))} · started {e(str(manifest['started']))} · ended {e(str(manifest['ended'] or 'running'))}</p>
<table id="runs"><thead><tr><th>report</th><th>parameters</th><th>status</th><th>seconds</th><th>files</th></tr></thead>
{''.join(rows)}
</table>
<script>
document.querySelectorAll('#runs thead th').forEach((th,i)=>th.addEventListener('click',()=>{{
 document.querySelectorAll('#runs tbody').forEach(tb=>{{
  const rs=[...tb.querySelectorAll('tr:not(.group)')];const asc=th.dataset.asc!=='1';
  rs.sort((a,b)=>{{const x=a.children[i],y=b.children[i];const vx=x.dataset.v??x.textContent,vy=y.dataset.v??y.textContent;
   const nx=parseFloat(vx),ny=parseFloat(vy);const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:vx.localeCompare(vy);return asc?c:-c}});
  rs.forEach(r=>tb.appendChild(r))}});th.dataset.asc=th.dataset.asc==='1'?'0':'1'}}));
</script></body></html>
"""

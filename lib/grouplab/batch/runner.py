"""Run a batch: reports in parallel, one output folder held by one batch, faults end cleanly.

``run(config)`` plans the reports (:mod:`grouplab.batch.plan`), takes the
output folder's lock, executes the reports in worker processes (or on any
``concurrent.futures.Executor``, e.g. a Dask cluster's), and keeps
``run.json``, ``index.html`` and ``overview.html`` up to date after every
report. One failing report never stops the others; an *output fault* (disk
full, permission denied, read-only or vanished folder) stops the batch: the
reports not yet written are recorded as pending, temporary files are removed,
and :class:`~grouplab.batch.outputs.OutputError` says what was written, what
was not and roughly how much space the rest needs. A rerun skips reports whose
notebook, parameters, library version and data are unchanged and finishes the
rest.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from grouplab.batch.export import FORMATS, RECORD_FILES
from grouplab.batch.outputs import OutputError, OutputLock, fault_reason, is_output_fault, remove_temp_files
from grouplab.batch.plan import Report, plan, provenance
from grouplab.errors import ParameterError

__all__ = ["run", "check_formats"]

def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def check_formats(formats: Sequence[str] | str | None) -> tuple[str, ...]:
    """Export formats as a tuple (``"html,docx"`` or a sequence); ParameterError for unknown ones."""
    if formats is None:
        return FORMATS
    items = [f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats)]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise ParameterError(f"formats {', '.join(bad) or '(none)'}: choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(items))


def _execute(report: Report, out: str, timeout: int | None, prov: dict, formats: tuple,
             verbose: bool = False) -> dict:
    """Worker: run one report; never raises (a failure is a status, an output fault is marked)."""
    from grouplab.batch.execute import execute_notebook

    start = _dt.datetime.now(_dt.UTC)
    target = Path(out) / f"{report.slug}.ipynb"
    rec = report.record(started=start.isoformat(timespec="seconds"))
    try:
        res = execute_notebook(report.notebook, target, parameters=report.parameters, formats=formats,
                               reuse_kernel=True, timeout=timeout, verbose=verbose,
                               provenance={**prov, "parameters": report.parameters,
                                           "period": report.label.get("period"),
                                           "started": rec["started"]})
        rec.update(status="ok", seconds=round(res["seconds"], 2), ipynb=str(target.relative_to(out)),
                   **{f: str(Path(res[f]).relative_to(out)) if res.get(f) else None for f in FORMATS})
    except Exception as err:  # noqa: BLE001 - a failing report is recorded, not raised
        failed = target.with_suffix(".failed.ipynb")
        rec.update(status="failed",
                   seconds=round((_dt.datetime.now(_dt.UTC) - start).total_seconds(), 2),
                   error=f"{type(err).__name__}: {getattr(err, 'evalue', None) or err}"[:2000],
                   cell=getattr(err, "exec_count", None),
                   ipynb=str(failed.relative_to(out)) if failed.exists() else None, html=None)
        if is_output_fault(err):
            rec.update(status="pending", fault=fault_reason(err), error=None, ipynb=None)
    rec["ended"] = _now()
    return rec


def _load_previous(out: Path) -> dict[str, dict]:
    try:
        prev = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["slug"]: r for r in prev.get("reports", []) if isinstance(r, dict) and "slug" in r}


def _complete(out: Path, rec: dict, formats: tuple) -> bool:
    return rec.get("status") in ("ok", "skipped") and all(
        rec.get(k) and (out / rec[k]).is_file() for k in ("ipynb", *[f for f in formats if f != "xlsx"]))


class _Batch:
    """State of one run: records, manifest writing, the fault that stopped it (if any)."""

    def __init__(self, reports: list[Report], settings: dict, out: Path, prov: dict, formats: tuple,
                 pages: bool = True):
        self.reports, self.settings, self.out, self.prov, self.pages = reports, settings, out, prov, pages
        self.formats, self.started = formats, _now()
        self.records: dict[str, dict] = {}
        self.fault: str | None = None

    def manifest(self, *, final: bool) -> dict:
        ordered = [self.records.get(r.slug) or r.record(status="pending") for r in self.reports]
        summary = {s: sum(r["status"] == s for r in ordered) for s in ("ok", "failed", "skipped", "pending")}
        state = "stopped" if self.fault else ("finished" if final else "running")
        return {"name": self.settings["name"], "lang": self.settings.get("lang", "zh"),
                "dataset": str(self.settings["dataset"]), "out": str(self.out), "formats": list(self.formats),
                "started": self.started, "ended": _now() if final else None, "state": state,
                "fault": self.fault, "provenance": self.prov, "summary": summary, "reports": ordered}

    def write(self, *, final: bool = False) -> dict:
        """Write run.json, index.html and overview.html; an OSError here is an output fault."""
        from grouplab.batch.index import write_pages

        manifest = self.manifest(final=final)
        write_pages(self.out, manifest, self.reports, self.settings, pages=self.pages)
        return manifest


def _split(reports: list[Report], out: Path, force: bool, formats: tuple) -> tuple[dict, list]:
    previous = {} if force else _load_previous(out)
    done, todo = {}, []
    for r in reports:
        prev = previous.get(r.slug)
        if prev and prev.get("key") == r.key and _complete(out, prev, formats):
            done[r.slug] = {**prev, "label": r.label, "status": "skipped", "previous_status": "ok"}
        else:
            todo.append(r)
    return done, todo


def _fault_message(batch: _Batch, manifest_written: bool) -> str:
    """What was written, what was not, and about how much space the rest needs."""
    recs = list(batch.records.values())
    ok = [r for r in recs if r["status"] in ("ok", "skipped")]
    pending = len(batch.reports) - len(ok) - sum(r["status"] == "failed" for r in recs)
    sizes = [sum((batch.out / r[k]).stat().st_size for k in RECORD_FILES
                 if r.get(k) and (batch.out / r[k]).is_file()) for r in ok]
    per = (sum(sizes) / len(sizes)) if sizes else None
    need = (f"about {pending * per / 1e6:.1f} MB more for the {pending} reports not written"
            if per else f"space for {pending} reports (no report was completed to measure one)")
    try:
        free = f"; {shutil.disk_usage(batch.out).free / 1e6:.1f} MB free now"
    except OSError:
        free = ""
    state = ("run.json and index.html record this" if manifest_written
             else "run.json could not be updated either and may show an earlier state")
    return (f"output stopped: {batch.fault} in {batch.out}. Written completely: {len(ok)} of "
            f"{len(batch.reports)} reports; not written: {pending} (no partial files were kept). "
            f"The rest needs {need}{free}. {state}. Free space or fix the folder, then run the same "
            "command again: finished reports are skipped.")


def _collect(batch: _Batch, pool: cf.Executor, todo: list[Report], args: tuple, progress: bool,
             on_result: Callable[[dict], None] | None) -> None:
    from tqdm import tqdm  # text bar: tqdm.auto in a Jupyter kernel without ipywidgets warns on stderr

    futures = {pool.submit(_execute, r, str(batch.out), *args): r for r in todo}
    bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)
    failed = 0
    for fut in cf.as_completed(futures):
        r = futures[fut]
        try:
            rec = fut.result()
        except cf.CancelledError:
            continue
        except Exception as err:  # noqa: BLE001 - worker died (killed, OOM): record it
            rec = r.record(status="failed", error=f"worker died: {err!r}")
        batch.records[r.slug] = rec
        failed += rec["status"] == "failed"
        bar.update(1)
        bar.set_postfix(failed=failed)
        if on_result:
            on_result(rec)
        if rec.get("fault") and not batch.fault:
            batch.fault = rec["fault"]
            for f in futures:
                f.cancel()
        if not batch.fault:
            try:
                batch.write()
            except OSError as err:
                if not is_output_fault(err):
                    raise
                batch.fault = fault_reason(err)
                for f in futures:
                    f.cancel()
    bar.close()


def run(config: Mapping | str | Path, *, out: str | Path | None = None, jobs: int | None = None,
        executor: cf.Executor | None = None, force: bool = False, timeout: int | None = 1800,
        progress: bool = True, on_result: Callable[[dict], None] | None = None,
        formats: Sequence[str] | str | None = None, verbose: bool = False,
        lang: str | None = None, pages: bool = True) -> dict:
    """Run a batch of reports.

    Parameters
    ----------
    config : mapping or path
        See :func:`grouplab.batch.plan.plan`.
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
    formats : str or sequence, optional
        Exports besides the executed notebook: any of ``html``, ``docx``,
        ``xlsx`` (default all three).
    verbose : bool
        Show kernel and papermill log lines.
    lang : {"zh", "en"}, optional
        Every report and page in this language (overrides the config).
    pages : bool
        Write ``index.html`` and ``overview.html`` (False: only ``run.json``, for one report).

    Returns
    -------
    dict
        The run manifest (also written to ``out/run.json``): ``name``, ``lang``,
        ``started``, ``ended``, ``state`` (finished|stopped), ``fault``,
        ``provenance``, ``summary`` (ok, failed, skipped, pending counts),
        ``reports`` (one record per report: slug, notebook, parameters,
        label, status ok|failed|skipped|pending, seconds, html, docx, xlsx,
        ipynb, error, key).

    Raises
    ------
    OutputError
        Another batch holds the output folder, or an output fault stopped the
        batch (the message says what was and was not written).
    ParameterError, DataError
        From :func:`~grouplab.batch.plan.plan`, before anything runs.
    """
    formats = check_formats(formats)
    reports, settings = plan(config, lang=lang)
    out_dir = Path(out).resolve() if out else settings["out"]
    with OutputLock(out_dir):
        remove_temp_files(out_dir)  # left by a killed batch; we hold the folder now
        prov = {**provenance(settings["data_hash"]), "data": settings["data_name"]}
        batch = _Batch(reports, settings, out_dir, prov, formats, pages)
        batch.records, todo = _split(reports, out_dir, force, formats)
        # spawn, not fork: a forked worker inherits jupyter_core's event-loop runner without its thread
        # and waits for it forever when the caller had already run a kernel (seen under pytest)
        pool = executor or cf.ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1,
                                                  mp_context=multiprocessing.get_context("spawn"))
        try:
            _collect(batch, pool, todo, (timeout, batch.prov, formats, verbose), progress, on_result)
        finally:
            if executor is None:
                pool.shutdown(wait=True, cancel_futures=True)
        return _finish(batch)


def _finish(batch: _Batch) -> dict:
    if batch.fault:
        remove_temp_files(batch.out)
    try:
        manifest = batch.write(final=True)
        written = True
    except OSError as err:
        if not is_output_fault(err):
            raise
        batch.fault = batch.fault or fault_reason(err)
        remove_temp_files(batch.out)
        written, manifest = False, None
    if batch.fault:
        raise OutputError(_fault_message(batch, written))
    return manifest

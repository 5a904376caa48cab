"""Execute one parameterised notebook with papermill in a quiet, local kernel.

The executed notebook is written under a temporary name unique to this
process (:func:`grouplab.batch.outputs.temp_name`), exported (HTML, DOCX,
XLSX; :mod:`grouplab.batch.export`) and renamed when complete, so a report is
either whole or absent — never half-written, and two processes never share a
temporary file. Kernels are started on this machine over IPC (Unix sockets),
not TCP, so ipykernel has no unencrypted port to warn about; their log lines
reach the user only with ``verbose``.
"""

from __future__ import annotations

import atexit
import json
import logging
import multiprocessing.util
import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from grouplab.batch.export import FORMATS, export_docx, export_html, export_tables
from grouplab.batch.outputs import temp_name

__all__ = ["execute_notebook", "KERNEL", "PRELUDE", "start_kernel"]

KERNEL = "grouplab"
#: Run in every report kernel before the notebook: figures at print resolution
#: (2× pixels, shown at their normal size in HTML), a clean namespace.
PRELUDE = ("get_ipython().run_line_magic('reset', '-f')\n"
           "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n")
_PRINT_FIGURES = ("from matplotlib_inline.backend_inline import set_matplotlib_formats as _smf\n"
                  "_smf('retina')\ndel _smf\n")
_WARM = threading.local()


def start_kernel(kernel_name: str = KERNEL, *, verbose: bool = False):
    """Start a local kernel over IPC transport (quiet unless ``verbose``); returns its KernelManager."""
    import tempfile

    from jupyter_client import KernelManager

    km = KernelManager(kernel_name=kernel_name, transport="ipc",
                       ip=os.path.join(tempfile.gettempdir(), f"grouplab-kernel-{os.getpid()}-"
                                                             f"{threading.get_ident()}"))
    out = None if verbose else open(os.devnull, "wb")  # noqa: SIM115 - closed at shutdown
    km.start_kernel(stdout=out, stderr=out)
    return km


def _run_prelude(km, code: str) -> None:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive(code, timeout=60, store_history=False, output_hook=lambda msg: None)
    finally:
        kc.stop_channels()


def _warm_kernel(kernel_name: str, verbose: bool = False, print_figures: bool = True):
    """This thread's running kernel (started on first use, shut down at process exit)."""
    km = getattr(_WARM, "km", None)
    if km is None or not km.is_alive():
        km = start_kernel(kernel_name, verbose=verbose)
        _WARM.km = km
        multiprocessing.util.Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
        atexit.register(_shutdown, km)
    # a clean namespace for every report (imports stay warm); figures at print resolution
    _run_prelude(km, PRELUDE + (_PRINT_FIGURES if print_figures else ""))
    return km


def _shutdown(km) -> None:
    try:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - best effort at exit
        pass


def _drop_warm_kernel() -> None:
    km = getattr(_WARM, "km", None)
    _WARM.km = None
    if km is not None:
        _shutdown(km)


def _warm_engine(verbose: bool = False, print_figures: bool = True):
    """A papermill engine that runs notebooks in a reused, reset, IPC kernel (registered once)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            from papermill.log import logger

            km = _warm_kernel(kernel_name, getattr(_WARM, "verbose", False),
                              getattr(_WARM, "print_figures", True))
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    _WARM.verbose, _WARM.print_figures = verbose, print_figures
    if "grouplab-warm" not in papermill_engines._engines:
        papermill_engines.register("grouplab-warm", WarmKernelEngine)
    return "grouplab-warm"


def _quiet(verbose: bool) -> None:
    """Keep papermill's and the kernel manager's INFO/WARNING lines off the console unless verbose."""
    level = logging.INFO if verbose else logging.ERROR
    for name in ("papermill", "traitlets", "jupyter_client", "nbclient"):
        logging.getLogger(name).setLevel(level)


def _exports(tmp: Path, output: Path, formats: Sequence[str], provenance, lang) -> dict:
    out: dict[str, str | None] = {f: None for f in FORMATS}
    if "html" in formats:
        out["html"] = str(export_html(tmp, output.with_suffix(".html"), provenance=provenance, lang=lang))
    if "docx" in formats:
        out["docx"] = str(export_docx(tmp, output.with_suffix(".docx"), provenance=provenance, lang=lang))
    if "xlsx" in formats:
        x = export_tables(tmp, output.with_suffix(".xlsx"))
        out["xlsx"] = str(x) if x else None
    return out


def execute_notebook(notebook: str | Path, output: str | Path, *,
                     parameters: Mapping[str, Any] | None = None,
                     formats: Sequence[str] = ("html", "xlsx"),
                     cwd: str | Path | None = None, timeout: int | None = 1800,
                     provenance: Mapping[str, Any] | None = None,
                     reuse_kernel: bool = False, verbose: bool = False,
                     print_figures: bool = True) -> dict:
    """Run ``notebook`` with ``parameters`` into ``output`` (plus exports beside it).

    Parameters
    ----------
    notebook, output : path
        Source notebook and executed copy.
    parameters : mapping, optional
        Injected after the cell tagged ``parameters``; a ``lang`` parameter
        also selects the language of the exports.
    formats : sequence of {"html", "docx", "xlsx"}
        Exports written beside ``output`` (HTML and DOCX without code;
        XLSX of the notebook's key tables).
    cwd : path, optional
        Working directory of the kernel (default: the current one).
    timeout : int, optional
        Per-cell timeout in seconds.
    provenance : mapping, optional
        Stored in the notebook metadata (``grouplab.provenance``) and shown at
        the end of the HTML and DOCX.
    reuse_kernel : bool
        Run in this thread's warm kernel (its namespace reset first) instead
        of starting a kernel per notebook. A failing report discards the kernel.
        Either way the kernel is local and reached over IPC.
    verbose : bool
        Let kernel and papermill log lines through.
    print_figures : bool
        Figures at twice the screen resolution (shown at screen size in HTML,
        sharp in DOCX and print).

    Returns
    -------
    dict
        ``notebook``, ``html``, ``docx``, ``xlsx`` (paths as str or None),
        ``seconds`` (float).

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell fails; the partial notebook is kept as ``<output>.failed.ipynb``
        and no ``output`` is written.
    OSError
        When the output folder cannot be written; no temporary file is left.
    """
    import nbformat
    import papermill as pm

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(output)
    start = time.perf_counter()
    _quiet(verbose)
    engine = _warm_engine(verbose, print_figures)
    try:
        pm.execute_notebook(str(notebook), str(tmp), parameters=dict(parameters or {}),
                            kernel_name=KERNEL, cwd=str(cwd) if cwd else None, log_output=verbose,
                            progress_bar=False, execution_timeout=timeout, engine_name=engine)
    except BaseException as err:
        _drop_warm_kernel()
        _keep_failed(tmp, output, err)
        raise
    if not reuse_kernel:
        _drop_warm_kernel()
    try:
        if provenance:
            nb = nbformat.read(tmp, as_version=4)
            meta = dict(nb.metadata.get("grouplab") or {})
            meta["provenance"] = json.loads(json.dumps(dict(provenance), default=str))
            nb.metadata["grouplab"] = meta
            nbformat.write(nb, tmp)
        lang = (parameters or {}).get("lang")
        files = _exports(tmp, output, formats, provenance, lang)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    output.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    return {"notebook": str(output), **files, "seconds": time.perf_counter() - start}


def _keep_failed(tmp: Path, output: Path, err: BaseException) -> None:
    """Keep a failed run's partial notebook as ``.failed.ipynb`` (not after an output fault)."""
    from grouplab.batch.outputs import is_output_fault

    if not tmp.exists():
        return
    if is_output_fault(err):
        tmp.unlink(missing_ok=True)
        return
    try:
        os.replace(tmp, output.with_suffix(".failed.ipynb"))
    except OSError:
        tmp.unlink(missing_ok=True)

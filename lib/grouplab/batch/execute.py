"""Execute one parameterised notebook with papermill; export HTML (code hidden) and key tables.

Outputs are written to a temporary name in the target folder and renamed when
complete, so a report is either whole or absent — never half-written.
"""

from __future__ import annotations

import atexit
import html as _html
import json
import multiprocessing.util
import os
import re
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["execute_notebook", "export_html", "export_tables", "atomic_write", "KERNEL"]

KERNEL = "grouplab"
# CDN scripts nbconvert adds (require.js, MathJax): reports need neither, and must open offline.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)


# Chinese text in tables and sentences: prefer the CJK fonts readers' systems have.
_CJK_STYLE = ('<style>body, p, table, td, th, h1, h2, h3 {font-family: system-ui, "PingFang SC", '
              '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif;}'
              "</style>\n")


def _drop_cdn_scripts(body: str) -> str:
    """Remove script blocks that load from a CDN (require.js, MathJax, mermaid)."""
    return _SCRIPT.sub(lambda m: "" if re.search(r"https?://", m.group(0)) else m.group(0), body)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _provenance_html(prov: Mapping[str, Any]) -> str:
    items = "".join(f"<li>{_html.escape(str(k))}: {_html.escape(json.dumps(v, ensure_ascii=False, default=str))}</li>"
                    for k, v in prov.items())
    return (f'<footer style="margin:2em;font-size:.8em;color:#555"><details><summary>Provenance / 溯源信息'
            f'</summary><ul>{items}</ul></details></footer>')


def export_html(notebook: Path, html: Path, *, provenance: Mapping[str, Any] | None = None) -> Path:
    """Export an executed notebook to HTML with the code hidden (atomic write, opens offline)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = _drop_cdn_scripts(body)
    body = body.replace("</head>", _CJK_STYLE + "</head>", 1)
    if provenance:
        body = body.replace("</body>", _provenance_html(provenance) + "\n</body>", 1)
    atomic_write(html, body)
    return html


def export_tables(notebook: Path, xlsx: Path) -> Path | None:
    """Write the notebook's key tables (see ``report.key_table``) to one .xlsx; None if none."""
    import nbformat
    import pandas as pd

    from grouplab.reports.common.tables import TABLE_META_KEY

    nb = nbformat.read(notebook, as_version=4)
    tables = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get(TABLE_META_KEY)
            if meta:
                d = meta["data"]
                tables.append((meta["name"], pd.DataFrame(d["data"], columns=d["columns"])))
    if not tables:
        return None
    fd, tmp = tempfile.mkstemp(dir=xlsx.parent, prefix=f".{xlsx.name}.", suffix=".xlsx")
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            used = set()
            for name, df in tables:
                sheet, i = name[:31], 2
                while sheet in used:
                    sheet, i = f"{name[:28]}_{i}", i + 1
                used.add(sheet)
                df.to_excel(writer, sheet_name=sheet, index=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, xlsx)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return xlsx


_WARM = threading.local()
_RESET = "get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"


def _warm_kernel(kernel_name: str):
    """This thread's running kernel (started on first use, shut down at process exit)."""
    from jupyter_client import KernelManager

    km = getattr(_WARM, "km", None)
    if km is None or not km.is_alive():
        km = KernelManager(kernel_name=kernel_name)
        km.start_kernel()
        _WARM.km = km
        multiprocessing.util.Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
        atexit.register(_shutdown, km)
    else:  # a clean namespace for every report; imports stay warm
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(_RESET, timeout=60, store_history=False,
                                   output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
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


def _warm_engine():
    """A papermill engine that runs notebooks in a reused, reset kernel (registered once)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            from papermill.log import logger

            km = _warm_kernel(kernel_name)
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    if "grouplab-warm" not in papermill_engines._engines:
        papermill_engines.register("grouplab-warm", WarmKernelEngine)
    return "grouplab-warm"


def execute_notebook(notebook: str | Path, output: str | Path, *,
                     parameters: Mapping[str, Any] | None = None, html: bool = True,
                     cwd: str | Path | None = None, timeout: int | None = 1800,
                     provenance: Mapping[str, Any] | None = None,
                     reuse_kernel: bool = False) -> dict:
    """Run ``notebook`` with ``parameters`` into ``output`` (plus ``.html`` and ``.xlsx`` beside it).

    Parameters
    ----------
    notebook, output : path
        Source notebook and executed copy.
    parameters : mapping, optional
        Injected after the cell tagged ``parameters``.
    html : bool
        Also export ``output`` with suffix ``.html``, code hidden, and the
        notebook's key tables to ``.xlsx``.
    cwd : path, optional
        Working directory of the kernel (default: the current one).
    timeout : int, optional
        Per-cell timeout in seconds.
    provenance : mapping, optional
        Stored in the notebook metadata (``grouplab``) and shown in the HTML footer.
    reuse_kernel : bool
        Run in this thread's warm kernel (its namespace reset first) instead
        of starting a kernel per notebook: saves the kernel start and imports
        of every report after the first. A failing report discards the kernel.

    Returns
    -------
    dict
        ``notebook``, ``html``, ``xlsx`` (paths as str or None), ``seconds`` (float).

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell fails; the partial notebook is kept as ``<output>.failed.ipynb``
        with the failing cell's error, and no ``output`` is written.
    """
    import nbformat
    import papermill as pm

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.running.ipynb")
    start = time.perf_counter()
    engine = _warm_engine() if reuse_kernel else None
    try:
        pm.execute_notebook(str(notebook), str(tmp), parameters=dict(parameters or {}),
                            kernel_name=KERNEL, cwd=str(cwd) if cwd else None,
                            progress_bar=False, execution_timeout=timeout, engine_name=engine)
    except BaseException:
        if reuse_kernel:
            _drop_warm_kernel()
        if tmp.exists():
            os.replace(tmp, output.with_suffix(".failed.ipynb"))
        raise
    if provenance:
        nb = nbformat.read(tmp, as_version=4)
        nb.metadata["grouplab"] = json.loads(json.dumps(dict(provenance), default=str))
        nbformat.write(nb, tmp)
    out_html = out_xlsx = None
    if html:
        out_html = export_html(tmp, output.with_suffix(".html"), provenance=provenance)
        out_xlsx = export_tables(tmp, output.with_suffix(".xlsx"))
    os.replace(tmp, output)
    output.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    return {"notebook": str(output), "html": str(out_html) if out_html else None,
            "xlsx": str(out_xlsx) if out_xlsx else None, "seconds": time.perf_counter() - start}

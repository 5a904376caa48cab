"""Execute one parameterised notebook with papermill and export it to HTML.

Outputs are written to a temporary name in the target folder and renamed when
complete, so a report is either whole or absent — never half-written.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["execute_notebook", "export_html", "KERNEL"]

KERNEL = "grouplab"


def _atomic_write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_html(notebook: Path, html: Path) -> Path:
    """Export an executed notebook to HTML with the code hidden (atomic write)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    _atomic_write(html, body)
    return html


def execute_notebook(notebook: str | Path, output: str | Path, *,
                     parameters: Mapping[str, Any] | None = None, html: bool = True,
                     cwd: str | Path | None = None, timeout: int | None = 1800) -> dict:
    """Run ``notebook`` with ``parameters`` into ``output`` (and ``.html`` beside it).

    Parameters
    ----------
    notebook, output : path
        Source notebook and executed copy.
    parameters : mapping, optional
        Injected after the cell tagged ``parameters``.
    html : bool
        Also export ``output`` with suffix ``.html``, code hidden.
    cwd : path, optional
        Working directory of the kernel (default: the current one).
    timeout : int, optional
        Per-cell timeout in seconds.

    Returns
    -------
    dict
        ``notebook``, ``html`` (paths as str, html None if not exported),
        ``seconds`` (float).

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell fails; the partial notebook is kept at ``output`` with
        the suffix ``.failed.ipynb`` so the failing cell can be inspected.
    """
    import papermill as pm

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.running.ipynb")
    start = time.perf_counter()
    try:
        pm.execute_notebook(str(notebook), str(tmp), parameters=dict(parameters or {}),
                            kernel_name=KERNEL, cwd=str(cwd) if cwd else None,
                            progress_bar=False, execution_timeout=timeout)
    except BaseException:
        if tmp.exists():
            os.replace(tmp, output.with_suffix(".failed.ipynb"))
        raise
    os.replace(tmp, output)
    out_html = export_html(output, output.with_suffix(".html")) if html else None
    return {"notebook": str(output), "html": str(out_html) if out_html else None,
            "seconds": time.perf_counter() - start}

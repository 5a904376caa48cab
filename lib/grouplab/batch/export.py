"""Exports of an executed notebook: HTML (code hidden, prints on A4), XLSX of key tables, DOCX.

Language: a narrative markdown cell is written twice, tagged ``lang-zh`` and
``lang-en``; an export keeps the untagged cells and those of the report's
``lang`` (:func:`select_language`), so a ``zh`` report reads in Chinese only
while the notebook in JupyterLab shows both.
"""

from __future__ import annotations

import html as _html
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grouplab.batch.outputs import atomic_write

__all__ = ["FORMATS", "RECORD_FILES", "select_language", "export_html", "export_tables", "export_docx",
           "key_tables", "PROVENANCE_TITLE", "report_heading"]

FORMATS = ("html", "docx", "xlsx")
#: The files a run record may name: the exports and the executed notebook.
RECORD_FILES = (*FORMATS, "ipynb")
PROVENANCE_TITLE = {"zh": "溯源信息", "en": "Provenance", None: "Provenance / 溯源信息"}
# CDN scripts nbconvert adds (require.js, MathJax): reports need neither, and must open offline.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
# Chinese text in tables and sentences: prefer the CJK fonts readers' systems have; print on A4
# without cutting tables, each section on a new page.
_STYLE = """<style>
body, p, table, td, th, h1, h2, h3 {font-family: system-ui, "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif;}
@page {size: A4; margin: 18mm 15mm;}
@media print {
  body {font-size: 10.5pt;} .jp-Notebook, body {padding: 0 !important; margin: 0 !important;}
  table, img, figure, .jp-OutputArea-output {break-inside: avoid; page-break-inside: avoid;}
  thead {display: table-header-group;} tr {break-inside: avoid;}
  h2 {break-before: page; page-break-before: always;} h1 + * h2, .jp-Cell:first-child h2 {break-before: auto;}
  h1, h2, h3 {break-after: avoid; page-break-after: avoid;}
  footer details {display: block;} footer details > * {display: block;}
}
</style>
"""


def _tags(cell: Mapping) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def select_language(nb: Any, lang: str | None) -> Any:
    """Copy of notebook ``nb`` without the cells tagged for another language.

    Cells tagged ``lang-<xx>`` are kept only when ``xx == lang``; untagged
    cells always. With ``lang=None`` every cell is kept.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("## 等级", metadata={"tags": ["lang-zh"]}),
    ...     nbformat.v4.new_markdown_cell("## Grades", metadata={"tags": ["lang-en"]}),
    ...     nbformat.v4.new_code_cell("x = 1")])
    >>> [c.source for c in select_language(nb, "en").cells]
    ['## Grades', 'x = 1']
    """
    import copy

    out = copy.deepcopy(nb)
    if lang:
        out.cells = [c for c in nb.cells
                     if not any(t.startswith("lang-") and t != f"lang-{lang}" for t in _tags(c))]
        out.cells = copy.deepcopy(out.cells)
    return out


def _drop_cdn_scripts(body: str) -> str:
    """Remove script blocks that load from a CDN (require.js, MathJax, mermaid)."""
    return _SCRIPT.sub(lambda m: "" if re.search(r"https?://", m.group(0)) else m.group(0), body)


def _provenance_html(prov: Mapping[str, Any], lang: str | None) -> str:
    items = "".join(f"<li>{_html.escape(str(k))}: "
                    f"{_html.escape(json.dumps(v, ensure_ascii=False, default=str))}</li>"
                    for k, v in prov.items())
    return (f'<footer class="grouplab-provenance" style="margin:2em;font-size:.8em;color:#555">'
            f'<details><summary>{PROVENANCE_TITLE.get(lang, PROVENANCE_TITLE[None])}</summary>'
            f'<ul>{items}</ul></details></footer>')


def _read(notebook: Path, lang: str | None = None) -> Any:
    """The executed notebook with the cells of ``lang`` only (every cell when None)."""
    import nbformat

    return select_language(nbformat.read(notebook, as_version=4), lang)


_H1_MD = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_H1_HTML = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def report_heading(nb: Any, default: str) -> str:
    """The report's title: the first level-1 heading of its markdown cells or outputs (else ``default``).

    Markdown emphasis, links' brackets and HTML tags are dropped, so the browser tab reads as the
    heading does (nbconvert would title every page "Notebook").
    """
    for cell in nb.cells:
        texts = [cell.source] if cell.cell_type == "markdown" else [
            str(out.get("data", {}).get(kind, "")) for out in cell.get("outputs", [])
            for kind in ("text/markdown", "text/html")]
        for text in texts:
            if isinstance(text, list):
                text = "".join(text)
            m = _H1_MD.search(text) or _H1_HTML.search(text)
            if m:
                title = _html.unescape(_TAG.sub("", m.group(1))).replace("**", "").replace("`", "").strip()
                if title:
                    return title
    return default


def export_html(notebook: Path, html: Path, *, provenance: Mapping[str, Any] | None = None,
                lang: str | None = None) -> Path:
    """Export an executed notebook to HTML: code hidden, one language, offline, printable on A4.

    Raises
    ------
    OSError
        The file cannot be written (no partial file is left).
    """
    from nbconvert import HTMLExporter

    nb = _read(notebook, lang)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = _drop_cdn_scripts(body)
    title = _html.escape(report_heading(nb, Path(notebook).stem), quote=False)
    body = re.sub(r"<title>.*?</title>", lambda _: f"<title>{title}</title>", body, count=1, flags=re.DOTALL)
    body = body.replace("</head>", _STYLE + "</head>", 1)
    if lang:
        body = re.sub(r"<html([^>]*)>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', body,
                      count=1)
    if provenance:
        body = body.replace("</body>", _provenance_html(provenance, lang) + "\n</body>", 1)
    return atomic_write(html, body)


def key_tables(nb: Any) -> list[dict]:
    """The key tables of an executed notebook, in order (see :func:`grouplab.batch.word.table_payload`).

    Returns
    -------
    list of dict
        ``name``, ``caption``, ``note``, ``float_format``, ``excel``, ``columns``, ``data``.
    """
    from grouplab.batch.word import table_payload
    from grouplab.reports.common.tables import TABLE_META_KEY

    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get(TABLE_META_KEY)
            if meta:
                found.append(table_payload(meta))
    return found


def _sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (≤ 31 characters, no ``[]:*?/\\``)."""
    used, out = set(), []
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "Sheet"
        sheet, i = base, 2
        while sheet in used:
            sheet, i = f"{base[:28]}_{i}", i + 1
        used.add(sheet)
        out.append(sheet)
    return out


def export_tables(notebook: Path, xlsx: Path) -> Path | None:
    """Write the notebook's key tables (see ``key_table``) to one .xlsx, one sheet each; None if none.

    Tables marked ``excel=False`` (member lists) are shown in HTML and Word only.

    Raises
    ------
    OSError
        The file cannot be written (no partial file is left).
    """
    import pandas as pd

    tables = [t for t in key_tables(_read(notebook)) if t["excel"]]
    if not tables:
        return None
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for sheet, t in zip(_sheet_names([t["name"] for t in tables]), tables):
            pd.DataFrame(t["data"], columns=t["columns"]).to_excel(writer, sheet_name=sheet, index=False)
    return atomic_write(xlsx, buf.getvalue())


def export_docx(notebook: Path, docx: Path, *, provenance: Mapping[str, Any] | None = None,
                lang: str | None = None) -> Path:
    """Export an executed notebook to a Word document (see :mod:`grouplab.batch.word`).

    One language and written as :func:`export_html` is (an OSError when the file cannot be
    written, never a partial file).
    """
    from grouplab.batch.word import notebook_to_docx

    buf = io.BytesIO()
    notebook_to_docx(_read(notebook, lang), lang=lang or "zh", provenance=provenance).save(buf)
    return atomic_write(docx, buf.getvalue())

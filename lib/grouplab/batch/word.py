"""Word (.docx) from an executed notebook, with python-docx.

What a report filed as 材料 needs: A4 pages with numbers in the footer, the
notebook's level-1 heading as the title, headings and paragraphs from the
markdown cells, every key table as a real Word table in three-line style
(三线表: a heavy rule above and below the table, a light one under the
header, no vertical rules) with its caption above, every figure at print
resolution with a numbered caption below, and fonts set for both scripts
(Latin: Times New Roman / Arial; East Asian: 宋体 for text, 黑体 for headings,
through the ``w:eastAsia`` attribute Word uses for CJK characters).

python-docx was chosen over pandoc (pypandoc-binary) because it is pure Python
and small, writes real tables whose borders can be set cell by cell (three-line
style needs that; pandoc's reference document styles all tables alike) and
needs no external binary.
"""

from __future__ import annotations

import base64
import html as _html
import io
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["notebook_to_docx", "table_payload", "FONTS", "PROVENANCE_STYLE"]

FONTS = {"body": ("Times New Roman", "宋体"), "heading": ("Arial", "黑体")}
PROVENANCE_STYLE = "Grouplab Provenance"
_P = {
    "zh": {"table": "表 {n}　{caption}", "figure": "图 {n}　{caption}", "prov": "附录　溯源信息",
           "page": "第 {page} 页", "grouplab": "grouplab 版本", "data": "数据", "period": "期间",
           "date": "运行日期"},
    "en": {"table": "Table {n}. {caption}", "figure": "Figure {n}. {caption}", "prov": "Appendix: provenance",
           "page": "Page {page}", "grouplab": "grouplab version", "data": "Data", "period": "Period",
           "date": "Run date"},
}
_INLINE = re.compile(r"(\*\*|__|`)")
_TAG = re.compile(r"<[^>]+>")


def _set_fonts(style_or_run: Any, latin: str, east_asian: str) -> None:
    from docx.oxml.ns import qn

    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(attr), value)


def _setup(doc: Any) -> None:
    """A4 portrait, 2.5 cm margins, fonts of body, headings, title and captions."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(2.5))
    normal = doc.styles["Normal"]
    _set_fonts(normal, *FONTS["body"])
    normal.font.size = Pt(10.5)  # 五号
    for name, size in (("Title", 18), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        st = doc.styles[name]
        _set_fonts(st, *FONTS["heading"])
        st.font.size, st.font.bold = Pt(size), True
        st.font.color.rgb = RGBColor(0, 0, 0)
    cap = doc.styles["Caption"]
    _set_fonts(cap, *FONTS["heading"])
    cap.font.size, cap.font.italic, cap.font.bold = Pt(9), False, True
    cap.font.color.rgb = RGBColor(0, 0, 0)
    prov = doc.styles.add_style(PROVENANCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    prov.base_style = normal
    prov.font.size = Pt(8)
    prov.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _page_numbers(doc: Any, lang: str) -> None:
    """Centered page number in the footer (a PAGE field Word fills in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    par = doc.sections[0].footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = _P[lang]["page"].split("{page}")
    par.add_run(before)
    run = par.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    par.add_run(after)


def _add_text(par: Any, text: str) -> None:
    """Runs of ``text`` with **bold** and `code` spans (markdown emphasis kept, markers dropped)."""
    bold = code = False
    for piece in _INLINE.split(text):
        if piece in ("**", "__"):
            bold = not bold
        elif piece == "`":
            code = not code
        elif piece:
            run = par.add_run(piece)
            run.bold = bold or None
            if code:
                run.font.name = "Consolas"


def _markdown(doc: Any, source: str, state: dict) -> None:
    """Headings, paragraphs, bullet lists and quotes of one markdown cell."""
    para: list[str] = []

    def flush():
        if para:
            _add_text(doc.add_paragraph(), " ".join(para))
            para.clear()

    for line in source.splitlines():
        m = re.match(r"^(#{1,3})\s+(.*)", line)
        if m:
            flush()
            level, text = len(m.group(1)), m.group(2).strip()
            if level == 1 and not state["title"]:
                doc.add_heading(text, level=0)
                state["title"] = text
            else:
                doc.add_heading(text, level=max(1, level - 1))
            state["section"] = text
        elif re.match(r"^\s*[-*]\s+", line):
            flush()
            _add_text(doc.add_paragraph(style="List Bullet"), re.sub(r"^\s*[-*]\s+", "", line))
        elif not line.strip():
            flush()
        else:
            para.append(re.sub(r"^>\s?", "", line).strip())
    flush()


def _border(cell: Any, edge: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    el = OxmlElement(f"w:{edge}")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "0"), ("w:color", "000000")):
        el.set(qn(k), v)
    borders.append(el)


def _cell_text(v: Any, float_format: str | None = None) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return float_format.format(v) if float_format else f"{v:.10g}"
    return str(v)


def _table(doc: Any, table: Mapping, state: dict, lang: str) -> None:
    """A key table as a three-line Word table, its numbered caption above and its note below."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    state["tables"] += 1
    caption = table.get("caption") or state.get("section") or table["name"]
    doc.add_paragraph(_P[lang]["table"].format(n=state["tables"], caption=caption), style="Caption")
    cols, rows = table["columns"], table["data"]
    t = doc.add_table(rows=1 + len(rows), cols=len(cols))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, c in enumerate(cols):
        cell = t.rows[0].cells[j]
        cell.text = str(c)
        cell.paragraphs[0].runs[0].bold = True
        _border(cell, "top", 12)     # heavy top rule (1.5 pt)
        _border(cell, "bottom", 6)   # light rule under the header (0.75 pt)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            t.rows[i].cells[j].text = _cell_text(v, table.get("float_format"))
            if i == len(rows):
                _border(t.rows[i].cells[j], "bottom", 12)  # heavy bottom rule
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)
                for r in p.runs:
                    r.font.size = Pt(9)
    note = doc.add_paragraph(table.get("note") or "")
    if table.get("note"):
        note.runs[0].font.size = Pt(9)


def _figure(doc: Any, png: str, meta: Mapping, state: dict, lang: str) -> None:
    """A figure at its full pixel resolution, scaled to the text width at most, captioned below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    state["figures"] += 1
    raw = base64.b64decode(png)
    width_px = (meta or {}).get("width")  # retina figures: shown width is half the pixels
    width = Cm(min(16.0, 16.0 * (width_px or 800) / 800))
    doc.add_picture(io.BytesIO(raw), width=width)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = doc.add_paragraph(_P[lang]["figure"].format(n=state["figures"], caption=state.get("section") or ""),
                            style="Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _html_text(html: str) -> str:
    return _html.unescape(_TAG.sub("", html)).strip()


def _outputs(doc: Any, cell: Mapping, state: dict, lang: str) -> None:
    from grouplab.reports.common.tables import TABLE_META_KEY

    for out in cell.get("outputs", []):
        data, meta = out.get("data", {}), out.get("metadata", {})
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            for block in "".join(out.get("text", "")).strip().split("\n\n"):
                if block.strip():
                    doc.add_paragraph(block.strip())
        elif meta.get(TABLE_META_KEY):
            _table(doc, table_payload(meta[TABLE_META_KEY]), state, lang)
        elif "image/png" in data:
            _figure(doc, data["image/png"], meta.get("image/png", {}), state, lang)
        elif "text/markdown" in data:  # headings a report displays (display(Markdown(...)))
            _markdown(doc, "".join(data["text/markdown"]), state)
        elif "grouplab-say" in str(data.get("text/html", "")):
            doc.add_paragraph(_html_text("".join(data["text/html"])))


def table_payload(meta: Mapping) -> dict:
    """A key table's mark (see ``reports.common.tables.key_table``) as the exporters read it.

    Returns
    -------
    dict
        ``name``, ``caption``, ``note``, ``float_format``, ``excel`` (False:
        not for the workbook), ``columns``, ``data`` (rows).
    """
    return {"name": meta["name"], "caption": meta.get("caption"), "note": meta.get("note"),
            "float_format": meta.get("float_format"), "excel": meta.get("excel", True),
            "columns": meta["data"]["columns"], "data": meta["data"]["data"]}


def _appendix(doc: Any, provenance: Mapping[str, Any], lang: str) -> None:
    """A short appendix a reader may forward: version, data, period, run date (no paths, no hashes)."""
    p = _P[lang]
    data = provenance.get("data")
    if isinstance(data, Mapping):
        data = data.get(lang) or next(iter(data.values()), None)
    started = str(provenance.get("started") or "")[:10]
    lines = [(p["grouplab"], provenance.get("grouplab")), (p["data"], data),
             (p["period"], provenance.get("period")), (p["date"], started)]
    doc.add_paragraph(p["prov"], style=PROVENANCE_STYLE).runs[0].bold = True
    sep = "：" if lang == "zh" else ": "
    for label, value in lines:
        if value not in (None, ""):
            doc.add_paragraph(f"{label}{sep}{value}", style=PROVENANCE_STYLE)


def notebook_to_docx(nb: Any, *, lang: str = "zh", provenance: Mapping[str, Any] | None = None) -> Any:
    """Build a Word document from an executed notebook (already reduced to one language).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Executed notebook; code is never shown.
    lang : {"zh", "en"}
        Language of captions, the page footer and the provenance heading.
    provenance : mapping, optional
        The batch's provenance; a short appendix at the end (``Grouplab
        Provenance`` paragraph style) shows its ``grouplab`` version, ``data``
        name (text or {lang: text}), ``period`` and the date of ``started``.
        Paths, hashes and package versions stay in the HTML and the notebook.

    Returns
    -------
    docx.document.Document
        Title, headings, paragraphs, three-line tables with captions, figures
        with captions, page numbers; A4.
    """
    from docx import Document

    lang = lang if lang in _P else "zh"
    doc = Document()
    _setup(doc)
    _page_numbers(doc, lang)
    state = {"title": None, "section": None, "tables": 0, "figures": 0}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            _markdown(doc, cell.source, state)
        elif cell.cell_type == "code":
            _outputs(doc, cell, state, lang)
    if provenance:
        _appendix(doc, provenance, lang)
    doc.core_properties.title = state["title"] or ""
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    return doc

"""The two-language site: gallery pages made from notebooks/, the language switch, the root redirect.

- **Gallery**: every ``notebooks/*.ipynb`` is copied into ``<srcdir>/gallery/`` with the cells of the
  other language (tagged ``lang-zh``/``lang-en``) left out and a link to its report page (a page
  ``reports/<notebook stem>`` if the site has one, else the API page of the package its metadata
  names). Outputs are the stored ones: ``nb_execution_mode = "off"``. A new notebook needs no edit here.
- **Language switch**: every page links to the same page of the other site, or to its home page.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("zh", "en")
SUFFIXES = (".md", ".rst", ".ipynb")
WORDS = {
    "zh": {"gallery": "示例笔记本", "report": "报告说明", "api": "API 参考", "switch": "English",
           "intro": "每个笔记本按其保存的输出显示（构建文档时不执行）。输出是示例数据（合成，非真实数据）"
                    "上的结果。要在自己的数据上运行，见",
           "own": "使用自己的数据", "see": "本笔记本的报告说明：", "code": "笔记本的程序包：",
           "prefix": "笔记本 · "},
    "en": {"gallery": "Notebook gallery", "report": "report page", "api": "API reference", "switch": "中文",
           "intro": "Each notebook is shown with its stored outputs (nothing is executed when the docs are "
                    "built). The outputs are results on the demo data (synthetic, not real); the stored "
                    "outputs of a notebook may be in Chinese. To run them on your data, see",
           "own": "Your own data", "see": "This notebook's report page:", "code": "The notebook's package:",
           "prefix": "Notebook · "},
}


def docnames(srcdir: Path) -> set[str]:
    """Documents of a source folder (gallery pages included, whether generated yet or not)."""
    out = {p.relative_to(srcdir).with_suffix("").as_posix()
           for p in srcdir.rglob("*") if p.suffix in SUFFIXES and "_build" not in p.parts
           and ".ipynb_checkpoints" not in p.parts}
    out |= {f"gallery/{nb.stem}" for nb in NOTEBOOKS.glob("*.ipynb")} | {"gallery/index"}
    return out


def _lang_cell(cell: dict, lang: str) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    other = [t for t in ("lang-zh", "lang-en") if t != f"lang-{lang}"]
    return not any(t in tags for t in other)


def _title(nb: dict, lang: str, fallback: str) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and _lang_cell(cell, lang):
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def gallery(srcdir: Path, lang: str) -> None:
    """Write ``gallery/*.ipynb`` and ``gallery/index.md`` (only files whose text changed)."""
    w, out = WORDS[lang], srcdir / "gallery"
    out.mkdir(exist_ok=True)
    have = docnames(srcdir)
    files: dict[str, str] = {}
    rows = []
    for src in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(src.read_text(encoding="utf-8"))
        nb2 = copy.deepcopy(nb)
        nb2["cells"] = [c for c in nb["cells"] if _lang_cell(c, lang)]
        package = (nb.get("metadata", {}).get("grouplab") or {}).get("report")
        if f"reports/{src.stem}" in have:
            link = f"{w['see']} {{doc}}`../reports/{src.stem}`"
        elif package:
            link = f"{w['code']} {{py:mod}}`{package}`"
        else:
            link = ""
        title = _title(nb2, lang, src.stem)
        first = nb2["cells"][0] if nb2["cells"] else None
        if first and first["cell_type"] == "markdown" and "".join(first["source"]).lstrip().startswith("# "):
            # the page title says it is the notebook (search results list it beside the report page)
            first["source"] = "".join(first["source"]).replace("# ", f"# {w['prefix']}", 1)
        else:
            heading = f"# {w['prefix']}{title}"
            nb2["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": heading})
        if link:
            nb2["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": f"> {link}"})
        nb2["nbformat"], nb2["nbformat_minor"] = 4, max(5, int(nb.get("nbformat_minor", 0)))
        for i, c in enumerate(nb2["cells"]):
            c.setdefault("metadata", {})
            c.setdefault("id", f"cell-{i}")
        files[f"{src.stem}.ipynb"] = json.dumps(nb2, ensure_ascii=False, indent=1)
        rows.append(f"- {{doc}}`{title} <{src.stem}>` — `notebooks/{src.name}`"
                    + (f"; {link.split(' ', 1)[1] if lang == 'en' else link}" if link else ""))
    own = "guide/own_data"
    files["index.md"] = "\n".join([
        f"# {w['gallery']}", "", f"{w['intro']} {{doc}}`../{own}`.", "", *rows, "",
        "```{toctree}", ":hidden:", "", *(p[:-6] for p in files if p.endswith(".ipynb")), "```", "",
    ])
    for old in out.glob("*"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        p = out / name
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")


def setup(app):
    app.add_config_value("grouplab_lang", "zh", "html")
    state: dict = {}

    def inited(app, config):
        lang = config.grouplab_lang
        gallery(Path(app.srcdir), lang)
        other = "en" if lang == "zh" else "zh"
        state["other"], state["other_docs"] = other, docnames(DOCS / other)

    def page_context(app, pagename, templatename, context, doctree):
        other = state["other"]
        target = pagename if pagename in state["other_docs"] else "index"
        depth = pagename.count("/")
        context["grouplab_switch"] = {
            "url": "../" * (depth + 1) + f"{other}/{target}.html",
            "label": WORDS[app.config.grouplab_lang]["switch"],
            "hreflang": other,
        }

    def finished(app, exc):
        if exc is None and app.builder.format == "html":
            out = Path(app.outdir).parent / "index.html"
            out.write_text('<!DOCTYPE html><meta charset="utf-8"><title>grouplab</title>'
                           '<meta http-equiv="refresh" content="0; url=zh/index.html">'
                           '<a href="zh/index.html">中文</a> · <a href="en/index.html">English</a>\n',
                           encoding="utf-8")

    app.connect("config-inited", inited)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

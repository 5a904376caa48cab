"""Cheap checks of the documentation sources (the full build is `make docs`, outside `make test`).

They need no Sphinx: the pages exist in both languages and link to pages that exist, every method
on a methods page is a real function whose docstring carries the formula (Notes) the page shows,
every public name has a docstring, and the gallery picks up every notebook.
"""

import importlib
import inspect
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path[:0] = [str(DOCS), str(DOCS / "_ext")]

import check_site  # noqa: E402
import grouplab_api  # noqa: E402
import grouplab_site  # noqa: E402

LANGS = ("zh", "en")
DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`|:doc:`(?:[^`<]*<)?([^`>]+)>?`")
METHOD = re.compile(r"^\.\. grouplab-method:: (\S+)", re.M)


def test_every_guide_page_exists_in_both_languages():
    assert check_site.check_languages() == []
    for lang in LANGS:  # and the check is not vacuous
        pages = check_site.source_pages(lang)
        assert {"index", "guide/own_data", "guide/manifest", "guide/troubleshooting", "reports/07_org_life",
                "methods/models"} <= pages


@pytest.mark.parametrize("lang", LANGS)
def test_doc_links_point_at_pages_that_exist(lang):
    src = DOCS / lang
    pages = grouplab_site.docnames(src) | ({"api/index"} if lang == "en" else set())
    broken = []
    for page in sorted(src.rglob("*")):
        if page.suffix not in (".md", ".rst") or "gallery" in page.parts or "api" in page.parent.parts:
            continue
        here = page.relative_to(src).parent
        for m in DOC_LINK.finditer(page.read_text(encoding="utf-8")):
            target = (m.group(1) or m.group(2)).strip()
            name = target.lstrip("/") if target.startswith("/") else (here / target).as_posix()
            name = str(Path(name).as_posix())
            parts = []
            for p in name.split("/"):
                if p == "..":
                    parts.pop()
                elif p not in ("", "."):
                    parts.append(p)
            if "/".join(parts) not in pages:
                broken.append(f"{page.relative_to(DOCS)}: {target}")
    assert broken == []


def _notes(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    m = re.search(r"^Notes\n-----\n(.*?)(?=^\w[\w ]*\n-{3,}\n|\Z)", doc, re.M | re.S)
    return m.group(1).strip() if m else ""


def test_methods_pages_show_real_functions_with_formulas_in_both_languages():
    listed = {}
    for lang in LANGS:
        text = "".join(p.read_text(encoding="utf-8") for p in sorted((DOCS / lang / "methods").glob("*.rst")))
        listed[lang] = METHOD.findall(text)
    assert listed["zh"] == listed["en"]
    assert len(listed["en"]) >= 30
    for target in listed["en"]:
        modname, _, name = target.rpartition(".")
        obj = getattr(importlib.import_module(modname), name)
        assert callable(obj), target
        assert _notes(obj), f"{target}: the methods page shows its Notes, and it has none"


def test_every_public_function_and_class_has_a_docstring():
    api = grouplab_api.public_api()
    assert {"grouplab", "grouplab.models", "grouplab.reports.orglife"} <= set(api)
    assert not any(n.startswith("_") and not n.startswith("__") for names in api.values() for n in names)
    missing = []
    for modname, names in api.items():
        mod = importlib.import_module(modname)
        for n in names:
            obj = getattr(mod, n)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not (obj.__doc__ or "").strip():
                missing.append(f"{modname}.{n}")
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_gallery_has_every_notebook_in_one_language_with_a_report_link(tmp_path, lang):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "02_group_scorecard.md").write_text("# x\n", encoding="utf-8")
    grouplab_site.gallery(tmp_path, lang)
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    made = sorted(p.stem for p in (tmp_path / "gallery").glob("*.ipynb"))
    assert made == notebooks and len(made) >= 7
    other = "lang-en" if lang == "zh" else "lang-zh"
    nb = json.loads((tmp_path / "gallery" / "02_group_scorecard.ipynb").read_text(encoding="utf-8"))
    assert not any(other in c["metadata"].get("tags", []) for c in nb["cells"])
    assert "{doc}`../reports/02_group_scorecard`" in "".join(nb["cells"][1]["source"])
    index = (tmp_path / "gallery" / "index.md").read_text(encoding="utf-8")
    assert all(f"<{stem}>" in index for stem in notebooks)

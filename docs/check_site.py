"""Check the built site (``make docs`` runs this after both Sphinx builds).

Usage: ``python docs/check_site.py docs/_build``. Exits 1 and lists every failure:

1. every public name of grouplab (``__all__``, see ``docs/_ext/grouplab_api.py``) is in the English
   site's inventory, i.e. has a place on an API page, and every public function and class has a
   docstring of its own;
2. every page of the user guide, the report pages and the methods exists in both languages;
3. every internal link and image of both sites resolves (file, and ``#anchor`` within it), and no
   page loads a script, style sheet or font from the network (the site works offline);
4. the Chinese search index finds the org-life page for 督办清单 and 三多三少 (word segmentation), and
   its JavaScript defines the stemmer it uses (Sphinx 9.0 did not: see docs/zh/conf.py).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DOCS = Path(__file__).resolve().parent
sys.path[:0] = [str(DOCS / "_ext"), str(DOCS.parent / "lib")]

LANGS = ("zh", "en")
BILINGUAL = ("index", "guide/", "reports/", "methods/")  # pages that must exist in both languages
ONE_LANGUAGE = {"zh": {"api"}, "en": set()}  # zh/api.md points to the English API reference
SEARCH = {"督办清单": "reports/07_org_life", "三多三少": "reports/07_org_life"}


def source_pages(lang: str) -> set[str]:
    src = DOCS / lang
    rel = (p.relative_to(src) for p in src.rglob("*") if p.suffix in (".md", ".rst"))
    return {r.with_suffix("").as_posix() for r in rel if not r.as_posix().startswith(("api/", "gallery/"))}


def check_languages() -> list[str]:
    pages = {lang: {p for p in source_pages(lang) if p.startswith(BILINGUAL)} for lang in LANGS}
    out = []
    for lang in LANGS:
        other = "en" if lang == "zh" else "zh"
        for page in sorted(pages[lang] - pages[other] - ONE_LANGUAGE[lang]):
            out.append(f"page {page} exists in {lang} but not in {other}")
    return out


def check_api(build: Path) -> list[str]:
    import importlib

    from grouplab_api import public_api
    from sphinx.util.inventory import InventoryFile

    inv_path = build / "en" / "objects.inv"
    if not inv_path.exists():
        return [f"{inv_path} is missing: build the English site first"]
    with inv_path.open("rb") as f:
        inv = InventoryFile.load(f, "", lambda base, uri: uri)
    inv = inv.data if hasattr(inv, "data") else inv
    documented = {name for kind in inv.values() for name in kind}
    out = []
    for modname, names in public_api().items():
        if modname not in documented:
            out.append(f"module {modname} has no API page")
        mod = importlib.import_module(modname)
        for n in names:
            obj = getattr(mod, n, check_api)
            if obj is check_api:
                out.append(f"{modname}.__all__ names {n!r}, which does not exist")
                continue
            if n.startswith("__"):
                continue
            if f"{modname}.{n}" not in documented:
                out.append(f"public name {modname}.{n} is not on an API page")
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not (obj.__doc__ or "").strip():
                out.append(f"public name {modname}.{n} has no docstring")
    return out


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append((tag, a[key]))


def check_links(build: Path) -> list[str]:
    pages: dict[Path, _Page] = {}
    for html in build.rglob("*.html"):
        if "_sources" in html.parts:
            continue
        p = _Page()
        p.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = p
    out = []
    for html, page in sorted(pages.items()):
        rel = html.relative_to(build.resolve())
        for tag, link in page.links:
            url = urlsplit(link)
            if url.scheme in ("http", "https") or link.startswith("//"):
                if tag in ("script", "link", "img", "iframe"):
                    out.append(f"{rel}: <{tag}> loads {link} from the network")
                continue
            if url.scheme in ("mailto", "javascript", "data") or (not url.path and not url.fragment):
                continue
            target = (html.parent / unquote(url.path)).resolve() if url.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                out.append(f"{rel}: link {link} goes nowhere")
                continue
            if url.fragment and target.suffix == ".html" and target in pages:
                if unquote(url.fragment) not in pages[target].ids:
                    out.append(f"{rel}: link {link}: no #{url.fragment} in {target.name}")
    return out


def check_search(build: Path) -> list[str]:
    index = build / "zh" / "searchindex.js"
    if not index.exists():
        return [f"{index} is missing"]
    text = index.read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1:text.rindex(")")])
    names = data["docnames"]
    out = []
    js = (build / "zh" / "_static" / "language_data.js").read_text(encoding="utf-8")
    stemmer = re.search(r"window\.Stemmer = (\w+);", js)
    if stemmer and not re.search(rf"\b{stemmer.group(1)}\s*=\s*function", js):
        out.append(f"zh search: language_data.js uses {stemmer.group(1)}, which it does not define")
    for term, page in SEARCH.items():
        hits = data["terms"].get(term, [])
        hits = [hits] if isinstance(hits, int) else hits
        if page not in [names[i] for i in hits]:
            out.append(f"zh search for {term} does not find {page} (is jieba installed?)")
    return out


def main(argv: list[str]) -> int:
    build = Path(argv[1] if len(argv) > 1 else DOCS / "_build")
    checks = {"languages": check_languages(), "api": check_api(build), "links": check_links(build),
              "search": check_search(build)}
    failed = {k: v for k, v in checks.items() if v}
    for kind, problems in failed.items():
        for p in problems:
            print(f"check_site [{kind}]: {p}")
    n_pages = sum(1 for p in build.rglob("*.html") if "_sources" not in p.parts)
    print(f"check_site: {n_pages} pages, {'FAILED' if failed else 'all checks passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The public API of grouplab, found by walking the package, and its reference pages.

The public API is decided by ``__all__``, not by this file, so moving a module
moves its page and nothing here changes:

- a module or package whose dotted name has no part starting with ``_`` is public;
- a **package with** ``__all__`` is a namespace: its ``__all__`` is documented on
  the package's page and its submodules are implementation (not walked);
  ``grouplab`` itself is the exception (its submodules are walked as well);
- a **package without** ``__all__`` is a folder: its public submodules are walked;
- a **module** documents its ``__all__``, or, without one, the functions and
  classes defined in it whose names do not start with ``_``.

:func:`public_api` is also what ``docs/check_site.py`` and ``tests/docs`` use.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

ROOT_PACKAGE = "grouplab"
# modules kept out on purpose: the command line is documented as commands (user guide), not as Python
SKIP = {"grouplab.cli"}


def public_names(mod) -> list[str]:
    """The documented names of one module: ``__all__`` or its own public functions and classes."""
    if hasattr(mod, "__all__"):
        return [str(n) for n in mod.__all__]
    return sorted(n for n, o in vars(mod).items()
                  if not n.startswith("_") and (inspect.isfunction(o) or inspect.isclass(o))
                  and getattr(o, "__module__", None) == mod.__name__)


def public_api(root: str = ROOT_PACKAGE) -> dict[str, list[str]]:
    """Module name -> its public names, for every public module (walk order, parents first)."""
    out: dict[str, list[str]] = {}

    def walk(name: str) -> None:
        mod = importlib.import_module(name)
        out[name] = public_names(mod)
        if not hasattr(mod, "__path__"):
            return
        if hasattr(mod, "__all__") and name != root:
            return
        for info in sorted(pkgutil.iter_modules(mod.__path__), key=lambda i: i.name):
            full = f"{name}.{info.name}"
            if not info.name.startswith("_") and full not in SKIP:
                walk(full)

    walk(root)
    return out


_MISSING = object()


def member_directive(modname: str, name: str, obj) -> list[str]:
    """The autodoc directive for one public name (explicit, so imported names and constants are kept)."""
    full = f"{modname}.{name}"
    if obj is _MISSING:
        raise AttributeError(f"{modname}.__all__ names {name!r}, which does not exist")
    if inspect.ismodule(obj):
        return [f"``{name}``: the module :py:mod:`{obj.__name__}`."]
    if inspect.isclass(obj):
        return [f".. autoclass:: {full}", "   :members:", "   :show-inheritance:"]
    if callable(obj):
        return [f".. autofunction:: {full}"]
    return [f".. autodata:: {full}", "   :no-value:"]


def _title(mod) -> str:
    doc = inspect.getdoc(mod) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    return re.sub(r":\w+:`~?([^`]+)`", r"``\1``", first)


def write_pages(outdir: Path) -> dict[str, list[str]]:
    """Write ``outdir/index.rst`` and one page per public module; only files whose text changed."""
    api = public_api()
    outdir.mkdir(parents=True, exist_ok=True)
    pages = {}
    for modname, names in api.items():
        mod = importlib.import_module(modname)
        head = modname
        lines = [f".. _api-{modname}:", "", head, "=" * len(head), "",
                 f".. automodule:: {modname}", "   :no-members:", ""]
        for n in names:
            lines += [*member_directive(modname, n, getattr(mod, n, _MISSING)), ""]
        text = "\n".join(lines)
        if modname == ROOT_PACKAGE:
            text += "\n" + "\n".join([
                "", "Modules", "-------", "", ".. toctree::", "   :maxdepth: 1", "",
                *(f"   {m}" for m in api if m != ROOT_PACKAGE), "",
            ])
        pages[f"{modname}.rst"] = text
    rows = "\n".join(f"   * - :doc:`{m}`\n     - {len(n)}\n     - {_title(importlib.import_module(m))}"
                     for m, n in api.items())
    pages["index.rst"] = "\n".join([
        ".. _api-index:", "", "API reference", "=============", "",
        "Generated from the docstrings of every public module (see :doc:`/guide/api_policy`).",
        "A module's public names are its ``__all__``; names starting with ``_`` are private and "
        "not documented.", "",
        ".. list-table::", "   :header-rows: 1", "   :widths: 30 8 62", "",
        "   * - module", "     - names", "     - summary", rows, "",
        ".. toctree::", "   :hidden:", "", f"   {ROOT_PACKAGE}", "",
    ])
    keep = set(pages)
    for old in outdir.glob("*.rst"):
        if old.name not in keep:
            old.unlink()
    for name, text in pages.items():
        path = outdir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return api


def alias_map(api: dict[str, list[str]]) -> dict[int, str]:
    """id(object) -> the documented full name of that object (first page wins)."""
    out: dict[int, str] = {}
    for modname, names in api.items():
        mod = importlib.import_module(modname)
        for n in names:
            obj = getattr(mod, n, None)
            if obj is not None and not isinstance(obj, (int, float, str, bool)) and id(obj) not in out:
                out[id(obj)] = f"{modname}.{n}"
    return out


def _resolve_object(target: str):
    try:
        return importlib.import_module(target)
    except ImportError:
        pass
    parts = target.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p, None)
            if obj is None:
                return None
        return obj
    return None


def _anywhere(target: str):
    """The object ``target`` names in exactly one loaded grouplab module, else None."""
    import sys

    found = {}
    for modname, mod in list(sys.modules.items()):
        if mod is None or not (modname == ROOT_PACKAGE or modname.startswith(ROOT_PACKAGE + ".")):
            continue
        obj = mod
        for part in target.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None and not isinstance(obj, (int, float, str, bool)):
            found[id(obj)] = obj
    return next(iter(found.values())) if len(found) == 1 else None


def _no_type_docstring(app, what, name, obj, options, lines):
    """A constant without a doc comment shows no docstring, not the one of its type (list, dict …)."""
    if what in ("data", "attribute") and lines:
        own = inspect.getdoc(type(obj)) or ""
        if own and lines[0].strip() == own.splitlines()[0].strip():
            del lines[:]


def _contexts(node) -> list[str]:
    """Modules a relative name in a docstring may be relative to, nearest first."""
    out = [""]
    src = str(node.source or "")
    starts = [node.get("py:module") or "", src.split("docstring of ", 1)[1] if "docstring of " in src else ""]
    for start in starts:
        parts = start.split(".")
        for i in range(len(parts), 0, -1):
            ctx = ".".join(parts[:i])
            if ctx and ctx not in out:
                out.insert(-1, ctx)
    return out


def setup(app):
    from docutils import nodes
    from sphinx.addnodes import pending_xref  # noqa: F401

    state: dict = {}

    def generate(app, config):
        # at config-inited: before Sphinx lists the source files, so a moved module's old page is gone
        if config.grouplab_api_dir:
            state["api"] = write_pages(Path(app.srcdir) / config.grouplab_api_dir)
        else:
            state["api"] = public_api()
        state["alias"] = alias_map(state["api"])

    def missing(app, env, node, contnode):
        """Resolve a reference written in a docstring to where the object is documented.

        ``grouplab.data.x.f`` (an implementation path) or a name relative to the docstring's
        module (``score_scales``, ``tables.coverage``) goes to the public page of that object;
        an existing object that is not public is shown as code without a link; a name that
        resolves to nothing stays a warning (a broken reference).
        """
        if node.get("refdomain") != "py" or "alias" not in state:
            return None
        target = node.get("reftarget", "").lstrip("~.")
        obj = None
        for ctx in _contexts(node):
            name = f"{ctx}.{target}" if ctx else target
            if name.startswith(ROOT_PACKAGE + ".") or name == ROOT_PACKAGE:
                obj = _resolve_object(name)
                if obj is not None:
                    break
        if obj is None:
            obj = _anywhere(target)  # a name of a sibling module (``melt_ledger`` in layouts' docstring)
        if obj is None and "." in target:
            # an attribute listed under a class's Attributes (``Dataset.privacy``): the class's entry
            owner = _resolve_object(target.rpartition(".")[0]) or _anywhere(target.rpartition(".")[0])
            for ctx in _contexts(node):
                if owner is None and ctx:
                    owner = _resolve_object(f"{ctx}.{target.rpartition('.')[0]}")
            fields = getattr(owner, "__dataclass_fields__", {}) if inspect.isclass(owner) else {}
            if target.rpartition(".")[2] in fields:
                obj = owner
        if obj is None:
            return None
        if inspect.ismodule(obj):
            name = obj.__name__
            while name and name not in state["api"]:
                name = name.rpartition(".")[0]
            return _doc_ref(app, env, node, contnode, f"api/{name}") or contnode
        public = state["alias"].get(id(obj))
        if public is None:
            return contnode  # exists, but private: plain code
        dom = env.get_domain("py")
        found = dom.resolve_xref(env, node["refdoc"], app.builder, "obj", public, node, contnode)
        if found is None and "sphinx.ext.intersphinx" in app.extensions:
            from sphinx.ext.intersphinx import missing_reference as via_inventory
            alt = node.deepcopy()
            alt["reftarget"], alt["reftype"] = public, "obj"
            found = via_inventory(app, env, alt, contnode)
        return found or contnode

    def _doc_ref(app, env, node, contnode, docname):
        if docname not in env.all_docs:
            return None
        ref = nodes.reference("", "", internal=True,
                              refuri=app.builder.get_relative_uri(node["refdoc"], docname))
        ref.append(contnode)
        return ref

    app.add_config_value("grouplab_api_dir", "", "env")
    app.add_directive("grouplab-method", MethodDirective)
    app.add_directive("grouplab-codebook", CodebookDirective)
    app.connect("config-inited", generate)
    app.connect("missing-reference", missing)
    app.connect("autodoc-process-docstring", _no_type_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


SECTION_TITLES = {
    "zh": {"api": "API 与完整说明：", "notes": "公式与假设（摘自文档字符串）", "refs": "参考文献",
           "none": "文档字符串中没有 Notes 部分。"},
    "en": {"api": "API and full description:", "notes": "Formula and assumptions (from the docstring)",
           "refs": "References", "none": "The docstring has no Notes section."},
}


def method_sections(target: str) -> dict[str, str]:
    """Summary, Notes and References of a function's NumPy docstring (what a methods page shows)."""
    from numpydoc.docscrape import NumpyDocString

    obj = _resolve_object(target)
    if obj is None:
        raise ValueError(f"grouplab-method: {target} does not exist")
    doc = NumpyDocString(inspect.getdoc(obj) or "")
    module = getattr(obj, "__module__", "") or ""

    def qualify(m: re.Match) -> str:
        role, tilde, name = m.group(1), m.group(2), m.group(3)
        if name.startswith(ROOT_PACKAGE + "."):
            return m.group(0)
        parts = module.split(".")
        for i in range(len(parts), 0, -1):
            full = ".".join(parts[:i]) + "." + name.lstrip(".")
            if _resolve_object(full) is not None:
                return f":{role}:`{tilde}{full}`"
        return m.group(0)

    def fix(s):
        return (re.sub(r":(\w+):`(~?)([\w.]+)`", qualify, s))
    return {"summary": fix(" ".join(doc["Summary"])), "notes": fix("\n".join(doc["Notes"])),
            "refs": fix("\n".join(doc["References"]))}


from docutils.parsers.rst import Directive  # noqa: E402
from docutils.statemachine import StringList  # noqa: E402


class MethodDirective(Directive):
    """``.. grouplab-method:: grouplab.models.rate_model`` — the docstring's summary, Notes and References.

    The formula, assumptions and references on the methods pages are read from the docstring at
    build time, so the page cannot drift from the code; the page's own text adds the level of
    inference and what the method does not show, in the page's language.
    """

    required_arguments = 1
    has_content = False

    def run(self):
        from docutils import nodes

        target = self.arguments[0]
        env = self.state.document.settings.env
        words = SECTION_TITLES["zh" if str(env.config.language).startswith("zh") else "en"]
        try:
            sec = method_sections(target)
        except ValueError as err:
            return [self.state.document.reporter.warning(str(err), line=self.lineno)]
        lines = [f"**{words['api']}** :py:func:`{target}` — {sec['summary']}", ""]
        lines += [f".. rubric:: {words['notes']}", ""]
        lines += (sec["notes"].splitlines() or [words["none"]]) + [""]
        if sec["refs"]:
            lines += [f".. rubric:: {words['refs']}", "", *sec["refs"].splitlines(), ""]
        box = nodes.container(classes=["grouplab-method"])
        self.state.nested_parse(StringList(lines, source=f"docstring of {target}"), self.content_offset, box)
        return [box]


CODEBOOK_WORDS = {
    "zh": {"key": "主键", "col": "列", "label": "名称", "type": "类型", "req": "必填", "rule": "取值",
           "alias": "可用的表头", "yes": "是", "no": ""},
    "en": {"key": "Key", "col": "column", "label": "label", "type": "type", "req": "required",
           "rule": "values", "alias": "headers accepted", "yes": "yes", "no": ""},
}


class CodebookDirective(Directive):
    """``.. grouplab-codebook::`` — every table and column of the codebook, read at build time."""

    has_content = False

    def run(self):
        import grouplab

        env = self.state.document.settings.env
        lang = "zh" if str(env.config.language).startswith("zh") else "en"
        w = CODEBOOK_WORDS[lang]
        lines: list[str] = []

        def cell(s) -> str:
            return str(s).replace("|", "/").replace("\n", " ") if s not in (None, "") else ""

        for name, spec in grouplab.codebook().items():
            title = f"``{name}`` — {getattr(spec, lang) or name}"
            lines += [f".. rubric:: {title}", "", f"{w['key']}: ``{', '.join(spec.key)}``", "",
                      ".. list-table::", "   :header-rows: 1", "", f"   * - {w['col']}",
                      *(f"     - {w[k]}" for k in ("label", "type", "req", "rule", "alias"))]
            for col in spec.columns.values():
                rule = []
                if col.allowed:
                    rule.append(", ".join(map(str, col.allowed)))
                if col.range:
                    rule.append(f"{col.range[0]} … {col.range[1]}")
                if col.unit:
                    rule.append(str(col.unit))
                if col.references:
                    rule.append(f"→ {col.references}")
                alias = ", ".join(a for a in col.aliases if a != col.name)
                req = w["yes"] if col.required else w["no"]
                lines += [f"   * - ``{col.name}``", f"     - {cell(getattr(col, lang))}",
                          f"     - {col.dtype}", f"     - {req}", f"     - {cell('; '.join(rule))}",
                          f"     - {cell(alias)}"]
            lines.append("")
        from docutils import nodes

        box = nodes.container(classes=["grouplab-codebook"])
        self.state.nested_parse(StringList(lines, source="grouplab codebook"), self.content_offset, box)
        return [box]

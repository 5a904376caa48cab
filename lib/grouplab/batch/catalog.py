"""Which reports a dataset supports, and what each other report lacks.

Every report notebook names its package (``metadata.grouplab.report``); the
package declares ``REQUIRED`` (tables and specs of the manifest it cannot do
without) and optionally ``KINDS`` (activity kinds it judges). Nothing here lists
reports or tables by hand: :func:`report_catalog` reads the notebooks,
:func:`support` compares their needs with what a dataset holds, and the table
descriptions come from the codebook.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from grouplab.batch.plan import notebook_report, notebook_report_name
from grouplab.data.codebook import codebook
from grouplab.data.notes import LANGS
from grouplab.errors import ParameterError

__all__ = ["ReportInfo", "report_catalog", "find_report", "support", "support_text", "on_hand", "on_hand_of"]

_SPECS = {"rubric": {"en": "an evaluation rubric (rubric:)", "zh": "考评细则（rubric:）"},
          "questionnaire": {"en": "a questionnaire spec (questionnaire:)",
                             "zh": "问卷说明（questionnaire:）"},
          "catalogue": {"en": "an indicator catalogue (catalogue:)", "zh": "指标目录（catalogue:）"}}
_TEXT = {
    "head": {"en": "Reports this data supports:", "zh": "这些数据可以生成的报告："},
    "none": {"en": "  (none yet)", "zh": "  （暂无）"},
    "lacks": {"en": "Reports it does not support yet:", "zh": "暂不能生成的报告："},
    "needs": {"en": "needs", "zh": "缺少"},
    "broken": {"en": "{table} (has problems, see above)", "zh": "{table}（有问题，见上文）"},
    "kinds": {"en": "activities of a kind it judges ({kinds})",
              "zh": "其所评判类型的组织生活记录（{kinds}）"},
    "blocked": {"en": "No report runs until the problems above are fixed (a report reads the whole dataset); "
                      "then, with these tables:",
                "zh": "先改正上面的问题，任何报告才能生成（报告读取整个数据集）；改正后按现有的表："},
    "run": {"en": "  e.g. grouplab report {number} --data {folder}",
            "zh": "  例如：grouplab report {number} --data {folder}"},
}


@dataclass(frozen=True)
class ReportInfo:
    """One report notebook: number (``02``), stem, package name, title per language, needs.

    The package itself (:attr:`package`) is imported when first asked for: its title and needs are read
    from its source, so ``grouplab validate`` and ``init`` list the reports without importing their
    statistics (scipy, statsmodels …).
    """

    number: str
    stem: str
    notebook: Path
    module: str
    title: dict
    required: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def short(self) -> str:
        """The stem without its number (``group_scorecard``)."""
        return self.stem.split("_", 1)[1] if "_" in self.stem else self.stem

    @cached_property
    def package(self) -> object:
        """The report package, imported (ParameterError when it does not import)."""
        return notebook_report(self.notebook)


#: What the catalog reads of a report package, and the package's modules it may be written in
_FACTS, _FACT_FILES = ("TITLE", "REQUIRED", "KINDS"), ("__init__.py", "context.py")


def _value(node: ast.expr, tree: ast.Module):
    """A literal, or ``tuple(NAME)`` of a NAME imported from a module outside the reports (its value)."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        pass
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tuple"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and not node.keywords):
        name = node.args[0].id
        for imp in tree.body:
            if (isinstance(imp, ast.ImportFrom) and imp.module and not imp.level
                    and not imp.module.startswith("grouplab.reports")
                    and any(a.name == name and a.asname is None for a in imp.names)):
                return tuple(getattr(importlib.import_module(imp.module), name))
    raise ValueError(ast.dump(node))


def _facts_of(module: str) -> dict | None:
    """``TITLE``, ``REQUIRED``, ``KINDS`` of a report package read from its source; None when one of them
    is not written as a value this can read (then the package is imported)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder, out = Path(next(iter(spec.submodule_search_locations))), {}
    for file in _FACT_FILES:
        path = folder / file
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for stmt in tree.body:
            target = (stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else
                      stmt.target if isinstance(stmt, ast.AnnAssign) and stmt.value is not None else None)
            if isinstance(target, ast.Name) and target.id in _FACTS and target.id not in out:
                try:
                    out[target.id] = _value(stmt.value, tree)
                except ValueError:
                    return None
    return out


def _report_info(nb: Path) -> ReportInfo | None:
    """The catalog entry of one notebook (None when it is not a report)."""
    module = notebook_report_name(nb)
    if not module:
        return None
    facts = _facts_of(str(module))
    if facts is None:  # not readable from the source: what the imported package says
        pkg = notebook_report(nb)
        facts = {k: getattr(pkg, k, None) for k in _FACTS}
    title = dict(facts.get("TITLE") or {}) or _headings(nb)
    return ReportInfo(nb.stem[:2], nb.stem, nb, str(module), title, tuple(facts.get("REQUIRED") or ()),
                      tuple(facts.get("KINDS") or ()))


def report_catalog(folder: str | Path | None = None) -> list[ReportInfo]:
    """Every report notebook (``NN_*.ipynb`` naming its report package) of ``folder`` (default: the kit's
    notebooks) and its needs.

    Returns
    -------
    list of ReportInfo
        In notebook order.
    """
    from grouplab.paths import notebooks_dir

    folder = Path(folder) if folder else notebooks_dir()
    out = []
    for nb in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        info = _report_info(nb)
        if info is not None:  # else not a report (00_start_here, the first-hour tour)
            out.append(info)
    return out


def _headings(nb: Path) -> dict:
    """First level-1 heading of the cells tagged ``lang-zh`` / ``lang-en`` (the stem if none)."""
    import json

    out = {}
    for cell in json.loads(nb.read_text(encoding="utf-8")).get("cells", []):
        src = "".join(cell.get("source") or [])
        for lang in LANGS:
            if f"lang-{lang}" in cell.get("metadata", {}).get("tags", []) and lang not in out:
                head = next((ln[2:].strip() for ln in src.splitlines() if ln.startswith("# ")), None)
                if head:
                    out[lang] = re.sub(r"^\d+\s*[·.、:]\s*", "", head)
    plain = nb.stem[3:].replace("_", " ")
    return {"zh": out.get("zh", plain), "en": out.get("en", plain)}


def find_report(name: str, catalog: list[ReportInfo] | None = None) -> ReportInfo:
    """The report named by its number (``02``, ``2``), notebook stem (``02_group_scorecard``), the stem
    without its number (``group_scorecard``), a word of it (``scorecard``) or its package (``scorecard``).

    Raises
    ------
    ParameterError
        No report, or several, answer to the name; the message lists them all.
    """
    catalog = catalog if catalog is not None else report_catalog()
    key = str(name).strip().removesuffix(".ipynb").lower()
    tests = (lambda r: r.number == key.zfill(2) if key.isdigit() else False,
             lambda r: key in (r.stem.lower(), r.short.lower()),
             lambda r: key == r.module.rsplit(".", 1)[-1],
             lambda r: key in r.short.lower().split("_"))
    for test in tests:
        hits = [r for r in catalog if test(r)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            break
    listing = ", ".join(f"{r.number} ({r.stem})" for r in catalog)
    if hits:
        raise ParameterError(f"report {name!r} matches {len(hits)} reports "
                             f"({', '.join(r.stem for r in hits)}); choose one of {listing}")
    raise ParameterError(f"no report {name!r}; choose one of {listing}")


def on_hand(tables: dict, specs: dict, broken: set[str] = frozenset()) -> dict:
    """What a dataset holds for :func:`support`: tables with rows, specs named, kinds of activities.

    Parameters
    ----------
    tables : mapping
        Table name -> DataFrame (as loaded; those with problems left out).
    specs : mapping
        ``rubric`` / ``questionnaire`` / ``catalogue`` -> spec or None.
    broken : set of str
        Tables named in the manifest that have problems.

    Returns
    -------
    dict
        ``have`` (set of table and spec names), ``kinds`` (set of activity kinds), ``broken``.
    """
    have = {t for t, df in tables.items() if df is not None and len(df)} | {k for k, v in specs.items() if v}
    kinds = set()
    act = tables.get("activities")
    if act is not None and "kind" in act:
        kinds = {str(k) for k in act["kind"].dropna().unique()}
    return {"have": have - set(broken), "kinds": kinds, "broken": set(broken)}


def on_hand_of(folder: str | Path) -> tuple[dict, list]:
    """:func:`on_hand` of a dataset folder, and its problems (a table with a problem counts as broken).

    Returns
    -------
    data : dict
        As :func:`on_hand`; ``kinds`` is None when the activities could not be loaded.
    problems : list of Problem
        Every problem :func:`~grouplab.data.dataset.load_dataset` found (empty when valid).
    """
    from grouplab.data.dataset import load_dataset
    from grouplab.data.manifest import table_entries
    from grouplab.data.specs import read_yaml
    from grouplab.errors import DataError
    from grouplab.paths import MANIFEST

    try:
        ds = load_dataset(folder)
    except DataError as err:
        manifest_path = Path(folder) / MANIFEST
        manifest = read_yaml(manifest_path) if manifest_path.is_file() else {}
        entries = table_entries(manifest, [])
        owner = {}
        for table, entry in entries.items():
            files = [s["file"] for s in entry.get("sources", [])] + [
                str(f) for f in (entry.get("files") or {}).values()] if entry["layout"] == "export" else [
                s["file"] for s in entry.get("sources", [])]
            for f in files:
                owner[Path(str(f)).name] = table
        for key in _SPECS:
            if manifest.get(key):
                owner[Path(str(manifest[key])).name] = key
        broken = {owner.get(Path(str(p.file).split("[")[0]).name, "") for p in err.problems} - {""}
        named = set(entries) | {k for k in _SPECS if manifest.get(k)}
        if "groups" in entries and "units" not in entries:  # a roster's units are made from its names
            named.add("units")
        return {"have": named - broken, "kinds": None, "broken": broken}, list(err.problems)
    specs = {"rubric": ds.rubric, "questionnaire": ds.questionnaire, "catalogue": ds.catalogue}
    tables = dict(ds.tables)
    if "minutes" not in tables:  # minutes.csv beside dataset.yml is read without an entry
        from grouplab.data.minutes.workbook import minutes_source

        try:
            tables["minutes"] = minutes_source(folder)[0]
        except DataError:
            pass
    return on_hand(tables, specs), []


def support(data: dict, catalog: list[ReportInfo] | None = None) -> list[tuple[ReportInfo, list[dict]]]:
    """Each report and what it lacks (empty list: the data supports it).

    Parameters
    ----------
    data : dict
        From :func:`on_hand`.

    Returns
    -------
    list of (ReportInfo, list of dict)
        Each lack is ``{"need": table or spec name, "why": "missing"|"broken"|"kinds"}``.
    """
    catalog = catalog if catalog is not None else report_catalog()
    out = []
    for r in catalog:
        lacks = []
        for need in r.required:
            if need not in data["have"]:
                lacks.append({"need": need, "why": "broken" if need in data["broken"] else "missing"})
        if (r.kinds and "activities" in data["have"] and data["kinds"] is not None
                and not set(r.kinds) & data["kinds"]):
            lacks.append({"need": "activities", "why": "kinds", "kinds": r.kinds})
        out.append((r, lacks))
    return out


def _need_text(lack: dict, lang: str) -> str:
    need = lack["need"]
    if need in _SPECS:
        return _SPECS[need][lang]
    spec = codebook()[need]
    text = spec.about.get(lang) or (spec.zh if lang == "zh" else spec.en.lower())
    if lack["why"] == "broken":
        return _TEXT["broken"][lang].format(table=text)
    if lack["why"] == "kinds":
        labels = codebook()["activities"].columns["kind"].allowed or {}
        kinds = "、".join(labels[k] for k in lack["kinds"]) if lang == "zh" else ", ".join(lack["kinds"])
        return _TEXT["kinds"][lang].format(kinds=kinds)
    return text


def support_text(rows: list[tuple[ReportInfo, list[dict]]], lang: str = "en", folder: str = "FOLDER", *,
                 blocked: bool = False) -> str:
    """The "reports this data supports" summary in ``lang``.

    ``blocked``: the dataset has problems, so no report runs yet; the summary says so first.

    Returns
    -------
    str
        Lines: the supported reports (number, title), then each other report with what it needs.
    """
    ok = [r for r, lacks in rows if not lacks]
    lines = [_TEXT["blocked"][lang]] if blocked else []
    lines.append(_TEXT["head"][lang])
    lines += [f"  {r.number} {r.title.get(lang, r.stem)}" for r in ok] or [_TEXT["none"][lang]]
    if ok and not blocked:
        example = next((r for r in ok if r.required), ok[0])
        lines.append(_TEXT["run"][lang].format(number=example.number, folder=folder))
    rest = [(r, lacks) for r, lacks in rows if lacks]
    if rest:
        lines.append(_TEXT["lacks"][lang])
        sep = "；" if lang == "zh" else "; "
        for r, lacks in rest:
            colon = "：" if lang == "zh" else ": "
            lines.append(f"  {r.number} {r.title.get(lang, r.stem)} — {_TEXT['needs'][lang]}{colon}"
                         + sep.join(_need_text(lk, lang) for lk in lacks))
    return "\n".join(lines)

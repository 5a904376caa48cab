"""The package's layering, module size and function length (ARCHITECTURE.md).

Walks ``lib/grouplab`` with ``ast``: an import of a higher layer, an import cycle between modules, a
module over 500 lines or a function over 60 lines of code (docstrings and blank lines not counted) fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "lib" / "grouplab"
BASE = {"errors", "paths", "_version", "__init__"}
RANK = {"base": 0, "data": 1, "synth": 2, "measures": 2, "models": 3, "reports": 4, "batch": 5, "cli": 6}
# who may import whom, beyond "anything of a lower rank"; synth sits beside measures but must not use it
FORBIDDEN = {("synth", "measures"), ("measures", "synth"), ("models", "synth"), ("reports", "synth"),
             ("batch", "synth")}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# pure text templates, exempt from the function-length rule (the issue allows them)
TEMPLATES = {("synth/readme.py", "readme_text")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        out[".".join(["grouplab", *parts])] = path
    return out


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in BASE:
        return "base"
    return parts[1] if parts[1] in RANK else "cli"


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("grouplab"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("grouplab"))
    return {m for m in found if m in known}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: _imports(m, p, set(mods)) for m, p in mods.items()}


def _upward(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in graph.items():
        lm = _layer(mod)
        for dep in deps:
            ld = _layer(dep)
            if mod == "grouplab" or lm == ld:
                continue
            if RANK[ld] > RANK[lm] or (lm, ld) in FORBIDDEN or (RANK[ld] == RANK[lm]):
                bad.append(f"{mod} ({lm}) imports {dep} ({ld})")
    return bad


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def _code_lines(node: ast.AST, source_lines: list[str]) -> int:
    """Lines of code of a function: no blank lines, no comment-only lines, no docstring."""
    body = node.body
    skip = set()
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    n = 0
    for i in range(node.lineno, node.end_lineno + 1):
        text = source_lines[i - 1].strip()
        if i in skip or not text or text.startswith("#"):
            continue
        n += 1
    return n


def _long_functions() -> list[str]:
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_function and (rel, node.name) not in TEMPLATES:
                n = _code_lines(node, lines)
                if n > MAX_FUNCTION_LINES:
                    bad.append(f"{rel}:{node.lineno} {node.name}: {n} lines of code")
    return bad


def test_no_upward_import_between_layers():
    assert _upward(_graph()) == []


def test_no_import_cycle_between_modules():
    assert _cycles(_graph()) == []


def test_no_module_over_500_lines():
    long = [f"{p.relative_to(PKG)}: {n}" for p in sorted(PKG.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert long == []


def test_no_function_over_60_lines_of_code():
    assert _long_functions() == []


def test_no_import_of_another_modules_private_name():
    bad = []
    mods = _modules()
    for mod, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("grouplab"):
                if node.module == mod:
                    continue
                bad += [f"{mod} imports {node.module}.{a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")]
    assert bad == []


# --- the checks themselves can fail: a control on synthetic trees -------------------------------------------


def test_checks_catch_an_upward_import_and_a_cycle():
    graph = {"grouplab.data.x": {"grouplab.reports.y"}, "grouplab.reports.y": {"grouplab.data.x"}}
    assert _upward(graph) == ["grouplab.data.x (data) imports grouplab.reports.y (reports)"]
    assert _cycles(graph) == [["grouplab.data.x", "grouplab.reports.y"]]


def test_function_length_counts_code_not_docstrings():
    src = 'def f():\n    """doc\n\n    more doc\n    """\n    # comment\n\n    a = 1\n    return a\n'
    node = ast.parse(src).body[0]
    assert _code_lines(node, src.splitlines()) == 3  # def line, a = 1, return a


@pytest.mark.parametrize("layer, rank", sorted(RANK.items()))
def test_every_layer_is_a_folder(layer, rank):
    assert layer in ("base", "cli") or (PKG / layer).is_dir()


# --- the data layer by pipeline, tests named after what they test -------------------------------------------

#: data/ modules shared by every pipeline; everything else lives in readers/ (file formats), ledgers/ (wide
#: ledger sheets), surveys/ (survey platform exports), minutes/ (meeting records and their hand coding) or
#: recognise/ (what each file of a folder holds, for grouplab init)
DATA_SHARED = {"dataset", "loadstate", "tidy", "codebook", "schema", "checks", "specs", "periods", "manifest",
               "cache", "demo", "explain", "notes", "places", "problems", "display", "results"}
DATA_PACKAGES = {"readers", "ledgers", "surveys", "minutes", "recognise"}
#: test files named after a feature that spans modules, not after one module
TEST_FEATURES = {
    "architecture", "environment",                       # the house rules and the pinned environment
    "docs_site",                                         # the documentation site's sources (docs/)
    "bad_inputs", "fuzz", "realdata",                    # input corpora through every reader
    "ledger_counts", "ledger_examples", "ledger_fuzz", "ledger_xls",  # the ledger pipeline end to end
    "schema_at_scale", "models_at_scale",                # behaviour at company scale
    "models_defects",                                    # regression cases across model families
    "disclosure_attacks",                                # attacks on every pair of published tables
    "benchmark_report", "safety_reports", "orglife_notebook", "notebooks_04_05", "report_tables",
    "orglife_synth", "dask_cluster", "interrupted", "language",
}
TESTS = PKG.parents[1] / "tests"


def _stray_data_modules(pkg: Path) -> list[str]:
    data = pkg / "data"
    return sorted(p.name for p in data.iterdir()
                  if (p.suffix == ".py" and p.stem not in DATA_SHARED | {"__init__"})
                  or (p.is_dir() and p.name not in DATA_PACKAGES | {"__pycache__"}))


def _misnamed_tests(tests: Path, pkg: Path) -> list[str]:
    names = {p.stem for p in pkg.rglob("*.py")} | {p.name for p in pkg.rglob("*") if p.is_dir()}
    return sorted(str(t.relative_to(tests)) for t in tests.rglob("test_*.py")
                  if t.stem[5:] not in names | TEST_FEATURES)


def test_data_modules_live_in_their_pipeline_package():
    assert _stray_data_modules(PKG) == []


def test_test_files_are_named_after_a_module_or_feature():
    assert _misnamed_tests(TESTS, PKG) == []


# --- problems are codes: code reacts to p.code, never to the English wording in p.rule --------------------


def _is_rule(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "rule"


def _rule_branches(source: str, name: str = "<src>") -> list[str]:
    """Comparisons (==, !=, in, startswith, re.search/match) and ``match`` statements on an ``x.rule``."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        hit = False
        if isinstance(node, ast.Compare):
            hit = any(_is_rule(n) for n in [node.left, *node.comparators])
        elif isinstance(node, ast.Match):
            hit = _is_rule(node.subject)
        elif isinstance(node, ast.Call):
            f = node.func
            text_method = isinstance(f, ast.Attribute) and f.attr in (
                "startswith", "endswith", "find", "count", "index", "replace", "split")
            hit = (text_method and _is_rule(f.value)) or (
                isinstance(f, ast.Attribute) and f.attr in ("search", "match", "fullmatch", "findall", "sub")
                and any(_is_rule(a) for a in node.args))
        if hit:
            bad.append(f"{name}:{node.lineno}")
    return bad


def test_no_branch_on_problem_rule_text():
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        bad += _rule_branches(path.read_text(encoding="utf-8"), str(path.relative_to(PKG)))
    assert bad == []


def test_rule_check_catches_comparisons_regexes_and_match():
    src = ('if p.rule == "required column is missing": pass\n'
           'm = re.search(r"same as row (\\d+)", p.rule)\n'
           'if "x" in p.rule: pass\n'
           'match p.rule:\n    case "a": pass\n'
           'if p.code == "missing_column": pass\n'
           'text = p.rule\n')
    assert sorted(_rule_branches(src)) == ["<src>:1", "<src>:2", "<src>:3", "<src>:4"]


def test_layout_checks_catch_a_stray_module_and_a_history_named_test(tmp_path):
    pkg = tmp_path / "grouplab"
    (pkg / "data" / "ledgers").mkdir(parents=True)
    for f in ("data/dataset.py", "data/melt.py", "data/ledgers/wide.py"):
        (pkg / f).write_text("")
    (tmp_path / "tests").mkdir()
    for f in ("test_wide.py", "test_issue_22.py"):
        (tmp_path / "tests" / f).write_text("")
    assert _stray_data_modules(pkg) == ["melt.py"]
    assert _misnamed_tests(tmp_path / "tests", pkg) == ["test_issue_22.py"]


# --- every problem has a code: a Problem names its code, a DataError is given problems, not prose -----------


def _call_name(node: ast.Call) -> str | None:
    return getattr(node.func, "id", getattr(node.func, "attr", None))


def _is_text(node: ast.AST) -> bool:
    """A string expression: a literal, an f-string, ``"..." + x``, ``"..." % x`` or a slice of one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Subscript):
        return _is_text(node.value)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format" and _is_text(node.func.value))


def _uncoded_problems(source: str, name: str = "<src>") -> list[str]:
    """``Problem(...)`` without a non-empty ``code=``, and ``DataError(...)`` given text instead of problems
    (a string, or the ``file=``/``hint=``/``code=`` keywords that only go with a string)."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = _call_name(node)
        if called == "Problem":
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if code is None or (isinstance(code, ast.Constant) and not code.value):
                bad.append(f"{name}:{node.lineno}: Problem without a code")
        elif called == "DataError":
            text = not node.args or _is_text(node.args[0]) or any(
                k.arg in ("file", "hint", "code") for k in node.keywords)
            if text:
                bad.append(f"{name}:{node.lineno}: DataError given text, not problems")
    return bad


def test_every_problem_has_a_code_and_every_data_error_is_given_problems():
    """So ``validate --lang zh`` and ``DataError.to_frame()`` word every problem from problems.yml."""
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        bad += _uncoded_problems(path.read_text(encoding="utf-8"), str(path.relative_to(PKG)))
    assert bad == []


def test_problem_code_check_catches_prose_problems_and_bare_data_errors():
    src = ('Problem("f.csv", 2, "c", "must be >= 1", 0)\n'                     # 1: no code
           'Problem("f.csv", 2, "c", "must be >= 1", code="")\n'               # 2: empty code
           'raise DataError("no such file", file="x")\n'                       # 3: text
           'raise DataError(f"{what}: not dates")\n'                           # 4: f-string
           'raise DataError("cannot read " + name)\n'                          # 5: concatenated text
           'raise DataError(f"bad ({exc})"[:200], file=F)\n'                    # 6: a slice of text
           'raise DataError(message, file="x", hint="y")\n'                    # 7: text in a variable
           'Problem("f.csv", 2, "c", "x", code="not_whole", values={})\n'      # coded: fine
           'raise DataError([problem("not_whole", "f.csv", 2, "c")])\n'        # given problems: fine
           'raise DataError(problems)\n')                                      # fine
    assert [b.split(":")[1] for b in _uncoded_problems(src)] == ["1", "2", "3", "4", "5", "6", "7"]

"""environment.yml and pyproject.toml must list the same dependencies and lower bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge package names that differ from PyPI names
CONDA_TO_PYPI: dict[str, str] = {}


def _parse(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = dict(_parse(r) for r in project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        py.update(_parse(r) for r in extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: dict[str, str] = {}
    pip_lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += dep.get("pip", [])
            continue
        name, spec = _parse(dep)
        if name in ("python", "pip"):
            continue
        conda[CONDA_TO_PYPI.get(name, name)] = spec
    for line in pip_lines:
        if line.split("#")[0].strip() == "-e .":
            continue
        name, spec = _parse(line.split("#")[0])
        conda[name] = spec
    assert "-e ." in [p.strip() for p in pip_lines], "environment.yml must install grouplab with pip -e ."
    assert conda == py, (
        f"only in environment.yml: {sorted(set(conda) - set(py))}; "
        f"only in pyproject: {sorted(set(py) - set(conda))}; "
        f"bounds differ: {sorted(k for k in set(conda) & set(py) if conda[k] != py[k])}"
    )

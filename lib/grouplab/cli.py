"""The ``grouplab`` command (a thin layer over library functions)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError

DEMO_NOTEBOOKS = ["01_data_quality.ipynb"]


def _demo(args) -> int:
    from .datasets import load_demo
    from .paths import notebooks_dir, reports_dir
    from .runner import execute_notebook

    ds = load_demo()
    print(f"demo data valid: {ds!r}")
    out_dir = Path(args.out) if args.out else reports_dir() / "demo"
    for name in DEMO_NOTEBOOKS:
        res = execute_notebook(notebooks_dir() / name, out_dir / name,
                               parameters={"data_dir": "demo"})
        print(f"report: {res['html']}  ({res['seconds']:.1f} s)")
    return 0


def _refresh(args) -> int:
    """Re-execute notebooks in place with their default parameters (stored outputs follow the library)."""
    import papermill as pm

    from .runner import KERNEL

    paths = sorted(Path(args.folder).glob("[0-9][0-9]_*.ipynb"))
    for nb in paths:
        pm.execute_notebook(str(nb), str(nb), kernel_name=KERNEL, cwd=str(nb.parent),
                            progress_bar=False)
        print(f"refreshed {nb}")
    return 0


def _validate(args) -> int:
    from .io import load_dataset

    ds = load_dataset(args.path)
    print(f"valid: {ds!r}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grouplab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="validate the demo data and write the demo reports")
    p.add_argument("--out", help="output folder (default reports/demo)")
    p.set_defaults(func=_demo)
    p = sub.add_parser("refresh-notebooks", help="re-execute notebooks in place")
    p.add_argument("folder", nargs="?", default="notebooks")
    p.set_defaults(func=_refresh)
    p = sub.add_parser("validate", help="load and validate a dataset folder")
    p.add_argument("path")
    p.set_defaults(func=_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as err:
        print(f"grouplab: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

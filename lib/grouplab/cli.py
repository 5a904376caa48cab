"""The ``grouplab`` command (a thin layer over library functions)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grouplab.errors import DataError, GroupLabError

#: ``grouplab validate`` lists at most this many problems of one file (``--problems`` has all).
PER_FILE = 200


def _batch(args) -> int:
    from grouplab.batch.runner import run

    executor = client = None
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)
        executor = client.get_executor()
    try:
        manifest = run(args.config, out=args.out, jobs=args.jobs, executor=executor,
                       force=args.force, timeout=args.timeout, progress=not args.quiet,
                       formats=args.formats, verbose=args.verbose, lang=args.lang)
    finally:
        if client is not None:
            client.close()
    s = manifest["summary"]
    print(f"{s['ok']} ok, {s['failed']} failed, {s['skipped']} skipped (unchanged)")
    for r in manifest["reports"]:
        if r["status"] == "failed":
            print(f"  FAILED {r['slug']}: {r.get('error', '')[:300]}", file=sys.stderr)
    print(f"index: {Path(manifest['out']) / 'index.html'}")
    print(f"overview: {Path(manifest['out']) / 'overview.html'}")
    return 1 if s["failed"] else 0


def _demo(args) -> int:
    from grouplab.paths import demo_dir

    args.config = str(demo_dir() / "reports.yml")
    return _batch(args)


def _refresh(args) -> int:
    """Re-execute notebooks in place with their default parameters (stored outputs follow the library).

    ``folder`` is a folder (every ``NN_*.ipynb`` in it) or one notebook.
    """
    from grouplab.batch.execute import execute_notebook

    target = Path(args.folder)
    paths = [target] if target.suffix == ".ipynb" else sorted(target.glob("[0-9][0-9]_*.ipynb"))
    for nb in paths:
        execute_notebook(nb, nb, formats=(), cwd=nb.parent, verbose=args.verbose, print_figures=False)
        print(f"refreshed {nb}")
    return 0


def _validate(args) -> int:
    from grouplab.data.dataset import inspect_dataset, load_dataset
    from grouplab.data.problems import problems_frame, problems_text

    if not args.explain:
        try:
            ds = load_dataset(args.path)
        except DataError as err:
            if args.problems:  # every problem, not just the listed ones
                problems_frame(err.problems, args.lang).to_csv(args.problems, index=False,
                                                               encoding="utf-8-sig")
                print(f"all {len(err.problems)} problems written to {args.problems}", file=sys.stderr)
            print(f"grouplab: {_listing(err, args.problems, args.lang)}", file=sys.stderr)
            return 2
        print(f"valid: {ds!r}")
        return 0
    from grouplab.data.explain import explain_text

    reading, problems = inspect_dataset(args.path)
    print(explain_text(reading, lang=args.lang))
    if problems:
        print(f"grouplab: {problems_text(problems, args.lang)}", file=sys.stderr)
        return 2
    print("valid")
    return 0


def _listing(err: DataError, written: str | None, lang: str = "en") -> str:
    """Every problem of ``err`` in ``lang``, at most ``PER_FILE`` per file, with a count of the rest."""
    from grouplab.data.problems import problems_text

    if lang == "zh":
        rest = f"全部见 {written}" if written else "用 --problems FILE.csv 把全部问题写成表"
    else:
        rest = (f"all are in {written}" if written else
                "write every problem to a table with --problems FILE.csv")
    return problems_text(err.problems, lang, per_file=PER_FILE, rest=rest)


def _draft_spec(args) -> int:
    """Draft a commented questionnaire spec from one or more exports."""
    from grouplab.data.surveys.draft_spec import draft_spec, write_spec

    spec = draft_spec(*args.exports, platform=args.platform)
    out = write_spec(spec, args.output)
    print(f"wrote {out}: {len(spec['questions'])} questions, {len(spec['scales'])} proposed "
          f"scale(s), {len(spec['attributes'])} attribute(s); check it before use")
    return 0


def _minutes_sample(args) -> int:
    """A blind coding workbook: a stratified random sample of records, one sheet per coder."""
    from grouplab.data.minutes.workbook import minutes_source, write_coding_workbook
    from grouplab.measures.coding import sample_for_coding
    from grouplab.measures.minutes import load_meeting_codebook

    minutes, groups = minutes_source(args.source)
    sample = sample_for_coding(minutes, n=args.n, groups=groups, seed=args.seed)
    codes = load_meeting_codebook(args.codebook).codes
    out = write_coding_workbook(args.output, sample, codes, coders=args.coders)
    print(f"wrote {out}: {len(sample)} of {len(minutes)} records in {sample['stratum'].nunique()} strata "
          f"(unit × year), {args.coders} coder sheets; each coder fills only their sheet")
    return 0


def _minutes_agreement(args) -> int:
    """Agreement per code, the disagreements, and the machine coder against the adjudicated codes."""
    import pandas as pd

    from grouplab.data.minutes.workbook import read_coding_workbook
    from grouplab.measures.coding import agreement_report

    rep = agreement_report(read_coding_workbook(args.workbook), codebook=args.codebook,
                           n_boot=args.boot, seed=args.seed)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.precision", 3):
        print("Agreement between coders (Krippendorff's alpha, nominal; Cohen's kappa of the first two;"
              f" 95% bootstrap CIs over records, {args.boot} resamples)")
        print(rep["agreement"].to_string(index=False))
        print(f"\nDisagreements to adjudicate: {len(rep['disagreements'])}")
        if len(rep["disagreements"]):
            print(rep["disagreements"].to_string(index=False))
        print("\nMachine coder against the " + str(rep["machine"]["reference"].iloc[0]) + " codes")
        print(rep["machine"].to_string(index=False))
    print("\nVerdict (Krippendorff 2004): alpha >= .800 rely; .667-.800 tentative; "
          "below: revise the codebook")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grouplab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, hlp in (("batch", _batch, "run a batch of reports from a YAML config"),
                            ("demo", _demo, "run the demo batch (data/demo/reports.yml)")):
        p = sub.add_parser(name, help=hlp)
        if name == "batch":
            p.add_argument("config", help="batch config (YAML)")
        p.add_argument("--out", help="output folder (overrides the config)")
        p.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
        p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
        p.add_argument("--force", action="store_true", help="rerun reports even if unchanged")
        p.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--formats", default="html,docx,xlsx",
                       help="exports to write, comma-separated: html,docx,xlsx (default: all three)")
        p.add_argument("--verbose", action="store_true", help="show kernel and papermill log lines")
        p.add_argument("--lang", choices=("zh", "en"), help="every report and the index in this language")
        p.set_defaults(func=func)
    p = sub.add_parser("refresh-notebooks", help="re-execute notebooks in place")
    p.add_argument("folder", nargs="?", default="notebooks", help="folder of notebooks, or one notebook")
    p.add_argument("--verbose", action="store_true", help="show kernel and papermill log lines")
    p.set_defaults(func=_refresh)
    p = sub.add_parser("validate", help="load and validate a dataset folder")
    p.add_argument("path")
    p.add_argument("--explain", action="store_true",
                   help="show how each table was read: header rows, skipped rows, matched columns")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of the problems and of --explain (en or zh)")
    p.add_argument("--problems", metavar="CSV", help="write every problem found to this CSV file")
    p.set_defaults(func=_validate)
    p = sub.add_parser("draft-spec", help="draft a questionnaire spec (YAML) from survey exports")
    p.add_argument("exports", nargs="+", help="export files of one questionnaire (按序号 and/or 按文本)")
    p.add_argument("-o", "--output", default="questionnaire.yml", help="spec file to write")
    p.add_argument("--platform", default="auto",
                   help="auto, wjx, tencent, jinshuju, wenjuanwang or plain")
    p.set_defaults(func=_draft_spec)
    _minutes_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GroupLabError as err:  # bad data, bad options, output folder busy or full: a message
        print(f"grouplab: {err}", file=sys.stderr)
        return 2


def _minutes_parser(sub) -> None:
    m = sub.add_parser("minutes", help="code meeting minutes by hand: sample, then agreement")
    msub = m.add_subparsers(dest="minutes_command", required=True)
    p = msub.add_parser("sample", help="write a blind coding workbook from a sample of minutes")
    p.add_argument("source", help="dataset folder (with minutes), folder of .txt/.docx minutes, or a sheet")
    p.add_argument("-n", type=int, default=60, help="records to sample (default 60)")
    p.add_argument("--coders", type=int, default=2, help="coder sheets (default 2)")
    p.add_argument("-o", "--output", default="minutes_coding.xlsx", help="workbook to write")
    p.add_argument("--seed", type=int, default=0, help="seed of the draw")
    p.add_argument("--codebook", help="codebook YAML (default data/rubrics/meeting_quality.yml)")
    p.set_defaults(func=_minutes_sample)
    p = msub.add_parser("agreement", help="agreement per code and the machine against adjudicated codes")
    p.add_argument("workbook", help="a coding workbook filled by the coders")
    p.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    p.add_argument("--codebook", help="codebook YAML (default data/rubrics/meeting_quality.yml)")
    p.set_defaults(func=_minutes_agreement)


if __name__ == "__main__":
    sys.exit(main())

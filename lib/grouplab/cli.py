"""The ``grouplab`` command (a thin layer over library functions)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grouplab.data.notes import LANGS
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
            _supports(args.path, args.lang)
            return 2
        print(f"valid: {ds!r}")
        _supports(args.path, args.lang)
        return 0
    from grouplab.data.explain import explain_text

    reading, problems = inspect_dataset(args.path)
    print(explain_text(reading, lang=args.lang))
    if problems:
        print(f"grouplab: {problems_text(problems, args.lang)}", file=sys.stderr)
        _supports(args.path, args.lang)
        return 2
    print("valid")
    _supports(args.path, args.lang)
    return 0


def _supports(folder: str, lang: str) -> list:
    """Print which reports the dataset supports and what each other report lacks; its problems."""
    from grouplab.batch.catalog import on_hand_of, support, support_text

    data, problems = on_hand_of(folder)
    print()
    print(support_text(support(data), lang, folder=str(folder), blocked=bool(problems)))
    return problems


_INIT = {
    "wrote": {"en": "wrote {path}", "zh": "已写出 {path}"},
    "spec": {"en": "wrote {path} (questionnaire spec for the survey exports: check it)",
             "zh": "已写出 {path}（问卷导出所用的问卷说明，请核对）"},
    "found": {"en": "Found:", "zh": "识别出："},
    "unplaced": {"en": "Not placed:", "zh": "未放入："},
    "valid": {"en": "The data loads without problems.", "zh": "数据读取无误。"},
    "problems": {"en": "{n} problem(s) when loading (first {k} below; all: grouplab validate {folder}):",
                 "zh": "读取时发现 {n} 个问题（以下为前 {k} 个；全部：grouplab validate {folder}）："},
}


def _init(args) -> int:
    """Recognise a folder's files, write dataset.yml, validate and say which reports the data supports."""
    from grouplab.batch.catalog import on_hand_of, support, support_text
    from grouplab.data.recognise import say
    from grouplab.data.recognise.draft_manifest import init_folder

    lang = args.lang
    draft = init_folder(args.folder, lang=lang, force=args.force)
    folder = Path(args.folder)
    print(_INIT["wrote"][lang].format(path=folder / "dataset.yml"))
    if draft.spec_file:
        print(_INIT["spec"][lang].format(path=folder / draft.spec_file))
    print(_INIT["found"][lang])
    for table, found in draft.placed.items():
        for f in found:
            where = f"{f.file} [{f.sheet}]" if f.sheet else f.file
            print(f"  {table}: {where} — {say(f.why, lang)}")
    if draft.unplaced:
        print(_INIT["unplaced"][lang])
        for f in draft.unplaced:
            where = f"{f.file} [{f.sheet}]" if f.sheet else f.file
            print(f"  {where} — {say(f.why, lang)}")
    data, problems = on_hand_of(folder)
    print()
    if problems:
        k = min(len(problems), 20)
        print(_INIT["problems"][lang].format(n=len(problems), k=k, folder=folder))
        for p in problems[:k]:
            print(f"  - {p}")
    else:
        print(_INIT["valid"][lang])
    print()
    print(support_text(support(data), lang, folder=str(folder), blocked=bool(problems)))
    return 0


def _report(args) -> int:
    """One report without a config file."""
    from grouplab.batch.runner import run
    from grouplab.batch.single import parse_pairs, single_config

    given = parse_pairs(args.param)
    config = single_config(args.name, args.data, given, lang=args.lang, out=args.out)
    chosen = {k: v for k, v in config["reports"][0]["parameters"].items() if k not in given and k != "lang"}
    if chosen and not args.quiet:  # values the data decided (the latest year, the only unit): say so
        print("grouplab: " + ", ".join(f"{k}={v}" for k, v in chosen.items())
              + " (from the data; give -p key=value for another)", file=sys.stderr)
    manifest = run(config, force=args.force, timeout=args.timeout, progress=not args.quiet,
                   formats=args.formats, verbose=args.verbose, pages=False)
    rec = manifest["reports"][0]
    if rec["status"] == "failed":
        print(f"grouplab: {rec['slug']} failed: {rec.get('error', '')[:600]}", file=sys.stderr)
        return 1
    out = Path(manifest["out"])
    if rec["status"] == "skipped":  # the files below are those of the last run
        print(f"grouplab: {rec['slug']} unchanged since the last run (same data, parameters and "
              "notebook): not rerun; give --force to rerun", file=sys.stderr)
    wanted = [f.strip() for f in str(args.formats or "").split(",") if f.strip()]
    for key in (*[k for k in ("html", "docx", "xlsx") if k in wanted], "ipynb"):
        if rec.get(key) and (out / rec[key]).is_file():
            print(out / rec[key])
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


def _add_init_report(sub) -> None:
    """The ``init`` and ``report`` subcommands."""
    p = sub.add_parser("init", help="recognise the files of a folder and write its dataset.yml")
    p.add_argument("folder", help="folder of the files as received (only read)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of comments and messages")
    p.add_argument("--force", action="store_true", help="replace an existing dataset.yml")
    p.set_defaults(func=_init)
    p = sub.add_parser("report", help="one report of a dataset, without a config file")
    p.add_argument("name", help="report number or name: 02, 02_group_scorecard, scorecard")
    p.add_argument("--data", required=True, help="dataset folder (with dataset.yml) or 'demo'")
    p.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                   help="a parameter, e.g. -p unit_id=变电检修工区 -p year=2019 (ids or names)")
    p.add_argument("--formats", default="html,docx,xlsx", help="exports: html,docx,xlsx (default all)")
    p.add_argument("--out", help="output folder (default reports/single/<dataset folder name>)")
    p.add_argument("--lang", choices=LANGS, help="language (default: that of the data's names)")
    p.add_argument("--force", action="store_true", help="rerun even if unchanged")
    p.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="show kernel and papermill log lines")
    p.set_defaults(func=_report)


def _minutes_sample(args) -> int:
    """A blind coding workbook: a stratified random sample of records, one sheet per coder."""
    from grouplab.data.minutes.workbook import minutes_source, write_coding_workbook
    from grouplab.measures.coding import sample_for_coding
    from grouplab.measures.minutes import load_meeting_codebook

    minutes, groups = minutes_source(args.source)
    sample = sample_for_coding(minutes, n=args.n, groups=groups, seed=args.seed)
    codes = load_meeting_codebook(args.codebook).codes
    master, *files = write_coding_workbook(args.output, sample, codes, coders=args.coders)
    print(f"wrote {master} (codebook, 裁决) and {len(files)} coder files: "
          + ", ".join(str(f) for f in files) + f"; {len(sample)} of {len(minutes)} records in "
          f"{sample['stratum'].nunique()} strata (unit × year). Give each coder only their file; put the "
          f"filled files back beside {master.name} and run: grouplab minutes agreement {master}")
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
        print("\nMachine coder against the reference codes: the coders' common code where they agree, "
              "the 裁决 (adjudication) where they did not")
        if rep["missing_adjudications"]:
            print(f"  {rep['missing_adjudications']} of {len(rep['disagreements'])} disagreements have no "
                  "裁决 yet: they are left out until adjudicated")
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
        p.add_argument("--lang", choices=LANGS, help="every report and the index in this language")
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
                   help="language of the problems, of --explain and of the reports summary (en or zh)")
    p.add_argument("--problems", metavar="CSV", help="write every problem found to this CSV file")
    p.set_defaults(func=_validate)
    _add_init_report(sub)
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

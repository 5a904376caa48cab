"""The ``grouplab`` command (a thin layer over library functions)."""

from __future__ import annotations

import argparse
import re
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


_VALIDATE = {
    "valid": {"en": "valid", "zh": "读取无误"},
    "loaded": {"en": "valid: {ds}", "zh": "读取无误：{ds}"},
    "written": {"en": "all {n} problems written to {path}", "zh": "全部 {n} 个问题已写入 {path}"},
    "unused": {"en": "{table}: columns not read: {cols} "
                     "(grouplab validate --explain shows how each was read)",
               "zh": "{table}：未使用的列：{cols}（grouplab validate --explain 列出每列如何读取）"},
}


def _dataset_path(path: str) -> Path:
    """``demo`` is the embedded demo dataset unless the working folder has a dataset called so."""
    from grouplab.paths import MANIFEST, demo_dir

    return demo_dir() if path == "demo" and not (Path(path) / MANIFEST).is_file() else Path(path)


def _unread(reading: dict, lang: str) -> list[str]:
    """One line per table whose files have headers no codebook column took."""
    sep = "、" if lang == "zh" else ", "
    out = []
    for table, sources in reading.items():
        cols = [c for src in sources for c in src.get("unused") or []]
        if cols:
            out.append(_VALIDATE["unused"][lang].format(table=table, cols=sep.join(dict.fromkeys(cols))))
    return out


def _validate(args) -> int:
    from grouplab.data.dataset import inspect_dataset, load_dataset
    from grouplab.data.problems import problems_frame, problems_text

    args.path = str(_dataset_path(args.path))
    if not args.explain:
        try:
            ds = load_dataset(args.path)
        except DataError as err:
            if args.problems:  # every problem, not just the listed ones
                problems_frame(err.problems, args.lang).to_csv(args.problems, index=False,
                                                               encoding="utf-8-sig")
                print(_VALIDATE["written"][args.lang].format(n=len(err.problems), path=args.problems),
                      file=sys.stderr)
            print(f"grouplab: {_listing(err, args.problems, args.lang)}", file=sys.stderr)
            _supports(args.path, args.lang)
            return 2
        print(_VALIDATE["loaded"][args.lang].format(ds=repr(ds)))
        for line in _unread(ds.reading, args.lang):
            print(f"  {line}")
        _supports(args.path, args.lang)
        return 0
    from grouplab.data.explain import explain_text

    reading, problems = inspect_dataset(args.path)
    print(explain_text(reading, lang=args.lang))
    if problems:
        print(f"grouplab: {problems_text(problems, args.lang)}", file=sys.stderr)
        _supports(args.path, args.lang)
        return 2
    print(_VALIDATE["valid"][args.lang])
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


_REPORT = {
    "chosen": {"en": "grouplab: {values} (from the data; give -p key=value for another)",
               "zh": "grouplab：{values}（由数据确定；要换用其他值请写 -p 键=值）"},
    "failed": {"en": "grouplab: {slug} failed: {error}", "zh": "grouplab：{slug} 未能生成：{error}"},
}
#: How papermill wraps what a report's notebook raised: the report's own message is what a user needs
_WRAPPED = re.compile(r"^PapermillExecutionError:\s*")


def _report(args) -> int:
    """One report without a config file."""
    from grouplab.batch.runner import run
    from grouplab.batch.single import parse_pairs, single_config

    given = parse_pairs(args.param)
    config = single_config(args.name, args.data, given, lang=args.lang, out=args.out)
    lang = config["lang"] if config["lang"] in LANGS else "en"
    chosen = {k: v for k, v in config["reports"][0]["parameters"].items() if k not in given and k != "lang"}
    if chosen and not args.quiet:  # values the data decided (the latest year, the only unit): say so
        print(_REPORT["chosen"][lang].format(values=", ".join(f"{k}={v}" for k, v in chosen.items())),
              file=sys.stderr)
    manifest = run(config, force=args.force, timeout=args.timeout, progress=not args.quiet,
                   formats=args.formats, verbose=args.verbose, pages=False)
    rec = manifest["reports"][0]
    if rec["status"] == "failed":
        error = _WRAPPED.sub("", str(rec.get("error", "")))[:600]
        print(_REPORT["failed"][lang].format(slug=rec["slug"], error=error), file=sys.stderr)
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


#: The ``minutes`` commands' wording (what they compute is ``measures.coding``'s)
_MINUTES = {
    "wrote": {"en": "wrote {out} (codebook, 裁决) and {coders} coder files: {files}; {k} of {n} records in "
                    "{strata} strata (unit × year). Give each coder only their file; put the filled files "
                    "back beside {name} and run: grouplab minutes agreement {out}",
              "zh": "已写出 {out}（编码表、裁决）和 {coders} 个编码员文件：{files}；{n} 份记录中抽取 {k} 份，"
                    "{strata} 层（单位 × 年度）。每位编码员只拿自己的文件；填好后放回 {name} 旁，"
                    "再运行：grouplab minutes agreement {out}"},
    "reference": {"en": "the reference codes are the coders' common code where they agree, the 裁决 "
                        "(adjudication) where they did not",
                  "zh": "参照编码：编码员一致处取其共同编码，分歧处取裁决"},
    "missing": {"en": "  {m} of {n} disagreements have no 裁决 yet: they are left out until adjudicated",
                "zh": "  {n} 处分歧中有 {m} 处尚未裁决：裁决前不计入"},
    "agreement": {"en": "Agreement between coders (Krippendorff's alpha, nominal; Cohen's kappa of the "
                        "first two; 95% bootstrap CIs over records, {boot} resamples)",
                  "zh": "编码员之间的一致性（Krippendorff α，名义尺度；前两位编码员的 Cohen κ；"
                        "按记录自助抽样的 95% 置信区间，{boot} 次重抽样）"},
    "disagreements": {"en": "Disagreements to adjudicate: {n}", "zh": "待裁决的分歧：{n} 处"},
    "machine": {"en": "Machine coder against the reference codes", "zh": "机器编码与参照编码比较"},
    "verdict": {"en": "Verdict (Krippendorff 2004): alpha >= .800 rely; .667-.800 tentative; "
                      "below: revise the codebook",
                "zh": "结论（Krippendorff 2004）：α ≥ .800 可依赖；.667–.800 只作初步结论；"
                      "更低：修订编码手册"},
}
#: Column headers and values of the agreement tables, in Chinese
_MINUTES_ZH = {
    "code": "编码", "units": "记录数", "coders": "编码员数", "alpha": "α", "alpha_lo": "α 下限",
    "alpha_hi": "α 上限", "kappa": "κ", "kappa_lo": "κ 下限", "kappa_hi": "κ 上限", "verdict": "结论",
    "record_id": "记录编号", "reference": "参照", "n": "记录数", "precision": "精确率", "recall": "召回率",
    "f1": "F1", "accuracy": "准确率",
    "rely": "可依赖", "tentative": "初步", "revise": "修订编码手册", "undefined": "无法计算",
    "agreed": "编码员一致的", "adjudicated": "裁决后的", "agreed+adjudicated": "一致与裁决后的",
}


def _minutes_sample(args) -> int:
    """Blind coding workbooks: a stratified random sample of records, a master and one file per coder."""
    from grouplab.batch.single import lang_of_texts
    from grouplab.data.minutes.workbook import minutes_source, write_coding_workbook
    from grouplab.measures.coding import sample_for_coding
    from grouplab.measures.minutes import load_meeting_codebook

    minutes, groups = minutes_source(str(_dataset_path(args.source)))
    lang = args.lang or lang_of_texts(minutes["text"].dropna() if "text" in minutes else [])
    sample = sample_for_coding(minutes, n=args.n, groups=groups, seed=args.seed)
    codes = load_meeting_codebook(args.codebook).codes
    master, *files = write_coding_workbook(args.output, sample, codes, coders=args.coders)
    print(_MINUTES["wrote"][lang].format(out=master, k=len(sample), n=len(minutes), name=Path(master).name,
                                         strata=sample["stratum"].nunique(), coders=len(files),
                                         files=", ".join(str(f) for f in files)))
    return 0


def _zh_table(frame, codes: dict):
    """An agreement table with Chinese headers, code labels and verdicts."""
    out = frame.rename(columns={c: _MINUTES_ZH.get(c, c) for c in frame.columns})
    for col in ("编码", "结论", "参照"):
        if col in out:
            out[col] = [codes.get(v, _MINUTES_ZH.get(v, v)) if isinstance(v, str) else v for v in out[col]]
    return out


def _minutes_agreement(args) -> int:
    """Agreement per code, the disagreements, and the machine coder against the reference codes."""
    import pandas as pd

    from grouplab.batch.single import lang_of_texts
    from grouplab.data.minutes.workbook import read_coding_workbook
    from grouplab.measures.coding import agreement_report

    workbook = read_coding_workbook(args.workbook)
    lang = args.lang or lang_of_texts(workbook["texts"]["text"] if "text" in workbook["texts"] else [])
    rep = agreement_report(workbook, codebook=args.codebook, n_boot=args.boot, seed=args.seed)
    said = (lambda f: _zh_table(f, dict(workbook["codes"]))) if lang == "zh" else (lambda f: f)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.precision", 3):
        print(_MINUTES["agreement"][lang].format(boot=args.boot))
        print(said(rep["agreement"]).to_string(index=False))
        print("\n" + _MINUTES["disagreements"][lang].format(n=len(rep["disagreements"])))
        if len(rep["disagreements"]):
            print(said(rep["disagreements"]).to_string(index=False))
        print("\n" + _MINUTES["machine"][lang])
        print(_MINUTES["reference"][lang])
        if rep["missing_adjudications"]:
            print(_MINUTES["missing"][lang].format(m=rep["missing_adjudications"],
                                                   n=len(rep["disagreements"])))
        print(said(rep["machine"]).to_string(index=False))
    print("\n" + _MINUTES["verdict"][lang])
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
    p.add_argument("--lang", choices=LANGS, help="language of the messages (default: that of the minutes)")
    p.set_defaults(func=_minutes_sample)
    p = msub.add_parser("agreement", help="agreement per code and the machine against adjudicated codes")
    p.add_argument("workbook", help="a coding workbook filled by the coders")
    p.add_argument("--boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    p.add_argument("--codebook", help="codebook YAML (default data/rubrics/meeting_quality.yml)")
    p.add_argument("--lang", choices=LANGS, help="language of the tables and messages (default: that of the "
                   "minutes)")
    p.set_defaults(func=_minutes_agreement)


if __name__ == "__main__":
    sys.exit(main())

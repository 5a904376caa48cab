"""Draft a folder's ``dataset.yml`` from what :mod:`grouplab.data.recognise` found (``grouplab init``).

:func:`draft_manifest` turns the findings into manifest text with one comment per
entry saying what was recognised and why, and lists what was not placed at the
end; survey exports get a drafted questionnaire spec
(:func:`grouplab.data.surveys.draft_spec.draft_spec`). :func:`init_folder` writes
both beside the user's files (never into them) and refuses to replace a
``dataset.yml`` unless asked to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from grouplab.data.codebook import TABLES
from grouplab.data.notes import LANGS
from grouplab.data.recognise import Finding, default_specs, recognise_folder, say
from grouplab.data.recognise.exports import first_problem
from grouplab.errors import GroupLabError, ParameterError
from grouplab.paths import MANIFEST

__all__ = ["Draft", "draft_manifest", "init_folder", "SPEC_FILE", "HEAD"]

#: File name of the questionnaire spec drafted for survey exports.
SPEC_FILE = "questionnaire.yml"
#: First line of a file written by ``grouplab init`` (a later ``--force`` may replace only such a spec).
HEAD = "# grouplab init"

_TEXT = {
    "head": {"en": "{head}: what each file holds, as recognised. Check it, then run "
                   "`grouplab validate .` in this folder ({folder}).",
             "zh": "{head}：按识别结果写出每个文件装的是什么。"
                   "请核对后在本文件夹（{folder}）中运行 `grouplab validate .`。"},
    "kit_spec": {"en": "the kit's {what} (data/rubrics/{file}); name your own file here if yours differs",
                 "zh": "工具包自带的{what}（data/rubrics/{file}）；如与贵单位不同，请改为自己的文件"},
    "drafted": {"en": "drafted from the survey exports by grouplab init: check scales, reverse keying and "
                      "the "
                      "unit map before use",
                "zh": "由 grouplab init 根据问卷导出起草：使用前请核对量表、反向计分题和单位对应"},
    "kit_questionnaire": {"en": "a copy of the kit's questionnaire (data/rubrics/{file}), which maps every "
                                "question of the exports, its unit answers mapped by name",
                          "zh": "工具包自带问卷说明（data/rubrics/{file}）的副本：导出中的每道题都能对上，"
                                "单位按名称对应"},
    "no_draft": {"en": "no spec could be drafted from the survey exports ({error}); write one with "
                       "grouplab draft-spec",
                 "zh": "未能根据问卷导出起草问卷说明（{error}）；请用 grouplab draft-spec 编写"},
    "found_spec": {"en": "found in the folder", "zh": "在文件夹中找到"},
    "flags": {"en": "the 三多三少 flags of reports 03 and 07: recorded (the log's ticks), coded (from the "
                    "minutes) or recorded_else_coded",
              "zh": "报告 03、07 的“三多三少”标记来源：recorded（台账勾选）、coded（会议记录自动编码）"
                    "或 recorded_else_coded（台账空缺处用编码）"},
    "unplaced": {"en": "Not placed (add them by hand if they hold data):",
                 "zh": "未放入（如其中有数据，请手工添加）："},
    "nothing": {"en": "nothing was recognised: no table of the codebook in any file",
                "zh": "没有识别出任何数据表"},
}
_WHAT = {"rubric": {"en": "evaluation rubric", "zh": "考评细则"},
         "catalogue": {"en": "indicator catalogue", "zh": "指标目录"}}


@dataclass
class Draft:
    """A drafted manifest: its text, the findings, and the questionnaire spec to write (if any)."""

    text: str
    findings: list[Finding]
    spec: dict | None = None
    spec_file: str | None = None
    placed: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def unplaced(self) -> list[Finding]:
        return [f for f in self.findings if f.table is None]


def _q(value) -> str:
    """One YAML scalar (quoted when needed)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000
                          ).strip().removesuffix("...").strip()


def _t(key: str, lang: str, **values) -> str:
    return _TEXT[key][lang].format(**values)


def draft_manifest(folder: str | Path, *, lang: str = "zh", findings: list[Finding] | None = None) -> Draft:
    """Manifest text for a folder as received.

    Parameters
    ----------
    folder : str or Path
    lang : {"zh", "en"}
        Language of the comments.
    findings : list of Finding, optional
        Default: :func:`~grouplab.data.recognise.recognise_folder` of ``folder``.

    Returns
    -------
    Draft
        ``text`` (the dataset.yml), ``findings``, ``spec`` (a drafted questionnaire spec for survey
        exports when the folder has none) and ``spec_file``, ``placed`` (table -> findings).
    """
    folder = Path(folder)
    if lang not in LANGS:
        raise ParameterError(f"lang={lang!r}: expected zh or en")
    findings = recognise_folder(folder) if findings is None else findings
    placed: dict[str, list[Finding]] = {}
    for f in findings:
        if f.table is not None:
            placed.setdefault(f.table, []).append(f)
    lines = [_t("head", lang, head=HEAD, folder=folder.name), f"name: {_q(folder.name)}"]
    spec, spec_file = _spec_lines(folder, placed, findings, lang, lines)
    tables = [t for t in TABLES if t in placed]
    if "minutes" in placed:  # the choice the minutes open, left as the default
        lines.append(f"# meeting_flags: recorded   # {_t('flags', lang)}")
    if tables:
        lines.append("tables:")
    for table in tables:
        lines += _entry(table, placed[table], lang)
    if not tables:
        lines.append(f"# {_t('nothing', lang)}")
    unplaced = [f for f in findings if f.table is None]
    if unplaced:
        lines += ["", f"# {_t('unplaced', lang)}"]
        lines += [f"#   {_where(f)}: {say(f.why, lang)}" for f in unplaced]
    ordered = {t: placed[t] for t in TABLES if t in placed}
    return Draft("\n".join(lines) + "\n", findings, spec, spec_file, ordered)


def _where(f: Finding) -> str:
    return f"{f.file} [{f.sheet}]" if f.sheet else f.file


def _spec_lines(folder: Path, placed: dict, findings: list[Finding], lang: str, lines: list[str]):
    """rubric / catalogue / questionnaire lines; a drafted questionnaire spec when exports need one."""
    need = {"rubric": "evaluations" in placed, "catalogue": "indicators" in placed}
    for kind in ("rubric", "catalogue"):
        if kind in placed:
            f = placed.pop(kind)[0]
            lines.append(f"{kind}: {_q(f.file)}   # {say(f.why, lang)}, {_t('found_spec', lang)}")
        elif need[kind]:
            path = default_specs()["files"][kind]
            lines.append(f"{kind}: {_q(path.name)}   # "
                         + _t("kit_spec", lang, what=_WHAT[kind][lang], file=path.name))
    spec = None
    spec_file = None
    if "questionnaire" in placed:
        f = placed.pop("questionnaire")[0]
        lines.append(f"questionnaire: {_q(f.file)}   # {say(f.why, lang)}, {_t('found_spec', lang)}")
    elif "survey" in placed and (kit := _kit_questionnaire(folder, placed["survey"])) is not None:
        spec = _by_name(yaml.safe_load(kit.read_text(encoding="utf-8")))
        lines.append(f"questionnaire: {SPEC_FILE}   # " + _t("kit_questionnaire", lang, file=kit.name))
        return spec, SPEC_FILE
    elif "survey" in placed:
        try:
            spec = _draft_questionnaire(folder, placed["survey"], findings)
        except GroupLabError as err:  # the exports read, but no spec could be drafted: say so, go on
            lines.append(f"# questionnaire: {_t('no_draft', lang, error=first_problem(err))}")
            return None, None
        spec_file = SPEC_FILE
        lines.append(f"questionnaire: {SPEC_FILE}   # {_t('drafted', lang)}")
    return spec, spec_file


def _kit_questionnaire(folder: Path, exports: list[Finding]) -> Path | None:
    """The kit's questionnaire spec (``data/rubrics``) mapping every question of every export, if any."""
    from grouplab.data.specs import load_questionnaire
    from grouplab.data.surveys.assemble import apply_spec
    from grouplab.data.surveys.platforms import read_export
    from grouplab.paths import rubrics_dir

    frames = []
    for f in exports:
        try:
            frames.append((f.file, read_export(folder / f.file, platform=f.options["platform"])))
        except GroupLabError:
            return None
    for path in sorted(rubrics_dir().glob("*.yml")):
        try:
            spec = load_questionnaire(path)
        except GroupLabError:
            continue  # a rubric or a catalogue
        items = [str(i) for s in (spec.get("scales") or {}).values() for i in s.get("items", [])]
        if not items or not any(k in spec for k in ("wjx", "columns")):
            continue
        if all(_maps_all(apply_spec(df, spec, file=name), spec, items, df) for name, df in frames):
            return path
    return None


def _maps_all(applied: tuple, spec: dict, items: list[str], export) -> bool:
    """No problem, every scale item present, and no question of the export left under its own name."""
    out, _, problems = applied
    questions = export.attrs.get("export", {}).get("questions", {})
    own = {c for q in questions.values() for c in q.get("columns", [])}
    ids = set(items) | {str(k) for g in ("choices", "attributes", "texts", "items")
                        for k in (spec.get(g) or {})}
    return not problems and all(i in out for i in items) and not (set(out.columns) & own) - ids


def _draft_questionnaire(folder: Path, exports: list[Finding], findings: list[Finding]) -> dict:
    """A spec drafted from the latest wave's export (with its 按文本 twin); unit answers map to themselves."""
    from grouplab.data.surveys.draft_spec import draft_spec

    latest = max(exports, key=lambda f: f.options["wave"])
    twins = [f.file for f in findings if f.options.get("twin_of") == latest.file]
    spec = draft_spec(*(folder / p for p in [latest.file, *twins]), platform=latest.options["platform"])
    return _by_name(spec)


def _by_name(spec: dict) -> dict:
    """The spec with its unit and group maps answer -> answer: the dataset resolves the names to its ids."""
    for key in ("unit", "group"):
        entry = spec.get(key) or {}
        if "map" in entry:
            entry["map"] = {str(k): str(k) for k in entry["map"]}
    return spec


def _entry(table: str, found: list[Finding], lang: str) -> list[str]:
    layout = found[0].layout
    if layout == "export":
        out = [f"  {table}:", "    format: export"]
        platforms = {f.options["platform"] for f in found}
        if len(platforms) == 1:
            out.append(f"    platform: {_q(platforms.pop())}")
        out.append("    files:")
        for f in sorted(found, key=lambda f: f.options["wave"]):
            out += [f"      # {say(f.why, lang)}", f"      {f.options['wave']}: {_q(f.file)}"]
        return out
    sources = _sources(found)
    if layout == "long" and len(sources) == 1 and not {"sheet", "sheets"} & set(sources[0][0]):
        f = sources[0][1][0]
        note = "; ".join([say(f.why, lang), *(say(n, lang) for n in f.notes)])
        return [f"  # {_where(f)}: {note}", f"  {table}: {_q(f.file)}"]
    out = [f"  {table}:"]
    if layout == "wide":
        out.append("    layout: wide")
    out.append("    files:")
    for src, fs in sources:
        for f in fs:
            note = "; ".join([say(f.why, lang), *(say(n, lang) for n in f.notes)])
            out.append(f"      # {_where(f)}: {note}")
        out.append("      - " + _flow(src))
    return out


def _sources(found: list[Finding]) -> list[tuple[dict, list[Finding]]]:
    """One source per file and options; its sheets listed (``sheets: [..]``)."""
    groups: dict[tuple, list[Finding]] = {}
    for f in found:
        key = (f.file, tuple(sorted((k, str(v)) for k, v in f.options.items())))
        groups.setdefault(key, []).append(f)
    out = []
    for (file, _), fs in groups.items():
        src: dict = {"file": file}
        sheets = [f.sheet for f in fs if f.sheet is not None]
        if len(sheets) == 1:
            src["sheet"] = sheets[0]
        elif sheets:
            src["sheets"] = sheets
        src.update(fs[0].options)
        out.append((src, fs))
    return out


def _flow(src: dict) -> str:
    return "{" + ", ".join(f"{k}: {_q(v)}" for k, v in src.items()) + "}"


def init_folder(folder: str | Path, *, lang: str = "zh", force: bool = False) -> Draft:
    """Recognise a folder's files and write ``dataset.yml`` (and a drafted ``questionnaire.yml``).

    Parameters
    ----------
    folder : str or Path
        The folder as received; its files are only read.
    lang : {"zh", "en"}
        Language of the comments.
    force : bool
        Replace an existing dataset.yml (and a questionnaire.yml that ``grouplab init`` wrote).

    Returns
    -------
    Draft

    Raises
    ------
    ParameterError
        No such folder; a dataset.yml exists and ``force`` is False; a questionnaire.yml that
        ``grouplab init`` did not write is in the way.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(f"{folder} is not a folder: give the folder that holds the files you received")
    target = folder / MANIFEST
    if target.exists() and not force:
        raise ParameterError(f"{target} exists: grouplab init does not overwrite it. Run "
                             f"`grouplab validate {folder}` to check it, or `grouplab init {folder} --force` "
                             "to replace it with a new draft")
    draft = draft_manifest(folder, lang=lang)
    if draft.spec is not None:
        _write_spec(folder / SPEC_FILE, draft.spec)
    _write_atomic(target, draft.text)
    return draft


def _write_spec(path: Path, spec: dict) -> None:
    from grouplab.data.surveys.draft_spec import write_spec

    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(HEAD):
        raise ParameterError(f"{path} exists and was not written by grouplab init: it is left as it is. "
                             f"Name it in dataset.yml as questionnaire: {path.name} if it is your "
                             "questionnaire spec, or move it away and run init again")
    drafted = all("item_rest_r" in sc for sc in (spec.get("scales") or {}).values())
    if not drafted:  # a copy of the kit's spec
        text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)
        _write_atomic(path, f"{HEAD}: the kit's questionnaire spec, its unit answers mapped by name.\n{text}")
        return
    tmp = path.with_name(f".{path.name}.tmp")
    write_spec(spec, tmp)
    text = tmp.read_text(encoding="utf-8")
    tmp.unlink()
    _write_atomic(path, f"{HEAD}: questionnaire spec drafted from the survey exports.\n{text}")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


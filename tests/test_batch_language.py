"""One language per report (issue 15, item 1): count foreign-language words in every HTML, DOCX and
XLSX of the demo batch, run in both languages, outside the provenance block.

Counted as foreign in a ``zh`` report: Latin words of two or more letters that are not standard
abbreviations (IRR, CI, …); ids such as ``WA01`` or ``G001`` are not words (they hold digits). In an
``en`` report: runs of Chinese characters. Names that come from the data (units, groups) are removed
first — they are data values, not wording. The batch is the demo's (data/demo/reports.yml) with
``lang: [zh, en]`` and, to keep the test light, the first id of each ``all`` expansion (the wording
is per notebook, not per unit); GROUPLAB_FULL_LANGUAGE_TEST=1 runs every id.
"""

import html
import os
import re
from pathlib import Path

import pytest
import yaml
from grouplab.batch.plan import notebook_report
from grouplab.batch.runner import run
from grouplab.data.dataset import load_dataset
from grouplab.paths import demo_dir, notebooks_dir

ALLOWANCE = 3  # foreign words tolerated per file
# Reports whose tables or sheet names still carry foreign words (issue 15 is open for them): their counts are
# reported at the end of `make test` but do not fail this test. Every other report must stay in one language.
KNOWN_MIXED = {
    "03_measures_and_outcomes": "English Excel sheet names; method names (Sun-Abraham, Benjamini-Hochberg)",
    "04_survey_report": "Excel sheet names in English; 'demo questionnaire spec' caption",
    "06_survey_study": "Excel sheet names and method names in English; semopy's graphviz notice",
    "07_org_life": "the rubric path (data/rubrics/…yml) in the spec note",
}
ABBREVIATIONS = {"IRR", "CI", "SE", "SD", "ID", "IP", "OK", "GEE", "ITS", "KMO", "CFA", "RMSEA", "CFI", "TLI",
                 "Word", "Excel", "HTML", "PAGE"}
LATIN = re.compile(r"(?<![\w])[A-Za-z][A-Za-z']+(?![\w])")
HAN = re.compile(r"[\u3400-\u9fff]+")


def _config(tmp: Path) -> dict:
    cfg = yaml.safe_load((demo_dir() / "reports.yml").read_text(encoding="utf-8"))
    full = os.environ.get("GROUPLAB_FULL_LANGUAGE_TEST") == "1"
    ds = load_dataset(demo_dir())
    for entry in cfg["reports"]:
        grid = entry.setdefault("grid", {})
        grid["lang"] = ["zh", "en"]
        for k, v in grid.items():
            if v == "all" and not full:
                grid[k] = notebook_report(notebooks_dir() / entry["notebook"]).entity_ids(ds)[:1]
            elif isinstance(v, list) and k != "lang" and not full:
                grid[k] = v[:1]
    cfg.update(dataset=str(demo_dir()), out=str(tmp / "out"))
    return cfg


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lang")
    manifest = run(_config(tmp), jobs=2, progress=False)
    ds = load_dataset(demo_dir())
    names = set(ds.tables["units"]["name"].astype(str)) | set(ds.tables["groups"]["name"].astype(str))
    # file names, sheet names and headers as written in the demo's files (01_data_quality shows how
    # each was read and what privacy removed): data, not wording
    names |= {Path(f).name for f in ds.files} | set(ds.privacy["file"]) | set(ds.privacy["column"])
    names |= {str(v) for sources in ds.reading.values() for src in sources
              for v in [src.get("file"), src.get("sheet"), *(src.get("matched") or {}).values()] if v}
    return tmp / "out", manifest, sorted(names, key=len, reverse=True)


def _html_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<footer class="grouplab-provenance".*?</footer>', " ", text, flags=re.S)
    text = re.sub(r"<(style|script|title)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(path)
    parts = [p.text for p in doc.paragraphs if p.style.name != "Grouplab Provenance"]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    parts = list(wb.sheetnames)
    for ws in wb.worksheets:
        parts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def foreign_words(text: str, lang: str, names: list[str]) -> list[str]:
    """Words of the other language in ``text`` (data names removed first)."""
    for name in names:
        text = text.replace(name, " ")
    if lang == "zh":
        return [w for w in LATIN.findall(text) if w not in ABBREVIATIONS]
    return HAN.findall(text)


def _files(out: Path, manifest: dict):
    for r in manifest["reports"]:
        for kind in ("html", "docx", "xlsx"):
            if r.get(kind):
                yield r, kind, out / r[kind]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_file_is_in_one_language(batch, lang, safety_figures):
    out, manifest, names = batch
    read = {"html": _html_text, "docx": _docx_text, "xlsx": _xlsx_text}
    over, counted, known = {}, 0, {}
    for r, kind, path in _files(out, manifest):
        if r["parameters"].get("lang") != lang:
            continue
        words = foreign_words(read[kind](path), lang, names)
        counted += 1
        stem = r["slug"].split("/")[0]
        if stem in KNOWN_MIXED:
            known[stem] = max(known.get(stem, 0), len(words))
        elif len(words) > ALLOWANCE:
            over[f"{r['slug']}.{kind}"] = f"{len(words)}: {' '.join(sorted(set(words)))[:300]}"
    assert counted, "no report files in this language"
    safety_figures[f"{lang} report files checked for foreign words"] = counted
    for stem, n in sorted(known.items()):
        safety_figures[f"{lang} foreign words, most in one file, {stem} (known, issue 15 open)"] = n
    assert not over, "\n".join(f"{k} — {v}" for k, v in sorted(over.items()))


def test_every_report_of_the_two_language_batch_is_ok(batch):
    _, manifest, _ = batch
    assert [r["slug"] for r in manifest["reports"] if r["status"] != "ok"] == []

"""One language per report (issue 15, item 1): count foreign-language words in every HTML, DOCX and
XLSX of the demo batch, run in both languages, outside the provenance block.

Counted as foreign in a ``zh`` report: Latin words of two or more letters that are not standard
abbreviations (IRR, CI, …); ids such as ``WA01`` or ``G001`` are not words (they hold digits). In an
``en`` report: runs of Chinese characters. Names that come from the data (units, groups) are removed
first — they are data values, not wording. The batch is the session's ``demo_batch`` (tests/conftest.py):
the demo's with ``lang: [zh, en]`` and, to keep the test light, the first id of each ``all`` expansion
(the wording is per notebook, not per unit); GROUPLAB_FULL_LANGUAGE_TEST=1 runs every id.
"""

import html
import re
from pathlib import Path

import nbformat
import pytest
from grouplab.batch.export import export_html
from grouplab.data.dataset import load_dataset
from grouplab.paths import demo_dir

ALLOWANCE = 3  # foreign words tolerated per file
# Standard abbreviations written in Latin letters in Chinese reports too (each with a Chinese gloss where the
# report first uses it). Method names written after people (Welch, Tukey, Cox …) are not here: a zh report
# names them in Chinese.
ABBREVIATIONS = {
    "IRR", "CI", "SE", "SD", "ID", "IP", "OK", "GEE", "ITS", "KMO", "CFA", "RMSEA", "CFI", "TLI",
    "Word", "Excel", "HTML", "PAGE",
    "BH",    # Benjamini–Hochberg (错误发现率校正): "BH 法" is how Chinese statistics texts name it
    "HR",    # hazard ratio (风险比 HR), as IRR
    "ICC",   # intraclass correlation (组内相关系数 ICC), the name used in Chinese multilevel work
    "rwg",   # r_wg(j), James–Demaree–Wolf within-group agreement (组内一致性); a symbol with no Chinese form
    "CITC",  # corrected item–total correlation (校正项总相关 CITC), as SPSSAU and Chinese papers print it
    "CR",    # composite reliability (组合信度 CR)
    "AVE",   # average variance extracted (平均方差抽取量 AVE)
    "HTMT",  # heterotrait–monotrait ratio (异质–单质比 HTMT)
    "SRMR",  # standardised root mean square residual, a fit index printed as is, like RMSEA and CFI
    "AIC", "BIC",  # information criteria, printed as is in Chinese SEM tables
    "VIF",   # variance inflation factor (方差膨胀因子 VIF)
    "HSD",   # Tukey's honestly significant difference (图基 HSD 法)
    # IP (IP 地址) names the column privacy removed in the data-quality report
}
LATIN = re.compile(r"(?<![\w])[A-Za-z][A-Za-z']+(?![\w])")
HAN = re.compile(r"[\u3400-\u9fff]+")


@pytest.fixture(scope="module")
def batch(demo_batch):
    out, manifest = demo_batch
    ds = load_dataset(demo_dir())
    names = set(ds.tables["units"]["name"].astype(str)) | set(ds.tables["groups"]["name"].astype(str))
    # file names, sheet names and headers as written in the demo's files (01_data_quality shows how
    # each was read and what privacy removed): data, not wording
    names |= {Path(f).name for f in ds.files} | set(ds.privacy["file"]) | set(ds.privacy["column"])
    names |= {str(v) for sources in ds.reading.values() for src in sources
              for v in [src.get("file"), src.get("sheet"), *(src.get("matched") or {}).values()] if v}
    return out, manifest, sorted(names, key=len, reverse=True)


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
    try:  # read-only keeps the file open until close()
        parts = list(wb.sheetnames)
        for ws in wb.worksheets:
            parts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    finally:
        wb.close()
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


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_file_is_in_one_language(batch, lang, safety_figures):
    out, manifest, names = batch
    read = {"html": _html_text, "docx": _docx_text, "xlsx": _xlsx_text}
    over, counted, most = {}, 0, {}
    for r, kind, path in _files(out, manifest):
        if r["parameters"].get("lang") != lang:
            continue
        words = foreign_words(read[kind](path), lang, names)
        counted += 1
        stem = r["slug"].split("/")[0]
        most[stem] = max(most.get(stem, 0), len(words))
        if len(words) > ALLOWANCE:
            over[f"{r['slug']}.{kind}"] = f"{len(words)}: {' '.join(sorted(set(words)))[:300]}"
    assert counted, "no report files in this language"
    safety_figures[f"{lang} report files checked for foreign words"] = counted
    for stem, n in sorted(most.items()):
        safety_figures[f"{lang} foreign words, most in one file, {stem}"] = n
    assert not over, "\n".join(f"{k} — {v}" for k, v in sorted(over.items()))


@pytest.mark.slow
def test_every_report_of_the_two_language_batch_is_ok(batch):
    _, manifest, _ = batch
    assert [r["slug"] for r in manifest["reports"] if r["status"] != "ok"] == []


def _phrase_tables():
    import importlib
    import pkgutil

    import grouplab.reports as reports

    for info in pkgutil.iter_modules(reports.__path__):
        try:
            mod = importlib.import_module(f"grouplab.reports.{info.name}.phrases")
        except ModuleNotFoundError:
            continue
        for name, table in vars(mod).items():
            if name.isupper() and isinstance(table, dict):
                for key, entry in table.items():
                    if isinstance(entry, dict) and isinstance(entry.get("zh"), str):
                        yield f"{info.name}.{name}[{key}]", entry


def test_every_phrase_is_written_in_its_own_language():
    """Each phrase table's zh text holds no Latin word but a standard abbreviation, its en text no Chinese
    (placeholders such as {unit} are filled in later and do not count)."""
    bad = []
    for where, entry in _phrase_tables():
        zh, en = (re.sub(r"\{[^}]*\}", " ", entry.get(k, "")) for k in ("zh", "en"))
        if foreign_words(zh, "zh", []) or foreign_words(en, "en", []):
            bad.append(f"{where}: {foreign_words(zh, 'zh', [])} {foreign_words(en, 'en', [])}")
    assert bad == []


def test_sheet_names_are_valid_for_excel_in_both_languages():
    sheets = [(where, entry) for where, entry in _phrase_tables() if "[sheet_" in where]
    assert len(sheets) >= 25  # every report's key tables
    for where, entry in sheets:
        for lang in ("zh", "en"):
            name = entry[lang].format(by="D1", table="exposure")
            assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), (where, lang, name)


# --- the HTML export's <title> (the browser tab) is the report's heading, never nbconvert's "Notebook"
def _notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def _title(path) -> str:
    return re.search(r"<title>(.*?)</title>", path.read_text("utf-8"), re.S).group(1)


def test_html_title_is_the_heading_of_the_report_language(tmp_path):
    zh = nbformat.v4.new_markdown_cell("# 党小组组织生活台账\n\n正文")
    zh.metadata["tags"] = ["lang-zh"]
    en = nbformat.v4.new_markdown_cell("# Party-group **activity** ledger\n\ntext")
    en.metadata["tags"] = ["lang-en"]
    nb = _notebook(tmp_path / "07_org_life.ipynb", [nbformat.v4.new_code_cell("x = 1"), zh, en])
    assert _title(export_html(nb, tmp_path / "zh.html", lang="zh")) == "党小组组织生活台账"
    assert _title(export_html(nb, tmp_path / "en.html", lang="en")) == "Party-group activity ledger"


def test_a_heading_shown_by_a_code_cell_is_the_title(tmp_path):
    cell = nbformat.v4.new_code_cell("show()")
    html = {"text/html": "<h1>运行党支部 &amp; 2024</h1>"}
    cell.outputs = [nbformat.v4.new_output("display_data", data=html)]
    nb = _notebook(tmp_path / "08_meeting_records.ipynb", [cell])
    assert _title(export_html(nb, tmp_path / "r.html")) == "运行党支部 &amp; 2024"  # escaped once


def test_without_a_heading_the_notebook_name_is_the_title(tmp_path):
    nb = _notebook(tmp_path / "01_data_quality.ipynb", [nbformat.v4.new_markdown_cell("no heading")])
    assert _title(export_html(nb, tmp_path / "r.html")) == "01_data_quality"

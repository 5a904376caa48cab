"""The HTML export's <title> (the browser tab) is the report's heading, never nbconvert's "Notebook"."""

from __future__ import annotations

import re

import nbformat
from grouplab.batch.export import export_html


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
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h1>运行党支部 &amp; 2024</h1>"})]
    nb = _notebook(tmp_path / "08_meeting_records.ipynb", [cell])
    assert _title(export_html(nb, tmp_path / "r.html")) == "运行党支部 &amp; 2024"  # escaped once


def test_without_a_heading_the_notebook_name_is_the_title(tmp_path):
    nb = _notebook(tmp_path / "01_data_quality.ipynb", [nbformat.v4.new_markdown_cell("no heading")])
    assert _title(export_html(nb, tmp_path / "r.html")) == "01_data_quality"

"""Word export (issue 15, item 3): the .docx of a scorecard opens with python-docx and holds the
report's title, headings, key tables (three-line style, captions), figures, page numbers, A4 and CJK fonts."""

import pytest
from grouplab.batch.execute import execute_notebook
from grouplab.paths import notebooks_dir

pytestmark = pytest.mark.slow  # runs notebooks or a report batch: not in `make check`

docx = pytest.importorskip("docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    made = {}
    for lang in ("zh", "en"):
        res = execute_notebook(notebooks_dir() / "02_group_scorecard.ipynb", out / f"02_{lang}.ipynb",
                               parameters={"unit_id": "WA01", "year": 2019, "lang": lang},
                               formats=("docx", "xlsx"), reuse_kernel=True,
                               provenance={"grouplab": "test", "parameters": {"lang": lang}})
        made[lang] = res
    return made


def _texts(doc, style_prefix):
    return [p.text for p in doc.paragraphs if p.style.name.startswith(style_prefix)]


def test_docx_has_title_headings_in_its_language_only(reports):
    zh = docx.Document(reports["zh"]["docx"])
    assert _texts(zh, "Title") == ["02 · 党小组考评记分卡"]
    heads = _texts(zh, "Heading")
    assert heads == ["考评等级", "各方面得分率", "趋势", "年度先进党小组", "限期整改", "党小组长调整提示"]
    en = docx.Document(reports["en"]["docx"])
    assert _texts(en, "Title") == ["02 · Party-group scorecard"]
    assert _texts(en, "Heading")[0] == "Grades"
    assert not any("Grades" in h for h in heads)


def test_key_tables_are_three_line_word_tables_with_captions(reports):
    import openpyxl

    doc = docx.Document(reports["zh"]["docx"])
    sheets = openpyxl.load_workbook(reports["zh"]["xlsx"]).sheetnames
    assert sheets == ["考评等级", "限期整改", "党小组长调整提示"]
    assert len(doc.tables) == len(sheets)
    grades = doc.tables[0]
    # names, not ids
    assert [c.text for c in grades.rows[0].cells][:3] == ["党小组", "上半年得分", "上半年等级"]
    assert len(grades.rows) == 1 + 4  # header + WA01's four groups (prepare's doctest: 4 groups)
    captions = _texts(doc, "Caption")
    assert captions[0] == "表 1　考评等级" and any(c.startswith("图 1　") for c in captions)
    # three-line style: heavy rule above the header, light under it, heavy under the last row
    head = grades.rows[0].cells[0]._tc.tcPr.find(f"{W}tcBorders")
    assert head.find(f"{W}top").get(f"{W}sz") == "12" and head.find(f"{W}bottom").get(f"{W}sz") == "6"
    last = grades.rows[-1].cells[0]._tc.tcPr.find(f"{W}tcBorders")
    assert last.find(f"{W}bottom").get(f"{W}sz") == "12"
    assert grades.rows[1].cells[0]._tc.tcPr is None or \
        grades.rows[1].cells[0]._tc.tcPr.find(f"{W}tcBorders") is None


def test_figures_at_print_resolution_page_numbers_a4_and_east_asian_fonts(reports):
    from docx.shared import Cm

    doc = docx.Document(reports["zh"]["docx"])
    assert len(doc.inline_shapes) == 2  # aspect heatmap and trend
    for shape in doc.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = doc.part.related_parts[blip.embed].image
        dpi = image.px_width / (shape.width / 914400)  # EMU per inch
        assert dpi >= 150, f"figure at {dpi:.0f} dpi"
    sec = doc.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    footer = sec.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "第" in footer
    fonts = doc.styles["Normal"].element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "宋体"
    assert doc.styles["Heading 1"].element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia") == "黑体"
    # a short appendix: the version given, no parameters as JSON
    assert _texts(doc, "Grouplab Provenance") == ["附录　溯源信息", "grouplab 版本：test"]

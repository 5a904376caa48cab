"""grouplab.data.surveys.draft_spec and `grouplab draft-spec`: a spec drafted from exports runs through.

Fixture values are written below; the real-file test uses
../shared/realdata/wjx_jeffllq_exercise_numeric_matrix_redacted.xlsx (see its SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml
from grouplab.cli import main
from grouplab.data.dataset import load_dataset
from grouplab.data.specs import load_questionnaire
from grouplab.data.surveys.draft_spec import draft_spec, item_rest_correlations, write_spec
from grouplab.errors import ParameterError
from grouplab.measures.survey.reliability import reliability

REALDATA = Path(__file__).resolve().parents[4] / "shared" / "realdata"
JEFF = REALDATA / "wjx_jeffllq_exercise_numeric_matrix_redacted.xlsx"
WJX = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
LABELS = ["非常不同意", "不同意", "一般", "同意", "非常同意"]


def _matrix_export(path: Path, meta: tuple = tuple(WJX)) -> Path:
    """按文本 export: unit question, gender, a 4-row Likert matrix whose 4th row is reversed.

    ``meta``: the metadata columns the owner kept (all of 问卷星's, or only 序号).
    """
    rng = np.random.default_rng(7)
    wb = openpyxl.Workbook()
    keep = [WJX.index(m) for m in meta]
    wb.active.append([*meta, "1、您所在的单位", "2、您的性别", "3、请评价：—会议按时", "3、内容充实",
                      "3、能解决问题", "3、流于形式", "4、建议"])
    for i in range(40):
        base = int(rng.integers(1, 6))
        rows = [min(5, max(1, base + int(rng.integers(-1, 2)))) for _ in range(3)]
        rev = 6 - base
        values = [i + 1, "2024/5/6 10:00:00", "100秒", "手机提交", "微信", "1.2.3.4"]
        wb.active.append([*[values[k] for k in keep],
                          ["一分公司", "二分公司"][i % 2], ["男", "女"][i % 3 == 0],
                          *[LABELS[c - 1] for c in rows], LABELS[rev - 1], f"建议{i}"])
    wb.save(path)
    return path


def test_item_rest_correlation_hand_example():
    # hand calculation: c = 6 - a, so c's rest score a + b rises as c falls: r < 0
    X = {"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 4, 4], "c": [5, 4, 3, 2, 1]}
    import pandas as pd

    r = item_rest_correlations(pd.DataFrame(X))
    # rest of c = a + b = 3, 4, 6, 8, 9; Pearson r of (5,4,3,2,1) with it, by hand:
    # deviations of c: 2,1,0,-1,-2; of rest (mean 6): -3,-2,0,2,3; sum of products -16;
    # sqrt(10 * 26) = 16.1245; r = -16 / 16.1245 = -0.99228
    assert r["c"] == pytest.approx(-0.99228, abs=1e-5)


def test_draft_from_text_matrix_flags_reverse_item_and_unit(tmp_path):
    spec = draft_spec(_matrix_export(tmp_path / "m.xlsx"))
    q3 = spec["questions"]["Q3"]
    assert q3["type"] == "matrix" and q3["zh"] == "请评价："
    assert q3["rows"] == {"Q3.1": "会议按时", "Q3.2": "内容充实", "Q3.3": "能解决问题", "Q3.4": "流于形式"}
    assert q3["likert_set"] == "agree5" and q3["options"][1] == "非常不同意"
    scale = spec["scales"]["Q3"]
    assert scale["items"] == ["Q3.1", "Q3.2", "Q3.3", "Q3.4"] and scale["reverse"] == ["Q3.4"]
    assert scale["item_rest_r"]["Q3.4"] < 0 < scale["item_rest_r"]["Q3.1"]
    assert spec["attributes"]["Q2"]["kind"] == "gender"
    assert spec["attributes"]["Q1"]["kind"] == "unit"
    assert spec["unit"] == {"question": "Q1", "map": {"一分公司": "U01", "二分公司": "U02"}}
    assert spec["texts"] == ["Q4"] and spec["range"] == [1, 5]
    out = write_spec(spec, tmp_path / "q.yml")
    text = out.read_text(encoding="utf-8")
    assert "# probably reverse-keyed: Q3.4 (r = -" in text
    assert yaml.safe_load(text) == spec
    load_questionnaire(out)   # the drafted spec is a valid questionnaire spec


def test_draft_spec_reads_every_export_read_wjx_reads(tmp_path):
    # a 按文本 export whose owner kept only 序号 of the metadata: read_wjx loads it, so must draft_spec
    from grouplab.data.surveys.wjx import read_wjx

    export = _matrix_export(tmp_path / "m.xlsx", meta=("序号",))
    assert len(read_wjx(export)) == 40
    spec = draft_spec(export)
    assert spec["scales"]["Q3"]["items"] == ["Q3.1", "Q3.2", "Q3.3", "Q3.4"]
    (tmp_path / "full").mkdir()
    assert spec == draft_spec(_matrix_export(tmp_path / "full" / "m.xlsx"))  # as from the full export
    assert main(["draft-spec", str(export), "-o", str(tmp_path / "q.yml")]) == 0


def test_drafted_spec_loads_text_export_as_codes(tmp_path):
    export = _matrix_export(tmp_path / "m.xlsx")
    write_spec(draft_spec(export), tmp_path / "q.yml")
    (tmp_path / "dataset.yml").write_text(
        "name: t\nquestionnaire: q.yml\ntables:\n  survey: {format: export, files: {2024: m.xlsx}}\n",
        encoding="utf-8")
    sv = load_dataset(tmp_path).tables["survey"]
    assert len(sv) == 40 and set(sv["unit_id"]) == {"U01", "U02"}
    # row 2 of the fixture: unit 一分公司 -> U01; labels became codes 1..5
    assert sv["unit_id"].iloc[0] == "U01"
    assert set(sv["Q3.1"].dropna().astype(int)) <= {1, 2, 3, 4, 5}
    assert "IP" not in " ".join(sv.columns)


def test_cli_draft_spec(tmp_path, capsys):
    export = _matrix_export(tmp_path / "m.xlsx")
    assert main(["draft-spec", str(export), "-o", str(tmp_path / "q.yml")]) == 0
    assert "1 proposed scale(s)" in capsys.readouterr().out
    assert (tmp_path / "q.yml").is_file()
    assert main(["draft-spec", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "x.yml")]) == 2
    with pytest.raises(ParameterError):
        draft_spec()


@pytest.mark.slow
@pytest.mark.skipif(not JEFF.is_file(), reason=f"real export absent ({JEFF})")
def test_real_matrix_export_drafted_loaded_scored_and_reported(tmp_path):
    spec = draft_spec(JEFF)
    # the 62 `n<TAB>…` items (codes 1–5) are proposed as one scale; nothing else is
    assert list(spec["scales"]) == ["block1"]
    assert spec["scales"]["block1"]["items"] == [f"S2Q{k}" for k in range(1, 63)]
    assert spec["attributes"]["Q4"]["kind"] == "gender"
    write_spec(spec, tmp_path / "questionnaire.yml")
    (tmp_path / "dataset.yml").write_text(
        "name: real\nquestionnaire: questionnaire.yml\ntables:\n"
        f"  survey: {{format: export, files: {{2021: '{JEFF}'}}}}\n", encoding="utf-8")
    ds = load_dataset(tmp_path)
    sv = ds.tables["survey"]
    assert len(sv) == 1290 and sv["unit_id"].nunique() == 1
    rel = reliability(sv, ds.questionnaire).set_index("scale")
    # hand formula (Cronbach 1951): alpha = k/(k-1) * (1 - sum of item variances / variance of
    # the total), on the 1290 complete answer sheets, computed here from the raw codes
    X = sv[spec["scales"]["block1"]["items"]].to_numpy(dtype=float)
    k = X.shape[1]
    alpha = k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))
    assert rel.loc["block1", "n"] == 1290
    assert rel.loc["block1", "alpha"] == pytest.approx(alpha, abs=1e-9)
    # the export has no units table: `unit_id: all` expands to the spec's fixed unit
    (tmp_path / "reports.yml").write_text(
        f"name: real\ndataset: .\nout: {tmp_path / 'out'}\nreports:\n"
        "  - notebook: 04_survey_report.ipynb\n    grid: {unit_id: all, wave: all, lang: [en]}\n",
        encoding="utf-8")
    assert main(["batch", str(tmp_path / "reports.yml"), "--jobs", "1", "--quiet"]) == 0
    assert list((tmp_path / "out").rglob("*.html"))


@pytest.mark.skipif(not (REALDATA / "wjx_reportgen_800_2_numeric.xls").is_file(),
                    reason="real 800 twins absent")
def test_numeric_and_text_twin_give_codes_and_labels():
    # the 800 twins hold the same answers (test_wjx checks 1<->男, 2<->女 row by row)
    spec = draft_spec(REALDATA / "wjx_reportgen_800_2_numeric.xls",
                      REALDATA / "wjx_reportgen_800_0_text.xls")
    assert spec["questions"]["Q3"]["options"] == {1: "男", 2: "女"}
    assert spec["attributes"]["Q3"]["kind"] == "gender"
    # multi-select options in the numeric header order (`第6题(运动)` is the first option column)
    assert spec["choices"]["Q6"]["multiple"] is True and spec["choices"]["Q6"]["options"][1] == "运动"


# ------------------------------------------------------------ heuristics reviewed on every real export
def _real(name: str) -> Path:
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"real export absent ({path})")
    return path


def test_82_one_question_items_are_one_scale_without_the_attention_checks(tmp_path):
    # SOURCES.md: 82 five-point items 1、…82、, two attention checks 30、此题请选择“非常不符合”。 and
    # 50、此题请选择“非常符合”。; nobody answered 1 to 20、 (codes 2–5 in the file), which must not split
    # the scale, nor may items such as 7、我关注孩子在交往什么样的朋友。 (it contains 什么) or
    # 36、我时常问自己，为什么我生的是女儿（或儿子）？ (a first-person statement with a question mark)
    spec = draft_spec(_real("wjx_windstation_parenting_numeric_redacted.xlsx"))
    assert list(spec["scales"]) == ["block1"]
    assert spec["scales"]["block1"]["items"] == [f"Q{k}" for k in range(1, 83) if k not in (30, 50)]
    assert spec["checks"] == {"Q30": "此题请选择“非常不符合”。", "Q50": "此题请选择“非常符合”。"}
    assert "Q30" not in spec["choices"] and "Q50" not in spec["choices"]
    # 83、您的性别： 84、您的年龄： 85、您的学历： describe the respondent; 86、您孩子的性别： and
    # 87、您孩子的年龄： describe the child: a choice and an open answer, not respondent attributes
    kinds = {k: a["kind"] for k, a in spec["attributes"].items()}
    assert kinds == {"Q83": "gender", "Q84": "age", "Q85": "education"}
    assert "Q86" in spec["choices"] and "Q87" in spec["texts"]
    write_spec(spec, tmp_path / "q.yml")
    # loads with the drafted spec: the age fill-ins (44, '44 岁', '80r') stay as written, not refused
    path = _real("wjx_windstation_parenting_numeric_redacted.xlsx")
    (tmp_path / "dataset.yml").write_text(
        f"name: t\nquestionnaire: q.yml\ntables:\n  survey: {{format: export, files: {{2023: '{path}'}}}}\n",
        encoding="utf-8")
    ds = load_dataset(tmp_path, cache=False)
    sv = ds.tables["survey"]
    assert len(sv) == 245 and "80r" in set(sv["Q84"].dropna())
    # Cronbach's alpha by its formula on the 80 items' raw codes (every answer sheet is complete)
    X = sv[spec["scales"]["block1"]["items"]].to_numpy(dtype=float)
    k = X.shape[1]
    alpha = k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))
    rel = reliability(sv, ds.questionnaire).set_index("scale")
    assert rel.loc["block1", "n"] == 245 and rel.loc["block1", "alpha"] == pytest.approx(alpha, abs=1e-9)


def test_spss_export_uses_variable_and_value_labels_and_matrix_rows():
    # variable labels (pyreadstat): Q1 'A01.请问您的性别是? (单选)', value labels {1: '1.男', 2: '2.女'};
    # Q2_Blank1 '(1)A02. 请问您的出生年份为___年' holds years (1974 …); Q6_Row1…Q6_Row4 are the rows
    # of 'Q6 您认为以下词语在文中的重要性如何？' rated 1–5
    spec = draft_spec(_real("spss_meoweggs_data0_platformexport_utf8.sav"))
    assert spec["questions"]["Q1"]["zh"] == "A01.请问您的性别是? (单选)"
    assert spec["questions"]["Q1"]["options"] == {1: "1.男", 2: "2.女"}
    assert spec["attributes"]["Q1"]["kind"] == "gender"
    assert spec["attributes"]["Q2_Blank1"] == {"kind": "age", "zh": "(1)A02. 请问您的出生年份为___年",
                                               "type": "number"}
    assert list(spec["scales"]) == ["Q6", "Q8", "Q10", "Q12", "Q14", "Q16"]
    assert spec["scales"]["Q6"]["items"] == ["Q6_Row1", "Q6_Row2", "Q6_Row3", "Q6_Row4"]
    assert spec["scales"]["Q6"]["zh"] == "您认为以下词语在文中的重要性如何？"
    # 序号 / 所用时间 (variables index, totalseconds) are metadata, not questions
    assert "index" not in spec["questions"] and "totalseconds" not in spec["questions"]


def test_split_cascade_columns_of_tencent_are_not_a_scale():
    # 腾讯问卷 CSV: `2.检查日期:请选择` written three times (year, month, day of a cascade), one row
    spec = draft_spec(_real("tencentwj_yuanlin_example_utf8bom.csv"))
    assert spec["scales"] == {}


def test_demo_numeric_export_matrices_are_scales_and_nominal_questions_are_choices():
    from grouplab.paths import demo_dir

    # data/demo/survey_2019.xlsx (按序号): five 4-row Likert matrices, the 4th row of each reverse-keyed
    # (data/rubrics/member_survey.yml: reverse A4, B4, L4, M4, S4); 8、–11、 are single-choice questions
    # ("您认为…是什么？"), with 4+ codes each: shares, not a scale
    spec = draft_spec(demo_dir() / "survey_2019.xlsx")
    assert list(spec["scales"]) == ["Q3", "Q4", "Q5", "Q6", "Q7"]
    assert all(s["reverse"] == [f"{name}.4"] for name, s in spec["scales"].items())
    assert set(spec["choices"]) == {"Q8", "Q9", "Q10", "Q11"}
    kinds = {a["kind"] for a in spec["attributes"].values()}
    assert kinds == {"unit", "group", "gender", "post", "party_age"}


def test_a_run_of_unrelated_rating_items_is_not_proposed(tmp_path):
    rng = np.random.default_rng(3)
    wb = openpyxl.Workbook()
    wb.active.append([*WJX, *[f"{k}、陈述{k}。" for k in range(1, 7)]])
    for i in range(200):   # six independent uniform 1–5 items: mean item-rest r near 0
        wb.active.append([i + 1, "2024/5/6 10:00:00", "100秒", "手机提交", "微信", "",
                          *rng.integers(1, 6, size=6).tolist()])
    wb.save(tmp_path / "u.xlsx")
    spec = draft_spec(tmp_path / "u.xlsx")
    assert spec["scales"] == {} and set(spec["choices"]) == {f"Q{k}" for k in range(1, 7)}

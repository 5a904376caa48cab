"""The hand-coding workflow: stratified sample, blind workbook, agreement and the machine's score.

References: allocation by hand (largest remainder); the demo workbook's coders are the truth with
slips (lib/grouplab/synth/minutes.py), so agreement is recomputed here from its sheets.
"""

from pathlib import Path

import pandas as pd
import pytest
from grouplab.cli import main
from grouplab.data.minutes.workbook import minutes_source, read_coding_workbook, write_coding_workbook
from grouplab.errors import DataError
from grouplab.measures.coding import agreement_report, allocate, reference_codes, sample_for_coding
from grouplab.measures.minutes import load_meeting_codebook
from sklearn.metrics import cohen_kappa_score

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def test_allocate_largest_remainder():
    # 7 draws over 5/3/2: exact 3.5/2.1/1.4 -> floors 3/2/1, the remaining one to the largest remainder (a)
    assert allocate(pd.Series({"a": 5, "b": 3, "c": 2}), 7).tolist() == [4, 2, 1]
    assert allocate(pd.Series({"a": 1, "b": 9}), 20).tolist() == [1, 9]


def test_sample_is_stratified_masked_and_seeded():
    minutes, groups = minutes_source(DEMO)
    s = sample_for_coding(minutes, n=60, groups=groups, seed=1)
    assert len(s) == 60 and s["record_id"].is_unique
    counts = minutes.assign(u=minutes["group_id"].map(dict(zip(groups["group_id"], groups["unit_id"]))),
                            y=minutes["date"].dt.year).groupby(["u", "y"]).size()
    expected = allocate(counts.set_axis([f"{u}|{y}" for u, y in counts.index]), 60)
    got = s["stratum"].value_counts().reindex(expected.index, fill_value=0)
    assert (got == expected).all()
    assert not any(r in t for t in s["text"] for r in minutes["recorder"].dropna().unique())
    pd.testing.assert_frame_equal(s, sample_for_coding(minutes, n=60, groups=groups, seed=1))


def test_cli_sample_then_agreement_on_a_filled_workbook(tmp_path, capsys):
    out = tmp_path / "coding.xlsx"
    assert main(["minutes", "sample", str(DEMO), "-n", "30", "--coders", "3", "-o", str(out)]) == 0
    wb = read_coding_workbook(out)
    assert list(wb["coders"]) == ["编码员1", "编码员2", "编码员3"] and wb["adjudicated"] is None
    assert len(wb["texts"]) == 30 and wb["coders"]["编码员1"].isna().all().all()


def test_agreement_on_demo_workbook_matches_scikit_learn(capsys):
    wb = read_coding_workbook(DEMO / "minutes_coding.xlsx")
    rep = agreement_report(wb, n_boot=100)
    a = rep["agreement"].set_index("code")
    for code in wb["codes"]:
        c1, c2 = wb["coders"]["编码员1"][code], wb["coders"]["编码员2"][code]
        ok = c1.notna() & c2.notna()
        ref = cohen_kappa_score(c1[ok].astype(int), c2[ok].astype(int))
        assert a.loc[code, "kappa"] == pytest.approx(ref)
        assert a.loc[code, "kappa_lo"] <= a.loc[code, "kappa"] <= a.loc[code, "kappa_hi"]
        n_diff = int((c1[ok] != c2[ok]).sum())
        assert (rep["disagreements"]["code"] == code).sum() == n_diff
    m = rep["machine"].set_index("code")
    assert (m["reference"] == "agreed+adjudicated").all() and (m["kappa"] >= 0.9).all()
    assert main(["minutes", "agreement", str(DEMO / "minutes_coding.xlsx"), "--boot", "50",
                 "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "Krippendorff" in printed and "common code where they agree" in printed


def test_bad_answers_are_data_errors(tmp_path):
    codes = load_meeting_codebook().codes
    sample = pd.DataFrame({"record_id": ["a", "b"], "group": ["G1", "G1"],
                           "date": pd.to_datetime(["2019-01-01", "2019-02-01"]), "text": ["x", "y"]})
    answers = {"编码员1": pd.DataFrame({c: [1, 0] for c in codes})}
    (f,) = write_coding_workbook(tmp_path / "w.xlsx", sample, codes, answers=answers, split=False)
    wb = pd.read_excel(f, sheet_name=None, engine="openpyxl", dtype=object)
    wb["编码员1"].loc[1, codes["praise_over_criticism"]["zh"]] = "maybe"
    with pd.ExcelWriter(f) as xw:
        for name, df in wb.items():
            df.to_excel(xw, sheet_name=name, index=False)
    with pytest.raises(DataError) as err:
        read_coding_workbook(f)
    p = err.value.problems[0]
    assert (p.row, p.column, p.value) == (3, codes["praise_over_criticism"]["zh"], "maybe")


def _per_code(c1, c2):
    b = lambda v: pd.array(v, dtype="boolean")  # noqa: E731
    return {"x": pd.DataFrame({"编码员1": b(c1), "编码员2": b(c2)}, index=list("abcde"))}


def test_reference_is_the_agreed_code_and_the_adjudication_where_coders_differ():
    # by hand: a, b agreed (T, F); c, d differ; e coded by one coder only
    per = _per_code([True, False, True, False, True], [True, False, False, True, None])
    ref, name, missing = reference_codes(per, None)
    assert name == "agreed" and missing == 2
    assert ref["x"].tolist() == [True, False, pd.NA, pd.NA, pd.NA]
    # 裁决 filled only for the disagreement c: a, b keep the agreed codes (not only the adjudicated cell)
    adj = pd.DataFrame({"x": pd.array([None, None, False, None, None], dtype="boolean")}, index=list("abcde"))
    ref, name, missing = reference_codes(per, adj)
    assert name == "agreed+adjudicated" and missing == 1
    assert ref["x"].tolist() == [True, False, False, pd.NA, pd.NA]


def test_machine_is_scored_on_agreed_and_adjudicated_records_and_missing_ones_are_counted(capsys):
    wb = read_coding_workbook(DEMO / "minutes_coding.xlsx")
    adj = wb["adjudicated"].copy()
    rep_full = agreement_report(wb, n_boot=10)
    first = rep_full["disagreements"].iloc[0]
    adj.loc[first["record_id"], first["code"]] = pd.NA  # one disagreement not yet adjudicated
    rep = agreement_report({**wb, "adjudicated": adj}, n_boot=10)
    assert rep["missing_adjudications"] == 1
    m, m_full = rep["machine"].set_index("code"), rep_full["machine"].set_index("code")
    assert m.loc[first["code"], "n"] == m_full.loc[first["code"], "n"] - 1
    # a 裁决 holding that one cell only: the machine is still scored on every agreed record too
    code = first["code"]
    only = pd.DataFrame({c: pd.array([pd.NA] * len(adj), dtype="boolean") for c in adj}, index=adj.index)
    only.loc[first["record_id"], code] = True
    c1, c2 = wb["coders"]["编码员1"][code], wb["coders"]["编码员2"][code]
    agreed = int((c1.notna() & c2.notna() & (c1 == c2)).sum())
    n = agreement_report({**wb, "adjudicated": only}, n_boot=10)["machine"].set_index("code").loc[code, "n"]
    assert n == agreed + 1


def test_one_file_per_coder_readable_answers_in_the_codebook_s_words_and_a_drop_down(tmp_path):
    import openpyxl
    from grouplab.data.minutes.workbook import coder_file

    codes = load_meeting_codebook().codes
    sample = pd.DataFrame({"record_id": ["a", "b", "c"], "group": ["G1"] * 3,
                           "date": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"]),
                           "text": ["学习了文件。" * 30, "y", "z"]})
    master, f1, f2 = write_coding_workbook(tmp_path / "coding.xlsx", sample, codes, coders=2)
    assert (f1, f2) == (coder_file(master, 1), coder_file(master, 2))
    assert f1.name == "coding_编码员1.xlsx"
    assert openpyxl.load_workbook(master).sheetnames == ["编码表", "裁决"]  # no coder sees another's sheet
    wb1 = openpyxl.load_workbook(f1)
    assert wb1.sheetnames == ["编码表", "编码员1"]
    ws = wb1["编码员1"]
    assert ws.column_dimensions["D"].width >= 60 and ws["D2"].alignment.wrap_text  # 会议内容 readable
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"1,0,NA"' and "E2:E4" in str(dv.sqref)
    labels = [codes[c]["zh"] for c in codes]
    filled = ((f1, "编码员1", ["有", "无此问题", "NA"]), (f2, "编码员2", ["1", "无", "有此问题"]))
    for f, sheet, answers in filled:
        book = openpyxl.load_workbook(f)
        head = [c.value for c in book[sheet][1]]
        for r, v in enumerate(answers, 2):
            for lab in labels:
                book[sheet].cell(r, head.index(lab) + 1, v)
        book.save(f)
    wb = read_coding_workbook(master)
    code = next(iter(codes))
    assert wb["coders"]["编码员1"][code].tolist() == [True, False, pd.NA]
    assert wb["coders"]["编码员2"][code].tolist() == [True, False, True]
    assert wb["texts"]["record_id"].tolist() == ["a", "b", "c"]


def test_a_bad_answer_in_a_coder_file_names_that_file(tmp_path):
    import openpyxl

    codes = load_meeting_codebook().codes
    sample = pd.DataFrame({"record_id": ["a"], "group": ["G1"], "date": pd.to_datetime(["2019-01-01"]),
                           "text": ["x"]})
    master, f1, _ = write_coding_workbook(tmp_path / "coding.xlsx", sample, codes, coders=2)
    book = openpyxl.load_workbook(f1)
    book["编码员1"]["E2"] = "大概"
    book.save(f1)
    with pytest.raises(DataError) as err:
        read_coding_workbook(master)
    (p,) = err.value.problems
    assert (p.file, p.row, p.value) == ("coding_编码员1.xlsx [编码员1]", 2, "大概")
    assert "有" in p.hint and "无" in p.hint

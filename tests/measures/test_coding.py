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
from grouplab.measures.coding import agreement_report, allocate, sample_for_coding
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
    assert (m["reference"] == "adjudicated").all() and (m["kappa"] >= 0.9).all()
    assert main(["minutes", "agreement", str(DEMO / "minutes_coding.xlsx"), "--boot", "50",
                 "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "Krippendorff" in printed and "adjudicated" in printed


def test_bad_answers_are_data_errors(tmp_path):
    codes = load_meeting_codebook().codes
    sample = pd.DataFrame({"record_id": ["a", "b"], "group": ["G1", "G1"],
                           "date": pd.to_datetime(["2019-01-01", "2019-02-01"]), "text": ["x", "y"]})
    answers = {"编码员1": pd.DataFrame({c: [1, 0] for c in codes})}
    f = write_coding_workbook(tmp_path / "w.xlsx", sample, codes, answers=answers)
    wb = pd.read_excel(f, sheet_name=None, engine="openpyxl", dtype=object)
    wb["编码员1"].loc[1, codes["praise_over_criticism"]["zh"]] = "maybe"
    with pd.ExcelWriter(f) as xw:
        for name, df in wb.items():
            df.to_excel(xw, sheet_name=name, index=False)
    with pytest.raises(DataError) as err:
        read_coding_workbook(f)
    p = err.value.problems[0]
    assert (p.row, p.column, p.value) == (3, codes["praise_over_criticism"]["zh"], "maybe")

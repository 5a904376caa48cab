"""Report 08 (meeting records): its tables against the demo truth recomputed with pandas.

The demo minutes were written from the recorded flags (data/demo/minutes_truth.csv), so each code's
share by group and quarter must equal the recorded flags' share over the same records.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.errors import ParameterError
from grouplab.paths import demo_dir
from grouplab.reports import meeting_records as mr

FLAGS = ["praise_over_criticism", "form_over_substance", "chat_over_solving"]


@pytest.fixture(scope="module")
def ctx():
    return mr.prepare("demo", unit_id="WA01", year=2019, lang="en")


def test_quarter_shares_equal_demo_truth(ctx):
    truth = pd.read_csv(demo_dir() / "minutes_truth.csv").set_index("record_id")
    c = ctx.coded.set_index("record_id").join(truth.add_suffix("_truth"))
    c = c[pd.to_datetime(c["date"]).dt.year == 2019].assign(q=lambda d: pd.to_datetime(d["date"]).dt.quarter)
    expected = c.groupby(["group_id", "q"])[[f + "_truth" for f in FLAGS]].mean()  # NaN truths skipped
    got = mr.quarter_shares(ctx).set_index(["group_id", "quarter"])
    assert len(got) == len(expected) > 10
    for f in FLAGS:
        np.testing.assert_allclose(got[f].to_numpy(), expected[f + "_truth"].to_numpy())
    assert (got["records"] >= got["coded"]).all()


def test_study_only_runs_by_hand(ctx):
    # one group, records in 2019-01..04 all study only, then a working record in May: one run of 4
    dates = pd.to_datetime(["2019-01-05", "2019-02-05", "2019-03-05", "2019-04-05", "2019-05-05",
                            "2019-07-01"])
    coded = pd.DataFrame({"group_id": "G1", "name": "一班", "date": dates, "status": "coded",
                          "form_over_substance": pd.array([True, True, True, True, False, True],
                                                          dtype="boolean")})
    fake = mr.MeetingRecords(ctx.dataset, "U", "U", 2019, "en", ctx.groups, coded, ctx.codes, None)
    runs = mr.study_only_runs(fake)
    assert runs[["start", "end", "months"]].values.tolist() == [["2019-01", "2019-04", 4]]
    table, sentence = mr.runs_table(fake)
    assert "1 groups" in sentence and len(table) == 1


def test_english_output_has_no_chinese_wording(ctx):
    import re

    han = re.compile(r"[\u3400-\u9fff]")
    assert not han.search(mr.summary(ctx).replace(ctx.unit_name, ""))
    table, note = mr.quotes_table(ctx)
    assert not any(han.search(str(c)) for c in table.columns) and note
    assert not table.drop(columns=["Group"]).map(lambda v: bool(han.search(str(v)))).any().any()
    agree, sentence = mr.agreement_table(ctx)
    assert agree is not None and "alpha" in sentence


def test_entities_and_parameters():
    ds = load_dataset(demo_dir(), tables=list(mr.TABLES))
    ids = mr.entity_ids(ds)
    assert "WA01" in ids and len(ids) >= 2
    with pytest.raises(ParameterError):
        mr.prepare("demo", unit_id="NOPE", year=2019, lang="zh")
    with pytest.raises(ParameterError):
        mr.prepare("demo", unit_id="WA01", year=1990, lang="zh")


def test_dataset_without_minutes_has_no_entities(tmp_path):
    for name in ("units.csv", "groups.csv"):
        (tmp_path / name).write_bytes((demo_dir() / name).read_bytes())
    (tmp_path / "dataset.yml").write_text("name: t\ntables:\n  units: units.csv\n  groups: groups.csv\n",
                                          encoding="utf-8")
    ds = load_dataset(tmp_path, tables=["units", "groups"], cache=False)
    assert mr.entity_ids(ds) == []
    assert Path(tmp_path / "dataset.yml").is_file()


def test_evidence_headers_say_which_way_and_rules_are_the_codebook_s_labels():
    import yaml

    zh = mr.prepare("demo", unit_id="WA01", year=2019, lang="zh")
    table, _ = mr.quotes_table(zh)
    assert "判定为“无此问题”的依据句（已隐去人名）" in table.columns
    assert set(table["判定"]) == {"无此问题"}  # every quoted sentence shows a problem absent
    rules = yaml.safe_load((Path(mr.__file__).parents[4] / "data" / "rubrics" / "meeting_quality.yml")
                           .read_text(encoding="utf-8"))["rules"]
    short = {r: spec["zh"].split("：")[0] for r, spec in rules.items()}  # 点名具体不足 …
    assert set(table["依据规则"]) <= set(short.values()) and len(table) > 0
    codes = {c: spec["zh"] for c, spec in yaml.safe_load(
        (Path(mr.__file__).parents[4] / "data" / "rubrics" / "meeting_quality.yml").read_text(
            encoding="utf-8"))["codes"].items()}
    assert set(table["编码（问题）"]) <= set(codes.values())  # 讲好话多、提出不足少 …, the codebook's names


def _beside(make_dataset, names):
    """The demo's units and groups of WA01, and minutes.csv beside dataset.yml naming groups by name."""
    units = pd.read_csv(demo_dir() / "units.csv")
    groups = pd.read_csv(demo_dir() / "groups.csv")
    g = groups[groups["unit_id"] == "WA01"].iloc[0]
    text = f"{g['name']}学习了文件。记录人张伟同志主持。"
    rows = [{"党小组": n, "日期": f"2019-0{i + 1}-10", "会议内容": text, "记录人": "张伟"}
            for i, n in enumerate(names(g["name"]))]
    return make_dataset({"units": units, "groups": groups, "minutes": pd.DataFrame(rows)},
                        {"name": "t", "tables": {"units": "units.csv", "groups": "groups.csv"}})


def test_records_whose_group_is_not_in_the_roster_are_listed_not_dropped(make_dataset):
    root = _beside(make_dataset, lambda name: [name, name.replace("一", "1") + "X", "不存在的小组"])
    ctx = mr.prepare(root, unit_id="WA01", year=2019, lang="zh")
    assert len(ctx.coded) == 1  # the one record the roster places
    table, sentence = mr.unplaced_table(ctx)
    assert len(table) == 2 and "另有 2 份" in sentence and "另有 2 份" in mr.summary(ctx)
    assert table["党小组（原文）"].tolist()[1] == "不存在的小组"
    assert all("张伟" not in s for s in table["记录开头（已隐去人名）"])  # the recorder's name masked
    placed = mr.prepare(_beside(make_dataset, lambda name: [name]), unit_id="WA01", year=2019, lang="en")
    assert mr.unplaced_table(placed)[0] is None


def test_a_filled_workbook_beside_dataset_yml_shows_and_is_part_of_the_data_hash(make_dataset, tmp_path):
    from grouplab.data.minutes.workbook import read_coding_workbook

    root = _beside(make_dataset, lambda name: [name])
    before = load_dataset(root, cache=False).data_hash
    assert mr.agreement_table(mr.prepare(root, unit_id="WA01", year=2019, lang="zh"))[0] is None
    (root / "coding.xlsx").write_bytes((demo_dir() / "minutes_coding.xlsx").read_bytes())
    assert load_dataset(root, cache=False).data_hash != before  # the report reruns without --force
    ctx = mr.prepare(root, unit_id="WA01", year=2019, lang="zh")
    table, sentence = mr.agreement_table(ctx)
    assert table is not None and "（coding.xlsx）" in sentence
    coders = read_coding_workbook(root / "coding.xlsx")["coders"]
    both = int((coders["编码员1"].notna().any(axis=1) & coders["编码员2"].notna().any(axis=1)).sum())
    assert f"人工编码样本 {both} 份" in sentence  # records both coders coded (the demo's, by count)

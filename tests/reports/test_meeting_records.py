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

"""Respondent identifiers are pseudonymised on load with a per-project secret."""

import pandas as pd
from grouplab import load_dataset
from grouplab.data.privacy import pseudonymise
from grouplab.data.readers.wjx import read_wjx
from grouplab.paths import demo_dir


def test_survey_ids_are_keyed_hashes_not_the_raw_numbers(monkeypatch, tmp_path):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    raw = read_wjx(demo_dir() / "survey_2019.xlsx")["respondent_id"].astype(str)
    sv = load_dataset(demo_dir())["survey"]
    ids = sv.loc[sv["wave"] == 2019, "respondent_id"]
    assert ids.str.fullmatch(r"R[0-9a-f]{16}").all()
    assert not set(ids) & set(raw)
    assert sv["respondent_id"].is_unique  # 序号 1 of 2017 and of 2018 are different people
    # another secret gives other pseudonyms (and the cache does not serve the old ones)
    monkeypatch.setenv("GROUPLAB_SECRET", "another-secret")
    other = load_dataset(demo_dir())["survey"]
    assert not set(other["respondent_id"]) & set(sv["respondent_id"])


def test_pseudonyms_are_stable_and_keyed():
    ids = pd.Series(["2019:1", "2019:2", None])
    a = pseudonymise(ids, secret=b"s1")
    assert a.equals(pseudonymise(ids, secret=b"s1"))
    assert a.iloc[0] != pseudonymise(ids, secret=b"s2").iloc[0]
    assert pd.isna(a.iloc[2])

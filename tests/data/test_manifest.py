"""dataset.yml: no key is silently ignored; a misspelt key gets the closest known key (difflib)."""

from __future__ import annotations

import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.manifest import unknown_keys
from grouplab.errors import DataError


def _said(problems):
    return [(p.file, p.column, p.rule, p.hint.split(" Keys here")[0]) for p in problems]


def test_unknown_keys_anywhere_with_did_you_mean():
    manifest = {"nmae": "x", "study_window": {"start": "2019-01", "ende": "2019-12"},
                "tables": {"incidents": {"file": "a.xlsx", "unit_id": "变电检修工区"},
                           "activities": {"layout": "wide",
                                          "files": [{"file": "b.xlsx", "knid": "theme_day"}]},
                           "survey": {"format": "wjx", "files": {2019: "s.xlsx"}, "platfrom": "wjx"}}}
    assert _said(unknown_keys(manifest)) == [
        ("dataset.yml", "nmae", "unknown key", "Did you mean 'name'?"),
        ("dataset.yml", "study_window.ende", "unknown key", "Did you mean 'end'?"),
        ("dataset.yml", "tables.incidents.unit_id", "unknown key", "Did you mean 'unit'?"),
        ("dataset.yml", "tables.activities.files[0].knid", "unknown key", "Did you mean 'kind'?"),
        ("dataset.yml", "tables.survey.platfrom", "unknown key", "Did you mean 'platform'?")]
    (p,) = unknown_keys({"whatever_this_is": 1})
    assert p.hint.startswith("Keys here: name, synthetic")  # nothing close: the keys are listed


def test_a_wide_only_key_on_a_long_table_is_said():
    (p,) = unknown_keys({"tables": {"activities": {"file": "a.csv", "kind": "theme_day"}}})
    assert (p.column, p.rule) == ("tables.activities.kind", "this key is read only with layout: wide")
    assert "Write 'layout: wide' in tables.activities" in p.hint
    wide = {"file": "a.xlsx", "layout": "wide", "kind": "theme_day"}
    assert unknown_keys({"tables": {"activities": wide}}) == []


def test_the_manifests_shipped_have_no_unknown_key():
    import yaml
    from grouplab.paths import demo_dir

    for path in [demo_dir() / "dataset.yml", *sorted((demo_dir().parent / "examples").glob("*/dataset.yml"))]:
        assert unknown_keys(yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_an_unknown_key_stops_the_load_with_a_data_error(make_dataset):
    root = make_dataset({"units": "unit_id,name,level,sector\nA,甲,company,power\n"},
                        {"name": "x", "tables": {"units": {"file": "units.csv", "encodng": "utf-8"}}})
    with pytest.raises(DataError) as err:
        load_dataset(root, cache=False)
    assert _said(err.value.problems) == [("dataset.yml", "tables.units.encodng", "unknown key",
                                          "Did you mean 'encoding'?")]
    assert "dataset.yml, column 'tables.units.encodng': unknown key" in str(err.value)

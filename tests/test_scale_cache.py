"""The Parquet cache: exact round trip, only the tables and columns asked for, broken entries rebuilt."""

from __future__ import annotations

import pandas as pd
from grouplab.data.cache import cache_file, read_cached
from grouplab.data.dataset import load_dataset
from grouplab.data.specs import read_yaml
from grouplab.paths import demo_dir


def test_cached_dataset_equals_the_validated_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    fresh = load_dataset(demo_dir(), cache=False)
    load_dataset(demo_dir())  # validates and stores
    cached = load_dataset(demo_dir())  # from the cache
    assert list(tmp_path.iterdir())[0].suffix == ".parquets"
    assert set(cached.tables) == set(fresh.tables)
    for name, df in fresh.tables.items():
        pd.testing.assert_frame_equal(cached.tables[name], df, check_exact=True, obj=name)
    assert (cached.rubric, cached.questionnaire, cached.catalogue) == (
        fresh.rubric, fresh.questionnaire, fresh.catalogue)
    assert cached.data_hash == fresh.data_hash and cached.study_window == fresh.study_window


def test_a_report_reads_only_its_tables_and_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    want = {"tables": ["groups", "incidents"], "columns": {"incidents": ["group_id", "date"]}}
    first = load_dataset(demo_dir(), **want)  # validates everything once, returns the subset
    again = load_dataset(demo_dir(), **want)  # from the cache
    full = load_dataset(demo_dir())
    for ds in (first, again):
        assert sorted(ds.tables) == ["groups", "incidents"]
        assert list(ds.tables["incidents"].columns) == ["group_id", "date"]
        pd.testing.assert_frame_equal(ds.tables["incidents"], full.tables["incidents"][["group_id", "date"]])
        pd.testing.assert_frame_equal(ds.tables["groups"], full.tables["groups"])


def test_a_broken_entry_is_deleted_and_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    load_dataset(demo_dir())
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(entry.read_bytes()[:5000])  # truncated, e.g. a full disk
    manifest = demo_dir() / "dataset.yml"
    assert read_cached(cache_file(demo_dir(), manifest, read_yaml(manifest))) is None
    assert not entry.exists()
    assert len(load_dataset(demo_dir()).tables["groups"]) == 58
    assert entry.exists()

"""The Arrow cache: exact round trip, only the tables and columns asked for, broken entries rebuilt."""

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
    assert len(list(tmp_path.glob("dataset-*.arrows"))) == 1
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
    (entry,) = tmp_path.glob("dataset-*")
    entry.write_bytes(entry.read_bytes()[:5000])  # truncated, e.g. a full disk
    manifest = demo_dir() / "dataset.yml"
    assert read_cached(cache_file(demo_dir(), manifest, read_yaml(manifest))) is None
    assert not entry.exists()
    assert len(load_dataset(demo_dir()).tables["groups"]) == 58
    assert entry.exists()


def test_a_remembered_hash_follows_every_write(tmp_path, monkeypatch):
    """The stat-keyed digest memo: an edit of the same size with mtime put back is still seen."""
    import hashlib
    import os

    from grouplab.data.cache import sha256_of

    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "groups.csv"
    f.write_bytes(b"group_id\nG1\n")
    os.utime(f, ns=(10**18, 10**18))  # old mtime, but ctime is now: not remembered yet
    assert sha256_of(f) == hashlib.sha256(b"group_id\nG1\n").hexdigest()
    f.write_bytes(b"group_id\nG2\n")  # same size
    os.utime(f, ns=(10**18, 10**18))
    assert sha256_of(f) == hashlib.sha256(b"group_id\nG2\n").hexdigest()
    # an old file is remembered: the memo answers without reading (same digest as bytes)
    monkeypatch.setattr("time.time_ns", lambda: 10**19)
    first = sha256_of(f)
    assert list((tmp_path / "cache" / "hashes").iterdir()) and sha256_of(f) == first


def test_a_worker_reads_each_cached_table_once(tmp_path, monkeypatch):
    """Reports run one after another in a warm kernel: a table's frame is built once."""
    from grouplab.data import cache

    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    load_dataset(demo_dir())  # validates and fills the cache
    calls, real = [], cache._arrow_table
    monkeypatch.setattr(cache, "_arrow_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = load_dataset(demo_dir(), tables=["groups", "units"])
    first.tables["groups"]["x"] = 1  # a report that adds a column to its frame
    second = load_dataset(demo_dir(), tables=["groups"])
    assert len(calls) == 2 and set(first.tables) == {"groups", "units"} and set(second.tables) == {"groups"}
    assert "x" not in second.tables["groups"] and len(second.tables["groups"]) == 58


def _entry(folder, name, mtime, size=100):
    """A stand-in cache entry of the current layout (magic bytes, then padding), written at ``mtime``."""
    import os

    magic = b"GLCACHE3"  # the first bytes of an entry of today's layout (grouplab.data.cache)
    p = folder / f"dataset-{name}.arrows"
    p.write_bytes(magic + bytes(size - len(magic)))
    os.utime(p, (mtime, mtime))
    return p


def test_eviction_drops_old_formats_dead_writes_and_all_but_the_newest_entries(tmp_path):
    import os
    import time

    from grouplab.data.cache import evict

    now = time.time()
    entries = [_entry(tmp_path, f"{i:02d}", now - 100 * (10 - i)) for i in range(10)]  # 09 newest
    old_format = tmp_path / "dataset-abc.parquets"
    old_format.mkdir()
    (old_format / "groups.parquet").write_bytes(b"PAR1")
    other_layout = tmp_path / "dataset-def.arrows"
    other_layout.write_bytes(b"GLCACHE1" + bytes(50))
    dead = tmp_path / ".dataset-x.arrows.123.tmp"
    dead.write_bytes(b"")
    os.utime(dead, (now - 7200, now - 7200))
    alive = tmp_path / ".dataset-y.arrows.456.tmp"  # another process is writing it now
    alive.write_bytes(b"")
    (tmp_path / "hashes").mkdir()  # the digest memo is not an entry
    gone = evict(tmp_path, keep=entries[0], entries=3, max_bytes=10**9)
    left = sorted(p.name for p in tmp_path.iterdir())
    # kept: the 3 newest, the entry just written (even though oldest), the live write, the memo
    assert left == [".dataset-y.arrows.456.tmp", "dataset-00.arrows", "dataset-07.arrows",
                    "dataset-08.arrows", "dataset-09.arrows", "hashes"]
    assert len(gone) == 3 + 6  # old format, other layout, dead write; entries 01-06


def test_eviction_keeps_the_cache_under_its_size_cap(tmp_path):
    import time

    from grouplab.data.cache import evict

    now = time.time()
    entries = [_entry(tmp_path, f"{i}", now - 10 * (5 - i), size=1000) for i in range(5)]
    evict(tmp_path, keep=entries[4], entries=100, max_bytes=2500)  # room for two entries of 1000 bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset-3.arrows", "dataset-4.arrows"]


def test_writing_an_entry_evicts_earlier_formats(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUPLAB_CACHE", str(tmp_path))
    old = tmp_path / "dataset-0f84.parquets"
    old.mkdir()
    (old / "units.parquet").write_bytes(b"PAR1")
    load_dataset(demo_dir())
    assert [p.suffix for p in tmp_path.glob("dataset-*")] == [".arrows"]

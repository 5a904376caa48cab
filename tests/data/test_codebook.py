"""Codebook <-> schema consistency."""

import pandas as pd
import pandera.pandas as pa
import pytest
from grouplab.data.codebook import TABLES, codebook, label, normalize_header
from grouplab.data.schema import build_schema


def test_codebook_lists_the_eleven_tables():
    assert tuple(codebook()) == TABLES
    assert len(TABLES) == 11  # the ten of the ledgers and surveys, and the optional minutes


@pytest.mark.parametrize("table", TABLES)
def test_every_column_is_labelled_and_aliases_are_unambiguous(table):
    spec = codebook()[table]
    seen = {}
    for col in spec.columns.values():
        assert col.zh and col.en and col.zh != col.name
        for alias in (col.name, col.zh, *col.aliases):
            key = normalize_header(alias)
            assert seen.setdefault(key, col.name) == col.name, f"{alias!r} maps to two columns"
    assert set(spec.key) <= set(spec.columns)


@pytest.mark.parametrize("table", TABLES)
def test_schema_has_every_column_and_the_key(table):
    spec = codebook()[table]
    schema = build_schema(spec)
    assert isinstance(schema, pa.DataFrameSchema)
    assert set(schema.columns) == set(spec.columns)
    assert list(schema.unique) == list(spec.key)
    for name, col in spec.columns.items():
        assert schema.columns[name].nullable == col.nullable
        ranges = [c for c in schema.columns[name].checks if "in_range" in str(c)]
        assert bool(ranges) == (col.range is not None)


def test_schema_rejects_out_of_range_and_duplicate_keys():
    spec = codebook()["evaluations"]
    df = pd.DataFrame({"group_id": ["G1", "G1"], "period": ["2019H1", "2019H1"],
                       "item_id": ["I01", "I01"], "score": [101.0, 5.0]})
    with pytest.raises(pa.errors.SchemaErrors) as info:
        build_schema(spec).validate(df, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert "in_range(0.0, 100.0)" in checks
    assert "multiple_fields_uniqueness" in checks


def test_references_point_to_known_columns():
    cb = codebook()
    for spec in cb.values():
        for col in spec.columns.values():
            if col.references:
                t, c = col.references.split(".")
                assert t in ("rubric", "catalogue") or c in cb[t].columns


def test_labels():
    assert label("evaluations", "score", "zh") == "考评得分"
    assert label("evaluations", "score", "en") == "Score"
    assert label("evaluations", "nonexistent") == "nonexistent"


def test_every_file_path_the_readme_names_exists():
    # the README once named lib/grouplab/codebook.yml, which never existed (issue 22)
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = (root / "README.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:lib|data|notebooks|tests|bench)/[\w./-]+\.(?:yml|yaml|py|ipynb|csv|md))`",
                           text))
    assert "lib/grouplab/data/codebook.yml" in paths
    placeholders = {"data/mycompany/dataset.yml"}  # the user's own folder in the README's example
    assert sorted(p for p in paths - placeholders if not (root / p).exists()) == []

"""grouplab.synth.replicate: K copies of the demo with new ids, same shapes, same truth."""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab.data.dataset import load_dataset
from grouplab.data.demo import load_demo
from grouplab.errors import ParameterError
from grouplab.synth.replicate import replicate_demo

_IDS = ["unit_id", "parent_id", "group_id", "leader_id", "member_id", "entity_id", "incident_id"]


def _strip(df: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """Rows of one replica with the replica suffix removed from every id column."""
    out = df.copy()
    for c in out.columns:
        if c in _IDS:
            out[c] = out[c].str.removesuffix(suffix)
    return out.reset_index(drop=True)


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    folder = replicate_demo(2, tmp_path_factory.mktemp("k2") / "demo_x2")
    return load_dataset(folder)


def test_every_table_doubles_and_each_replica_is_the_demo(twice):
    demo = load_demo()
    assert set(twice.tables) == set(demo.tables)
    for name, one in demo.tables.items():
        two = twice.tables[name]
        assert len(two) == 2 * len(one), name
        key = "group_id" if "group_id" in two else ("entity_id" if "entity_id" in two else "unit_id")
        for r in (1, 2):
            suffix = f"-{r:03d}"
            part = two[two[key].str.endswith(suffix)]
            got = _strip(part, suffix).drop(columns=["respondent_id"], errors="ignore")
            want = one.reset_index(drop=True).drop(columns=["respondent_id"], errors="ignore")
            pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=f"{name} replica {r}")


def test_ids_are_new_in_every_replica(twice):
    g = twice.tables["groups"]
    assert g["group_id"].is_unique and len(g) == 116
    assert g["group_id"].iloc[0] == "G001-001" and g["group_id"].iloc[-1] == "G058-002"
    s = twice.tables["survey"]
    # 问卷星 序号 renumbered: unique within a wave across replicas
    assert not s.duplicated(["respondent_id", "wave"]).any()
    units = twice.tables["units"]
    assert (units["level"] == "company").sum() == 2 and (units["level"] == "station").sum() == 6


@pytest.mark.parametrize("k", [0, -1, 1.5, True, 151])
def test_bad_k_is_a_parameter_error(tmp_path, k):
    with pytest.raises(ParameterError, match="k"):
        replicate_demo(k, tmp_path / "x")
    assert not (tmp_path / "x").exists()  # refused before anything is written

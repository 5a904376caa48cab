"""Coded flags beside recorded flags (demo: the minutes were written from the recorded flags)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from grouplab.data.dataset import read_table
from grouplab.data.minutes import link_minutes
from grouplab.data.minutes.workbook import minutes_source
from grouplab.errors import ParameterError
from grouplab.measures.activity import FLAGS, activity_panel
from grouplab.measures.meeting_flags import apply_flag_source, coded_activity_flags, compare_flags
from grouplab.measures.minutes import code_minutes

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    minutes, _ = minutes_source(DEMO)
    acts = read_table(DEMO / "activities.csv", "activities")
    linked, _ = link_minutes(minutes, acts)
    return acts, coded_activity_flags(linked, code_minutes(minutes))


def test_coded_flags_equal_recorded_on_demo(demo):
    acts, coded = demo
    cmp = compare_flags(acts, coded).set_index("flag")
    # 3837 records, 3 unmatched, 2 % placeholders not coded: the rest have both sources
    assert (cmp["n"] > 3600).all() and (cmp["kappa"] == 1.0).all() and (cmp["agreement"] == 1.0).all()
    assert (cmp["recorded_only"] == acts["praise_over_criticism"].notna().sum() - cmp["n"]).all()
    coded_acts = apply_flag_source(acts, coded, "coded")
    both = coded_acts["flag_source"].eq("coded").fillna(False).to_numpy()
    for f in FLAGS:
        np.testing.assert_array_equal(coded_acts.loc[both, f].to_numpy(),
                                      acts.loc[both, f].to_numpy(dtype=float))
    assert coded_acts.loc[~both, list(FLAGS)].isna().all().all()


def test_recorded_else_coded_fills_gaps_and_panel_uses_it(demo):
    acts, coded = demo
    gappy = acts.copy()
    idx = gappy.index[gappy["praise_over_criticism"].notna()][:50]
    gappy.loc[idx, list(FLAGS)] = np.nan
    filled = apply_flag_source(gappy, coded, "recorded_else_coded")
    coded_rows = filled["flag_source"].eq("coded").fillna(False)
    assert set(filled.index[coded_rows]) <= set(idx) and coded_rows.sum() >= 45
    np.testing.assert_array_equal(filled.loc[coded_rows, list(FLAGS)].to_numpy(),
                                  acts.loc[coded_rows, list(FLAGS)].to_numpy(dtype=float))
    expected = acts.copy()  # the log with only the gaps the minutes could not fill (placeholders)
    expected.loc[[i for i in idx if not coded_rows[i]], list(FLAGS)] = np.nan
    p_exp, p_fill = activity_panel(expected), activity_panel(filled)
    assert len(p_exp) == len(p_fill)
    np.testing.assert_allclose(p_exp["flags_per_meeting"].astype(float),
                               p_fill["flags_per_meeting"].astype(float), equal_nan=True)


def test_bad_source():
    with pytest.raises(ParameterError):
        apply_flag_source(pd.DataFrame({"group_id": [], "date": [], "kind": [], "seq": []}), None, "coded")
    with pytest.raises(ParameterError):
        apply_flag_source(pd.DataFrame(), None, "bogus")

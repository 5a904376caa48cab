"""The optional supervised coder: chosen only where it beats the rules under cross-validation.

References: scikit-learn's StratifiedKFold/cross_val_predict for the folds; kappa as in
tests/measures/test_agreement.py (checked there against scikit-learn).
"""

import numpy as np
import pandas as pd
from grouplab.data.minutes.workbook import minutes_source, read_coding_workbook
from grouplab.measures.minutes_model import apply_coders, choose_coders
from grouplab.paths import demo_dir


def _hand_sample(n=200, seed=0):
    minutes, _ = minutes_source(demo_dir())
    truth = pd.read_csv(demo_dir() / "minutes_truth.csv").set_index("record_id")
    rng = np.random.default_rng(seed)
    pick = minutes.iloc[rng.choice(len(minutes), size=n, replace=False)].set_index("record_id")
    return pick, truth.loc[pick.index].astype("boolean")


def test_rules_kept_where_they_match_the_hand_codes():
    pick, hand = _hand_sample()
    table, models = choose_coders(pick["text"], hand, folds=5)
    assert (table["kappa_rules"] > 0.95).all() and (table["chosen"] == "rules").all() and models == {}


def test_model_chosen_for_a_code_the_rules_do_not_know():
    pick, hand = _hand_sample()
    # a researcher's new code the default rules do not cover: "the record mentions a video"
    hand = pd.DataFrame({"praise_over_criticism": pick["text"].str.contains("观看").astype("boolean")})
    table, models = choose_coders(pick["text"], hand, folds=5)
    row = table.iloc[0]
    assert row["chosen"] == "model" and row["kappa_model"] > row["kappa_rules"] + 0.3
    out = apply_coders(pick.reset_index(), models)
    assert (out["praise_over_criticism_source"].dropna() == "model").all()
    coded = out["status"].eq("coded").to_numpy()
    got = out.loc[coded, "praise_over_criticism"].astype(bool).to_numpy()
    assert (got == hand.iloc[:, 0].to_numpy()[coded]).mean() > 0.95


def test_too_few_records_keep_the_rules():
    wb = read_coding_workbook(demo_dir() / "minutes_coding.xlsx")
    texts = wb["texts"].set_index("record_id")["text"].head(12)
    table, models = choose_coders(texts, wb["adjudicated"].loc[texts.index], folds=3)
    assert table["kappa_model"].isna().all() and (table["chosen"] == "rules").all()

"""An optional supervised coder of minutes, used for a code only where it beats the rules.

Trained on a hand-coded sample (the adjudicated sheet of a coding workbook): character n-gram TF-IDF
(1–3 characters, no segmentation needed) and a logistic regression with balanced class weights. For each
code, the rules (:func:`grouplab.measures.minutes.code_minutes`) and the model are compared by Cohen's
kappa against the hand codes under stratified k-fold cross-validation (the model's predictions are all
out of fold; the rules are not trained, so their kappa is over the same records); the model is chosen
only when its kappa is higher. With few records or too few of either class the rules are kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.errors import ParameterError
from grouplab.measures.agreement import cohen_kappa
from grouplab.measures.minutes import code_minutes, load_meeting_codebook

__all__ = ["choose_coders", "apply_coders", "MIN_PER_CLASS"]

#: fewest hand-coded records of each class (TRUE and FALSE) before a model is tried
MIN_PER_CLASS = 10


def _pipeline(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                         LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed))


def choose_coders(texts: pd.Series, hand: pd.DataFrame, *, codebook=None, folds: int = 5,
                  seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Per code, rules or model: cross-validated kappa of each against the hand codes.

    Parameters
    ----------
    texts : pandas.Series
        Record texts (index = record id).
    hand : pandas.DataFrame
        Hand codes (boolean, NA where not coded), same index, one column per code.
    codebook : optional
        The rules' codebook (default ``data/rubrics/meeting_quality.yml``).
    folds, seed
        Cross-validation folds and seed.

    Returns
    -------
    table : pandas.DataFrame
        One row per code: ``code``, ``n``, ``n_true``, ``kappa_rules``, ``kappa_model`` (NaN when not
        tried), ``chosen`` (``rules`` or ``model``).
    models : dict
        Code → the model fitted on every hand-coded record, for the codes where the model was chosen.
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    if folds < 2:
        raise ParameterError("folds must be at least 2")
    rules = code_minutes(pd.DataFrame({"text": texts}), codebook=load_meeting_codebook(codebook))
    rows, models = [], {}
    for code in hand.columns:
        y = hand[code].astype("boolean")
        ok = y.notna() & rules[code].notna()
        yk, xk = y[ok].astype(bool).to_numpy(), texts[ok].astype(str).to_numpy()
        k_rules = cohen_kappa(yk, rules.loc[ok, code].astype(bool).to_numpy())
        k_model = float("nan")
        if min(yk.sum(), (~yk).sum()) >= max(MIN_PER_CLASS, folds):
            cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
            pred = cross_val_predict(_pipeline(seed), xk, yk, cv=cv)
            k_model = cohen_kappa(yk, pred)
        chosen = "model" if not np.isnan(k_model) and (np.isnan(k_rules) or k_model > k_rules) else "rules"
        if chosen == "model":
            models[code] = _pipeline(seed).fit(xk, yk)
        rows.append({"code": code, "n": int(ok.sum()), "n_true": int(yk.sum()), "kappa_rules": k_rules,
                     "kappa_model": k_model, "chosen": chosen})
    return pd.DataFrame(rows, columns=["code", "n", "n_true", "kappa_rules", "kappa_model", "chosen"]), models


def apply_coders(minutes: pd.DataFrame, models: dict, *, codebook=None) -> pd.DataFrame:
    """:func:`~grouplab.measures.minutes.code_minutes`, with the chosen models' codes in place of the rules'.

    Returns
    -------
    pandas.DataFrame
        As ``code_minutes``, plus ``<code>_source`` (``rules`` or ``model``) per code; a model's code has
        rule ``model`` and no evidence sentence.
    """
    out = code_minutes(minutes, codebook=load_meeting_codebook(codebook))
    coded = out["status"].eq("coded").to_numpy()
    for code in [c for c in out.columns if f"{c}_rule" in out.columns]:
        model = models.get(code)
        out[f"{code}_source"] = pd.array(np.where(coded, "model" if model else "rules", None), dtype="string")
        if model is None or not coded.any():
            continue
        pred = model.predict(minutes.loc[coded, "text"].astype(str).to_numpy())
        vals = out[code].copy()
        vals[coded] = pred
        out[code] = vals
        out.loc[coded, f"{code}_rule"] = "model"
        out.loc[coded, f"{code}_evidence"] = pd.NA
    return out

"""Respondent attributes of the demo member survey, and the structure the survey study recovers.

The demo's answers already have a factor structure: each of the five scales is
one latent trait θ_s measured by four items (loadings on the latent response
scale ``TRUTH["survey"]["item_loading"]``; the 4th item reverse-keyed), and the
traits correlate through a shared person factor and group engagement (see
:data:`STRUCTURE_NOTE`). This module adds three respondent attributes whose
distribution depends on those traits, so that group differences are real and
known:

- ``D1`` sex: independent of every answer (a true null difference);
- ``D2`` post type: team leaders are more likely among members with a high
  θ_leader, managers/technicians less likely among those with a high θ_safety;
- ``D3`` years of Party membership: long membership is more likely with a high
  θ_cohesion and among members who chose the key option of C1.

Attributes are drawn with their own random stream (``TRUTH["survey"]["attributes"]["seed"]``),
so adding them changed no existing answer of the demo.
"""

from __future__ import annotations

import numpy as np

from grouplab.synth.truth import TRUTH

__all__ = ["ATTRIBUTES", "attribute_spec", "draw_attributes", "STRUCTURE_NOTE"]

ATTRIBUTES = {
    "D1": ("性别", "Sex", [("男", "Male"), ("女", "Female")]),
    "D2": ("岗位类别", "Post type", [("一线员工", "Front-line worker"), ("班组长", "Team leader"),
                                     ("管理技术人员", "Manager or technician")]),
    "D3": ("党龄", "Party standing", [("5年以下", "Under 5 years"), ("5–15年", "5–15 years"),
                                              ("15年以上", "Over 15 years")]),
}

STRUCTURE_NOTE = (
    "items: y*_ij = λ_j θ_is + √(1 − λ_j²) ε_ij, answer = 1 + #(thresholds below y*); "
    "θ_is = engagement loading · z_g + post shift + √ρ · general_i + √(1 − ρ) · specific_is, so the "
    "five scale traits correlate ≈ ρ plus the shared engagement; reverse-keyed 4th items are recoded "
    "6 − answer before analysis. Ordinal answers attenuate loadings and correlations a little.")


def attribute_spec() -> dict:
    """``attributes`` entry of the questionnaire spec: {id: {zh, en, options {code: {zh, en}}}}."""
    return {aid: {"zh": zh, "en": en,
                  "options": {k + 1: {"zh": o[0], "en": o[1]} for k, o in enumerate(opts)}}
            for aid, (zh, en, opts) in ATTRIBUTES.items()}


def _categorical(rng: np.random.Generator, logits: np.ndarray) -> np.ndarray:
    """Codes 1..K from row-wise multinomial logits (n, K)."""
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(p))[:, None]
    return 1 + (u > np.cumsum(p, axis=1)).sum(axis=1)


def draw_attributes(wave: int, thetas: dict[str, np.ndarray], c1: np.ndarray) -> dict[str, np.ndarray]:
    """Attribute codes of one wave's respondents (−2 where skipped), in respondent order.

    Parameters
    ----------
    wave : int
    thetas : {scale: latent trait of each respondent}
    c1 : answers to C1 (1 = the key option)

    Returns
    -------
    dict
        ``D1``, ``D2``, ``D3``: int arrays of option codes.
    """
    at = TRUTH["survey"]["attributes"]
    rng = np.random.default_rng([at["seed"], int(wave)])
    n = len(c1)
    out: dict[str, np.ndarray] = {}
    for aid, a in at["logits"].items():
        logits = np.tile(np.asarray(a["base"], dtype=float), (n, 1))
        for k, terms in (a.get("theta") or {}).items():
            for scale, coef in terms.items():
                logits[:, int(k) - 1] += coef * thetas[scale]
        for k, coef in (a.get("c1_key") or {}).items():
            logits[:, int(k) - 1] += coef * (c1 == 1)
        code = _categorical(rng, logits)
        out[aid] = np.where(rng.random(n) < TRUTH["survey"]["skip_rate"], -2, code)
    return out

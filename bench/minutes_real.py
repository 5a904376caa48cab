"""Validation of the minutes coder on real public meeting write-ups (a benchmark, not a CI test).

bench/minutes_real.yml lists the pages (address, id, kind, sector), the codes two coders gave each
record blind to each other and to the machine in two rounds (``r1_a``, ``r1_b`` with codebook version
1; ``coder_a``, ``coder_b`` with version 2, revised after round 1), the adjudicated codes
(``adjudicated``: round 2's codes where its coders agree, a third reading of the codebook where they
do not) and the part of each record:

* ``dev`` — the rules' authors read these texts and their adjudicated codes while writing cues;
  the machine's score on them is in-sample;
* ``heldout`` — nobody who wrote or changed a cue or rule read these texts; the machine's score on
  them is the out-of-sample figure.

The texts are not in the repository (the pages' terms do not allow copying): save each write-up as
``<id>.txt`` (UTF-8; the meeting report itself, without site menus) in a folder and run

    python bench/minutes_real.py --texts FOLDER        (or GROUPLAB_REAL_MINUTES=FOLDER)

It prints, per code and round: Krippendorff's alpha (nominal) and Cohen's kappa between the two coders
with bootstrap CIs, then the machine's kappa, precision, recall, F1 and accuracy against the adjudicated
codes on each part, and each held-out disagreement (id, hand code, machine code, the machine's rule
and its masked evidence). Target: kappa >= 0.8 per code on the held-out part. Kappa is undefined
(NaN) when the codes of a code are all equal. A code is 1 (TRUE) when the problem is present.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd
import yaml
from grouplab.measures.agreement import code_agreement, machine_agreement
from grouplab.measures.minutes import code_minutes

HERE = Path(__file__).resolve().parent
#: (title, first coder, second coder) of each coding round
ROUNDS = (("round 1, codebook version 1", "r1_a", "r1_b"),
          ("round 2, codebook version 2", "coder_a", "coder_b"))


def _codes(recs: list[dict], key: str, codes: list[str]) -> pd.DataFrame:
    """One row per record, one boolean column per code (NA: not coded, or not a meeting record)."""
    rows = [r.get(key) or [None] * len(codes) for r in recs]
    return pd.DataFrame(rows, columns=codes, index=[r["id"] for r in recs]).astype("boolean")


def load(folder: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], list[str]]:
    """Texts (``record_id``, ``part``, ``kind``, ``text``) and the codes of each coder and adjudication."""
    spec = yaml.safe_load((HERE / "minutes_real.yml").read_text("utf-8"))
    codes, recs = spec["codes"], spec["records"]
    missing = [r["id"] for r in recs if not (folder / f"{r['id']}.txt").is_file()]
    if missing:
        raise SystemExit(f"texts missing in {folder}: {', '.join(missing)} (save each page as <id>.txt)")
    texts = pd.DataFrame({"record_id": [r["id"] for r in recs], "part": [r["part"] for r in recs],
                          "kind": [r.get("kind", "") for r in recs],
                          "text": [(folder / f"{r['id']}.txt").read_text("utf-8") for r in recs]})
    hand = {k: _codes(recs, k, codes) for k in ("r1_a", "r1_b", "coder_a", "coder_b", "adjudicated")}
    return texts, hand, codes


def _coders_table(first: pd.DataFrame, second: pd.DataFrame, codes: list[str],
                  rows: pd.Index) -> pd.DataFrame:
    frames = {c: pd.DataFrame({"A": first.loc[rows, c], "B": second.loc[rows, c]}).astype(object)
              for c in codes}
    return code_agreement(frames, n_boot=1000, seed=20261208)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default=os.environ.get("GROUPLAB_REAL_MINUTES"),
                        help="folder of <id>.txt write-ups")
    args = parser.parse_args(argv)
    if not args.texts:
        parser.error("give --texts FOLDER or set GROUPLAB_REAL_MINUTES")
    texts, hand, codes = load(Path(args.texts))
    parts = texts.set_index("record_id")["part"]
    print(f"records: {len(texts)} ({', '.join(f'{k} {v}' for k, v in parts.value_counts().items())})")
    cols = ["code", "units", "alpha", "alpha_lo", "alpha_hi", "kappa", "kappa_lo", "kappa_hi", "verdict"]
    truth = hand["adjudicated"]
    machine = code_minutes(texts.set_index("record_id"))
    with pd.option_context("display.precision", 3, "display.width", 160):
        held = parts.index[parts.eq("heldout")]
        for title, one, two in ROUNDS:
            for name, rows in (("all records", parts.index), ("held-out part", held)):
                print(f"\nTwo coders blind to each other, {title} ({name}; "
                      "alpha nominal, 95 % bootstrap CIs):")
                print(_coders_table(hand[one], hand[two], codes, rows)[cols].to_string(index=False))
        for part, label in (("dev", "dev part (in-sample: read while writing rules)"),
                            ("heldout", "held-out part (out of sample)")):
            rows = parts.index[parts.eq(part)]
            print(f"\nMachine against the adjudicated codes, {label}:")
            print(machine_agreement(truth.loc[rows], machine.loc[rows], codes).to_string(index=False))
        print("\nShares TRUE on the held-out part (problem present): adjudicated "
              + ", ".join(f"{c} {truth.loc[held, c].mean():.2f}" for c in codes)
              + "; machine " + ", ".join(f"{c} {machine.loc[held, c].mean():.2f}" for c in codes))
        for c in codes:
            diff = held[(truth.loc[held, c] != machine.loc[held, c]).fillna(False).to_numpy()]
            for rid in diff:
                print(f"  {c} {rid}: hand {truth.loc[rid, c]}, machine {machine.loc[rid, c]} "
                      f"({machine.loc[rid, c + '_rule']}: {machine.loc[rid, c + '_evidence']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

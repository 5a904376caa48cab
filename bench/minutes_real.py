"""Validation of the minutes coder on real public meeting write-ups (a benchmark, not a CI test).

bench/minutes_real.yml lists the pages (address, id), the hand codes of coder A (and coder B once a
second coder has coded them blind) and which records are held out (read only after the codebook's
rules were frozen). The texts are not in the repository: save each write-up as <id>.txt (UTF-8) in a
folder and run

    python bench/minutes_real.py --texts FOLDER        (or GROUPLAB_REAL_MINUTES=FOLDER)

It prints, per code: Krippendorff's alpha between the coders (when coder B exists), and the machine's
Cohen's kappa, precision, recall, F1 and accuracy against coder A on the held-out part, with each
disagreement (id, hand code, machine code, the machine's rule and masked evidence). Target: kappa >= 0.8
per code on the held-out part. Kappa is undefined (NaN) when the hand codes of a code are all equal.
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


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, list[str]]:
    spec = yaml.safe_load((HERE / "minutes_real.yml").read_text("utf-8"))
    codes = spec["codes"]
    recs = spec["records"]
    missing = [r["id"] for r in recs if not (folder / f"{r['id']}.txt").is_file()]
    if missing:
        raise SystemExit(f"texts missing in {folder}: {', '.join(missing)} (save each page as <id>.txt)")
    texts = pd.DataFrame({"record_id": [r["id"] for r in recs],
                          "part": [r.get("part", "heldout") for r in recs],
                          "text": [(folder / f"{r['id']}.txt").read_text("utf-8") for r in recs]})
    a = pd.DataFrame([r["coder_a"] for r in recs], columns=codes, index=texts["record_id"]).astype("boolean")
    b = None
    if all(r.get("coder_b") for r in recs):
        b = pd.DataFrame([r["coder_b"] for r in recs], columns=codes,
                         index=texts["record_id"]).astype("boolean")
    return texts, a, b, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default=os.environ.get("GROUPLAB_REAL_MINUTES"),
                        help="folder of <id>.txt write-ups")
    args = parser.parse_args(argv)
    if not args.texts:
        parser.error("give --texts FOLDER or set GROUPLAB_REAL_MINUTES")
    texts, a, b, codes = load(Path(args.texts))
    held = texts["part"].eq("heldout").to_numpy()
    print(f"records: {len(texts)} ({int(held.sum())} held out)")
    if b is not None:
        agr = code_agreement({c: pd.DataFrame({"A": a[c], "B": b[c]}).astype(object) for c in codes})
        print("\nCoders A and B (Krippendorff's alpha, nominal):")
        cols = ["code", "units", "alpha", "alpha_lo", "alpha_hi", "kappa", "verdict"]
        print(agr[cols].to_string(index=False))
    else:
        print("\nCoder B has not coded these records: no alpha between coders yet.")
    machine = code_minutes(texts.set_index("record_id"))
    scores = machine_agreement(a[held], machine[held], codes)
    with pd.option_context("display.precision", 3, "display.width", 160):
        print("\nMachine against coder A on the held-out part:")
        print(scores.to_string(index=False))
        print("\nShares TRUE (problem present): coder A "
              + ", ".join(f"{c} {a.loc[held, c].mean():.2f}" for c in codes)
              + "; machine " + ", ".join(f"{c} {machine.loc[held, c].mean():.2f}" for c in codes))
        for c in codes:
            diff = a.index[held][(a.loc[held, c] != machine.loc[held, c]).fillna(True).to_numpy()]
            for rid in diff:
                print(f"  {c} {rid}: hand {a.loc[rid, c]}, machine {machine.loc[rid, c]} "
                      f"({machine.loc[rid, c + '_rule']}: {machine.loc[rid, c + '_evidence']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

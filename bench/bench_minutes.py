"""Benchmark: code_minutes on 100,000 meeting records (target <= 60 s on this 2-core machine).

Records are the demo generator's (lib/grouplab/synth/minutes.py) drawn with different seeds, so
wording, length and hard cases vary as in the demo; each record also gets a sentence of its own
(a meeting number, a date and a count) so the per-sentence cache cannot carry the run. Plain script:

    python bench/bench_minutes.py [--n 100000]

Prints the seconds for reading nothing (records are built in memory), the seconds to code them, the
share of sentences segmented by jieba, and records per second.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from grouplab.measures.minutes import code_minutes, load_meeting_codebook
from grouplab.paths import demo_dir
from grouplab.synth.minutes import build_minutes


def make_records(n: int) -> pd.DataFrame:
    acts = pd.read_csv(demo_dir() / "activities.csv")
    groups = pd.read_csv(demo_dir() / "groups.csv")
    parts, seed = [], 0
    while sum(len(p) for p in parts) < n:
        m, _ = build_minutes(acts, groups, seed=1000 + seed)
        parts.append(m)
        seed += 1
    df = pd.concat(parts, ignore_index=True).iloc[:n]
    own = [f"本次为第{i}次会议，应到{i % 9 + 3}人，会议时长{i % 5 + 1}小时。" for i in range(n)]
    return pd.DataFrame({"record_id": [f"B{i:06d}" for i in range(n)],
                         "group_id": df["党小组编号"].fillna("G000").to_numpy(),
                         "date": pd.to_datetime(df["会议日期"]).to_numpy(),
                         "text": (df["会议内容"] + "\n" + pd.Series(own)).to_numpy(),
                         "recorder": df["记录人"].to_numpy()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    records = make_records(args.n)
    t_make = time.perf_counter() - t0
    cb = load_meeting_codebook()
    list(cb.tokenizer().cut("预热"))  # jieba's dictionary loads once per process (about 1 s)
    t0 = time.perf_counter()
    out = code_minutes(records, codebook=cb)
    secs = time.perf_counter() - t0
    chars = int(records["text"].str.len().sum())
    print(f"records: {args.n:,} ({chars / 1e6:.1f} M characters; built in {t_make:.1f} s)")
    print(f"code_minutes: {secs:.1f} s = {args.n / secs:,.0f} records/s (target: 100,000 in <= 60 s)")
    print("shares TRUE: " + ", ".join(f"{c} {out[c].mean():.3f}" for c in cb.codes))
    return 0 if secs <= 60 * args.n / 100_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())

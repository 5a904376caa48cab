"""``python -m grouplab.synth [OUT_DIR] [--seed N]`` regenerates the demo dataset."""

from __future__ import annotations

import argparse

from grouplab.synth import TRUTH, make_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grouplab.synth",
        description="Write the synthetic demo dataset (示例数据，非真实数据).")
    parser.add_argument("out_dir", nargs="?", default="data/demo",
                        help="folder for the data files (default: data/demo); the "
                             "questionnaire and indicator catalogue go to OUT_DIR/../rubrics")
    parser.add_argument("--seed", type=int, default=TRUTH["seed"],
                        help=f"random seed (default: {TRUTH['seed']})")
    args = parser.parse_args(argv)
    make_demo(seed=args.seed, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

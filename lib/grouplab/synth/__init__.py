"""Synthetic demo data with a known truth (示例数据，非真实数据).

``make_demo(seed, out_dir)`` writes the demo dataset; ``TRUTH`` holds every true
parameter of the data-generating process (documented in data/demo/README.md).
Regenerate the committed files with ``python -m grouplab.synth data/demo``.
"""

from grouplab.synth.build import make_demo
from grouplab.synth.truth import TRUTH

__all__ = ["TRUTH", "make_demo"]

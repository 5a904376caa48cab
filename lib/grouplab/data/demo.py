"""The embedded demo dataset."""

from __future__ import annotations

from grouplab.data.dataset import Dataset, load_dataset
from grouplab.paths import demo_dir

__all__ = ["load_demo"]


def load_demo() -> Dataset:
    """Load the synthetic demo dataset (示例数据，非真实数据) shipped in ``data/demo``.

    Returns
    -------
    Dataset
        Nine validated tables: units, groups, activities, posts,
        evaluations, incidents, exposure, indicators, survey. The true
        parameters of its data-generating process are ``grouplab.synth.TRUTH``.

    Examples
    --------
    >>> d = load_demo()
    >>> d.synthetic, len(d.tables)
    (True, 10)
    """
    return load_dataset(demo_dir())

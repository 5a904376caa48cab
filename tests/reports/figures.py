"""Test helper: save figures and collect matplotlib's 'Glyph … missing' warnings."""

import warnings

import matplotlib.pyplot as plt


def missing_glyph_warnings(figs, folder) -> list[str]:
    """Save every figure to ``folder`` and return the missing-glyph warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i, fig in enumerate(figs):
            fig.savefig(folder / f"{i}.png")
            plt.close(fig)
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]

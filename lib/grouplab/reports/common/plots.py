"""Plot theme with a CJK font that works on a fresh machine, and bilingual labels.

Matplotlib ships no Chinese glyphs: without a CJK font every 汉字 renders as a
box and matplotlib warns "Glyph … missing from font(s)". grouplab registers
Noto Sans CJK SC (SIL Open Font License) from the PyPI package ``mplfonts``
with ``font_manager.fontManager.addfont`` — no system font or network needed.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

__all__ = ["cjk_font_path", "use_theme", "CJK_FONT"]

CJK_FONT = "Noto Sans CJK SC"
_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font file (from ``mplfonts``).

    Returns
    -------
    pathlib.Path
        The ``.otf`` font file.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("mplfonts is not installed: pip install mplfonts")
    return Path(spec.submodule_search_locations[0]) / "fonts" / _FONT_FILE


@cache
def _register() -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(cjk_font_path()))
    return font_manager.FontProperties(fname=str(cjk_font_path())).get_name()


def use_theme(*, context: str = "notebook") -> str:
    """Set the seaborn theme with a font that has Chinese glyphs.

    Parameters
    ----------
    context : str
        seaborn context (``"notebook"``, ``"paper"``, ``"talk"``).

    Returns
    -------
    str
        Name of the font family in use (``"Noto Sans CJK SC"``).

    Examples
    --------
    >>> use_theme()
    'Noto Sans CJK SC'
    """
    import matplotlib as mpl
    import seaborn as sns

    name = _register()
    sns.set_theme(context=context, style="whitegrid", font=name)
    mpl.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    mpl.rcParams["figure.dpi"] = 100
    return name

"""Chinese text renders in figures on a fresh machine (no 'Glyph missing' warning)."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from grouplab.reports.common.plots import CJK_FONT, cjk_font_path, use_theme  # noqa: E402


def test_cjk_font_is_shipped_and_registered():
    assert cjk_font_path().is_file()
    assert use_theme() == CJK_FONT


def test_chinese_labels_render_without_missing_glyphs(tmp_path):
    use_theme()
    fig, ax = plt.subplots()
    ax.bar(["优秀", "合格", "基本合格", "不合格"], [3, 10, 4, -1])
    ax.set(title="党小组考评等级分布", xlabel="等级", ylabel="个数")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "zh.png")
    plt.close(fig)
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_without_the_font_glyphs_would_be_missing(tmp_path):
    # Control: the check above can fail — DejaVu Sans alone has no 汉字.
    fig, ax = plt.subplots()
    ax.set_title("党小组", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "boxes.png")
    plt.close(fig)
    assert [w for w in caught if "Glyph" in str(w.message)]

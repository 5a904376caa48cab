"""中文站点：用户指南、方法、示例；API 参考链接到英文站点（文档字符串为英文）。"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import *  # noqa: E402,F403
from _common import DOCS  # noqa: E402

language = "zh_CN"
grouplab_lang = "zh"
# Chinese search: Sphinx's zh splitter segments with jieba when it is installed
# (plus the project's own words, so 督办清单 or 三多三少 are one search term)
html_search_options = {"dict": str(DOCS / "zh" / "jieba_words.txt")}
# API names resolve to the English site's reference, built first by `make docs`
intersphinx_mapping = {"en": ("../en/", str(DOCS / "_build" / "en" / "objects.inv"))}
intersphinx_disabled_reftypes = []

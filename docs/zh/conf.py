"""中文站点：用户指南、方法、示例；API 参考链接到英文站点（文档字符串为英文）。"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import *  # noqa: E402,F403
from _common import DOCS  # noqa: E402

language = "zh_CN"
grouplab_lang = "zh"
# Chinese search: Sphinx's zh splitter segments with jieba when it is installed.
# Sphinx 9.0's zh search ships english-stemmer.js (for Latin words) but sets
# `window.Stemmer = ChineseStemmer`, which does not exist: every search stops with a JS error.
# The splitter below is the same, named after the stemmer it really ships (check_site checks it).
from sphinx.search import languages as _search_languages  # noqa: E402
from sphinx.search.zh import SearchChinese as _SearchChinese  # noqa: E402


class SearchChineseJieba(_SearchChinese):
    language_name = "English"  # only used to name the JS stemmer: EnglishStemmer


_search_languages["zh"] = SearchChineseJieba

# (plus the project's own words, so 督办清单 or 三多三少 are one search term)
html_search_options = {"dict": str(DOCS / "zh" / "jieba_words.txt")}
# API names resolve to the English site's reference, built first by `make docs`
intersphinx_mapping = {"en": ("../en/", str(DOCS / "_build" / "en" / "objects.inv"))}
intersphinx_disabled_reftypes = []

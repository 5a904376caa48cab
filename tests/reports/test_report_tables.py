"""Issue 16: every report package declares the tables its prepare loads (TABLES)."""

from __future__ import annotations

import importlib

import pytest
from grouplab.data.codebook import codebook

_REPORTS = ["scorecard", "survey", "benchmark", "orglife", "survey_study", "study"]


@pytest.mark.parametrize("name", _REPORTS)
def test_tables_are_codebook_tables_or_none(name):
    tables = importlib.import_module(f"grouplab.reports.{name}").TABLES
    assert tables is None or (isinstance(tables, tuple) and set(tables) <= set(codebook()))


def test_the_per_unit_reports_read_a_subset():
    # the reports a batch runs per unit or station (hundreds at company scale) leave the big
    # tables they do not use (incidents, exposure, member_attendance …) out of the cache read
    mod = {n: importlib.import_module(f"grouplab.reports.{n}") for n in ("scorecard", "survey", "benchmark")}
    assert "activities" not in mod["scorecard"].TABLES and "incidents" not in mod["survey"].TABLES
    assert set(mod["benchmark"].TABLES) == {"units", "indicators"}


def test_the_synthetic_data_sentence_is_said_only_on_synthetic_data(tmp_path, monkeypatch):
    """Reports said 'runs on the embedded synthetic demo data' on a user's own data too (newcomer
    trial, report 07/08): the notebooks now call say_synthetic, which reads the manifest."""
    from grouplab.reports.common import tables
    from grouplab.reports.common.package import is_synthetic

    said = []
    monkeypatch.setattr(tables, "say", said.append)

    own = tmp_path / "own"
    own.mkdir()
    (own / "dataset.yml").write_text("name: 运行支部\ntables: {}\n", encoding="utf-8")
    made = tmp_path / "made"
    made.mkdir()
    (made / "dataset.yml").write_text("name: x\nsynthetic: true\ntables: {}\n", encoding="utf-8")
    assert is_synthetic("demo") and is_synthetic(made)
    assert not is_synthetic(own) and not is_synthetic(tmp_path / "missing")
    tables.say_synthetic(own, "zh")
    assert said == []
    tables.say_synthetic("demo", "zh")
    tables.say_synthetic(made, "en")
    assert said == ["本报告使用内置的合成示例数据（非真实数据）。",
                    "This report runs on the embedded synthetic demo data (not real data)."]

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

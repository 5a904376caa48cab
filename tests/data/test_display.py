"""Dataset displays in Jupyter (issue 27): summary(), coverage(), _repr_html_ and __repr__.

Numbers are checked against a small dataset counted by hand (comments say how) and against the demo's
documented design (58 Party groups in 10 work areas, 60 study months, README of data/demo).
"""

from __future__ import annotations

import pandas as pd
import pytest
from grouplab import DataError, load_dataset
from grouplab.data.display import SUMMARY_COLUMNS, dataset_html, dataset_text, set_display_lang
from grouplab.errors import ParameterError

HOSTILE = "<script>alert(1)</script>"
UNITS = "unit_id,name,parent_id,level,sector\nU1,一工区,,work_area,power\nU2,二工区,,work_area,power\n" \
        "U3,三工区,,work_area,power\n"
GROUPS = "group_id,unit_id,name,members,leader_id\nG1,U1,甲组,5,M1\nG2,U1,乙组,6,M2\nG3,U2,丙组,7,M3\n"
# G1: three months of 2019; G3: one month of 2020; G2 and unit U3 none
EXPOSURE = "group_id,month,person_hours\nG1,2019-01,100\nG1,2019-02,100\nG1,2019-03,100\nG3,2020-05,50\n"
# one incident named by its group (G2 -> U1), one by its unit only (U3), both 2019
INCIDENTS = "incident_id,group_id,unit_id,date,category,severity,responsible\n" \
            "E1,G2,,2019-07-01,violation,minor,true\nE2,,U3,2019-08-15,violation,minor,false\n"


@pytest.fixture(autouse=True)
def _no_display_lang(monkeypatch):
    monkeypatch.delenv("GROUPLAB_LANG", raising=False)


@pytest.fixture
def small(make_dataset):
    def build(**manifest):
        tables = {"units": "units.csv", "groups": "groups.csv", "exposure": "exposure.csv",
                  "incidents": "incidents.csv"}
        files = {"units": UNITS, "groups": GROUPS, "exposure": EXPOSURE, "incidents": INCIDENTS}
        folder = make_dataset(files, {"name": "small", **manifest, "tables": tables})
        return load_dataset(folder, cache=False)
    return build


def test_summary_counts_rows_dates_and_units_by_hand(small):
    s = small().summary().set_index("table")
    assert list(s.reset_index().columns) == SUMMARY_COLUMNS
    # exposure: 4 rows, 2019-01 .. 2020-05, units U1 (G1) and U2 (G3)
    assert s.loc["exposure", ["rows", "first", "last", "units"]].tolist() == [4, "2019-01", "2020-05", 2]
    # incidents: E1 through its group G2 -> U1, E2 by its own unit U3: two units; dates as days
    got = s.loc["incidents", ["rows", "first", "last", "units"]].tolist()
    assert got == [2, "2019-07-01", "2019-08-15", 2]
    assert s.loc["groups", "units"] == 2 and s.loc["units", "units"] == 3
    assert s.loc["exposure", "key"] == "group_id, month" and s.loc["exposure", "files"] == "exposure.csv"
    assert s.loc["groups", "label"] == "党小组"


def test_coverage_by_unit_and_year_has_the_zeros(small):
    c = small().coverage()
    assert list(c.columns) == ["unit_id", "period", "table", "rows"]
    got = c[c["table"] == "exposure"].set_index(["unit_id", "period"])["rows"].to_dict()
    # 3 units x 2 years; U1 2019 = 3 months of G1, U2 2020 = 1 month of G3, the rest 0
    assert got == {("U1", "2019"): 3, ("U1", "2020"): 0, ("U2", "2019"): 0, ("U2", "2020"): 1,
                   ("U3", "2019"): 0, ("U3", "2020"): 0}
    inc = c[c["table"] == "incidents"].set_index("unit_id")["rows"].to_dict()
    assert inc == {"U1": 1, "U2": 0, "U3": 1}


def test_coverage_by_group_and_month_and_bad_arguments(small):
    ds = small()
    c = ds.coverage(by="group", period="month")
    g1 = c[(c["table"] == "exposure") & (c["group_id"] == "G1")]
    assert g1.loc[g1["rows"] > 0, "period"].tolist() == ["2019-01", "2019-02", "2019-03"]
    half = ds.coverage(period="half")
    assert set(half.loc[half["table"] == "exposure", "period"]) == {"2019H1", "2020H1"}
    with pytest.raises(ParameterError):
        ds.coverage(by="station")
    with pytest.raises(ParameterError):
        ds.coverage(period="week")


def test_demo_summary_follows_its_design(demo):
    s = demo.summary().set_index("table")
    # 58 groups x 60 study months (2015-01 .. 2019-12), in 10 work areas
    got = s.loc["exposure", ["rows", "first", "last", "units"]].tolist()
    assert got == [58 * 60, "2015-01", "2019-12", 10]
    assert s.loc["evaluations", ["first", "last"]].tolist() == ["2015H1", "2019H2"]
    assert s.loc["evaluations", "files"] == "evaluations.xlsx [考评明细]"
    assert s.loc["survey", ["first", "last"]].tolist() == ["2017", "2019"]
    # privacy: the IP column dropped and the 序号 pseudonymised in each of three waves
    assert s.loc["survey", "privacy"] == 6 and s["privacy"].drop("survey").eq(0).all()
    cov = demo.coverage(period="year")
    exp = cov[cov["table"] == "exposure"]
    assert exp.groupby("period")["rows"].sum().tolist() == [58 * 12] * 5


def test_dataset_html_shows_every_table_in_chinese_by_default(demo):
    page = demo._repr_html_()
    for label in ("单位", "党小组考评", "工时暴露", "党员问卷"):
        assert f"{label} (" in page
    assert "12,516" in page and "evaluations.xlsx [考评明细]" in page
    assert "删除 3 · 假名化 3" in page and "2015-01 – 2019-12" in page
    assert "行数" in page and "<a " not in page
    assert "示例数据（合成，非真实数据）" in page


def test_dataset_html_in_english_by_option_and_by_manifest(demo, small):
    page = dataset_html(demo, "en")
    assert "Demo data (synthetic, not real)" in page and "dropped 3 · pseudonymised 3" in page
    assert "Rows" in page and "行数" not in page
    ds = small(lang="en")
    assert ds.lang == "en" and "Reading notes" in ds._repr_html_() and "Rows 4" in repr(ds)
    set_display_lang("zh")  # the option wins over the dataset's own language
    assert "行数" in ds._repr_html_()
    set_display_lang(None)
    with pytest.raises(ParameterError):
        set_display_lang("fr")


def test_a_hostile_name_is_shown_as_text(small, make_dataset):
    ds = small(name=HOSTILE)
    for text in (ds._repr_html_(), dataset_html(ds, "en")):
        assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert HOSTILE in repr(ds)  # plain text keeps it as written


def test_a_hostile_file_name_is_escaped(make_dataset):
    folder = make_dataset({"units": UNITS, "<i>g.csv": GROUPS},
                          {"name": "x", "tables": {"units": "units.csv", "groups": "<i>g.csv"}})
    page = load_dataset(folder, cache=False)._repr_html_()
    assert "<i>g" not in page and "&lt;i&gt;g.csv" in page


def test_an_unknown_language_in_the_manifest_is_a_data_error(make_dataset):
    folder = make_dataset({"units": UNITS}, {"name": "x", "lang": "fr", "tables": {"units": "units.csv"}})
    with pytest.raises(DataError) as err:
        load_dataset(folder, cache=False)
    assert [(p.file, p.column, p.value) for p in err.value.problems] == [("dataset.yml", "lang", "fr")]


def test_text_repr_lists_each_table(demo):
    text = dataset_text(demo, "en")
    assert text.splitlines()[0].startswith("Demo data (synthetic, not real) · 10 tables")
    assert "  Exposure: Rows 3,480 · 2015-01 – 2019-12 · Units 10" in text  # not "Exposure (exposure)"
    assert "  Party groups (groups): Rows 58" in text
    assert isinstance(demo.summary(), pd.DataFrame)


def test_synthetic_data_is_marked_once(small, demo):
    assert "合成数据（非真实）" in small(synthetic=True)._repr_html_()
    assert "synthetic, not real" in dataset_html(small(synthetic=True), "en")
    assert "合成数据（非真实）" not in small()._repr_html_()
    # the demo's name says it already: 示例数据（合成，非真实数据）
    assert "合成数据（非真实）" not in demo._repr_html_() and "合成，非真实数据" in demo._repr_html_()


@pytest.mark.slow  # starts a kernel: not in `make check`
def test_a_raised_data_error_shows_as_its_table_in_a_kernel(tmp_path):
    """In a real kernel a cell raising DataError outputs the escaped table and one line, and still fails."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    src = ("import grouplab\ngrouplab.set_display_lang('en')\n"
           f"raise grouplab.DataError([grouplab.Problem('g.csv', 3, 'members', '>= 1', {HOSTILE!r})])")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src)])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=120, kernel_name="grouplab",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown, error = nb.cells[0].outputs
    assert "&lt;script&gt;" in shown["data"]["text/html"] and HOSTILE not in shown["data"]["text/html"]
    assert "<th>Rule</th>" in shown["data"]["text/html"]
    assert error["ename"] == "DataError" and error["traceback"] == [
        "DataError: 1 problem (listed above; %tb shows the traceback)"]

"""index.html and overview.html (issue 15, item 2): human titles in the batch's language, grouped,
filterable, sortable, escaped, offline; one overview row per unit linking to its reports."""

import re

import pandas as pd
from grouplab.batch.index import render_index, render_overview, report_title
from grouplab.batch.plan import plan
from grouplab.paths import demo_dir

PROV = {"data_hash": "abc", "grouplab": "0", "git_commit": None, "python": "3"}


def _manifest(reports, lang, statuses=None):
    recs = []
    for i, r in enumerate(reports):
        recs.append({"slug": r.slug, "notebook": r.title, "parameters": r.parameters, "label": r.label,
                     "status": (statuses or {}).get(i, "ok"), "seconds": 1.5 + i,
                     "html": f"{r.slug}.html",
                     "docx": f"{r.slug}.docx", "xlsx": None, "ipynb": f"{r.slug}.ipynb"})
    return {"name": "<b>demo</b>", "lang": lang, "dataset": "d", "started": "s", "ended": None,
            "state": "running", "fault": None, "provenance": PROV,
            "summary": {"ok": len(recs), "failed": 0, "skipped": 0, "pending": 0}, "reports": recs}


def _config(lang):
    return {"dataset": str(demo_dir()), "out": "/nonexistent", "lang": lang, "reports": [
        {"notebook": "02_group_scorecard.ipynb", "grid": {"unit_id": ["WA01", "WA02"], "year": [2019],
                                                         "lang": [lang]}},
        {"notebook": "05_benchmarking.ipynb",
         "grid": {"station_id": ["S1"], "year": [2011], "lang": [lang]}}]}


def test_index_shows_human_titles_grouped_by_report_in_the_batch_language():
    reports, _ = plan(_config("zh"))
    page = render_index(_manifest(reports, "zh", {1: "failed"}))
    # WA01 is 输电运检一工区 and S1 采油一站 in data/demo/units.csv
    assert '<th colspan="4">党小组考评记分卡</th>' in page
    assert '<th colspan="4">标杆管理对标报告</th>' in page
    assert "输电运检一工区（WA01） · 2019 年" in page and "采油一站（S1） · 2011 年" in page
    assert "unit_id=" not in re.sub(r'href="[^"]*"', "", page)  # parameter strings only in links
    assert 'id="q"' in page and "筛选" in page and "失败" in page and "完成" in page
    assert "&lt;b&gt;demo&lt;/b&gt;" in page and "<b>demo</b>" not in page
    assert "http://" not in page and "https://" not in page  # offline: no CDN
    assert "@page{size:A4" in page


def test_index_in_english_and_a_report_in_another_language_is_marked():
    reports, _ = plan(_config("en"))
    page = render_index(_manifest(reports, "en"))
    assert "Party-group scorecard" in page and "输电运检一工区 (WA01) · 2019" in page
    assert "Filter" in page and "党小组考评记分卡" not in page
    rec = _manifest(reports, "en")["reports"][0]
    assert report_title(rec, "zh") == "输电运检一工区（WA01） · 2019 年 · English"


def test_overview_has_one_row_per_unit_linking_to_its_reports():
    reports, _ = plan(_config("zh"))
    manifest = _manifest(reports, "zh")
    table = pd.DataFrame({"党小组数": [4, 5]}, index=pd.Index(["WA01", "WA02"], name="unit_id"))
    page = render_overview(manifest, table, {"WA01": "输电运检一工区", "WA02": "<i>x</i>"})
    rows = re.findall(r"<tr><td>.*?</tr>", page)
    assert len(rows) == 2
    assert 'href="02_group_scorecard/unit_id=WA01_year=2019_lang=zh.html"' in rows[0]
    assert ">4<" in rows[0] and "&lt;i&gt;x&lt;/i&gt;" in rows[1]


def _overview_config(lang):
    return {"dataset": str(demo_dir()), "out": "/nonexistent", "lang": lang, "reports": [
        {"notebook": "02_group_scorecard.ipynb", "grid": {"unit_id": ["WA01", "WA02"], "year": [2019],
                                                         "lang": [lang]}},
        {"notebook": "04_survey_report.ipynb",
         "grid": {"unit_id": ["WA01"], "wave": [2019], "lang": [lang]}}]}


def test_overview_shows_response_rate_and_incident_rate_beside_the_scorecard_columns():
    from grouplab.batch.index import overview_table
    from grouplab.data.dataset import load_dataset

    reports, settings = plan(_overview_config("zh"))
    table = overview_table(reports, settings)
    cols = list(table.columns)
    assert cols[:2] == ["党小组数", "2019 年平均总分"]
    events = "2019 年安全记录数（事故、故障、违章、隐患、未遂合计）"
    rate = "2019 年安全记录率（五类合计，每百万工时）"
    assert {events, rate, "2019 年问卷答卷率（%）"} <= set(cols)
    # WA01 in 2019: 25 respondents of 28 members (3 + 5 + 10 + 10, the response_counts doctest) = 89.3 %
    assert table.loc["WA01", "2019 年问卷答卷率（%）"] == 89.3
    # incidents and person-hours of WA01's groups in 2019, counted straight from the tables
    ds = load_dataset(demo_dir())
    unit_of = ds["groups"].set_index("group_id")["unit_id"]
    inc, exp = ds["incidents"], ds["exposure"]
    n = int(((inc["group_id"].map(unit_of) == "WA01") & (inc["date"].dt.year == 2019)).sum())
    hours = exp.loc[(exp["group_id"].map(unit_of) == "WA01") & (exp["month"].dt.year == 2019),
                    "person_hours"].sum()
    assert table.loc["WA01", events] == n == 181
    assert table.loc["WA01", rate] == round(n / hours * 1e6, 1) == 3348.8
    page = render_overview(_manifest(reports, "zh"), table, {"WA01": "输电运检一工区"})
    assert "<th>2019 年问卷答卷率（%）</th>" in page and ">89.3<" in page and ">3348.8<" in page


def test_overview_headers_follow_the_batch_language():
    from grouplab.batch.index import overview_table

    reports, settings = plan(_overview_config("en"))
    table = overview_table(reports, settings)
    assert {"Groups", "Safety records 2019 (accidents, failures, violations, hazards, near misses)",
            "Safety records per million person-hours 2019 (all five kinds)",
            "Survey response rate 2019 (%)"} <= set(table.columns)
    assert not any(re.search(r"[\u3400-\u9fff]", c) for c in table.columns)


def test_every_report_of_the_demo_batch_has_a_human_title():
    # 03 was titled 'outcome=violation · lag_months=1': its notebook named no report package (issue 22)
    import yaml

    cfg = yaml.safe_load((demo_dir() / "reports.yml").read_text(encoding="utf-8"))
    cfg.update(dataset=str(demo_dir()), out="/nonexistent")
    reports, _ = plan(cfg)
    page = render_index(_manifest(reports, "zh"))
    titles = [report_title(r, "zh") for r in _manifest(reports, "zh")["reports"]]
    assert not [t for t in titles if "=" in t]
    assert "违章（violation）" in titles and "隐患（hidden_hazard）" in titles  # codebook labels
    assert '<th colspan="4">组织建设措施与安全结果</th>' in page
    cfg["lang"] = "en"
    en = [report_title(r, "en") for r in _manifest(plan(cfg)[0], "en")["reports"]]
    assert "violation · 中文" in en and "hidden hazard (hidden_hazard) · 中文" in en  # the reports are in zh


def test_the_demo_batch_index_links_the_start_here_notebook(tmp_path):
    """Issue 27: the demo batch's index links notebooks/00_start_here.ipynb; another dataset's does not."""
    from grouplab.batch.index import start_here
    from grouplab.paths import notebooks_dir

    reports, settings = plan(_config("en"))
    out = tmp_path / "batch"
    link = start_here(out, settings)
    assert (out / link).resolve() == (notebooks_dir() / "00_start_here.ipynb").resolve()
    page = render_index(_manifest(reports, "en"), start_here=link)
    assert f'<a href="{link}">Start here: exploring the data in JupyterLab' in page
    assert "从这里开始" in render_index(_manifest(reports, "zh"), start_here=link)
    assert start_here(out, {**settings, "dataset": tmp_path}) is None
    assert "Start here" not in render_index(_manifest(reports, "en"))

"""Coercion of raw cells to codebook types (hand-made cases)."""

import datetime as dt

import pandas as pd
from grouplab.data.codebook import codebook
from grouplab.data.schema import coerce

COLS = {t: s.columns for t, s in codebook().items()}


def _vals(series):
    return [None if pd.isna(v) else v for v in series]


def test_dates_in_the_formats_users_send():
    raw = pd.Series(["2019-05-13", "2019/5/13", "2019.5.13", "2019年5月13日", "20190513",
                     43598, dt.datetime(2019, 5, 13, 8, 30), "2019-05-13 08:30", None, "13/05/2019"])
    values, bad = coerce(raw, COLS["incidents"]["date"])
    # 43598 = 2019-05-13 as an Excel serial (days since 1899-12-30)
    assert [v.date() if v is not None else None for v in _vals(values)] == (
        [dt.date(2019, 5, 13)] * 8 + [None, None])
    assert bad.tolist() == [False] * 9 + [True]


def test_months_and_half_year_periods():
    months, bad = coerce(pd.Series(["2019-05", "2019/5", "2019年5月", "2019-05-31", "May"]),
                         COLS["exposure"]["month"])
    assert [str(v.date()) for v in _vals(months)[:4]] == ["2019-05-01"] * 4
    assert bad.tolist() == [False] * 4 + [True]
    raw = pd.Series(["2019H1", "2019h2", "2019年上半年", "2019年下半年", "2019-H2", "2019H3"])
    periods, bad = coerce(raw, COLS["evaluations"]["period"])
    assert _vals(periods) == ["2019H1", "2019H2", "2019H1", "2019H2", "2019H2", None]
    assert bad.tolist() == [False] * 5 + [True]


def test_categories_accept_codes_and_chinese_labels():
    v, bad = coerce(pd.Series(["违章", "violation", " 责任事故 ", "事故"]), COLS["incidents"]["category"])
    assert _vals(v) == ["violation", "violation", "responsibility_accident", None]
    assert bad.tolist() == [False, False, False, True]


def test_booleans_numbers_and_ids():
    b, bad = coerce(pd.Series(["是", "否", "1", 0, True, "也许", None]), COLS["incidents"]["responsible"])
    assert _vals(b) == [True, False, True, False, True, None, None]
    assert bad.tolist() == [False] * 5 + [True, False]
    n, bad = coerce(pd.Series(["5", 6.0, "1,200", "7.5", "五"]), COLS["groups"]["members"])
    assert _vals(n) == [5, 6, 1200, None, None]
    assert bad.tolist() == [False, False, False, True, True]
    ids, bad = coerce(pd.Series([101.0, " G001 ", None]), COLS["groups"]["group_id"])
    assert _vals(ids) == ["101", "G001", None]
    assert not bad.any()


def test_a_founding_date_may_be_given_to_the_month_but_a_meeting_date_may_not():
    # rosters write 成立时间 as 2016.3 or 2016年3月 (a newcomer's 8 of 8 rows were rejected); the codebook
    # marks founded month_ok: the first day of that month. A meeting's date stays a day.
    import pandas as pd
    from grouplab.data.codebook import codebook
    from grouplab.data.schema import coerce

    founded = codebook()["groups"].columns["founded"]
    values, bad = coerce(pd.Series(["2016.3", "2016年3月", "2016-03", "2016.3.15", "soon"]), founded)
    assert values.dt.strftime("%Y-%m-%d").tolist()[:4] == ["2016-03-01"] * 3 + ["2016-03-15"]
    assert bad.tolist() == [False] * 4 + [True]
    _, bad = coerce(pd.Series(["2016.3"]), codebook()["activities"].columns["date"])
    assert bad.tolist() == [True]

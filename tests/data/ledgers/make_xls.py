"""Write the .xls ledgers of tests/test_ledger_xls.py (shape A saved as Excel 97-2003).

    python tests/data/ledgers/make_xls.py      # needs xlwt (not a project dependency)

Without xlwt the committed files are left as they are. The scores are those of
``tests/test_ledger.py`` (H1), so the loaded table can be compared with its tidy equivalent.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _test_ledger():
    """tests/test_ledger.py loaded by path: its scores and headers, without touching sys.path."""
    spec = importlib.util.spec_from_file_location("_test_ledger", HERE.parents[1] / "test_ledger.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_T = _test_ledger()
ASPECTS, H1, ITEM_HEADERS, NAMES = _T.ASPECTS, _T.H1, _T.ITEM_HEADERS, _T.NAMES


def shape_a(path: Path) -> None:
    """Title, 填报单位 row, aspects merged over items (rows 3-4), a hidden helper column and row."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("2019上半年")
    ncol = 2 + len(ITEM_HEADERS) + 3
    ws.write_merge(0, 0, 0, ncol - 1, "2019年上半年党小组考评得分表")
    ws.write(1, 0, "填报单位：输电运检一工区")
    ws.write(1, 6, "填报日期：2019年7月5日")
    for c, h in ((0, "序号"), (1, "党小组"), (ncol - 3, "合计"), (ncol - 2, "等级"), (ncol - 1, "校核")):
        ws.write_merge(2, 3, c, c, h)
    c = 2
    for name, n in ASPECTS:
        ws.write_merge(2, 2, c, c + n - 1, name)
        c += n
    for j, h in enumerate(ITEM_HEADERS, start=2):
        ws.write(3, j, h)
    grades = {"G001": "合格", "G002": "合格", "G003": "优秀"}
    r = 4
    for k, (g, vals) in enumerate(H1.items(), start=1):
        row = [k, NAMES[g], *vals, sum(vals), grades[g], "ok"]
        for j, v in enumerate(row):
            ws.write(r, j, v)
        r += 1
    for j, v in enumerate([9, "已撤销党小组", *[1] * len(ITEM_HEADERS), 12, "不合格", "x"]):
        ws.write(r, j, v)                       # a group dissolved last year: its row is hidden
    ws.row(r).hidden = True
    ws.col(ncol - 1).hidden = True              # a helper column people hide
    ws.write(r + 1, 0, "合计")
    ws.write(r + 2, 0, "备注：I10 按无责任事故计分")
    wb.save(str(path))


if __name__ == "__main__":
    try:
        import xlwt  # noqa: F401
    except ImportError:
        print("xlwt not installed: the .xls files are left as they are")
        raise SystemExit(0) from None
    shape_a(HERE / "shape_a.xls")

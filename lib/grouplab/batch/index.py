"""The pages of a batch: ``run.json``, ``index.html`` (every report by its human title) and
``overview.html`` (one row per unit, linking to its reports).

Both pages are in the batch's language (config ``lang``), open offline (no
CDN, the script is inline), escape every value and print on A4.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grouplab.batch.export import RECORD_FILES
from grouplab.batch.outputs import atomic_write

__all__ = ["render_index", "render_overview", "write_pages", "overview_table", "report_title", "start_here"]

_T = {
    "zh": {"reports": "报告", "report": "报告", "status": "状态", "seconds": "用时（秒）", "files": "文件",
           "filter": "筛选（单位、报告、状态）…", "overview": "单位概览", "index": "报告目录",
           "ok": "完成", "failed": "失败", "skipped": "未变（沿用）", "pending": "未完成",
           "summary": "完成 {ok} · 失败 {failed} · 未变沿用 {skipped} · 未完成 {pending}",
           "state": {"running": "运行中", "finished": "已结束", "stopped": "已中止"},
           "stopped": "本批次因输出故障中止：{fault}。再次运行同一命令即可续完。",
           "html": "网页", "docx": "Word", "xlsx": "Excel", "ipynb": "笔记本",
           "unit": "单位", "unit_id": "单位编号", "links": "报告", "period": "{p} 年",
           "prov": "溯源信息", "none": "本批次的报告没有提供单位概览。",
           "start": "从这里开始：在 JupyterLab 中探索数据（00_start_here.ipynb）"},
    "en": {"reports": "Reports", "report": "Report", "status": "Status", "seconds": "Seconds",
           "files": "Files", "filter": "Filter (unit, report, status)…", "overview": "Units at a glance",
           "index": "Report index",
           "ok": "ok", "failed": "failed", "skipped": "unchanged (kept)", "pending": "not written",
           "summary": "ok {ok} · failed {failed} · unchanged {skipped} · not written {pending}",
           "state": {"running": "running", "finished": "finished", "stopped": "stopped"},
           "stopped": "This batch stopped on an output fault: {fault}. "
                      "Run the same command again to finish it.",
           "html": "HTML", "docx": "Word", "xlsx": "Excel", "ipynb": "notebook",
           "unit": "Unit", "unit_id": "Unit ID", "links": "Reports", "period": "{p}",
           "prov": "Provenance", "none": "No report of this batch provides a unit overview.",
           "start": "Start here: exploring the data in JupyterLab (00_start_here.ipynb)"},
}
_CSS = """body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:2em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{padding:.35em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
thead th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}
tr.group th{background:#e8eef7;font-size:1.05em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{background:#fde8e8}tr.pending td{background:#fff6dd}tr.skipped td{color:#555}
.err{font-size:.85em;color:#a00;white-space:pre-wrap}.prov{font-size:.8em;color:#555;margin-top:2em}
#q{font-size:1em;padding:.4em .6em;width:24em;margin:.5em 0 1em}nav>*{margin-right:1.5em}
.stop{background:#fff3cd;border:1px solid #e0c36c;padding:.6em 1em}
@page{size:A4;margin:15mm}
@media print{#q,nav{display:none}thead{display:table-header-group}tr{break-inside:avoid}}
"""
_JS = """<script>
const q=document.getElementById('q');
q&&q.addEventListener('input',()=>{const t=q.value.toLowerCase();
 document.querySelectorAll('#runs tbody tr:not(.group)').forEach(r=>{
  r.style.display=r.textContent.toLowerCase().includes(t)?'':'none'})});
document.querySelectorAll('#runs thead th').forEach((th,i)=>th.addEventListener('click',()=>{
 document.querySelectorAll('#runs tbody').forEach(tb=>{
  const rs=[...tb.querySelectorAll('tr:not(.group)')];const asc=th.dataset.asc!=='1';
  rs.sort((a,b)=>{const x=a.children[i],y=b.children[i];
   const vx=x.dataset.v??x.textContent,vy=y.dataset.v??y.textContent;
   const nx=parseFloat(vx),ny=parseFloat(vy);
   const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:vx.localeCompare(vy);return asc?c:-c});
  rs.forEach(r=>tb.appendChild(r))});th.dataset.asc=th.dataset.asc==='1'?'0':'1'}));
</script>"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def report_title(rec: Mapping, lang: str) -> str:
    """A report's human title: entity name · period (· language when it differs), else its parameters."""
    label = rec.get("label") or {}
    parts = []
    if label.get("entity"):
        name = label.get("entity_name") or label["entity"]
        parts.append(name if name == label["entity"] else f"{name}（{label['entity']}）"
                     if lang == "zh" else f"{name} ({label['entity']})")
    if label.get("period"):
        parts.append(_T[lang]["period"].format(p=label["period"]))
    if not parts:
        parts = [f"{k}={v}" for k, v in rec.get("parameters", {}).items() if k not in ("data_dir", "lang")]
    if label.get("lang") and label["lang"] != lang:
        parts.append({"zh": "中文", "en": "English"}.get(label["lang"], label["lang"]))
    return " · ".join(parts) or label.get("title") or rec.get("notebook", "")


def _page(title: str, lang: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


def _row(r: Mapping, lang: str) -> str:
    t = _T[lang]
    links = " ".join(f'<a href="{_e(r[k])}">{t[k]}</a>'
                     for k in RECORD_FILES if r.get(k))
    err = r.get("error") or (r.get("fault") and t["stopped"].format(fault=r["fault"]))
    err = f'<div class="err">{_e(err)}</div>' if err else ""
    secs = r.get("seconds")
    return (f'<tr class="{_e(r["status"])}"><td>{_e(report_title(r, lang))}</td>'
            f'<td>{_e(t.get(r["status"], r["status"]))}{err}</td>'
            f'<td class="num" data-v="{secs or 0}">{_e(secs if secs is not None else "")}</td>'
            f"<td>{links}</td></tr>")


def render_index(manifest: Mapping, *, start_here: str | None = None) -> str:
    """index.html of a run: reports grouped by report title, with filter, status, duration, links.

    ``start_here``: link (relative to the page) to the first-hour notebook, shown beside the pages.
    """
    lang = manifest.get("lang", "zh") if manifest.get("lang") in _T else "zh"
    t = _T[lang]
    rows = []
    key = lambda r: (r.get("label") or {}).get("title") or r["notebook"]  # noqa: E731
    for title, recs in itertools.groupby(manifest["reports"], key=key):
        rows.append(f'<tbody><tr class="group"><th colspan="4">{_e(title)}</th></tr>')
        rows += [_row(r, lang) for r in recs]
        rows.append("</tbody>")
    s, prov = manifest["summary"], manifest["provenance"]
    stop = (f'<p class="stop">{_e(t["stopped"].format(fault=manifest["fault"]))}</p>'
            if manifest.get("fault") else "")
    prov_text = " · ".join(_e(x) for x in (
        f"dataset {manifest['dataset']}", f"data hash {str(prov['data_hash'])[:12]}",
        f"grouplab {prov['grouplab']}", f"git {str(prov.get('git_commit') or '—')[:12]}",
        f"python {prov['python']}", f"started {manifest['started']}",
        f"ended {manifest.get('ended') or '—'}"))
    body = (f"<h1>{_e(manifest['name'])}</h1>\n<nav><b>{t['index']}</b>"
            f'<a href="overview.html">{t["overview"]}</a>'
            + (f'<a href="{_e(start_here)}">{t["start"]}</a>' if start_here else "") + "</nav>\n"
            f"<p>{_e(t['summary'].format(**s))} · {_e(t['state'].get(manifest.get('state'), ''))}</p>{stop}\n"
            f'<input id="q" type="search" placeholder="{_e(t["filter"])}" aria-label="{_e(t["filter"])}">\n'
            f'<table id="runs"><thead><tr><th>{t["report"]}</th><th>{t["status"]}</th>'
            f'<th>{t["seconds"]}</th><th>{t["files"]}</th></tr></thead>\n{"".join(rows)}\n</table>\n'
            f'<details class="prov"><summary>{t["prov"]}</summary>{prov_text}</details>\n{_JS}')
    return _page(f"{manifest['name']} — {t['index']}", lang, body)


def _package_of(notebook: str) -> Any | None:
    from grouplab.batch.plan import notebook_report

    try:
        return notebook_report(notebook)
    except Exception:  # noqa: BLE001 - a report without a package simply has no overview
        return None


def overview_table(reports: list, settings: Mapping) -> Any:
    """One row per unit from the ``overview(dataset, *, period, lang)`` of the batch's report packages.

    Returns
    -------
    pandas.DataFrame
        Index: entity ids; labelled columns contributed by each report
        package that defines ``overview`` (e.g. the scorecard's groups, mean
        score and grade counts); empty when none does.
    """
    import pandas as pd

    from grouplab.data.dataset import load_dataset

    lang = settings.get("lang", "zh")
    seen, parts = set(), []
    for r in reports:
        pkg = _package_of(r.notebook)
        period = r.label.get("period")
        if pkg is None or not hasattr(pkg, "overview") or (pkg.__name__, period) in seen:
            continue
        seen.add((pkg.__name__, period))
        ds = load_dataset(settings["dataset"])
        parts.append(pkg.overview(ds, period=r.parameters.get(getattr(pkg, "PERIOD", ""), None), lang=lang))
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, axis=1, join="outer").sort_index()


def render_overview(manifest: Mapping, table: Any, names: Mapping[str, str]) -> str:
    """overview.html: one row per unit (``table``), each linking to that unit's reports."""
    lang = manifest.get("lang", "zh") if manifest.get("lang") in _T else "zh"
    t = _T[lang]
    links: dict[str, list[str]] = {}
    for r in manifest["reports"]:
        ent, path = (r.get("label") or {}).get("entity"), r.get("html")
        if ent and path:
            links.setdefault(ent, []).append(f'<a href="{_e(path)}">{_e(r["label"].get("title"))}</a>')
    if table is None or len(table) == 0:
        body = f"<p>{t['none']}</p>"
    else:
        head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
        rows = []
        for ent, row in table.astype(object).iterrows():  # object: counts stay integers
            cells = "".join(f'<td class="num" data-v="{_e(v)}">{_e("" if v != v else v)}</td>' for v in row)
            rows.append(f"<tr><td>{_e(names.get(str(ent), ent))}</td><td>{_e(ent)}</td>{cells}"
                        f"<td>{' · '.join(links.get(str(ent), []))}</td></tr>")
        body = (f'<input id="q" type="search" placeholder="{_e(t["filter"])}">\n<table id="runs"><thead><tr>'
                f'<th>{t["unit"]}</th><th>{t["unit_id"]}</th>{head}<th>{t["links"]}</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>\n{_JS}')
    nav = f'<nav><a href="index.html">{t["index"]}</a><b>{t["overview"]}</b></nav>'
    return _page(f"{manifest['name']} — {t['overview']}", lang,
                 f"<h1>{_e(manifest['name'])}</h1>\n{nav}\n<h2>{t['overview']}</h2>\n{body}")


_OVERVIEW_CACHE: dict[str, tuple] = {}
START_HERE = "00_start_here.ipynb"


def start_here(out: Path, settings: Mapping) -> str | None:
    """The first-hour notebook relative to ``out``, for a batch of the demo dataset (None otherwise)."""
    import os

    from grouplab.paths import demo_dir, notebooks_dir

    nb = notebooks_dir() / START_HERE
    dataset = settings.get("dataset")
    if dataset is None or not nb.is_file() or Path(dataset).resolve() != demo_dir().resolve():
        return None
    return Path(os.path.relpath(nb.resolve(), Path(out).resolve())).as_posix()


def write_pages(out: Path, manifest: Mapping, reports: list, settings: Mapping, *,
                pages: bool = True) -> None:
    """Write ``run.json``, ``index.html`` and ``overview.html`` of a batch (atomically).

    With ``pages=False`` (one report, ``grouplab report``) only ``run.json`` is written.

    Raises
    ------
    OSError
        A file cannot be written (no partial file is left).
    """
    atomic_write(out / "run.json", json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
    if not pages:
        return
    atomic_write(out / "index.html", render_index(manifest, start_here=start_here(out, settings)))
    key = json.dumps([r.slug for r in reports]) + str(settings.get("dataset")) + str(settings.get("lang"))
    if key not in _OVERVIEW_CACHE:
        from grouplab.data.dataset import load_dataset

        units = load_dataset(settings["dataset"]).tables.get("units")
        names = ({} if units is None else
                 dict(zip(units["unit_id"].astype(str), units["name"].astype(str))))
        _OVERVIEW_CACHE.clear()
        _OVERVIEW_CACHE[key] = (overview_table(reports, settings), names)
    table, names = _OVERVIEW_CACHE[key]
    atomic_write(out / "overview.html", render_overview(manifest, table, names))

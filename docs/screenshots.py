"""Refresh the report screenshots of the docs (docs/<lang>/reports/img/), outside CI.

Runs each report once per language on the demo data (``grouplab batch``), photographs the HTML with
headless Chromium and the first page of the Word document (LibreOffice → PDF → PNG), and writes small
palette PNGs next to the report pages. Needs ``apt-get install chromium fonts-noto-cjk
libreoffice-writer-nogui poppler-utils``. Usage: ``.venv/bin/python docs/screenshots.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from PIL import Image

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
#: notebook -> the grid of one report (the docs show one entity of each report)
REPORTS = {
    "01_data_quality": {},
    "02_group_scorecard": {"unit_id": ["WA01"], "year": [2019]},
    "03_measures_and_outcomes": {"outcome": ["violation"], "lag_months": [1]},
    "04_survey_report": {"unit_id": ["WA01"], "wave": [2019]},
    "05_benchmarking": {"station_id": ["S1"], "year": [2011]},
    "06_survey_study": {"wave": [2019]},
    "07_org_life": {"unit_id": ["WA01"], "period": ["2019"]},
    "08_meeting_records": {"unit_id": ["WA01"], "year": [2019]},
}
CHROME = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
          "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def small_png(src: Path, dst: Path, width: int | None, colors: int) -> None:
    im = Image.open(src).convert("RGB")
    if width:
        im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
    im.quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(dst, optimize=True)


def run_batch(tmp: Path) -> Path:
    """The demo batch of one report of each kind, in zh and en (html and docx only)."""
    cfg = {"name": "docs screenshots (示例数据，非真实数据)", "dataset": str(ROOT / "data" / "demo"),
           "out": str(tmp / "batch"), "lang": "zh",
           "reports": [{"notebook": str(ROOT / "notebooks" / f"{nb}.ipynb"),
                        "grid": {**grid, "lang": ["zh", "en"]}} for nb, grid in REPORTS.items()]}
    (tmp / "shots.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "grouplab.cli", "batch", str(tmp / "shots.yml"), "--jobs", "1",
                    "--formats", "html,docx", "--quiet"], check=True)
    return tmp / "batch"


def report_file(batch: Path, nb: str, lang: str) -> Path:
    # the file name lists the parameters (in the config's key order): lang=zh may come anywhere
    found = sorted(p for p in (batch / nb).glob("*.html") if f"lang={lang}" in p.stem.split("_"))
    if not found:
        raise SystemExit(f"no {lang} report of {nb} in {batch}: {sorted(p.name for p in batch.iterdir())}")
    return found[0]


def main(argv: list[str]) -> int:
    """``screenshots.py`` runs the batch; ``screenshots.py BATCH_DIR`` photographs an existing one."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch = Path(argv[1]) if len(argv) > 1 else run_batch(tmp)
        for lang in ("zh", "en"):
            img = DOCS / lang / "reports" / "img"
            img.mkdir(parents=True, exist_ok=True)
            for nb in REPORTS:
                html = report_file(batch, nb, lang)
                shot = tmp / f"{nb}-{lang}.png"
                subprocess.run([*CHROME, f"--user-data-dir={tmp / 'chrome'}", "--window-size=1100,1500",
                                f"--screenshot={shot}", html.as_uri()], check=True, capture_output=True)
                small_png(shot, img / f"{nb}.png", 825, 192)
                docx = html.with_suffix(".docx")
                subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp),
                                str(docx)], check=True, capture_output=True)
                page = tmp / f"{nb}-{lang}-word"
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                                str(tmp / docx.with_suffix(".pdf").name), str(page)], check=True)
                small_png(page.with_suffix(".png"), img / f"{nb}-word.png", None, 128)
                print(f"{lang}: {nb}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

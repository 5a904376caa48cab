"""Screenshots of grouplab's displays in a real JupyterLab (issue 27; run by hand, not in CI).

Starts JupyterLab on 127.0.0.1 (a free port, a random token, its own config and data folders, a
temporary root folder), writes and executes one small notebook per display (the demo Dataset in zh and
en, a DataError holding a hostile cell value, a rate model's result, an event study) plus a copy of
notebooks/00_start_here.ipynb, opens each in headless Chromium, saves a PNG, then stops the server.

    .venv/bin/python bench/screenshots_jupyterlab.py [--out reports/screenshots/jupyterlab]

Needs Chromium and CJK fonts: ``apt-get install -y chromium fonts-noto-cjk``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars"]
HOSTILE = "<script>alert(1)</script>"

_BROKEN = """import shutil, tempfile
from pathlib import Path
import grouplab
from grouplab.paths import demo_dir
grouplab.set_display_lang({lang!r})
bad = Path(tempfile.mkdtemp())
shutil.copy(demo_dir() / "units.csv", bad / "units.csv")
lines = (demo_dir() / "groups.csv").read_text(encoding="utf-8").splitlines()
row = lines[3].split(",")
row[3] = "0"                 # members of the group on Excel row 4
lines[3] = ",".join(row)
row = lines[6].split(",")
row[1] = {hostile!r}         # unit of the group on Excel row 7: a cell holding markup
lines[6] = ",".join(row)
(bad / "groups.csv").write_text("\\n".join(lines) + "\\n", encoding="utf-8")
(bad / "dataset.yml").write_text("name: broken\\ntables: {{units: units.csv, groups: groups.csv}}\\n")
try:
    grouplab.load_dataset(bad, cache=False)
except grouplab.DataError as err:
    error = err
error"""

_MODEL = '''import warnings
import grouplab
from grouplab.measures.panel import study_panel
from grouplab.models import rate_model
grouplab.set_display_lang({lang!r})
panel = study_panel(grouplab.load_demo())
rate_model(panel, "n_violation ~ quality_deficit + C(year)", exposure="person_hours", cluster="group_id")'''

_EVENT = '''import warnings
import grouplab
from grouplab.measures.panel import study_panel
from grouplab.models import event_study
grouplab.set_display_lang({lang!r})
panel = study_panel(grouplab.load_demo())
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    es = event_study(panel, "n_violation", exposure="person_hours", cluster="unit_id", window=(-6, 6), bin=3)
es'''

SHOTS = {
    "dataset-zh": ("import grouplab\ngrouplab.set_display_lang('zh')\ngrouplab.load_demo()", (1400, 900)),
    "dataset-en": ("import grouplab\ngrouplab.set_display_lang('en')\ngrouplab.load_demo()", (1400, 900)),
    "dataerror-zh": (_BROKEN.format(lang="zh", hostile=HOSTILE), (1400, 1100)),
    "dataerror-en": (_BROKEN.format(lang="en", hostile=HOSTILE), (1400, 1100)),
    "rate-model-zh": (_MODEL.format(lang="zh"), (1400, 900)),
    "rate-model-en": (_MODEL.format(lang="en"), (1400, 900)),
    "event-study-en": (_EVENT.format(lang="en"), (1400, 1100)),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_notebooks(root: Path) -> list[tuple[str, tuple[int, int]]]:
    out = []
    for name, (src, size) in SHOTS.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src)])
        nb.metadata["kernelspec"] = {"name": "grouplab", "display_name": "Python (grouplab)",
                                     "language": "python"}
        NotebookClient(nb, timeout=600, kernel_name="grouplab",
                       resources={"metadata": {"path": str(root)}}).execute()
        nbformat.write(nb, root / f"{name}.ipynb")
        out.append((f"{name}.ipynb", size))
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", root / "00_start_here.ipynb")
    out.append(("00_start_here.ipynb", (1400, 2400)))
    return out


def _wait(url: str, seconds: float = 90) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own server on 127.0.0.1
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer at {url}")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    sys.exit("install chromium first: apt-get install -y chromium fonts-noto-cjk")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "reports" / "screenshots" / "jupyterlab"))
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    chrome = _chromium()
    with tempfile.TemporaryDirectory(prefix="grouplab-lab-") as tmp:
        tmp = Path(tmp)
        root, home = tmp / "root", tmp / "home"
        root.mkdir()
        own = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTER_DATA_DIR": "data",
               "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "JUPYTERLAB_SETTINGS_DIR": "settings"}
        env = {**os.environ, **{k: str(home / v) for k, v in own.items()}}
        os.environ.update({k: env[k] for k in own})  # the kernels executing the notebooks, too
        quiet = home / "settings" / "@jupyterlab" / "apputils-extension"
        quiet.mkdir(parents=True)  # no "get notified about Jupyter news?" toast over the outputs
        (quiet / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
        notebooks = _write_notebooks(root)
        for name, _ in notebooks:  # the outputs were made here: trusted, as after running the cells
            subprocess.run([sys.executable, "-m", "jupyter", "trust", str(root / name)], env=env, check=True,
                           capture_output=True)
        port, token = _free_port(), secrets.token_hex(16)
        log = open(tmp / "jupyterlab.log", "w", encoding="utf-8")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            try:
                _wait(f"{base}/api/status?token={token}")
            except RuntimeError:
                log.flush()
                print((tmp / "jupyterlab.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
                raise
            for name, (w, h) in notebooks:
                png = out / f"{Path(name).stem}.png"
                subprocess.run([chrome, *CHROME_FLAGS, f"--user-data-dir={tmp / 'chrome'}",
                                f"--window-size={w},{h}", "--virtual-time-budget=20000",
                                f"--screenshot={png}", f"{base}/lab/tree/{name}?reset&token={token}"],
                               env=env, check=True, capture_output=True, timeout=180)
                print(png)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

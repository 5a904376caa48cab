"""A batch on a real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

The processes are started with the `dask` command of this environment, on ports that were
free a moment before, and are shut down by their pids in a ``finally`` whatever happens.
Every wait has a timeout so a broken cluster fails the test instead of hanging CI.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from grouplab.cli import main
from grouplab.paths import demo_dir

pytestmark = pytest.mark.slow  # runs notebooks or a report batch: not in `make check`

distributed = pytest.importorskip("distributed")
DASK = Path(sys.executable).with_name("dask")
START_TIMEOUT = 120  # seconds for the scheduler and both workers to come up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PARAMETERS = 'data_dir = "demo"\nunit_id = "WA01"'
_BODY = ("import os\nfrom grouplab.data.dataset import load_dataset, resolve_data_dir\n"
         "ds = load_dataset(resolve_data_dir(data_dir))\n"
         "n = int((ds.tables['groups']['unit_id'] == unit_id).sum())\n"
         "print(f'unit={unit_id} groups={n} parent={os.getppid()}')")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen([str(DASK), *args], stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:  # workers first, then the scheduler
        if p.poll() is None:
            os.kill(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path):
    """Scheduler + two single-threaded workers (no nanny: each pid is the worker itself)."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    try:
        procs.append(_start(["scheduler", "--host", "127.0.0.1", "--port", str(port),
                             "--no-dashboard"], tmp_path / "scheduler.log"))
        for i in (1, 2):
            procs.insert(0, _start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                    "--no-nanny", "--no-dashboard", "--name", f"w{i}",
                                    "--local-directory", str(tmp_path / f"w{i}")],
                                   tmp_path / f"worker{i}.log"))
        with distributed.Client(address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
            pids = set(client.run(os.getpid).values())
        yield address, pids
    finally:
        _stop(procs)
        for log in sorted(tmp_path.glob("*.log")):  # pytest shows this only if the test failed
            print(f"--- {log.name}\n" + log.read_text(errors="replace")[-2000:])


def test_batch_runs_on_a_scheduler_and_two_worker_processes(cluster, tmp_path, capsys, report_notebook):
    address, worker_pids = cluster
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    report_notebook(tmp_path / "count.ipynb", _PARAMETERS, _BODY)
    units = ["WA01", "WA02", "WA03", "WA04"]
    config = tmp_path / "batch.yml"
    config.write_text(yaml.safe_dump({
        "name": "dask test", "dataset": str(demo_dir()), "out": str(tmp_path / "out"),
        "reports": [{"notebook": str(tmp_path / "count.ipynb"), "grid": {"unit_id": units}}]}),
        encoding="utf-8")
    t = time.perf_counter()
    status = main(["batch", str(config), "--scheduler", address, "--quiet", "--timeout", "300"])
    assert status == 0, capsys.readouterr().err
    manifest = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert manifest["summary"] == {"ok": 4, "failed": 0, "skipped": 0, "pending": 0}
    groups = {u: int((load_groups()["unit_id"] == u).sum()) for u in units}
    for rec in manifest["reports"]:
        nb = nbformat.read(tmp_path / "out" / rec["ipynb"], as_version=4)
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        unit = rec["parameters"]["unit_id"]
        assert f"unit={unit} groups={groups[unit]} " in text
        # the kernel is a child of a worker process, not of this test
        parent = int(text.split("parent=")[1].split()[0])
        assert parent in worker_pids, (parent, worker_pids)
    assert time.perf_counter() - t < 900


def load_groups():
    from grouplab.data.demo import load_demo

    return load_demo().tables["groups"]

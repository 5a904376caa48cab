"""Batches never collide and output faults end cleanly (issue 15, item 4).

Faults are injected by patching the one function through which batch output
bytes reach a file (``grouplab.batch.outputs._write``); the batch runs its
reports on a thread pool so the patch applies to every write.
"""

import concurrent.futures as cf
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from grouplab.batch import outputs
from grouplab.batch.outputs import LOCK_NAME, OutputError, OutputLock
from grouplab.batch.runner import run
from grouplab.cli import main

_PARAMETERS = 'data_dir = "demo"\nunit_id = "WA01"'
_BODY = ("import pandas as pd\nfrom grouplab.reports.common.tables import key_table\n"
         "key_table(pd.DataFrame({'unit': [unit_id], 'n': [1]}), 'summary')")


@pytest.fixture
def config(tmp_path, notebook_batch):
    return notebook_batch(tmp_path, "faults", _PARAMETERS, _BODY, ["WA01", "WA03", "WA04"])


@pytest.fixture(scope="module")
def pool():
    """One worker thread for the module: its warm kernel is reused by every batch here."""
    with cf.ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


def _leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and ("grouplab-tmp" in p.name or "running" in p.name)]


def test_a_held_folder_is_refused_naming_the_holder(tmp_path):
    with OutputLock(tmp_path):
        with pytest.raises(OutputError, match=rf"in use by another batch \(pid {os.getpid()} .*started 20"):
            OutputLock(tmp_path).acquire()
    with OutputLock(tmp_path) as again:  # released: free again
        assert again.taken_over is None
    assert not (tmp_path / LOCK_NAME).exists()  # and nothing left behind in the user's folder


def test_a_batch_waiting_on_a_released_lock_never_holds_a_removed_file(tmp_path, monkeypatch):
    # the releasing holder unlinks the file while still locking it; a batch that opened the old file
    # before the unlink must not believe it holds the folder: it opens the new file instead
    import grouplab.batch.outputs as outputs

    first = OutputLock(tmp_path).acquire()
    real_stat, calls = os.stat, []

    def stat_after_release(path, *a, **k):
        calls.append(path)
        if len(calls) == 1:  # the waiting batch checks its inode just after the holder released
            first.release()
        return real_stat(path, *a, **k)

    import fcntl

    real_flock = fcntl.flock
    monkeypatch.setattr(fcntl, "flock", lambda fd, op: None if len(calls) == 0 and op & fcntl.LOCK_NB
                        else real_flock(fd, op))
    monkeypatch.setattr(outputs.os, "stat", stat_after_release)
    with OutputLock(tmp_path) as second:
        assert os.fstat(second._fd).st_ino == real_stat(tmp_path / LOCK_NAME).st_ino
        assert len(calls) == 2  # the removed file was given up, the new one locked


def test_a_stale_lock_of_a_killed_batch_is_taken_over(tmp_path):
    code = textwrap.dedent(f"""
        import time
        from grouplab.batch.outputs import OutputLock
        OutputLock({str(tmp_path)!r}).acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(OutputError, match=f"pid {proc.pid}"):
            OutputLock(tmp_path).acquire()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    with OutputLock(tmp_path) as lock:
        assert lock.taken_over["pid"] == proc.pid
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()


@pytest.mark.slow
def test_two_batches_started_at_once_never_collide(config, tmp_path):
    cfg = tmp_path / "batch.yml"
    cfg.write_text(yaml.safe_dump(config), encoding="utf-8")
    cmd = [sys.executable, "-m", "grouplab.cli", "batch", str(cfg), "--jobs", "1", "--quiet",
           "--formats", "html,xlsx"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    ran = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert ran, results
    for rc, _out, err in refused:  # a clean refusal: exit 2, one line naming the holder, no traceback
        assert rc == 2 and "in use by another batch (pid" in err and "Traceback" not in err
    for _rc, out, err in ran:
        assert "3 ok" in out or "skipped" in out
        assert "without encryption" not in err and "IPKernelApp" not in err  # quiet IPC kernels
    manifest = json.loads((Path(config["out"]) / "run.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in manifest["reports"]} <= {"ok", "skipped"}
    assert manifest["state"] == "finished" and not _leftovers(Path(config["out"]))


def _failing_write(match: str, code: int):
    real = outputs._write

    def write(fh, data):
        if match in os.path.basename(fh.name):
            raise OSError(code, os.strerror(code))
        real(fh, data)
    return write


@pytest.mark.parametrize("code, reason", [
    (errno.ENOSPC, "no space left"), (errno.EACCES, "permission denied"),
    (errno.EROFS, "read-only"), (errno.ENOENT, "vanished"),
])
@pytest.mark.slow
def test_an_output_fault_stops_cleanly_records_the_truth_and_a_rerun_resumes(config, pool, monkeypatch,
                                                                           code, reason):
    out = Path(config["out"])
    monkeypatch.setattr(outputs, "_write", _failing_write("unit_id=WA03.", code))
    with pytest.raises(OutputError) as info:
        run(config, executor=pool, progress=False, formats="html,docx,xlsx")
    message = str(info.value)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    status = {r["parameters"]["unit_id"]: r["status"] for r in manifest["reports"]}
    # WA03 hit the fault; WA01 was done before it; WA04 was either cancelled or already running
    assert status["WA01"] == "ok" and status["WA03"] == "pending" and status["WA04"] in ("ok", "pending")
    n_ok = sum(v == "ok" for v in status.values())
    assert reason in message and f"Written completely: {n_ok} of 3" in message
    assert f"not written: {3 - n_ok}" in message and f"MB more for the {3 - n_ok} report" in message
    assert "run the same command again" in message
    assert manifest["state"] == "stopped" and reason in manifest["fault"] and manifest["ended"]
    assert "output fault" in (out / "index.html").read_text(encoding="utf-8") or \
        "输出故障" in (out / "index.html").read_text(encoding="utf-8")
    assert not _leftovers(out)
    assert not list(out.rglob("unit_id=WA03.*"))

    monkeypatch.undo()
    again = run(config, executor=pool, progress=False, formats="html,docx,xlsx")
    assert again["summary"] == {"ok": 3 - n_ok, "failed": 0, "skipped": n_ok, "pending": 0}
    assert again["state"] == "finished"


@pytest.mark.slow
def test_a_full_disk_while_writing_the_manifest_is_a_message_not_a_traceback(config, tmp_path,
                                                                           monkeypatch, capsys):
    cfg = tmp_path / "batch.yml"
    cfg.write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.setattr(outputs, "_write", _failing_write(".run.json.", errno.ENOSPC))
    assert main(["batch", str(cfg), "--quiet", "--jobs", "1", "--formats", "html"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("grouplab: output stopped: no space left on the device (ENOSPC)")
    assert "run.json could not be updated" in err and "Traceback" not in err
    assert not _leftovers(Path(config["out"]))


def test_unknown_formats_are_refused_before_anything_runs(config):
    from grouplab import ParameterError

    with pytest.raises(ParameterError, match="pdf: choose from html, docx, xlsx"):
        run(config, formats="html,pdf", progress=False)
    assert not Path(config["out"]).exists()


@pytest.mark.slow
def test_a_killed_batch_leaves_temp_files_that_the_next_batch_removes(config, pool):
    out = Path(config["out"])
    (out / "t").mkdir(parents=True)
    junk = out / "t" / f".unit_id=WA01.html.99999-abcdef12{outputs._TEMP_MARK}.html"
    junk.write_text("half")
    time.sleep(0.01)
    config["reports"][0]["grid"] = {"unit_id": ["WA01"]}
    run(config, executor=pool, progress=False, formats="html")
    assert not junk.exists()

"""Writing into a batch's output folder: atomic files, the folder lock, output faults.

Every file of a batch is written under a temporary name unique to the writing
process and renamed when complete, so nothing half-written ever carries a
final name. One batch at a time writes into a folder: :class:`OutputLock`
holds ``.grouplab-batch.lock`` (pid, host, start time of the holder) while the
batch runs and removes it when done; a lock whose holder is gone is stale and
taken over. A write that fails because the disk is full, permission is denied,
the folder is read-only or has vanished is an *output fault*: the batch stops
and says what was and was not written.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import socket
import uuid
from pathlib import Path

from grouplab.errors import GroupLabError

__all__ = ["OutputError", "OutputLock", "atomic_write", "temp_name", "is_output_fault",
           "fault_reason", "remove_temp_files", "LOCK_NAME"]

LOCK_NAME = ".grouplab-batch.lock"
_TEMP_MARK = ".grouplab-tmp"
_FAULTS = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
           errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
           errno.EROFS: "the output folder is on a read-only file system",
           errno.ENOENT: "the output folder has vanished (deleted or unmounted)"}


class OutputError(GroupLabError, OSError):
    """The output folder cannot be written (full, not writable, vanished) or another batch holds it."""


def is_output_fault(err: BaseException) -> bool:
    """True for an OSError caused by the output folder (full disk, permissions, read-only, vanished)."""
    return isinstance(err, OSError) and err.errno in _FAULTS


def fault_reason(err: BaseException) -> str:
    """A short reason for an output fault, e.g. ``"no space left on the device"``."""
    code = getattr(err, "errno", None)
    return _FAULTS.get(code, str(err)) + (f" ({errno.errorcode.get(code, code)})" if code else "")


def temp_name(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this process and call (hidden, marked, same suffix)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{_TEMP_MARK}{path.suffix}")


def _write(fh, data: bytes) -> None:
    """The one place batch output bytes reach a file (tests patch it to inject faults)."""
    fh.write(data)


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary name and a rename; no partial file survives.

    Raises
    ------
    OSError
        As the file system raised it (the temporary file is removed first).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        with open(tmp, "wb") as fh:
            _write(fh, data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_temp_files(folder: str | Path) -> int:
    """Remove the temporary files batches leave when they are killed; the number removed.

    Only call this while holding the folder's :class:`OutputLock`.
    """
    n = 0
    try:
        found = [p for p in Path(folder).rglob(f".*{_TEMP_MARK}*") if p.is_file()]
    except OSError:
        return 0
    for p in found:
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


class OutputLock:
    """Exclusive use of an output folder by one batch (a context manager).

    The lock is an advisory ``flock`` on ``.grouplab-batch.lock``, which also
    records the holder's pid, host and start time. The operating system
    releases the lock when its holder dies, however it dies, so a stale lock
    left by a killed batch is simply taken over (``taken_over`` then holds
    the dead holder's record).

    Raises
    ------
    OutputError
        Another running batch holds the folder (the message names its pid and
        start time), or the folder cannot be written.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.taken_over: dict | None = None
        self._fd: int | None = None

    def _read(self, fd: int) -> dict:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            return json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
        except ValueError:
            return {}

    def _open_locked(self) -> int:
        """Open and flock the lock file; again if a releasing holder removed it meanwhile."""
        import fcntl

        while True:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise OutputError(f"cannot use {self.folder} for output: {fault_reason(err)}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = self._read(fd)
                os.close(fd)
                raise OutputError(
                    f"{self.folder} is in use by another batch (pid {holder.get('pid', '?')} on "
                    f"{holder.get('host', '?')}, started {holder.get('started', '?')} UTC); wait for it "
                    "to finish or choose another --out.") from None
            try:  # the file locked must still be the one at the path (release unlinks it)
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)

    def acquire(self) -> OutputLock:
        fd = self._open_locked()
        previous = self._read(fd)
        self.taken_over = previous or None
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode("utf-8"), 0)
        except OSError:  # the record is informative only; the flock is what excludes
            pass
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the folder free: the lock file is removed (while still locked, so a batch waiting
        to lock it sees it gone and opens a new one), and no file is left behind."""
        if self._fd is None:
            return
        import fcntl

        try:
            os.unlink(self.path)
        except OSError:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

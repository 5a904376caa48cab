"""Cache of validated datasets, keyed by the bytes of every input file.

:func:`grouplab.data.dataset.load_dataset` validates a dataset once and keeps the result
in ``$GROUPLAB_CACHE`` (default ``$XDG_CACHE_HOME/grouplab`` or ``~/.cache/grouplab``):
one file per dataset version holding each table as an LZ4-compressed Arrow IPC file
(columnar and typed, memory-mapped, so a reader takes only the tables it needs and
decompresses them without parsing) with a small pickled header holding
the rest of the dataset (specs, windows, file hashes). The key hashes the grouplab
version, the dataset folder, the manifest and every file it names, the codebook and the project secret, so
any change to an input — or a new secret, which changes the pseudonyms — makes
a new entry. Raw files are only ever opened for reading; a broken entry is
deleted and rebuilt, and a read-only cache folder just means no cache. Writing an
entry deletes those of earlier cache formats and keeps the 8 newest entries within
4 GB (:func:`evict`; ``$GROUPLAB_CACHE_ENTRIES``, ``$GROUPLAB_CACHE_GB``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from grouplab.data.surveys.privacy import project_secret

__all__ = ["evict"]

_MAGIC = b"GLCACHE3"  # 3: reading notes are codes with values (data.notes)
_ALIGN = 64
#: Tables read from the last cache entry in this process (see :func:`read_cached`).
_READ: dict[Any, Any] = {}


def _sha256_bytes(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, remembered for a file whose stat has not changed.

    Hashing every input on every load costs about 0.3 s per 100 MB; the digest is kept
    in ``$GROUPLAB_CACHE/hashes`` under a key of the file's path, size, inode and
    modification and change times (nanoseconds), as git's index does. Any write to the
    file changes its change time (``ctime``; tools that restore ``mtime`` cannot set
    it), so it is hashed again. A file changed in the last 2 s is not remembered (a
    write within the clock's resolution would go unseen).
    """
    st = os.stat(path)
    key = hashlib.sha256(f"{Path(path).resolve()}\0{st.st_size}\0{st.st_ino}\0"
                         f"{st.st_mtime_ns}\0{st.st_ctime_ns}".encode()).hexdigest()
    memo = _cache_dir() / "hashes" / key[:40]
    try:
        known = memo.read_text("ascii")
        if len(known) == 64:
            return known
    except OSError:
        pass
    digest = _sha256_bytes(Path(path))
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > 2_000_000_000:
        tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(digest, "ascii")
            os.replace(tmp, memo)
        except OSError:  # a read-only cache folder: just hash every time
            tmp.unlink(missing_ok=True)
    return digest


def _cache_dir() -> Path:
    env = os.environ.get("GROUPLAB_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "grouplab"


def _input_files(folder: Path, manifest: Mapping) -> list[Path]:
    """Every file a manifest names (specs and tables), existing or not, and a coding workbook beside it."""
    from grouplab.data.specs import spec_path

    specs = [spec_path(folder, str(r)) for r in (manifest.get(k) for k in ("rubric", "questionnaire",
                                                                          "catalogue")) if r]
    rels = []
    tables = manifest.get("tables") or {}
    for entry in (tables.values() if isinstance(tables, Mapping) else [tables]):
        rels.extend(_named_files(entry))
    if manifest.get("meeting_flags") not in (None, "recorded"):  # coded flags: minutes beside are an input
        from grouplab.data.manifest import MINUTES_BESIDE

        rels.extend(n for n in MINUTES_BESIDE if (folder / n).is_file())
    from grouplab.data.manifest import MINUTES_BESIDE, report_workbook

    if (isinstance(tables, Mapping) and "minutes" in tables) or any((folder / n).is_file()
                                                                    for n in MINUTES_BESIDE):
        rels.extend(p.name for p in report_workbook(folder))  # report 08's filled coding workbook
    return specs + [folder / str(r) for r in rels if r]


def _named_files(entry: Any) -> list:
    """File names in a table entry: a name, a list, {file}, {files: list or wave -> name}, {sources}."""
    if isinstance(entry, list):
        return [f for e in entry for f in _named_files(e)]
    if not isinstance(entry, Mapping):
        return [entry] if isinstance(entry, str) else []
    files = entry.get("files") or []
    return ([entry.get("file")] + _named_files(list(files.values()) if isinstance(files, Mapping) else files)
            + _named_files(entry.get("sources") or []))


def _fingerprint(folder: Path, manifest_path: Path, manifest: Mapping) -> str | None:
    """Hash of the manifest and every input file's bytes (None if a file is missing)."""
    from grouplab._version import __version__

    h = hashlib.sha256(f"grouplab {__version__}\0{folder.resolve()}\0".encode())
    for p in [manifest_path, *_input_files(folder, manifest)]:
        if not p.is_file():
            return None
        h.update(sha256_of(p).encode())
    h.update(Path(__file__).with_name("codebook.yml").read_bytes())
    # pseudonyms depend on the secret: a new secret must not be served old pseudonyms
    h.update(hashlib.sha256(project_secret()).digest())
    return h.hexdigest()


def cache_file(folder: Path, manifest_path: Path, manifest: Mapping) -> Path | None:
    """Where the dataset of this manifest is cached (None if an input file is missing)."""
    key = _fingerprint(folder, manifest_path, manifest)
    return _cache_dir() / f"dataset-{key}.arrows" if key else None


def _arrow_table(buf: Any, start: int, size: int) -> Any:
    """One table of an entry: an Arrow IPC file read from the memory map (LZ4 buffers decompressed)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    return ipc.open_file(pa.BufferReader(buf.slice(start, size))).read_all()


def read_cached(cached: Path | None, *, tables: Collection[str] | None = None,
                columns: Mapping[str, Collection[str]] | None = None) -> Any | None:
    """The cached dataset, or None if there is none (a broken entry is deleted).

    Parameters
    ----------
    cached : Path or None
        Entry from :func:`cache_file`.
    tables : collection of str, optional
        Read only these tables (default all); the others are left out of ``tables``.
    columns : mapping table -> columns, optional
        Read only these columns of a table (default all).

    Returns
    -------
    object or None
        The object given to :func:`write_cached`, its ``tables`` read back as the
        same pandas frames (dtypes kept by the pandas metadata Arrow stores).

    Notes
    -----
    An entry is one file: ``GLCACHE3``, where the pickled header starts and how
    long it is (the object without its tables, and where each table starts and
    ends), then each table as an LZ4-compressed Arrow IPC file at a 64-byte boundary,
    then the header. The file is memory-mapped; Arrow only decompresses buffers, so
    a load mostly builds the pandas frames. Measured on the K = 100 replica (7.2 M
    rows, fresh process, quiet machine): 0.71 s wall / 1.0 CPU-s and a 132 MB entry;
    uncompressed IPC 0.21 s but 527 MB; Parquet 1.9-2.4 s and 19 MB (decoding it
    was most of that time). LZ4 keeps the load under 1 s at a quarter of the
    uncompressed disk. Only the pages of the tables asked for are touched. Tables once read are kept
    for the process (of the last entry only, while its file is unchanged), so the
    reports a batch worker runs one after another build each frame once; every call
    gets its own frames (shallow copies: copy-on-write keeps the kept ones intact).
    """
    import dataclasses

    import pyarrow as pa

    if cached is None or not cached.is_file():
        _READ.clear()
        return None
    try:
        st = cached.stat()
        entry = (str(cached), st.st_size, st.st_mtime_ns, st.st_ino)
        if _READ.get("entry") != entry:  # one entry per process: memory stays bounded
            _READ.clear()
            # not closed explicitly: the map lives as long as any buffer taken from it
            buf = pa.memory_map(str(cached)).read_buffer()
            if buf.slice(0, 8).to_pybytes() != _MAGIC:
                raise ValueError("not a grouplab cache entry")
            at, n = (int.from_bytes(buf.slice(i, 8).to_pybytes(), "little") for i in (8, 16))
            _READ.update(entry=entry, buf=buf, header=pickle.loads(buf.slice(at, n).to_pybytes()))
        buf, (obj, where) = _READ["buf"], _READ["header"]
        loaded = {}
        for t, (start, size) in where.items():
            if tables is None or t in tables:
                cols = None if columns is None or t not in columns else list(columns[t])
                key = ("table", t, None if cols is None else tuple(cols))
                if key not in _READ:
                    tab = _arrow_table(buf, start, size)
                    _READ[key] = (tab if cols is None else tab.select(cols)).to_pandas()
                loaded[t] = _READ[key].copy(deep=False)
        return dataclasses.replace(obj, tables=MappingProxyType(loaded))
    except Exception:  # noqa: BLE001 - a broken cache entry is rebuilt
        _READ.clear()
        cached.unlink(missing_ok=True)
        return None


def write_cached(cached: Path | None, obj: Any) -> None:
    """Store ``obj`` (a dataclass with a ``tables`` mapping) at ``cached``, atomically.

    Each table is written as an LZ4-compressed Arrow IPC file (one table in memory at a
    time); the object without its tables is pickled into the header (see
    :func:`read_cached`). The entry is written under a temporary name and renamed
    into place; a read-only cache folder just means no cache.
    """
    import dataclasses

    if cached is None:
        return
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(_MAGIC + bytes(_ALIGN - len(_MAGIC)))  # header place filled in below
            where = {name: _write_table(fh, df) for name, df in obj.tables.items()}
            header = pickle.dumps((dataclasses.replace(obj, tables=MappingProxyType({})), where),
                                  protocol=pickle.HIGHEST_PROTOCOL)
            at = fh.tell()
            fh.write(header)
            fh.seek(len(_MAGIC))
            fh.write(at.to_bytes(8, "little") + len(header).to_bytes(8, "little"))
        os.replace(tmp, cached)
    except OSError:  # a read-only home is fine: just no cache
        tmp.unlink(missing_ok=True)
        return
    evict(cached.parent, keep=cached)


def _limit(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def evict(folder: Path, *, keep: Path | None = None, entries: int | None = None,
          max_bytes: float | None = None) -> list[Path]:
    """Delete cache entries no load will use again; the paths deleted.

    Deleted: entries of earlier cache formats (``dataset-*.parquets`` folders or
    files, ``.arrows`` files of another layout), temporary files of writes that
    died more than an hour ago, and, beyond the newest ``entries`` entries
    (default ``$GROUPLAB_CACHE_ENTRIES`` or 8) or beyond ``max_bytes`` in all
    (default ``$GROUPLAB_CACHE_GB`` or 4 GB), the oldest entries (by the time they
    were written). ``keep`` (the entry just written) is never deleted. Called after
    every :func:`write_cached`; a process still reading a deleted entry keeps its
    memory map, and a later load just validates again.
    """
    import shutil

    entries = int(_limit("GROUPLAB_CACHE_ENTRIES", 8) if entries is None else entries)
    max_bytes = _limit("GROUPLAB_CACHE_GB", 4) * 2**30 if max_bytes is None else max_bytes
    gone, current = [], []
    try:
        found = list(folder.iterdir())
    except OSError:
        return gone
    now = time.time()
    for p in found:
        try:
            st = p.stat()
            if p.name.startswith(".dataset-") and p.name.endswith(".tmp"):
                stale = now - st.st_mtime > 3600
            elif p.name.startswith("dataset-") and p.suffix == ".arrows" and p.is_file():
                with open(p, "rb") as fh:
                    stale = fh.read(len(_MAGIC)) != _MAGIC
                if not stale:
                    current.append((st.st_mtime_ns, st.st_size, p))
            else:
                stale = p.name.startswith("dataset-")  # an earlier format (.parquets …)
            if stale and p != keep:
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                gone.append(p)
        except OSError:  # removed by another process meanwhile, or read-only
            continue
    total = 0
    for n, (_, size, p) in enumerate(sorted(current, key=lambda e: e[0], reverse=True)):
        total += size
        if p != keep and (n >= entries or total > max_bytes):
            try:
                p.unlink()
                gone.append(p)
            except OSError:
                continue
    return gone


def _write_table(fh: Any, df: Any) -> tuple[int, int]:
    """Append ``df`` as an Arrow IPC file at the next 64-byte boundary; (start, size)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    fh.write(bytes(-fh.tell() % _ALIGN))  # Arrow buffers stay aligned in the map
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression="lz4")
    with ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    blob = sink.getvalue()
    start = fh.tell()
    fh.write(memoryview(blob))
    return start, blob.size

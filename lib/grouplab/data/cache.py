"""Cache of validated datasets, keyed by the bytes of every input file.

:func:`grouplab.data.dataset.load_dataset` validates a dataset once and keeps the result
as a pickle in ``$GROUPLAB_CACHE`` (default ``$XDG_CACHE_HOME/grouplab`` or
``~/.cache/grouplab``). The key hashes the grouplab version, the dataset folder,
the manifest and every file it names, the codebook and the project secret, so
any change to an input — or a new secret, which changes the pseudonyms — makes
a new entry. Raw files are only ever opened for reading; a broken entry is
deleted and rebuilt, and a read-only cache folder just means no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grouplab.data.privacy import project_secret

__all__: list[str] = []


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _cache_dir() -> Path:
    env = os.environ.get("GROUPLAB_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "grouplab"


def _input_files(folder: Path, manifest: Mapping) -> list[Path]:
    """Every file a manifest names (specs and tables), existing or not."""
    rels = [manifest.get(k) for k in ("rubric", "questionnaire", "catalogue")]
    tables = manifest.get("tables") or {}
    for entry in (tables.values() if isinstance(tables, Mapping) else [tables]):
        rels.extend(_named_files(entry))
    return [folder / str(r) for r in rels if r]


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
    return _cache_dir() / f"dataset-{key}.pickle" if key else None


def read_cached(cached: Path | None) -> Any | None:
    """The cached object, or None if there is none (a broken entry is deleted)."""
    if cached is not None and cached.is_file():
        try:
            with open(cached, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a broken cache entry is rebuilt
            cached.unlink(missing_ok=True)
    return None


def write_cached(cached: Path | None, obj: Any) -> None:
    """Store ``obj`` atomically at ``cached``; a read-only cache folder is ignored."""
    if cached is None:
        return
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:  # a read-only home is fine: just no cache
        pass

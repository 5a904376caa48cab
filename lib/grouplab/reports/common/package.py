"""What every report package shares in its shape: loading its data and listing its exports once.

A report package (ARCHITECTURE.md, "A report") is ``context``, ``tables``, ``display`` and
``phrases``; its ``__init__`` exports what those modules list in ``__all__`` through
:func:`export`, and its ``prepare(data, *, …, lang)`` takes a folder, ``"demo"`` or a loaded
Dataset through :func:`dataset_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import Any

from grouplab.data.dataset import Dataset, load_dataset, resolve_data_dir
from grouplab.data.specs import read_yaml
from grouplab.errors import DataError
from grouplab.paths import MANIFEST

__all__ = ["export", "dataset_of", "is_synthetic"]


def export(namespace: MutableMapping[str, Any], *modules: ModuleType) -> list[str]:
    """Bind every name of each module's ``__all__`` in ``namespace``; returns them (for ``__all__``).

    Raises
    ------
    ImportError
        Two modules export one name for different objects (the package would hide one of them).

    Examples
    --------
    >>> import types
    >>> a, b = types.ModuleType("a"), types.ModuleType("b")
    >>> a.__all__, a.f, b.__all__, b.g = ["f"], len, ["g"], abs
    >>> ns = {}
    >>> export(ns, a, b), ns["g"] is abs
    (['f', 'g'], True)
    """
    names: dict[str, Any] = {}
    for module in modules:
        for name in module.__all__:
            value = getattr(module, name)
            if name in names and names[name] is not value:
                raise ImportError(f"{module.__name__} exports {name!r}, already exported by another module")
            names[name] = value
    namespace.update(names)
    return list(names)


def dataset_of(data: str | Path | Dataset, tables: Iterable[str] | None = None) -> Dataset:
    """``data`` itself when it is a loaded Dataset, else the dataset of that folder (``"demo"``: the demo).

    Parameters
    ----------
    data : str, Path or Dataset
    tables : iterable of str, optional
        Load only these tables (a report's ``TABLES``; None: every table).

    Returns
    -------
    Dataset
    """
    if isinstance(data, Dataset):
        return data
    return load_dataset(resolve_data_dir(data), tables=tables)


def is_synthetic(data: str | Path | Dataset) -> bool:
    """Whether ``data`` is synthetic (the demo, or a folder whose dataset.yml says ``synthetic: true``).

    Reads only the manifest of a folder (the report's ``prepare`` loads and checks the data); a
    folder without a readable manifest is not synthetic.

    Examples
    --------
    >>> is_synthetic("demo"), is_synthetic("/nonexistent/folder")
    (True, False)
    """
    if isinstance(data, Dataset):
        return bool(data.synthetic)
    try:
        manifest = read_yaml(resolve_data_dir(data) / MANIFEST)
    except (DataError, OSError, ValueError):
        return False
    return manifest.get("synthetic") is True

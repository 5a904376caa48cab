"""Load tables and whole datasets: read, rename to canonical columns, validate.

A dataset is a folder with ``dataset.yml`` (which file holds which table, with
encoding/sheet overrides, and which rubric / questionnaire / indicator
catalogue apply) and one file per table. ``load_dataset`` reports every
problem of every file at once in one :class:`DataError`; raw files are only
ever opened for reading. The cache of validated datasets lives in
:mod:`grouplab.data.cache`, the assembly of a 问卷星 survey in :mod:`grouplab.data.readers.survey`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from grouplab.data.cache import cache_file, read_cached, sha256_of, write_cached
from grouplab.data.codebook import TABLES, TableSpec, codebook
from grouplab.data.privacy import pseudonymise
from grouplab.data.readers.base import read_raw
from grouplab.data.readers.survey import check_survey_items, survey_from_wjx
from grouplab.data.schema import validate_raw
from grouplab.data.specs import load_catalogue, load_questionnaire, load_rubric, read_yaml, spec_ids
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST, demo_dir

__all__ = ["Dataset", "load_dataset", "read_table", "resolve_data_dir"]



@dataclass(frozen=True)
class Dataset:
    """A validated dataset: tables plus the specs that apply to them.

    Attributes
    ----------
    path : Path
        Dataset folder.
    name : str
        Name from the manifest (zh if given).
    tables : Mapping[str, pandas.DataFrame]
        Read-only mapping table name -> DataFrame with canonical columns
        (see the codebook). ``dataset["groups"]`` returns a copy.
    rubric, questionnaire, catalogue : dict or None
        Validated specs named by the manifest.
    study_window, indicator_window : tuple of Timestamp or None
        First and last month covered.
    files : Mapping[str, str]
        File (relative to the dataset folder) -> SHA-256 of its bytes.
    manifest : dict
        The manifest as read.
    """

    path: Path
    name: str
    tables: Mapping[str, pd.DataFrame]
    rubric: dict | None = None
    questionnaire: dict | None = None
    catalogue: dict | None = None
    study_window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    indicator_window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    manifest: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in self.tables:
            raise KeyError(f"no table {table!r}; this dataset has: {', '.join(sorted(self.tables))}")
        return self.tables[table].copy()

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Dataset({self.name!r}, {sizes})"

    def __reduce__(self):
        # mappingproxy cannot be pickled: store plain dicts, re-wrap on load
        state = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for k in ("tables", "files", "manifest"):
            state[k] = dict(state[k])
        return (_rebuild_dataset, (state,))

    @property
    def data_hash(self) -> str:
        """SHA-256 over the manifest, spec and table file hashes (provenance of reports)."""
        h = hashlib.sha256()
        for name, digest in sorted(self.files.items()):
            h.update(f"{name}\0{digest}\n".encode())
        return h.hexdigest()


def _rebuild_dataset(state: dict) -> Dataset:
    for k in ("tables", "files", "manifest"):
        state[k] = MappingProxyType(state[k])
    return Dataset(**state)


def _known_headers(spec: TableSpec) -> set[str]:
    out = set()
    for col in spec.columns.values():
        out.update([col.name, col.zh, *col.aliases])
    return out


def resolve_data_dir(data_dir: str | Path) -> Path:
    """Turn a notebook's ``data_dir`` parameter into a folder.

    ``"demo"`` means the embedded demo dataset; anything else is a path
    (relative paths are taken from the current working directory — the
    directory papermill or the batch runner was started in).

    Raises
    ------
    DataError
        If the folder (or its dataset.yml) does not exist.
    """
    path = demo_dir() if str(data_dir) == "demo" else Path(data_dir).expanduser()
    if not (path / "dataset.yml").is_file():
        raise DataError(f"no dataset.yml in {path}", file=str(path),
                        hint="Pass data_dir='demo' or the folder of your dataset.")
    return path


def read_table(path: str | Path, table: str, *, sheet: str | None = None,
               encoding: str | None = None) -> pd.DataFrame:
    """Read one table file (CSV, XLSX, XLS, SAV, Parquet) and validate it.

    Headers may be canonical names or any codebook alias (e.g. ``党小组编号``,
    ``考评得分``, ``日期``); values are coerced to the codebook types (dates in
    several formats, zh category labels, 是/否).

    Parameters
    ----------
    path : str or Path
        The file. It is only read, never written.
    table : str
        One of ``units, groups, activities, posts, evaluations, incidents,
        exposure, indicators, survey``.
    sheet : str, optional
        Excel sheet name (default: the first sheet).
    encoding : str, optional
        Text encoding of a CSV (default: sniff utf-8 / utf-8-sig / gb18030).

    Returns
    -------
    pandas.DataFrame
        The table's codebook columns (see ``grouplab.data.codebook``), in codebook
        order, then any extra columns of the file unchanged.

    Raises
    ------
    DataError
        Every problem of the file at once: file, row (header = row 1), column
        as written in the file, rule and offending value.
    """
    if table not in codebook():
        raise DataError(f"unknown table {table!r}; tables: {', '.join(TABLES)}", file=str(path))
    df, problems, _ = _read_validated(Path(path), table, sheet=sheet, encoding=encoding)
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


def _read_validated(path: Path, table: str, *, sheet=None, encoding=None, label=None):
    spec = codebook()[table]
    raw = read_raw(path, sheet=sheet, encoding=encoding, known_headers=_known_headers(spec),
                   file_label=label)
    return validate_raw(raw, table)


# --------------------------------------------------------------------- datasets
def _window(raw: Any, file: str, key: str, problems: list[Problem]):
    if raw is None:
        return None
    try:
        start = pd.Timestamp(str(raw["start"])).to_period("M").to_timestamp()
        end = pd.Timestamp(str(raw["end"])).to_period("M").to_timestamp()
    except (KeyError, TypeError, ValueError):
        problems.append(Problem(file, None, key, "window needs start and end months like 2015-01", raw))
        return None
    return start, end


def load_dataset(path: str | Path, *, cache: bool = True, tables: list[str] | None = None,
                 columns: Mapping[str, list[str]] | None = None) -> Dataset:
    """Load and validate every table of a dataset folder.

    Parameters
    ----------
    path : str or Path
        Folder holding ``dataset.yml`` (or the manifest file itself).
    cache : bool
        Keep the validated dataset in ``$GROUPLAB_CACHE`` (default
        ``~/.cache/grouplab``), keyed by the bytes of every input file, the
        codebook and the grouplab version, so a report batch validates once.
        Raw files are never written to.
    tables, columns : optional
        Only these tables, and of a table only these columns (``{"groups":
        ["group_id", "unit_id"]}``), as a report needs them; read from the cache
        (every table is still validated once, when the cache entry is made).

    Returns
    -------
    Dataset
        Validated tables (canonical columns, see the codebook) and specs.

    Raises
    ------
    DataError
        All problems of all files at once: unreadable files, bad cells,
        missing columns, duplicate keys, unknown group/unit/item/indicator
        ids, dates outside the study window, a manifest naming a missing file.

    Examples
    --------
    >>> from grouplab import load_demo
    >>> d = load_demo()
    >>> sorted(d.tables)[:3]
    ['activities', 'evaluations', 'exposure']
    """
    path = Path(path)
    manifest_path = path if path.is_file() else path / MANIFEST
    folder = manifest_path.parent
    if not manifest_path.is_file():
        raise DataError(f"no {MANIFEST} in {folder}", file=MANIFEST,
                        hint="A dataset folder needs a dataset.yml manifest; see README 'Your own data'.")
    manifest = read_yaml(manifest_path)
    cached = cache_file(folder, manifest_path, manifest) if cache else None
    ds = read_cached(cached, tables=tables, columns=columns)
    if ds is not None:
        return ds
    ds = _load_dataset(folder, manifest_path, manifest)
    write_cached(cached, ds)
    if tables is None and columns is None:
        return ds
    cols = columns or {}
    subset = {t: df[list(cols[t])] if t in cols else df for t, df in ds.tables.items()
              if tables is None or t in tables}
    return dataclasses.replace(ds, tables=MappingProxyType(subset))


def _load_dataset(folder: Path, manifest_path: Path, manifest: dict) -> Dataset:
    problems: list[Problem] = []
    files: dict[str, str] = {MANIFEST: sha256_of(manifest_path)}

    specs: dict[str, dict | None] = {}
    for key, loader in (("rubric", load_rubric), ("questionnaire", load_questionnaire),
                        ("catalogue", load_catalogue)):
        rel = manifest.get(key)
        specs[key] = None
        if rel is None:
            continue
        spec_path = folder / str(rel)
        try:
            specs[key] = loader(spec_path)
            files[str(rel)] = sha256_of(spec_path)
        except DataError as err:
            problems.extend(err.problems)

    study = _window(manifest.get("study_window"), MANIFEST, "study_window", problems)
    indicator = _window(manifest.get("indicator_window"), MANIFEST, "indicator_window", problems) or study

    entries = manifest.get("tables") or {}
    unknown = sorted(set(entries) - set(TABLES))
    for t in unknown:
        problems.append(Problem(MANIFEST, None, "tables", f"unknown table {t!r}", t,
                                f"Tables are: {', '.join(TABLES)}."))
    tables: dict[str, pd.DataFrame] = {}
    headers: dict[str, dict] = {}
    for table in TABLES:
        entry = entries.get(table)
        if entry is None:
            continue
        if isinstance(entry, str):
            entry = {"file": entry}
        if entry.get("format") == "wjx":
            for rel in (entry.get("files") or {}).values():
                if not (folder / str(rel)).is_file():
                    problems.append(Problem(MANIFEST, None, f"tables.{table}",
                                            "the manifest names a file that does not exist", str(rel)))
                else:
                    files[str(rel)] = sha256_of(folder / str(rel))
            df, hdr = survey_from_wjx(folder, entry, specs["questionnaire"], problems)
            if df is not None and specs["questionnaire"] is not None:
                problems.extend(check_survey_items(df, specs["questionnaire"], hdr))
            if df is not None:
                tables[table], headers[table] = df, hdr
            continue
        rel = str(entry.get("file", ""))
        fpath = folder / rel
        if not rel or not fpath.is_file():
            problems.append(Problem(MANIFEST, None, f"tables.{table}",
                                    "the manifest names a file that does not exist", rel or None,
                                    f"Put the file in {folder} or fix the name in dataset.yml."))
            continue
        files[rel] = sha256_of(fpath)
        try:
            df, probs, hdr = _read_validated(fpath, table, sheet=entry.get("sheet"),
                                             encoding=entry.get("encoding"))
        except DataError as err:
            problems.extend(err.problems)
            continue
        problems.extend(probs)
        if df is not None:
            df["__file"] = Path(rel).name
            tables[table], headers[table] = df, hdr

    problems.extend(_cross_checks(tables, headers, specs, study, indicator))
    if problems:
        raise DataError(problems)
    if "survey" in tables:  # after the key check, so duplicates are reported with the raw ids
        sv = tables["survey"]
        # 序号 restarts in every wave's export: the wave is part of the identity
        sv["respondent_id"] = pseudonymise(sv["wave"].astype(str) + ":" + sv["respondent_id"].astype(str),
                                           context=str(manifest.get("survey_id", "survey")))
    clean = {}
    for t, df in tables.items():
        df = df.drop(columns="__file").reset_index(drop=True)
        df.attrs = {}
        clean[t] = df
    name = manifest.get("name", folder.name)
    if isinstance(name, Mapping):
        name = name.get("zh") or name.get("en") or folder.name
    return Dataset(
        path=folder, name=str(name), tables=MappingProxyType(clean),
        rubric=specs["rubric"], questionnaire=specs["questionnaire"], catalogue=specs["catalogue"],
        study_window=study, indicator_window=indicator,
        files=MappingProxyType(files), manifest=MappingProxyType(manifest),
        synthetic=bool(manifest.get("synthetic", False)),
    )


def _cross_checks(tables, headers, specs, study, indicator) -> list[Problem]:
    """Foreign keys, rubric/catalogue ids and study windows across tables."""
    out: list[Problem] = []
    known = {f"{t}.{c}": set(tables[t][c].dropna().astype(str)) for t, c in
             (("units", "unit_id"), ("groups", "group_id")) if t in tables and c in tables[t]}
    known["rubric.item_id"] = spec_ids(specs.get("rubric"), "rubric") if specs.get("rubric") else None
    known["catalogue.indicator_id"] = (spec_ids(specs.get("catalogue"), "catalogue")
                                       if specs.get("catalogue") else None)
    for t, df in tables.items():
        spec = codebook()[t]
        for name, col in spec.columns.items():
            if name not in df:
                continue
            hdr = headers[t].get(name, name)
            if col.references:
                ref = known.get(col.references)
                if ref is None:
                    continue
                vals = df[name]
                bad = vals.notna() & ~vals.astype(str).isin(ref)
                what = col.references.replace(".", " ")
                for row, f, v in zip(df.index[bad], df["__file"][bad], vals[bad]):
                    out.append(Problem(f, int(row), hdr, f"unknown id: not found in {what}", v,
                                       "Check for typos, or add it to the referenced table/spec."))
            win = study if col.window is True else indicator if col.window == "indicator" else None
            if win is None:
                continue
            lo, hi = win
            hi_end = hi + pd.offsets.MonthEnd(0)
            if col.dtype == "period":
                years = pd.to_numeric(df[name].str.slice(0, 4), errors="coerce")
                bad = years.notna() & ((years < lo.year) | (years > hi.year))
            else:
                bad = df[name].notna() & ((df[name] < lo) | (df[name] > hi_end))
            for row, f, v in zip(df.index[bad], df["__file"][bad], df[name][bad]):
                shown = v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v
                out.append(Problem(f, int(row), hdr,
                                   f"outside the study window {lo:%Y-%m}…{hi:%Y-%m}", shown,
                                   "Fix the date or widen the window in dataset.yml."))
    return out

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
from grouplab.data.checks import cross_checks, duplicate_keys
from grouplab.data.codebook import TABLES, TableSpec, codebook
from grouplab.data.entities import names_to_ids
from grouplab.data.explain import export_reading
from grouplab.data.layouts import looks_wide
from grouplab.data.manifest import table_entries
from grouplab.data.privacy import file_removals, privacy_record, pseudonymise
from grouplab.data.readers.base import object_cells, read_raw
from grouplab.data.readers.ledger import sheet_names
from grouplab.data.readers.places import in_sheet, sheet_place
from grouplab.data.readers.survey import check_survey_items, drop_personal_columns, survey_from_wjx
from grouplab.data.schema import validate_raw
from grouplab.data.specs import load_catalogue, load_questionnaire, load_rubric, read_yaml
from grouplab.data.wide import read_wide
from grouplab.errors import DataError, Problem
from grouplab.paths import MANIFEST, demo_dir

__all__ = ["Dataset", "load_dataset", "inspect_dataset", "read_table", "resolve_data_dir"]

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
    reading : dict
        How each table was read: table -> list (one per file/sheet) of dicts
        with ``file``, ``sheet``, ``header_rows``, ``skipped`` (rows/columns and
        why), ``matched`` (header -> canonical column, rubric item, month …).
        Shown by ``grouplab validate --explain``.
    privacy : pandas.DataFrame
        What privacy removed on load, one row per column and file
        (:func:`grouplab.data.privacy.privacy_record`: ``table``, ``file``,
        ``column`` as written, ``kind``, ``detected``, ``action``); shown by
        the data-quality report. None only in a cache entry of an older
        grouplab, which :func:`load_dataset` rebuilds.
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
    reading: dict = field(default_factory=dict)
    privacy: pd.DataFrame | None = None

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
    df, problems, _, _ = _read_validated(Path(path), table, sheet=sheet, encoding=encoding)
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


def _read_validated(path: Path, table: str, *, sheet=None, encoding=None, label=None, tables=None):
    spec = codebook()[table]
    raw = read_raw(path, sheet=sheet, encoding=encoding, known_headers=_known_headers(spec),
                   file_label=label)
    before = raw
    raw, named, drop = names_to_ids(raw, table, tables or {})
    df, problems, headers = validate_raw(raw, table)
    if drop and df is not None:  # unknown names: reported once, by names_to_ids
        df = df.drop(index=drop)
    problems = named + problems
    reading = {"file": raw.file, "sheet": raw.meta.get("sheet"), "header_rows": [raw.meta.get("header_row")],
               "skipped": [{"rows": raw.meta.get("dropped_rows", []), "why": "total_row"}]
               if raw.meta.get("dropped_rows") else [], "matched": dict(headers),
               "rows": 0 if df is None else len(df),
               "first_rows": [list(raw.frame.columns), *object_cells(raw, head=20).frame.values.tolist()],
               "place": sheet_place(before, path.name, list(raw.frame.columns))}  # popped by the caller
    return df, problems, headers, reading


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
    if ds is not None and ds.privacy is not None:
        return ds
    ds = _load_dataset(folder, manifest_path, manifest)
    write_cached(cached, ds)
    if tables is None and columns is None:
        return ds
    cols = columns or {}
    subset = {t: df[list(cols[t])] if t in cols else df for t, df in ds.tables.items()
              if tables is None or t in tables}
    return dataclasses.replace(ds, tables=MappingProxyType(subset))


@dataclass
class _Load:
    """State of one dataset load: what was read so far and every problem found."""

    folder: Path
    manifest: dict
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    specs: dict[str, dict | None] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    headers: dict[str, dict] = field(default_factory=dict)
    reading: dict[str, list] = field(default_factory=dict)
    privacy: list[dict] = field(default_factory=list)
    places: dict = field(default_factory=dict)  # label -> SheetPlace of long tables read from sheets

    def hash_file(self, rel: str) -> bool:
        """Record a source file's hash; a missing file is a manifest problem."""
        path = self.folder / rel
        if not rel or not path.is_file():
            return False
        self.files[rel] = sha256_of(path)
        return True


def inspect_dataset(path: str | Path) -> tuple[dict, list[Problem]]:
    """How each table of a dataset is read, and every problem, without raising on bad data.

    Parameters
    ----------
    path : str or Path
        Folder holding ``dataset.yml`` (or the manifest itself).

    Returns
    -------
    reading : dict
        As :attr:`Dataset.reading`: table -> list of dicts (``file``, ``sheet``,
        ``header_rows``, ``skipped``, ``matched`` …), one per file/sheet read.
    problems : list of Problem
        Everything :func:`load_dataset` would raise (empty when valid).

    Raises
    ------
    DataError
        Only when there is no readable manifest.
    """
    path = Path(path)
    manifest_path = path if path.is_file() else path / MANIFEST
    if not manifest_path.is_file():
        raise DataError(f"no {MANIFEST} in {manifest_path.parent}", file=MANIFEST,
                        hint="A dataset folder needs a dataset.yml manifest; see README 'Your own data'.")
    st, _, _ = _read_all(manifest_path.parent, manifest_path, read_yaml(manifest_path))
    return st.reading, st.problems


def _load_dataset(folder: Path, manifest_path: Path, manifest: dict) -> Dataset:
    st, study, indicator = _read_all(folder, manifest_path, manifest)
    if st.problems:
        raise DataError(st.problems)
    return _assemble(st, study, indicator)


def _read_all(folder: Path, manifest_path: Path, manifest: dict):
    """Read specs, windows and every table (by its format), run the cross-table checks."""
    st = _Load(folder, manifest, files={MANIFEST: sha256_of(manifest_path)})
    _read_specs(st)
    study = _window(manifest.get("study_window"), MANIFEST, "study_window", st.problems)
    indicator = _window(manifest.get("indicator_window"), MANIFEST, "indicator_window", st.problems) or study
    entries = table_entries(manifest, st.problems)
    for table in TABLES:  # units and groups first: ledgers may name groups by name
        if table in entries:
            entry = entries[table]
            entry["sources"] = [s for src in entry["sources"] for s in _every_sheet(st, src)]
            _FORMATS[entry["format"]](st, table, entry)
    st.problems.extend(cross_checks(st.tables, st.headers, st.specs, study, indicator))
    st.problems = in_sheet(st.problems, st.places)  # long tables from sheets: sheet and cell
    return st, study, indicator


def _read_specs(st: _Load) -> None:
    for key, loader in (("rubric", load_rubric), ("questionnaire", load_questionnaire),
                        ("catalogue", load_catalogue)):
        rel = st.manifest.get(key)
        st.specs[key] = None
        if rel is None:
            continue
        try:
            st.specs[key] = loader(st.folder / str(rel))
            st.files[str(rel)] = sha256_of(st.folder / str(rel))
        except DataError as err:
            st.problems.extend(err.problems)


def _every_sheet(st: _Load, src: dict) -> list[dict]:
    """A source with ``sheets: all`` becomes one source per sheet of its workbook."""
    if src.get("sheet") != "*":
        return [src]
    path = st.folder / src["file"]
    if not path.is_file():
        return [{**src, "sheet": None}]
    try:
        return [{**src, "sheet": name} for name in sheet_names(path)]
    except DataError as err:
        st.problems.extend(err.problems)
        return []


def _missing_file(st: _Load, table: str, rel: str | None) -> None:
    st.problems.append(Problem(MANIFEST, None, f"tables.{table}",
                               "the manifest names a file that does not exist", rel or None,
                               f"Put the file in {st.folder} or fix the name in dataset.yml."))


def _load_tidy(st: _Load, table: str, entry: dict) -> None:
    """One long table from one or more files/sheets (concatenated, each validated on its own)."""
    parts, reading = [], []
    for src in entry["sources"]:
        rel = src["file"]
        if not st.hash_file(rel):
            _missing_file(st, table, rel)
            continue
        several = len(entry["sources"]) > 1 and src.get("sheet")
        label = f"{Path(rel).name}[{src['sheet']}]" if several else None
        try:
            df, probs, hdr, how = _read_validated(st.folder / rel, table, sheet=src.get("sheet"),
                                                  encoding=entry.get("encoding"), label=label,
                                                  tables=st.tables)
        except DataError as err:
            st.problems.extend(err.problems)
            continue
        if any(p.rule == "required column is missing" for p in probs) and looks_wide(
                table, how.pop("first_rows"), st.specs):
            probs = [_wide_hint(p, table) for p in probs]
        how.pop("first_rows", None)
        place = how.pop("place", None)
        if place is not None:
            st.places[place.label] = place
        st.problems.extend(probs)
        reading.append(how)
        if df is not None:
            df["__file"] = label or Path(rel).name
            if table == "survey":  # personal data out, answers checked, as for platform exports
                st.privacy += file_removals(table, label or Path(rel).name,
                                            drop_personal_columns(df), hdr.get("respondent_id"))
                if st.specs.get("questionnaire") is not None:
                    st.problems.extend(check_survey_items(df, st.specs["questionnaire"], hdr))
            parts.append(df)
            st.headers[table] = {**hdr, **st.headers.get(table, {})}
    st.reading[table] = reading
    if parts:
        st.tables[table] = pd.concat(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            st.problems.extend(duplicate_keys(st.tables[table], table, st.headers[table]))


def _wide_hint(p: Problem, table: str) -> Problem:
    if p.rule != "required column is missing":
        return p
    return dataclasses.replace(p, hint=f"{p.hint} This sheet looks wide (one column per item, indicator "
                               f"or month): write 'layout: wide' in its entry under tables.{table} in "
                               "dataset.yml (see README 'Your own data').")


def _load_wide(st: _Load, table: str, entry: dict) -> None:
    """A table kept as wide ledger sheets (one row per entity, one column per item/month/indicator)."""
    sources = []
    for src in entry["sources"]:
        if st.hash_file(src["file"]):
            sources.append(src)
        else:
            _missing_file(st, table, src["file"])
    df, probs, reading = read_wide(st.folder, table, entry, sources, st.specs, st.tables)
    st.problems.extend(probs)
    st.reading[table] = reading
    if df is not None:
        st.tables[table], st.headers[table] = df, {}


def _load_wjx(st: _Load, table: str, entry: dict) -> None:
    """问卷星 exports, one per wave (see :mod:`grouplab.data.readers.survey`)."""
    for rel in (entry.get("files") or {}).values():
        if not st.hash_file(str(rel)):
            st.problems.append(Problem(MANIFEST, None, f"tables.{table}",
                                       "the manifest names a file that does not exist", str(rel)))
    exports: list[dict] = []
    df, hdr = survey_from_wjx(st.folder, entry, st.specs["questionnaire"], st.problems, exports=exports)
    for e in exports:
        st.privacy += file_removals(table, e["file"], e.get("removed", []), e.get("id_header"))
    st.reading[table] = export_reading(exports, {} if df is None else df["__file"].value_counts().to_dict())
    if df is not None and st.specs["questionnaire"] is not None:
        st.problems.extend(check_survey_items(df, st.specs["questionnaire"], hdr))
    if df is not None:
        st.tables[table], st.headers[table] = df, hdr


#: How each manifest ``format``/``layout`` is read.
_FORMATS = {"tidy": _load_tidy, "wide": _load_wide, "wjx": _load_wjx}


def _assemble(st: _Load, study, indicator) -> Dataset:
    manifest, folder, tables = st.manifest, st.folder, st.tables
    if "survey" in tables:  # after the key check, so duplicates are reported with the raw ids
        sv = tables["survey"]
        # 序号 restarts in every wave's export: the wave is part of the identity
        sv["respondent_id"] = pseudonymise(sv["wave"].astype(str) + ":" + sv["respondent_id"].astype(str),
                                           context=str(manifest.get("survey_id", "survey")))
    clean = {}
    for t, df in tables.items():
        df = df.drop(columns=[c for c in ("__file", "__where") if c in df]).reset_index(drop=True)
        df.attrs = {}
        clean[t] = df
    name = manifest.get("name", folder.name)
    if isinstance(name, Mapping):
        name = name.get("zh") or name.get("en") or folder.name
    return Dataset(
        path=folder, name=str(name), tables=MappingProxyType(clean),
        rubric=st.specs["rubric"], questionnaire=st.specs["questionnaire"], catalogue=st.specs["catalogue"],
        study_window=study, indicator_window=indicator,
        files=MappingProxyType(st.files), manifest=MappingProxyType(manifest),
        synthetic=bool(manifest.get("synthetic", False)), reading=st.reading,
        privacy=privacy_record(st.privacy),
    )

"""Load tables and whole datasets: read, rename to canonical columns, validate.

A dataset is a folder with ``dataset.yml`` (which file holds which table, with
encoding/sheet overrides, and which rubric / questionnaire / indicator
catalogue apply) and one file per table. ``load_dataset`` reports every
problem of every file at once in one :class:`DataError`; raw files are only
ever opened for reading. The cache of validated datasets lives in
:mod:`grouplab.data.cache`, the per-layout loaders beside their pipelines (:mod:`grouplab.data.tidy`,
:mod:`grouplab.data.ledgers.load`, :mod:`grouplab.data.surveys.load`).
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
from grouplab.data.checks import cross_checks
from grouplab.data.codebook import TABLES
from grouplab.data.display import LANGS, coverage, dataset_html, dataset_text, summary
from grouplab.data.ledgers.load import load_wide
from grouplab.data.ledgers.sheet import sheet_names
from grouplab.data.loadstate import LoadState
from grouplab.data.manifest import meeting_flags, table_entries
from grouplab.data.minutes.records import group_problems, load_minutes_folder, read_minutes
from grouplab.data.minutes.workbook import minutes_file, report_workbook
from grouplab.data.places import in_sheet
from grouplab.data.problems import problem
from grouplab.data.readers.limits import limits_from_manifest, reading_limits
from grouplab.data.specs import load_catalogue, load_questionnaire, load_rubric, read_yaml, spec_path
from grouplab.data.surveys.load import load_export
from grouplab.data.surveys.privacy import privacy_record, pseudonymise, removal
from grouplab.data.tidy import load_long, read_table
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
        (:func:`grouplab.data.surveys.privacy.privacy_record`: ``table``, ``file``,
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
        return dataset_text(self)

    def _repr_html_(self) -> str:
        return dataset_html(self)

    @property
    def lang(self) -> str | None:
        """The dataset's language (``lang: zh`` or ``en`` in ``dataset.yml``), None when not given."""
        lang = self.manifest.get("lang")
        return lang if lang in LANGS else None

    def summary(self) -> pd.DataFrame:
        """One row per table: rows, key, date range, units covered, source files, privacy, reading notes.

        Returns
        -------
        pandas.DataFrame
            ``table``, ``label``, ``rows``, ``key``, ``first``, ``last``, ``units``, ``files``,
            ``privacy``, ``notes`` (see :func:`grouplab.data.display.summary`).

        Examples
        --------
        >>> from grouplab import load_demo
        >>> r = load_demo().summary().set_index("table").loc["exposure"]   # 58 groups in 10 work areas
        >>> int(r["rows"]), r["first"], r["last"], int(r["units"])
        (3480, '2015-01', '2019-12', 10)
        """
        return summary(self)

    def coverage(self, by: str = "unit", period: str = "year") -> pd.DataFrame:
        """Records of each dated table per unit (``by="group"``: Party group) and period, zeros included.

        Parameters
        ----------
        by : {"unit", "group"}
        period : {"year", "half", "quarter", "month"}

        Returns
        -------
        pandas.DataFrame
            ``unit_id`` (or ``group_id``), ``period``, ``table``, ``rows``
            (see :func:`grouplab.data.display.coverage`).
        """
        return coverage(self, by=by, period=period)

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
        raise DataError([problem("no_dataset_yml", str(path), path=path)])
    return path


# --------------------------------------------------------------------- datasets
def _window(raw: Any, file: str, key: str, problems: list[Problem]):
    if raw is None:
        return None
    try:
        start = pd.Timestamp(str(raw["start"])).to_period("M").to_timestamp()
        end = pd.Timestamp(str(raw["end"])).to_period("M").to_timestamp()
    except (KeyError, TypeError, ValueError):
        problems.append(problem("bad_window", file, None, key, raw))
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
        raise DataError([problem("no_manifest", MANIFEST, path=folder)])
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
        raise DataError([problem("no_manifest", MANIFEST, path=manifest_path.parent)])
    st, _, _ = _read_all(manifest_path.parent, manifest_path, read_yaml(manifest_path))
    return st.reading, st.problems


def _load_dataset(folder: Path, manifest_path: Path, manifest: dict) -> Dataset:
    st, study, indicator = _read_all(folder, manifest_path, manifest)
    if st.problems:
        err = DataError(st.problems)
        err.lang = manifest.get("lang") if manifest.get("lang") in LANGS else None
        raise err
    return _assemble(st, study, indicator)


def _read_all(folder: Path, manifest_path: Path, manifest: dict):
    """Read specs, windows and every table (by its format) within the manifest's reading limits."""
    try:
        limits, bad = limits_from_manifest(manifest.get("limits"), MANIFEST), []
    except DataError as err:
        limits, bad = None, list(err.problems)
    with reading_limits(limits):
        st, study, indicator = _read_tables(folder, manifest_path, manifest)
    st.problems[:0] = bad
    return st, study, indicator


def _read_tables(folder: Path, manifest_path: Path, manifest: dict):
    """Read specs, windows and every table (by its format), run the cross-table checks."""
    st = LoadState(folder, manifest, files={MANIFEST: sha256_of(manifest_path)})
    _read_specs(st)
    study = _window(manifest.get("study_window"), MANIFEST, "study_window", st.problems)
    indicator = _window(manifest.get("indicator_window"), MANIFEST, "indicator_window", st.problems) or study
    if manifest.get("lang") is not None and manifest.get("lang") not in LANGS:
        st.problems.append(problem("bad_lang", MANIFEST, None, "lang", manifest.get("lang")))
    entries = table_entries(manifest, st.problems)
    _check_meeting_flags(st)
    for table in TABLES:  # units and groups first: ledgers may name groups by name
        if table in entries:
            entry = entries[table]
            entry["sources"] = [s for src in entry["sources"] for s in _every_sheet(st, src)]
            if table == "minutes" and entry["sources"] and all((st.folder / s["file"]).is_dir()
                                                               for s in entry["sources"] if s["file"]):
                entry["layout"] = "folder"  # one .txt/.docx file per meeting
            LAYOUT_LOADERS[entry["layout"]](st, table, entry)
    st.problems.extend(cross_checks(st.tables, st.headers, st.specs, study, indicator))
    for f in report_workbook(folder) if "minutes" in entries or minutes_file(folder, manifest) else []:
        st.hash_file(f.name)  # report 08 shows its agreement: a filled workbook changes the data hash
    if "minutes" in st.tables and "groups" in st.tables:  # a record no group takes would silently drop
        st.problems.extend(group_problems(st.tables["minutes"], st.tables["groups"], st.tables.get("units"),
                                          st.headers.get("minutes", {}).get("group_name", "group_name")))
    _leave_out_recorders(st)
    st.problems = in_sheet(st.problems, st.places)  # long tables from sheets: sheet and cell
    return st, study, indicator


def _leave_out_recorders(st: LoadState) -> None:
    """The minutes' recorder (记录人) names a person: left out of the loaded table and recorded as
    privacy did (report 01 says so). Reports that quote minutes read them apart, to mask the names."""
    df = st.tables.get("minutes")
    if df is None or "recorder" not in df:
        return
    header = st.headers.get("minutes", {}).get("recorder", "记录人")
    given = df["recorder"].notna()
    files = df.loc[given, "__file"].astype(str).map(lambda f: f.split("/")[0]).unique() \
        if "__file" in df else []
    st.privacy += [{"table": "minutes", "file": f, **removal(header, "name", "header")} for f in files]
    st.tables["minutes"] = df.drop(columns=["recorder"])


def _check_meeting_flags(st: LoadState) -> None:
    """``meeting_flags:`` is a known source, and one that codes minutes has minutes (hashed as an input)."""
    source = meeting_flags(st.manifest, st.problems)
    if source == "recorded":
        return
    found = minutes_file(st.folder, st.manifest)
    if found is None or not (st.folder / found[0]).exists():
        st.problems.append(problem("meeting_flags_without_minutes", MANIFEST, None, "meeting_flags", source,
                                   source=source))
    elif (st.folder / found[0]).is_file():
        st.hash_file(found[0])  # the coded flags depend on it: part of the data hash
        if "minutes" not in (st.manifest.get("tables") or {}):  # beside dataset.yml: checked here
            try:
                read_minutes(st.folder / found[0], sheet=found[1])
            except DataError as err:
                st.problems.extend(err.problems)


def _read_specs(st: LoadState) -> None:
    for key, loader in (("rubric", load_rubric), ("questionnaire", load_questionnaire),
                        ("catalogue", load_catalogue)):
        rel = st.manifest.get(key)
        st.specs[key] = None
        if rel is None:
            continue
        try:
            st.specs[key] = loader(spec_path(st.folder, str(rel)))
            st.files[str(rel)] = sha256_of(spec_path(st.folder, str(rel)))
        except DataError as err:
            st.problems.extend(err.problems)


def _every_sheet(st: LoadState, src: dict) -> list[dict]:
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


#: The loader of each manifest layout (``dataset.yml``: ``layout: long`` / ``layout: wide`` /
#: ``format: export``; ``folder``: minutes named by a folder of .txt/.docx files), each beside its
#: pipeline; see :mod:`grouplab.data.loadstate`.
LAYOUT_LOADERS = {"long": load_long, "wide": load_wide, "export": load_export, "folder": load_minutes_folder}


def _assemble(st: LoadState, study, indicator) -> Dataset:
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

"""Parameters and data of a benchmarking report: :class:`BenchmarkContext` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset, load_dataset
from grouplab.errors import ParameterError
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.params import check_id, check_year

__all__ = ["TABLES", "BenchmarkContext", "prepare", "entity_ids"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("units", "indicators")


@dataclass(frozen=True, repr=False)
class BenchmarkContext:
    """Checked parameters and the tables a benchmarking report uses.

    Attributes
    ----------
    values : pandas.DataFrame
        The long indicators table (``entity_id``, ``month``, ``indicator_id``, ``value``).
    units : pandas.DataFrame
        The units table (wells roll up to stations through ``parent_id``).
    catalogue : dict
        The indicator catalogue.
    station_id, station_name : str
    year : int
    lang : {"zh", "en"}
    """

    values: pd.DataFrame
    units: pd.DataFrame
    catalogue: dict
    station_id: str
    station_name: str
    year: int
    lang: str

    def __repr__(self) -> str:
        return (f"BenchmarkContext(station_id={self.station_id!r}, year={self.year}, "
                f"lang={self.lang!r}, indicators={len(self.catalogue['indicators'])})")

    @property
    def label(self) -> str:
        """``station_id`` and name, for titles and sentences."""
        return f"{self.station_id} {self.station_name}"


def _load(data: str | Path | Dataset) -> Dataset:
    if isinstance(data, Dataset):
        return data
    from grouplab.data.dataset import resolve_data_dir

    return load_dataset(resolve_data_dir(data), tables=TABLES)


def entity_ids(dataset: Dataset) -> list[str]:
    """Stations a benchmarking report can be made for (``station_id: all`` in a batch)."""
    units = dataset.tables["units"]
    return sorted(units.loc[units["level"].astype(str) == "station", "unit_id"].astype(str))


def prepare(data: str | Path | Dataset, *, station_id: Any, year: Any,
            lang: Any = "zh") -> BenchmarkContext:
    """Load the dataset and check the notebook's parameters in one call.

    Parameters
    ----------
    data : str, Path or Dataset
        ``"demo"``, a dataset folder, or an already loaded Dataset.
    station_id : str
        A unit of level ``station`` with indicator values.
    year : int or str
        A year with indicator values.
    lang : {"zh", "en"}

    Returns
    -------
    BenchmarkContext

    Raises
    ------
    ParameterError
        Unknown station (the message lists the valid ones), a year without
        data, an unknown ``lang``, or a dataset without indicators or catalogue.

    Examples
    --------
    >>> prepare("demo", station_id="S1", year="2011", lang="en")
    BenchmarkContext(station_id='S1', year=2011, lang='en', indicators=10)
    """
    lang = check_lang(lang)
    ds = _load(data)
    if "indicators" not in ds.tables or ds.catalogue is None:
        raise ParameterError("this dataset has no indicators table with an indicator catalogue; "
                             "choose a dataset whose dataset.yml names both")
    values, units = ds.tables["indicators"], ds.tables["units"]
    stations = units.loc[units["level"].astype(str) == "station", ["unit_id", "name"]]
    station_id = check_id(station_id, stations["unit_id"].astype(str), name="station_id")
    year = check_year(year, values["month"].dt.year.unique(), name="year")
    name = stations.loc[stations["unit_id"].astype(str) == station_id, "name"].iloc[0]
    return BenchmarkContext(values=values, units=units, catalogue=ds.catalogue, station_id=station_id,
                            station_name=str(name), year=year, lang=lang)


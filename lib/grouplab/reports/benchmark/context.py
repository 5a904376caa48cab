"""Parameters and data of a benchmarking report: :class:`BenchmarkContext` and :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.data.dataset import Dataset
from grouplab.errors import ParameterError
from grouplab.reports.common.labels import check_lang
from grouplab.reports.common.package import dataset_of
from grouplab.reports.common.params import check_id, check_year

__all__ = ["TABLES", "REQUIRED", "BenchmarkContext", "prepare", "entity_ids", "periods", "area_entities"]

#: Tables the report reads: its ``prepare`` (and so a batch worker) loads only these
#: from the cache.
TABLES = ("units", "indicators")

#: Tables and specs (manifest names) the report cannot do without: ``grouplab init`` and
#: ``grouplab validate`` say which reports a dataset supports from these (the rest of TABLES
#: is used when present).
REQUIRED: tuple[str, ...] = ("units", "indicators", "catalogue")


@dataclass(frozen=True, repr=False)
class BenchmarkContext:
    """Checked parameters and the tables a benchmarking report uses.

    Attributes
    ----------
    values : pandas.DataFrame
        The long indicators table (``entity_id``, ``month``, ``indicator_id``, ``value``)
        of the station's work area only: the stations with the same parent (its
        peers, among which the area benchmark 区标 and the ranking are taken)
        and their wells (see :func:`area_entities`).
    units : pandas.DataFrame
        The units of that area (wells roll up to stations through ``parent_id``).
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
    return dataset_of(data, TABLES)


def entity_ids(dataset: Dataset) -> list[str]:
    """Stations a benchmarking report can be made for (``station_id: all`` in a batch)."""
    units = dataset.tables["units"]
    return sorted(units.loc[units["level"].astype(str) == "station", "unit_id"].astype(str))


def periods(dataset: Dataset) -> list[int]:
    """Years with indicator values, ascending (``grouplab report`` takes the latest when none is given)."""
    values = dataset.tables.get("indicators")
    return [] if values is None else sorted({int(y) for y in values["month"].dt.year.dropna()})


def area_entities(units: pd.DataFrame, station_id: str) -> list[str]:
    """The station's work area: the stations sharing its parent, and their wells.

    The area benchmark (区标) is the best station of the area and the ranking
    is among its stations, so a report reads only this area's values: a
    dataset of many work areas costs each report the same as one.

    Parameters
    ----------
    units : pandas.DataFrame
        ``unit_id``, ``parent_id``, ``level``.
    station_id : str
        A unit of level ``station``.

    Returns
    -------
    list of str
        Sorted unit ids: the peer stations (the station included; stations
        without a parent are peers of each other) and every non-station unit
        whose parent is one of them.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_id": ["A", "B", "S1", "S2", "S3", "W1", "W3"],
    ...                   "parent_id": [None, None, "A", "A", "B", "S1", "S3"],
    ...                   "level": ["work_area"] * 2 + ["station"] * 3 + ["well"] * 2})
    >>> area_entities(u, "S2")
    ['S1', 'S2', 'W1']
    """
    uid, level = units["unit_id"].astype(str), units["level"].astype(str)
    parent = units["parent_id"].astype(object).where(units["parent_id"].notna(), None)
    mine = parent[(uid == station_id).to_numpy()].iloc[0]
    same = parent.isna() if mine is None else parent.astype(str) == str(mine)
    peers = set(uid[(level == "station").to_numpy() & same.to_numpy()])
    wells = uid[(level != "station").to_numpy() & parent.astype(str).isin(peers).to_numpy()]
    return sorted(peers | set(wells))


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
    year = check_year(year, periods(ds), name="year")
    name = stations.loc[stations["unit_id"].astype(str) == station_id, "name"].iloc[0]
    area = area_entities(units, station_id)  # filter first: the report's cost does not grow with the company
    values = values[values["entity_id"].astype(str).isin(area).to_numpy()].reset_index(drop=True)
    units = units[units["unit_id"].astype(str).isin(area).to_numpy()].reset_index(drop=True)
    return BenchmarkContext(values=values, units=units, catalogue=ds.catalogue, station_id=station_id,
                            station_name=str(name), year=year, lang=lang)


"""SPSS ``.sav`` files: value labels, variable labels and user-missing codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from grouplab.errors import damaged_file as _damaged

__all__ = ["read_sav"]


def read_sav(path: str | Path, *, labels: bool = False) -> pd.DataFrame:
    """Read an SPSS ``.sav`` file, turning user-missing codes into NA.

    Parameters
    ----------
    path : str or Path
        The ``.sav`` file.
    labels : bool, default False
        Replace codes by their value labels (e.g. ``1 -> '1.男'``); codes
        without a label are kept.

    Returns
    -------
    pandas.DataFrame
        One column per SPSS variable, named as in SPSS, one row per case.
        Numeric variables are float64 (object when ``labels=True``), string
        variables ``str``. Some survey platforms store numbers as strings
        (e.g. a year typed in a fill-in); those are left as read. ``attrs``
        holds plain dicts/lists only:

        - ``file``: basename;
        - ``variable_labels``: ``{column: label}``;
        - ``value_labels``: ``{column: {code: label}}`` (whole-number codes as int);
        - ``user_missing``: ``{column: [codes or {'lo', 'hi'} ranges]}``;
        - ``missing``: ``[{'row', 'column', 'code'}]``, one per user-missing
          cell set to NA; ``row`` is the case number (1-based, as SPSS shows).

    Raises
    ------
    DataError
        The file is damaged, truncated or not an SPSS file.
    """
    import pyreadstat

    path = Path(path)
    file = path.name
    try:
        df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat.ReadstatError, PyreadstatError, OSError
        raise _damaged(file, ".sav (SPSS)", exc) from exc

    user_missing: dict[str, list] = {}
    records: list[dict] = []
    ranges = getattr(meta, "missing_ranges", {}) or {}
    for col, spec in ranges.items():
        if col not in df.columns:
            continue
        codes = []
        mask = pd.Series(False, index=df.index)
        for item in spec:
            lo, hi = item["lo"], item["hi"]
            codes.append(_plain(lo) if lo == hi else {"lo": _plain(lo), "hi": _plain(hi)})
            values = pd.to_numeric(df[col], errors="coerce")
            mask |= (values >= lo) & (values <= hi)
        user_missing[col] = codes
        for i in df.index[mask]:
            records.append({"row": int(i) + 1, "column": col, "code": _plain(df.at[i, col])})
        if mask.any():
            df[col] = df[col].where(~mask)

    value_labels = {
        col: {_plain(k): str(v) for k, v in mapping.items()}
        for col, mapping in (meta.variable_value_labels or {}).items()
    }
    if labels:
        for col, mapping in value_labels.items():
            df[col] = df[col].astype(object).map(
                lambda v, m=mapping: m.get(_plain(v), v) if pd.notna(v) else None
            )
    df.attrs = {
        "file": file,
        "variable_labels": {c: (lab or "") for c, lab in meta.column_names_to_labels.items()},
        "value_labels": value_labels,
        "user_missing": user_missing,
        "missing": records,
    }
    return df


def _plain(value: Any) -> Any:
    """Numpy/float scalars to plain int/float/str for JSON-like metadata."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

"""Writers that make byte-stable files: CSV, XLSX (fixed zip metadata) and YAML."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

_FIXED = _dt.datetime(2019, 12, 31, 0, 0, 0)


def format_floats(s: pd.Series, decimals: int | np.ndarray) -> pd.Series:
    """Floats as fixed-decimal text; missing values become empty strings."""
    dec = np.broadcast_to(np.asarray(decimals), s.shape)
    vals = s.to_numpy(dtype=float)
    text = ["" if np.isnan(v) else f"{v:.{d}f}" for v, d in zip(vals, dec, strict=True)]
    return pd.Series(text, index=s.index, dtype=object)


def write_csv(df: pd.DataFrame, path: Path, *, encoding: str = "utf-8") -> None:
    """CSV with '\\n' line endings and no index (format floats beforehand)."""
    text = df.to_csv(index=False, lineterminator="\n")
    path.write_bytes(text.encode(encoding))


def _cell(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.str_):
        return str(v)
    return v


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Workbook with one sheet per frame; fixed document dates and zip timestamps."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
    wb.properties.creator = "grouplab.synth"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    # re-pack with fixed timestamps so the bytes do not depend on the clock
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2019, 12, 31, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def _flow(value) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                          sort_keys=False, width=10**9)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.strip()


def _is_leaf(value) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, dict | list) or (isinstance(v, list) and not any(
            isinstance(x, dict | list) for x in v)) for v in value.values())
    if isinstance(value, list):
        return not any(isinstance(x, dict | list) for x in value)
    return True


def _emit(obj: dict, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in obj.items():
        k = _flow(key)
        if isinstance(value, dict) and not _is_leaf(value):
            lines.append(f"{pad}{k}:")
            _emit(value, indent + 2, lines)
        elif isinstance(value, list) and not _is_leaf(value):
            lines.append(f"{pad}{k}:")
            lines.extend(f"{pad}  - {_flow(item)}" for item in value)
        else:
            lines.append(f"{pad}{k}: {_flow(value)}")


def dump_yaml(obj: dict, *, header: str = "") -> str:
    """Readable YAML: nested mappings in block style, small leaf mappings in flow style.

    The result is checked to load back to ``obj``.
    """
    lines = [f"# {h}" if h else "#" for h in header.splitlines()]
    _emit(obj, 0, lines)
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != obj:
        raise RuntimeError("YAML emitter did not round-trip")  # pragma: no cover
    return text

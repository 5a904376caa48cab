"""The dataset loader of ``format: export`` entries (survey platform exports, one per wave)."""

from __future__ import annotations

import pandas as pd

from grouplab.data.explain import export_reading
from grouplab.data.ledgers.entities import name_key
from grouplab.data.loadstate import LoadState
from grouplab.data.problems import problem
from grouplab.data.surveys.assemble import check_survey_items, survey_from_wjx
from grouplab.data.surveys.privacy import file_removals
from grouplab.paths import MANIFEST

__all__ = ["load_export"]


def load_export(st: LoadState, table: str, entry: dict) -> None:
    """问卷星 exports, one per wave (see :mod:`grouplab.data.surveys.assemble`)."""
    for rel in (entry.get("files") or {}).values():
        if not st.hash_file(str(rel)):
            st.problems.append(problem("missing_file", MANIFEST, None, f"tables.{table}", str(rel),
                                       folder=str(st.folder)))
    exports: list[dict] = []
    df, hdr = survey_from_wjx(st.folder, entry, st.specs["questionnaire"], st.problems, exports=exports)
    for e in exports:
        st.privacy += file_removals(table, e["file"], e.get("removed", []), e.get("id_header"))
    st.reading[table] = export_reading(exports, {} if df is None else df["__file"].value_counts().to_dict())
    if df is not None and st.specs["questionnaire"] is not None:
        st.problems.extend(check_survey_items(df, st.specs["questionnaire"], hdr))
    if df is not None:
        names_to_ids(df, st.tables)
        st.tables[table], st.headers[table] = df, hdr


def names_to_ids(df: pd.DataFrame, tables: dict) -> None:
    """``unit_id`` / ``group_id`` values that are a unit's (a group's, within its unit) name become its id.

    The questionnaire's ``unit: {question, map}`` may map answers to names (``grouplab init`` drafts
    ``变电检修工区: 变电检修工区``); a name shared by two units, or unknown, is left as it is and reported
    by the cross-table check.
    """
    for key, table, within in (("unit_id", "units", None), ("group_id", "groups", "unit_id")):
        ref = tables.get(table)
        if key not in df or ref is None or "name" not in ref or key not in ref:
            continue
        ids = set(ref[key].astype(str))
        scope = ref[within].astype(str) if within and within in ref and within in df else None
        found: dict[tuple, list[str]] = {}
        for i, (rid, name) in enumerate(zip(ref[key].astype(str), ref["name"], strict=True)):
            found.setdefault((None if scope is None else scope.iloc[i], name_key(name)), []).append(rid)
        where = df[within].astype(str) if scope is not None else pd.Series([None] * len(df), index=df.index)
        out = []
        for v, w in zip(df[key], where, strict=True):
            hit = found.get((w, name_key(v)), []) if v is not None and not pd.isna(v) else []
            out.append(hit[0] if len(hit) == 1 and str(v) not in ids else v)
        df[key] = pd.Series(out, index=df.index, dtype=df[key].dtype)

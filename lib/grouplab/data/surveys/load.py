"""The dataset loader of ``format: export`` entries (survey platform exports, one per wave)."""

from __future__ import annotations

from grouplab.data.explain import export_reading
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
        st.tables[table], st.headers[table] = df, hdr

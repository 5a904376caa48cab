"""The dataset loader of ``layout: wide`` entries (ledger sheets)."""

from __future__ import annotations

from grouplab.data.ledgers.wide import read_wide
from grouplab.data.loadstate import LoadState, missing_file

__all__ = ["load_wide"]


def load_wide(st: LoadState, table: str, entry: dict) -> None:
    """A table kept as wide ledger sheets (one row per entity, one column per item/month/indicator)."""
    sources = []
    for src in entry["sources"]:
        if st.hash_file(src["file"]):
            sources.append(src)
        else:
            missing_file(st, table, src["file"])
    df, probs, reading = read_wide(st.folder, table, entry, sources, st.specs, st.tables)
    st.problems.extend(probs)
    st.reading[table] = reading
    if df is not None:
        st.tables[table], st.headers[table] = df, {}

"""The dataset loader of ``layout: wide`` entries (ledger sheets)."""

from __future__ import annotations

from grouplab.data.ledgers.layouts import WIDE
from grouplab.data.ledgers.wide import read_wide
from grouplab.data.loadstate import LoadState, missing_file
from grouplab.data.problems import problem
from grouplab.paths import MANIFEST

__all__ = ["load_wide"]


def load_wide(st: LoadState, table: str, entry: dict) -> None:
    """A table kept as wide ledger sheets (one row per entity, one column per item/month/indicator)."""
    spec = _SPEC_OF.get(WIDE[table].columns) if table in WIDE else None
    if spec is not None and st.manifest.get(spec[0]) is None:  # said as such, not as a header puzzle
        st.problems.append(problem(spec[1], MANIFEST, None, spec[0]))
        st.reading[table] = []
        return
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


#: The spec a wide table's columns are matched against: manifest key, problem code when it is not given.
_SPEC_OF = {
    "rubric": ("rubric", "wide_needs_rubric"),
    "catalogue": ("catalogue", "wide_needs_catalogue"),
}

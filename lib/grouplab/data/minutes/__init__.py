"""Meeting minutes: read (sheets, folders of .txt/.docx), linked to activities, names masked, hand-coded.

The pipeline of the optional ``minutes`` table: :mod:`.records` reads and links it (:mod:`.exports`
makes a platform's export ready for it), :mod:`.masking`
hides person names, :mod:`.workbook` finds a dataset's minutes and reads and writes the blind
hand-coding workbook.
"""

from grouplab.data.minutes.masking import NAME_MASK, mask_names, names_pattern
from grouplab.data.minutes.records import (
    LINK_COLUMNS,
    MINUTES_COLUMNS,
    link_minutes,
    read_minutes,
    read_minutes_folder,
    resolve_groups,
)

__all__ = ["read_minutes", "read_minutes_folder", "resolve_groups", "link_minutes", "mask_names",
           "names_pattern", "NAME_MASK", "MINUTES_COLUMNS", "LINK_COLUMNS"]

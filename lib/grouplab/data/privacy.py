"""Pseudonymisation of respondent identifiers.

Survey answers about members' attitudes leave the building in reports, so
``load_dataset`` replaces every respondent identifier with a keyed hash
(HMAC-SHA256). The key is a per-project secret read from ``GROUPLAB_SECRET``
or from the git-ignored file ``.grouplab-secret`` at the project root, which is
created with a random key on first use and never committed. The same secret
gives the same pseudonym, so waves can still be linked; without the secret the
original identifier cannot be recovered or confirmed by guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from grouplab.paths import project_root

__all__ = ["project_secret", "pseudonymise", "SECRET_FILE"]

SECRET_FILE = ".grouplab-secret"


def project_secret() -> bytes:
    """The pseudonymisation key: ``$GROUPLAB_SECRET``, else ``.grouplab-secret`` (created if missing)."""
    env = os.environ.get("GROUPLAB_SECRET")
    if env:
        return env.encode("utf-8")
    path = Path(os.environ.get("GROUPLAB_SECRET_FILE") or project_root() / SECRET_FILE)
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def pseudonymise(ids: pd.Series, *, context: str = "", secret: bytes | None = None) -> pd.Series:
    """Replace identifiers with keyed hashes (``R`` + 16 hex digits).

    Parameters
    ----------
    ids : pandas.Series
        Identifiers as read (any type; missing stays missing).
    context : str
        Mixed into the hash (e.g. the survey's id), so the same number in two
        unrelated surveys does not get the same pseudonym.
    secret : bytes, optional
        Key (default :func:`project_secret`).

    Returns
    -------
    pandas.Series
        Pseudonyms, same index, ``string`` dtype.

    Examples
    --------
    >>> s = pseudonymise(pd.Series(["17", "18"]), secret=b"k")
    >>> s.str.len().tolist(), s.iloc[0] != s.iloc[1], s.iloc[0].startswith("R")
    ([17, 17], True, True)
    """
    key = project_secret() if secret is None else secret

    def one(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        digest = hmac.new(key, f"{context}\0{v}".encode(), hashlib.sha256).hexdigest()
        return "R" + digest[:16]

    return ids.map(one).astype("string")

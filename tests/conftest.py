"""Shared test settings.

Do not set MPLBACKEND here: nbval kernels inherit the environment, and a
non-inline backend would make plt.show() in notebooks emit nothing.
"""

import os
import tempfile

# Keep the dataset cache of this test session out of the user's home.
os.environ["GROUPLAB_CACHE"] = tempfile.mkdtemp(prefix="grouplab-cache-")

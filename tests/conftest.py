"""Shared test settings.

Do not set MPLBACKEND here: nbval kernels inherit the environment, and a
non-inline backend would make plt.show() in notebooks emit nothing.
"""
